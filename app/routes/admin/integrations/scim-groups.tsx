import { href } from "react-router";
import type { Route } from "./+types/scim-groups";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { listProvisionedGroups } from "#app/features/scim/rules.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TableHead } from "#app/components/table.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "SCIM groups · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  return listProvisionedGroups(context.db, actor, pageParam(new URL(request.url)));
}

/** The groups the identity provider pushed, read-only: it owns them; rules decide what they give. */
export default function AdminScimGroups({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="Provisioned groups"
        crumbs={[
          { label: "Integrations", to: href("/admin/integrations") },
          { label: "SCIM", to: href("/admin/integrations/scim") },
        ]}
        description="The groups your identity provider pushed. They are changed there; what membership gives here is decided by the group rules."
      />
      {d.total === 0 ? (
        <EmptyState title="No groups provisioned yet">Groups appear here once the identity provider pushes them (in Okta: Push Groups; in Entra ID: assign the group to the app).</EmptyState>
      ) : (
        <>
          <Card className="overflow-hidden">
            <div className="overflow-x-auto">
              <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
                <caption className="sr-only">Provisioned groups</caption>
                <TableHead columns={["Group", "External id", { label: "Members", align: "right" }, { label: "Rules", align: "right" }]} />
                <tbody className="divide-y divide-slate-100">
                  {d.groups.map((group) => (
                    <tr key={group.id}>
                      <td className="px-5 py-3 font-medium text-slate-900">{group.displayName}</td>
                      <td className="px-5 py-3 font-mono text-xs text-slate-500">{group.externalId ?? "—"}</td>
                      <td className="px-5 py-3 text-right text-slate-700 tabular-nums">{group.members}</td>
                      <td className="px-5 py-3 text-right text-slate-700 tabular-nums">{group.rules}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
          <Pagination
            offset={d.offset}
            pageSize={d.pageSize}
            total={d.total}
            shown={d.groups.length}
            pageHref={(page) => `${href("/admin/integrations/scim/groups")}?page=${page}`}
            label="Group pages"
          />
        </>
      )}
    </>
  );
}

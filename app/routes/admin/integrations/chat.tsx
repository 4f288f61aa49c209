import { Link, href } from "react-router";
import type { Route } from "./+types/chat";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { connectionsPage } from "#app/features/chat/connections.server.ts";
import { PLATFORM_LABELS } from "#app/features/chat/schemas.ts";
import { pageParam } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Notice } from "#app/components/form.tsx";
import { LinkIcon, PlusIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TableHead } from "#app/components/table.tsx";
import { ConnectionStatus, SpaceName } from "./chat-form.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Slack and Teams · Integrations · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const url = new URL(request.url);
  return { page: await connectionsPage(context.db, actor, pageParam(url)), deleted: url.searchParams.get("deleted") === "1" };
}

const crumbs = [{ label: "Integrations", to: href("/admin/integrations") }];

export default function AdminChatConnections({ loaderData }: Route.ComponentProps) {
  const { page, deleted } = loaderData;
  const pageHref = (n: number) => (n > 1 ? `${href("/admin/integrations/chat")}?page=${n}` : href("/admin/integrations/chat"));
  const add = (
    <ButtonLink to={href("/admin/integrations/chat/new")} variant="primary">
      <PlusIcon />
      Connect a channel
    </ButtonLink>
  );
  return (
    <>
      <PageHeader
        title="Slack and Microsoft Teams"
        crumbs={crumbs}
        description="Post a space's new questions, questions still unanswered after some hours, idea status changes and kudos to a Slack or Teams channel, with a link back to Commons."
        actions={page.total > 0 ? add : undefined}
      />
      <Notice message={deleted ? "The connection is deleted. Its channel gets nothing more from Commons." : null} />
      {page.total === 0 ? (
        <EmptyState icon={<LinkIcon className="size-5" />} title="No channel is connected yet" action={add}>
          Make an incoming webhook in Slack or Teams, paste its URL here and choose a space and its events. Messages go out within a minute, and are retried if the channel does not answer.
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
              <caption className="sr-only">Chat connections, by space</caption>
              <TableHead columns={["Connection", "Space", "Webhook", { label: "Events", align: "right" }, "Status"]} />
              <tbody className="divide-y divide-slate-100">
                {page.rows.map((c) => (
                  <tr key={c.id} className="align-top hover:bg-slate-50">
                    <td className="px-5 py-3">
                      <Link
                        to={href("/admin/integrations/chat/:connectionId", { connectionId: String(c.id) })}
                        className="font-medium break-words text-slate-900 hover:text-brand-700 hover:underline"
                      >
                        {c.label || `${PLATFORM_LABELS[c.platform]} connection`}
                      </Link>
                      <p className="text-xs text-slate-500">{PLATFORM_LABELS[c.platform]}</p>
                    </td>
                    <td className="px-5 py-3">
                      <SpaceName name={c.space.name} visibility={c.space.visibility} />
                    </td>
                    <td className="px-5 py-3 font-mono text-xs text-slate-700">{c.maskedUrl}</td>
                    <td className="px-5 py-3 text-right tabular-nums">{c.events.length}</td>
                    <td className="px-5 py-3">
                      <ConnectionStatus enabled={c.enabled} disabledAt={c.disabledAt} />
                      {c.disabledReason ? <p className="mt-1 max-w-xs text-xs break-words text-red-800">{c.disabledReason}</p> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="px-5">
            <Pagination label="Connection pages" offset={page.offset} pageSize={page.pageSize} total={page.total} shown={page.rows.length} pageHref={pageHref} />
          </div>
        </Card>
      )}
    </>
  );
}

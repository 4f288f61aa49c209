import { Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/spaces";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { addSpace, visibleSpaces } from "#app/features/spaces/spaces.server.ts";
import { SpaceSchema } from "#app/features/spaces/space-schema.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { ModeratorBadge, VisibilityBadge } from "#app/components/badge.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { SpacesIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { SpaceForm } from "#app/components/space-form.tsx";
import { TableHead } from "#app/components/table.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Spaces · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  return { spaces: await visibleSpaces(context.db, actor) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "create-space") throw data(null, { status: 400 });
  const parsed = parseForm(SpaceSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await attempt(parsed.values, () => addSpace(context.db, actor, parsed.data));
  if (!result.ok) return data(result, { status: 400 });
  return redirect(`${href("/admin/spaces/:slug", { slug: result.result.slug })}?created=1`);
}

export default function AdminSpaces({ loaderData, actionData }: Route.ComponentProps) {
  const { spaces } = loaderData;
  const values = actionData?.values ?? {};
  return (
    <>
      <PageHeader title="Spaces" description="Create spaces, decide who can see them, and manage their members and moderators." />
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-3">
          {spaces.length === 0 ? (
            <EmptyState icon={<SpacesIcon className="size-5" />} title="No spaces yet">
              Create the first one with the form.
            </EmptyState>
          ) : (
            <Card className="overflow-hidden">
              <div className="overflow-x-auto">
                <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
                  <caption className="sr-only">All spaces</caption>
                  <TableHead columns={["Space", "Visibility", { label: "Members", align: "right" }]} />
                  <tbody className="divide-y divide-slate-100">
                    {spaces.map((s) => (
                      <tr key={s.id} className="hover:bg-slate-50">
                        <td className="px-5 py-3">
                          <Link to={href("/admin/spaces/:slug", { slug: s.slug })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                            {s.name}
                          </Link>
                          <p className="text-xs text-slate-500">/spaces/{s.slug}</p>
                        </td>
                        <td className="px-5 py-3">
                          <span className="flex flex-wrap gap-1">
                            <VisibilityBadge visibility={s.visibility} />
                            {s.myRole === "moderator" ? <ModeratorBadge /> : null}
                          </span>
                        </td>
                        <td className="px-5 py-3 text-right text-slate-700 tabular-nums">{s.memberCount}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </div>
        <div className="lg:col-span-2">
          <CardSection title="New space" titleId="new-space">
            <SpaceForm
              intent="create-space"
              submitLabel="Create space"
              values={{ name: values.name ?? "", slug: values.slug ?? "", description: values.description ?? "", visibility: values.visibility ?? "open" }}
              fieldErrors={actionData?.ok === false ? actionData.fieldErrors : {}}
              formError={actionData?.ok === false ? actionData.formError : undefined}
            />
          </CardSection>
        </div>
      </div>
    </>
  );
}

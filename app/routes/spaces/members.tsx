import { data, href } from "react-router";
import type { Route } from "./+types/members";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { spaceForManager } from "#app/features/spaces/spaces.server.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { isMemberIntent, memberAction } from "#app/features/spaces/member-actions.server.ts";
import { FormError, Notice } from "#app/components/form.tsx";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { AddMemberForm, MembersTable } from "#app/components/space-members.tsx";
import { pageParam, readForm } from "#app/lib/forms.ts";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Members of ${loaderData.space.name} · Commons` : "Commons" }];
}

// A space's moderators (and admins) manage its members here; everyone else gets the 404.
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = pageParam(new URL(request.url));
  return spaceForManager(context.db, actor, params.slug, page);
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const { space } = await spaceBySlugForActor(context.db, actor, params.slug);
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));
  if (!isMemberIntent(intent)) throw data(null, { status: 400 });
  return memberAction(context.db, actor, space, intent, formData);
}

export default function SpaceMembers({ loaderData, actionData }: Route.ComponentProps) {
  const { space, members, total, offset, pageSize } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const addFailed = failed?.intent === "add-member" ? failed : null;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title="Members"
        description={`${total} ${total === 1 ? "person" : "people"} in ${space.name}. Moderators look after the space and can add and remove members.`}
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <Card className="p-5">
        <AddMemberForm
          key={actionData?.ok && actionData.intent === "add-member" ? actionData.at : "add"}
          values={addFailed?.values ?? {}}
          fieldErrors={addFailed?.fieldErrors}
          formError={addFailed?.formError}
        />
        <div className="mt-6">
          <FormError message={failed && failed.intent !== "add-member" ? failed.formError : undefined} />
          {members.length > 0 ? <MembersTable members={members} linkToAdmin={false} /> : <p className="text-sm text-slate-500">No members yet.</p>}
          <Pagination
            label="Member pages"
            offset={offset}
            pageSize={pageSize}
            total={total}
            shown={members.length}
            pageHref={(p) => `${href("/spaces/:slug/members", { slug: space.slug })}?page=${p}`}
          />
        </div>
      </Card>
    </>
  );
}

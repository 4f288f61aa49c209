import { data, href, redirect } from "react-router";
import type { Route } from "./+types/space";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { spaceForManager, updateSpace } from "#app/features/spaces/spaces.server.ts";
import { isMemberIntent, memberAction } from "#app/features/spaces/member-actions.server.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { SpaceSchema } from "#app/features/spaces/space-schema.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { FormError, Notice } from "#app/components/form.tsx";
import { VisibilityBadge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { SpaceForm } from "#app/components/space-form.tsx";
import { AddMemberForm, MembersTable } from "#app/components/space-members.tsx";
import { setAnonymousQuestions } from "#app/features/anonymous/ask.server.ts";
import { AnonymousSettingSchema } from "#app/features/anonymous/schemas.ts";
import { AnonymousSettingForm } from "#app/components/anonymous/anonymous-setting.tsx";
import { setAnswerDeadline } from "#app/features/routing/deadline.server.ts";
import { AnswerDeadlineSchema } from "#app/features/routing/schemas.ts";
import { AnswerDeadlineForm } from "#app/components/routing/answer-deadline-form.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.space.name} · Admin · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const url = new URL(request.url);
  const page = pageParam(url);
  const view = await spaceForManager(context.db, actor, params.slug, page);
  const notice = url.searchParams.has("created") ? "Space created. Add its members and moderators below." : url.searchParams.has("saved") ? "Space saved." : null;
  return { ...view, notice };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const { space } = await spaceBySlugForActor(context.db, actor, params.slug);
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));
  const fail = (failure: FormFailure) => data({ ...failure, intent }, { status: 400 });

  if (intent === "update-space") {
    const parsed = parseForm(SpaceSchema, formData);
    if (!parsed.ok) return fail(parsed);
    const result = await attempt(parsed.values, () => updateSpace(context.db, actor, space.id, parsed.data));
    if (!result.ok) return fail(result);
    return redirect(`${href("/admin/spaces/:slug", { slug: result.result.slug })}?saved=1`);
  }
  if (isMemberIntent(intent)) return memberAction(context.db, actor, space, intent, formData);
  // @anonymous-space: whether members may ask here without their name (app/features/anonymous).
  if (intent === "set-anonymous-questions") {
    const parsed = parseForm(AnonymousSettingSchema, formData);
    if (!parsed.ok) return fail(parsed);
    await setAnonymousQuestions(context.db, actor, space.id, parsed.data.anonymousQuestions);
    return redirect(`${href("/admin/spaces/:slug", { slug: space.slug })}?saved=1`);
  }
  // @routing-space: the answer deadline that turns routing on for the space (app/features/routing).
  if (intent === "set-answer-deadline") {
    const parsed = parseForm(AnswerDeadlineSchema, formData);
    if (!parsed.ok) return fail(parsed);
    await setAnswerDeadline(context.db, actor, space.id, parsed.data.answerDeadlineHours);
    return redirect(`${href("/admin/spaces/:slug", { slug: space.slug })}?saved=1`);
  }
  throw data(null, { status: 400 });
}

export default function AdminSpace({ loaderData, actionData }: Route.ComponentProps) {
  const { space, members, total, offset, pageSize, notice } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const failedFor = (intent: string) => (failed?.intent === intent ? failed : null);
  const details = failedFor("update-space")?.values;
  const addFailed = failedFor("add-member");
  const memberError = failedFor("set-role") ?? failedFor("remove-member");
  return (
    <>
      <PageHeader crumbs={[{ label: "Spaces", to: href("/admin/spaces") }]} title={space.name} actions={<ButtonLink to={href("/spaces/:slug", { slug: space.slug })}>View space</ButtonLink>}>
        <div className="mt-3">
          <VisibilityBadge visibility={space.visibility} />
        </div>
      </PageHeader>
      <Notice message={actionData?.ok ? actionData.notice : notice} />
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-3">
          <CardSection title="Members" titleId="members" description={`${total} ${total === 1 ? "person" : "people"}. Moderators can manage this space's members.`}>
            <AddMemberForm
              key={actionData?.ok && actionData.intent === "add-member" ? actionData.at : "add"}
              values={addFailed?.values ?? {}}
              fieldErrors={addFailed?.fieldErrors}
              formError={addFailed?.formError}
            />
            <div className="mt-6">
              <FormError message={memberError?.formError} />
              {members.length > 0 ? <MembersTable members={members} linkToAdmin /> : <p className="text-sm text-slate-500">No members yet.</p>}
              <Pagination
                label="Member pages"
                offset={offset}
                pageSize={pageSize}
                total={total}
                shown={members.length}
                pageHref={(p) => `${href("/admin/spaces/:slug", { slug: space.slug })}?page=${p}`}
              />
            </div>
          </CardSection>
        </div>
        <div className="lg:col-span-2">
          <CardSection title="Details" titleId="details">
            <SpaceForm
              key={space.updatedAt.toString()}
              intent="update-space"
              submitLabel="Save space"
              values={{
                name: details?.name ?? space.name,
                slug: details?.slug ?? space.slug,
                description: details?.description ?? space.description,
                visibility: details?.visibility ?? space.visibility,
              }}
              fieldErrors={failedFor("update-space")?.fieldErrors}
              formError={failedFor("update-space")?.formError}
            />
          </CardSection>
          {/* @anonymous-space */}
          <AnonymousSettingForm key={space.updatedAt.toString()} allowed={space.anonymousQuestions} failure={failedFor("set-anonymous-questions")} />
          {/* @routing-space */}
          <AnswerDeadlineForm key={`deadline-${space.updatedAt.toString()}`} hours={space.answerDeadlineHours} failure={failedFor("set-answer-deadline")} />
        </div>
      </div>
    </>
  );
}

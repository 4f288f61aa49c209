import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/space";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { joinSpace, leaveSpace, spaceOverview } from "#app/features/spaces/spaces.server.ts";
import { Badge, VisibilityBadge } from "#app/components/badge.tsx";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FormError } from "#app/components/form.tsx";
import { attempt } from "#app/lib/errors.ts";
import { readForm } from "#app/lib/forms.ts";
import { CardSection } from "#app/components/card.tsx";
import { CalendarIcon, GlobeIcon, LockIcon, ShieldIcon, UsersIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonList } from "#app/components/person.tsx";
import { memberCountLabel } from "#app/components/space-card.tsx";
import { listParams } from "#app/features/qa/list-params.ts";
import { questionList } from "#app/features/qa/lists.server.ts";
import { AskQuestionButton } from "#app/components/qa/ask-question-button.tsx";
import { QuestionList, SortTabs } from "#app/components/qa/question-list.tsx";
import { campaignList } from "#app/features/ideas/campaigns.server.ts";
import { campaignUrl } from "#app/features/ideas/idea-url.ts";
import { PhaseBadge } from "#app/components/ideas/phase-badge.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.space.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const overview = await spaceOverview(context.db, actor, params.slug);
  const { sort, period, cursor } = listParams(new URL(request.url));
  const [page, campaigns] = await Promise.all([
    questionList(context.db, actor, { spaceId: overview.space.id, sort, period, cursor }),
    campaignList(context.db, actor, { spaceId: overview.space.id }),
  ]);
  return { ...overview, campaigns, isAdmin: actor.role === "admin", list: { state: { sort, period }, page, paged: Boolean(cursor) }, now: Date.now() };
}

// Joining and leaving: open spaces are joined by anyone; a restricted one only by a moderator's say.
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const intent = (await readForm(request)).get("intent");
  if (intent === "join") return attempt({}, () => joinSpace(context.db, actor, params.slug));
  if (intent === "leave") {
    const left = await attempt({}, () => leaveSpace(context.db, actor, params.slug));
    // After leaving a restricted space its page is a 404 for this person: go to the list instead.
    if (left.ok && !left.result.stillVisible) throw redirect(href("/spaces"));
    return left;
  }
  throw data("Unknown action", { status: 400 });
}

const since = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

export default function SpacePage({ loaderData, actionData }: Route.ComponentProps) {
  const { space, membership, memberCount, moderators, members, membersTruncated, isAdmin, canManage, list, now, campaigns } = loaderData;
  const ask = <AskQuestionButton spaceSlug={space.slug} />;
  const restricted = space.visibility === "restricted";
  const base = href("/spaces/:slug", { slug: space.slug });
  const membershipAction =
    membership?.role === "member" ? (
      <Form method="post">
        <Button name="intent" value="leave" variant="secondary">
          Leave space
        </Button>
      </Form>
    ) : !membership && !restricted ? (
      <Form method="post">
        <Button name="intent" value="join" variant="primary">
          Join space
        </Button>
      </Form>
    ) : null;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Spaces", to: href("/spaces") }]}
        title={space.name}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {ask}
            <ButtonLink to={href("/spaces/:slug/wiki", { slug: space.slug })} variant="secondary">
              Wiki
            </ButtonLink>
            <ButtonLink to={href("/spaces/:slug/articles", { slug: space.slug })} variant="secondary">
              Articles
            </ButtonLink>
            <ButtonLink to={href("/spaces/:slug/kudos", { slug: space.slug })} variant="secondary">
              Kudos
            </ButtonLink>
            {/* @routing-link: how fast questions here are answered, and what is waiting in routing */}
            <ButtonLink to={href("/spaces/:slug/routing", { slug: space.slug })} variant="secondary">
              Routing
            </ButtonLink>
            {membershipAction}
            {isAdmin ? (
              <ButtonLink to={href("/admin/spaces/:slug", { slug: space.slug })} variant="secondary">
                Manage space
              </ButtonLink>
            ) : canManage ? (
              <ButtonLink to={href("/spaces/:slug/members", { slug: space.slug })} variant="secondary">
                Manage members
              </ButtonLink>
            ) : null}
          </div>
        }
      >
        <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600">
          <VisibilityBadge visibility={space.visibility} />
          {membership ? <Badge tone="brand">{membership.role === "moderator" ? "You moderate this space" : "You're a member"}</Badge> : null}
          <span className="inline-flex items-center gap-1.5">
            <UsersIcon className="text-slate-400" />
            {memberCountLabel(memberCount)}
          </span>
        </div>
      </PageHeader>

      <FormError message={actionData && !actionData.ok ? actionData.formError : undefined} />
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="questions" className="min-w-0 lg:col-span-2">
          <h2 id="questions" className="mb-3 text-lg font-semibold text-slate-900">
            Questions
          </h2>
          <SortTabs base={base} state={list.state} />
          <QuestionList base={base} state={list.state} page={list.page} now={now} paged={list.paged} showSpace={false} headingLevel={3} askAction={ask} />
        </section>
        <aside className="space-y-6" aria-label="About this space">
          <CardSection title="About" titleId="about">
            {space.description ? <p className="text-base whitespace-pre-line text-slate-700">{space.description}</p> : <p className="text-slate-500">This space has no description yet.</p>}
            <dl className="mt-5 grid gap-3 border-t border-slate-100 pt-4 text-sm sm:grid-cols-2 lg:grid-cols-1">
              <div className="flex gap-2">
                <dt className="text-slate-400">{restricted ? <LockIcon /> : <GlobeIcon />}</dt>
                <dd className="text-slate-600">
                  <span className="sr-only">Who can see it: </span>
                  {restricted ? "Only its members can see this space. It is hidden from everyone else." : "Every employee can see this space."}
                </dd>
              </div>
              <div className="flex gap-2">
                <dt className="text-slate-400">
                  <CalendarIcon />
                  <span className="sr-only">Created</span>
                </dt>
                <dd className="text-slate-600">Created {since.format(new Date(space.createdAt))}</dd>
              </div>
              {/* @anonymous-space */}
              {space.anonymousQuestions ? (
                <div className="flex gap-2">
                  <dt className="text-slate-400">
                    <ShieldIcon />
                    <span className="sr-only">Anonymous questions</span>
                  </dt>
                  <dd className="text-slate-600">Questions here can be asked anonymously: who asked is shown to no one, admins included.</dd>
                </div>
              ) : null}
            </dl>
          </CardSection>
          <CardSection title="Idea campaigns" titleId="campaigns">
            {campaigns.length > 0 ? (
              <ul className="space-y-2 text-sm">
                {campaigns.map((c) => (
                  <li key={c.id} className="flex items-start justify-between gap-2">
                    <Link to={campaignUrl(c)} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {c.title}
                    </Link>
                    <PhaseBadge phase={c.phase} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">No campaigns in this space yet.</p>
            )}
            {canManage || isAdmin ? (
              <p className="mt-3 text-sm">
                <Link to={`${href("/campaigns/new")}?space=${encodeURIComponent(space.slug)}`} className="font-medium text-brand-700 hover:underline">
                  Start a campaign here
                </Link>
              </p>
            ) : null}
          </CardSection>
          <CardSection title="Moderators" titleId="moderators" description="They look after this space and its members.">
            {moderators.length > 0 ? <PersonList people={moderators} /> : <p className="text-sm text-slate-500">This space has no moderators yet.</p>}
          </CardSection>
          {restricted ? (
            <CardSection title="Members" titleId="members" description={membersTruncated ? `The first ${members.length} of ${memberCount}.` : undefined}>
              {members.length > 0 ? <PersonList people={members} /> : <p className="text-sm text-slate-500">No members yet.</p>}
            </CardSection>
          ) : null}
        </aside>
      </div>
    </>
  );
}

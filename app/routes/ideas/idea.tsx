import { Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/idea";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { answerInvitation, ideaPage, inviteCoOwners } from "#app/features/ideas/ideas.server.ts";
import { loadIdea } from "#app/features/ideas/access.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { InviteSchema, MergeSchema, ownerEditBlockReason, StatusSchema, STATUS_LABELS, voteBlockReason } from "#app/features/ideas/schemas.ts";
import { commentAction } from "#app/features/social/comment-actions.server.ts";
import { parseScores, scoreIdea, scoreView } from "#app/features/ideas/scores.server.ts";
import { changeIdeaStatus, mergeIdea } from "#app/features/ideas/workflow.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm, submittedValues } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { FlagLink } from "#app/components/qa/flag-link.tsx";
import { TagList } from "#app/components/content/tag-list.tsx";
import { DecisionPanel, IdeaComments, InvitationBanner, OwnersPanel, ScoresPanel, Timeline } from "#app/components/ideas/idea-panels.tsx";
import { IdeaVoteButton } from "#app/components/ideas/idea-vote-button.tsx";
import { commentFailureFor } from "#app/components/content/comment-list.tsx";
import { StatusBadge } from "#app/components/ideas/status-badge.tsx";
import { kudosOnRecord } from "#app/features/recognition/feeds.server.ts";
import { KudosStrip } from "#app/components/recognition/kudos-strip.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.idea.title} · ${loaderData.campaign.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await ideaPage(context.db, actor, idParam(params.ideaId));
  const [scores, kudos] = await Promise.all([scoreView(context.db, page, actor), kudosOnRecord(context.db, actor, [page.idea.itemId])]);
  // Only what the page shows: no submission keys, no internal sort weights.
  const { campaign, idea } = page;
  const { submissionKey: _ideaKey, trending: _trending, ...shownIdea } = idea;
  return {
    ...page,
    campaign: { id: campaign.id, title: campaign.title, voteBudget: campaign.voteBudget },
    idea: shownIdea,
    scores,
    kudos: kudos[idea.itemId] ?? null,
    now: Date.now(),
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const ideaId = idParam(params.ideaId);
  const form = await readForm(request);
  // Comments, and deleting and restoring them, as on every kind's page.
  const commented = await commentAction(db, actor, form);
  if (commented) return commented;
  const intent = String(form.get("intent") ?? "");
  const here = ideaUrl({ id: ideaId });
  const fail = (result: FormFailure) => data({ intent, ...result }, { status: 400 });
  if (intent === "status") {
    const parsed = parseForm(StatusSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => changeIdeaStatus(db, actor, ideaId, parsed.data)) : parsed;
    if (!result.ok) return fail(result);
    throw redirect(here);
  }
  if (intent === "merge") {
    const parsed = parseForm(MergeSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => mergeIdea(db, actor, ideaId, parsed.data)) : parsed;
    if (!result.ok) return fail(result);
    throw redirect(here);
  }
  if (intent === "score") {
    const values = submittedValues(form);
    const result = await attempt(values, async () => {
      const { campaign } = await loadIdea(db, actor, ideaId);
      await scoreIdea(db, actor, ideaId, parseScores(form, campaign.criteria));
    });
    if (!result.ok) return fail(result);
    throw redirect(here);
  }
  if (intent === "invite") {
    const parsed = parseForm(InviteSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => inviteCoOwners(db, actor, ideaId, parsed.data.coOwners)) : parsed;
    if (!result.ok) return fail(result);
    throw redirect(here);
  }
  if (intent === "accept-invite" || intent === "decline-invite") {
    const result = await attempt({}, () => answerInvitation(db, actor, ideaId, intent === "accept-invite"));
    if (!result.ok) return fail(result);
    throw redirect(here);
  }
  throw data("Unknown action", { status: 400 });
}

export default function IdeaPage({ loaderData, actionData }: Route.ComponentProps) {
  const { idea, campaign, space, phase, author, owners, timeline, comments, voted, following, isOwner, invited, mergedInto, mergedFrom, votesLeft, canManage, scores, now, submissionKey } =
    loaderData;
  const failure = (intent: string): FormFailure | null => (actionData && !actionData.ok && actionData.intent === intent ? actionData : null);
  const credited = owners.filter((o) => o.state === "accepted");
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        crumbs={[
          { label: "Ideas", to: href("/campaigns") },
          { label: campaign.title, to: campaignUrl(campaign) },
        ]}
        title={idea.title}
        actions={
          <>
            <FollowButton
              action={href("/items/:itemId/follow", { itemId: String(idea.itemId) })}
              following={following}
              description="Status changes and comments on this idea reach your inbox"
            />
            {(canManage || (isOwner && !ownerEditBlockReason(idea.status))) && idea.status !== "merged" ? (
              <ButtonLink to={href("/ideas/:ideaId/edit", { ideaId: String(idea.id) })}>Edit</ButtonLink>
            ) : null}
          </>
        }
      >
        <p className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
          <StatusBadge status={idea.status} />
          <span>#{idea.id}</span>
          {idea.category ? <span>{idea.category}</span> : null}
          <span>
            Submitted by{" "}
            <Link to={href("/people/:userId", { userId: String(author.id) })} className="hover:underline">
              {author.name}
            </Link>{" "}
            <RelativeTime date={idea.createdAt} now={now} />
          </span>
          {idea.revisionCount > 1 ? (
            <Link to={href("/ideas/:ideaId/history", { ideaId: String(idea.id) })} className="hover:underline">
              Edited ({idea.revisionCount - 1}×): history
            </Link>
          ) : null}
          {votesLeft !== null ? (
            <span className="font-semibold text-slate-900">
              {votesLeft} of {campaign.voteBudget} votes left
            </span>
          ) : null}
          <FlagLink target={{ itemId: idea.itemId }} authorId={idea.authorId} deleted={false} label="this idea" />
        </p>
      </PageHeader>
      {invited ? <InvitationBanner /> : null}
      {(failure("accept-invite")?.formError ?? failure("decline-invite")?.formError) ? (
        <p role="alert" className="mb-4 text-sm text-red-700">
          {failure("accept-invite")?.formError ?? failure("decline-invite")?.formError}
        </p>
      ) : null}
      {mergedInto ? (
        <p role="status" className="mb-6 rounded-xl border border-violet-200 bg-violet-50 px-5 py-4 text-sm text-violet-900">
          Merged into{" "}
          <Link to={ideaUrl(mergedInto)} className="font-semibold underline">
            {mergedInto.title}
          </Link>
          : its votes, owners and followers went there. This page and its comments stay for the record.
        </p>
      ) : idea.statusReason || idea.status === "implemented" ? (
        <div
          className={`mb-6 rounded-xl border px-5 py-4 text-sm ${idea.status === "declined" ? "border-rose-200 bg-rose-50 text-rose-900" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
        >
          <p className="font-semibold">
            {STATUS_LABELS[idea.status]}
            {idea.statusReason ? ": the sponsor's answer" : ""}
          </p>
          {idea.statusReason ? <p className="mt-1 whitespace-pre-line">{idea.statusReason}</p> : null}
          {idea.status === "implemented" ? <p className="mt-2">Credited to {credited.map((o) => o.name).join(", ")}: thank you.</p> : null}
        </div>
      ) : null}
      <div className="grid gap-8 lg:grid-cols-[1fr_18rem]">
        <div className="min-w-0">
          <div className="flex gap-5">
            <IdeaVoteButton itemId={idea.itemId} voted={voted} voteCount={idea.voteCount} disabledReason={voteBlockReason(phase, idea.status, isOwner)} />
            <div className="min-w-0 flex-1">
              <PostBody html={idea.bodyHtml} />
              <div className="mt-4">
                <TagList tags={idea.tags} />
              </div>
              <KudosStrip itemId={idea.itemId} authorId={author.id} kudos={loaderData.kudos ?? undefined} label="idea" />
              {mergedFrom.length > 0 ? (
                <p className="mt-4 text-sm text-slate-600">
                  Merged into this idea:{" "}
                  {mergedFrom.map((m, i) => (
                    <span key={m.id}>
                      {i > 0 ? ", " : ""}
                      <Link to={ideaUrl(m)} className="text-brand-700 hover:underline">
                        {m.title}
                      </Link>
                    </span>
                  ))}
                </p>
              ) : null}
            </div>
          </div>
          <Timeline events={timeline} now={now} />
          <IdeaComments itemId={idea.itemId} comments={comments} mentionSpace={space.slug} now={now} submissionKey={submissionKey} failure={commentFailureFor(actionData, idea.itemId)} />
        </div>
        <aside className="space-y-4" aria-label="About this idea">
          <OwnersPanel owners={owners} isOwner={isOwner} failure={failure("invite")} />
          {canManage && idea.status !== "merged" ? <DecisionPanel status={idea.status} ownIdea={isOwner} statusFailure={failure("status")} mergeFailure={failure("merge")} /> : null}
          <ScoresPanel view={scores} failure={failure("score")} />
          <p className="text-xs text-slate-500">
            In{" "}
            <Link to={href("/spaces/:slug", { slug: space.slug })} className="hover:underline">
              {space.name}
            </Link>
          </p>
        </aside>
      </div>
    </div>
  );
}

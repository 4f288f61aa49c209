import { href } from "react-router";
import type { RoundPage } from "#app/features/recognition/awards.server.ts";
import { NOMINATIONS_PAGE_SIZE } from "#app/features/recognition/award-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { plural } from "#app/lib/plural.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { CommentList, type CommentItem, commentFailureFor } from "#app/components/content/comment-list.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { AwardBallot, AwardParticipation } from "./award-ballot.tsx";
import { AwardHrPanel, AwardShortlistForm } from "./award-hr-panel.tsx";
import { AwardNominateForm } from "./award-nominate-form.tsx";
import { AwardNominations } from "./award-nominations.tsx";
import { AwardPhaseBadge } from "./award-phase-badge.tsx";
import { AwardResults } from "./award-results.tsx";
import { AwardTimeline } from "./award-timeline.tsx";
import { RecognitionTabs } from "./recognition-tabs.tsx";

type Failure = FormFailure & { intent?: unknown };

/** The action's failure when it came from the form with this intent (each form shows its own). */
function failureFor(actionData: unknown, intent: string): Failure | null {
  if (!actionData || typeof actionData !== "object") return null;
  const f = actionData as Failure;
  return f.ok === false && f.intent === intent ? f : null;
}

/** Any of the HR panel's or shortlist's failures, which those panels sort out themselves. */
function panelFailure(actionData: unknown): Failure | null {
  for (const intent of ["move", "jury", "shortlist", "withdraw", "remove-nomination"]) {
    const failed = failureFor(actionData, intent);
    if (failed) return failed;
  }
  return null;
}

export type RoundViewData = RoundPage & { comments: CommentItem[]; page: number; now: number; submissionKey: string };

/**
 * An award round's page, phase by phase: the description and reward, the timeline, then what the
 * phase asks of the reader (nominate, shortlist, vote, or read the results), everyone nominated
 * and why, and the comments. HR's controls sit beside it.
 */
export function AwardRoundView({ data, actionData }: { data: RoundViewData; actionData: unknown }) {
  const { round, phase, creator, jurors, participation, nominees, candidates, nominations, nominationTotal, results, me, space, comments, page, now, submissionKey } = data;
  const roundHref = href("/awards/:roundId", { roundId: String(round.id) });
  const panel = panelFailure(actionData);
  const takeOffFailure = failureFor(actionData, "withdraw") ?? failureFor(actionData, "remove-nomination");
  const scope = round.nomineeScope === "department" ? `Only people in ${round.nomineeDepartment} may be nominated.` : null;
  const showParticipation = phase === "voting" || phase === "counting";
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Awards", to: href("/awards") }]}
        title={round.title}
        actions={
          <>
            <FollowButton action={href("/items/:itemId/follow", { itemId: String(round.itemId) })} following={me.following} description="Comments and news of this round reach your inbox" />
            {me.canManage ? <ButtonLink to={href("/awards/:roundId/edit", { roundId: String(round.id) })}>Edit</ButtonLink> : null}
          </>
        }
      >
        <p className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
          <AwardPhaseBadge phase={phase} />
          <span>Run by {creator}</span>
          <span>{plural(round.nominationCount, "nomination", "nominations")}</span>
        </p>
      </PageHeader>
      <RecognitionTabs />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <Card className="p-5">
            <PostBody html={round.descriptionHtml} />
            {round.reward ? (
              <p className="mt-4 rounded-lg bg-violet-50 px-4 py-3 text-sm text-violet-900">
                <span className="font-semibold">Reward:</span> {round.reward}
              </p>
            ) : null}
          </Card>

          {phase === "upcoming" ? <Card className="p-5 text-sm text-slate-700">Nominations open {absoluteTime(round.nominationsOpenAt)}.</Card> : null}
          {phase === "nominating" ? (
            <CardSection title="Nominate someone" titleId="nominate" description={`Until ${absoluteTime(round.nominationsCloseAt)}.`}>
              <AwardNominateForm failed={failureFor(actionData, "nominate")} submissionKey={submissionKey} selfNomination={round.selfNomination} scope={scope} />
            </CardSection>
          ) : null}
          {me.canShortlist ? (
            <CardSection title="Shortlist" titleId="shortlist" description={`Tick who goes on the ballot. Until voting opens, ${absoluteTime(round.votingOpenAt)}.`}>
              <AwardShortlistForm nominees={nominees} failed={failureFor(actionData, "shortlist")} />
            </CardSection>
          ) : phase === "shortlisting" ? (
            <Card className="p-5 text-sm text-slate-700">HR and the jury are choosing the shortlist. Voting opens {absoluteTime(round.votingOpenAt)}.</Card>
          ) : null}
          {phase === "between" ? <Card className="p-5 text-sm text-slate-700">Nominations have closed. Voting opens {absoluteTime(round.votingOpenAt)}.</Card> : null}
          {phase === "voting" ? (
            <CardSection title="Vote" titleId="ballot" description={`Until ${absoluteTime(round.votingCloseAt)}.`}>
              <AwardBallot candidates={candidates} votesPerVoter={round.votesPerVoter} viewerId={me.id} voted={me.voted} failed={failureFor(actionData, "vote")} />
            </CardSection>
          ) : null}
          {phase === "counting" ? (
            <Card className="p-5 text-sm text-slate-700">
              Voting has closed. The results are published here {absoluteTime(round.resultsAt)}; until then no one sees the tallies, HR included.
            </Card>
          ) : null}
          {results ? (
            <CardSection title="Results" titleId="results">
              <AwardResults results={results} participation={participation} reward={round.reward} />
            </CardSection>
          ) : null}

          <section aria-labelledby="nominations">
            <h2 id="nominations" className="mb-3 scroll-mt-24 text-lg font-semibold text-slate-900">
              Nominations ({nominationTotal.toLocaleString("en")})
            </h2>
            {takeOffFailure ? (
              <p role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                {takeOffFailure.formError ?? takeOffFailure.fieldErrors.nominationId}
              </p>
            ) : null}
            {nominations.length === 0 ? (
              <EmptyState title={page > 1 ? "Nothing on this page" : "No nominations yet"}>
                {phase === "nominating"
                  ? "Be the first: nominate a colleague who made a difference, and say why."
                  : phase === "upcoming"
                    ? "Nominations have not opened yet."
                    : "No one was nominated in this round."}
              </EmptyState>
            ) : (
              <>
                <AwardNominations nominations={nominations} now={now} viewerId={me.id} canWithdraw={phase === "nominating"} canRemove={me.canModerate} showShortlist={round.shortlist} />
                <Pagination
                  offset={(page - 1) * NOMINATIONS_PAGE_SIZE}
                  pageSize={NOMINATIONS_PAGE_SIZE}
                  total={nominationTotal}
                  shown={nominations.length}
                  pageHref={(n) => `${roundHref}${n > 1 ? `?page=${n}` : ""}#nominations`}
                  label="Pages of nominations"
                />
              </>
            )}
          </section>

          <section aria-labelledby="comments-heading" className="border-t border-slate-200 pt-6">
            <h2 id="comments-heading" className="text-lg font-semibold text-slate-900">
              {plural(comments.length, "comment", "comments")}
            </h2>
            <CommentList
              itemId={round.itemId}
              comments={comments}
              now={now}
              submissionKey={submissionKey}
              failure={commentFailureFor(actionData, round.itemId)}
              mentionSpace={space.slug}
              collapsed={false}
              hint="Ask about the round, or cheer the nominees on."
              emptyText="No comments yet."
            />
          </section>
        </div>

        <aside aria-label="About this round" className="space-y-6">
          <CardSection title="Timeline" titleId="timeline" description="Dates in UTC.">
            <AwardTimeline round={round} phase={phase} />
          </CardSection>
          {showParticipation ? (
            <CardSection title="Participation" titleId="participation" description="How many have voted, never for whom.">
              <AwardParticipation ballots={participation.ballots} eligible={participation.eligible} />
            </CardSection>
          ) : null}
          <CardSection title="How it works" titleId="rules">
            <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
              <li>{scope ?? "Any active employee may be nominated."}</li>
              <li>{round.selfNomination ? "You may nominate yourself." : "Nominate colleagues, not yourself."}</li>
              {round.shortlist ? <li>HR and the jury shortlist the nominees; only the shortlisted are on the ballot.</li> : <li>Everyone nominated is on the ballot.</li>}
              <li>Every employee votes once, for {round.votesPerVoter === 1 ? "one person" : `up to ${round.votesPerVoter} people`}, never themselves. Ballots are secret.</li>
              <li>{round.winnerCount === 1 ? "The most voted wins." : `The ${round.winnerCount} most voted win.`} Ties share a place.</li>
            </ul>
            {jurors.length > 0 ? <p className="mt-3 text-sm text-slate-700">Jury: {jurors.map((j) => j.name).join(", ")}</p> : null}
          </CardSection>
          {me.canManage ? (
            <CardSection title="Run this round" titleId="hr-panel" description="HR and admins.">
              <AwardHrPanel roundId={round.id} steps={me.steps} jurors={jurors} failed={panel} resultsOut={phase === "results"} />
            </CardSection>
          ) : null}
        </aside>
      </div>
    </>
  );
}

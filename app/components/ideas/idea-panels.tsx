import { Form, Link, href } from "react-router";
import type { ScoreView } from "#app/features/ideas/scores.server.ts";
import { SETTABLE_STATUSES, STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { type CommentItem, CommentList } from "#app/components/content/comment-list.tsx";
import { StatusBadge } from "./status-badge.tsx";

/** The idea page's parts: timeline, owners, the sponsor's decisions, the evaluators' scores and the comments. */

const personLink = (p: { id: number; name: string }) => (
  <Link to={href("/people/:userId", { userId: String(p.id) })} className="font-medium text-brand-700 hover:underline">
    {p.name}
  </Link>
);

export type TimelineEvent = {
  id: number;
  kind: "submitted" | "status" | "merged_in";
  fromStatus: IdeaStatus | null;
  toStatus: IdeaStatus | null;
  reason: string;
  otherIdeaId: number | null;
  otherTitle: string | null;
  createdAt: Date | string;
  actor: { id: number; name: string };
};

const ideaLink = (id: number | null, title: string | null) =>
  id ? (
    <Link to={href("/ideas/:ideaId", { ideaId: String(id) })} className="font-medium text-brand-700 hover:underline">
      {title ?? `#${id}`}
    </Link>
  ) : (
    "an idea"
  );

/** Every step of the idea, oldest first: who did what and why. */
export function Timeline({ events, now }: { events: TimelineEvent[]; now: number }) {
  return (
    <section aria-labelledby="timeline-heading" className="mt-8">
      <h2 id="timeline-heading" className="text-lg font-semibold text-slate-900">
        Timeline
      </h2>
      <ol className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4">
        {events.map((e) => (
          <li key={e.id} className="text-sm text-slate-700">
            <p>
              {e.kind === "submitted" ? (
                <>{personLink(e.actor)} submitted the idea</>
              ) : e.kind === "merged_in" ? (
                <>
                  {personLink(e.actor)} merged {ideaLink(e.otherIdeaId, e.otherTitle)} into this idea
                </>
              ) : e.toStatus === "merged" ? (
                <>
                  {personLink(e.actor)} merged this idea into {ideaLink(e.otherIdeaId, e.otherTitle)}
                </>
              ) : (
                <>
                  {personLink(e.actor)} moved it{" "}
                  {e.fromStatus ? (
                    <>
                      from <StatusBadge status={e.fromStatus} />{" "}
                    </>
                  ) : null}
                  to {e.toStatus ? <StatusBadge status={e.toStatus} /> : null}
                </>
              )}{" "}
              <span className="text-xs text-slate-500">
                <RelativeTime date={e.createdAt} now={now} />
              </span>
            </p>
            {e.reason ? <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 whitespace-pre-line text-slate-800">{e.reason}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export type OwnerItem = { id: number; name: string; title: string; state: "invited" | "accepted"; mergedFromId: number | null };

/** Who had the idea: the owners, those who joined through a merge, and (to owners) invitations still open. */
export function OwnersPanel({ owners, isOwner, failure }: { owners: OwnerItem[]; isOwner: boolean; failure: FormFailure | null }) {
  const accepted = owners.filter((o) => o.state === "accepted");
  const invited = owners.filter((o) => o.state === "invited");
  return (
    <Card as="section" aria-labelledby="owners-heading" className="p-5">
      <h2 id="owners-heading" className="text-sm font-semibold text-slate-900">
        {accepted.length === 1 ? "Owner" : "Owners"}
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {accepted.map((o) => (
          <li key={o.id}>
            {personLink(o)} {o.title ? <span className="text-slate-500">· {o.title}</span> : null}
            {o.mergedFromId ? (
              <span className="text-slate-500">
                {" "}
                (from merged idea{" "}
                <Link to={href("/ideas/:ideaId", { ideaId: String(o.mergedFromId) })} className="hover:underline">
                  #{o.mergedFromId}
                </Link>
                )
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {isOwner ? (
        <>
          {invited.length > 0 ? <p className="mt-2 text-xs text-slate-500">Invited, not answered yet: {invited.map((o) => o.name).join(", ")}</p> : null}
          <Form method="post" className="mt-3" noValidate>
            <Field label="Invite a co-owner" name="coOwners" hint="By handle, e.g. @ada.lovelace" defaultValue={failure?.values.coOwners} error={failure?.fieldErrors.coOwners} />
            <SubmitButton name="intent" value="invite" variant="secondary" pendingText="Inviting…">
              Invite
            </SubmitButton>
          </Form>
        </>
      ) : null}
    </Card>
  );
}

/** Shown to someone invited as co-owner: accept (and be credited) or decline. */
export function InvitationBanner() {
  return (
    <div role="status" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-brand-200 bg-brand-50 px-5 py-4">
      <p className="text-sm text-brand-900">You are invited to co-own this idea. Co-owners are credited with it and earn its reputation.</p>
      <Form method="post" className="flex gap-2">
        <SubmitButton name="intent" value="accept-invite" pendingText="Accepting…">
          Accept
        </SubmitButton>
        <SubmitButton name="intent" value="decline-invite" variant="secondary" pendingText="Declining…">
          Decline
        </SubmitButton>
      </Form>
    </div>
  );
}

/** The sponsor's decision: a new status with its public reason (required to decline), and merging a duplicate. */
export function DecisionPanel({
  status,
  ownIdea,
  statusFailure,
  mergeFailure,
}: {
  status: IdeaStatus;
  ownIdea: boolean;
  statusFailure: FormFailure | null;
  mergeFailure: FormFailure | null;
}) {
  return (
    <Card as="section" aria-labelledby="decide-heading" className="p-5">
      <h2 id="decide-heading" className="text-sm font-semibold text-slate-900">
        Decide
      </h2>
      <p className="mt-1 text-xs text-slate-500">Owners, voters and followers are told, with your reason.</p>
      {ownIdea ? <p className="mt-1 text-xs text-amber-800">You own this idea: a decision you make on it earns its owners no reputation.</p> : null}
      <Form method="post" className="mt-3" noValidate>
        <FormError message={statusFailure?.formError} />
        <SelectField
          label="New status"
          name="status"
          options={SETTABLE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          defaultValue={statusFailure?.values.status ?? nextStatus(status)}
          error={statusFailure?.fieldErrors.status}
        />
        <Field
          label="Reason (shown to everyone)"
          name="reason"
          multiline
          rows={3}
          hint="Required when declining: say why."
          defaultValue={statusFailure?.values.reason}
          error={statusFailure?.fieldErrors.reason}
        />
        <SubmitButton name="intent" value="status" pendingText="Saving…">
          Save the status
        </SubmitButton>
      </Form>
      <details className="mt-5 border-t border-slate-100 pt-4" open={mergeFailure ? true : undefined}>
        <summary className="cursor-pointer text-sm font-medium text-slate-800">Merge into another idea</summary>
        <Form method="post" className="mt-3" noValidate>
          <FormError message={mergeFailure?.formError} />
          <Field
            label="Number of the idea to keep"
            name="targetId"
            hint="Its votes, owners and followers gain this idea's; a person who voted for both keeps one vote."
            defaultValue={mergeFailure?.values.targetId}
            error={mergeFailure?.fieldErrors.targetId}
          />
          <Field label="Reason (optional)" name="reason" defaultValue={mergeFailure?.values.reason} error={mergeFailure?.fieldErrors.reason} />
          <SubmitButton name="intent" value="merge" variant="secondary" pendingText="Merging…">
            Merge
          </SubmitButton>
        </Form>
      </details>
    </Card>
  );
}

function nextStatus(status: IdeaStatus): string {
  const order = ["submitted", "under_review", "accepted", "in_progress", "implemented"];
  const next = order[order.indexOf(status) + 1];
  return next ?? "under_review";
}

/** Scores: the evaluator's own form, and for the sponsor the average and spread per criterion. Nobody else gets this panel. */
export function ScoresPanel({ view, failure }: { view: ScoreView; failure: FormFailure | null }) {
  if (view.kind === "none") return null;
  const mine = view.kind === "evaluator" ? view.mine : view.mine;
  return (
    <Card as="section" aria-labelledby="scores-heading" className="p-5">
      <h2 id="scores-heading" className="text-sm font-semibold text-slate-900">
        Evaluation <span className="font-normal text-slate-500">(private)</span>
      </h2>
      {view.kind === "sponsor" ? (
        view.evaluators === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No evaluator has scored this idea yet.</p>
        ) : (
          <table className="mt-2 w-full text-sm">
            <caption className="sr-only">Evaluators' scores from 1 to 5</caption>
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th scope="col" className="font-medium">
                  Criterion
                </th>
                <th scope="col" className="font-medium">
                  Average
                </th>
                <th scope="col" className="font-medium">
                  Spread
                </th>
              </tr>
            </thead>
            <tbody>
              {view.summary.map((s) => (
                <tr key={s.criterion}>
                  <th scope="row" className="py-1 text-left font-medium text-slate-800">
                    {s.criterion}
                  </th>
                  <td className="tabular-nums">{s.average === null ? "–" : `${s.average} / 5`}</td>
                  <td className="text-slate-600 tabular-nums">{s.count === 0 ? "no scores" : `${s.min}–${s.max} (${s.count} ${s.count === 1 ? "score" : "scores"})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {mine ? <ScoreForm criteria={view.criteria} mine={mine} failure={failure} /> : null}
    </Card>
  );
}

function ScoreForm({ criteria, mine, failure }: { criteria: string[]; mine: Record<string, number>; failure: FormFailure | null }) {
  return (
    <Form method="post" className="mt-3 border-t border-slate-100 pt-3">
      <FormError message={failure?.formError} />
      <p className="text-xs text-slate-500">Your scores, 1 (low) to 5 (high). Only the sponsor sees them, as averages.</p>
      {criteria.map((criterion, index) => (
        <fieldset key={criterion} className="mt-2">
          <legend className="text-sm font-medium text-slate-800">{criterion}</legend>
          <div className="mt-1 flex gap-3">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="inline-flex items-center gap-1 text-sm">
                <input type="radio" name={`score.${index}`} value={n} defaultChecked={(failure ? Number(failure.values[`score.${index}`]) : mine[criterion]) === n} />
                {n}
              </label>
            ))}
          </div>
          {failure?.fieldErrors[`score.${index}`] ? <p className="text-sm text-red-700">{failure.fieldErrors[`score.${index}`]}</p> : null}
        </fieldset>
      ))}
      <div className="mt-3">
        <SubmitButton name="intent" value="score" variant="secondary" pendingText="Saving…">
          Save my scores
        </SubmitButton>
      </div>
    </Form>
  );
}

/** The discussion under an idea: the shared comment list (mentions, flags, delete and undelete), with the form always open. */
export function IdeaComments({
  itemId,
  comments,
  mentionSpace,
  now,
  submissionKey,
  failure,
}: {
  itemId: number;
  comments: CommentItem[];
  mentionSpace: string;
  now: number;
  submissionKey: string;
  failure: FormFailure | null;
}) {
  const shown = comments.filter((c) => !c.deleted).length;
  return (
    <section aria-labelledby="comments-heading" className="mt-8">
      <h2 id="comments-heading" className="text-lg font-semibold text-slate-900">
        {shown === 1 ? "1 comment" : `${shown} comments`}
      </h2>
      <CommentList
        itemId={itemId}
        comments={comments}
        now={now}
        submissionKey={submissionKey}
        failure={failure}
        mentionSpace={mentionSpace}
        collapsed={false}
        hint="Ask a question about the idea or say how it would help you."
        emptyText="No comments yet. Ask a question about the idea or say how it would help you."
      />
    </section>
  );
}

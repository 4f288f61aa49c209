import { Form, Link, href } from "react-router";
import type { QueueItem } from "#app/features/moderation/flags.server.ts";
import { RESOLUTION_MAX, flagReasonLabel } from "#app/features/moderation/flag-schema.ts";
import { CLOSE_REASONS } from "#app/features/qa/close-schema.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

const KIND_LABEL = {
  question: "Question",
  answer: "Answer",
  idea: "Idea",
  wiki_page: "Wiki page",
  article: "Article",
  kudos: "Kudos",
  badge: "Badge",
  reward: "Reward",
  award_round: "Award round",
  award_nomination: "Nomination",
  comment: "Comment",
} as const;
const CLOSE_CHOICES = CLOSE_REASONS.filter((r) => r.value !== "duplicate").map((r) => ({ value: r.value, label: r.label }));

function Person({ person }: { person: { id: number; name: string } }) {
  return (
    <Link to={href("/people/:userId", { userId: String(person.id) })} className="font-medium text-brand-700 hover:underline">
      {person.name}
    </Link>
  );
}

/**
 * One flagged item in the moderation queue: what it is (as text, with a link to it), why and by
 * whom it was flagged, and, while pending, the form to dismiss the flags or act on it.
 */
export function QueueItemCard({ item, now, failure }: { item: QueueItem; now: number; failure: FormFailure | null }) {
  const { target } = item;
  const headingId = `item-${item.key}-${item.handled ? new Date(item.handled.at).getTime() : "pending"}`;
  return (
    <Card as="li" className="p-5">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold text-slate-900">
          {KIND_LABEL[target.kind]}
          {target.author ? (
            <>
              {" "}
              by <Person person={target.author} />
            </>
          ) : null}
          <span className="font-normal text-slate-600"> in {target.space.name}</span>
        </h2>
        <div className="flex flex-wrap gap-1.5">
          {target.deleted ? <Badge tone="red">Deleted</Badge> : null}
          {item.reasons.map((r) => (
            <Badge key={r.reason} tone={r.reason === "needs_moderator" ? "amber" : "red"}>
              {flagReasonLabel(r.reason)} × {r.count}
            </Badge>
          ))}
        </div>
      </div>
      <p className="mt-1 text-sm text-slate-600">
        On{" "}
        <Link to={target.page.url} className="text-brand-700 hover:underline">
          {target.page.title}
        </Link>
        {target.closed ? " (closed)" : ""}
      </p>
      <blockquote className="mt-3 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm break-words text-slate-800">{target.excerpt}</blockquote>
      <details className="mt-3 text-sm" open={item.count <= 3}>
        <summary className="cursor-pointer font-medium text-slate-700">
          {item.count === 1 ? "1 flag" : `${item.count} flags`}, first <RelativeTime date={item.firstFlaggedAt} now={now} />
        </summary>
        <ul className="mt-2 space-y-1.5 text-slate-700">
          {item.reports.map((r) => (
            <li key={`${r.reporter.id}-${r.at}`}>
              <Person person={r.reporter} />: {flagReasonLabel(r.reason)}, <RelativeTime date={r.at} now={now} />
              {r.details ? <span className="block whitespace-pre-line text-slate-600">“{r.details}”</span> : null}
            </li>
          ))}
        </ul>
      </details>
      {item.handled ? (
        <p className="mt-3 border-t border-slate-100 pt-3 text-sm text-slate-700">
          <Badge tone={item.handled.status === "actioned" ? "green" : "neutral"}>{item.handled.status === "actioned" ? "Acted on" : "Dismissed"}</Badge>{" "}
          {item.handled.by ? (
            <>
              by <Person person={item.handled.by} />{" "}
            </>
          ) : null}
          <RelativeTime date={item.handled.at} now={now} />
          {item.handled.resolution ? <span className="block whitespace-pre-line text-slate-600">“{item.handled.resolution}”</span> : null}
        </p>
      ) : (
        <Form method="post" noValidate className="mt-4 border-t border-slate-100 pt-4">
          <input type="hidden" name="target" value={item.key} />
          <FormError message={failure?.formError} />
          <Field
            label="Note (optional)"
            name="resolution"
            multiline
            rows={2}
            maxLength={RESOLUTION_MAX}
            hint="Recorded with the decision; reporters and the author do not see it."
            defaultValue={failure?.values.resolution}
            error={failure?.fieldErrors.resolution}
          />
          {target.canClose ? <SelectField label="Close as" name="closeReason" options={CLOSE_CHOICES} defaultValue={failure?.values.closeReason ?? "off_topic"} /> : null}
          <div className="flex flex-wrap gap-2">
            <Button name="intent" value="dismiss" variant="secondary">
              Dismiss flags
            </Button>
            {/* Kinds that are not deleted (ideas are declined from their page) only have their flags dismissed here. */}
            {target.canDelete ? (
              <Button name="intent" value="delete" variant="danger">
                Delete {target.kind}
              </Button>
            ) : null}
            {target.canClose ? (
              <Button name="intent" value="close" variant="secondary">
                Close question
              </Button>
            ) : null}
          </div>
        </Form>
      )}
    </Card>
  );
}

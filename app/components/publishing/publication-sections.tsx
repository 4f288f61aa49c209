import { Form } from "react-router";
import type { PublicationView } from "#app/features/publishing/publishing.server.ts";
import { genericAuthorName } from "#app/features/publishing/rules.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { Field, FormError } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { absoluteDate } from "#app/lib/time.ts";
import { REASON_MAX } from "./form-schemas.ts";

type Consent = PublicationView["consents"][number];
type Part = PublicationView["parts"][number];

/** Who the forum names for a part, from its author's consent; null when the part stays out. */
function byline(part: Part, consents: Consent[], companyName: string): string | null {
  const consent = consents.find((c) => c.user.id === part.author.id);
  const choice = consent?.choice ?? "pending";
  if (choice === "omit") return null;
  if (choice === "named") return part.author.title ? `${part.author.name}, ${part.author.title}` : part.author.name;
  if (choice === "generic") return genericAuthorName(companyName, consent?.genericLabel ?? "");
  return `${part.author.name} (waiting for their consent)`;
}

/**
 * The draft as customers would read it: the title, the question and the answers that go out (the
 * included ones whose authors did not decline), each under the name its author chose.
 */
export function ForumPreview({ view, companyName }: { view: Pick<PublicationView, "title" | "tags" | "parts" | "consents" | "status">; companyName: string }) {
  const question = view.parts.find((p) => p.kind === "question");
  const answers = view.parts.filter((p) => p.kind === "answer" && p.included && byline(p, view.consents, companyName) !== null);
  return (
    <CardSection
      title={view.status === "published" ? "As published" : "Preview on the forum"}
      titleId="preview-heading"
      description="The text after redactions, as the forum shows it. The internal question and its later edits are never linked."
    >
      <article aria-labelledby="preview-title" className="space-y-4">
        <h3 id="preview-title" className="text-xl font-semibold text-slate-900">
          {view.title}
        </h3>
        {view.tags.length > 0 ? <p className="text-xs text-slate-600">Topics: {view.tags.join(", ")}</p> : null}
        {question ? (
          <div>
            <p className="mb-1 text-xs font-medium text-slate-500">Asked by {byline(question, view.consents, companyName) ?? "no one: the asker declined"}</p>
            <PostBody html={question.bodyHtml} />
          </div>
        ) : null}
        <h4 className="border-t border-slate-100 pt-3 text-sm font-semibold text-slate-900">{answers.length === 1 ? "1 answer" : `${answers.length} answers`}</h4>
        {answers.map((answer) => (
          <div key={answer.id} className="border-t border-slate-100 pt-3">
            <p className="mb-1 text-xs font-medium text-slate-500">
              {answer.accepted ? "Accepted answer by " : "Answer by "}
              {byline(answer, view.consents, companyName)}
            </p>
            <PostBody html={answer.bodyHtml} />
          </div>
        ))}
      </article>
    </CardSection>
  );
}

/**
 * A republication against what is public now, line by line. Added and removed lines carry a
 * visible “+” or “−” and a spoken label, so the colour is never the only sign.
 */
export function PublicationDiff({ diff }: { diff: NonNullable<PublicationView["diff"]> }) {
  const changed = diff.filter((d) => d.lines.some((l) => l.kind !== "same"));
  return (
    <CardSection title="Changes against the public version" titleId="diff-heading" description={changed.length === 0 ? "The text is the same as what is public." : undefined}>
      <div className="space-y-4">
        {changed.map((d) => (
          <section key={d.part} aria-label={`Changes in ${d.part}`}>
            <h3 className="mb-1 text-sm font-semibold text-slate-900">{d.part}</h3>
            <ol className="overflow-x-auto rounded-md border border-slate-200 font-mono text-xs">
              {d.lines.map((line, i) => (
                <li
                  key={i}
                  className={`px-3 py-0.5 break-words whitespace-pre-wrap ${
                    line.kind === "added" ? "bg-emerald-50 text-emerald-900" : line.kind === "removed" ? "bg-red-50 text-red-900 line-through" : "text-slate-600"
                  }`}
                >
                  <span aria-hidden="true" className="mr-2 inline-block w-3 select-none">
                    {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : " "}
                  </span>
                  {line.kind === "same" ? null : <span className="sr-only">{line.kind === "added" ? "Added: " : "Removed: "}</span>}
                  {line.text || " "}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </CardSection>
  );
}

/** What a step was, for the rare line the workflow wrote without words of its own. */
const EVENTS: Record<string, string> = {
  proposed: "Proposed for the public forum.",
  scanned: "Scanned the text.",
  edited: "Edited the draft.",
  expiry: "Changed the expiry date.",
  redacted: "Redacted a finding.",
  accepted: "Accepted a finding.",
  consented: "Answered for their text.",
  approved: "Approved.",
  approvals_voided: "Earlier approvals no longer count.",
  published: "Published on the public forum.",
  withdrawn: "Taken off the public forum.",
  discarded: "Discarded the draft.",
  superseded: "Replaced on the public forum by a newer version.",
};

/** Every step of the publication, oldest first, in the words the workflow wrote, with who and when. */
export function Timeline({ events, now }: { events: PublicationView["events"]; now: number }) {
  return (
    <CardSection title="Timeline" titleId="timeline-heading">
      {events.length === 0 ? (
        <p className="text-sm text-slate-600">Only the people who see the question's space see its timeline.</p>
      ) : (
        <ol className="space-y-3 text-sm">
          {events.map((e) => (
            <li key={e.id}>
              <p className="break-words text-slate-900">{e.detail || EVENTS[e.kind] || e.kind.replaceAll("_", " ")}</p>
              <p className="text-xs text-slate-500">
                {e.actor?.name ?? "Commons"}, <RelativeTime date={e.createdAt} now={now} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </CardSection>
  );
}

/** Unpublish (with a reason for the timeline) and discard, for who may. */
export function EndActions({ view, failure }: { view: Pick<PublicationView, "can" | "status" | "expiresAt" | "threadUrl">; failure: (FormFailure & { intent: string }) | null }) {
  const { can } = view;
  if (!can.unpublish && !can.discard) return null;
  return (
    <CardSection title={can.unpublish ? "Unpublish" : "Discard"} titleId="end-heading">
      {can.unpublish ? (
        <Form method="post" className="max-w-xl">
          <input type="hidden" name="intent" value="unpublish" />
          <p className="mb-3 text-sm text-slate-700">
            Unpublishing takes the thread off the forum and its search at once; its address then says it was removed.
            {view.expiresAt ? ` It leaves by itself on ${absoluteDate(view.expiresAt)} (UTC).` : ""}
          </p>
          <FormError message={failure?.intent === "unpublish" ? failure.formError : undefined} />
          <Field
            label="Why does it come off the forum?"
            name="reason"
            multiline
            rows={2}
            required
            maxLength={REASON_MAX}
            defaultValue={failure?.intent === "unpublish" ? failure.values.reason : undefined}
            error={failure?.intent === "unpublish" ? failure.fieldErrors.reason : undefined}
          />
          <Button variant="danger">Unpublish</Button>
        </Form>
      ) : null}
      {can.discard ? (
        <Form method="post" className={can.unpublish ? "mt-4 border-t border-slate-100 pt-4" : ""}>
          <input type="hidden" name="intent" value="discard" />
          <p className="mb-3 text-sm text-slate-700">Discarding ends this draft; nothing of it was published. The question can be proposed again later.</p>
          <FormError message={failure?.intent === "discard" ? failure.formError : undefined} />
          <Button variant="dangerOutline">Discard this draft</Button>
        </Form>
      ) : null}
    </CardSection>
  );
}

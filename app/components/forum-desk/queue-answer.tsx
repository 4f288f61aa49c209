import { Form } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/** The forms of a customer question in the queue: answer in public (with the scan's warnings), suggest, and the suggestions. */

export type ScanWarningView = { label: string; before: string; match: string; after: string };
export type QueueFailure = {
  ok: false;
  intent: string;
  values: Record<string, string>;
  fieldErrors: Partial<Record<string, string>>;
  formError?: string;
  findings?: ScanWarningView[];
  suggestionId?: number | null;
};

/** What the confidentiality scan found, and the box that lets the writer post anyway. */
export function ScanFindings({ findings }: { findings: ScanWarningView[] }) {
  return (
    <div role="alert" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="font-semibold">The confidentiality check found things that may not belong in public:</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {findings.map((f, i) => (
          <li key={i}>
            <span className="font-medium">{f.label}</span>: “{f.before}
            <mark className="bg-amber-200">{f.match}</mark>
            {f.after}”
          </li>
        ))}
      </ul>
      <label className="mt-3 flex items-center gap-2 font-medium">
        <input type="checkbox" name="confirmed" className="size-4 rounded border-slate-300" />
        Post anyway: I checked these
      </label>
    </div>
  );
}

export function PublicAnswerForm({ badge, failure }: { badge: string; failure: QueueFailure | null }) {
  const mine = failure?.intent === "answer" ? failure : null;
  return (
    <section aria-labelledby="answer-publicly" className="mt-8">
      <h2 id="answer-publicly" className="mb-2 text-lg font-semibold text-slate-900">
        Answer publicly
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Your answer will show: <span className="font-medium text-slate-900">{badge}</span>
      </p>
      <Form method="post" noValidate preventScrollReset>
        <FormError message={mine?.formError} />
        {mine?.findings?.length ? <ScanFindings findings={mine.findings} /> : null}
        <Field
          label="Your public answer"
          name="body"
          multiline
          rows={8}
          hint="Markdown. Customers see it at once, under your name."
          defaultValue={mine?.values.body}
          error={mine?.fieldErrors.body}
        />
        <SubmitButton name="intent" value="answer" pendingText="Posting…">
          Post the answer
        </SubmitButton>
      </Form>
    </section>
  );
}

export function SuggestForm({ failure }: { failure: QueueFailure | null }) {
  const mine = failure?.intent === "suggest" ? failure : null;
  return (
    <section aria-labelledby="suggest-answer" className="mt-8">
      <h2 id="suggest-answer" className="mb-2 text-lg font-semibold text-slate-900">
        Suggest an answer
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Only the SMEs and responders of this question's topics answer customers. Suggest an answer and one of them can post it, with credit to you.
      </p>
      <Form method="post" noValidate preventScrollReset>
        <FormError message={mine?.formError} />
        <Field
          label="Your suggestion"
          name="body"
          multiline
          rows={6}
          hint="Markdown. Seen inside only, until a responder posts it."
          defaultValue={mine?.values.body}
          error={mine?.fieldErrors.body}
        />
        <SubmitButton name="intent" value="suggest" variant="secondary" pendingText="Sending…">
          Suggest
        </SubmitButton>
      </Form>
    </section>
  );
}

export type SuggestionItem = { id: number; authorName: string; html: string; status: "open" | "posted" | "dismissed"; createdAt: Date | string; decidedByName: string | null };

const STATUS: Record<SuggestionItem["status"], { tone: "amber" | "green" | "neutral"; label: string }> = {
  open: { tone: "amber", label: "Waiting for a responder" },
  posted: { tone: "green", label: "Posted" },
  dismissed: { tone: "neutral", label: "Dismissed" },
};

export function SuggestionList({ suggestions, canDecide, failure, now }: { suggestions: SuggestionItem[]; canDecide: boolean; failure: QueueFailure | null; now: number }) {
  if (suggestions.length === 0) return null;
  return (
    <section aria-labelledby="suggestions" className="mt-8">
      <h2 id="suggestions" className="mb-3 text-lg font-semibold text-slate-900">
        {canDecide ? "Suggested answers" : "Your suggestions"}
      </h2>
      <ul className="space-y-3">
        {suggestions.map((s) => {
          const mine = failure && failure.suggestionId === s.id ? failure : null;
          return (
            <li key={s.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <p className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                <span className="font-medium text-slate-900">{s.authorName}</span>
                <RelativeTime date={s.createdAt} now={now} prefix="suggested" />
                <Badge tone={STATUS[s.status].tone}>{STATUS[s.status].label}</Badge>
                {s.decidedByName && s.status !== "open" ? <span>by {s.decidedByName}</span> : null}
              </p>
              <PostBody html={s.html} />
              {canDecide && s.status === "open" ? (
                <Form method="post" className="mt-3" preventScrollReset>
                  <input type="hidden" name="suggestionId" value={s.id} />
                  <FormError message={mine?.formError} />
                  {mine?.findings?.length ? <ScanFindings findings={mine.findings} /> : null}
                  <div className="flex flex-wrap gap-2">
                    <SubmitButton name="intent" value="post-suggestion" pendingText="Posting…">
                      Post with credit
                    </SubmitButton>
                    <SubmitButton name="intent" value="dismiss-suggestion" variant="secondary">
                      Dismiss
                    </SubmitButton>
                  </div>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

import { Form } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { REVIEW_NOTE_MAX } from "#app/features/wiki/governance-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { PageBodyField } from "./page-body-field.tsx";

type Failure = (FormFailure & { intent: string }) | null;

/** The failure of the form with this intent, else nothing (several forms share the page). */
function failureOf(failure: Failure, intent: string): FormFailure | null {
  return failure && failure.intent === intent ? failure : null;
}

/**
 * The reviewer's three decisions, each its own plain form: approve (with the resolved text when the
 * page changed since the suggestion was written), ask for changes (a note), decline (a reason).
 */
export function ReviewForms({
  suggestion,
  page,
  conflict,
  space,
  failure,
}: {
  suggestion: { title: string; body: string };
  page: { revisionCount: number };
  conflict: { revision: number; title: string; body: string } | null;
  space: string;
  failure: Failure;
}) {
  const approve = failureOf(failure, "approve");
  const changes = failureOf(failure, "request-changes");
  const decline = failureOf(failure, "decline");
  return (
    <CardSection
      title="Review"
      titleId="review-heading"
      description="Approving saves the suggested text as a new version of the page, with the suggester as its author. Asking for changes or declining needs a note; the suggester is told every outcome."
    >
      <div className="space-y-6">
        <Form method="post" noValidate aria-labelledby="approve-heading">
          <h3 id="approve-heading" className="mb-2 text-sm font-semibold text-slate-900">
            Approve
          </h3>
          <FormError message={approve?.formError} />
          <input type="hidden" name="currentRevision" value={conflict?.revision ?? page.revisionCount} />
          {conflict ? (
            <>
              <p className="mb-3 text-sm text-slate-700">Resolve the two texts: the suggestion's text is below, the page as it is now beside it. Save what the page should say.</p>
              <Field label="Resolved title" name="resolvedTitle" defaultValue={approve?.values.resolvedTitle ?? suggestion.title} error={approve?.fieldErrors.resolvedTitle} />
              <PageBodyField
                label="Resolved text"
                name="resolvedBody"
                defaultValue={approve?.values.resolvedBody ?? suggestion.body}
                error={approve?.fieldErrors.resolvedBody}
                space={space}
                beside={
                  <section aria-labelledby="current-text-heading" className="min-w-0">
                    <h4 id="current-text-heading" className="text-sm font-medium text-slate-800">
                      The page now (version {conflict.revision})
                    </h4>
                    <pre className="mt-1 max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-800">{conflict.body}</pre>
                  </section>
                }
              />
            </>
          ) : null}
          <Field
            label="Note to the suggester (optional)"
            name="note"
            multiline
            rows={2}
            defaultValue={approve?.values.note}
            error={approve?.fieldErrors.note}
            hint={`Plain text, up to ${REVIEW_NOTE_MAX.toLocaleString("en")} characters.`}
          />
          <SubmitButton name="intent" value="approve" pendingText="Approving…">
            {conflict ? "Approve the resolved text" : "Approve"}
          </SubmitButton>
        </Form>

        <Form method="post" noValidate aria-labelledby="changes-heading-form" className="border-t border-slate-100 pt-5">
          <h3 id="changes-heading-form" className="mb-2 text-sm font-semibold text-slate-900">
            Ask for changes
          </h3>
          <FormError message={changes?.formError} />
          <Field
            label="What should change"
            name="note"
            multiline
            rows={3}
            defaultValue={changes?.values.note}
            error={changes?.fieldErrors.note}
            hint="Required. The suggester can edit their suggestion, which sends it back to you."
          />
          <SubmitButton name="intent" value="request-changes" variant="secondary" pendingText="Sending…">
            Ask for changes
          </SubmitButton>
        </Form>

        <Form method="post" noValidate aria-labelledby="decline-heading" className="border-t border-slate-100 pt-5">
          <h3 id="decline-heading" className="mb-2 text-sm font-semibold text-slate-900">
            Decline
          </h3>
          <FormError message={decline?.formError} />
          <Field label="Reason" name="note" multiline rows={3} defaultValue={decline?.values.note} error={decline?.fieldErrors.note} hint="Required: the suggester sees it." />
          <SubmitButton name="intent" value="decline" variant="danger" pendingText="Declining…">
            Decline
          </SubmitButton>
        </Form>
      </div>
    </CardSection>
  );
}

/** The suggester takes back their suggestion while it waits. */
export function WithdrawForm() {
  return (
    <Form method="post" className="flex justify-end">
      <SubmitButton name="intent" value="withdraw" variant="secondary" pendingText="Withdrawing…">
        Withdraw your suggestion
      </SubmitButton>
    </Form>
  );
}

import { Form } from "react-router";
import { datetimeLocalValue } from "#app/features/articles/schemas.ts";
import { absoluteTime } from "#app/lib/time.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";

/**
 * What the author of a draft or scheduled article sees above it: that nobody else can read it yet,
 * and plain forms to publish it now, schedule it, or take it back to a draft.
 */
export function PublicationPanel({ status, publishAt, failure }: { status: "draft" | "scheduled"; publishAt: Date | string | null; failure: FormFailure | null }) {
  return (
    <section aria-labelledby="publication-heading" className="mb-6 rounded-xl border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-950">
      <h2 id="publication-heading" className="font-semibold">
        {status === "scheduled" && publishAt ? `Scheduled for ${absoluteTime(publishAt)}` : "Draft"}
      </h2>
      <p className="mt-1">
        {status === "scheduled"
          ? "Only you can see it until then. It is published within a minute of that time, and the people who follow you are told."
          : "Only you can see it. Publish it when it is ready: the people who follow you are told."}
      </p>
      <FormError message={failure?.formError} />
      <Form method="post" noValidate className="mt-3 flex flex-wrap items-end gap-3">
        <SubmitButton name="intent" value="publish" pendingText="Publishing…">
          Publish now
        </SubmitButton>
        {status === "scheduled" ? (
          <SubmitButton name="intent" value="draft" variant="secondary" pendingText="Saving…">
            Unschedule
          </SubmitButton>
        ) : null}
      </Form>
      <Form method="post" noValidate className="mt-3 flex flex-wrap items-end gap-3">
        <Field
          label={status === "scheduled" ? "Reschedule for (UTC)" : "Schedule for (UTC)"}
          name="publishAt"
          type="datetime-local"
          defaultValue={failure?.values.publishAt ?? datetimeLocalValue(publishAt)}
          error={failure?.fieldErrors.publishAt}
        />
        <div className="mb-4">
          <SubmitButton name="intent" value="schedule" variant="secondary" pendingText="Scheduling…">
            {status === "scheduled" ? "Reschedule" : "Schedule"}
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}

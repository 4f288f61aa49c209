import { useId } from "react";
import { Form } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import type { FormFailure } from "#app/lib/forms.ts";

/** The admin space page's switch for anonymous questions (intent "set-anonymous-questions"). */
export function AnonymousSettingForm({ allowed, failure }: { allowed: boolean; failure: FormFailure | null }) {
  const id = useId();
  const error = failure?.fieldErrors.anonymousQuestions;
  return (
    <CardSection
      title="Anonymous questions"
      titleId="anonymous-questions"
      className="mt-6"
      description="For questions people hesitate to ask by name, such as pay and benefits. Who asked is kept apart and shown to no one, admins included."
    >
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="set-anonymous-questions" />
        <FormError message={failure?.formError} />
        <div className="mb-4 flex items-start gap-3">
          <input
            id={id}
            type="checkbox"
            name="anonymousQuestions"
            defaultChecked={failure ? failure.values.anonymousQuestions === "on" : allowed}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            aria-invalid={error ? true : undefined}
            className="mt-1 size-4 accent-brand-600"
          />
          <div>
            <label htmlFor={id} className="text-sm font-medium text-slate-800">
              Members may ask anonymously
            </label>
            <p id={`${id}-hint`} className="text-xs text-slate-500">
              The space's moderators can message an anonymous asker, and look one up only with a written reason that is logged and shown to the asker. Turning this off keeps the questions
              already asked anonymous.
            </p>
            {error ? (
              <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
                {error}
              </p>
            ) : null}
          </div>
        </div>
        <SubmitButton variant="secondary" pendingText="Saving…">
          Save
        </SubmitButton>
      </Form>
    </CardSection>
  );
}

import { Form } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import type { FormFailure } from "#app/lib/forms.ts";

/**
 * A space's answer deadline (intent "set-answer-deadline"), on the admin space page and on the
 * space's routing dashboard for its moderators. Empty turns routing off.
 */
export function AnswerDeadlineForm({ hours, failure, className = "mt-6" }: { hours: number | null; failure: FormFailure | null; className?: string }) {
  return (
    <CardSection
      title="Answer deadline"
      titleId="answer-deadline"
      className={className}
      description="Unanswered questions go to the people who know their topic; past the deadline, to the next ones, then to this space's moderators."
    >
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="set-answer-deadline" />
        <FormError message={failure?.formError} />
        <Field
          label="Working hours to answer"
          name="answerDeadlineHours"
          type="text"
          defaultValue={failure ? failure.values.answerDeadlineHours : hours === null ? "" : String(hours)}
          error={failure?.fieldErrors.answerDeadlineHours}
          hint="Monday to Friday, in UTC, whole days: 24 is one working day. Leave it empty to turn routing off."
        />
        <SubmitButton variant="secondary" pendingText="Saving…">
          Save deadline
        </SubmitButton>
      </Form>
    </CardSection>
  );
}

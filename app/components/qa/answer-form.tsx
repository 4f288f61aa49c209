import { useRef } from "react";
import { Form } from "react-router";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import type { FormFailure } from "#app/lib/forms.ts";
import { MarkdownHelp } from "./markdown-help.tsx";
import { useResetAfterSubmit } from "#app/components/content/use-reset-after-submit.ts";

/** "Your answer" at the foot of a question page; a plain form that keeps the text when it comes back with errors. */
export function AnswerForm({ submissionKey, failure }: { submissionKey: string; failure: FormFailure | null }) {
  const formRef = useRef<HTMLFormElement>(null);
  useResetAfterSubmit(formRef, (data) => data.get("intent") === "answer", failure !== null);
  return (
    <section aria-labelledby="your-answer" className="mt-10">
      <h2 id="your-answer" className="mb-3 text-lg font-semibold text-slate-900">
        Your answer
      </h2>
      <FormError message={failure?.formError} />
      <Form ref={formRef} method="post" noValidate preventScrollReset>
        <input type="hidden" name="submissionKey" value={submissionKey} />
        <MentionField
          label="Answer"
          name="body"
          rows={8}
          hint="Markdown: explain what worked and why; include code or links where they help."
          defaultValue={failure?.values.body}
          error={failure?.fieldErrors.body}
        />
        <MarkdownHelp />
        <SubmitButton name="intent" value="answer" pendingText="Posting…">
          Post your answer
        </SubmitButton>
      </Form>
    </section>
  );
}

import { useRef, useState } from "react";
import { Form } from "react-router";
import { STATEMENT_MAX, STATEMENT_MIN } from "#app/features/recognition/award-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { FieldShell, FormError, SubmitButton, textControlClass } from "#app/components/form.tsx";
import { MarkdownPreview } from "#app/components/markdown-preview.tsx";
import { MentionTextarea } from "#app/components/mention-textarea.tsx";
import { PersonField } from "#app/components/person-field.tsx";
import { useResetAfterSubmit } from "#app/components/content/use-reset-after-submit.ts";

/**
 * Nominating someone in a round: the colleague, and a statement in markdown with a live preview
 * and images (pasted, dropped or attached). A failed nomination comes back with what was typed.
 */
export function AwardNominateForm({
  failed,
  submissionKey,
  selfNomination,
  scope,
}: {
  failed: FormFailure | null;
  submissionKey: string;
  selfNomination: boolean;
  /** "Only people in Customer Success", when the round is for one department. */
  scope: string | null;
}) {
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const [statement, setStatement] = useState(v?.statement ?? "");
  const formRef = useRef<HTMLFormElement>(null);
  // A nomination that went through empties the form (and its preview) for the next one.
  useResetAfterSubmit(
    formRef,
    (data) => data.get("intent") === "nominate",
    failed !== null,
    () => setStatement(""),
  );
  const who = [scope, selfNomination ? "You may nominate yourself." : "Nominate a colleague: self-nominations are not taken in this round."].filter(Boolean).join(" ");
  return (
    <Form ref={formRef} method="post" noValidate preventScrollReset>
      <input type="hidden" name="intent" value="nominate" />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      <FormError message={failed?.formError} />
      <PersonField label="Who do you nominate?" name="nominee" hint={`Their handle, e.g. @ada.lovelace. ${who}`} defaultValue={v?.nominee} error={e?.nominee} />
      <div className="mb-4 grid gap-4 lg:grid-cols-2">
        <FieldShell
          label="Why they deserve it"
          className=""
          error={e?.statement}
          hint={`Markdown, ${STATEMENT_MIN} to ${STATEMENT_MAX.toLocaleString("en")} characters: what they did and what it changed. Paste or drop images to add them.`}
        >
          {(control) => (
            <MentionTextarea
              {...control}
              name="statement"
              rows={8}
              defaultValue={v?.statement}
              uploads
              onInput={(event) => setStatement(event.currentTarget.value)}
              className={textControlClass(e?.statement)}
            />
          )}
        </FieldShell>
        <MarkdownPreview text={statement} title="Preview" headingLevel={3} />
      </div>
      <p className="mb-4 text-sm text-slate-600">Nominations are public: everyone sees who nominated whom, and the person you nominate is told.</p>
      <div className="flex justify-end">
        <SubmitButton pendingText="Nominating…">Nominate</SubmitButton>
      </div>
    </Form>
  );
}

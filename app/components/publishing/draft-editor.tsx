import { Form } from "react-router";
import type { PublicationView } from "#app/features/publishing/publishing.server.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { CardSection } from "#app/components/card.tsx";
import { Field, FieldShell, FormError, SubmitButton, textControlClass } from "#app/components/form.tsx";
import { TITLE_MAX, bodyField, expiryValue, includedField } from "./form-schemas.ts";

type Part = PublicationView["parts"][number];

/** What the draft holds now, when a save was refused because someone else saved first. */
export type SavedMeanwhile = { revision: number; title: string; parts: { id: number; body: string }[] };

function partLegend(part: Part): string {
  if (part.kind === "question") return `The question, by ${part.author.name}`;
  return `Answer by ${part.author.name}${part.accepted ? " (accepted)" : ""}`;
}

/**
 * The draft's text: its title, the question and each answer as markdown, whether each answer goes
 * out, and when it comes off the forum. Saving scans it again. A save refused because the draft
 * changed meanwhile keeps what was typed and shows what was saved, so nothing is lost either way;
 * saving again then replaces that text.
 */
export function DraftEditor({
  view,
  failure,
  meanwhile,
}: {
  view: Pick<PublicationView, "revision" | "title" | "expiresAt" | "parts">;
  failure: FormFailure | null;
  meanwhile: SavedMeanwhile | null;
}) {
  const typed = failure?.values;
  const errors = failure?.fieldErrors ?? {};
  // A refused form shows what was typed, the checkboxes included (an unticked box sends nothing).
  const included = (part: Part) => (typed ? typed[includedField(part.id)] !== undefined : part.included);
  return (
    <CardSection
      title="Edit the draft"
      titleId="editor-heading"
      description="Redact or reword what must not go out. Saving scans the text again; approvals given to an earlier version no longer count."
    >
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="revision" value={meanwhile?.revision ?? view.revision} />
        <FormError message={failure?.formError} />
        <Field label="Title" name="title" required maxLength={TITLE_MAX} defaultValue={typed?.title ?? view.title} error={errors.title} />
        {meanwhile && meanwhile.title !== (typed?.title ?? view.title) ? <SavedText label="The title saved meanwhile" text={meanwhile.title} /> : null}
        {view.parts.map((part) => (
          <fieldset key={part.id} className="mb-4 rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-semibold text-slate-900">{partLegend(part)}</legend>
            <input type="hidden" name="partId" value={part.id} />
            <FieldShell label={part.kind === "question" ? "Text of the question (markdown)" : `Text of the answer by ${part.author.name} (markdown)`} error={errors[bodyField(part.id)]}>
              {(control) => (
                <textarea
                  {...control}
                  name={bodyField(part.id)}
                  rows={part.kind === "question" ? 8 : 6}
                  required
                  defaultValue={typed?.[bodyField(part.id)] ?? part.body}
                  className={`${textControlClass(errors[bodyField(part.id)])} font-mono`}
                />
              )}
            </FieldShell>
            {meanwhile ? <SavedText label="This text as saved meanwhile" text={meanwhile.parts.find((p) => p.id === part.id)?.body ?? ""} /> : null}
            {part.kind === "answer" ? (
              <label className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name={includedField(part.id)} defaultChecked={included(part)} className="size-4 rounded border-slate-300 text-brand-600" />
                Include this answer
              </label>
            ) : (
              <p className="text-xs text-slate-500">The question is always published.</p>
            )}
          </fieldset>
        ))}
        <Field
          label="Take it off the forum on"
          name="expiresAt"
          type="date"
          hint="Optional. At the start of this day (UTC) it leaves the forum and its search. Leave empty to keep it until someone unpublishes it."
          defaultValue={typed?.expiresAt ?? expiryValue(view.expiresAt)}
          error={errors.expiresAt}
        />
        <SubmitButton pendingText="Saving…">Save and scan again</SubmitButton>
      </Form>
    </CardSection>
  );
}

function SavedText({ label, text }: { label: string; text: string }) {
  return (
    <details className="mb-3 text-sm" open>
      <summary className="cursor-pointer font-medium text-amber-900">{label}</summary>
      <pre className="mt-1 max-h-60 overflow-auto rounded-md border border-amber-200 bg-amber-50 p-3 font-mono text-xs break-words whitespace-pre-wrap text-slate-800">{text}</pre>
    </details>
  );
}

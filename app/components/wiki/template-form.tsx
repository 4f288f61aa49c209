import { useState } from "react";
import { Form } from "react-router";
import { Field, FieldShell, FormError, SelectField, SubmitButton, textControlClass } from "#app/components/form.tsx";
import { MarkdownPreview } from "#app/components/markdown-preview.tsx";
import { TEMPLATE_DESCRIPTION_MAX, TEMPLATE_NAME_MAX } from "#app/features/wiki/schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";

/**
 * The form for a page template: where it applies (only when adding one), its name, what it is
 * for, and its markdown, with a preview. `scopes` are the places the writer may add it to.
 */
export function TemplateForm({
  template,
  scopes,
  preselectedSpace,
  failure,
  submitLabel,
}: {
  template?: { name: string; description: string; body: string };
  scopes?: { siteWide: boolean; spaces: Array<{ slug: string; name: string }> };
  preselectedSpace?: string;
  failure: FormFailure | null;
  submitLabel: string;
}) {
  const v = failure?.values;
  const e = failure?.fieldErrors;
  const [text, setText] = useState(v?.body ?? template?.body ?? "");
  return (
    <Form method="post" noValidate>
      <FormError message={failure?.formError} />
      {scopes ? (
        <SelectField
          label="Where it is offered"
          name="space"
          options={[...(scopes.siteWide ? [{ value: "", label: "Every space (site-wide)" }] : []), ...scopes.spaces.map((s) => ({ value: s.slug, label: `${s.name} only` }))]}
          defaultValue={v?.space ?? preselectedSpace ?? (scopes.siteWide ? "" : scopes.spaces[0]?.slug)}
          error={e?.space}
        />
      ) : null}
      <Field label="Name" name="name" hint={`Up to ${TEMPLATE_NAME_MAX} characters, e.g. “Runbook”.`} defaultValue={v?.name ?? template?.name} error={e?.name} />
      <Field
        label="Description (optional)"
        name="description"
        hint={`What pages it suits, in a line (up to ${TEMPLATE_DESCRIPTION_MAX} characters).`}
        defaultValue={v?.description ?? template?.description}
        error={e?.description}
      />
      <div className="mb-4 grid gap-4 lg:grid-cols-2">
        <FieldShell label="Template text" className="" error={e?.body} hint="Markdown: the headings and prompts a new page starts with.">
          {(control) => (
            <textarea
              {...control}
              name="body"
              rows={18}
              defaultValue={v?.body ?? template?.body}
              onInput={(event) => setText(event.currentTarget.value)}
              className={`${textControlClass(e?.body)} font-mono`}
            />
          )}
        </FieldShell>
        <MarkdownPreview text={text} />
      </div>
      <div className="flex justify-end border-t border-slate-100 pt-5">
        <SubmitButton name="intent" value="save" pendingText="Saving…">
          {submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}

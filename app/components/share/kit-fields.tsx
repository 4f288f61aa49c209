import { Field } from "#app/components/form.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";

/** A kit's title and description, on the new-kit page and the kit's edit form. */
export function KitFields({
  values,
  errors,
  titleMax,
  descriptionMax,
}: {
  values?: { title?: string | undefined; description?: string | undefined } | undefined;
  errors?: Partial<Record<string, string>> | undefined;
  titleMax: number;
  descriptionMax: number;
}) {
  return (
    <>
      <Field label="Title" name="title" hint={`What this kit is about, e.g. “Launch week”. At most ${titleMax} characters.`} defaultValue={values?.title} error={errors?.title} />
      <Field
        label="Description (optional)"
        name="description"
        multiline
        rows={5}
        hint={`Markdown, at most ${descriptionMax.toLocaleString("en")} characters: why these are worth sharing, and anything to keep in mind.`}
        defaultValue={values?.description}
        error={errors?.description}
      />
      <MarkdownHelp />
    </>
  );
}

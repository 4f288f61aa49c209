import { useState } from "react";
import { FieldShell, textControlClass } from "#app/components/form.tsx";

/**
 * The suggested text of a kit item: plain text (never markdown), with a count of characters
 * against the limit that updates as one types (announced politely). Without JavaScript the hint
 * states the limit and the server checks it.
 */
export function SuggestedTextField({
  max,
  defaultValue = "",
  error,
  label = "Suggested text",
}: {
  max: number;
  defaultValue?: string | undefined;
  error?: string | undefined;
  label?: string;
}) {
  const [length, setLength] = useState(defaultValue.length);
  return (
    <FieldShell
      label={label}
      error={error}
      hint={`Plain text people can post with their link, at most ${max} characters.`}
      after={
        <p className={`mt-1 text-xs ${length > max ? "text-red-700" : "text-slate-500"}`} aria-live="polite">
          {length} / {max} characters
        </p>
      }
    >
      {(control) => (
        <textarea {...control} name="suggestedText" rows={3} defaultValue={defaultValue} onChange={(e) => setLength(e.target.value.length)} className={textControlClass(error)} />
      )}
    </FieldShell>
  );
}

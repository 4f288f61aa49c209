import { textControlClass, type FieldControlProps } from "#app/components/form.tsx";

export type SuggestionOption = { key: string | number; value: string; label: string };

/**
 * A text input whose suggestions come through a native datalist (the topic and person fields,
 * with `useSuggestions`), so the browser's own keyboard and screen-reader support applies. Before
 * JavaScript it is a plain text field. Its FieldShell's `control` gives the label and hint links.
 */
export function SuggestionsInput({
  control,
  listId,
  name,
  maxLength,
  defaultValue,
  error,
  onText,
  options,
}: {
  control: FieldControlProps;
  listId: string;
  name: string;
  maxLength?: number;
  defaultValue: string | undefined;
  error: string | undefined;
  onText: (text: string) => void;
  options: SuggestionOption[];
}) {
  return (
    <>
      <input
        {...control}
        type="text"
        name={name}
        autoComplete="off"
        list={listId}
        maxLength={maxLength}
        defaultValue={defaultValue}
        onInput={(event) => onText(event.currentTarget.value)}
        className={textControlClass(error)}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.key} value={o.value}>
            {o.label}
          </option>
        ))}
      </datalist>
    </>
  );
}

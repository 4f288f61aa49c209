import { useCallback, useId, useState } from "react";
import { href } from "react-router";
import { FieldShell } from "#app/components/form.tsx";
import { SuggestionsInput } from "#app/components/suggestions-input.tsx";
import { type SuggestionLookup, useSuggestions } from "#app/components/use-suggestions.ts";

type Person = { id: number; name: string; handle: string; title: string };

/**
 * A colleague by handle (`@ada.lovelace`). Before JavaScript it is a plain text field; with it,
 * typing offers matching colleagues (the mention autocomplete's `/api/people`, limited to those
 * who can see `space` when given) through a native datalist, so the browser's own keyboard and
 * screen-reader support applies.
 */
export function PersonField({
  label,
  name,
  hint,
  defaultValue,
  error,
  space,
  className,
}: {
  label: string;
  name: string;
  hint: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
  /** Offer only the colleagues who can see this space (its slug). */
  space?: string | undefined;
  className?: string | undefined;
}) {
  const listId = useId();
  const [query, setQuery] = useState("");
  const lookupPeople = useCallback(
    (typed: string): SuggestionLookup<{ people: Person[] }, Person> | null => {
      const q = typed.replace(/^@/, "").trim();
      if (q.length < 2) return null;
      return { url: `${href("/api/people")}?${new URLSearchParams(space ? { q, space } : { q })}`, read: (body) => body.people };
    },
    [space],
  );
  const people = useSuggestions(query, lookupPeople, 200);

  return (
    <FieldShell label={label} hint={hint} error={error} {...(className === undefined ? {} : { className })}>
      {(control) => (
        <SuggestionsInput
          control={control}
          listId={listId}
          name={name}
          defaultValue={defaultValue}
          error={error}
          onText={setQuery}
          options={people.map((p) => ({ key: p.id, value: `@${p.handle}`, label: p.title ? `${p.name}, ${p.title}` : p.name }))}
        />
      )}
    </FieldShell>
  );
}

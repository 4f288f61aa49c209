import { useId, useState } from "react";
import { href } from "react-router";
import { FieldShell } from "#app/components/form.tsx";
import { SuggestionsInput } from "#app/components/suggestions-input.tsx";
import { type SuggestionLookup, useSuggestions } from "#app/components/use-suggestions.ts";

type Suggestion = { name: string; questionCount: number };

/** The last word typed is looked up; a suggestion keeps the words before it. */
function lookupTopic(typed: string): SuggestionLookup<{ tags: Suggestion[] }, Suggestion> | null {
  const words = typed.split(/[\s,]+/);
  const last = (words.pop() ?? "").toLowerCase();
  if (last.length < 1) return null;
  const before = words.filter(Boolean).join(" ");
  return {
    url: `${href("/api/tags")}?${new URLSearchParams({ q: last })}`,
    read: (body) => body.tags.map((t) => ({ ...t, name: before ? `${before} ${t.name}` : t.name })),
  };
}

/**
 * The experts page's topic: before JavaScript a plain text field; with it, typing offers the
 * tags the reader can see (the tag autocomplete's `/api/tags`) through a native datalist, so the
 * browser's own keyboard and screen-reader support applies. The last word typed is completed.
 */
export function TopicField({ name, defaultValue }: { name: string; defaultValue?: string | undefined }) {
  const listId = useId();
  const [typed, setTyped] = useState("");
  const suggestions = useSuggestions(typed, lookupTopic, 150);

  return (
    <FieldShell label="Topic" hint="A tag, e.g. postgres; up to three, separated by spaces.">
      {(control) => (
        <SuggestionsInput
          control={control}
          listId={listId}
          name={name}
          maxLength={120}
          defaultValue={defaultValue}
          error={undefined}
          onText={setTyped}
          options={suggestions.map((s) => ({ key: s.name, value: s.name, label: `${s.questionCount} ${s.questionCount === 1 ? "question" : "questions"}` }))}
        />
      )}
    </FieldShell>
  );
}

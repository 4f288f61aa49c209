import { useEffect, useId, useState } from "react";
import { href } from "react-router";
import { FieldShell, textControlClass } from "#app/components/form.tsx";

type Suggestion = { name: string; questionCount: number };

/**
 * The experts page's topic: before JavaScript a plain text field; with it, typing offers the
 * tags the reader can see (the tag autocomplete's `/api/tags`) through a native datalist, so the
 * browser's own keyboard and screen-reader support applies. The last word typed is completed.
 */
export function TopicField({ name, defaultValue }: { name: string; defaultValue?: string | undefined }) {
  const listId = useId();
  const [typed, setTyped] = useState("");
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);

  useEffect(() => {
    const words = typed.split(/[\s,]+/);
    const last = (words.pop() ?? "").toLowerCase();
    if (last.length < 1) return;
    const before = words.filter(Boolean).join(" ");
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${href("/api/tags")}?${new URLSearchParams({ q: last })}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ tags: Suggestion[] }>) : { tags: [] }))
        .then((body) => setSuggestions(body.tags.map((t) => ({ ...t, name: before ? `${before} ${t.name}` : t.name }))))
        .catch(() => {
          // A failed or aborted lookup leaves the field as a plain text input.
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [typed]);

  return (
    <FieldShell label="Topic" hint="A tag, e.g. postgres; up to three, separated by spaces.">
      {(control) => (
        <>
          <input
            {...control}
            type="text"
            name={name}
            autoComplete="off"
            list={listId}
            maxLength={120}
            defaultValue={defaultValue}
            onInput={(event) => setTyped(event.currentTarget.value)}
            className={textControlClass(undefined)}
          />
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option key={s.name} value={s.name}>
                {`${s.questionCount} ${s.questionCount === 1 ? "question" : "questions"}`}
              </option>
            ))}
          </datalist>
        </>
      )}
    </FieldShell>
  );
}

import { useEffect, useId, useState } from "react";
import { href } from "react-router";
import { FieldShell, textControlClass } from "#app/components/form.tsx";

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
  const [people, setPeople] = useState<Person[]>([]);

  useEffect(() => {
    const q = query.replace(/^@/, "").trim();
    if (q.length < 2) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${href("/api/people")}?${new URLSearchParams(space ? { q, space } : { q })}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ people: Person[] }>) : { people: [] }))
        .then((body) => setPeople(body.people))
        .catch(() => {
          // A failed or aborted lookup leaves the field as a plain text input.
        });
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, space]);

  return (
    <FieldShell label={label} hint={hint} error={error} {...(className === undefined ? {} : { className })}>
      {(control) => (
        <>
          <input
            {...control}
            type="text"
            name={name}
            autoComplete="off"
            list={listId}
            defaultValue={defaultValue}
            onInput={(event) => setQuery(event.currentTarget.value)}
            className={textControlClass(error)}
          />
          <datalist id={listId}>
            {people.map((p) => (
              <option key={p.id} value={`@${p.handle}`}>
                {p.title ? `${p.name}, ${p.title}` : p.name}
              </option>
            ))}
          </datalist>
        </>
      )}
    </FieldShell>
  );
}

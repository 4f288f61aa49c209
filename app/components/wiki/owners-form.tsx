import { useEffect, useId, useState } from "react";
import { Form, href } from "react-router";
import { FieldShell, FormError, SubmitButton, textControlClass } from "#app/components/form.tsx";
import type { FormFailure } from "#app/lib/forms.ts";

type Person = { id: number; name: string; handle: string; title: string };

/**
 * Adds an owner by handle. Before JavaScript it is a plain text field; with it, typing offers the
 * colleagues who can see the space (the mention autocomplete's `/api/people`) through a native
 * datalist, so the browser's own keyboard and screen-reader support applies.
 */
export function AddOwnerForm({ spaceSlug, failure }: { spaceSlug: string; failure: FormFailure | null }) {
  const listId = useId();
  const [query, setQuery] = useState("");
  const [people, setPeople] = useState<Person[]>([]);

  useEffect(() => {
    const q = query.replace(/^@/, "").trim();
    if (q.length < 2) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${href("/api/people")}?${new URLSearchParams({ q, space: spaceSlug })}`, { signal: controller.signal, headers: { Accept: "application/json" } })
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
  }, [query, spaceSlug]);

  const error = failure?.fieldErrors.person;
  return (
    <Form method="post" noValidate className="flex flex-wrap items-start gap-3">
      <div className="min-w-60 flex-1">
        <FieldShell label="Add an owner" hint="A colleague's handle, e.g. @ada.lovelace: the part of their email before the @." error={error} className="">
          {(control) => (
            <input
              {...control}
              type="text"
              name="person"
              autoComplete="off"
              list={listId}
              defaultValue={failure?.values.person}
              onInput={(event) => setQuery(event.currentTarget.value)}
              className={textControlClass(error)}
            />
          )}
        </FieldShell>
        <datalist id={listId}>
          {people.map((p) => (
            <option key={p.id} value={`@${p.handle}`}>
              {p.title ? `${p.name}, ${p.title}` : p.name}
            </option>
          ))}
        </datalist>
      </div>
      <div className="pt-6">
        <SubmitButton name="intent" value="add-owner" pendingText="Adding…">
          Add owner
        </SubmitButton>
      </div>
      <div className="w-full">
        <FormError message={failure?.formError} />
      </div>
    </Form>
  );
}

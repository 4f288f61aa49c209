import { useEffect, useId, useState } from "react";
import { Form, href } from "react-router";
import { Field, FieldShell, FormError, SubmitButton, textControlClass } from "#app/components/form.tsx";
import { BADGE_REASON_MAX } from "#app/features/recognition/badge-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";

type Person = { id: number; name: string; handle: string; title: string };

/**
 * Awards a custom badge: a colleague and why. Before JavaScript the colleague is a plain handle
 * field; with it, typing offers matching colleagues (the mention autocomplete's `/api/people`)
 * through a native datalist, so the browser's own keyboard and screen-reader support applies.
 */
export function BadgeAwardForm({ badgeName, failure }: { badgeName: string; failure: FormFailure | null }) {
  const listId = useId();
  const [query, setQuery] = useState("");
  const [people, setPeople] = useState<Person[]>([]);

  useEffect(() => {
    const q = query.replace(/^@/, "").trim();
    if (q.length < 2) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${href("/api/people")}?${new URLSearchParams({ q })}`, { signal: controller.signal, headers: { Accept: "application/json" } })
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
  }, [query]);

  const e = failure?.fieldErrors;
  return (
    <Form method="post" noValidate>
      <FormError message={failure?.formError} />
      <FieldShell label="Colleague" hint="Their handle, e.g. @ada.lovelace: the part of their email before the @." error={e?.person}>
        {(control) => (
          <input
            {...control}
            type="text"
            name="person"
            autoComplete="off"
            list={listId}
            defaultValue={failure?.values.person}
            onInput={(event) => setQuery(event.currentTarget.value)}
            className={textControlClass(e?.person)}
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
      <Field
        label="Why they earned it"
        name="reason"
        multiline
        rows={3}
        hint={`Shown with the award on “${badgeName}” (up to ${BADGE_REASON_MAX} characters).`}
        defaultValue={failure?.values.reason}
        error={e?.reason}
      />
      <div className="flex justify-end">
        <SubmitButton name="intent" value="award" pendingText="Awarding…">
          Award the badge
        </SubmitButton>
      </div>
    </Form>
  );
}

import { useEffect, useId, useRef, useState } from "react";
import { href } from "react-router";
import { splitReceivers } from "#app/features/recognition/kudos-schemas.ts";
import { FieldShell, textControlClass } from "#app/components/form.tsx";
import { PeopleListbox, type Person, personOptionId } from "#app/components/people-listbox.tsx";

/** The entry being typed: what follows the last comma or semicolon. */
function lastEntry(value: string): { start: number; text: string } {
  const start = Math.max(value.lastIndexOf(","), value.lastIndexOf(";")) + 1;
  return { start, text: value.slice(start).trim().replace(/^@/, "") };
}

/**
 * The receivers of a kudos: one text field of names, handles (@ada.lovelace) or email addresses,
 * separated by commas. Before JavaScript that is all it is, and the server resolves what was typed.
 * With JavaScript it is a combobox: typing after the last comma suggests colleagues (the mention
 * autocomplete's `/api/people`), arrows move, Enter or Tab picks, Escape closes, and a pick
 * replaces the entry with the person's handle. `onCount` hears how many people the field names.
 */
export function KudosPeoplePicker({
  name = "receivers",
  defaultValue,
  error,
  onCount,
}: {
  name?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
  onCount?: (count: number) => void;
}) {
  const listId = `${useId()}-people`;
  const input = useRef<HTMLInputElement | null>(null);
  const [query, setQuery] = useState<string | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [active, setActive] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const open = query !== null && people.length > 0;

  useEffect(() => {
    if (query === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${href("/api/people")}?${new URLSearchParams({ q: query }).toString()}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ people: Person[] }>) : { people: [] }))
        .then((body) => {
          setPeople(body.people);
          setActive(0);
          setAnnouncement(body.people.length === 0 ? "No colleagues found." : `${body.people.length} found. Use up and down arrows to choose, Enter to pick.`);
        })
        .catch((e: unknown) => {
          // A newer keystroke aborted this request; any other failure just means no suggestions.
          if (!(e instanceof DOMException && e.name === "AbortError")) setPeople([]);
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  function close() {
    setQuery(null);
    setPeople([]);
  }

  function changed(value: string) {
    onCount?.(splitReceivers(value).length);
    const entry = lastEntry(value);
    if (entry.text.length >= 1) setQuery(entry.text.toLowerCase());
    else close();
  }

  function choose(person: Person) {
    const field = input.current;
    if (!field) return;
    const { start } = lastEntry(field.value);
    const before = field.value.slice(0, start).trimEnd();
    field.value = `${before}${before ? " " : ""}@${person.handle}, `;
    field.focus();
    onCount?.(splitReceivers(field.value).length);
    close();
    setAnnouncement(`Added ${person.name}.`);
  }

  function keyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (!open) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + people.length) % people.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.nativeEvent.isComposing) {
      event.preventDefault();
      choose(people[active]!);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  }

  return (
    <FieldShell
      label="To"
      hint="Names, handles such as @ada.lovelace, or email addresses, separated by commas."
      error={error}
      after={
        <>
          {open ? <PeopleListbox id={listId} label="Colleagues" people={people} active={active} onChoose={choose} onActive={setActive} /> : null}
          <span role="status" aria-live="polite" className="sr-only">
            {announcement}
          </span>
        </>
      }
      className="relative mb-5"
    >
      {(control) => (
        <input
          {...control}
          ref={input}
          type="text"
          name={name}
          defaultValue={defaultValue}
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? personOptionId(listId, active) : undefined}
          onInput={(event) => changed(event.currentTarget.value)}
          onKeyDown={keyDown}
          onBlur={close}
          className={textControlClass(error)}
        />
      )}
    </FieldShell>
  );
}

import { useEffect, useId, useRef, useState } from "react";
import { href, useMatches } from "react-router";
import { FieldShell, textControlClass } from "./form.tsx";
import { UploadControls, useMarkdownUploads } from "./markdown-uploads.tsx";
import { PeopleListbox, type Person, personOptionId } from "./people-listbox.tsx";

type Props = React.TextareaHTMLAttributes<HTMLTextAreaElement> & {
  ref?: React.Ref<HTMLTextAreaElement>;
  /**
   * The space's slug: suggest only people who may see it (they are the ones a mention reaches).
   * Without it, the form's `space` field (the ask page's space picker) is used when there is one.
   */
  mentionSpace?: string | undefined;
  /** Paste, drop or attach images and files (POST /uploads), inserted as markdown at the caret. */
  uploads?: boolean;
};

// "@" + at least one handle character, right before the caret, not inside a word or an address.
const TRIGGER = /(?:^|[^\w.%+\-\\@/])@([a-z0-9][a-z0-9._%+-]{0,60})$/i;

function formSpace(textarea: HTMLTextAreaElement | null): string | undefined {
  const field = textarea?.form?.elements.namedItem("space");
  return field instanceof HTMLSelectElement || field instanceof HTMLInputElement ? field.value || undefined : undefined;
}

/**
 * A textarea that suggests colleagues after "@": typing `@ad` shows a listbox of matching people
 * (arrows to move, Enter or Tab to pick, Escape to close), and picking one inserts `@handle `.
 * It takes every prop a textarea takes and, before JavaScript loads, is one. With `uploads`,
 * images and files pasted, dropped or attached are uploaded and linked (markdown-uploads.tsx).
 */
export function MentionTextarea({ mentionSpace, uploads = false, ref, onKeyDown, onBlur, onInput, className = "", ...props }: Props) {
  const baseId = useId();
  const listId = `${baseId}-mentions`;
  const inner = useRef<HTMLTextAreaElement | null>(null);
  const [query, setQuery] = useState<string | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [active, setActive] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const open = query !== null && people.length > 0;
  const uploading = useMarkdownUploads(inner, uploads);

  function setRefs(node: HTMLTextAreaElement | null) {
    inner.current = node;
    if (typeof ref === "function") ref(node);
    else if (ref) ref.current = node;
  }

  useEffect(() => {
    if (query === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ q: query });
      const space = mentionSpace ?? formSpace(inner.current);
      if (space) params.set("space", space);
      fetch(`${href("/api/people")}?${params.toString()}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ people: Person[] }>) : { people: [] }))
        .then((body) => {
          setPeople(body.people);
          setActive(0);
          setAnnouncement(
            body.people.length === 0
              ? "No people found."
              : `${body.people.length} ${body.people.length === 1 ? "person" : "people"} found. Use up and down arrows to choose, Enter to insert.`,
          );
        })
        .catch((error: unknown) => {
          // A newer keystroke aborted this request; any other failure just means no suggestions.
          if (!(error instanceof DOMException && error.name === "AbortError")) setPeople([]);
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, mentionSpace]);

  function readTrigger(textarea: HTMLTextAreaElement) {
    const caret = textarea.selectionStart;
    const match = caret === textarea.selectionEnd ? TRIGGER.exec(textarea.value.slice(0, caret)) : null;
    if (match) setQuery(match[1]!.toLowerCase());
    else if (query !== null) close();
  }

  function close() {
    setQuery(null);
    setPeople([]);
    setAnnouncement("");
  }

  function choose(person: Person) {
    const textarea = inner.current;
    if (!textarea || query === null) return;
    const caret = textarea.selectionStart;
    const start = caret - query.length - 1;
    textarea.focus();
    textarea.setRangeText(`@${person.handle} `, start, caret, "end");
    // Let React (and any onChange the caller passed) see the new value.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    close();
    setAnnouncement(`Inserted @${person.handle}.`);
  }

  function keyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((i) => (i + step + people.length) % people.length);
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && !event.nativeEvent.isComposing) {
        event.preventDefault();
        choose(people[active]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
        return;
      }
    }
    onKeyDown?.(event);
  }

  return (
    <div className="relative">
      <textarea
        {...props}
        {...uploading.handlers}
        ref={setRefs}
        className={className}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? personOptionId(listId, active) : undefined}
        onKeyDown={keyDown}
        onInput={(event) => {
          readTrigger(event.currentTarget);
          onInput?.(event);
        }}
        onClick={(event) => {
          readTrigger(event.currentTarget);
          props.onClick?.(event);
        }}
        onBlur={(event) => {
          close();
          onBlur?.(event);
        }}
      />
      {open ? <PeopleListbox id={listId} label="People to mention" people={people} active={active} onChoose={choose} onActive={setActive} className="left-0" /> : null}
      <span role="status" aria-live="polite" className="sr-only">
        {announcement}
      </span>
      {uploads ? <UploadControls upload={uploading.upload} status={uploading.status} error={uploading.error} /> : null}
    </div>
  );
}

/**
 * `Field` (app/components/form.tsx) for a markdown body, with mention suggestions: the same label,
 * hint and error wiring. Suggestions are limited to people who may see `mentionSpace`, which
 * defaults to the current page's `space.slug` (question and edit pages load their space).
 */
export function MentionField({
  label,
  name,
  error,
  hint,
  defaultValue,
  rows = 4,
  required,
  maxLength,
  placeholder,
  mentionSpace,
  uploads = true,
}: {
  label: string;
  name: string;
  error?: React.ReactNode;
  hint?: string;
  defaultValue?: string | undefined;
  rows?: number;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  mentionSpace?: string | undefined;
  /** Images and files by paste, drop or "Attach a file": on for posts, pages and articles; comments turn it off. */
  uploads?: boolean;
}) {
  const pageData = useMatches().at(-1)?.loaderData as { space?: { slug?: unknown } } | null | undefined;
  const pageSpace = typeof pageData?.space?.slug === "string" ? pageData.space.slug : undefined;
  return (
    <FieldShell label={label} hint={hint ? <>{hint} Type @ and a name to mention someone.</> : undefined} error={error}>
      {(control) => (
        <MentionTextarea
          {...control}
          name={name}
          rows={rows}
          defaultValue={defaultValue}
          required={required}
          maxLength={maxLength}
          placeholder={placeholder}
          mentionSpace={mentionSpace ?? pageSpace}
          uploads={uploads}
          className={textControlClass(error)}
        />
      )}
    </FieldShell>
  );
}

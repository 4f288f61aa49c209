import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { FieldShell, textControlClass } from "#app/components/form.tsx";

type Suggestion = { name: string; questionCount: number; excerpt: string };

const DEBOUNCE_MS = 150;
const noSubscription = () => () => {};

/** The tag being typed: the text after the last comma or space. */
function currentToken(value: string): { start: number; token: string } {
  const start = Math.max(value.lastIndexOf(","), value.lastIndexOf(" ")) + 1;
  return { start, token: value.slice(start).trim().toLowerCase() };
}

/**
 * Tags as one text field, "comma or space separated": a plain input that works without
 * JavaScript. Once hydrated it becomes an ARIA 1.2 combobox: the tag being typed is completed
 * from `GET /api/tags?q=&space=` (arrows move, Enter picks, Escape closes), and a live region
 * says how many tags matched. If the endpoint is missing or fails, the suggestions just do not
 * appear; the field keeps working as plain text.
 *
 * The space comes from `spaceSlug`, or else from the form's `space` field when it has one.
 */
export function TagInput({
  name = "tags",
  label = "Tags",
  defaultValue,
  error,
  spaceSlug,
}: {
  name?: string;
  label?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
  spaceSlug?: string;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const inputRef = useRef<HTMLInputElement>(null);
  // False on the server and while hydrating: the combobox roles appear only once the script can serve them.
  const enhanced = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState("");
  const request = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    return () => {
      request.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  function close() {
    setOpen(false);
    setActive(-1);
  }

  /** Closes the list and drops a lookup still on its way, which would otherwise open it again. */
  function dismiss() {
    if (timer.current) clearTimeout(timer.current);
    request.current?.abort();
    close();
  }

  function space(): string {
    if (spaceSlug) return spaceSlug;
    const field = inputRef.current?.form?.elements.namedItem("space");
    return field instanceof HTMLSelectElement || field instanceof HTMLInputElement ? field.value : "";
  }

  async function load(prefix: string) {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    try {
      const params = new URLSearchParams({ q: prefix });
      if (space()) params.set("space", space());
      const response = await fetch(`/api/tags?${params}`, { signal: controller.signal, headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`tag suggestions answered ${response.status}`);
      const body = (await response.json()) as { tags?: Suggestion[] };
      const list = Array.isArray(body.tags) ? body.tags.slice(0, 8) : [];
      setSuggestions(list);
      setActive(-1);
      setOpen(list.length > 0);
      setAnnouncement(list.length === 0 ? "No matching tags." : `${list.length} ${list.length === 1 ? "tag" : "tags"} found; use the arrow keys to choose.`);
    } catch (failure) {
      // Suggestions are an extra: when they cannot load the field stays a plain text field.
      if (controller.signal.aborted) return;
      setSuggestions([]);
      close();
      if (import.meta.env.DEV) console.warn("tag suggestions unavailable", failure);
    }
  }

  function onInput(value: string) {
    if (timer.current) clearTimeout(timer.current);
    const { token } = currentToken(value);
    if (!token) {
      request.current?.abort();
      close();
      return;
    }
    timer.current = setTimeout(() => void load(token), DEBOUNCE_MS);
  }

  function choose(suggestion: Suggestion) {
    const input = inputRef.current;
    if (!input) return;
    const { start } = currentToken(input.value);
    input.value = `${input.value.slice(0, start)}${suggestion.name}, `;
    close();
    setAnnouncement(`${suggestion.name} added.`);
    input.focus();
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Escape") {
      // Escape dismisses the list; when none is open it keeps its usual meaning.
      if (open) event.preventDefault();
      dismiss();
      return;
    }
    if (!open || suggestions.length === 0) {
      if (event.key === "ArrowDown" && suggestions.length > 0) {
        setOpen(true);
        setActive(0);
        event.preventDefault();
      }
      return;
    }
    if (event.key === "ArrowDown") {
      setActive((i) => (i + 1) % suggestions.length);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
      event.preventDefault();
    } else if (event.key === "Enter" && active >= 0) {
      choose(suggestions[active]!);
      event.preventDefault();
    }
  }

  const combobox = enhanced
    ? {
        role: "combobox",
        "aria-autocomplete": "list" as const,
        "aria-expanded": open,
        "aria-controls": listId,
        "aria-activedescendant": open && active >= 0 ? `${listId}-${active}` : undefined,
      }
    : {};
  return (
    <FieldShell
      id={id}
      label={label}
      className="relative mb-4"
      hint={
        <>
          Up to 5 tags, comma or space separated, e.g. <code>postgres, backup</code>. Lower-case letters, digits and + # . -
        </>
      }
      error={error}
      after={
        enhanced ? (
          <>
            <ul
              id={listId}
              role="listbox"
              aria-label={`${label} suggestions`}
              hidden={!open}
              className="absolute z-10 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
            >
              {suggestions.map((s, i) => (
                <li
                  key={s.name}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => {
                    // Keep focus in the input while picking with the mouse.
                    e.preventDefault();
                    choose(s);
                  }}
                  className={`cursor-pointer px-3 py-2 ${i === active ? "bg-brand-50" : "hover:bg-slate-50"}`}
                >
                  <span className="font-medium text-slate-900">{s.name}</span>{" "}
                  <span className="text-xs text-slate-500">
                    × {s.questionCount} {s.questionCount === 1 ? "question" : "questions"}
                  </span>
                  {s.excerpt ? <span className="block truncate text-xs text-slate-500">{s.excerpt}</span> : null}
                </li>
              ))}
            </ul>
            <p role="status" aria-live="polite" className="sr-only">
              {announcement}
            </p>
          </>
        ) : null
      }
    >
      {(control) => (
        <input
          ref={inputRef}
          {...control}
          name={name}
          type="text"
          autoComplete="off"
          spellCheck={false}
          defaultValue={defaultValue}
          onChange={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(dismiss, 150)}
          className={textControlClass(error)}
          {...combobox}
        />
      )}
    </FieldShell>
  );
}

import { useEffect, useId, useRef, useState } from "react";
import { Form, href, useNavigate } from "react-router";
import { STATUS_LABELS as IDEA_STATUS_LABELS } from "#app/features/ideas/schemas.ts";
import { ARTICLE_TYPE_LABELS, QUERY_MAX, STATUS_LABELS, type Snippet, pageReview, searchHref } from "#app/features/search/search-params.ts";
import { plural } from "#app/lib/plural.ts";
import { useHydrated } from "#app/components/use-hydrated.ts";
import type { InstantResults } from "./instant-results.ts";
import { SearchIcon } from "../icons.tsx";
import { SnippetText } from "./snippet.tsx";

const DEBOUNCE_MS = 200;
const MIN_LENGTH = 2;

type Option = {
  key: string;
  href: string;
  group: "questions" | "ideas" | "pages" | "articles" | "people" | "all";
  content: React.ReactNode;
};
/** `at`: when the answer came (milliseconds), the "now" a page's review date is read against. */
type Found = { q: string; results: InstantResults; at: number };

/** Typing in a field, or with a modifier held: "/" is text there, not the shortcut. */
function typingElsewhere(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return event.ctrlKey || event.metaKey || event.altKey || !target || target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function announce(found: Found): string {
  if (found.results.status === "unavailable") return "Search is unavailable right now.";
  const { questions, ideas, pages, articles, people } = found.results;
  const total = questions.length + ideas.length + pages.length + articles.length + people.length;
  if (total === 0) return "No results. Press Enter to search all content.";
  const parts = [
    questions.length > 0 ? plural(questions.length, "question", "questions") : null,
    ideas.length > 0 ? plural(ideas.length, "idea", "ideas") : null,
    pages.length > 0 ? plural(pages.length, "wiki page", "wiki pages") : null,
    articles.length > 0 ? plural(articles.length, "article", "articles") : null,
    people.length > 0 ? plural(people.length, "person", "people") : null,
  ];
  return `${plural(total, "result", "results")}: ${parts.filter(Boolean).join(", ")}. Use the arrow keys to choose.`;
}

const optionClass = (active: boolean) => `block cursor-pointer px-3 py-2 ${active ? "bg-brand-50" : "hover:bg-slate-50"}`;
/**
 * The box is a magnifier-sized field that widens leftwards, over the navigation, while it has focus
 * or text: the header has no room for a standing box beside a long navigation. With `roomy` (a
 * short navigation) it stands open on wide screens.
 */
const inputClass =
  "absolute top-0 right-0 z-30 h-9 w-9 cursor-pointer rounded-md border border-slate-300 bg-slate-50 py-1.5 pr-8 pl-3 text-sm transition-[width] duration-150 placeholder:text-transparent hover:bg-slate-100 focus:w-72 focus:cursor-text focus:bg-white focus:ring-2 focus:ring-brand-500 focus:outline-none focus:placeholder:text-slate-500 not-placeholder-shown:w-72 not-placeholder-shown:bg-white [&::-webkit-search-cancel-button]:appearance-none";
const roomyClass = "xl:w-44 xl:cursor-text xl:placeholder:text-slate-500 xl:focus:w-72";
const groupLabelClass = "px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase";

/** What a suggestion says: its highlighted title or name, and a line about it underneath. */
function OptionText({ title, children }: { title: Snippet; children: React.ReactNode }) {
  return (
    <>
      <span className="block font-medium text-slate-900">
        <SnippetText snippet={title} />
      </span>
      <span className="block text-xs text-slate-600">{children}</span>
    </>
  );
}

/** One suggestion; it acts on mouse down, before the box would lose focus. */
function SuggestionOption({
  id,
  selected,
  onPick,
  onHover,
  className = "",
  children,
}: {
  id: string;
  selected: boolean;
  onPick: () => void;
  onHover: () => void;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      onMouseDown={(event) => {
        event.preventDefault();
        onPick();
      }}
      onMouseEnter={onHover}
      className={`${optionClass(selected)} ${className}`}
    >
      {children}
    </div>
  );
}

/**
 * The header's search box: a GET form to /search, so without JavaScript Enter opens the search
 * page. Once hydrated it is an ARIA 1.2 combobox with instant results from `GET /api/search?q=`
 * (debounced; a newer keystroke aborts the request in flight): up to 5 questions, ideas, wiki
 * pages and articles together, in a group per kind, 3 people, then "See all results". Arrows move, Enter opens, Escape closes (then clears). "/" anywhere
 * else on the page focuses it. See `inputClass` for its width.
 */
export function HeaderSearch({ roomy = false }: { roomy?: boolean }) {
  const id = useId();
  const listId = `${id}-list`;
  const navigate = useNavigate();
  const enhanced = useHydrated();
  const input = useRef<HTMLInputElement>(null);
  const request = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [found, setFound] = useState<Found | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState("");

  useEffect(() => {
    function shortcut(event: KeyboardEvent) {
      if (event.key !== "/" || typingElsewhere(event)) return;
      event.preventDefault();
      input.current?.focus();
    }
    document.addEventListener("keydown", shortcut);
    return () => {
      document.removeEventListener("keydown", shortcut);
      request.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  const ok = found?.results.status === "ok" ? found.results : null;
  const options: Option[] = ok
    ? [
        ...ok.questions.map((q): Option => ({
          key: `q${q.id}`,
          href: q.url,
          group: "questions",
          content: (
            <OptionText title={q.title}>
              {q.space.name} · {plural(q.answerCount, "answer", "answers")}
              {q.status !== "open" ? ` · ${STATUS_LABELS[q.status]}` : ""}
            </OptionText>
          ),
        })),
        ...ok.ideas.map((idea): Option => ({
          key: `i${idea.id}`,
          href: idea.url,
          group: "ideas",
          content: (
            <OptionText title={idea.title}>
              {idea.campaign.title} · {plural(idea.voteCount, "vote", "votes")} · {IDEA_STATUS_LABELS[idea.status]}
            </OptionText>
          ),
        })),
        ...ok.pages.map((page): Option => {
          // Worked out from the due date, as on the search page: a page past its review date says so.
          const review = pageReview(page, found!.at);
          return {
            key: `w${page.id}`,
            href: page.url,
            group: "pages",
            content: (
              <OptionText title={page.title}>
                Wiki page · {page.space.name}
                {review === "verified" ? " · Verified" : review === "needs_review" ? " · Needs review" : ""}
              </OptionText>
            ),
          };
        }),
        ...ok.articles.map((article): Option => ({
          key: `a${article.id}`,
          href: article.url,
          group: "articles",
          content: (
            <OptionText title={article.title}>
              {ARTICLE_TYPE_LABELS[article.articleType] ?? "Article"} · {article.author.name} · {article.space.name}
            </OptionText>
          ),
        })),
        ...ok.people.map((p): Option => ({
          key: `p${p.id}`,
          href: href("/people/:userId", { userId: String(p.id) }),
          group: "people",
          content: <OptionText title={p.name}>{[p.title, p.department].filter(Boolean).join(" · ")}</OptionText>,
        })),
        {
          key: "all",
          href: searchHref({ q: found!.q }),
          group: "all",
          content: <span className="font-medium text-brand-700">See all results for “{found!.q}”</span>,
        },
      ]
    : [];
  const optionId = (i: number) => `${listId}-${i}`;
  const renderOption = (option: Option) => {
    const i = options.indexOf(option);
    return (
      <SuggestionOption
        key={option.key}
        id={optionId(i)}
        selected={i === active}
        onPick={() => go(option)}
        onHover={() => setActive(i)}
        className={option.group === "all" ? "border-t border-slate-100" : ""}
      >
        {option.content}
      </SuggestionOption>
    );
  };
  const group = (name: Option["group"], label: string) => {
    const members = options.filter((o) => o.group === name);
    if (members.length === 0) return null;
    return (
      <div role="group" aria-labelledby={`${listId}-${name}`}>
        <div id={`${listId}-${name}`} role="presentation" className={groupLabelClass}>
          {label}
        </div>
        {members.map(renderOption)}
      </div>
    );
  };

  function close() {
    setOpen(false);
    setActive(-1);
  }

  async function load(q: string) {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    let results: InstantResults;
    try {
      const response = await fetch(`${href("/api/search")}?${new URLSearchParams({ q })}`, { signal: controller.signal, headers: { accept: "application/json" } });
      // Signed out meanwhile: no suggestions; Enter still opens the search page, which asks to sign in.
      if (response.status === 401) return close();
      const body = (await response.json()) as Partial<InstantResults>;
      const complete = body.status === "ok" && [body.questions, body.ideas, body.pages, body.articles, body.people].every(Array.isArray);
      results = complete ? (body as InstantResults) : { status: "unavailable" };
    } catch {
      if (controller.signal.aborted) return;
      // The server could not be reached or answered something else: same words as Meilisearch being down.
      results = { status: "unavailable" };
    }
    // eslint-disable-next-line react-hooks/purity -- this runs when an answer arrives, not while rendering
    const next = { q, results, at: Date.now() };
    setFound(next);
    setActive(-1);
    setOpen(document.activeElement === input.current);
    setAnnouncement(announce(next));
  }

  function onInput(value: string) {
    if (timer.current) clearTimeout(timer.current);
    const q = value.replace(/\s+/g, " ").trim();
    if (q.length < MIN_LENGTH) {
      request.current?.abort();
      setFound(null);
      setAnnouncement("");
      return close();
    }
    timer.current = setTimeout(() => void load(q), DEBOUNCE_MS);
  }

  function go(option: Option) {
    close();
    setFound(null);
    setAnnouncement("");
    if (input.current) {
      input.current.value = "";
      input.current.blur();
    }
    void navigate(option.href);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (options.length === 0) return;
      event.preventDefault();
      if (!open) setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i === -1 && step === -1 ? options.length - 1 : (i + step + options.length) % options.length));
    } else if (event.key === "Enter" && open && active >= 0 && options[active]) {
      event.preventDefault();
      go(options[active]);
    } else if (event.key === "Escape") {
      // Escape closes the list first, then clears the box (type="search" would clear at once).
      event.preventDefault();
      if (open) close();
      else if (event.currentTarget.value) {
        event.currentTarget.value = "";
        onInput("");
      }
    }
  }

  const combobox = enhanced
    ? {
        role: "combobox",
        "aria-autocomplete": "list" as const,
        "aria-expanded": open && options.length > 0,
        "aria-controls": listId,
        "aria-activedescendant": open && active >= 0 ? optionId(active) : undefined,
        "aria-keyshortcuts": "/",
      }
    : {};

  return (
    <Form method="get" action={href("/search")} role="search" aria-label="Site search" className={`relative h-9 ${roomy ? "w-9 xl:w-44" : "w-9"}`} onSubmit={close}>
      <label htmlFor={`${id}-q`} className="sr-only">
        Search
      </label>
      <input
        ref={input}
        id={`${id}-q`}
        type="search"
        name="q"
        placeholder="Search"
        title="Search (press / to come here)"
        maxLength={QUERY_MAX}
        autoComplete="off"
        enterKeyHint="search"
        {...combobox}
        onChange={(event) => onInput(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (found && input.current?.value.trim() === found.q) setOpen(true);
        }}
        onBlur={close}
        className={`${inputClass} ${roomy ? roomyClass : ""}`}
      />
      <SearchIcon className="pointer-events-none absolute top-1/2 right-2.5 z-40 size-4 -translate-y-1/2 text-slate-600" />
      {enhanced ? (
        <>
          <div
            hidden={!open}
            className="absolute top-full right-0 z-30 mt-1 w-[26rem] max-w-[calc(100vw-2rem)] overflow-hidden rounded-lg border border-slate-200 bg-white text-sm shadow-lg"
          >
            {found?.results.status === "unavailable" ? <p className="px-3 py-3 text-slate-700">Search is unavailable right now. Please try again in a minute.</p> : null}
            <div id={listId} role="listbox" aria-label="Search suggestions" hidden={options.length === 0} className="max-h-[70vh] overflow-auto py-1">
              {group("questions", "Questions")}
              {group("ideas", "Ideas")}
              {group("pages", "Wiki pages")}
              {group("articles", "Articles")}
              {group("people", "People")}
              {options.filter((o) => o.group === "all").map(renderOption)}
            </div>
          </div>
          {/* A live region without the status role: pages keep their one role="status" for their own messages. */}
          <div aria-live="polite" aria-atomic="true" className="sr-only">
            {announcement}
          </div>
        </>
      ) : null}
    </Form>
  );
}

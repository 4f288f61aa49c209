import { useEffect, useId, useRef, useState } from "react";
import { href } from "react-router";
import type { SimilarPage, SimilarQuestion } from "#app/features/search/search-params.ts";
import { plural } from "#app/lib/plural.ts";
import { FieldShell, textControlClass } from "#app/components/form.tsx";
import { Badge } from "#app/components/badge.tsx";
import { CheckIcon } from "#app/components/icons.tsx";
import { PageReviewBadge } from "#app/components/search/result-list.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";

const DEBOUNCE_MS = 300;
const MIN_LENGTH = 3;

const normalizeTitle = (value: string) => value.replace(/\s+/g, " ").trim();

/** `at`: when the answer came (milliseconds), the "now" a page's review date is read against. */
export type Lookup = { state: "idle" } | { state: "ok"; questions: SimilarQuestion[]; pages: SimilarPage[]; at: number } | { state: "unavailable" };

/**
 * The ask form's title field. Without JavaScript it is a plain text input. Once hydrated, a pause
 * in typing (300 ms, at least 3 characters) asks `GET /api/similar-questions` for questions and
 * wiki pages like the title, so people find an existing answer before asking again: a matching
 * page comes first, since it may already answer the question. A newer keystroke aborts the
 * request in flight, so an older answer never replaces a newer one. The links open in a new tab:
 * the draft on this page stays as it is. When search is down the form says so quietly; asking
 * never waits for it.
 */
export function QuestionTitleField({
  label,
  name,
  hint,
  defaultValue,
  error,
}: {
  label: string;
  name: string;
  hint?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
}) {
  const enhanced = useHydrated();
  const [lookup, setLookup] = useState<Lookup>({ state: "idle" });
  const request = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  async function load(title: string) {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    try {
      const response = await fetch(`${href("/api/similar-questions")}?${new URLSearchParams({ title })}`, {
        signal: controller.signal,
        headers: { accept: "application/json" },
      });
      if (!response.ok) throw new Error(`similar questions answered ${response.status}`);
      const body = (await response.json()) as {
        status?: string;
        questions?: SimilarQuestion[];
        pages?: SimilarPage[];
      };
      if (body.status === "ok" && Array.isArray(body.questions)) {
        setLookup({ state: "ok", questions: body.questions.slice(0, 5), pages: Array.isArray(body.pages) ? body.pages.slice(0, 3) : [], at: Date.now() });
      } else setLookup({ state: "unavailable" });
    } catch (failure) {
      if (controller.signal.aborted) return;
      // An extra, never in the way: the note says it is missing, the form works as ever.
      setLookup({ state: "unavailable" });
      if (import.meta.env.DEV) console.warn("similar questions unavailable", failure);
    }
  }

  function onInput(value: string) {
    if (timer.current) clearTimeout(timer.current);
    request.current?.abort();
    const title = normalizeTitle(value);
    if (title.length < MIN_LENGTH) {
      setLookup({ state: "idle" });
      return;
    }
    timer.current = setTimeout(() => void load(title), DEBOUNCE_MS);
  }

  useEffect(() => {
    // After a refused submit the title comes back filled in: show its similar questions again.
    const title = normalizeTitle(defaultValue ?? "");
    if (title.length >= MIN_LENGTH) timer.current = setTimeout(() => void load(title), 0);
    return () => {
      request.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [defaultValue]);

  return (
    <FieldShell label={label} hint={hint} error={error} after={enhanced ? <SimilarQuestions lookup={lookup} /> : null}>
      {(control) => <input type="text" {...control} name={name} defaultValue={defaultValue} onChange={(e) => onInput(e.currentTarget.value)} className={textControlClass(error)} />}
    </FieldShell>
  );
}

function heading(questions: number, pages: number): string {
  if (pages === 0) return "Similar questions";
  return questions === 0 ? "Wiki pages that may answer this" : "Similar questions and wiki pages";
}

/**
 * The live summary (always in the page, so screen readers hear it change) and the list, when
 * there is one: matching wiki pages first (a page may already answer the question), then the
 * similar questions.
 */
export function SimilarQuestions({ lookup }: { lookup: Lookup }) {
  const headingId = useId();
  const questions = lookup.state === "ok" ? lookup.questions : [];
  const pages = lookup.state === "ok" ? lookup.pages : [];
  const now = lookup.state === "ok" ? lookup.at : 0;
  const found = [
    pages.length > 0 ? plural(pages.length, "wiki page", "wiki pages") : null,
    questions.length > 0 ? plural(questions.length, "similar question", "similar questions") : null,
  ].filter(Boolean);
  return (
    <>
      <div role="status" aria-live="polite">
        {lookup.state === "unavailable" ? (
          <p className="mt-2 text-xs text-slate-500">Similar questions are unavailable right now.</p>
        ) : found.length > 0 ? (
          <span className="sr-only">{found.join(" and ")}</span>
        ) : null}
      </div>
      {questions.length > 0 || pages.length > 0 ? (
        <section aria-labelledby={headingId} className="mt-3 rounded-lg border border-amber-200 bg-amber-50/60 px-4 py-3">
          <h2 id={headingId} className="text-sm font-semibold text-slate-900">
            {heading(questions.length, pages.length)}
          </h2>
          <p className="mt-0.5 text-xs text-slate-600">Your question may already have an answer. They open in a new tab, so your draft stays here.</p>
          <ul className="mt-2 divide-y divide-amber-100">
            {pages.map((page) => (
              <li key={`page-${page.id}`} className="py-2">
                <span className="mr-1.5 inline-flex rounded bg-sky-100 px-1.5 py-0.5 align-middle text-xs font-medium text-sky-900">Wiki page</span>
                <a href={page.url} target="_blank" rel="noopener" className="text-sm font-medium break-words text-brand-700 hover:underline">
                  {page.title}
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
                <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
                  <span>in {page.space.name}</span>
                  <PageReviewBadge page={page} now={now} />
                </p>
              </li>
            ))}
            {questions.map((q) => (
              <li key={`question-${q.id}`} className="py-2">
                <a href={q.url} target="_blank" rel="noopener" className="text-sm font-medium break-words text-brand-700 hover:underline">
                  {q.title}
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
                <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
                  <span>in {q.space.name}</span>
                  <span aria-hidden="true">·</span>
                  <span>{plural(q.answerCount, "answer", "answers")}</span>
                  {q.status === "answered" ? (
                    <Badge tone="green" icon={<CheckIcon className="size-3.5" />}>
                      Accepted answer
                    </Badge>
                  ) : q.status === "closed" ? (
                    <Badge>Closed</Badge>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

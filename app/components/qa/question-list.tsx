import { Link } from "react-router";
import { type QuestionSort, type TopPeriod, listHref } from "#app/features/qa/list-params.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ArrowLeftIcon, ArrowRightIcon, QuestionIcon } from "#app/components/icons.tsx";
import { QuestionRow, type QuestionRowData } from "./question-row.tsx";

/** The sort tabs, the rows and the pager that every question list shares (all, a space, a tag). */

const SORT_LABELS: Record<QuestionSort, string> = { newest: "Newest", active: "Active", unanswered: "Unanswered", top: "Top" };
const PERIOD_LABELS: Record<TopPeriod, string> = { week: "Week", month: "Month", all: "All time" };
const PERIOD_PHRASE: Record<TopPeriod, string> = { week: "in the past week", month: "in the past 30 days", all: "ever" };

/** What each list holds, said once under the tabs; "unanswered" in particular needs a definition. */
export function sortDescription(sort: QuestionSort, period: TopPeriod): string {
  switch (sort) {
    case "newest":
      return "Most recently asked first.";
    case "active":
      return "Most recent activity first: a new answer, comment or edit brings a question back up.";
    case "unanswered":
      return "Questions that have no answers yet, newest first.";
    case "top":
      return `Highest score among questions asked ${PERIOD_PHRASE[period]}.`;
  }
}

export type ListState = { sort: QuestionSort; period: TopPeriod; tag?: string | undefined };

const tabClass = (current: boolean) =>
  `inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
    current ? "bg-brand-50 text-brand-800 ring-1 ring-brand-200 ring-inset" : "text-slate-700 hover:bg-slate-100"
  }`;

/** Sorts as plain links (they work without JavaScript and keep the URL shareable); the current one has aria-current. */
export function SortTabs({ base, state, label = "Sort questions" }: { base: string; state: ListState; label?: string }) {
  return (
    <div className="mb-4 space-y-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <nav aria-label={label}>
          <ul className="flex flex-wrap gap-1">
            {(Object.keys(SORT_LABELS) as QuestionSort[]).map((sort) => (
              <li key={sort}>
                <Link to={listHref(base, { sort, period: state.period, tag: state.tag })} aria-current={sort === state.sort ? "page" : undefined} className={tabClass(sort === state.sort)}>
                  {SORT_LABELS[sort]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {state.sort === "top" ? (
          <nav aria-label="Period">
            <ul className="flex flex-wrap gap-1">
              {(Object.keys(PERIOD_LABELS) as TopPeriod[]).map((period) => (
                <li key={period}>
                  <Link
                    to={listHref(base, { sort: "top", period, tag: state.tag })}
                    aria-current={period === state.period ? "page" : undefined}
                    className={tabClass(period === state.period)}
                  >
                    {PERIOD_LABELS[period]}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">{sortDescription(state.sort, state.period)}</p>
    </div>
  );
}

const pagerLink = "inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";
const pagerOff = "inline-flex items-center gap-1.5 rounded-md border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-400";

function Pager({ base, state, prev, next }: { base: string; state: ListState; prev: string | null; next: string | null }) {
  if (!prev && !next) return null;
  return (
    <nav aria-label="Pages" className="flex justify-end gap-2 py-3">
      {prev ? (
        <Link to={listHref(base, { ...state, cursor: prev })} rel="prev" className={pagerLink}>
          <ArrowLeftIcon />
          Previous
        </Link>
      ) : (
        <span className={pagerOff} aria-disabled="true">
          <ArrowLeftIcon />
          Previous
        </span>
      )}
      {next ? (
        <Link to={listHref(base, { ...state, cursor: next })} rel="next" className={pagerLink}>
          Next
          <ArrowRightIcon />
        </Link>
      ) : (
        <span className={pagerOff} aria-disabled="true">
          Next
          <ArrowRightIcon />
        </span>
      )}
    </nav>
  );
}

/**
 * A page of questions with its pager, or the empty state that fits the list. `askAction` is the
 * "Ask a question" button the empty state offers.
 */
export function QuestionList({
  base,
  state,
  page,
  now,
  paged,
  showSpace = true,
  headingLevel = 2,
  askAction,
}: {
  base: string;
  state: ListState;
  page: { rows: QuestionRowData[]; prev: string | null; next: string | null };
  now: number;
  /** True when this page was reached through a cursor (an empty one means "nothing further"). */
  paged: boolean;
  showSpace?: boolean;
  headingLevel?: 2 | 3;
  askAction?: React.ReactNode;
}) {
  if (page.rows.length === 0) {
    if (paged) {
      return (
        <EmptyState title="No more questions here">
          <Link to={listHref(base, state)} className="font-medium text-brand-700 hover:underline">
            Back to the first page
          </Link>
        </EmptyState>
      );
    }
    if (state.sort === "unanswered") return <EmptyState icon={<QuestionIcon className="size-5" />} title="No unanswered questions: nice work" />;
    if (state.sort === "top" && state.period !== "all") {
      return (
        <EmptyState icon={<QuestionIcon className="size-5" />} title={`No questions asked ${PERIOD_PHRASE[state.period]}`}>
          <Link to={listHref(base, { sort: "top", period: "all", tag: state.tag })} className="font-medium text-brand-700 hover:underline">
            See the top questions of all time
          </Link>
        </EmptyState>
      );
    }
    return (
      <EmptyState icon={<QuestionIcon className="size-5" />} title="No questions yet: ask the first one" action={askAction}>
        {state.tag ? `Nothing you can see is tagged “${state.tag}” yet.` : undefined}
      </EmptyState>
    );
  }
  return (
    <>
      <Card>
        <ul className="divide-y divide-slate-100">
          {page.rows.map((q) => (
            <li key={q.id}>
              <QuestionRow question={q} now={now} showSpace={showSpace} showActivity={state.sort === "active"} headingLevel={headingLevel} />
            </li>
          ))}
        </ul>
      </Card>
      <Pager base={base} state={state} prev={page.prev} next={page.next} />
    </>
  );
}

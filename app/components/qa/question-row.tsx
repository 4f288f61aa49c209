import { Link, href } from "react-router";
import type { QuestionRow as QuestionRowFields } from "#app/features/qa/list-params.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { plural } from "#app/lib/plural.ts";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { CheckIcon } from "#app/components/icons.tsx";
import { TagList } from "#app/components/content/tag-list.tsx";

/** What a list row needs of a question (loader data: dates arrive as strings after serialization). */
export type QuestionRowData = QuestionRowFields<Date | string>;

/** "3 answers, one accepted": the icon and colour repeat what the words say. */
function AnswerStat({ count, accepted }: { count: number; accepted: boolean }) {
  const base = "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5";
  if (accepted) {
    return (
      <span className={`${base} bg-emerald-700 font-semibold text-white`} title="Has an accepted answer">
        <CheckIcon className="size-3.5" />
        {plural(count, "answer", "answers")}
        <span className="sr-only">, one accepted</span>
      </span>
    );
  }
  return <span className={`${base} ${count > 0 ? "text-emerald-800 ring-1 ring-emerald-700 ring-inset" : "text-slate-600"}`}>{plural(count, "answer", "answers")}</span>;
}

/**
 * One question in a list: score, answers (the accepted ones marked), views, the linked title,
 * tags, author, space and when it was asked (or, in the "active" list, last active).
 */
export function QuestionRow({
  question: q,
  now,
  showSpace = true,
  showActivity = false,
  headingLevel = 2,
}: {
  question: QuestionRowData;
  now: number;
  showSpace?: boolean;
  showActivity?: boolean;
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:gap-5">
      <ul className="flex shrink-0 gap-3 text-xs text-slate-600 sm:w-28 sm:flex-col sm:items-end sm:gap-1.5" aria-label="Statistics">
        <li className="px-1.5 py-0.5 font-medium text-slate-800">{plural(q.score, "vote", "votes")}</li>
        <li>
          <AnswerStat count={q.answerCount} accepted={q.accepted} />
        </li>
        <li className="px-1.5 py-0.5">{plural(q.viewCount, "view", "views")}</li>
      </ul>
      <div className="min-w-0 flex-1">
        <H className="text-base font-semibold text-slate-900">
          <Link to={questionUrl(q)} className="break-words hover:text-brand-700 hover:underline">
            {q.title}
          </Link>
          {q.closed ? <span className="ml-2 text-sm font-normal text-slate-500">[closed]</span> : null}
        </H>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
          <TagList tags={q.tags} />
          <p className="text-xs text-slate-600">
            <Link to={href("/people/:userId", { userId: String(q.author.id) })} className="font-medium text-brand-700 hover:underline">
              {q.author.name}
            </Link>
            {showSpace ? (
              <>
                {" in "}
                <Link to={href("/spaces/:slug", { slug: q.space.slug })} className="font-medium text-slate-700 hover:underline">
                  {q.space.name}
                </Link>
              </>
            ) : null}{" "}
            {showActivity ? <RelativeTime date={q.lastActivityAt} now={now} prefix="active" /> : <RelativeTime date={q.createdAt} now={now} prefix="asked" />}
          </p>
        </div>
      </div>
    </article>
  );
}

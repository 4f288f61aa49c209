import { Link, href } from "react-router";
import type { ReputationProfile } from "#app/features/reputation/profile.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TagChip } from "#app/components/content/tag-list.tsx";
import { StatusBadge } from "#app/components/ideas/status-badge.tsx";
import type { IdeaStatus } from "#app/features/ideas/schemas.ts";

/** The reputation parts of a profile: privileges, top tags, questions and answers, recent events. */

const linkClass = "font-medium text-slate-900 hover:text-brand-700 hover:underline";

function Score({ value, label }: { value: number; label: string }) {
  return (
    <span className="inline-flex min-w-10 justify-center rounded-md bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-700 tabular-nums" title={label}>
      {value}
      <span className="sr-only"> {label}</span>
    </span>
  );
}

export function PrivilegeList({ progress, isSelf }: { progress: ReputationProfile["progress"]; isSelf: boolean }) {
  return (
    <div>
      <ul className="space-y-1.5 text-sm">
        {progress.privileges.map((p) => (
          <li key={p.key} className="flex items-center justify-between gap-3">
            <span className={p.earned ? "text-slate-900" : "text-slate-600"}>
              {p.earned ? <CheckCircleIcon className="mr-1.5 inline size-4 text-emerald-700" /> : null}
              {p.label}
              <span className="sr-only">{p.earned ? " (held)" : " (not yet)"}</span>
            </span>
            <span className="text-xs text-slate-600 tabular-nums">{p.threshold.toLocaleString("en")}</span>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm text-slate-700">
        {progress.next
          ? `${isSelf ? "You unlock" : "Unlocks"} “${progress.next.label}” at ${progress.next.threshold.toLocaleString("en")}: ${progress.next.remaining.toLocaleString("en")} to go.`
          : `${isSelf ? "You hold" : "Holds"} every privilege.`}
      </p>
    </div>
  );
}

export function TopTags({ tags }: { tags: ReputationProfile["topTags"] }) {
  if (tags.length === 0) return <p className="text-sm text-slate-600">No reputation in any tag yet.</p>;
  return (
    <ul className="space-y-2">
      {tags.map((t) => (
        <li key={t.name} className="flex items-center justify-between gap-3">
          <TagChip name={t.name} />
          <span className="text-sm text-slate-700 tabular-nums">{t.score.toLocaleString("en")}</span>
        </li>
      ))}
    </ul>
  );
}

export function PostList({ kind, profile, now }: { kind: "questions" | "answers"; profile: Pick<ReputationProfile, "questions" | "answers">; now: number }) {
  const items =
    kind === "questions"
      ? profile.questions.map((q) => ({ key: q.id, to: questionUrl(q), title: q.title, score: q.score, accepted: q.accepted, createdAt: q.createdAt }))
      : profile.answers.map((a) => ({
          key: a.id,
          to: questionUrl({ id: a.questionId, title: a.title }, `answer-${a.id}`),
          title: a.title,
          score: a.score,
          accepted: a.accepted,
          createdAt: a.createdAt,
        }));
  if (items.length === 0) return <p className="text-sm text-slate-600">{kind === "questions" ? "No questions yet." : "No answers yet."}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {items.map((item) => (
        <li key={item.key} className="flex items-center gap-3 py-2 text-sm">
          <Score value={item.score} label={Math.abs(item.score) === 1 ? "vote" : "votes"} />
          <Link to={item.to} className={`min-w-0 flex-1 truncate ${linkClass}`}>
            {item.title}
          </Link>
          {item.accepted ? (
            <span className="inline-flex items-center gap-1 text-xs text-emerald-800">
              <CheckCircleIcon className="size-3.5" />
              {kind === "questions" ? "Solved" : "Accepted"}
            </span>
          ) : null}
          <span className="shrink-0 text-xs text-slate-600">
            <RelativeTime date={item.createdAt} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function EventList({ events, now }: { events: ReputationProfile["events"]; now: number }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No reputation events yet.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {events.map((e) => (
        <li key={e.id} className="flex items-center gap-3 py-2 text-sm">
          <span className={`w-12 shrink-0 text-right font-semibold tabular-nums ${e.delta > 0 ? "text-emerald-800" : e.delta < 0 ? "text-red-700" : "text-slate-600"}`}>
            {e.delta > 0 ? "+" : ""}
            {e.delta}
          </span>
          <span className="min-w-0 flex-1">
            <span className="text-slate-700">{e.label}</span>
            {e.link ? (
              <>
                {": "}
                <Link to={e.link.to} className={linkClass}>
                  {e.link.title}
                </Link>
              </>
            ) : null}
          </span>
          <span className="shrink-0 text-xs text-slate-600">
            <RelativeTime date={e.createdAt} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export type OwnedIdeas = { ideas: Array<{ id: number; title: string; status: IdeaStatus; voteCount: number; campaignTitle: string }>; total: number; implemented: number };

/** The ideas a person owns, implemented first: the company's credit for them. */
export function IdeaList({ owned, firstName }: { owned: OwnedIdeas; firstName: string }) {
  if (owned.total === 0) return <p className="text-sm text-slate-600">{firstName} has no ideas in campaigns you can see yet.</p>;
  return (
    <>
      {owned.implemented > 0 ? (
        <p className="mb-2 text-sm font-medium text-emerald-800">
          {owned.implemented === 1 ? "1 idea implemented" : `${owned.implemented} ideas implemented`}: credited to {firstName}.
        </p>
      ) : null}
      <ul className="divide-y divide-slate-100">
        {owned.ideas.map((idea) => (
          <li key={idea.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
            <StatusBadge status={idea.status} />
            <Link to={href("/ideas/:ideaId", { ideaId: String(idea.id) })} className={linkClass}>
              {idea.title}
            </Link>
            <span className="text-xs text-slate-500">
              {idea.campaignTitle} · {idea.voteCount === 1 ? "1 vote" : `${idea.voteCount} votes`}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

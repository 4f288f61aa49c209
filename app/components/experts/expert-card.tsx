import { Link, href } from "react-router";
import type { Availability, ExpertCard as Expert } from "#app/features/expertise/directory.server.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge } from "#app/components/badge.tsx";
import { buttonClass } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { askPersonHref } from "#app/components/routing/asking-person.tsx";
import { expertsHref } from "#app/features/expertise/directory-params.ts";

/** Whether the person takes questions now: always in words, never colour alone. */
export function AvailabilityBadge({ availability, awayUntil }: { availability: Availability; awayUntil: string | null }) {
  if (availability === "open") return <Badge tone="green">Open to questions</Badge>;
  if (availability === "away") return <Badge tone="amber">{awayUntil ? `Away until ${absoluteDate(awayUntil)}` : "Away"}</Badge>;
  return <Badge>Not taking questions</Badge>;
}

/**
 * One person on the experts page: who they are, whether they take questions, their top topics
 * (each a link to that topic's experts) and a line of evidence; their profile and "Ask a
 * question". `pick` adds HR's shortlist checkbox (inside the page's export form).
 */
export function ExpertCard({ expert, self, pick }: { expert: Expert; self: boolean; pick: boolean }) {
  const headingId = `expert-${expert.id}`;
  const place = [expert.department, expert.location].filter(Boolean).join(" · ");
  return (
    <Card as="article" aria-labelledby={headingId} className="flex h-full flex-col gap-3 p-4">
      <div className="flex items-start gap-3">
        <Avatar name={expert.name} size="md" />
        <div className="min-w-0 flex-1">
          <h3 id={headingId} className="text-sm font-semibold text-slate-900">
            <Link to={href("/people/:userId", { userId: String(expert.id) })} className="hover:text-brand-700 hover:underline">
              {expert.name}
            </Link>
          </h3>
          {expert.title ? <p className="text-xs text-slate-600">{expert.title}</p> : null}
          {place ? <p className="text-xs text-slate-600">{place}</p> : null}
        </div>
        {pick ? (
          <label className="flex shrink-0 items-center gap-1.5 text-xs font-medium text-slate-700">
            <input type="checkbox" name="id" value={expert.id} className="size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500" />
            Shortlist<span className="sr-only"> {expert.name}</span>
          </label>
        ) : null}
      </div>
      <div>
        <AvailabilityBadge availability={expert.availability} awayUntil={expert.awayUntil} />
      </div>
      {expert.topics.length > 0 ? (
        <div>
          <p className="sr-only">Top topics:</p>
          <ul className="flex flex-wrap gap-1.5" aria-label={`Top topics of ${expert.name}`}>
            {expert.topics.map((topic) => (
              <li key={topic}>
                <Link
                  to={expertsHref({ topics: [topic] })}
                  className="inline-flex rounded-md bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-800 ring-1 ring-brand-100 ring-inset hover:bg-brand-100"
                >
                  {topic}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="text-sm text-slate-700">{expert.evidence ?? <span className="text-slate-500">No evidence you can see yet.</span>}</p>
      <div className="mt-auto flex flex-wrap gap-2 pt-1">
        <Link to={href("/people/:userId", { userId: String(expert.id) })} className={buttonClass("secondary", "sm")}>
          Profile<span className="sr-only"> of {expert.name}</span>
        </Link>
        {self ? null : (
          <Link to={askPersonHref(expert.id)} className={buttonClass("primary", "sm")}>
            Ask a question<span className="sr-only"> of {expert.name}</span>
          </Link>
        )}
      </div>
    </Card>
  );
}

import { Link, href } from "react-router";
import { Badge, type BadgeTone } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { suggestionUrl } from "#app/features/wiki/governance-schemas.ts";

export type SuggestionStatus = "open" | "changes_requested" | "approved" | "declined" | "withdrawn";

const STATUS: Record<SuggestionStatus, { label: string; tone: BadgeTone }> = {
  open: { label: "Open", tone: "brand" },
  changes_requested: { label: "Changes requested", tone: "amber" },
  approved: { label: "Approved", tone: "green" },
  declined: { label: "Declined", tone: "red" },
  withdrawn: { label: "Withdrawn", tone: "neutral" },
};

/** A suggestion's status as a labelled badge (the text carries the meaning). */
export function SuggestionStatusBadge({ status }: { status: SuggestionStatus }) {
  const { label, tone } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

/** "today", "1 day", "12 days": how long a suggestion has waited. */
export function ageLabel(days: number): string {
  if (days <= 0) return "today";
  return days === 1 ? "1 day" : `${days.toLocaleString("en")} days`;
}

export type SuggestionRowData = {
  id: number;
  status: SuggestionStatus;
  comment: string;
  createdAt: Date | string;
  ageDays: number;
  page: { id: number; title: string; url: string };
  author: { id: number; name: string };
};

/**
 * Suggested edits in a list: the page (when `showPage`), who suggested it and why, its status and
 * how long it has waited. The comment is the suggester's plain text.
 */
export function SuggestionList({ items, showPage, now, label }: { items: SuggestionRowData[]; showPage: boolean; now: number; label: string }) {
  return (
    <Card>
      <ul aria-label={label} className="divide-y divide-slate-100">
        {items.map((s) => (
          <li key={s.id} className="flex flex-wrap items-start justify-between gap-3 px-5 py-4">
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2">
                <Link to={suggestionUrl(s.page.id, s.id)} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                  {showPage ? s.page.title : `Suggestion by ${s.author.name}`}
                </Link>
                <SuggestionStatusBadge status={s.status} />
              </p>
              <p className="mt-1 text-sm break-words text-slate-700">{s.comment}</p>
              <p className="mt-1 text-xs text-slate-500">
                {showPage ? (
                  <>
                    <Link to={href("/people/:userId", { userId: String(s.author.id) })} className="hover:underline">
                      {s.author.name}
                    </Link>{" "}
                    ·{" "}
                  </>
                ) : null}
                <RelativeTime date={s.createdAt} now={now} prefix="Suggested" />
              </p>
            </div>
            {s.status === "open" || s.status === "changes_requested" ? (
              <p className="shrink-0 text-sm text-slate-600">{s.ageDays <= 0 ? "New today" : `Waiting ${ageLabel(s.ageDays)}`}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}

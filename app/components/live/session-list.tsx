import { Link, href } from "react-router";
import type { DeskTab } from "#app/components/forum-desk/desk-nav.tsx";
import type { LiveStatus } from "#app/features/live/state.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { Badge } from "#app/components/badge.tsx";
import { LiveStatusBadge } from "./live-questions.tsx";

/** The desk's tabs only moderators use: a plain reader of a session has no use for them. */
export const DESK_STAFF_TABS: readonly DeskTab[] = ["moderation", "escalations", "dashboard", "responders"];

export type SessionRow = {
  id: number;
  title: string;
  topic: string;
  audience: "forum" | "internal";
  spaceName: string | null;
  startsAt: Date | string;
  endsAt: Date | string;
  status: LiveStatus;
  experts: string[];
};

/** A list of sessions: title, when (UTC), where, who answers, status. */
export function SessionList({ sessions, label }: { sessions: SessionRow[]; label: string }) {
  return (
    <ul aria-label={label} className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
      {sessions.map((s) => (
        <li key={s.id} className="flex flex-wrap items-start justify-between gap-3 px-5 py-4">
          <div className="min-w-0">
            <Link to={href("/sessions/:sessionId", { sessionId: String(s.id) })} className="font-medium text-slate-900 hover:text-brand-700">
              {s.title}
            </Link>
            <p className="mt-1 text-sm text-slate-600">
              {absoluteTime(s.startsAt)} · {s.topic} · {s.audience === "forum" ? "public forum" : (s.spaceName ?? "internal")}
            </p>
            {s.experts.length > 0 ? <p className="mt-1 text-sm text-slate-600">With {s.experts.join(", ")}</p> : null}
          </div>
          <div className="flex gap-2">
            {s.audience === "forum" ? <Badge tone="brand">Forum</Badge> : <Badge tone="neutral">Internal</Badge>}
            <LiveStatusBadge status={s.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}

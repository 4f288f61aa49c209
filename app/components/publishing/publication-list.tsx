import { Link, href } from "react-router";
import type { PublicationSummary, PublicationTab } from "#app/features/publishing/publishing.server.ts";
import { Card } from "#app/components/card.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { PublicationStatusBadge } from "./status-badge.tsx";

export const TABS: { tab: PublicationTab; label: string; empty: { title: string; text: string } }[] = [
  {
    tab: "mine",
    label: "Mine",
    empty: { title: "You have proposed nothing yet", text: "On a question's page, “Propose for the public forum” makes a draft that the scan, its authors and two reviewers go through." },
  },
  {
    tab: "review",
    label: "To review",
    empty: { title: "Nothing to review", text: "Drafts that you may approve, as a moderator of their space or an SME of their topic, show up here." },
  },
  {
    tab: "consent",
    label: "Asked of me",
    empty: { title: "No one is waiting for you", text: "When a draft would publish something you wrote, you are asked here how you'd like to appear." },
  },
  {
    tab: "published",
    label: "Published",
    empty: { title: "Nothing is on the public forum yet", text: "Published questions from the spaces you can see are listed here, with their forum links." },
  },
];

export function tabOf(value: string | null): PublicationTab {
  return TABS.find((t) => t.tab === value)?.tab ?? "mine";
}

function tabClass(isActive: boolean) {
  return `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

/** Mine / To review / Asked of me / Published, as links (`?tab=`), so each is its own URL. */
export function PublicationTabs({ current }: { current: PublicationTab }) {
  const base = href("/publications");
  return (
    <nav aria-label="Publications" className="mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-x-6">
        {TABS.map(({ tab, label }) => (
          <li key={tab}>
            <Link to={tab === "mine" ? base : `${base}?tab=${tab}`} className={tabClass(tab === current)} aria-current={tab === current ? "page" : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function PublicationRow({ row, now }: { row: PublicationSummary; now: number }) {
  const to = href("/publications/:publicationId", { publicationId: String(row.id) });
  return (
    <Card as="li" className="p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="min-w-0 text-base font-semibold text-slate-900">
          <Link to={to} className="hover:text-brand-700 hover:underline">
            {row.title}
          </Link>
        </h2>
        <PublicationStatusBadge status={row.status} />
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600">
        <span>{row.spaceName}</span>
        <span>Proposed by {row.proposerName}</span>
        {row.publishedAt ? <RelativeTime date={row.publishedAt} now={now} prefix="Published" /> : <RelativeTime date={row.updatedAt} now={now} prefix="Changed" />}
        {row.threadUrl ? (
          <a href={row.threadUrl} className="font-medium text-brand-700 hover:underline">
            On the public forum
          </a>
        ) : null}
      </p>
      {row.blockers.length > 0 ? (
        <div className="mt-2 text-sm text-amber-900">
          <p className="sr-only">Waiting for:</p>
          <ul className="list-inside list-disc">
            {row.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}

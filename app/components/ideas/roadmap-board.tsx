import { Link } from "react-router";
import type { RoadmapColumn } from "#app/features/ideas/reports.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { STATUS_LABELS } from "#app/features/ideas/schemas.ts";
import { plural } from "#app/lib/plural.ts";
import { StatusBadge } from "./status-badge.tsx";

/**
 * The roadmap: one section per status, each with a heading that gives its count and its ideas as
 * a list, highest-voted first. Columns stack on small screens and wrap three to a row on wide
 * ones (six side by side would leave each too narrow to read a title).
 */
export function RoadmapBoard({ campaignId, columns }: { campaignId: number; columns: RoadmapColumn[] }) {
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      {columns.map((column) => (
        <RoadmapColumnSection key={column.status} campaignId={campaignId} column={column} />
      ))}
    </div>
  );
}

function RoadmapColumnSection({ campaignId, column }: { campaignId: number; column: RoadmapColumn }) {
  const { status, total, ideas } = column;
  const headingId = `roadmap-${status}`;
  const label = STATUS_LABELS[status];
  const more = total - ideas.length;
  // The campaign page's list of this status, most-voted first: where the cards left off continue.
  const moreHref = `${campaignUrl({ id: campaignId })}?${new URLSearchParams({ status, sort: "top" })}`;
  return (
    <section aria-labelledby={headingId} className="flex flex-col rounded-xl border border-slate-200 bg-slate-100/70 p-3">
      <h2 id={headingId} className="mb-3 flex items-center justify-between gap-2 px-1 text-sm font-semibold text-slate-900">
        <StatusBadge status={status} />
        <span className="rounded-full bg-white px-2 py-0.5 text-xs font-semibold text-slate-700 tabular-nums ring-1 ring-slate-200 ring-inset">
          <span className="sr-only">: </span>
          {plural(total, "idea", "ideas")}
        </span>
      </h2>
      {ideas.length === 0 ? (
        <p className="px-1 pb-2 text-sm text-slate-500">No ideas with this status.</p>
      ) : (
        <ul className="space-y-2">
          {ideas.map((idea) => (
            <li key={idea.id} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
              <Link to={ideaUrl(idea)} className="block text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
                {idea.title}
              </Link>
              <p className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
                <span className="font-semibold text-slate-800 tabular-nums">{plural(idea.voteCount, "vote", "votes")}</span>
                {idea.category ? (
                  <span>
                    <span className="sr-only">Category: </span>
                    {idea.category}
                  </span>
                ) : null}
              </p>
              {idea.owners.length > 0 ? (
                <p className="mt-1 truncate text-xs text-slate-500" title={idea.owners.join(", ")}>
                  <span className="sr-only">{idea.owners.length === 1 ? "Owner: " : "Owners: "}</span>
                  {idea.owners.join(", ")}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {more > 0 ? (
        <p className="mt-3 px-1 text-sm">
          <Link to={moreHref} className="font-medium text-brand-700 hover:underline">
            and {more.toLocaleString("en")} more<span className="sr-only"> {label.toLowerCase()} ideas</span>
          </Link>
        </p>
      ) : null}
    </section>
  );
}

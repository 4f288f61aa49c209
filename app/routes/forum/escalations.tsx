import { Link, href } from "react-router";
import type { Route } from "./+types/escalations";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { escalationList } from "#app/features/escalations/escalations.server.ts";
import { type EscalationFilter, PAGE_SIZE, filterOf } from "#app/features/escalations/schemas.ts";
import { pageParam } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { EscalationStatusBadge, SeverityBadge, SlaTimer, ruleLabel } from "#app/components/forum-desk/escalation-parts.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Escalations · Forum desk · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const desk = actor.role === "moderator" || actor.role === "admin";
  const filter = filterOf(url.searchParams.get("filter"), desk ? "open" : "mine");
  const page = pageParam(url);
  const list = await escalationList(context.db, actor, { filter, page });
  return { ...list, filter, page, now: Date.now(), hr: actor.role === "hr" };
}

const FILTERS: Array<{ filter: EscalationFilter; label: string; empty: string }> = [
  { filter: "open", label: "Open", empty: "No escalation is waiting for someone to take it." },
  { filter: "investigating", label: "Investigating", empty: "Nobody is investigating an escalation right now." },
  { filter: "resolved", label: "Resolved", empty: "No escalation has been resolved yet." },
  { filter: "dismissed", label: "Dismissed", empty: "No escalation has been dismissed as a false alarm." },
  { filter: "mine", label: "Assigned to me", empty: "No open escalation is assigned to you." },
];

export default function Escalations({ loaderData }: Route.ComponentProps) {
  const { rows, counts, total, filter, page, now, desk, hr } = loaderData;
  const base = href("/forum/escalations");
  const current = FILTERS.find((f) => f.filter === filter)!;
  return (
    <div className="mx-auto max-w-6xl">
      <ForumDeskNav hide={desk ? [] : hr ? ["moderation", "responders"] : ["moderation", "dashboard", "responders"]} />
      <PageHeader
        title="Escalations"
        description="Customer questions on the public forum that the escalation rules found hot: many customers saying “me too”, urgent terms, a strongly negative tone, or a spike in a topic. Each has a severity and a deadline for a first response."
      />
      <nav aria-label="Filter escalations" className="mb-4">
        <ul className="flex flex-wrap gap-2">
          {FILTERS.map((f) => (
            <li key={f.filter}>
              <Link
                to={`${base}?filter=${f.filter}`}
                aria-current={f.filter === filter ? "page" : undefined}
                className={`inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${
                  f.filter === filter ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
                }`}
              >
                {f.label} <span className="tabular-nums">({counts[f.filter]})</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <EmptyState title={`${current.label}: nothing here`}>{current.empty}</EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Escalations: {current.label.toLowerCase()}</caption>
            <TableHead columns={["Severity", "Customer question", "Rules fired", "Assignee", "First response", "Age"]} />
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-5 py-3 align-top">
                    <SeverityBadge severity={row.severity} />
                  </td>
                  <td className="px-5 py-3 align-top">
                    <Link to={href("/forum/escalations/:escalationId", { escalationId: String(row.id) })} className="font-medium text-brand-700 hover:underline">
                      {row.title}
                    </Link>
                    {row.status !== filter ? (
                      <span className="ml-2">
                        <EscalationStatusBadge status={row.status} />
                      </span>
                    ) : null}
                  </td>
                  <td className="px-5 py-3 align-top text-slate-700">{row.rules.map(ruleLabel).join(", ")}</td>
                  <td className="px-5 py-3 align-top text-slate-700">{row.assignee ? row.assignee.name : <span className="text-slate-500">Nobody yet</span>}</td>
                  <td className="px-5 py-3 align-top whitespace-nowrap">
                    <SlaTimer dueAt={row.dueAt} firstResponseAt={row.firstResponseAt} closed={row.status === "resolved" || row.status === "dismissed"} now={now} />
                  </td>
                  <td className="px-5 py-3 align-top whitespace-nowrap text-slate-600">
                    <RelativeTime date={row.createdAt} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <Pagination offset={(page - 1) * PAGE_SIZE} pageSize={PAGE_SIZE} total={total} shown={rows.length} pageHref={(n) => `${base}?filter=${filter}&page=${n}`} label="Escalation pages" />
    </div>
  );
}

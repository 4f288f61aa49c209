import { Link, href } from "react-router";
import type { Route } from "./+types/dashboard";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { forumDashboard } from "#app/features/escalations/dashboard.server.ts";
import { WINDOWS, windowOf } from "#app/features/escalations/schemas.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { DeflectionTable, OpenEscalationsTable, ResponseTable, VolumeTable } from "#app/components/forum-desk/dashboard-tables.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Dashboard · Forum desk · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const figures = await forumDashboard(context.db, actor, windowOf(new URL(request.url).searchParams.get("window")));
  return { ...figures, hr: actor.role === "hr" };
}

export default function ForumDashboard({ loaderData }: Route.ComponentProps) {
  const d = loaderData;
  const base = href("/forum/dashboard");
  return (
    <div className="mx-auto max-w-6xl">
      <ForumDeskNav hide={d.hr ? ["moderation", "responders"] : []} />
      <PageHeader
        title="Forum dashboard"
        description="How the public forum is doing: hot issues, how fast customers hear back, what they ask about, and how often a solved thread answers them first."
      />
      <nav aria-label="Period" className="mb-6">
        <ul className="flex gap-2">
          {WINDOWS.map((w) => (
            <li key={w}>
              <Link
                to={`${base}?window=${w}`}
                aria-current={w === d.window ? "page" : undefined}
                className={`inline-flex rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${w === d.window ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
              >
                Last {w} days
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="space-y-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <OpenEscalationsTable bySeverity={d.bySeverity} openTotal={d.openTotal} overdueTotal={d.overdueTotal} />
          <ResponseTable window={d.window} questions={d.questionResponse} escalations={d.escalationResponse} />
        </div>
        {d.volumes.length === 0 ? (
          <EmptyState title="No customer questions in the last 8 weeks">Per-topic volume appears here once customers ask on the forum.</EmptyState>
        ) : (
          <VolumeTable weeks={d.weeks} volumes={d.volumes} spikeZ={d.spikeZ} spikeMin={d.spikeMin} />
        )}
        {d.deflection.length === 0 ? (
          <EmptyState title={`No views or questions in the last ${d.window} days`}>Deflection appears here once customers read solved threads or ask.</EmptyState>
        ) : (
          <DeflectionTable window={d.window} rows={d.deflection} />
        )}
      </div>
    </div>
  );
}

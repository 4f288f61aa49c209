import { data, href, redirect } from "react-router";
import type { Route } from "./+types/people";
import { requireRole } from "#app/features/auth/session.server.ts";
import { peopleDashboard } from "#app/features/analytics/dashboard.server.ts";
import { startPeopleAnalytics } from "#app/features/analytics/job.server.ts";
import { DASHBOARD_WEEKS, weeksParam } from "#app/features/analytics/params.ts";
import { RecomputeSchema } from "#app/features/analytics/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PeriodNav } from "#app/components/period-nav.tsx";
import { PeopleDashboardSections } from "#app/components/analytics/people-dashboard.tsx";
import { RunPanel } from "#app/components/analytics/run-panel.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "People analytics · Commons" }];
}

/** HR and admins only: anyone else gets the 404 of a page that isn't there, as /hr/recognition answers. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  const url = new URL(request.url);
  const dashboard = await peopleDashboard(context.db, actor, weeksParam(url.searchParams.get("weeks")));
  return { ...dashboard, started: url.searchParams.get("started") === "1" };
}

/** "Recompute now": claims a run and returns at once; the run goes on in the background (a worker thread). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  const parsed = parseForm(RecomputeSchema, await readForm(request));
  const result = parsed.ok
    ? await attempt(parsed.values, () =>
        startPeopleAnalytics(context.db, actor, {
          windowDays: parsed.data.windowDays,
          onError: (error) => context.log.warn({ err: error }, "people analytics: the run HR started failed (the run records why)"),
        }),
      )
    : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`${href("/hr/people")}?started=1`);
}

export default function PeopleAnalytics({ loaderData: d, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title="People analytics"
        description={`How people take part and work together, to listen, acknowledge and engage. Groups are at least ${d.groupMin} people; nothing here measures time spent or presence, and nothing judges anyone's mood.`}
        actions={
          <ButtonLink to={href("/hr/recognition")} variant="secondary">
            Recognition insights
          </ButtonLink>
        }
      />
      <PeriodNav periods={DASHBOARD_WEEKS} current={d.weeks} to={(w) => `${href("/hr/people")}?weeks=${w}`} label={(w) => <>Last {w} weeks</>} />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        Counts of people, weeks in UTC. Departments and topics with fewer than {d.groupMin} people are counted together as “Other”. Questions in every space are counted, but a topic is named
        only where you can see it, and no question is ever listed. Opening a person’s roles is recorded, and they see who looked.
      </p>
      <div className="space-y-6">
        <RunPanel runs={d.runs} failed={failed} notice={d.started ? "The run has started. Its results show here when it is done (usually within a minute)." : null} />
        <PeopleDashboardSections dashboard={d} />
      </div>
    </>
  );
}

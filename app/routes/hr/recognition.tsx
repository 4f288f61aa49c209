import { href } from "react-router";
import type { Route } from "./+types/recognition";
import { requireRole } from "#app/features/auth/session.server.ts";
import { INSIGHT_WINDOWS, PAIR_MIN_GIVEN, PAIR_MIN_SHARE, monthsParam } from "#app/features/recognition/insight-params.ts";
import { recognitionInsights } from "#app/features/recognition/insights.server.ts";
import { plural } from "#app/lib/plural.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PeriodNav } from "#app/components/period-nav.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { OverTimeChart, TeamsChart, ValuesChart } from "#app/components/recognition/insights-charts.tsx";
import { FlowMatrix, InsightSection, OverTimeTable, PairsTable, TeamsTable, ValuesTable } from "#app/components/recognition/insights-tables.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Recognition insights · Commons" }];
}

/** HR and admins only: anyone else gets the 404 of a page that isn't there, as admin pages answer. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  const months = monthsParam(new URL(request.url).searchParams.get("months"));
  return recognitionInsights(context.db, actor, months);
}

export default function RecognitionInsights({ loaderData: i }: Route.ComponentProps) {
  const busiest = i.overTime.reduce((top, m) => (m.kudos > top.kudos ? m : top), i.overTime[0]!);
  const topValue = i.byValue[0];
  const least = i.teams[0];
  return (
    <>
      <PageHeader
        title="Recognition insights"
        description={`How recognition moves through the company, to find the teams and departments it passes by. Everything here is counted in groups of at least ${i.groupMin} people, and no one is named.`}
        actions={
          // HR's other dashboard (issue 18): participation, topics and the roles of the people analytics.
          <ButtonLink to={href("/hr/people")} variant="secondary">
            People analytics
          </ButtonLink>
        }
      />
      <RecognitionTabs />
      <PeriodNav periods={INSIGHT_WINDOWS} current={i.months} to={(m) => `${href("/hr/recognition")}?months=${m}`} label={(m) => <>Last {m} months</>} />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        Private kudos are counted as numbers; their messages never appear here. Withdrawn kudos are not counted. Departments and teams with fewer than {i.groupMin} people are counted
        together as “Other”, and when that leaves “Other” with fewer than {i.groupMin} people, the next smallest join it. Months are calendar months in UTC.
      </p>
      {i.totals.kudos === 0 ? (
        <EmptyState title={`No kudos in the last ${i.months} months`}>When people thank each other, how recognition moves through the company shows here.</EmptyState>
      ) : (
        <div className="space-y-6">
          <InsightSection
            table="over-time"
            months={i.months}
            title="Kudos over time"
            description="Kudos given each month (bars) and the points they carried (line)."
            chart={<OverTimeChart months={i.overTime} />}
            caption={`${plural(i.totals.kudos, "kudos", "kudos")} carrying ${plural(i.totals.points, "point", "points")} in the last ${i.months} months; the busiest month was ${busiest.label} with ${plural(busiest.kudos, "kudos", "kudos")}.`}
          >
            <OverTimeTable months={i.overTime} />
          </InsightSection>
          <InsightSection
            table="values"
            months={i.months}
            title="By value"
            description="Which of the company's values people thank each other for."
            chart={<ValuesChart values={i.byValue} />}
            caption={topValue ? `Kudos per company value, the most given first: ${topValue.name} leads with ${plural(topValue.kudos, "kudos", "kudos")}.` : "The company has no values yet."}
          >
            <ValuesTable values={i.byValue} />
          </InsightSection>
          <InsightSection
            table="flow"
            months={i.months}
            title="Between departments"
            description="Who thanks whom: rows are the giving department, columns the receiving one."
            caption="Each cell counts people thanked, so a kudos to three people counts three times; darker cells hold more. The diagonal is recognition within a department."
          >
            <FlowMatrix flow={i.flow} />
          </InsightSection>
          <InsightSection
            table="teams"
            months={i.months}
            title="Teams that receive little"
            description="Kudos received per person in each manager's team of direct reports, the least first."
            chart={<TeamsChart teams={i.teams} />}
            caption={
              <>
                {least ? `${least.team} received the least: ${least.perPerson.toLocaleString("en")} per person. ` : null}
                Teams are named by their manager’s department and their size, never by a person.
                {i.teamCount > i.teams.length ? ` These are the ${i.teams.length} of ${i.teamCount} teams that received least; the CSV has all of them.` : null}
              </>
            }
          >
            <TeamsTable teams={i.teams} />
          </InsightSection>
          <InsightSection
            table="pairs"
            months={i.months}
            title="Pairs who mostly thank each other"
            description={`Two people who each gave at least ${PAIR_MIN_GIVEN} kudos in the period, at least ${PAIR_MIN_SHARE}% of them to each other.`}
            caption={
              <>
                A pattern to review, not a finding about anyone: it can mean a close partnership, or a team whose good work nobody else sees. Look at how the team around them is recognised.
                Only the two departments are shown, never who they are.
                {i.pairCount > i.pairs.length ? ` The ${i.pairs.length} with the most kudos of ${i.pairCount}; the CSV has all of them.` : null}
              </>
            }
          >
            <PairsTable pairs={i.pairs} months={i.months} />
          </InsightSection>
        </div>
      )}
    </>
  );
}

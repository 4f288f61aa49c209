import { Link, href } from "react-router";
import type { PeopleDashboard } from "#app/features/analytics/dashboard.server.ts";
import { ROLE_MEANINGS } from "#app/features/analytics/explain.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { plural } from "#app/lib/plural.ts";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FunnelChart, ParticipationChart, RolesChart, TopicsChart } from "./people-charts.tsx";
import { PeopleCsvLink, FunnelTable, ParticipationTable, PeopleSection, RisingTable, RoleLists, RolesTable, TopicsTable } from "./people-tables.tsx";

/** The sections of HR's people dashboard below the run panel, in the order HR reads them. */
export function PeopleDashboardSections({ dashboard: d }: { dashboard: PeopleDashboard }) {
  const weeks = d.weeks;
  const busiest = d.participation.rows.reduce((top, r) => (r.total > top.total ? r : top), d.participation.rows[0]!);
  const ideasTotal = d.ideas.reduce((s, r) => s + r.ideas, 0);
  const latest = d.runs.latest;
  return (
    <>
      <PeopleSection
        table="participation"
        weeks={weeks}
        title="Participation by department"
        description="People who asked, answered, commented, edited or gave kudos each week: a count of people, never of time."
        chart={<ParticipationChart participation={d.participation} />}
        caption={
          busiest.total > 0 ? `The busiest week began ${busiest.label}, with ${plural(busiest.total, "person", "people")} taking part.` : `Nobody took part in the last ${weeks} weeks.`
        }
      >
        <ParticipationTable participation={d.participation} />
      </PeopleSection>
      <PeopleSection
        table="topics"
        weeks={weeks}
        title="Questions by topic"
        description={`Questions asked in the last ${weeks} weeks, per topic (a question with three topics counts in each).`}
        chart={d.topics.length > 0 ? <TopicsChart topics={d.topics} name="Questions" /> : undefined}
        caption="Topics asked about by fewer than 5 people, or used only in spaces you can't see, are counted together as “Other topics”. The CSV lists every named topic."
      >
        <TopicsTable topics={d.topics} label="Questions by topic" empty={`No questions in the last ${weeks} weeks.`} />
      </PeopleSection>
      <div className="grid gap-6 lg:grid-cols-2">
        <PeopleSection
          table="rising"
          weeks={weeks}
          title="Rising topics"
          description="Asked about more in the last 7 days than in the 7 before."
          caption="Only topics asked about by at least 5 people over the two weeks."
        >
          <RisingTable rising={d.rising} />
        </PeopleSection>
        <PeopleSection
          table="hot-spots"
          weeks={weeks}
          title="Unanswered hot spots"
          description={`Open questions of the period still without an answer ${d.unansweredAfterDays} days after they were asked, by topic.`}
          caption="Topics only; the questions themselves are on each topic's page for those who can see them."
        >
          <TopicsTable topics={d.hotSpots} label="Unanswered questions by topic" empty={`Every question of the period was answered within ${d.unansweredAfterDays} days.`} />
        </PeopleSection>
      </div>
      <PeopleSection
        table="roles"
        weeks={weeks}
        title="Roles by department"
        description={latest ? `Mavens, connectors and salesmen, and what people mostly do, in the run up to ${absoluteDate(latest.windowEnd)}.` : "From the latest run."}
        chart={latest && d.roles.length > 0 ? <RolesChart roles={d.roles} /> : undefined}
        caption="People who opted out of the role lists are counted here too. “Connecting” people mostly take part by linking departments."
      >
        {latest ? <RolesTable roles={d.roles} /> : <p className="text-sm text-slate-600">No run has finished yet.</p>}
      </PeopleSection>
      <CardSection
        title="Mavens, connectors and salesmen"
        titleId="lists"
        description={`Mavens: ${ROLE_MEANINGS.maven}. Connectors: ${ROLE_MEANINGS.connector}. Salesmen: ${ROLE_MEANINGS.salesman}.`}
        actions={<PeopleCsvLink table="shortlist" weeks={weeks} label="Export shortlist (CSV)" />}
      >
        {latest ? (
          <>
            <RoleLists mavens={d.lists.mavens} connectors={d.lists.connectors} salesmen={d.lists.salesmen} />
            <p className="mt-4 text-sm text-slate-600">People who opted out are in no list. Opening someone’s roles, or exporting the shortlist, is recorded and shown to them.</p>
          </>
        ) : (
          <EmptyState title="No roles yet">The lists fill in once the first run has finished.</EmptyState>
        )}
      </CardSection>
      <div className="grid gap-6 lg:grid-cols-2">
        <PeopleSection
          table="ideas"
          weeks={weeks}
          title="Idea funnel"
          description={`Ideas submitted in the last ${weeks} weeks, by where they are now.`}
          chart={ideasTotal > 0 ? <FunnelChart ideas={d.ideas} /> : undefined}
          caption={ideasTotal > 0 ? `${plural(ideasTotal, "idea", "ideas")} in all.` : "No ideas were submitted in this period."}
        >
          <FunnelTable ideas={d.ideas} />
        </PeopleSection>
        <CardSection title="Recognition" titleId="recognition" description={`Kudos in the last ${weeks} weeks.`}>
          <dl className="grid grid-cols-3 gap-4 text-center">
            {[
              ["Kudos given", d.recognition.kudos],
              ["People who gave", d.recognition.givers],
              ["People thanked", d.recognition.thanked],
            ].map(([label, value]) => (
              <div key={label}>
                <dt className="text-sm text-slate-600">{label}</dt>
                <dd className="text-2xl font-semibold text-slate-900 tabular-nums">{Number(value).toLocaleString("en")}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-4 text-sm">
            <Link to={href("/hr/recognition")} className="font-medium text-brand-700 hover:underline">
              Recognition insights
            </Link>{" "}
            <span className="text-slate-600">show kudos by value, between departments and by team.</span>
          </p>
        </CardSection>
      </div>
    </>
  );
}

import { Link, href } from "react-router";
import type { Route } from "./+types/team";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { kudosFeed, teamSummary } from "#app/features/recognition/feeds.server.ts";
import { kudosFeedParams } from "#app/features/recognition/kudos-schemas.ts";
import { filterValues } from "#app/features/recognition/values.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { UsersIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { ValueFilter } from "#app/components/recognition/kudos-filters.tsx";
import { KudosList } from "#app/components/recognition/kudos-list.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "My team's kudos · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const params = { ...kudosFeedParams(url), show: "all" as const, item: undefined };
  const team = await teamSummary(context.db, actor);
  if (team.length === 0) return { params, team, page: null, values: [], now: Date.now() };
  const [page, values] = await Promise.all([kudosFeed(context.db, actor, { ...params, team: true, page: pageParam(url) }), filterValues(context.db)]);
  return { params, team, page, values, now: Date.now() };
}

const cell = "px-3 py-2 text-right tabular-nums";

/** A manager's view of the recognition their direct reports receive and give (private kudos to them included, as the rule allows). */
export default function TeamKudos({ loaderData }: Route.ComponentProps) {
  const { params, team, page, values, now } = loaderData;
  const base = href("/kudos/team");
  return (
    <>
      <PageHeader crumbs={[{ label: "Kudos", to: href("/kudos") }]} title="My team's kudos" description="Kudos your direct reports received and gave, including private kudos to them." />
      <RecognitionTabs />
      {team.length === 0 || !page ? (
        <EmptyState icon={<UsersIcon className="size-5" />} title="No direct reports">
          This page shows the recognition of the people who report to you. Nobody lists you as their manager; people set their manager on their profile.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <CardSection title="Your reports" titleId="reports" description="Kudos you can see, by day of giving (UTC).">
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">Kudos received and given by each direct report in the last 30 and 90 days</caption>
                <thead>
                  <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
                    <th scope="col" className="px-3 py-2 font-medium">
                      Person
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Received, 30 days
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Received, 90 days
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Given, 30 days
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Given, 90 days
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {team.map((m) => (
                    <tr key={m.id}>
                      <th scope="row" className="px-3 py-2 text-left font-normal">
                        <Link to={href("/people/:userId/kudos", { userId: String(m.id) })} className="font-medium text-brand-700 hover:underline">
                          {m.name}
                        </Link>
                        {m.title ? <span className="block text-xs text-slate-500">{m.title}</span> : null}
                      </th>
                      <td className={cell}>{m.received30}</td>
                      <td className={cell}>{m.received90}</td>
                      <td className={cell}>{m.given30}</td>
                      <td className={cell}>{m.given90}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </CardSection>
          <section aria-labelledby="team-feed">
            <h2 id="team-feed" className="mb-3 text-lg font-semibold text-slate-900">
              Their kudos
            </h2>
            <ValueFilter base={base} params={params} values={values} />
            <KudosList
              base={base}
              params={params}
              page={page}
              now={now}
              headingLevel={3}
              empty={{ title: "No kudos for your team yet", text: "When your reports receive or give kudos you may see, they show here." }}
            />
          </section>
        </div>
      )}
    </>
  );
}

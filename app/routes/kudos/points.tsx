import { Link, href } from "react-router";
import type { Route } from "./+types/points";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { pointsHistory, readerPoints } from "#app/features/recognition/feeds.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "My points · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const [points, history] = await Promise.all([readerPoints(context.db, actor), pointsHistory(context.db, actor, pageParam(new URL(request.url)))]);
  return { points, history, now: Date.now() };
}

function Figure({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums">{value.toLocaleString("en")}</dd>
      {hint ? <dd className="text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

/** The reader's two accounts (the month's allowance to give, the earned balance that never lapses) and every movement of them, in words. */
export default function MyPoints({ loaderData }: Route.ComponentProps) {
  const { points, history, now } = loaderData;
  const signed = (n: number) => (n > 0 ? `+${n.toLocaleString("en")}` : n.toLocaleString("en"));
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Kudos", to: href("/kudos") }]}
        title="My points"
        description="Points you give come from a monthly allowance; points you receive build a balance of your own that never lapses."
      />
      <RecognitionTabs />
      <div className="grid gap-6 lg:grid-cols-2">
        <CardSection title="This month's allowance" titleId="allowance" description={`Resets on ${absoluteDate(points.resetsAt)} (UTC); unused points lapse.`}>
          <dl className="grid grid-cols-3 gap-3">
            <Figure label="Granted" value={points.granted} />
            <Figure label="Given" value={points.spent} />
            <Figure label="Left" value={points.left} />
          </dl>
        </CardSection>
        <CardSection
          title="Earned balance"
          titleId="earned"
          description={
            <>
              What colleagues gave you, to spend on{" "}
              <Link to={href("/rewards")} className="font-medium text-brand-700 hover:underline">
                rewards
              </Link>
              .
            </>
          }
        >
          <dl className="grid grid-cols-2 gap-3">
            <Figure label="Balance" value={points.earned} />
            <Figure label="Received in all" value={points.receivedTotal} />
          </dl>
        </CardSection>
      </div>
      <CardSection className="mt-6" title="History" titleId="history" description="Every point that moved, newest first. Entries are never changed: a withdrawal is a new entry.">
        {history.rows.length === 0 ? (
          <EmptyState title="Nothing yet">Give or receive kudos and every point that moves shows here.</EmptyState>
        ) : (
          <>
            <table className="w-full text-sm">
              <caption className="sr-only">Your points history</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
                  <th scope="col" className="py-2 pr-3 font-medium">
                    When
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    What
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Account
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    Points
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {history.rows.map((line) => (
                  <tr key={line.id}>
                    <td className="py-2 pr-3 whitespace-nowrap text-slate-600">
                      <RelativeTime date={line.createdAt} now={now} />
                    </td>
                    <td className="py-2 pr-3 text-slate-800">
                      {line.kudosId ? (
                        <Link to={href("/kudos/:kudosId", { kudosId: String(line.kudosId) })} className="hover:text-brand-700 hover:underline">
                          {line.text}
                        </Link>
                      ) : (
                        line.text
                      )}
                      {line.note ? <span className="block text-xs text-slate-500">{line.note}</span> : null}
                    </td>
                    <td className="py-2 pr-3 text-slate-600">{line.account === "allowance" ? "Allowance" : "Earned"}</td>
                    <td className={`py-2 text-right font-medium tabular-nums ${line.points < 0 ? "text-slate-700" : "text-emerald-800"}`}>{signed(line.points)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pagination
              offset={history.offset}
              pageSize={history.pageSize}
              total={history.total}
              shown={history.rows.length}
              pageHref={(n) => (n > 1 ? `${href("/kudos/points")}?page=${n}` : href("/kudos/points"))}
              label="History pages"
            />
          </>
        )}
      </CardSection>
    </>
  );
}

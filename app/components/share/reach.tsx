import { Form, href, Link } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { SubmitButton } from "#app/components/form.tsx";

type Reach = {
  clicks30: number;
  clicksAll: number;
  linkCount: number;
  items: Array<{ itemId: number; kitId: number; kitTitle: string; title: string; clicks30: number; clicksAll: number }>;
  hosts: Array<{ host: string; clicks: number }>;
};

const n = (value: number) => value.toLocaleString("en");

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{n(value)}</dd>
    </div>
  );
}

/** The reader's own reach: totals, the items that reached most, the sites clicks came from. */
export function MyReach({ reach, shown }: { reach: Reach; shown: number }) {
  return (
    <CardSection title="My reach" titleId="reach-heading" description="Clicks on your personal links. Only you see these figures.">
      <dl className="grid gap-3 sm:grid-cols-3">
        <Figure label="Clicks, last 30 days" value={reach.clicks30} />
        <Figure label="Clicks, all time" value={reach.clicksAll} />
        <Figure label="Links you shared" value={reach.linkCount} />
      </dl>
      {reach.items.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600">You have no personal links yet. Open a kit and choose “Get my link” on something you want to share.</p>
      ) : (
        <div className="mt-5 grid gap-6 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <h3 className="text-sm font-semibold text-slate-900">By item</h3>
            <table className="mt-2 w-full text-left text-sm">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-1.5 pr-3 font-semibold">
                    Item
                  </th>
                  <th scope="col" className="py-1.5 pr-3 text-right font-semibold">
                    30 days
                  </th>
                  <th scope="col" className="py-1.5 text-right font-semibold">
                    All time
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {reach.items.map((item) => (
                  <tr key={item.itemId}>
                    <td className="py-2 pr-3">
                      <Link to={href("/share/kits/:kitId", { kitId: String(item.kitId) })} className="font-medium text-slate-900 hover:underline">
                        {item.title}
                      </Link>
                      <span className="block text-xs text-slate-500">{item.kitTitle}</span>
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{n(item.clicks30)}</td>
                    <td className="py-2 text-right tabular-nums">{n(item.clicksAll)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {reach.linkCount > reach.items.length ? (
              <p className="mt-2 text-xs text-slate-500">
                The {shown} items that reached most of your {n(reach.linkCount)}; the totals above count them all.
              </p>
            ) : null}
          </div>
          <div>
            <h3 className="text-sm font-semibold text-slate-900">Where clicks came from</h3>
            {reach.hosts.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">No clicks yet.</p>
            ) : (
              <ul className="mt-2 divide-y divide-slate-100 text-sm">
                {reach.hosts.map((h) => (
                  <li key={h.host} className="flex justify-between gap-3 py-2">
                    <span className="truncate">{h.host || "Direct or unknown"}</span>
                    <span className="tabular-nums">{n(h.clicks)}</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-2 text-xs text-slate-500">The top sites of all time, by the referring site’s name only.</p>
          </div>
        </div>
      )}
    </CardSection>
  );
}

/** The opt-in leaderboard, with the reader's own switch. */
export function Leaderboard({ rows, onBoard, me }: { rows: Array<{ userId: number; name: string; clicks: number }>; onBoard: boolean; me: number }) {
  return (
    <CardSection
      title="Leaderboard"
      titleId="leaderboard-heading"
      description="Clicks in the last 30 days. Only people who chose to appear are listed; nobody is on it otherwise."
      actions={
        <Form method="post">
          <SubmitButton name="intent" value={onBoard ? "leave" : "join"} variant="secondary">
            {onBoard ? "Leave the leaderboard" : "Appear on the leaderboard"}
          </SubmitButton>
        </Form>
      }
    >
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No one has chosen to appear yet.</p>
      ) : (
        <ol className="divide-y divide-slate-100 text-sm">
          {rows.map((row, i) => (
            <li key={row.userId} className="flex items-center justify-between gap-3 py-2">
              <span>
                <span className="mr-2 inline-block w-6 text-right text-slate-500 tabular-nums">{i + 1}.</span>
                <span className={row.userId === me ? "font-semibold" : ""}>{row.name}</span>
                {row.userId === me ? <span className="ml-1 text-slate-500">(you)</span> : null}
              </span>
              <span className="tabular-nums">
                {n(row.clicks)} {row.clicks === 1 ? "click" : "clicks"}
              </span>
            </li>
          ))}
        </ol>
      )}
    </CardSection>
  );
}

import { Link, href } from "react-router";
import { absoluteDate } from "#app/lib/time.ts";

/**
 * The reader's points in a line under a feed's title: what is left of this month's allowance and
 * when it resets (UTC, like every date in the app), and the earned balance, linking to the ledger.
 */
export function KudosPointsSummary({ points }: { points: { left: number; granted: number; resetsAt: Date | string; earned: number } }) {
  return (
    <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-700">
      <div className="flex items-baseline gap-1.5">
        <dt className="text-slate-500">To give this month</dt>
        <dd>
          <span className="font-semibold text-slate-900 tabular-nums">{points.left.toLocaleString("en")}</span> of {points.granted.toLocaleString("en")} points · resets on{" "}
          {absoluteDate(points.resetsAt)}
        </dd>
      </div>
      <div className="flex items-baseline gap-1.5">
        <dt className="text-slate-500">Earned balance</dt>
        <dd>
          <span className="font-semibold text-slate-900 tabular-nums">{points.earned.toLocaleString("en")}</span> points ·{" "}
          <Link to={href("/kudos/points")} className="font-medium text-brand-700 hover:underline">
            Your points history
          </Link>
        </dd>
      </div>
    </dl>
  );
}

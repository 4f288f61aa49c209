import { Link, href } from "react-router";
import { plural } from "#app/lib/plural.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { TableHead } from "#app/components/table.tsx";
import { AwardParticipation } from "./award-ballot.tsx";

type Ranked = { nomineeId: number; name: string; votes: number; place: number; winner: boolean };

/** "1st", "2nd", "3rd", "11th". */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/**
 * A round's published results: the winners, each candidate's votes with their place (ties share
 * one), and how many took part. Only ever rendered once the results date has passed: before it
 * the loader has no tallies to give.
 */
export function AwardResults({
  results,
  participation,
  reward,
}: {
  results: { tallies: Ranked[]; winners: Ranked[]; totalVotes: number };
  participation: { ballots: number; eligible: number };
  reward: string;
}) {
  const { winners, tallies } = results;
  return (
    <div>
      {winners.length === 0 ? (
        <p className="text-sm text-slate-700">No votes were cast, so there is no winner.</p>
      ) : (
        <>
          <h3 className="text-sm font-medium text-slate-900">{winners.length === 1 ? "The winner" : "The winners"}</h3>
          <ul className="mt-2 flex flex-wrap gap-3" aria-label={winners.length === 1 ? "Winner" : "Winners"}>
            {winners.map((w) => (
              <li key={w.nomineeId} className="flex items-center gap-3 rounded-xl border border-violet-200 bg-violet-50 px-4 py-3">
                <Avatar name={w.name} size="md" />
                <span>
                  <Link to={href("/people/:userId", { userId: String(w.nomineeId) })} className="block font-semibold text-slate-900 hover:underline">
                    {w.name}
                  </Link>
                  <span className="block text-xs text-slate-700">
                    {ordinal(w.place)} place · {plural(w.votes, "vote", "votes")}
                  </span>
                </span>
              </li>
            ))}
          </ul>
          {reward ? <p className="mt-3 text-sm text-slate-700">They receive: {reward}</p> : null}
        </>
      )}
      <div className="mt-5 overflow-x-auto rounded-lg border border-slate-200">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Votes for each candidate</caption>
          <TableHead columns={["Place", "Candidate", { label: "Votes", align: "right" }]} />
          <tbody className="divide-y divide-slate-100">
            {tallies.map((t) => (
              <tr key={t.nomineeId} className={t.winner ? "bg-violet-50/50" : undefined}>
                <td className="px-5 py-2.5 text-slate-700">{ordinal(t.place)}</td>
                <th scope="row" className="px-5 py-2.5 font-medium text-slate-900">
                  {t.name}
                  {t.winner ? <span className="ml-2 text-xs font-semibold text-violet-800">Winner</span> : null}
                </th>
                <td className="px-5 py-2.5 text-right tabular-nums text-slate-900">{t.votes.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-4">
        <AwardParticipation ballots={participation.ballots} eligible={participation.eligible} />
        <p className="mt-1 text-xs text-slate-500">{plural(results.totalVotes, "vote", "votes")} in all. Ballots were secret: these counts are all that was kept.</p>
      </div>
    </div>
  );
}

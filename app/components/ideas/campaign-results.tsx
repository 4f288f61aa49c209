import { Link } from "react-router";
import type { IdeaScores, Participation, TopIdea } from "#app/features/ideas/reports.server.ts";
import { ideaUrl } from "#app/features/ideas/idea-url.ts";
import { TableHead } from "#app/components/table.tsx";
import { StatusBadge } from "./status-badge.tsx";

/** The results page's sections besides the funnel: top ideas, participation, and the evaluators' scores for managers. */

const cell = "px-5 py-3";
const number = "px-5 py-3 text-right tabular-nums";

function IdeaLink({ idea }: { idea: Pick<TopIdea, "id" | "title" | "category"> }) {
  return (
    <>
      <Link to={ideaUrl(idea)} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
        {idea.title}
      </Link>
      {idea.category ? <span className="block text-xs text-slate-500">{idea.category}</span> : null}
    </>
  );
}

export function TopIdeasTable({ ideas }: { ideas: TopIdea[] }) {
  if (ideas.length === 0) return <p className="text-sm text-slate-500">No ideas yet.</p>;
  return (
    <div className="-mx-5 -my-4 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">The most-voted ideas</caption>
        <TableHead columns={["Rank", "Idea", "Status", { label: "Votes", align: "right" }, { label: "Comments", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {ideas.map((idea, index) => (
            <tr key={idea.id}>
              <th scope="row" className={`${cell} font-normal text-slate-500 tabular-nums`}>
                {index + 1}
              </th>
              <td className={cell}>
                <IdeaLink idea={idea} />
              </td>
              <td className={cell}>
                <StatusBadge status={idea.status} />
              </td>
              <td className={`${number} font-semibold text-slate-900`}>{idea.voteCount.toLocaleString("en")}</td>
              <td className={number}>{idea.commentCount.toLocaleString("en")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Who took part. Departments below the group minimum are never named: they arrive folded into "Other departments". */
export function ParticipationPanel({ participation: p, groupMin }: { participation: Participation; groupMin: number }) {
  const figures = [
    { label: "Ideas", value: p.ideas },
    { label: "Voters", value: p.voters },
    { label: "Comments", value: p.comments },
    { label: "People taking part", value: p.people },
    { label: "Departments taking part", value: p.departments },
  ];
  return (
    <>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        {figures.map((f) => (
          <div key={f.label} className="rounded-lg bg-slate-50 px-4 py-3">
            <dt className="text-xs font-medium text-slate-600">{f.label}</dt>
            <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums">{f.value.toLocaleString("en")}</dd>
          </div>
        ))}
      </dl>
      {p.people > 0 ? (
        <table className="mt-5 min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="mb-2 text-left text-sm font-semibold text-slate-900">People taking part by department</caption>
          <thead className="text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className="py-1 pr-4">
                Department
              </th>
              <th scope="col" className="py-1 text-right">
                People
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {p.byDepartment.map((d) => (
              <tr key={d.department}>
                <th scope="row" className="py-1.5 pr-4 font-normal">
                  {d.department}
                </th>
                <td className="py-1.5 text-right tabular-nums">{d.people.toLocaleString("en")}</td>
              </tr>
            ))}
            {p.otherDepartments > 0 ? (
              <tr>
                <th scope="row" className="py-1.5 pr-4 font-normal text-slate-600">
                  Other departments
                </th>
                <td className="py-1.5 text-right tabular-nums">{p.otherDepartments.toLocaleString("en")}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
      <p className="mt-3 text-xs text-slate-500">
        People who gave, co-own, voted for or commented on an idea. A department is named only when at least {groupMin} of its people took part; smaller ones, and people with no department,
        are counted together as other departments.
      </p>
    </>
  );
}

/** Evaluators' averages per criterion for the top ideas. Rendered only for the campaign's managers; the loader sends nothing to anyone else. */
export function ScoresTable({ ideas, scores, criteria }: { ideas: TopIdea[]; scores: IdeaScores[]; criteria: string[] }) {
  if (ideas.length === 0) return <p className="text-sm text-slate-500">No ideas to score yet.</p>;
  const byIdea = new Map(scores.map((s) => [s.ideaId, s]));
  return (
    <div className="-mx-5 -my-4 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Evaluators' average score from 1 to 5 per criterion, for the most-voted ideas</caption>
        <TableHead columns={["Idea", ...criteria.map((c) => ({ label: c, align: "right" as const }))]} />
        <tbody className="divide-y divide-slate-100">
          {ideas.map((idea) => (
            <tr key={idea.id}>
              <th scope="row" className={`${cell} font-normal`}>
                <IdeaLink idea={idea} />
              </th>
              {criteria.map((criterion) => {
                const score = byIdea.get(idea.id)?.criteria.find((c) => c.criterion === criterion);
                return (
                  <td key={criterion} className={number}>
                    {score && score.average !== null ? (
                      <>
                        <span className="font-semibold text-slate-900">{score.average.toFixed(1)}</span>
                        <span className="block text-xs text-slate-500">{score.count === 1 ? "1 evaluator" : `${score.count} evaluators`}</span>
                      </>
                    ) : (
                      <span className="text-slate-600">Not scored</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

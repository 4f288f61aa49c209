import { useId } from "react";
import type { Funnel } from "#app/features/ideas/reports.server.ts";
import { plural } from "#app/lib/plural.ts";

type Bar = { key: string; label: string; count: number };

const BAR_COLORS: Record<string, string> = {
  submitted: "bg-slate-500",
  under_review: "bg-amber-500",
  accepted: "bg-sky-600",
  implemented: "bg-emerald-600",
  declined: "bg-rose-500",
};

/** "Of 40 ideas submitted, 22 reached review, 9 were accepted and 3 implemented; 6 were declined." */
function summary(funnel: Funnel): string {
  const [submitted, reviewed, accepted, implemented] = funnel.stages.map((s) => s.count);
  if (!submitted) return "No ideas have been submitted yet.";
  const n = (count = 0) => count.toLocaleString("en");
  return `Of ${plural(submitted, "idea", "ideas")} submitted, ${n(reviewed)} reached review, ${n(accepted)} ${accepted === 1 ? "was" : "were"} accepted and ${n(implemented)} implemented; ${n(funnel.declined)} ${funnel.declined === 1 ? "was" : "were"} declined.`;
}

/**
 * The campaign's funnel as centred bars sized against the ideas submitted, each with its count
 * and share in text. The bars are drawn for the eye only: screen readers get the caption, which
 * says every figure, and the same figures as a table.
 */
export function FunnelChart({ funnel }: { funnel: Funnel }) {
  const id = useId();
  const submitted = funnel.stages[0]?.count ?? 0;
  const share = (count: number) => (submitted === 0 ? 0 : Math.round((count / submitted) * 100));
  const stages: Bar[] = funnel.stages.map((s) => ({ key: s.stage, label: s.label, count: s.count }));
  const declined: Bar = { key: "declined", label: "Declined", count: funnel.declined };
  const bar = (b: Bar) => (
    <div key={b.key} className="grid grid-cols-[6.5rem_1fr_5.5rem] items-center gap-3 sm:grid-cols-[8rem_1fr_6rem]">
      <span className="text-sm text-slate-700">{b.label}</span>
      <div className="flex h-7 justify-center">{b.count > 0 ? <div className={`h-full rounded ${BAR_COLORS[b.key]}`} style={{ width: `${Math.max(share(b.count), 2)}%` }} /> : null}</div>
      <span className="text-right text-sm font-semibold text-slate-900 tabular-nums">
        {b.count.toLocaleString("en")} <span className="font-normal text-slate-500">({share(b.count)}%)</span>
      </span>
    </div>
  );
  return (
    <figure aria-labelledby={`${id}-caption`}>
      <div aria-hidden="true" className="space-y-2">
        {stages.map(bar)}
        <div className="border-t border-dashed border-slate-200 pt-2">{bar(declined)}</div>
      </div>
      <figcaption id={`${id}-caption`} className="mt-4 text-sm text-slate-600">
        {summary(funnel)} {funnel.merged > 0 ? `${plural(funnel.merged, "duplicate was", "duplicates were")} merged into other ideas and counted there.` : null}
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">The figures as a table</summary>
        <table className="mt-2 min-w-full text-left text-sm">
          <caption className="sr-only">Ideas that reached each stage</caption>
          <thead className="text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className="py-1 pr-4">
                Stage
              </th>
              <th scope="col" className="py-1 pr-4 text-right">
                Ideas
              </th>
              <th scope="col" className="py-1 text-right">
                Share of submitted
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {[...stages, declined].map((b) => (
              <tr key={b.key}>
                <th scope="row" className="py-1 pr-4 font-normal">
                  {b.label}
                </th>
                <td className="py-1 pr-4 text-right tabular-nums">{b.count.toLocaleString("en")}</td>
                <td className="py-1 text-right tabular-nums">{share(b.count)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

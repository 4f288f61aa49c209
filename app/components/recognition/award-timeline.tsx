import type { AwardPhase } from "#app/features/recognition/award-schemas.ts";
import { absoluteTime } from "#app/lib/time.ts";

type Dates = {
  nominationsOpenAt: Date | string;
  nominationsCloseAt: Date | string;
  votingOpenAt: Date | string;
  votingCloseAt: Date | string;
  resultsAt: Date | string;
  shortlist: boolean;
};

type Step = { key: string; label: string; when: string; current: boolean; done: boolean };

const ORDER: AwardPhase[] = ["upcoming", "nominating", "shortlisting", "voting", "counting", "results"];

/**
 * A round's phases in order with their dates (UTC), the current one marked for sight and for
 * screen readers (aria-current="step").
 */
export function AwardTimeline({ round, phase }: { round: Dates; phase: AwardPhase }) {
  // "Between phases" sits where the shortlist would: past nominations, before voting.
  const at = ORDER.indexOf(phase === "between" ? "shortlisting" : phase);
  const step = (key: AwardPhase, label: string, when: string): Step => ({ key, label, when, current: ORDER.indexOf(key) === at, done: ORDER.indexOf(key) < at });
  const steps: Step[] = [
    step("nominating", "Nominations", `${absoluteTime(round.nominationsOpenAt)} to ${absoluteTime(round.nominationsCloseAt)}`),
    ...(round.shortlist ? [step("shortlisting", "Shortlist", `HR and the jury choose who goes on the ballot, until ${absoluteTime(round.votingOpenAt)}`)] : []),
    step("voting", "Voting", `${absoluteTime(round.votingOpenAt)} to ${absoluteTime(round.votingCloseAt)}`),
    step("results", "Results", absoluteTime(round.resultsAt)),
  ];
  // While votes are being held back (voting closed, results not yet out), the results step is next.
  if (phase === "counting") steps[steps.length - 1]!.when = `${absoluteTime(round.resultsAt)} (voting has closed; the tallies stay hidden until then)`;
  return (
    <ol className="space-y-3">
      {steps.map((s) => (
        <li key={s.key} aria-current={s.current ? "step" : undefined} className="flex gap-3">
          <span
            aria-hidden="true"
            className={`mt-1.5 size-2.5 shrink-0 rounded-full ${s.current ? "bg-brand-600 ring-4 ring-brand-100" : s.done ? "bg-slate-400" : "border border-slate-300 bg-white"}`}
          />
          <span className="min-w-0 text-sm">
            <span className={`block font-medium ${s.current ? "text-brand-700" : "text-slate-900"}`}>
              {s.label}
              {s.current ? <span className="ml-2 text-xs font-semibold uppercase tracking-wide text-brand-700">Now</span> : null}
            </span>
            <span className="block text-slate-600">{s.when}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

import { type AwardPhase, PHASE_LABELS } from "#app/features/recognition/award-schemas.ts";

const TONES: Record<AwardPhase, string> = {
  upcoming: "bg-sky-50 text-sky-800 ring-sky-300",
  nominating: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  shortlisting: "bg-amber-50 text-amber-900 ring-amber-300",
  between: "bg-slate-100 text-slate-700 ring-slate-300",
  voting: "bg-brand-50 text-brand-700 ring-brand-200",
  counting: "bg-slate-100 text-slate-700 ring-slate-300",
  results: "bg-violet-50 text-violet-800 ring-violet-200",
};

/** Where an award round is in its life, as a labelled pill (the label, never the colour alone, says it). */
export function AwardPhaseBadge({ phase }: { phase: AwardPhase }) {
  return <span className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[phase]}`}>{PHASE_LABELS[phase]}</span>;
}

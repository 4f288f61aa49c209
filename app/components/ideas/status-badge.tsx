import { STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";

const TONES: Record<IdeaStatus, string> = {
  submitted: "bg-slate-100 text-slate-700 ring-slate-300",
  under_review: "bg-amber-50 text-amber-800 ring-amber-300",
  accepted: "bg-sky-50 text-sky-800 ring-sky-300",
  in_progress: "bg-indigo-50 text-indigo-800 ring-indigo-300",
  implemented: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  declined: "bg-rose-50 text-rose-800 ring-rose-300",
  merged: "bg-violet-50 text-violet-800 ring-violet-300",
};

/** An idea's status as a labelled pill; the text carries the meaning, the colour only helps. */
export function StatusBadge({ status }: { status: IdeaStatus }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[status]}`}>{STATUS_LABELS[status]}</span>;
}

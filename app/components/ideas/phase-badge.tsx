import type { CampaignPhase } from "#app/features/ideas/access.server.ts";

const PHASES: Record<CampaignPhase, { label: string; tone: string }> = {
  open: { label: "Open", tone: "bg-emerald-50 text-emerald-800 ring-emerald-300" },
  upcoming: { label: "Starts soon", tone: "bg-sky-50 text-sky-800 ring-sky-300" },
  closed: { label: "Closed", tone: "bg-slate-100 text-slate-700 ring-slate-300" },
  archived: { label: "Archived", tone: "bg-slate-100 text-slate-500 ring-slate-200" },
};

/** Where a campaign is in its life, as a labelled pill. */
export function PhaseBadge({ phase }: { phase: CampaignPhase }) {
  const { label, tone } = PHASES[phase];
  return <span className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone}`}>{label}</span>;
}

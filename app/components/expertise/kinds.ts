import type { EvidenceKind } from "#app/features/expertise/model.ts";

/** What each kind of evidence is, in words (the expertise explanation's table and the weights list). */
export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  answer: "Answer",
  accepted_answer: "Accepted answer",
  answer_vote: "Upvotes on an answer",
  wiki_edit: "Approved page edit",
  page_owned: "Page owned",
  page_verified: "Page verified",
  idea_accepted: "Idea accepted",
  idea_implemented: "Idea implemented",
  kudos: "Kudos received",
  declared: "Self-declared",
};

/** Half-life and weights are admin settings; numbers show as people read them ("2.5", "0.1"). */
export function formatNumber(n: number, digits = 2): string {
  return n.toLocaleString("en", { maximumFractionDigits: digits });
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

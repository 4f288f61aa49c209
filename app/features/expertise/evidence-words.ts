import type { EvidenceKind } from "./model.ts";

/**
 * Evidence in words, for lines built without `evidenceLines` (one query of their own): a topic's
 * SMEs, and the people index's search text. The same wording as the experts' evidence lines:
 * "7 accepted answers on fermentation, owns the page Brewing basics".
 */

export type EvidenceFact = { kind: EvidenceKind; n: number; tag: string; titles: readonly string[] };

/** Strongest kinds first, as the experts' lines order them. */
export const LINE_ORDER: readonly EvidenceKind[] = [
  "accepted_answer",
  "page_verified",
  "page_owned",
  "idea_implemented",
  "idea_accepted",
  "answer",
  "kudos",
  "wiki_edit",
  "answer_vote",
  "declared",
];

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** One fact in words; pages are named when every one of them is known. */
export function factWords({ kind, n, tag, titles }: EvidenceFact): string[] {
  const named = titles.length > 0 && titles.length === n;
  switch (kind) {
    case "accepted_answer":
      return [`${count(n, "accepted answer")} on ${tag}`];
    case "answer":
      return [`${count(n, "answer")} on ${tag}`];
    case "answer_vote":
      return [`${count(n, "upvoted answer")} on ${tag}`];
    case "page_owned":
      return named ? titles.map((t) => `owns the page ${t}`) : [`owns ${count(n, "page")} on ${tag}`];
    case "page_verified":
      return named ? titles.map((t) => `verified the page ${t}`) : [`verified ${count(n, "page")} on ${tag}`];
    case "wiki_edit":
      return [`${count(n, "approved page edit")} on ${tag}`];
    case "idea_accepted":
      return [`${count(n, "accepted idea")} on ${tag}`];
    case "idea_implemented":
      return [`${count(n, "implemented idea")} on ${tag}`];
    case "kudos":
      return [`${count(n, "kudos", "kudos")} for work on ${tag}`];
    case "declared":
      return [`says they know ${tag}`];
  }
}

/**
 * A person's facts as one line, strongest first, at most `max` facts. An accepted answer is also
 * an answer: where a topic has both, only the accepted count is said.
 */
export function evidenceText(facts: readonly EvidenceFact[], max = Number.POSITIVE_INFINITY): string {
  const sorted = [...facts].sort((a, b) => LINE_ORDER.indexOf(a.kind) - LINE_ORDER.indexOf(b.kind) || b.n - a.n || a.tag.localeCompare(b.tag));
  const shown = sorted.filter((f) => !(f.kind === "answer" && sorted.some((g) => g.kind === "accepted_answer" && g.tag === f.tag)));
  return [...new Set(shown.flatMap(factWords))].slice(0, max).join(", ");
}

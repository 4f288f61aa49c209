import { diffLines } from "diff";

/**
 * A republication's diff: what is public now against the draft that would replace it, part by
 * part (the title, the question, each answer matched by the internal answer it was copied from),
 * line by line. Only parts that differ are listed; an empty list means the draft changes nothing.
 * The page shows it as text, so it is plain text here.
 */

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };
export type PartDiff = { part: string; lines: DiffLine[] };
/** One side of the comparison: the title, and each part under a key both sides share ("question", "answer:<postId>"). */
export type DiffSide = { title: string; parts: { key: string; label: string; body: string }[] };

// Long, very different texts make a diff quadratic; past this it gives up and shows old, then new.
const DIFF_TIMEOUT_MS = 250;

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** `before` against `after`, one entry per line. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const changes = diffLines(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    return [...splitLines(before).map((text) => ({ kind: "removed" as const, text })), ...splitLines(after).map((text) => ({ kind: "added" as const, text }))];
  }
  return changes.flatMap((change) => {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    return splitLines(change.value).map((text) => ({ kind, text }));
  });
}

export function diffPublication(before: DiffSide, after: DiffSide): PartDiff[] {
  const out: PartDiff[] = [];
  const add = (part: string, a: string, b: string) => {
    if (a === b) return;
    out.push({ part, lines: lineDiff(a, b) });
  };
  add("Title", before.title, after.title);
  const beforeByKey = new Map(before.parts.map((p) => [p.key, p]));
  const afterKeys = new Set(after.parts.map((p) => p.key));
  for (const part of after.parts) add(part.label, beforeByKey.get(part.key)?.body ?? "", part.body);
  // Parts that are public now and would be gone: every line removed.
  for (const part of before.parts) if (!afterKeys.has(part.key)) add(part.label, part.body, "");
  return out;
}

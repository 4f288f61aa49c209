import { DiffText, type DiffPart } from "#app/components/content/diff-text.tsx";

export type DiffView = "inline" | "split";

/** An unchanged stretch left out of a diff: how many lines it held. */
export type Gap = { gap: number };

/** Lines of unchanged text kept on each side of a change. */
const CONTEXT = 2;

/**
 * A diff with long unchanged stretches folded: each keeps its first and last CONTEXT lines next to
 * a change (none at the very start or end of the text) and the lines between become a Gap, so a
 * one-word edit of a long page shows that word, not the page.
 */
export function condense(parts: readonly DiffPart[]): Array<DiffPart | Gap> {
  const out: Array<DiffPart | Gap> = [];
  parts.forEach((part, i) => {
    const lines = part.value.split("\n");
    // Next to a change, the line it ends (or starts) is kept whole, with CONTEXT more lines.
    const headCount = i === 0 ? 0 : CONTEXT + 1;
    const tailCount = i === parts.length - 1 ? 0 : CONTEXT + 1;
    const hidden = lines.length - headCount - tailCount;
    // Changes stay; so do stretches too short for the fold to save anything.
    if (part.change !== "same" || hidden <= 3) {
      out.push(part);
      return;
    }
    // The fold is a block of its own: the line breaks on either side of it are its edges.
    if (headCount > 0) out.push({ value: lines.slice(0, headCount).join("\n"), change: "same" });
    out.push({ gap: hidden });
    if (tailCount > 0) out.push({ value: lines.slice(lines.length - tailCount).join("\n"), change: "same" });
  });
  return out;
}

const pre = "overflow-x-auto rounded-md bg-slate-50 p-3 font-sans text-sm whitespace-pre-wrap text-slate-800";

function Segments({ segments }: { segments: Array<DiffPart | Gap> }) {
  const runs: Array<DiffPart[] | Gap> = [];
  for (const s of segments) {
    const last = runs.at(-1);
    if ("gap" in s) runs.push(s);
    else if (Array.isArray(last)) last.push(s);
    else runs.push([s]);
  }
  return (
    <>
      {runs.map((run, i) =>
        Array.isArray(run) ? (
          <DiffText key={i} parts={run} />
        ) : (
          <span key={i} className="my-1 block rounded bg-slate-200/70 px-2 py-0.5 text-center text-xs text-slate-600">
            {run.gap === 1 ? "1 unchanged line" : `${run.gap} unchanged lines`}
          </span>
        ),
      )}
    </>
  );
}

/**
 * A text's word diff, inline (one text with removals struck through and additions marked) or
 * side by side (the older text on the left with its removals, the newer on the right with its
 * additions; stacked on narrow screens). Long unchanged stretches are folded. Both use the shared
 * DiffText, so the marks read the same to the eye and to a screen reader.
 */
export function RevisionDiff({ parts, view, before, after }: { parts: DiffPart[]; view: DiffView; before: string; after: string }) {
  if (view === "inline") {
    return (
      <pre className={pre}>
        <Segments segments={condense(parts)} />
      </pre>
    );
  }
  const side = (drop: DiffPart["change"]) => condense(parts.filter((p) => p.change !== drop));
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <div className="min-w-0">
        <h4 className="mb-1 text-xs font-semibold text-slate-500 uppercase">{before}</h4>
        <pre className={pre}>
          <Segments segments={side("added")} />
        </pre>
      </div>
      <div className="min-w-0">
        <h4 className="mb-1 text-xs font-semibold text-slate-500 uppercase">{after}</h4>
        <pre className={pre}>
          <Segments segments={side("removed")} />
        </pre>
      </div>
    </div>
  );
}

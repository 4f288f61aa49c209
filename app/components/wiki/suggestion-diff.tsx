import { useId } from "react";
import { type DiffPart, DiffText } from "#app/components/content/diff-text.tsx";

export type TextDiffParts = DiffPart[] | null;
export type PageDiff = { title: TextDiffParts; body: TextDiffParts };

const pre = "overflow-x-auto rounded-md bg-slate-50 p-3 font-sans text-sm whitespace-pre-wrap text-slate-800";

/** The before side of a diff (what was removed, marked) or the after side (what was added, marked). */
function side(parts: DiffPart[], keep: "before" | "after"): DiffPart[] {
  return parts.filter((p) => (keep === "before" ? p.change !== "added" : p.change !== "removed"));
}

function Column({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <p className="mb-1 text-xs font-medium text-slate-500">{label}</p>
      <pre className={pre}>{children}</pre>
    </div>
  );
}

/**
 * A change to a page's title and text, inline (one text with insertions and deletions marked) or
 * side by side (before and after in two columns). The two radio buttons switch views through CSS
 * alone, so they work before JavaScript loads. When the diff gave up (very different texts) both
 * texts are shown whole.
 */
export function SuggestionDiff({
  diff,
  before,
  after,
  label,
  beforeLabel = "Before",
  afterLabel = "After",
}: {
  diff: PageDiff;
  before: { title: string; body: string };
  after: { title: string; body: string };
  label: string;
  beforeLabel?: string;
  afterLabel?: string;
}) {
  const id = useId();
  const titleChanged = diff.title !== null && diff.title.some((p) => p.change !== "same");
  return (
    <div role="group" aria-label={label} className="group/diff text-sm">
      <fieldset className="mb-3 flex flex-wrap gap-4 text-sm text-slate-700">
        <legend className="sr-only">Show the changes</legend>
        <label className="inline-flex items-center gap-2">
          <input type="radio" name={`${id}-view`} defaultChecked className="accent-brand-600" />
          Inline
        </label>
        <label className="inline-flex items-center gap-2">
          <input type="radio" name={`${id}-view`} className="diff-split-choice accent-brand-600" />
          Side by side
        </label>
      </fieldset>
      {titleChanged ? (
        <div className="mb-3">
          <h3 className="text-xs font-semibold text-slate-500 uppercase">Title</h3>
          <p className="mt-1 font-medium text-slate-900">
            <DiffText parts={diff.title!} />
          </p>
        </div>
      ) : null}
      <h3 className="text-xs font-semibold text-slate-500 uppercase">Text</h3>
      {diff.body ? (
        <>
          <pre className={`${pre} mt-1 group-has-[.diff-split-choice:checked]/diff:hidden`}>
            <DiffText parts={diff.body} />
          </pre>
          <div className="mt-1 hidden gap-3 group-has-[.diff-split-choice:checked]/diff:grid md:grid-cols-2">
            <Column label={beforeLabel}>
              <DiffText parts={side(diff.body, "before")} />
            </Column>
            <Column label={afterLabel}>
              <DiffText parts={side(diff.body, "after")} />
            </Column>
          </div>
        </>
      ) : (
        <>
          <p className="mt-1 text-slate-600">Too different to compare word by word; both texts are shown whole.</p>
          <div className="mt-1 grid gap-3 md:grid-cols-2">
            <Column label={beforeLabel}>{before.body}</Column>
            <Column label={afterLabel}>{after.body}</Column>
          </div>
        </>
      )}
    </div>
  );
}

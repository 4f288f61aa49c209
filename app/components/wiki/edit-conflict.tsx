import { useId, useState } from "react";
import { DiffText, TagDiff, type DiffPart } from "#app/components/content/diff-text.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";
import { RevisionDiff } from "./revision-diff.tsx";

/** The version saved while someone was editing, as the edit form gets it back (EditConflictError's `current` and `meanwhile`). */
export type ConflictView = {
  current: { revision: number; title: string; body: string; tags: string[]; editor: { id: number; name: string } | null; savedAt: Date | string | null };
  meanwhile: { title: DiffPart[] | null; body: DiffPart[] | null; tags: DiffPart[] };
};

const changed = (parts: DiffPart[] | null) => parts === null || parts.some((p) => p.change !== "same");

/**
 * What changed on the page since the editor opened it, word by word: the editor's own text stays
 * in their textarea, unsaved, and the saved text sits beside it (`CurrentText`).
 */
export function ConflictChanges({ conflict, now }: { conflict: ConflictView; now: number }) {
  const { current, meanwhile } = conflict;
  return (
    <section aria-labelledby="meanwhile-heading" className="mb-6 rounded-xl border border-amber-300 bg-amber-50 px-5 py-4">
      <h2 id="meanwhile-heading" className="text-base font-semibold text-amber-950">
        What changed meanwhile (version {current.revision})
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        Saved by {current.editor?.name ?? "someone"}
        {current.savedAt ? (
          <>
            {" "}
            <RelativeTime date={current.savedAt} now={now} />
          </>
        ) : null}
        . Added words are highlighted in green; removed ones are in red and struck through.
      </p>
      <div className="mt-3 space-y-3 text-sm">
        {meanwhile.title && changed(meanwhile.title) ? (
          <p className="font-medium text-slate-900">
            Title: <DiffText parts={meanwhile.title} />
          </p>
        ) : null}
        {changed(meanwhile.tags) ? <TagDiff parts={meanwhile.tags} /> : null}
        {meanwhile.body === null ? (
          <p className="text-slate-700">The text changed too much to compare word by word; the whole current text is shown beside yours.</p>
        ) : changed(meanwhile.body) ? (
          <RevisionDiff parts={meanwhile.body} view="inline" before="Before" after="Now" />
        ) : (
          <p className="text-slate-700">The text itself did not change.</p>
        )}
      </div>
    </section>
  );
}

/** The page's current saved text, read-only beside the editor's own, with a button that copies it. */
export function CurrentText({ conflict }: { conflict: ConflictView }) {
  const id = useId();
  const hydrated = useHydrated();
  const [copied, setCopied] = useState<"" | "copied" | "failed">("");
  function copy() {
    navigator.clipboard.writeText(conflict.current.body).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Current saved text (version {conflict.current.revision}, read-only)
      </label>
      <textarea
        id={id}
        readOnly
        rows={18}
        value={conflict.current.body}
        className="mt-1 block w-full rounded-md border border-amber-300 bg-amber-50/40 px-3 py-2 font-mono text-sm text-slate-800 shadow-sm outline-none focus:ring-2 focus:ring-brand-500"
      />
      <div className="mt-2 flex items-center gap-3">
        {hydrated ? (
          <button type="button" onClick={copy} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50">
            Copy the current text
          </button>
        ) : (
          <span className="text-xs text-slate-500">Select the text to copy it.</span>
        )}
        <span role="status" className="text-sm text-slate-600">
          {copied === "copied" ? "Copied." : copied === "failed" ? "Copying was blocked; select the text and copy it instead." : ""}
        </span>
      </div>
    </div>
  );
}

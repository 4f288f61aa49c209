import type { ReactNode } from "react";
import { Form } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { type DiffPart, DiffText, TagDiff } from "#app/components/content/diff-text.tsx";
import { type OriginalView, type RedactFailure, RedactForm, RedactedOriginal } from "#app/components/moderation/redaction.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/**
 * One revision on a history page (questions and answers, articles, wiki pages): its number, what
 * kind of save it was, whether it is the current one or redacted, who saved it and why, the button
 * that brings it back, and for moderators the redaction form. What changed is the page's own
 * (`children`): each kind compares different fields.
 */

export type RevisionSummary = {
  number: number;
  kind: "create" | "edit" | "rollback";
  editor: { name: string };
  createdAt: Date | string;
  comment: string;
  redacted: boolean;
  original: OriginalView | null;
};

const KIND_TONE = { create: "neutral", edit: "brand", rollback: "amber" } as const;

export function RevisionCard({
  revision: r,
  noun,
  kindLabel,
  current,
  restore,
  canRedact,
  redactFailure,
  now,
  children,
}: {
  revision: RevisionSummary;
  /** What the page calls a saved state: a "revision" of a post or article, a "version" of a wiki page. */
  noun: "revision" | "version";
  kindLabel: string;
  current: boolean;
  /**
   * The button that brings this revision back (its words and intent, and the current revision when
   * the action checks it has not moved on), or null when the reader may not. Never offered for the
   * current revision or a redacted one.
   */
  restore: { intent: string; label: string; baseRevision?: number } | null;
  canRedact: boolean;
  /** The action's refused redaction, whichever revision it was for: only that revision's form shows it. */
  redactFailure: (RedactFailure & { redacting?: unknown }) | null;
  now: number;
  children: ReactNode;
}) {
  return (
    <Card as="section" aria-labelledby={`revision-${r.number}`} className="p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={`revision-${r.number}`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
            {noun === "version" ? "Version" : "Revision"} {r.number}
            <Badge tone={KIND_TONE[r.kind]}>{kindLabel}</Badge>
            {current ? <Badge tone="green">Current</Badge> : null}
            {r.redacted ? <Badge tone="red">Redacted</Badge> : null}
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            {r.editor.name} · <RelativeTime date={r.createdAt} now={now} />
            {r.comment ? <> · “{r.comment}”</> : null}
          </p>
        </div>
        {restore && !current && !r.redacted ? (
          <Form method="post">
            <input type="hidden" name="revision" value={r.number} />
            {restore.baseRevision !== undefined ? <input type="hidden" name="baseRevision" value={restore.baseRevision} /> : null}
            <Button name="intent" value={restore.intent} size="sm">
              {restore.label}
              <span className="sr-only"> ({r.number})</span>
            </Button>
          </Form>
        ) : null}
      </div>
      {children}
      {r.original ? <RedactedOriginal original={r.original} now={now} /> : null}
      {canRedact && !r.redacted && !current ? <RedactForm revision={r.number} noun={noun} failure={redactFailure?.redacting === r.number ? redactFailure : null} /> : null}
    </Card>
  );
}

/** One labelled part of what changed ("Title", "Tags", "Text"). */
export function RevisionPart({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <h3 className="text-xs font-semibold text-slate-500 uppercase">{label}</h3>
      {children}
    </div>
  );
}

/** A changed title, word by word. */
export function TitleChange({ parts }: { parts: DiffPart[] }) {
  return (
    <RevisionPart label="Title">
      <p className="mt-1 font-medium text-slate-900">
        <DiffText parts={parts} />
      </p>
    </RevisionPart>
  );
}

/** Changed tags, added and removed ones marked. */
export function TagsChange({ parts }: { parts: DiffPart[] }) {
  return (
    <RevisionPart label="Tags">
      <div className="mt-1">
        <TagDiff parts={parts} />
      </div>
    </RevisionPart>
  );
}

/** A revision's tags as they are, with nothing to compare them to (the first revision). */
export function PlainTags({ tags }: { tags: readonly string[] }) {
  return <TagDiff parts={tags.map((value) => ({ value, change: "same" as const }))} />;
}

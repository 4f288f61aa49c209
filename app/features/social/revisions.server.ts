import { and, desc, eq, sql } from "drizzle-orm";
import { diffArrays, diffWords, diffWordsWithSpace } from "diff";
import type { Db, Tx } from "#db/client.server.ts";
import { revisions, users } from "#db/schema/index.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Revisions of any item whose kind keeps them (questions, answers, ideas): every save is a
 * numbered version, number 1 the original. A history is every revision, newest first, each with
 * the word diff against the one before it (markdown source, title, tags, category). Diffs are
 * computed here so the browser gets plain parts.
 */

export type Revision = typeof revisions.$inferSelect;

export type DiffPart = { value: string; change: "added" | "removed" | "same" };
/** null when the texts are too different to compare within the time budget: the page shows the full text instead. */
export type TextDiff = DiffPart[] | null;

export type RevisionView = {
  /** The revision's row id: what redactions (and their originals) are keyed by. */
  id: number;
  number: number;
  kind: "create" | "edit" | "rollback";
  rolledBackTo: number | null;
  comment: string;
  createdAt: Date;
  editor: { id: number; name: string };
  title: string | null;
  body: string;
  tags: string[];
  /** "" for kinds without categories. */
  category: string;
  /** A moderator replaced its title and text with the reason (which `title` and `body` now hold). */
  redactedAt: Date | null;
  /** Against the previous revision; null for the first one. */
  diff: { title: TextDiff; body: TextDiff; tags: DiffPart[]; category: DiffPart[] } | null;
};

type Versioned = Pick<RevisionView, "title" | "body" | "tags"> & { category?: string };

// Long, very different texts make the diff quadratic; past this it gives up and says so.
const DIFF_TIMEOUT_MS = 250;

function parts(changes: ReadonlyArray<{ value: string; added: boolean; removed: boolean }> | undefined): TextDiff {
  if (!changes) return null;
  return changes.map((c) => ({ value: c.value, change: c.added ? "added" : c.removed ? "removed" : "same" }));
}

function listParts(before: readonly string[], after: readonly string[]): DiffPart[] {
  return diffArrays([...before], [...after]).flatMap((c) => c.value.map((value) => ({ value, change: c.added ? "added" : c.removed ? "removed" : "same" }) as const));
}

export function diffRevisions(before: Versioned, after: Versioned): NonNullable<RevisionView["diff"]> {
  const categories = (v: Versioned) => (v.category ? [v.category] : []);
  return {
    title: before.title === null && after.title === null ? [] : parts(diffWords(before.title ?? "", after.title ?? "", { timeout: DIFF_TIMEOUT_MS })),
    body: parts(diffWordsWithSpace(before.body, after.body, { timeout: DIFF_TIMEOUT_MS })),
    tags: listParts(before.tags, after.tags),
    category: listParts(categories(before), categories(after)),
  };
}

/**
 * Adds the next revision of an item (its latest number + 1). The caller holds the lock on the
 * item's content row, so two saves never take the same number (and the unique index would stop
 * them if they did).
 */
export async function appendRevision(
  tx: Tx,
  values: {
    itemId: number;
    editorId: number;
    kind?: "create" | "edit" | "rollback";
    title?: string | null;
    body: string;
    tags?: string[];
    category?: string;
    comment?: string;
    rolledBackTo?: number | null;
  },
): Promise<{ number: number }> {
  const [row] = await tx
    .insert(revisions)
    .values({
      itemId: values.itemId,
      number: sql`(select coalesce(max(${revisions.number}), 0) + 1 from ${revisions} where ${revisions.itemId} = ${values.itemId})`,
      kind: values.kind ?? "edit",
      editorId: values.editorId,
      title: values.title ?? null,
      body: values.body,
      tags: values.tags ?? [],
      category: values.category ?? "",
      comment: values.comment ?? "",
      rolledBackTo: values.rolledBackTo ?? null,
    })
    .returning({ number: revisions.number });
  return { number: row!.number };
}

/**
 * An item's history, newest first, with diffs. A redacted revision holds the redaction notice, so
 * diffs on either side of it show that, never the original. Visibility is the caller's: it has
 * loaded the item for the reader.
 *
 * With `limit`, one page of it (`offset` revisions skipped from the newest): only those, and the
 * one before the oldest of them for its diff, are read and compared, so a long history costs the
 * same per screen as a short one.
 */
export async function revisionHistory(db: Db | Tx, itemId: number, options: { limit?: number; offset?: number } = {}): Promise<RevisionView[]> {
  let query = db
    .select({
      id: revisions.id,
      number: revisions.number,
      kind: revisions.kind,
      rolledBackTo: revisions.rolledBackTo,
      comment: revisions.comment,
      createdAt: revisions.createdAt,
      title: revisions.title,
      body: revisions.body,
      tags: revisions.tags,
      category: revisions.category,
      redactedAt: revisions.redactedAt,
      editor: { id: users.id, name: users.name },
    })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.editorId))
    .where(eq(revisions.itemId, itemId))
    .orderBy(desc(revisions.number))
    .$dynamic();
  // One more than the page holds: the revision before the oldest shown, for its diff.
  if (options.limit !== undefined) query = query.limit(options.limit + 1);
  if (options.offset) query = query.offset(options.offset);
  const rows = await query;
  const shown = options.limit === undefined ? rows : rows.slice(0, options.limit);
  return shown.map((r, i) => {
    const previous = rows[i + 1];
    return { ...r, diff: previous ? diffRevisions(previous, r) : null };
  });
}

/** One revision of an item by its number, or null (also for a number that cannot be one). */
export async function revisionAt(db: Db | Tx, itemId: number, number: number): Promise<Revision | null> {
  if (!isRowId(number)) return null;
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.itemId, itemId), eq(revisions.number, number)));
  return row ?? null;
}

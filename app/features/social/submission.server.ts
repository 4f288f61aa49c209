import { and, eq, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "#db/client.server.ts";

/**
 * The one submission-key guard. Every create form carries a random key; the table has a unique
 * index on (author, key). A double submit (two tabs, a retried POST, a double click) must find the
 * first submit's row instead of making a second one:
 *
 *   const first = await earlierSubmission(tx, posts, { author: posts.authorId, key: posts.submissionKey, id: posts.id }, actor.id, key);
 *   if (first) return { id: first, created: false };
 *   const [row] = await tx.insert(posts).values(...).onConflictDoNothing({ target: [posts.authorId, posts.submissionKey] }).returning(...);
 *   if (!row) return { id: (await earlierSubmission(...))!, created: false };   // lost the race to a parallel submit
 *
 * `onceBySubmission` wraps exactly that.
 */
export type SubmissionColumns = { author: AnyPgColumn; key: AnyPgColumn; id: AnyPgColumn };

/** The id of the row this author already created with this key, or null (also when there is no key). */
export async function earlierSubmission(tx: Tx, table: PgTable, columns: SubmissionColumns, authorId: number, key: string | null | undefined): Promise<number | null> {
  if (!key) return null;
  const where: SQL | undefined = and(eq(columns.author, authorId), eq(columns.key, key));
  const [row] = await tx.select({ id: columns.id }).from(table).where(where).limit(1);
  return row ? Number(row.id) : null;
}

/**
 * Runs `create` (an insert with ON CONFLICT DO NOTHING on the author-and-key index, returning the
 * new id or null) unless the author already submitted this key: either way, the id of the one row.
 */
export async function onceBySubmission(
  tx: Tx,
  table: PgTable,
  columns: SubmissionColumns,
  authorId: number,
  key: string | null | undefined,
  create: () => Promise<number | null>,
): Promise<{ id: number; created: boolean }> {
  const earlier = await earlierSubmission(tx, table, columns, authorId, key);
  if (earlier !== null) return { id: earlier, created: false };
  const id = await create();
  if (id !== null) return { id, created: true };
  const winner = await earlierSubmission(tx, table, columns, authorId, key);
  if (winner === null) throw new Error("A submission conflicted but its first row is gone.");
  return { id: winner, created: false };
}

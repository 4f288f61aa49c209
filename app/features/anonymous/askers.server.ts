import { eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { anonymousAskers } from "#db/schema/index.ts";

/**
 * Who asked an anonymous question. The one read of `anonymous_askers` that Q&A's own code makes,
 * and only to act for the asker (their accept, their answer notifications): its result is compared
 * with the actor or handed to `notify`, never returned to a page. Imports nothing of the features,
 * so Q&A can use it without a cycle.
 */
export async function anonymousAskerOf(db: Db | Tx, questionId: number): Promise<number | null> {
  const [row] = await db.select({ userId: anonymousAskers.userId }).from(anonymousAskers).where(eq(anonymousAskers.questionId, questionId)).limit(1);
  return row?.userId ?? null;
}

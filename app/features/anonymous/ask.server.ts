import { createHash } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { anonymousAskers, spaces, uploads } from "#db/schema/index.ts";
import { askQuestion } from "#app/features/qa/posts.server.ts";
import type { AskInput } from "#app/features/qa/schemas.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type Actor, canAdministerSpaces, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { standInId } from "./stand-in.server.ts";

/**
 * Asking anonymously, in a space that allows it: the question is written as the stand-in
 * (stand-in.server.ts) and the real asker goes only into `anonymous_askers`, in the same
 * transaction (docs/anonymous-questions.md).
 */

/** The slugs of the spaces `actor` may see that take anonymous questions (the ask form shows its box for them). One query. */
export async function anonymousSpaceSlugs(db: Db | Tx, actor: Actor): Promise<string[]> {
  const rows = await db
    .select({ slug: spaces.slug })
    .from(spaces)
    .where(and(eq(spaces.anonymousQuestions, true), visibleSpacesCondition(actor)))
    .orderBy(asc(spaces.name));
  return rows.map((r) => r.slug);
}

/**
 * The form's submission key, made the asker's own: the stand-in writes every anonymous question,
 * and the guard against double submits looks keys up per author. A hash, so the stored key names no one.
 */
function askerSubmissionKey(askerId: number, key: string | undefined): string | undefined {
  return key === undefined ? undefined : `anon-${createHash("sha256").update(`${askerId}:${key}`).digest("hex").slice(0, 48)}`;
}

export async function askAnonymously(db: Db, actor: ReputationActor, input: AskInput): Promise<{ id: number; created: boolean }> {
  let standIn = 0;
  return askQuestion(
    db,
    actor,
    { ...input, submissionKey: askerSubmissionKey(actor.id, input.submissionKey) },
    {
      async writer(tx, space) {
        // Checked on the space row the question is written to, inside its transaction.
        if (!space.anonymousQuestions)
          throw InputError.field("anonymous", `${space.name} doesn't take anonymous questions. Leave the box empty to ask with your name, or choose a space that allows it.`);
        standIn = await standInId(tx);
        return standIn;
      },
      async recorded(tx, question) {
        await tx.insert(anonymousAskers).values({ questionId: question.id, userId: actor.id });
        // Images and files the question uses now belong to the question's author as everyone sees it.
        await tx
          .update(uploads)
          .set({ uploaderId: standIn })
          .where(and(eq(uploads.itemId, question.itemId), eq(uploads.uploaderId, actor.id)));
      },
    },
  );
}

/** Admins let a space take anonymous questions, or stop it (questions already asked stay anonymous). */
export async function setAnonymousQuestions(db: Db, actor: Actor, spaceId: number, allowed: boolean): Promise<void> {
  if (!canAdministerSpaces(actor)) spaceNotFound();
  const [row] = await db.update(spaces).set({ anonymousQuestions: allowed, updatedAt: new Date() }).where(eq(spaces.id, spaceId)).returning({ id: spaces.id });
  if (!row) spaceNotFound();
}

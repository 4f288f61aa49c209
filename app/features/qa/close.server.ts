import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, users } from "#db/schema/index.ts";
import { getReputationRules, hasPrivilege, type ReputationActor, type ReputationRules } from "#app/features/reputation/rules.server.ts";
import { inVisibleSpace, type Membership } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { loadQuestion, type PostAccess } from "./access.server.ts";
import type { CloseInput, CloseReason } from "./close-schema.ts";

/**
 * Closing a question (as a duplicate of another, off topic, unclear, resolved) and reopening it.
 * Moderators of the question's space and people with the "close" privilege may do both. A
 * duplicate points at a question the closer can see; a question another one duplicates links
 * back to it, for everyone who may see both.
 */

// Closes as a duplicate take this transaction-scoped advisory lock, so two of them running at once
// cannot each see "no loop" and together build one (A duplicate of B while B duplicate of A).
const DUPLICATE_CLOSE_LOCK = 3_000_101;
// Following a chain of duplicates further than this is a loop or nonsense either way.
const MAX_CHAIN = 50;

/** Why someone who sees the question may not close it (a 403, with what it would take). */
function notACloser(rules: ReputationRules): ForbiddenError {
  return new ForbiddenError(`Closing and reopening questions takes ${rules.thresholds.close} reputation, or a moderator.`);
}

async function requireCloser(tx: Db | Tx, actor: ReputationActor, membership: Membership): Promise<void> {
  const rules = await getReputationRules(tx);
  if (!hasPrivilege(actor, "close", rules, membership)) throw notACloser(rules);
}

/** Whether `actor` may close and reopen questions in a space where they hold `membership`. */
export async function canCloseQuestions(db: Db | Tx, actor: ReputationActor, membership: Membership): Promise<boolean> {
  return hasPrivilege(actor, "close", await getReputationRules(db), membership);
}

/** The original this question would duplicate, checked: visible, live, not itself, no loop. */
async function duplicateTarget(tx: Tx, actor: ReputationActor, questionId: number, duplicateOfId: number) {
  if (duplicateOfId === questionId) throw InputError.field("duplicateOf", "A question cannot be a duplicate of itself: give the original question.");
  let target;
  try {
    // A question in a space the closer cannot see answers exactly like one that does not exist.
    target = await loadQuestion(tx, actor, duplicateOfId);
  } catch (error) {
    if (error instanceof NotFoundError) throw InputError.field("duplicateOf", `There is no question number ${duplicateOfId} that you can see.`);
    throw error;
  }
  const loop = await tx.execute<{ id: number }>(sql`
    with recursive chain(id, next, depth) as (
      select ${posts.id}, ${posts.duplicateOfId}, 0 from ${posts} where ${posts.id} = ${target.post.id}
      union all
      select p.id, p.duplicate_of_id, chain.depth + 1 from ${posts} p join chain on p.id = chain.next where chain.depth < ${MAX_CHAIN}
    )
    select id from chain where id = ${questionId} limit 1`);
  if (loop.length > 0) {
    throw InputError.field("duplicateOf", "That question is already closed as a duplicate of this one: closing this one as its duplicate would make a loop.");
  }
  return target.post;
}

/** `closeQuestion` inside a caller's transaction (the moderation queue closes while it resolves flags). */
export async function closeQuestionInTx(tx: Tx, actor: ReputationActor, questionId: number, input: CloseInput): Promise<void> {
  const duplicateOfId = input.reason === "duplicate" ? (input.duplicateOfId ?? null) : null;
  if (input.reason === "duplicate" && duplicateOfId === null) throw InputError.field("duplicateOf", "Give the link or number of the question this one duplicates.");
  if (duplicateOfId !== null) await tx.execute(sql`select pg_advisory_xact_lock(${DUPLICATE_CLOSE_LOCK})`);
  const { post: question, membership } = await loadQuestion(tx, actor, questionId, { forUpdate: true });
  await requireCloser(tx, actor, membership);
  if (question.closedAt) throw new InputError("This question is already closed. Reopen it first to close it for another reason.");
  if (duplicateOfId !== null) await duplicateTarget(tx, actor, question.id, duplicateOfId);
  await tx
    .update(posts)
    .set({
      closedAt: sql`now()`,
      closedById: actor.id,
      closeReason: input.reason,
      closeNote: input.note?.trim() ?? "",
      duplicateOfId,
      lastActivityAt: sql`now()`,
    })
    .where(eq(posts.id, question.id));
  await enqueueIndexing(tx, "question", [question.id]);
}

export async function closeQuestion(db: Db, actor: ReputationActor, questionId: number, input: CloseInput): Promise<void> {
  await db.transaction((tx) => closeQuestionInTx(tx, actor, questionId, input));
}

export async function reopenQuestion(db: Db, actor: ReputationActor, questionId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const { post: question, membership } = await loadQuestion(tx, actor, questionId, { forUpdate: true });
    await requireCloser(tx, actor, membership);
    if (!question.closedAt) throw new InputError("This question is already open.");
    await tx
      .update(posts)
      .set({ closedAt: null, closedById: null, closeReason: null, closeNote: "", duplicateOfId: null, lastActivityAt: sql`now()` })
      .where(eq(posts.id, question.id));
    await enqueueIndexing(tx, "question", [question.id]);
  });
}

export type QuestionLink = { id: number; title: string };

export type DuplicateLinks = {
  question: QuestionLink;
  /** Set when the question is closed. */
  closed: { at: Date; by: { id: number; name: string } | null; reason: CloseReason; note: string } | null;
  /** The original this one duplicates, when the actor may see it. */
  original: QuestionLink | null;
  /** Closed as a duplicate of a question the actor may not see (or that was deleted): say so, without a link. */
  originalHidden: boolean;
  /** Visible questions closed as duplicates of this one, newest first. */
  duplicates: QuestionLink[];
  /** Whether the actor may close or reopen this question. */
  canClose: boolean;
};

const DUPLICATES_SHOWN = 50;

/** What the question page shows about closing and duplicates, both ways, through the visibility module. */
export async function duplicateLinks(db: Db | Tx, actor: ReputationActor, questionId: number): Promise<DuplicateLinks> {
  const access = await loadQuestion(db, actor, questionId, { allowDeleted: true });
  return duplicateLinksOf(db, actor, access, await getReputationRules(db));
}

/** The close and reopen page: `duplicateLinks`, for those who may close the question (others get a ForbiddenError). */
export async function closePage(db: Db, actor: ReputationActor, questionId: number): Promise<DuplicateLinks> {
  const access = await loadQuestion(db, actor, questionId, { allowDeleted: true });
  const rules = await getReputationRules(db);
  const links = await duplicateLinksOf(db, actor, access, rules);
  if (!links.canClose) throw notACloser(rules);
  return links;
}

/** `duplicateLinks` for a question already loaded through the access module, with the rules in force. */
export async function duplicateLinksOf(db: Db | Tx, actor: ReputationActor, access: PostAccess, rules: ReputationRules): Promise<DuplicateLinks> {
  const { post: question, membership } = access;
  const liveVisibleQuestion = and(eq(posts.type, "question"), isNull(posts.deletedAt), inVisibleSpace(actor, posts.spaceId));
  const [closer, original, duplicates, canClose] = await Promise.all([
    question.closedAt && question.closedById
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(eq(users.id, question.closedById))
          .then((rows) => rows[0] ?? null)
      : null,
    question.duplicateOfId
      ? db
          .select({ id: posts.id, title: posts.title })
          .from(posts)
          .where(and(eq(posts.id, question.duplicateOfId), liveVisibleQuestion))
          .then((rows) => rows[0] ?? null)
      : null,
    db
      .select({ id: posts.id, title: posts.title })
      .from(posts)
      .where(and(eq(posts.duplicateOfId, question.id), liveVisibleQuestion))
      .orderBy(desc(posts.closedAt), desc(posts.id))
      .limit(DUPLICATES_SHOWN),
    hasPrivilege(actor, "close", rules, membership),
  ]);
  return {
    question: { id: question.id, title: question.title ?? "" },
    closed: question.closedAt && question.closeReason ? { at: question.closedAt, by: closer, reason: question.closeReason, note: question.closeNote } : null,
    original: original ? { id: original.id, title: original.title ?? "" } : null,
    originalHidden: question.duplicateOfId !== null && !original,
    duplicates: duplicates.map((d) => ({ id: d.id, title: d.title ?? "" })),
    canClose,
  };
}

import { and, eq, inArray } from "drizzle-orm";
import { data } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { ideaRevisions, postRevisions, revisionRedactions, users } from "#db/schema/index.ts";
import { loadIdea } from "#app/features/ideas/access.server.ts";
import { loadPost } from "#app/features/qa/access.server.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, type Membership, spaceNotFound } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { type RedactInput, redactionNotice } from "./redaction-schema.ts";

/**
 * Redacting a revision, as Stack Overflow for Teams does: a moderator of the item's space (or an
 * admin) replaces a past revision's title and text with "Redacted by a moderator: <reason>", so a
 * secret pasted into a question, an answer or an idea leaves its history and every diff. The
 * original goes to `revision_redactions`, which only admins read (to audit a redaction).
 *
 * The current revision cannot be redacted: it is the text everyone reads and search indexes, so
 * the secret leaves it through an ordinary edit first, and then the older revisions are redacted.
 * The same holds for an older revision whose text is the current one again (after a rollback).
 */

export type RevisionKind = "post" | "idea";

/** Seen but not allowed: the person can read the history, so this is a 403, not a 404. */
function forbidden(): never {
  throw data("Only moderators of this space and admins can redact a revision.", { status: 403 });
}

function mayRedact(actor: Actor, membership: Membership): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && isModerator(actor, membership);
}

const CURRENT_TEXT =
  "This revision's text is the current text. Edit it first to take out what must go, then redact this revision (and any other revision that still holds it).";

export async function redactPostRevision(db: Db, actor: Actor, postId: number, input: RedactInput): Promise<{ revision: number }> {
  return db.transaction(async (tx) => {
    const { post, membership } = await loadPost(tx, actor, postId, { allowDeleted: true, forUpdate: true });
    if (!mayRedact(actor, membership)) forbidden();
    const [revision] = await tx
      .select()
      .from(postRevisions)
      .where(and(eq(postRevisions.postId, post.id), eq(postRevisions.number, input.revision)))
      .for("update");
    if (!revision) spaceNotFound();
    if (revision.redactedAt) throw new InputError(`Revision ${revision.number} is redacted already.`);
    if (revision.number === post.revisionCount || (revision.body === post.body && revision.title === post.title)) throw new InputError(CURRENT_TEXT);
    const notice = redactionNotice(input.reason);
    await keepOriginal(tx, actor, "post", revision, input.reason);
    await tx
      .update(postRevisions)
      // The edit summary goes too: it can name the secret as well ("removed the prod password").
      .set({ title: revision.title === null ? null : notice, body: notice, comment: "", redactedAt: new Date() })
      .where(eq(postRevisions.id, revision.id));
    // A question's document carries its answers: whichever post this is, its question is re-read.
    await enqueueIndexing(tx, "question", [post.parentId ?? post.id]);
    return { revision: revision.number };
  });
}

export async function redactIdeaRevision(db: Db, actor: Actor, ideaId: number, input: RedactInput): Promise<{ revision: number }> {
  return db.transaction(async (tx) => {
    const { idea, membership } = await loadIdea(tx, actor, ideaId, { lock: true });
    if (!mayRedact(actor, membership)) forbidden();
    const [revision] = await tx
      .select()
      .from(ideaRevisions)
      .where(and(eq(ideaRevisions.ideaId, idea.id), eq(ideaRevisions.number, input.revision)))
      .for("update");
    if (!revision) spaceNotFound();
    if (revision.redactedAt) throw new InputError(`Version ${revision.number} is redacted already.`);
    if (revision.number === idea.revisionCount || (revision.body === idea.body && revision.title === idea.title)) throw new InputError(CURRENT_TEXT.replaceAll("revision", "version"));
    const notice = redactionNotice(input.reason);
    await keepOriginal(tx, actor, "idea", revision, input.reason);
    await tx.update(ideaRevisions).set({ title: notice, body: notice, comment: "", redactedAt: new Date() }).where(eq(ideaRevisions.id, revision.id));
    await enqueueIndexing(tx, "idea", [idea.id]);
    return { revision: revision.number };
  });
}

async function keepOriginal(tx: Tx, actor: Actor, kind: RevisionKind, revision: { id: number; title: string | null; body: string; comment: string }, reason: string) {
  await tx.insert(revisionRedactions).values({
    revisionKind: kind,
    revisionId: revision.id,
    originalTitle: revision.title,
    originalBody: revision.body,
    originalComment: revision.comment,
    reason,
    redactedById: actor.id,
  });
}

export type RedactedOriginal = {
  title: string | null;
  body: string;
  comment: string;
  reason: string;
  redactedAt: Date;
  redactedBy: { id: number; name: string };
};

/**
 * The originals of redacted revisions, by revision id: for admins only. Everyone else gets an
 * empty map, whoever they are (the author and the moderator who redacted included).
 */
export async function redactedOriginals(db: Db, actor: Actor, kind: RevisionKind, revisionIds: number[]): Promise<Map<number, RedactedOriginal>> {
  const originals = new Map<number, RedactedOriginal>();
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt || revisionIds.length === 0) return originals;
  const rows = await db
    .select({
      revisionId: revisionRedactions.revisionId,
      title: revisionRedactions.originalTitle,
      body: revisionRedactions.originalBody,
      comment: revisionRedactions.originalComment,
      reason: revisionRedactions.reason,
      redactedAt: revisionRedactions.createdAt,
      redactedBy: { id: users.id, name: users.name },
    })
    .from(revisionRedactions)
    .innerJoin(users, eq(users.id, revisionRedactions.redactedById))
    .where(and(eq(revisionRedactions.revisionKind, kind), inArray(revisionRedactions.revisionId, revisionIds)));
  for (const { revisionId, ...original } of rows) originals.set(revisionId, original);
  return originals;
}

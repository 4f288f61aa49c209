import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { revisionRedactions, revisions, users } from "#db/schema/index.ts";
import { kindDefinition, loadItem } from "#app/features/social/kinds.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { type RedactInput, redactionNotice } from "./redaction-schema.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

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

// Seen but not allowed: the person can read the history, so this is a 403, not a 404.
const NOT_A_REDACTOR = "Only moderators of this space and admins can redact a revision.";

const CURRENT_TEXT = "This revision's text is the current text. Edit it first to take out what must go, then redact this revision (and any other revision that still holds it).";

/**
 * Redacts a past revision of any item whose kind keeps revisions. Only moderators of the item
 * (`canModerate` of its kind) who are active employees may. Every save appends a revision, so the
 * latest one is the current text: it, and any older one with the same text, is refused.
 */
export async function redactRevision(db: Db, actor: Actor, itemId: number, input: RedactInput): Promise<{ revision: number }> {
  return db.transaction(async (tx) => {
    // The content row is locked: an edit cannot slip in between the check and the redaction.
    const access = await loadItem(tx, actor, itemId, { allowDeleted: true, forUpdate: true });
    const definition = kindDefinition(access.kind);
    if (!definition.features.revisions) throw new NotFoundError(`A ${access.kind} has no revisions.`);
    if (actor.kind !== "employee" || actor.deactivatedAt || !access.canModerate) throw new ForbiddenError(NOT_A_REDACTOR);
    // Ideas call their revisions "versions".
    const word = access.kind === "idea" ? "version" : "revision";
    const [revision] = await tx
      .select()
      .from(revisions)
      .where(and(eq(revisions.itemId, access.itemId), eq(revisions.number, input.revision)))
      .for("update");
    if (!revision) throw new NotFoundError();
    if (revision.redactedAt) throw new InputError(`${word === "version" ? "Version" : "Revision"} ${revision.number} is redacted already.`);
    const [current] = await tx.select().from(revisions).where(eq(revisions.itemId, access.itemId)).orderBy(desc(revisions.number)).limit(1);
    if (current && (revision.number === current.number || (revision.body === current.body && revision.title === current.title))) {
      throw new InputError(CURRENT_TEXT.replaceAll("revision", word));
    }
    const notice = redactionNotice(input.reason);
    await keepOriginal(tx, actor, revision, input.reason);
    // The reason is public already (it replaces the text); the original stays in revision_redactions only.
    // About the item's author as everyone sees it (an anonymous question's stand-in, never its asker).
    await recordAudit(tx, {
      actorId: actor.id,
      action: "content.redacted",
      subjectUserId: access.authorId,
      target: { type: access.kind, id: access.itemId },
      spaceId: access.spaceId,
      details: { revision: revision.number, reason: input.reason },
    });
    await tx
      .update(revisions)
      // The edit summary goes too: it can name the secret as well ("removed the prod password").
      .set({ title: revision.title === null ? null : notice, body: notice, comment: "", redactedAt: new Date() })
      .where(eq(revisions.id, revision.id));
    // The item's search document holds its text (an answer's is its question's): it is re-read.
    const document = definition.searchDocument(access);
    if (document) await enqueueIndexing(tx, document.outbox, [document.id]);
    return { revision: revision.number };
  });
}

async function keepOriginal(tx: Tx, actor: Actor, revision: { id: number; title: string | null; body: string; comment: string }, reason: string) {
  await tx.insert(revisionRedactions).values({
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
export async function redactedOriginals(db: Db | Tx, actor: Actor, revisionIds: readonly number[]): Promise<Map<number, RedactedOriginal>> {
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
    .where(inArray(revisionRedactions.revisionId, [...revisionIds]));
  for (const { revisionId, ...original } of rows) originals.set(revisionId, original);
  return originals;
}

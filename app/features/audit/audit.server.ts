import type { Db, Tx } from "#db/client.server.ts";
import { auditLog, hrViews } from "#db/schema/index.ts";
import { currentRequestId } from "#app/lib/request-context.server.ts";
import { AUDIT_ACTIONS, type AuditAction } from "./actions.ts";

/**
 * Issue 23: the audit log's one way in. Call it with the transaction that makes the change, so the
 * entry and the change commit together or not at all. The table is append-only (db/schema/audit.ts):
 * nothing in the app updates or deletes an entry, and PostgreSQL refuses it if anything tried.
 */

export { AUDIT_ACTIONS, type AuditAction };

/**
 * The kinds of entry a person sees about themselves, on their own profile ("About your account"):
 * what was done to their access and what HR looked at, as the people analytics already shows them
 * HR's views (docs/people-analytics.md). A break-glass reveal is listed for the asker, as
 * docs/anonymous-questions.md promises ("who looked, when and why"); its entry names no subject,
 * so the asker's own anonymous questions find it (see `auditAboutMe`). Left out: moderation of
 * their content and decisions on their ideas and drafts, which the pages of those show already;
 * a deactivation, which the person can't sign in to read.
 */
export const AUDIT_VISIBLE_TO_SUBJECT: readonly AuditAction[] = [
  "hr.person_viewed",
  "anonymous.asker_revealed",
  "user.role_changed",
  "user.reactivated",
  "space.member_added",
  "space.member_removed",
  "space.role_changed",
  "reward.approved",
  "reward.declined",
  "token.created",
  "token.revoked",
  "scim.user_reactivated",
  "user.data_exported",
];

/** How the actor acted: a page, an API token, the identity provider's SCIM client, or a job or script. */
export type AuditVia = "user" | "api" | "scim" | "system";

export interface AuditEntry {
  /** Who did it; null for the system. */
  actorId: number | null;
  via?: AuditVia;
  action: AuditAction;
  /** The person the entry is about, when there is one: they may see it (AUDIT_VISIBLE_TO_SUBJECT) and admins filter by it. */
  subjectUserId?: number | null;
  target?: { type: string; id: number | string } | null;
  spaceId?: number | null;
  /** Small and structured: what changed from what to what, a reason. Never a secret, a token or a body. */
  details?: Record<string, unknown>;
  /** The request it was done in; by default the one this code runs for (app/lib/request-context.server.ts), null for a job. */
  requestId?: string | null;
}

/** Writes one entry, in the caller's transaction. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(auditRow(entry));
}

/** Writes several entries at once (a bulk change), in the caller's transaction. */
export async function recordAudits(db: Db | Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await db.insert(auditLog).values(entries.map(auditRow));
}

function auditRow(entry: AuditEntry): typeof auditLog.$inferInsert {
  return {
    actorId: entry.actorId,
    via: entry.via ?? "user",
    action: entry.action,
    subjectUserId: entry.subjectUserId ?? null,
    targetType: entry.target?.type ?? null,
    targetId: entry.target ? String(entry.target.id) : null,
    spaceId: entry.spaceId ?? null,
    details: entry.details ?? {},
    requestId: entry.requestId ?? currentRequestId(),
  };
}

/**
 * A deletion or a restore of a piece of content, in the caller's transaction: about its author, in
 * its space. Every kind's delete path calls this one, so the entries read alike. Content is named by
 * its kind and its item id (items.id, the same for every kind), so the log links to it through
 * `describeItems`; a comment, which is not an item, by "comment" and its own id.
 */
export async function recordDeletion(
  tx: Db | Tx,
  actorId: number,
  content: { type: string; id: number; spaceId: number; authorId: number | null },
  deleted: boolean,
  details?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(tx, {
    actorId,
    action: deleted ? "content.deleted" : "content.undeleted",
    subjectUserId: content.authorId,
    target: { type: content.type, id: content.id },
    spaceId: content.spaceId,
    ...(details ? { details } : {}),
  });
}

/**
 * HR looked at people (a person's analytics page, a shortlist export): one `hr_views` row each,
 * which the person's profile lists, and one audit entry each, written together in one transaction.
 */
export async function recordHrViews(db: Db, viewerId: number, subjectIds: readonly number[], what: "analytics" | "shortlist", viewedAt = new Date()): Promise<void> {
  if (subjectIds.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.insert(hrViews).values(subjectIds.map((subjectId) => ({ viewerId, subjectId, what, viewedAt })));
    await recordAudits(
      tx,
      subjectIds.map((subjectId) => ({ actorId: viewerId, action: "hr.person_viewed" as const, subjectUserId: subjectId, target: { type: "user", id: subjectId }, details: { what } })),
    );
  });
}

import type { Db, Tx } from "#db/client.server.ts";
import { auditLog } from "#db/schema/index.ts";

/**
 * Issue 23: the audit log's one way in. Call it with the transaction that makes the change, so the
 * entry and the change commit together or not at all. The table is append-only (db/schema/audit.ts):
 * nothing in the app updates or deletes an entry, and PostgreSQL refuses it if anything tried.
 */

/**
 * Every action the log records, with the words an admin reads on Admin → Audit log. A new kind of
 * entry is added here first: `recordAudit` takes only these names.
 */
export const AUDIT_ACTIONS = {
  // People and their access.
  "user.role_changed": "Role changed",
  "user.deactivated": "Account deactivated",
  "user.reactivated": "Account reactivated",
  "user.anonymized": "Departed person anonymised",
  "space.member_added": "Added to a space",
  "space.member_removed": "Removed from a space",
  "space.role_changed": "Space role changed",
  "space.visibility_changed": "Space made open or restricted",
  // Content.
  "content.deleted": "Content deleted",
  "content.undeleted": "Content undeleted",
  "content.redacted": "Revision redacted",
  // Decisions.
  "idea.status_changed": "Idea decision",
  "publication.approved": "Publication approved",
  "publication.rejected": "Publication rejected",
  "award.round_closed": "Award round closed",
  "reward.approved": "Reward approved",
  "reward.declined": "Reward declined",
  // HR and confidentiality.
  "hr.person_viewed": "HR viewed a person",
  "anonymous.asker_revealed": "Anonymous asker revealed (break-glass)",
  // Integrations.
  "token.created": "API token created",
  "token.revoked": "API token revoked",
  "scim.user_created": "SCIM: person created",
  "scim.user_updated": "SCIM: person updated",
  "scim.user_deactivated": "SCIM: person deactivated",
  "scim.group_changed": "SCIM: group changed",
  // People's own data.
  "user.data_exported": "Personal data exported",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

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
    requestId: entry.requestId ?? null,
  };
}

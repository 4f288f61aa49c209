import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Issue 23: the audit log. Append-only: the app's role holds only INSERT and SELECT on it, and
 * triggers refuse UPDATE, DELETE and TRUNCATE for everyone, a superuser included (migration 0019).
 * An entry is written in the same transaction as what it records (`recordAudit`), so a rolled-back
 * change leaves no entry and a committed one always has its entry.
 *
 * People are named by id only, never by name or address: an anonymised person's entries stay and
 * read "former employee", like their content. No foreign keys, for the same reason: nothing that
 * happens to a user row may ever have to change an entry.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Who did it: a person's id, or null for the system (a scheduled job, SCIM, an API token's owner is a person). */
    actorId: integer(),
    /** How they acted: "user" (a page), "api" (a token), "scim" (the identity provider), "system" (a job or a script). */
    via: text().notNull().default("user"),
    /** What happened, as `area.verb`: "user.role_changed", "post.deleted", "hr.profile_viewed". Listed in AUDIT_ACTIONS. */
    action: text().notNull(),
    /** The person the entry is about, when it is about one: what people see of entries about themselves, and a filter. */
    subjectUserId: integer(),
    /** The thing acted on: its kind ("question", "idea", "space", "token") and id, as text. */
    targetType: text(),
    targetId: text(),
    /** The space it happened in, when it did. */
    spaceId: integer(),
    /** What changed, small and structured: { from: "member", to: "moderator" }. Never secrets or bodies. */
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The request that did it (the access log line's id), when there was one. */
    requestId: text(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at.desc()),
    index("audit_log_subject_idx")
      .on(t.subjectUserId, t.at.desc())
      .where(sql`${t.subjectUserId} is not null`),
    index("audit_log_actor_idx")
      .on(t.actorId, t.at.desc())
      .where(sql`${t.actorId} is not null`),
    index("audit_log_action_idx").on(t.action, t.at.desc()),
  ],
);

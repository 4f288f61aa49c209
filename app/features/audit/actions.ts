/** The audit log's kinds of entry, shared by the server and the admin page's filter (no server code here: the page's component reads the labels). */

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
  "publication.unpublished": "Publication withdrawn",
  "award.round_created": "Award round created",
  "award.round_moved": "Award round moved to its next phase",
  "award.round_closed": "Award round closed, results out",
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
  "scim.user_reactivated": "SCIM: person reactivated",
  "scim.group_changed": "SCIM: group changed",
  // People's own data.
  "user.data_exported": "Personal data exported",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

import type { DeskTab } from "#app/components/forum-desk/desk-nav.tsx";

/** The forum desk's tabs a plain employee has no use for on the share pages (moderators' work). */
export function deskHide(actor: { role: string }): DeskTab[] {
  return actor.role === "admin" || actor.role === "moderator" ? [] : ["moderation", "responders"];
}

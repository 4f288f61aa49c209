/**
 * Who may delete or restore something (a post, a comment on any kind): moderators always; its
 * author may delete it but restore it only when they deleted it themselves, so that a moderator's
 * removal sticks. A deletion with no recorded deleter counts as a moderator's. Browser-safe: pages
 * use it to decide which buttons to show.
 */
export function canToggleDeletion(actorId: number, item: { authorId: number; deletedAt: Date | string | null; deletedById: number | null }, canModerate: boolean): boolean {
  if (canModerate) return true;
  if (item.authorId !== actorId) return false;
  return item.deletedAt === null || item.deletedById === actorId;
}

/** What an author is told when they try to restore what a moderator removed. */
export const MODERATOR_DELETED = "A moderator deleted this, so only a moderator can restore it.";

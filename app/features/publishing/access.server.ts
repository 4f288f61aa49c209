import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumThreads, posts, publications, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, canSeeSpace, type Membership, type Space, spaceNotFound, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Loading one publication for someone. A draft is seen by whoever sees its question's space, and
 * by the authors whose text is in it (an author who can no longer see the space sees only their
 * own parts: the caller trims the view). Anyone else, a customer, a deactivated account and a
 * missing id all get the same 404.
 */

export type Publication = typeof publications.$inferSelect;

export type PublicationAccess = {
  pub: Publication;
  space: Space;
  membership: Membership;
  question: { id: number; itemId: number; title: string; authorId: number; deleted: boolean };
  proposerName: string;
  /** The forum thread it points at (its own, or the public one a republication replaces). */
  thread: { slug: string; withdrawn: boolean } | null;
  seesSpace: boolean;
  isAuthor: boolean;
  isProposer: boolean;
  /** Moderators of the space, site moderators and admins (who see it). */
  managesSpace: boolean;
  /** An SME (tag_smes) of one of the draft's tags. */
  isSme: boolean;
  /** Someone other than the proposer who could approve as the draft's SME (an active SME who sees the space). */
  otherSme: boolean;
  /** Edit the draft, redact and accept flags: the proposer, the space's moderators, the topic's SMEs, admins. */
  canEdit: boolean;
};

export function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

export async function loadPublication(db: Db | Tx, actor: Actor, id: number, options: { forUpdate?: boolean } = {}): Promise<PublicationAccess> {
  if (!isRowId(id) || !isActiveEmployee(actor)) spaceNotFound();
  const query = db
    .select({
      pub: publications,
      space: spaces,
      role: spaceMembers.role,
      question: { id: posts.id, itemId: posts.itemId, title: posts.title, authorId: posts.authorId, deletedAt: posts.deletedAt },
      proposerName: users.name,
      threadSlug: forumThreads.slug,
      threadWithdrawnAt: forumThreads.withdrawnAt,
      isAuthor: sql<boolean>`exists (select 1 from publication_parts pp where pp.publication_id = ${publications.id} and pp.author_id = ${actor.id})`,
      isSme: sql<boolean>`exists (select 1 from tag_smes ts join tags t on t.id = ts.tag_id where ts.user_id = ${actor.id} and t.name = any(${publications.tags}))`,
      // An SME who could never approve (deactivated, or outside a restricted space) doesn't count: an admin approves instead.
      otherSme: sql<boolean>`exists (select 1 from tag_smes ts join tags t on t.id = ts.tag_id join users u on u.id = ts.user_id join spaces s on s.id = ${publications.spaceId}
        where t.name = any(${publications.tags}) and ts.user_id <> ${publications.proposerId} and ${userSeesSpaceSql})`,
    })
    .from(publications)
    .innerJoin(spaces, eq(spaces.id, publications.spaceId))
    .innerJoin(posts, eq(posts.id, publications.questionId))
    .innerJoin(users, eq(users.id, publications.proposerId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .leftJoin(forumThreads, eq(forumThreads.id, publications.threadId))
    .where(eq(publications.id, id))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: publications }) : await query;
  if (!row) spaceNotFound();
  const membership: Membership = row.role ? { role: row.role } : null;
  const seesSpace = canSeeSpace(actor, row.space, membership);
  if (!seesSpace && !row.isAuthor) spaceNotFound();
  const isProposer = row.pub.proposerId === actor.id;
  const managesSpace = seesSpace && isModerator(actor, membership);
  const isSme = seesSpace && row.isSme;
  return {
    pub: row.pub,
    space: row.space,
    membership,
    question: { id: row.question.id, itemId: row.question.itemId, title: row.question.title ?? "", authorId: row.question.authorId, deleted: row.question.deletedAt !== null },
    proposerName: row.proposerName,
    thread: row.threadSlug === null ? null : { slug: row.threadSlug, withdrawn: row.threadWithdrawnAt !== null },
    seesSpace,
    isAuthor: row.isAuthor,
    isProposer,
    managesSpace,
    isSme,
    otherSme: row.otherSme,
    canEdit: seesSpace && (isProposer || managesSpace || isSme),
  };
}

import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, spaceMembers, spaces } from "#db/schema/index.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, canSeeSpace, type Membership, type Space, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Loading one question or answer for someone, through the visibility module. A post in a space
 * the actor may not see, a deleted post (for anyone but moderators and its author) and a missing
 * post all answer the same 404.
 */

export type Post = typeof posts.$inferSelect;
export type PostAccess = {
  post: Post;
  space: Space;
  membership: Membership;
  /** Site moderators and admins, and moderators of this post's space. */
  canModerate: boolean;
};

/** The 404 for a hidden, deleted or missing post. */
export function postNotFound(): never {
  return spaceNotFound();
}

/** A post by its own id, or by its item's id (the social layer's routes name items). */
export type PostKey = { postId: number } | { itemId: number };

export async function loadPost(db: Db | Tx, actor: Actor, postId: number, options: { allowDeleted?: boolean; forUpdate?: boolean; type?: Post["type"] } = {}): Promise<PostAccess> {
  return loadPostBy(db, actor, { postId }, options);
}

export async function loadPostBy(db: Db | Tx, actor: Actor, key: PostKey, options: { allowDeleted?: boolean; forUpdate?: boolean; type?: Post["type"] } = {}): Promise<PostAccess> {
  const id = "postId" in key ? key.postId : key.itemId;
  if (!isRowId(id)) postNotFound();
  const query = db
    .select({ post: posts, space: spaces, role: spaceMembers.role })
    .from(posts)
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .where(and("postId" in key ? eq(posts.id, id) : eq(posts.itemId, id), visibleSpacesCondition(actor)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: posts }) : await query;
  if (!row) postNotFound();
  const membership: Membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, row.space, membership)) postNotFound();
  if (options.type && row.post.type !== options.type) postNotFound();
  const canModerate = isModerator(actor, membership);
  if (row.post.deletedAt && !(options.allowDeleted && (canModerate || row.post.authorId === actor.id))) postNotFound();
  return { post: row.post, space: row.space, membership, canModerate };
}

/** A question (not an answer) by id, for someone; see `loadPost`. */
export function loadQuestion(db: Db | Tx, actor: Actor, questionId: number, options: { allowDeleted?: boolean; forUpdate?: boolean } = {}) {
  return loadPost(db, actor, questionId, { ...options, type: "question" });
}

import type { Db } from "#db/client.server.ts";
import { type RedactedOriginal, redactedOriginals } from "#app/features/moderation/redaction.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type RevisionView as ItemRevision, revisionHistory } from "#app/features/social/revisions.server.ts";
import { loadPost, loadQuestion } from "./access.server.ts";
import { canEditPost } from "./edit.server.ts";

/**
 * A post's history page: the social layer's revisions of its item (newest first, with word diffs),
 * what the reader may do with them, and the originals of redacted revisions for admins.
 */

export type RevisionView = Omit<ItemRevision, "id" | "redactedAt"> & {
  /** A moderator replaced its title and text with the reason (which `title` and `body` now hold). */
  redacted: boolean;
  /** What it said before the redaction: for admins only, null for everyone else. */
  original: RedactedOriginal | null;
};

export async function postHistory(db: Db, actor: ReputationActor, postId: number) {
  // Moderators and the author still see the history of a deleted post, as they see the post.
  const access = await loadPost(db, actor, postId, { allowDeleted: true });
  const { post, space } = access;
  const question = post.parentId ? (await loadQuestion(db, actor, post.parentId, { allowDeleted: true })).post : post;
  const [rows, canRollback] = await Promise.all([revisionHistory(db, post.itemId), canEditPost(db, actor, access)]);
  const originals = await redactedOriginals(
    db,
    actor,
    rows.filter((r) => r.redactedAt).map((r) => r.id),
  );
  const revisions: RevisionView[] = rows.map(({ id, redactedAt, ...r }) => ({ ...r, redacted: redactedAt !== null, original: originals.get(id) ?? null }));
  return {
    post: { id: post.id, itemId: post.itemId, type: post.type, deleted: post.deletedAt !== null, currentRevision: post.revisionCount },
    question: { id: question.id, title: question.title ?? "" },
    space: { slug: space.slug, name: space.name },
    revisions,
    canRollback: canRollback && post.deletedAt === null,
    canRedact: access.canModerate,
  };
}

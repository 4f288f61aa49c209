import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { posts } from "#db/schema/index.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { itemFollowers } from "#app/features/social/follows.server.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { type ItemAccess, type KindDefinition, registerKind } from "#app/features/social/registry.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { loadPostBy, loadQuestion, type Post, type PostAccess } from "./access.server.ts";
import { removePost } from "./edit.server.ts";
import { questionUrl } from "./question-url.ts";
import { castPostVote } from "./votes.server.ts";

/**
 * Questions and answers on the social layer. Both live in `posts`; an answer is seen on its
 * question's page (its `pageItemId` is the question's item, its URL the question's with
 * `#answer-N`), and a question's search document carries its answers, so every change to either
 * re-indexes the question.
 */

/** A post as an item, keeping its row and its question's (itself for a question) for Q&A's own code. */
export type PostItemAccess = ItemAccess & { access: PostAccess; question: Post };

function asItem(access: PostAccess, question: Post): PostItemAccess {
  const { post } = access;
  return {
    itemId: post.itemId,
    kind: post.type,
    contentId: post.id,
    spaceId: post.spaceId,
    space: access.space,
    membership: access.membership,
    authorId: post.authorId,
    deletedAt: post.deletedAt,
    deletedById: post.deletedById,
    title: question.title ?? "",
    pageItemId: question.itemId,
    pageContentId: question.id,
    url: post.parentId ? questionUrl(question, `answer-${post.id}`) : questionUrl(post),
    canModerate: access.canModerate,
    access,
    question,
  };
}

/**
 * A question or answer by its item id, through `loadPost`'s rules. An answer under a deleted
 * question is hidden with it (from everyone but the question's author and moderators, and only
 * where deleted items may be loaded at all). `forUpdate` locks the post's own row.
 */
export async function loadPostItem(tx: Db | Tx, actor: Actor, itemId: number, options: { forUpdate?: boolean; allowDeleted?: boolean } = {}): Promise<PostItemAccess> {
  const access = await loadPostBy(tx, actor, { itemId }, options);
  const question = access.post.parentId ? (await loadQuestion(tx, actor, access.post.parentId, { allowDeleted: options.allowDeleted ?? false })).post : access.post;
  return asItem(access, question);
}

const question = alias(posts, "question");

async function describePosts(db: Db | Tx, actor: Actor, itemIds: readonly number[]) {
  if (itemIds.length === 0) return [];
  const rows = await db
    .select({
      post: { itemId: posts.itemId, id: posts.id, type: posts.type, spaceId: posts.spaceId, authorId: posts.authorId, title: posts.title, body: posts.body, deletedAt: posts.deletedAt },
      question: { id: question.id, itemId: question.itemId, title: question.title, deletedAt: question.deletedAt },
    })
    .from(posts)
    .innerJoin(question, eq(question.id, sql`coalesce(${posts.parentId}, ${posts.id})`))
    .where(and(inArray(posts.itemId, [...itemIds]), inVisibleSpace(actor, posts.spaceId)));
  return rows.map(({ post, question: q }) => ({
    itemId: post.itemId,
    kind: post.type,
    contentId: post.id,
    spaceId: post.spaceId,
    title: q.title ?? "",
    pageItemId: q.itemId,
    url: post.type === "answer" ? questionUrl(q, `answer-${post.id}`) : questionUrl(q),
    // An answer under a deleted question is gone with it.
    deleted: post.deletedAt !== null || q.deletedAt !== null,
    authorId: post.authorId,
    excerpt: post.type === "question" ? `${post.title ?? ""}: ${plainExcerpt(post.body, 180)}` : plainExcerpt(post.body),
  }));
}

function postKind(kind: "question" | "answer"): KindDefinition {
  return {
    kind,
    features: KIND_FEATURES[kind],
    load: loadPostItem,
    describe: describePosts,
    async commentsChanged(tx, item, delta) {
      await tx
        .update(posts)
        .set({ commentCount: sql`greatest(${posts.commentCount} + ${delta}, 0)` })
        .where(eq(posts.id, item.contentId));
      // A new (or restored) comment is activity on the thread: the question's activity time moves,
      // and with it a sort key of its search document. A removed one changes neither.
      if (delta === 1) {
        const questionId = item.pageContentId ?? item.contentId;
        await tx
          .update(posts)
          .set({ lastActivityAt: sql`now()` })
          .where(eq(posts.id, questionId));
        await enqueueIndexing(tx, "question", [questionId], { priority: 1 });
      }
    },
    async commentAudience(tx, item) {
      // The post's author and the people following its question (its asker among them).
      return { recipients: [item.authorId, ...(await itemFollowers(tx, item.pageItemId))], notification: "comment" };
    },
    vote: (db, actor, itemId, value) => castPostVote(db, actor, { itemId }, value),
    remove: (db, actor, itemId) => removePost(db, actor, { itemId }),
    searchDocument: (item) => ({ outbox: "question", id: item.pageContentId ?? item.contentId }),
  };
}

registerKind(postKind("question"));
registerKind(postKind("answer"));

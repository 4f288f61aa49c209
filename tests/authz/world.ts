import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { articles, kudos, posts, users, wikiPages } from "#db/schema/index.ts";
import { giveKudos } from "#app/features/recognition/kudos.server.ts";
import { articleSlug } from "#app/features/articles/article-url.ts";
import { slugify } from "#app/features/qa/question-url.ts";
import { createArticle } from "#tests/factories/articles.ts";
import { createAnswer, createComment, createQuestion, createSpace, createTags, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { ACTORS, type ActorName, type Kind, type Variant } from "./matrix.ts";

/**
 * The world the authorization matrix runs in: one real row per actor (made with the factories)
 * and, per kind of item, one in an open space, one in a restricted space, a deleted one and a
 * closed or merged one where the kind has those states, plus an id that does not exist. A
 * colleague who is none of the actors writes every item, so no actor is an author: the matrix is
 * about who may see and do what, and an author's rights are the feature tests' business.
 */

export type Params = Record<string, string>;

export type World = {
  /** The user row of each actor (an id of 0 for the anonymous visitor, who has none). */
  users: Record<ActorName, { id: number }>;
  /** The admin's whole row, for the features that take an actor (making a SCIM token). */
  admin: Awaited<ReturnType<typeof createUser>>;
  /** Route params of each kind's items, by variant (only the variants the kind has). */
  items: Record<Kind, Partial<Record<Variant, Params>>>;
};

/** An id no row has: what a hidden item must answer exactly like. */
const MISSING = "987654321";

export async function buildWorld(db: Db): Promise<World> {
  const author = await createUser(db, { name: "Item Author", reputation: 100_000 });
  const made = {
    anonymous: { id: 0 },
    customer: await createUser(db, {}, "customer"),
    deactivated: await createUser(db, {}, "deactivated"),
    member: await createUser(db),
    outsider: await createUser(db),
    spaceModerator: await createUser(db),
    moderator: await createUser(db, {}, "moderator"),
    hr: await createUser(db, {}, "hr"),
    admin: await createUser(db, {}, "admin"),
  } satisfies Record<ActorName, { id: number }>;
  if (Object.keys(made).length !== ACTORS.length) throw new Error("buildWorld: one row per actor");

  const open = await createSpace(db, { moderators: [author] });
  const restricted = await createSpace(db, { members: [made.member], moderators: [author] }, "restricted");
  // The moderator of another space: a space-level moderator role, in a space none of the items is in.
  await createSpace(db, { moderators: [made.spaceModerator] });
  await createTags(db, ["general", "authz-tag"]);

  const question = async (space: { slug: string }) => {
    const id = await createQuestion(db, { author, space, tags: ["authz-tag"] });
    const [row] = await db.select().from(posts).where(eq(posts.id, id));
    return { id, itemId: row!.itemId, slug: slugify(row!.title ?? "") };
  };
  const qOpen = await question(open);
  const qRestricted = await question(restricted);
  const qDeleted = await question(open);
  const qClosed = await question(open);
  const qMerged = await question(open);
  await db.update(posts).set({ deletedAt: new Date(), deletedById: made.admin.id }).where(eq(posts.id, qDeleted.id));
  await db.update(posts).set({ closedAt: new Date(), closedById: made.admin.id, closeReason: "off_topic" }).where(eq(posts.id, qClosed.id));
  await db.update(posts).set({ closedAt: new Date(), closedById: made.admin.id, closeReason: "duplicate", duplicateOfId: qOpen.id }).where(eq(posts.id, qMerged.id));
  const questionParams = (q: { id: number; itemId: number; slug: string }): Params => ({
    questionId: String(q.id),
    postId: String(q.id),
    itemId: String(q.itemId),
    slug: q.slug,
  });

  const answer = async (questionId: number) => {
    const id = await createAnswer(db, { author, questionId });
    const [row] = await db.select().from(posts).where(eq(posts.id, id));
    return { postId: String(id), itemId: String(row!.itemId) };
  };
  const aOpen = await answer(qOpen.id);
  const aRestricted = await answer(qRestricted.id);
  const aDeleted = await answer(qOpen.id);
  await db
    .update(posts)
    .set({ deletedAt: new Date(), deletedById: made.admin.id })
    .where(eq(posts.id, Number(aDeleted.postId)));

  const comment = async (postId: number) => ({ commentId: String(await createComment(db, { author, postId })) });

  const campaign = async (space: { slug: string }) => {
    const campaignId = await createCampaign(db, { sponsor: author, space });
    const ideaId = await createIdea(db, { author, campaignId });
    return { campaignId: String(campaignId), ideaId: String(ideaId) };
  };
  const cOpen = await campaign(open);
  const cRestricted = await campaign(restricted);

  const wiki = async (space: { slug: string }) => {
    const id = await createWikiPage(db, { author, space });
    const [row] = await db.select().from(wikiPages).where(eq(wikiPages.id, id));
    return { pageId: String(id), slug: row!.slug, itemId: String(row!.itemId) };
  };
  const wOpen = await wiki(open);
  const wRestricted = await wiki(restricted);
  const wDeleted = await wiki(open);
  await db
    .update(wikiPages)
    .set({ deletedAt: new Date() })
    .where(eq(wikiPages.id, Number(wDeleted.pageId)));

  const article = async (space: { slug: string }) => {
    const id = await createArticle(db, { author, space });
    const [row] = await db.select().from(articles).where(eq(articles.id, id));
    return { articleId: String(id), slug: articleSlug(row!.title), itemId: String(row!.itemId) };
  };
  const arOpen = await article(open);
  const arRestricted = await article(restricted);
  const arDeleted = await article(open);
  await db
    .update(articles)
    .set({ deletedAt: new Date() })
    .where(eq(articles.id, Number(arDeleted.articleId)));

  // Kudos: a public one, a private one (only the giver, the receiver and their manager see it), a withdrawn one.
  const value = await createValue(db);
  const receiver = await createUser(db);
  const giveTo = async (isPrivate: boolean) => ({
    kudosId: String((await giveKudos(db, author, { receiverIds: [receiver.id], message: "Thanks for the runbook.", valueId: value.id, pointsEach: 0, private: isPrivate })).id),
  });
  const kOpen = await giveTo(false);
  const kPrivate = await giveTo(true);
  const kDeleted = await giveTo(false);
  await db
    .update(kudos)
    .set({ deletedAt: new Date() })
    .where(eq(kudos.id, Number(kDeleted.kudosId)));

  const departed = await createUser(db, {}, "deactivated");
  await db.update(users).set({ name: "Departed Colleague" }).where(eq(users.id, departed.id));

  const missing = (...names: string[]): Params => Object.fromEntries(names.map((n) => [n, MISSING]));

  return {
    users: made,
    admin: made.admin,
    items: {
      none: { open: {} },
      space: { open: { slug: open.slug }, restricted: { slug: restricted.slug }, missing: { slug: "no-such-space" } },
      question: {
        open: questionParams(qOpen),
        restricted: questionParams(qRestricted),
        deleted: questionParams(qDeleted),
        closed: questionParams(qClosed),
        merged: questionParams(qMerged),
        missing: { ...missing("questionId", "postId", "itemId"), slug: "missing" },
      },
      answer: { open: aOpen, restricted: aRestricted, deleted: aDeleted, missing: missing("postId", "itemId") },
      comment: {
        open: await comment(qOpen.id),
        restricted: await comment(qRestricted.id),
        missing: missing("commentId"),
      },
      tag: { open: { name: "authz-tag" }, missing: { name: "no-such-tag" } },
      person: { open: { userId: String(author.id) }, deleted: { userId: String(departed.id) }, missing: missing("userId") },
      campaign: { open: { campaignId: cOpen.campaignId }, restricted: { campaignId: cRestricted.campaignId }, missing: missing("campaignId") },
      idea: { open: { ideaId: cOpen.ideaId }, restricted: { ideaId: cRestricted.ideaId }, missing: missing("ideaId") },
      wiki: { open: wOpen, restricted: wRestricted, deleted: wDeleted, missing: { ...missing("pageId", "itemId"), slug: "missing" } },
      article: { open: arOpen, restricted: arRestricted, deleted: arDeleted, missing: { ...missing("articleId", "itemId"), slug: "missing" } },
      kudos: { open: kOpen, restricted: kPrivate, deleted: kDeleted, missing: missing("kudosId") },
      // Kinds with no rows made here: their routes are checked with an id that does not exist.
      other: {
        missing: {
          ...missing("suggestionId", "templateId", "badgeId", "roundId", "threadId", "escalationId", "sessionId", "kitId", "notificationId", "endpointId", "connectionId", "publicationId"),
          pageId: wOpen.pageId,
          key: "no-such-upload",
          token: "no-such-token",
          table: "no-such-table",
        },
      },
    },
  };
}

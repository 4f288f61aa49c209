import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { articles, comments, kudos, posts, users, wikiPages } from "#db/schema/index.ts";
import { giveKudos } from "#app/features/recognition/kudos.server.ts";
import { articleSlug } from "#app/features/articles/article-url.ts";
import { slugify } from "#app/features/qa/question-url.ts";
import { createArticle } from "#tests/factories/articles.ts";
import { createAnswer, createComment, createQuestion, createSpace, createTags, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import {
  createAwardRound,
  createBadge,
  createChatConnection,
  createEscalation,
  createForumThread,
  createLiveSession,
  createMailToken,
  createNotification,
  createPublication,
  createShareKit,
  createUnsubscribeToken,
  createUpload,
  createWebhookEndpoint,
  createWikiSuggestion,
  createWikiTemplate,
} from "#tests/factories/kinds.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { ACTORS, type ActorName, type Kind, type Variant } from "./matrix.ts";

/**
 * The world the authorization matrix runs in: one real row per actor (made with the factories)
 * and, per kind of item, one in an open space, one in a restricted space, a deleted one (in each
 * space) and a closed or merged one where the kind has those states, the states that change who
 * may see a kind (a live session, a published or withdrawn publication, a round whose results are
 * out, a suggestion waiting for review...), plus an id that does not exist. A colleague who is none
 * of the actors writes every item, so no actor is an author: the matrix is about who may see and
 * do what, and an author's rights are the feature tests' business. The one exception is a
 * notification: one to `member` (their own) beside one to the author (another person's).
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

/**
 * `dataDir` is the running server's DATA_DIR, where an upload's bytes go (the environment's, which
 * tests/production-server.ts sets while its server runs, when not given).
 */
export async function buildWorld(db: Db, options: { dataDir?: string } = {}): Promise<World> {
  const dataDir = options.dataDir ?? process.env.DATA_DIR;
  if (!dataDir) throw new Error("buildWorld: no DATA_DIR for the uploads' bytes; start the server first");
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
  const qRestrictedDeleted = await question(restricted);
  for (const q of [qDeleted, qRestrictedDeleted]) await db.update(posts).set({ deletedAt: new Date(), deletedById: made.admin.id }).where(eq(posts.id, q.id));
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
  const aRestrictedDeleted = await answer(qRestricted.id);
  for (const a of [aDeleted, aRestrictedDeleted])
    await db
      .update(posts)
      .set({ deletedAt: new Date(), deletedById: made.admin.id })
      .where(eq(posts.id, Number(a.postId)));

  const comment = async (postId: number, deleted = false) => {
    const id = await createComment(db, { author, postId });
    if (deleted) await db.update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, id));
    return { commentId: String(id) };
  };

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
  const wRestrictedDeleted = await wiki(restricted);
  for (const w of [wDeleted, wRestrictedDeleted])
    await db
      .update(wikiPages)
      .set({ deletedAt: new Date() })
      .where(eq(wikiPages.id, Number(w.pageId)));

  const article = async (space: { slug: string }) => {
    const id = await createArticle(db, { author, space });
    const [row] = await db.select().from(articles).where(eq(articles.id, id));
    return { articleId: String(id), slug: articleSlug(row!.title), itemId: String(row!.itemId) };
  };
  const arOpen = await article(open);
  const arRestricted = await article(restricted);
  const arDeleted = await article(open);
  const arRestrictedDeleted = await article(restricted);
  for (const ar of [arDeleted, arRestrictedDeleted])
    await db
      .update(articles)
      .set({ deletedAt: new Date() })
      .where(eq(articles.id, Number(ar.articleId)));

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

  // Recognition: badges and award rounds live in a space (custom ones in the company space; here in ours).
  const badge = async (space: { id: number }, archived = false) => ({ badgeId: String(await createBadge(db, { author, space, archived })) });
  const round = async (space: { id: number }, phase: "nominations" | "results") => ({ roundId: String(await createAwardRound(db, { author, space, phase })) });
  // Live sessions: internal ones in a space, forum ones (no space) for every employee.
  const liveSession = async (space: { id: number } | null, status: "scheduled" | "live" | "ended") => ({ sessionId: String(await createLiveSession(db, { author, space, status })) });
  // Publications of questions of their own (one draft per question).
  const publication = async (space: { slug: string }, status: "draft" | "published" | "withdrawn") => {
    const q = await question(space);
    return { publicationId: String(await createPublication(db, { proposer: author, questionId: q.id, status })) };
  };
  const suggestion = async (page: { pageId: string }, status: "open" | "declined") => ({
    pageId: page.pageId,
    suggestionId: String(await createWikiSuggestion(db, { author, pageId: Number(page.pageId), status })),
  });
  const template = async (space: { id: number }) => ({ templateId: String(await createWikiTemplate(db, { author, space })) });
  const notification = async (user: { id: number }, q: { itemId: number }, space: { id: number }) => ({
    notificationId: String(await createNotification(db, { user, actor: author, spaceId: space.id, itemId: q.itemId })),
  });
  const upload = async (itemId: number | null) => createUpload(db, { uploader: author, itemId, dataDir });
  // Mail's links: valid ones, and ones no longer good (expired, or signed with a key since replaced).
  const tokenHolder = await createUser(db);
  const mailTokens = async (holder: { id: number }, stale: boolean) => ({
    unsubscribe: await createUnsubscribeToken(db, { user: holder, scope: "answers", stale }),
    verify: await createMailToken(db, { user: holder, purpose: "verify_email", expired: stale }),
    reset: await createMailToken(db, { user: holder, purpose: "reset_password", expired: stale }),
  });

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
        restrictedDeleted: questionParams(qRestrictedDeleted),
        missing: { ...missing("questionId", "postId", "itemId"), slug: "missing" },
      },
      answer: { open: aOpen, restricted: aRestricted, deleted: aDeleted, restrictedDeleted: aRestrictedDeleted, missing: missing("postId", "itemId") },
      comment: {
        open: await comment(qOpen.id),
        restricted: await comment(qRestricted.id),
        deleted: await comment(qOpen.id, true),
        restrictedDeleted: await comment(qRestricted.id, true),
        missing: missing("commentId"),
      },
      tag: { open: { name: "authz-tag" }, missing: { name: "no-such-tag" } },
      person: { open: { userId: String(author.id) }, deleted: { userId: String(departed.id) }, missing: missing("userId") },
      campaign: { open: { campaignId: cOpen.campaignId }, restricted: { campaignId: cRestricted.campaignId }, missing: missing("campaignId") },
      idea: { open: { ideaId: cOpen.ideaId }, restricted: { ideaId: cRestricted.ideaId }, missing: missing("ideaId") },
      wiki: { open: wOpen, restricted: wRestricted, deleted: wDeleted, restrictedDeleted: wRestrictedDeleted, missing: { ...missing("pageId", "itemId"), slug: "missing" } },
      article: { open: arOpen, restricted: arRestricted, deleted: arDeleted, restrictedDeleted: arRestrictedDeleted, missing: { ...missing("articleId", "itemId"), slug: "missing" } },
      kudos: { open: kOpen, restricted: kPrivate, deleted: kDeleted, missing: missing("kudosId") },
      // Closed: archived.
      badge: { open: await badge(open), restricted: await badge(restricted), closed: await badge(open, true), missing: missing("badgeId") },
      // Open: taking nominations; published: its results are out.
      round: { open: await round(open, "nominations"), restricted: await round(restricted, "nominations"), published: await round(open, "results"), missing: missing("roundId") },
      // Open and restricted: internal, scheduled; live: on the forum, happening now; closed: internal, ended.
      liveSession: {
        open: await liveSession(open, "scheduled"),
        restricted: await liveSession(restricted, "live"),
        live: await liveSession(null, "live"),
        closed: await liveSession(open, "ended"),
        missing: missing("sessionId"),
      },
      // Open: nobody assigned yet; closed: resolved.
      escalation: {
        open: { escalationId: String(await createEscalation(db, { status: "open" })) },
        closed: { escalationId: String(await createEscalation(db, { status: "resolved" })) },
        missing: missing("escalationId"),
      },
      // A customer's question: shown, held for moderation (pending), withdrawn by the customer (deleted).
      forumThread: {
        open: { threadId: String(await createForumThread(db, { state: "visible" })) },
        pending: { threadId: String(await createForumThread(db, { state: "pending" })) },
        deleted: { threadId: String(await createForumThread(db, { state: "withdrawn" })) },
        missing: missing("threadId"),
      },
      // Open and restricted: proposed (a draft); published on the forum; unpublished: withdrawn from it.
      publication: {
        open: await publication(open, "draft"),
        restricted: await publication(restricted, "draft"),
        published: await publication(open, "published"),
        unpublished: await publication(open, "withdrawn"),
        missing: missing("publicationId"),
      },
      // Kits are the whole company's: active, or archived (closed).
      kit: { open: { kitId: String(await createShareKit(db, { author })) }, closed: { kitId: String(await createShareKit(db, { author, archived: true })) }, missing: missing("kitId") },
      // Open and restricted: waiting for review, on each space's page; closed: declined.
      suggestion: {
        open: await suggestion(wOpen, "open"),
        restricted: await suggestion(wRestricted, "open"),
        closed: await suggestion(wOpen, "declined"),
        missing: { pageId: wOpen.pageId, suggestionId: MISSING },
      },
      template: { open: await template(open), restricted: await template(restricted), missing: missing("templateId") },
      // Open: member's own (about the open question); restricted: the author's, about the restricted one.
      notification: {
        open: await notification(made.member, qOpen, open),
        restricted: await notification(author, qRestricted, restricted),
        missing: missing("notificationId"),
      },
      // Attached to a question in each space, to a deleted one in each, or to nothing yet (pending, the author's).
      upload: {
        open: await upload(qOpen.itemId),
        restricted: await upload(qRestricted.itemId),
        deleted: await upload(qDeleted.itemId),
        restrictedDeleted: await upload(qRestrictedDeleted.itemId),
        pending: await upload(null),
        missing: { key: "NoSuchUploadKey_0123456", filename: "pixel.png" },
      },
      // Set up by someone else, for each space's events.
      endpoint: {
        open: { endpointId: String(await createWebhookEndpoint(db, { author, space: open })) },
        restricted: { endpointId: String(await createWebhookEndpoint(db, { author, space: restricted })) },
        missing: missing("endpointId"),
      },
      connection: {
        open: { connectionId: String(await createChatConnection(db, { author, space: open })) },
        restricted: { connectionId: String(await createChatConnection(db, { author, space: restricted })) },
        missing: missing("connectionId"),
      },
      // Open: valid links; closed: expired, or (unsubscribe) signed with a replaced key.
      mailToken: {
        open: await mailTokens(author, false),
        closed: await mailTokens(tokenHolder, true),
        missing: { unsubscribe: "no-such-token", verify: "no-such-token", reset: "no-such-token" },
      },
      // HR's CSVs (by table name), and the params of the kinds above by their old names, for callers that used them.
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

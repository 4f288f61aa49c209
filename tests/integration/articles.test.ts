import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import { describe, expect, test, vi } from "vitest";
import { articles, follows, notifications, outbox, reputationEvents, revisions, votes } from "#db/schema/index.ts";
import { loadArticle } from "#app/features/articles/access.server.ts";
import {
  changePublication,
  createArticle as writeArticle,
  deleteArticle,
  editArticle,
  publishDueArticles,
  restoreArticleRevision,
  undeleteArticle,
} from "#app/features/articles/articles.server.ts";
import { articleFeed, articlesBy, myDrafts } from "#app/features/articles/feeds.server.ts";
import { articleHistory, articlePage } from "#app/features/articles/page.server.ts";
import { castItemVote } from "#app/features/social/votes.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import { setFollowing } from "#app/features/social/follows.server.ts";
import { addComment } from "#app/features/social/comments.server.ts";
import { inbox } from "#app/features/notifications/inbox.server.ts";
import { flagItem, moderationQueue, resolveFlags } from "#app/features/moderation/flags.server.ts";
import { saveReputationRules, DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import pino from "pino";
import { startScheduler } from "../../server/scheduler.ts";
import { setupTestDb } from "#tests/db.ts";
import { reputationOf, thrown } from "#tests/helpers.ts";
import { createArticle, createSpace, createUser, storedArticle } from "#tests/factories/index.ts";

/**
 * Articles as a feature: who sees an article, a draft, a scheduled one and a deleted one; the feeds;
 * the schedule job and who hears about a publication; votes and reputation; revisions and restore;
 * double submits. Routes are covered in articles-routes.test.ts.
 */
const t = setupTestDb();
const HOUR = 3600 * 1000;

const handle = (user: { email: string }) => `@${user.email.split("@")[0]}`;

async function world() {
  const author = await createUser(t.db);
  const member = await createUser(t.db);
  const moderator = await createUser(t.db);
  const outsider = await createUser(t.db);
  const admin = await createUser(t.db, {}, "admin");
  const customer = await createUser(t.db, {}, "customer");
  // A site moderator moderates every space; `moderator` only the restricted one.
  const siteModerator = await createUser(t.db, {}, "moderator");
  const space = await createSpace(t.db, { members: [author, member], moderators: [moderator] }, "restricted");
  const open = await createSpace(t.db);
  return { author, member, moderator, siteModerator, outsider, admin, customer, space, open };
}

async function notificationsOf(userId: number, itemId?: number) {
  return t.db
    .select({ kind: notifications.kind, itemId: notifications.itemId, actorId: notifications.actorId })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), itemId === undefined ? undefined : eq(notifications.itemId, itemId)));
}

describe("who sees an article", () => {
  test("a published article in a restricted space: members see it; an outsider, a customer and a deactivated account get the 404 of a missing one", async () => {
    const { author, member, moderator, outsider, admin, customer, space } = await world();
    const id = await createArticle(t.db, { author, space });
    for (const reader of [author, member, moderator, admin]) expect((await loadArticle(t.db, reader, id)).article.id).toBe(id);
    const gone = await createUser(t.db, {}, "deactivated");
    for (const reader of [outsider, customer, gone]) {
      const hidden = await thrown(loadArticle(t.db, reader, id));
      expect(hidden).toBeInstanceOf(NotFoundError);
      expect(hidden).toEqual(await thrown(loadArticle(t.db, reader, 2_000_000_000)));
    }
  });

  test("drafts and scheduled articles are their author's alone: members, moderators and admins get the 404 of a missing one", async () => {
    const { author, member, moderator, admin, open } = await world();
    const draft = await createArticle(t.db, { author, space: open }, "draft");
    const scheduled = await createArticle(t.db, { author, space: open }, "scheduled");
    for (const id of [draft, scheduled]) {
      expect((await articlePage(t.db, author, id)).article.id).toBe(id);
      for (const reader of [member, moderator, admin]) {
        expect(await thrown(loadArticle(t.db, reader, id, { allowDeleted: true }))).toEqual(await thrown(loadArticle(t.db, reader, 2_000_000_000)));
        expect(await thrown(articleHistory(t.db, reader, id))).toBeInstanceOf(NotFoundError);
      }
      // The inbox and the moderation queue name items through `describe`: a draft is not there for anyone else either.
      const { itemId } = await storedArticle(t.db, id);
      expect((await describeItems(t.db, member, [itemId])).size).toBe(0);
      expect((await describeItems(t.db, author, [itemId])).get(itemId)?.title).toBeTruthy();
    }
    // Nor in any feed, even its author's: feeds hold published articles only.
    for (const reader of [author, member, admin]) expect((await articleFeed(t.db, reader, { sort: "newest", page: 1, spaceId: open.id })).rows).toEqual([]);
    // The author finds them in their drafts, the scheduled one first.
    expect((await myDrafts(t.db, author, 1)).rows.map((r) => r.id)).toEqual([scheduled, draft]);
    expect((await myDrafts(t.db, member, 1)).rows).toEqual([]);
  });

  test("a deleted article stays with its author and moderators (where deleted items may be loaded) and leaves the feeds", async () => {
    const { author, member, moderator, space } = await world();
    const id = await createArticle(t.db, { author, space });
    await deleteArticle(t.db, author, id);
    expect(await thrown(loadArticle(t.db, member, id, { allowDeleted: true }))).toBeInstanceOf(NotFoundError);
    expect((await articlePage(t.db, moderator, id)).article.deleted).toBe(true);
    expect((await articlePage(t.db, author, id)).canToggleDeletion).toBe(true);
    expect((await articleFeed(t.db, author, { sort: "newest", page: 1, spaceId: space.id })).rows).toEqual([]);
    // The author restores their own deletion; a moderator's removal sticks for them.
    await undeleteArticle(t.db, author, id);
    await deleteArticle(t.db, moderator, id);
    expect(await thrown(undeleteArticle(t.db, author, id))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(deleteArticle(t.db, member, id))).toBeInstanceOf(NotFoundError);
    await undeleteArticle(t.db, moderator, id);
    expect((await storedArticle(t.db, id)).deletedAt).toBeNull();
  });
});

describe("feeds", () => {
  test("newest, most read, following, by type, tag and author; only published articles in visible spaces, a page at a time", async () => {
    const { author, member, outsider, space, open } = await world();
    const other = await createUser(t.db);
    const first = await createArticle(t.db, { author: other, space: open, type: "how_to", tags: ["onboarding"] });
    const second = await createArticle(t.db, { author, space: open, type: "announcement" });
    const secret = await createArticle(t.db, { author, space });
    await createArticle(t.db, { author, space: open }, "draft");
    await t.db.update(articles).set({ viewCount: 50 }).where(eq(articles.id, first));
    const feed = (reader: typeof member, input: Partial<Parameters<typeof articleFeed>[2]> = {}) =>
      articleFeed(t.db, reader, { sort: "newest", page: 1, ...input }).then((p) => p.rows.map((r) => r.id));

    expect(await feed(member)).toEqual([secret, second, first]);
    expect(await feed(outsider)).toEqual([second, first]);
    expect(await feed(member, { sort: "most_read" })).toEqual([first, secret, second]);
    expect(await feed(member, { type: "how_to" })).toEqual([first]);
    expect(await feed(member, { tag: "onboarding" })).toEqual([first]);
    expect(await feed(member, { authorId: author.id })).toEqual([secret, second]);
    expect(await feed(member, { spaceId: space.id })).toEqual([secret]);
    // Following: nothing until the reader follows someone; then that person's articles.
    expect(await feed(member, { sort: "following" })).toEqual([]);
    await setFollowing(t.db, member, { personId: author.id }, true);
    expect(await feed(member, { sort: "following" })).toEqual([secret, second]);
    expect(await feed(outsider, { sort: "following" })).toEqual([]);

    const paged = await articleFeed(t.db, member, { sort: "newest", page: 2, pageSize: 2 });
    expect(paged).toMatchObject({ total: 3, offset: 2 });
    expect(paged.rows.map((r) => r.id)).toEqual([first]);
    expect(await articleFeed(t.db, member, { sort: "newest", page: 9, pageSize: 2 })).toMatchObject({ rows: [], total: 3 });
    // A profile shows the newest few the viewer may read.
    expect((await articlesBy(t.db, outsider, author.id)).rows.map((r) => r.id)).toEqual([second]);
    expect((await articlesBy(t.db, member, author.id)).total).toBe(2);
  });
});

describe("publication", () => {
  test("publishing tells the author's followers and the people mentioned, once each; a draft tells nobody", async () => {
    const { author, member, moderator, outsider, space } = await world();
    await setFollowing(t.db, member, { personId: author.id }, true);
    await setFollowing(t.db, outsider, { personId: author.id }, true);
    await setFollowing(t.db, moderator, { personId: author.id }, true);
    const body = `Thanks to ${handle(moderator)} for the review, we now do things differently.`;
    const draft = await createArticle(t.db, { author, space, body }, "draft");
    expect(await notificationsOf(member.id)).toEqual([]);
    expect(await notificationsOf(moderator.id)).toEqual([]);

    await changePublication(t.db, author, draft, { intent: "publish", publishAt: null });
    const { itemId, status, publishedAt } = await storedArticle(t.db, draft);
    expect(status).toBe("published");
    expect(publishedAt).not.toBeNull();
    expect(await notificationsOf(member.id, itemId)).toEqual([{ kind: "article", itemId, actorId: author.id }]);
    // Mentioned and a follower: the mention only.
    expect(await notificationsOf(moderator.id, itemId)).toEqual([{ kind: "mention", itemId, actorId: author.id }]);
    // A follower outside the restricted space hears nothing.
    expect(await notificationsOf(outsider.id)).toEqual([]);
    // The inbox shows it, under the article's title.
    expect((await inbox(t.db, member)).items.map((i) => [i.kind, i.itemKind])).toEqual([["article", "article"]]);
  });

  test("the schedule job publishes due articles at their scheduled time, notifies once, and is idempotent", async () => {
    const { author, member, open } = await world();
    await setFollowing(t.db, member, { personId: author.id }, true);
    const soon = await createArticle(t.db, { author, space: open, publishInHours: 1 }, "scheduled");
    const later = await createArticle(t.db, { author, space: open, publishInHours: 5 }, "scheduled");
    const gone = await createArticle(t.db, { author, space: open, publishInHours: 1 }, "scheduled");
    await deleteArticle(t.db, author, gone);
    expect(await publishDueArticles(t.db, new Date())).toBe(0);
    expect(await notificationsOf(member.id)).toEqual([]);

    const inTwoHours = new Date(Date.now() + 2 * HOUR);
    await t.db.delete(outbox);
    // Other tests of this file left scheduled articles too: everything due goes out, each exactly once.
    const due = await t.db.$count(articles, and(eq(articles.status, "scheduled"), lte(articles.publishAt, inTwoHours), isNull(articles.deletedAt)));
    expect(due).toBeGreaterThanOrEqual(1);
    // Two instances at once.
    const counts = await Promise.all([publishDueArticles(t.db, inTwoHours), publishDueArticles(t.db, inTwoHours)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(due);
    const published = await storedArticle(t.db, soon);
    expect(published.status).toBe("published");
    expect(published.publishedAt).toEqual(published.publishAt);
    expect((await storedArticle(t.db, later)).status).toBe("scheduled");
    expect((await storedArticle(t.db, gone)).status).toBe("scheduled");
    expect(await notificationsOf(member.id)).toEqual([{ kind: "article", itemId: published.itemId, actorId: author.id }]);
    const indexed = (await t.db.select().from(outbox).where(eq(outbox.kind, "article"))).map((r) => r.itemId);
    expect(indexed).toContain(soon);
    expect(indexed).toHaveLength(due);
    expect(await publishDueArticles(t.db, inTwoHours)).toBe(0);
    expect(await notificationsOf(member.id)).toHaveLength(1);
    // Now in the feed, at its scheduled time.
    expect((await articleFeed(t.db, member, { sort: "newest", page: 1, spaceId: open.id })).rows.map((r) => r.id)).toEqual([soon]);
  });

  test("the scheduler started with the app runs the job: an article whose time has come goes out", async () => {
    const { author, open } = await world();
    const id = await createArticle(t.db, { author, space: open }, "scheduled");
    // Its time has come (as if an hour had passed).
    await t.db
      .update(articles)
      .set({ publishAt: new Date(Date.now() - 60_000) })
      .where(eq(articles.id, id));
    const stop = startScheduler(t.db, pino({ level: "silent" }), 50);
    try {
      await vi.waitFor(async () => expect((await storedArticle(t.db, id)).status).toBe("published"), { timeout: 10_000, interval: 20 });
    } finally {
      stop();
    }
  });

  test("scheduling needs a time in the future; unscheduling makes a draft again; a published article stays published", async () => {
    const { author, open } = await world();
    const now = new Date();
    const base = { space: open.slug, type: "knowledge" as const, title: "Planning next quarter", body: "Body text long enough to be valid here.", tags: [], submissionKey: undefined };
    const past = await thrown(writeArticle(t.db, author, { ...base, intent: "schedule", publishAt: new Date(now.getTime() - HOUR) }, now));
    expect((past as InputError).fieldErrors.publishAt).toMatch(/future/);
    expect(await t.db.$count(articles, eq(articles.authorId, author.id))).toBe(0);

    const { id } = await writeArticle(t.db, author, { ...base, intent: "schedule", publishAt: new Date(now.getTime() + HOUR) }, now);
    await changePublication(t.db, author, id, { intent: "draft", publishAt: null });
    expect(await storedArticle(t.db, id)).toMatchObject({ status: "draft", publishAt: null });
    await changePublication(t.db, author, id, { intent: "publish", publishAt: null });
    const refused = await thrown(changePublication(t.db, author, id, { intent: "draft", publishAt: null }));
    expect(refused).toBeInstanceOf(InputError);
    expect((await storedArticle(t.db, id)).status).toBe("published");
  });

  test("a double submit creates one article, one revision and one set of notifications", async () => {
    const { author, member, open } = await world();
    await setFollowing(t.db, member, { personId: author.id }, true);
    const input = {
      space: open.slug,
      type: "personal" as const,
      title: "My first year here",
      body: "What I learned in my first year, in some detail.",
      tags: ["culture"],
      intent: "publish" as const,
      publishAt: null,
      submissionKey: "key-12345678",
    };
    const results = await Promise.all([writeArticle(t.db, author, input), writeArticle(t.db, author, input)]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.db.select().from(articles).where(eq(articles.authorId, author.id));
    expect(rows).toHaveLength(1);
    expect(await t.db.$count(revisions, eq(revisions.itemId, rows[0]!.itemId))).toBe(1);
    expect(await notificationsOf(member.id)).toHaveLength(1);
    // The author follows their article from the start.
    expect(await t.db.$count(follows, and(eq(follows.userId, author.id), eq(follows.itemId, rows[0]!.itemId)))).toBe(1);
  });
});

describe("votes and reputation", () => {
  test("up and down votes move the score and the author's reputation by the admin's weights; nobody votes on their own", async () => {
    const { author, member, siteModerator, admin, open } = await world();
    await saveReputationRules(t.db, admin, { ...DEFAULT_REPUTATION_RULES, weights: { ...DEFAULT_REPUTATION_RULES.weights, articleUpvoted: 7, articleDownvoted: -3 } });
    const id = await createArticle(t.db, { author, space: open });
    const { itemId } = await storedArticle(t.db, id);
    const own = await thrown(castItemVote(t.db, { ...author, reputation: 0 }, itemId, "up"));
    expect((own as InputError).message).toBe("You can't vote on your own article.");

    expect(await castItemVote(t.db, { ...member, reputation: 0 }, itemId, "up")).toEqual({ score: 1, myVote: 1 });
    expect(await reputationOf(t.db, author.id)).toBe(7);
    // Voting down takes the privilege; a moderator has it.
    expect(await thrown(castItemVote(t.db, { ...member, reputation: 0 }, itemId, "down"))).toBeInstanceOf(InputError);
    expect(await castItemVote(t.db, siteModerator, itemId, "down")).toEqual({ score: 0, myVote: -1 });
    expect(await reputationOf(t.db, author.id)).toBe(4);
    // Changing and taking back a vote reverses what it gave.
    await castItemVote(t.db, { ...member, reputation: 0 }, itemId, "none");
    await castItemVote(t.db, siteModerator, itemId, "none");
    expect(await reputationOf(t.db, author.id)).toBe(0);
    expect(await storedArticle(t.db, id)).toMatchObject({ score: 0, upvoteCount: 0, downvoteCount: 0 });
    const reasons = await t.db.select({ reason: reputationEvents.reason }).from(reputationEvents).where(eq(reputationEvents.itemId, itemId));
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(["article_upvoted", "article_downvoted"]));
    expect(await t.db.$count(votes, eq(votes.itemId, itemId))).toBe(0);
  });

  test("parallel upvotes count exactly, and article upvotes count toward the daily cap", async () => {
    const { author, admin, open } = await world();
    await saveReputationRules(t.db, admin, { ...DEFAULT_REPUTATION_RULES, dailyCap: 25 });
    const id = await createArticle(t.db, { author, space: open });
    const { itemId } = await storedArticle(t.db, id);
    const voters = await Promise.all(Array.from({ length: 4 }, () => createUser(t.db)));
    await Promise.all(voters.map((v) => castItemVote(t.db, { ...v, reputation: 0 }, itemId, "up")));
    expect((await storedArticle(t.db, id)).score).toBe(4);
    // Four upvotes at 10 each, capped at 25 for the day.
    expect(await reputationOf(t.db, author.id)).toBe(25);
  });

  test("drafts and hidden articles cannot be voted on by anyone else: the 404 of a missing item", async () => {
    const { author, member, outsider, space, open } = await world();
    const draft = await createArticle(t.db, { author, space: open }, "draft");
    const secret = await createArticle(t.db, { author, space });
    for (const [id, voter] of [
      [draft, member],
      [secret, outsider],
    ] as const) {
      const { itemId } = await storedArticle(t.db, id);
      expect(await thrown(castItemVote(t.db, { ...voter, reputation: 0 }, itemId, "up"))).toBeInstanceOf(NotFoundError);
    }
    expect(
      await t.db
        .select()
        .from(votes)
        .where(inArray(votes.userId, [member.id, outsider.id])),
    ).toEqual([]);
  });
});

describe("revisions", () => {
  test("every save is a revision; restore brings back an old title, text, type and tags as a new revision; mentions added by an edit notify", async () => {
    const { author, member, siteModerator, open } = await world();
    const id = await createArticle(t.db, { author, space: open, title: "The original title", body: "The original text of the article.", tags: ["alpha"] });
    await editArticle(t.db, author, id, {
      type: "how_to",
      title: "A better title",
      body: `A better text, reviewed by ${handle(member)}.`,
      tags: ["beta"],
      comment: "clearer",
      intent: "save",
      publishAt: null,
    });
    const { itemId } = await storedArticle(t.db, id);
    expect(await notificationsOf(member.id, itemId)).toEqual([{ kind: "mention", itemId, actorId: author.id }]);
    // Nothing changed: refused with a message, nothing written.
    const same = await thrown(
      editArticle(t.db, author, id, {
        type: "how_to",
        title: "A better title",
        body: `A better text, reviewed by ${handle(member)}.`,
        tags: ["beta"],
        comment: "",
        intent: "save",
        publishAt: null,
      }),
    );
    expect(same).toBeInstanceOf(InputError);
    // Another member may not edit; a moderator may.
    expect(
      await thrown(editArticle(t.db, member, id, { type: "how_to", title: "Hijacked title", body: "Some other text entirely.", tags: [], comment: "", intent: "save", publishAt: null })),
    ).toBeInstanceOf(ForbiddenError);
    await editArticle(t.db, siteModerator, id, {
      type: "how_to",
      title: "A better title",
      body: "Moderated text of the article.",
      tags: ["beta"],
      comment: "",
      intent: "save",
      publishAt: null,
    });

    await restoreArticleRevision(t.db, author, id, 1);
    expect(await storedArticle(t.db, id)).toMatchObject({ title: "The original title", body: "The original text of the article.", type: "knowledge", tags: ["alpha"], revisionCount: 4 });
    const history = await articleHistory(t.db, author, id);
    expect(history.revisions.map((r) => [r.number, r.kind, r.rolledBackTo])).toEqual([
      [4, "rollback", 1],
      [3, "edit", null],
      [2, "edit", null],
      [1, "create", null],
    ]);
    expect(history.revisions[2]!.diff?.category.filter((p) => p.change !== "same").map((p) => p.value)).toEqual(["knowledge", "how_to"]);
    expect(history.canRestore).toBe(true);
    expect((await articleHistory(t.db, member, id)).canRestore).toBe(false);
    // Restoring the current text again is refused; another member may not restore.
    expect(await thrown(restoreArticleRevision(t.db, author, id, 4))).toBeInstanceOf(InputError);
    expect(await thrown(restoreArticleRevision(t.db, member, id, 2))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(restoreArticleRevision(t.db, author, id, 99))).toBeInstanceOf(NotFoundError);
  });

  test("comments reach the author and the article's followers, and move the comment count", async () => {
    const { author, member, open } = await world();
    const reader = await createUser(t.db);
    const id = await createArticle(t.db, { author, space: open });
    const { itemId } = await storedArticle(t.db, id);
    await setFollowing(t.db, reader, { itemId }, true);
    const comment = await addComment(t.db, { ...member, reputation: 0 }, itemId, { body: "Thanks, this helps a lot.", submissionKey: undefined });
    expect(comment.pageUrl).toMatch(new RegExp(`^/articles/${id}/.+#comment-${comment.id}$`));
    expect((await storedArticle(t.db, id)).commentCount).toBe(1);
    expect(await notificationsOf(author.id, itemId)).toEqual([{ kind: "comment", itemId, actorId: member.id }]);
    expect(await notificationsOf(reader.id, itemId)).toEqual([{ kind: "comment", itemId, actorId: member.id }]);
    expect((await articlePage(t.db, author, id)).comments.map((c) => c.id)).toEqual([comment.id]);
  });
});

describe("moderation", () => {
  test("a flagged article waits in its space's queue, named by its title, and the queue's delete removes it", async () => {
    const { author, member, moderator, space } = await world();
    const id = await createArticle(t.db, { author, space, title: "Buy cheap watches today" });
    const { itemId } = await storedArticle(t.db, id);
    await flagItem(t.db, member, itemId, { reason: "spam", details: "" });
    const queue = await moderationQueue(t.db, moderator);
    expect(queue.items.find((i) => i.key === `item-${itemId}`)?.target).toMatchObject({ kind: "article", canDelete: true, page: { title: "Buy cheap watches today" } });
    await resolveFlags(t.db, { ...moderator, reputation: 0 }, { itemId }, { action: "delete", resolution: "Spam." });
    const stored = await storedArticle(t.db, id);
    expect(stored.deletedById).toBe(moderator.id);
    expect(await thrown(loadArticle(t.db, member, id))).toBeInstanceOf(NotFoundError);
  });
});

describe("following people", () => {
  test("anyone may follow a colleague, not themselves, not a customer; unfollowing stops it", async () => {
    const { author, member, customer } = await world();
    expect(await setFollowing(t.db, member, { personId: author.id }, true)).toEqual({ following: true });
    expect(await setFollowing(t.db, member, { personId: author.id }, true)).toEqual({ following: true });
    expect(await t.db.$count(follows, and(eq(follows.userId, member.id), eq(follows.personId, author.id)))).toBe(1);
    expect(await thrown(setFollowing(t.db, member, { personId: member.id }, true))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(setFollowing(t.db, member, { personId: customer.id }, true))).toBeInstanceOf(NotFoundError);
    expect(await thrown(setFollowing(t.db, customer, { personId: author.id }, true))).toBeInstanceOf(NotFoundError);
    await setFollowing(t.db, member, { personId: author.id }, false);
    expect(await t.db.$count(follows, eq(follows.userId, member.id))).toBe(0);
  });
});

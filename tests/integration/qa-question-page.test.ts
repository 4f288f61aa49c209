import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { postViews, posts } from "#db/schema/index.ts";
import { deletePost } from "#app/features/qa/edit.server.ts";
import { deleteComment } from "#app/features/social/comments.server.ts";
import { setFollowing } from "#app/features/social/follows.server.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

const HOUR = 3600_000;

/** A second handle on the test database that counts every statement it sends. */
const counted = countingDb(t);

async function setScore(id: number, score: number) {
  await t.db.update(posts).set({ score }).where(eq(posts.id, id));
}

describe("the question page", () => {
  test("answers come accepted first, then by score, then oldest first; comments sit under their post", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, title: "Which queue do we use for billing jobs?" });
    const people = await Promise.all([1, 2, 3, 4].map(() => createUser(t.db)));
    const a1 = await createAnswer(t.db, { author: people[0]!, questionId });
    const a2 = await createAnswer(t.db, { author: people[1]!, questionId });
    const a3 = await createAnswer(t.db, { author: people[2]!, questionId });
    const a4 = await createAnswer(t.db, { author: people[3]!, questionId });
    await setScore(a3, 5);
    await setScore(a4, -1);
    // a1 and a2 tie on score 0: the older one first.
    await t.db.update(posts).set({ acceptedAnswerId: a4 }).where(eq(posts.id, questionId));
    const c1 = await createComment(t.db, { author: people[0]!, postId: questionId, body: "Which region?" });
    const c2 = await createComment(t.db, { author: asker, postId: a2, body: "Thanks, **that** helped." });

    const page = await questionPage(t.db, asker, questionId, new Date());
    expect(page.answers.map((a) => a.id)).toEqual([a4, a3, a1, a2]);
    expect(page.answers[0]!.accepted).toBe(true);
    expect(page.answers.slice(1).every((a) => !a.accepted)).toBe(true);
    expect(page.question.title).toBe("Which queue do we use for billing jobs?");
    expect(page.question.comments.map((c) => c.id)).toEqual([c1]);
    const second = page.answers.find((a) => a.id === a2)!;
    expect(second.comments.map((c) => c.id)).toEqual([c2]);
    expect(second.comments[0]!.bodyHtml).toContain("<strong>that</strong>");
    expect(second.comments[0]!.author).toMatchObject({ id: asker.id, name: asker.name });
    expect(page.question.author.id).toBe(asker.id);
    expect(page.question.canEdit).toBe(true);
    expect(second.canEdit).toBe(false);
    expect(second.canDelete).toBe(false);
  });

  test("the reader's own votes and whether they follow the question come with the thread", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const reader = await createUser(t.db, { reputation: 100 });
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const up = await createAnswer(t.db, { author: answerer, questionId });
    const down = await createAnswer(t.db, { author: asker, questionId });
    const untouched = await createAnswer(t.db, { author: answerer, questionId });
    const before = await questionPage(t.db, reader, questionId, new Date());
    expect(before.votes).toEqual({});
    expect(before.following).toBe(false);

    await castVote(t.db, reader, questionId, 1);
    await castVote(t.db, reader, up, 1);
    await castVote(t.db, reader, down, -1);
    await castVote(t.db, answerer, untouched, 1).catch(() => {}); // someone else's (refused self-vote): never the reader's
    await setFollowing(t.db, reader, { itemId: before.question.itemId }, true);
    const after = await questionPage(t.db, reader, questionId, new Date());
    expect(after.votes).toEqual({ [questionId]: 1, [up]: 1, [down]: -1 });
    expect(after.following).toBe(true);
    // Another reader sees none of it.
    const other = await questionPage(t.db, await createUser(t.db), questionId, new Date());
    expect(other.votes).toEqual({});
    expect(other.following).toBe(false);
  });

  test("deleted answers and comments: hidden from others, shown (marked) to their author and to moderators", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const commenter = await createUser(t.db);
    const reader = await createUser(t.db);
    const siteModerator = await createUser(t.db, {}, "moderator");
    const spaceModerator = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [spaceModerator] });
    const questionId = await createQuestion(t.db, { author: asker, space });
    const kept = await createAnswer(t.db, { author: asker, questionId });
    const gone = await createAnswer(t.db, { author: answerer, questionId });
    const comment = await createComment(t.db, { author: commenter, postId: kept });
    await deletePost(t.db, answerer, gone);
    await deleteComment(t.db, commenter, comment);

    const forReader = await questionPage(t.db, reader, questionId, new Date());
    expect(forReader.answers.map((a) => a.id)).toEqual([kept]);
    expect(forReader.answers[0]!.comments).toEqual([]);
    expect(forReader.question.answerCount).toBe(1);

    // The asker wrote neither: the question's author sees no more than anyone else.
    const forAsker = await questionPage(t.db, asker, questionId, new Date());
    expect(forAsker.answers.map((a) => a.id)).toEqual([kept]);

    const forAnswerer = await questionPage(t.db, answerer, questionId, new Date());
    expect(forAnswerer.answers.map((a) => [a.id, a.deleted])).toEqual([
      [kept, false],
      [gone, true],
    ]);
    expect(forAnswerer.answers[0]!.comments).toEqual([]);

    const forCommenter = await questionPage(t.db, commenter, questionId, new Date());
    expect(forCommenter.answers[0]!.comments.map((c) => [c.id, c.deleted])).toEqual([[comment, true]]);
    expect(forCommenter.answers.map((a) => a.id)).toEqual([kept]);

    for (const moderator of [siteModerator, spaceModerator]) {
      const page = await questionPage(t.db, moderator, questionId, new Date());
      expect(page.canModerate).toBe(true);
      expect(page.answers.map((a) => [a.id, a.deleted])).toEqual([
        [kept, false],
        [gone, true],
      ]);
      expect(page.answers[0]!.comments.map((c) => c.deleted)).toEqual([true]);
      expect(page.answers.every((a) => a.canDelete)).toBe(true);
    }
  });

  test("a deleted question is a 404 except for its author and moderators", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    await deletePost(t.db, asker, questionId);
    await expect(questionPage(t.db, reader, questionId, new Date())).rejects.toThrow(NotFoundError);
    expect((await questionPage(t.db, asker, questionId, new Date())).question.deleted).toBe(true);
    expect((await questionPage(t.db, moderator, questionId, new Date())).question.deleted).toBe(true);
  });

  test("a question in a space one may not see answers 404, like a missing one", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const space = await createSpace(t.db, { members: [member] }, "restricted");
    const questionId = await createQuestion(t.db, { author: member, space });
    expect((await questionPage(t.db, member, questionId, new Date())).question.id).toBe(questionId);
    for (const who of [outsider, customer]) {
      await expect(questionPage(t.db, who, questionId, new Date())).rejects.toThrow(NotFoundError);
    }
    await expect(questionPage(t.db, member, 2_000_000_000, new Date())).rejects.toThrow(NotFoundError);
    await expect(questionPage(t.db, member, Number.NaN, new Date())).rejects.toThrow(NotFoundError);
    // An answer's id is not a question page.
    const answerId = await createAnswer(t.db, { author: member, questionId });
    await expect(questionPage(t.db, member, answerId, new Date())).rejects.toThrow(NotFoundError);
    // The outsider's attempt did not count as a view.
    const views = await t.db.select().from(postViews).where(eq(postViews.postId, questionId));
    expect(views.map((v) => v.userId)).toEqual([member.id]);
  });

  test("the page costs the same number of queries with 1 answer and 1 comment as with 30 answers and 50 comments", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const db = counted.db;

    const small = await createQuestion(t.db, { author: asker, space });
    const smallAnswer = await createAnswer(t.db, { author: reader, questionId: small });
    await createComment(t.db, { author: asker, postId: smallAnswer });

    const big = await createQuestion(t.db, { author: asker, space });
    const authors = await Promise.all(Array.from({ length: 10 }, () => createUser(t.db)));
    const answerIds: number[] = [];
    for (let i = 0; i < 30; i++) answerIds.push(await createAnswer(t.db, { author: authors[i % authors.length]!, questionId: big }));
    for (let i = 0; i < 50; i++) await createComment(t.db, { author: authors[(i + 3) % authors.length]!, postId: i % 5 === 0 ? big : answerIds[i % 30]! });

    // The first load reads the reputation rules, which are then cached for a few seconds.
    await questionPage(db, reader, small, new Date());
    counted.queries = 0;
    const smallPage = await questionPage(db, reader, small, new Date());
    const smallCount = counted.queries;
    counted.queries = 0;
    const bigPage = await questionPage(db, reader, big, new Date());
    const bigCount = counted.queries;

    expect(smallPage.answers).toHaveLength(1);
    expect(bigPage.answers).toHaveLength(30);
    expect(bigPage.question.comments.length + bigPage.answers.reduce((n, a) => n + a.comments.length, 0)).toBe(50);
    expect(smallCount).toBeGreaterThan(0);
    expect(bigCount).toBe(smallCount);
    // The question, the view, posts (with the reader's votes and follow state), comments, duplicates, related tags.
    expect(bigCount).toBeLessThanOrEqual(6);
  });

  test("a view counts once per person per hour, not per reload", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const other = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const start = new Date("2030-01-01T10:00:00Z");
    const at = (ms: number) => new Date(start.getTime() + ms);

    await questionPage(t.db, reader, questionId, start);
    await questionPage(t.db, reader, questionId, at(5 * 60_000));
    await questionPage(t.db, reader, questionId, at(59 * 60_000));
    expect((await questionPage(t.db, other, questionId, at(60_000))).question.viewCount).toBe(2);
    // Both reloads within the hour did not count; an hour after the counted view it counts again.
    const later = await questionPage(t.db, reader, questionId, at(HOUR));
    expect(later.question.viewCount).toBe(3);
    expect((await questionPage(t.db, reader, questionId, at(HOUR + 1000))).question.viewCount).toBe(3);
    // Simultaneous loads by one person count once.
    const third = await createUser(t.db);
    await Promise.all(Array.from({ length: 5 }, () => questionPage(t.db, third, questionId, at(2 * HOUR))));
    const [row] = await t.db.select({ viewCount: posts.viewCount }).from(posts).where(eq(posts.id, questionId));
    expect(row!.viewCount).toBe(4);
  });
});

import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { createDb, type Db } from "#db/client.server.ts";
import { postVotes, posts, reputationEvents } from "#db/schema/index.ts";
import { castVote, myVotes } from "#app/features/qa/votes.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { reputationOf, storedPost } from "#tests/helpers.ts";
import {
  createAnswer,
  createQuestion,
  createSpace,
  createUser,
} from "#tests/factories/index.ts";

const t = setupTestDb();
let wide: Db | undefined;
afterAll(async () => {
  await wide?.close();
});

async function ledgerSum(userId: number) {
  const [row] = await t.db
    .select({
      total: sql<number>`coalesce(sum(${reputationEvents.delta}), 0)::int`,
    })
    .from(reputationEvents)
    .where(eq(reputationEvents.userId, userId));
  return row!.total;
}

describe("casting votes", () => {
  test("up, change to down, retract: score, counts, my vote and reputation follow", async () => {
    const asker = await createUser(t.db);
    const voter = await createUser(t.db, { reputation: 100 });
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });

    expect(await castVote(t.db, voter, questionId, 1)).toEqual({
      score: 1,
      myVote: 1,
    });
    expect(await storedPost(t.db, questionId)).toMatchObject({
      score: 1,
      upvoteCount: 1,
      downvoteCount: 0,
    });
    expect(await reputationOf(t.db, asker.id)).toBe(5);
    expect(await myVotes(t.db, voter.id, [questionId])).toEqual({
      [questionId]: 1,
    });

    // Voting the same way twice changes nothing.
    expect(await castVote(t.db, voter, questionId, 1)).toEqual({
      score: 1,
      myVote: 1,
    });
    expect(await reputationOf(t.db, asker.id)).toBe(5);

    expect(await castVote(t.db, voter, questionId, -1)).toEqual({
      score: -1,
      myVote: -1,
    });
    expect(await storedPost(t.db, questionId)).toMatchObject({
      score: -1,
      upvoteCount: 0,
      downvoteCount: 1,
    });
    expect(await reputationOf(t.db, asker.id)).toBe(-2);
    // Downvoting a question costs the voter nothing (only answers do).
    expect(await reputationOf(t.db, voter.id)).toBe(100);

    expect(await castVote(t.db, voter, questionId, 0)).toEqual({
      score: 0,
      myVote: 0,
    });
    expect(await storedPost(t.db, questionId)).toMatchObject({
      score: 0,
      upvoteCount: 0,
      downvoteCount: 0,
    });
    expect(await reputationOf(t.db, asker.id)).toBe(0);
    expect(
      await t.db
        .select()
        .from(postVotes)
        .where(eq(postVotes.postId, questionId)),
    ).toHaveLength(0);
    expect(await myVotes(t.db, voter.id, [questionId])).toEqual({});
  });

  test("own posts cannot be voted on; downvoting needs the privilege", async () => {
    const asker = await createUser(t.db);
    const newcomer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const own = await castVote(t.db, asker, questionId, 1).catch(
      (e: unknown) => e,
    );
    expect(own).toBeInstanceOf(InputError);
    expect((own as InputError).message).toMatch(/your own post/);
    const down = await castVote(t.db, newcomer, questionId, -1).catch(
      (e: unknown) => e,
    );
    expect(down).toBeInstanceOf(InputError);
    expect((down as InputError).message).toMatch(
      /Voting down takes 50 reputation; you have 0/,
    );
    expect(await storedPost(t.db, questionId)).toMatchObject({
      score: 0,
      downvoteCount: 0,
    });
    // A space moderator holds every privilege whatever their reputation.
    const moderator = await createUser(t.db);
    const moderated = await createSpace(t.db, { moderators: [moderator] });
    const other = await createQuestion(t.db, {
      author: asker,
      space: moderated,
    });
    expect(await castVote(t.db, moderator, other, -1)).toEqual({
      score: -1,
      myVote: -1,
    });
  });

  test("deleted, hidden and missing posts answer 404", async () => {
    const asker = await createUser(t.db);
    const outsider = await createUser(t.db, { reputation: 1000 });
    const open = await createSpace(t.db);
    const restricted = await createSpace(
      t.db,
      { members: [asker] },
      "restricted",
    );
    const deleted = await createQuestion(t.db, { author: asker, space: open });
    await t.db
      .update(posts)
      .set({ deletedAt: new Date() })
      .where(eq(posts.id, deleted));
    const hidden = await createQuestion(t.db, {
      author: asker,
      space: restricted,
    });
    const hiddenAnswer = await createAnswer(t.db, {
      author: asker,
      questionId: hidden,
    });
    const liveQuestion = await createQuestion(t.db, {
      author: asker,
      space: open,
    });
    const orphan = await createAnswer(t.db, {
      author: asker,
      questionId: liveQuestion,
    });
    await t.db
      .update(posts)
      .set({ deletedAt: new Date() })
      .where(eq(posts.id, liveQuestion));
    for (const id of [deleted, hidden, hiddenAnswer, orphan, 999_999, -1]) {
      await expect(castVote(t.db, outsider, id, 1)).rejects.toMatchObject({
        init: { status: 404 },
      });
    }
    expect(
      await t.db
        .select()
        .from(postVotes)
        .where(eq(postVotes.userId, outsider.id)),
    ).toHaveLength(0);
  });

  test("a downvote on an answer costs the voter 1; its reversal gives it back", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const voter = await createUser(t.db, { reputation: 60 });
    await t.db
      .insert(reputationEvents)
      .values({ userId: voter.id, delta: 60, reason: "answer_accepted" });
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    await castVote(t.db, voter, answerId, -1);
    expect(await reputationOf(t.db, voter.id)).toBe(59);
    expect(await reputationOf(t.db, answerer.id)).toBe(-2);
    await castVote(t.db, voter, answerId, 1);
    expect(await reputationOf(t.db, voter.id)).toBe(60);
    expect(await reputationOf(t.db, answerer.id)).toBe(10);
    const [vote] = await t.db
      .select()
      .from(postVotes)
      .where(eq(postVotes.postId, answerId));
    expect(vote).toMatchObject({ value: 1, voterEventId: null });
    expect(await ledgerSum(answerer.id)).toBe(10);
    expect(await ledgerSum(voter.id)).toBe(60);
  });
});

describe("concurrency", () => {
  test("200 concurrent votes and repeated votes from one person leave exact counts and reputation", async () => {
    wide = createDb(t.url, { max: 20 });
    const db = wide;
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    // Voters with enough reputation to vote down; their ledger holds it so sums stay comparable.
    const voters = [];
    for (let i = 0; i < 200; i++)
      voters.push(await createUser(t.db, { reputation: 100 }));
    await t.db
      .insert(reputationEvents)
      .values(
        voters.map((v) => ({
          userId: v.id,
          delta: 100,
          reason: "answer_accepted" as const,
        })),
      );

    const calls: Array<Promise<unknown>> = [];
    voters.forEach((voter, i) => {
      const value = i % 3 === 0 ? -1 : 1;
      calls.push(castVote(db, voter, answerId, value));
      // Every fifth voter changes their mind at once; every seventh retracts.
      if (i % 5 === 0)
        calls.push(castVote(db, voter, answerId, value === 1 ? -1 : 1));
      if (i % 7 === 0) calls.push(castVote(db, voter, answerId, 0));
    });
    // One person clicking many times at once, with every value.
    const clicker = voters[1]!;
    for (let i = 0; i < 30; i++)
      calls.push(
        castVote(db, clicker, answerId, ([1, -1, 0] as const)[i % 3]!),
      );
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const votes = await t.db
      .select()
      .from(postVotes)
      .where(eq(postVotes.postId, answerId));
    const after = await storedPost(t.db, answerId);
    expect(after.upvoteCount).toBe(votes.filter((v) => v.value === 1).length);
    expect(after.downvoteCount).toBe(
      votes.filter((v) => v.value === -1).length,
    );
    expect(after.score).toBe(votes.reduce((s, v) => s + v.value, 0));
    expect(votes.length).toBeGreaterThan(100);

    // The answerer's reputation is the ledger's sum and matches the surviving votes (the cap is 200 a day).
    expect(await reputationOf(t.db, answerer.id)).toBe(await ledgerSum(answerer.id));
    const [{ unreversed }] = (await t.db.execute<{ unreversed: number }>(sql`
      select count(*)::int as unreversed from reputation_events e
      where e.post_id = ${answerId} and e.reverses_event_id is null
        and not exists (select 1 from reputation_events r where r.reverses_event_id = e.id)`)) as unknown as [
      { unreversed: number },
    ];
    const downs = votes.filter((v) => v.value === -1).length;
    // Each surviving vote has exactly one live event for the author, each downvote one more for the voter.
    expect(unreversed).toBe(votes.length + downs);
    for (const voter of voters.slice(0, 20))
      expect(await reputationOf(t.db, voter.id)).toBe(await ledgerSum(voter.id));
  }, 120_000);
});

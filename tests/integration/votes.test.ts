import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { createDb, type Db } from "#db/client.server.ts";
import { posts, reputationEvents, votes as voteRows } from "#db/schema/index.ts";
import { castVote, myVotes } from "#app/features/qa/votes.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { action as voteAction, loader as voteLoader } from "#app/routes/items/vote.tsx";
import { answered, reputationOf, routeContext, storedPost } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

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
        .from(voteRows)
        .where(eq(voteRows.itemId, (await storedPost(t.db, questionId)).itemId)),
    ).toHaveLength(0);
    expect(await myVotes(t.db, voter.id, [questionId])).toEqual({});
  });

  test("own posts cannot be voted on; downvoting needs the privilege", async () => {
    const asker = await createUser(t.db);
    const newcomer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const own = await castVote(t.db, asker, questionId, 1).catch((e: unknown) => e);
    expect(own).toBeInstanceOf(InputError);
    expect((own as InputError).message).toMatch(/your own post/);
    const down = await castVote(t.db, newcomer, questionId, -1).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(InputError);
    expect((down as InputError).message).toMatch(/Voting down takes 50 reputation; you have 0/);
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
    const restricted = await createSpace(t.db, { members: [asker] }, "restricted");
    const deleted = await createQuestion(t.db, { author: asker, space: open });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
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
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, liveQuestion));
    for (const id of [deleted, hidden, hiddenAnswer, orphan, 999_999, -1]) {
      await expect(castVote(t.db, outsider, id, 1)).rejects.toThrow(NotFoundError);
    }
    expect(await t.db.select().from(voteRows).where(eq(voteRows.userId, outsider.id))).toHaveLength(0);
  });

  test("a downvote on an answer costs the voter 1; its reversal gives it back", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const voter = await createUser(t.db, { reputation: 60 });
    await t.db.insert(reputationEvents).values({ userId: voter.id, delta: 60, reason: "answer_accepted" });
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
      .from(voteRows)
      .where(eq(voteRows.itemId, (await storedPost(t.db, answerId)).itemId));
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
    for (let i = 0; i < 200; i++) voters.push(await createUser(t.db, { reputation: 100 }));
    await t.db.insert(reputationEvents).values(
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
      if (i % 5 === 0) calls.push(castVote(db, voter, answerId, value === 1 ? -1 : 1));
      if (i % 7 === 0) calls.push(castVote(db, voter, answerId, 0));
    });
    // One person clicking many times at once, with every value.
    const clicker = voters[1]!;
    for (let i = 0; i < 30; i++) calls.push(castVote(db, clicker, answerId, ([1, -1, 0] as const)[i % 3]!));
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const votes = await t.db
      .select()
      .from(voteRows)
      .where(eq(voteRows.itemId, (await storedPost(t.db, answerId)).itemId));
    const after = await storedPost(t.db, answerId);
    expect(after.upvoteCount).toBe(votes.filter((v) => v.value === 1).length);
    expect(after.downvoteCount).toBe(votes.filter((v) => v.value === -1).length);
    expect(after.score).toBe(votes.reduce((s, v) => s + v.value, 0));
    expect(votes.length).toBeGreaterThan(100);

    // The answerer's reputation is the ledger's sum and matches the surviving votes (the cap is 200 a day).
    expect(await reputationOf(t.db, answerer.id)).toBe(await ledgerSum(answerer.id));
    const [{ unreversed }] = (await t.db.execute<{ unreversed: number }>(sql`
      select count(*)::int as unreversed from reputation_events e
      where e.item_id = ${after.itemId} and e.reverses_event_id is null
        and not exists (select 1 from reputation_events r where r.reverses_event_id = e.id)`)) as unknown as [{ unreversed: number }];
    const downs = votes.filter((v) => v.value === -1).length;
    // Each surviving vote has exactly one live event for the author, each downvote one more for the voter.
    expect(unreversed).toBe(votes.length + downs);
    for (const voter of voters.slice(0, 20)) expect(await reputationOf(t.db, voter.id)).toBe(await ledgerSum(voter.id));
  }, 120_000);
});

describe("the one vote route, POST /items/:itemId/vote", () => {
  async function vote(user: { id: number }, itemId: number, fields: Record<string, string>) {
    const { token } = await createSession(t.db, user.id);
    const request = new Request(`http://localhost/items/${itemId}/vote`, {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return voteAction({ request, context: routeContext(t.db).context, params: { itemId: String(itemId) } } as never).then(
      (value) => ({ value, thrown: null as unknown }),
      (error: unknown) => ({ value: null, thrown: answered(error) }),
    );
  }

  test("votes on a question or an answer: JSON for a fetcher, back to the post for a plain form, the reason for a refusal", async () => {
    const asker = await createUser(t.db);
    const voter = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, title: "Where do the VPN settings live?" });
    const answerId = await createAnswer(t.db, { author: asker, questionId });
    const question = await storedPost(t.db, questionId);
    const answer = await storedPost(t.db, answerId);

    expect((await vote(voter, question.itemId, { value: "up", _fetcher: "1" })).value).toEqual({ ok: true, myVote: 1, score: 1 });
    const plain = await vote(voter, answer.itemId, { value: "up" });
    expect(plain.thrown).toBeInstanceOf(Response);
    expect((plain.thrown as Response).headers.get("location")).toBe(`/questions/${questionId}/where-do-the-vpn-settings-live#answer-${answerId}`);
    expect((await storedPost(t.db, answerId)).score).toBe(1);

    // Refused: one's own post, and a downvote without the privilege; the reason comes back with a 400.
    const own = (await vote(asker, answer.itemId, { value: "up", _fetcher: "1" })).value as { data: unknown; init: { status: number } };
    expect(own.init.status).toBe(400);
    expect(own.data).toEqual({ ok: false, message: "You can't vote on your own post." });
    const down = (await vote(voter, answer.itemId, { value: "down" })).value as { data: { ok: boolean; message: string } };
    expect(down.data.ok).toBe(false);
    expect(down.data.message).toMatch(/Voting down takes/);
    // Not a vote at all, and a hidden or missing item.
    expect(((await vote(voter, answer.itemId, { value: "sideways" })).thrown as { init: { status: number } }).init.status).toBe(400);
    const secret = await createSpace(t.db, { members: [asker] }, "restricted");
    const hidden = await storedPost(t.db, await createQuestion(t.db, { author: asker, space: secret }));
    for (const itemId of [hidden.itemId, 2_000_000_000]) {
      expect(((await vote(voter, itemId, { value: "up" })).thrown as { init: { status: number } }).init.status).toBe(404);
    }

    // The page a refused plain vote lands on leads back to the post.
    const { token } = await createSession(t.db, voter.id);
    const page = await voteLoader({
      request: new Request(`http://localhost/items/${answer.itemId}/vote`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }),
      context: routeContext(t.db).context,
      params: { itemId: String(answer.itemId) },
    } as never);
    expect(page).toMatchObject({ back: `/questions/${questionId}/where-do-the-vpn-settings-live#answer-${answerId}`, kind: "answer", votes: "up-down" });
  });
});

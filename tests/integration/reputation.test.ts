import { execFile } from "node:child_process";
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { notifications, posts, reputationEvents, tags, userTagReputation, users } from "#db/schema/index.ts";
import { acceptAnswer, unacceptAnswer } from "#app/features/qa/accept.server.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { DEFAULT_REPUTATION_RULES, readReputationRules, saveReputationRules } from "#app/features/reputation/rules.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { reputationOf } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

async function events(userId: number) {
  return t.db
    .select({
      delta: reputationEvents.delta,
      reason: reputationEvents.reason,
      reverses: reputationEvents.reversesEventId,
    })
    .from(reputationEvents)
    .where(eq(reputationEvents.userId, userId))
    .orderBy(asc(reputationEvents.id));
}

async function thread() {
  const asker = await createUser(t.db);
  const answerer = await createUser(t.db);
  const space = await createSpace(t.db);
  const questionId = await createQuestion(t.db, {
    author: asker,
    space,
    tags: ["payroll", "travel"],
  });
  const answerId = await createAnswer(t.db, { author: answerer, questionId });
  return { asker, answerer, space, questionId, answerId };
}

describe("weights", () => {
  test("Stack Overflow's defaults: +5 question, +10 answer, -2 downvoted, -1 to an answer's downvoter", async () => {
    const { asker, answerer, questionId, answerId } = await thread();
    const voter = await createUser(t.db, { reputation: 100 });
    await castVote(t.db, voter, questionId, 1);
    await castVote(t.db, voter, answerId, 1);
    expect(await reputationOf(t.db, asker.id)).toBe(5);
    expect(await reputationOf(t.db, answerer.id)).toBe(10);
    const other = await createUser(t.db, { reputation: 100 });
    await castVote(t.db, other, answerId, -1);
    expect(await reputationOf(t.db, answerer.id)).toBe(8);
    expect(await reputationOf(t.db, other.id)).toBe(99);
    expect(await events(answerer.id)).toEqual([
      { delta: 10, reason: "answer_upvoted", reverses: null },
      { delta: -2, reason: "post_downvoted", reverses: null },
    ]);
  });

  test("changed weights apply to new events", async () => {
    const admin = await createUser(t.db, {}, "admin");
    await saveReputationRules(t.db, admin, {
      ...DEFAULT_REPUTATION_RULES,
      weights: { ...DEFAULT_REPUTATION_RULES.weights, answerUpvoted: 7 },
    });
    try {
      const { answerer, answerId } = await thread();
      await castVote(t.db, await createUser(t.db), answerId, 1);
      expect(await reputationOf(t.db, answerer.id)).toBe(7);
    } finally {
      await saveReputationRules(t.db, admin, DEFAULT_REPUTATION_RULES);
    }
  });

  test("pages read the rules from a short cache that a save clears at once", async () => {
    const admin = await createUser(t.db, {}, "admin");
    expect((await readReputationRules(t.db)).thresholds.close).toBe(DEFAULT_REPUTATION_RULES.thresholds.close);
    await saveReputationRules(t.db, admin, { ...DEFAULT_REPUTATION_RULES, thresholds: { ...DEFAULT_REPUTATION_RULES.thresholds, close: 3 } });
    try {
      expect((await readReputationRules(t.db)).thresholds.close).toBe(3);
    } finally {
      await saveReputationRules(t.db, admin, DEFAULT_REPUTATION_RULES);
    }
    expect((await readReputationRules(t.db)).thresholds.close).toBe(DEFAULT_REPUTATION_RULES.thresholds.close);
  });

  test("self-votes are refused and downvotes need the threshold", async () => {
    const { answerer, answerId, questionId } = await thread();
    await expect(castVote(t.db, answerer, answerId, 1)).rejects.toBeInstanceOf(InputError);
    const low = await createUser(t.db, { reputation: 49 });
    await expect(castVote(t.db, low, questionId, -1)).rejects.toThrow(/Voting down takes 50 reputation/);
    const enough = await createUser(t.db, { reputation: 50 });
    await expect(castVote(t.db, enough, questionId, -1)).resolves.toEqual({
      score: -1,
      myVote: -1,
    });
    expect(await events(answerer.id)).toEqual([]);
  });
});

describe("the daily cap", () => {
  test("vote gains stop at the cap (the last one partly), accepts are excluded, a retraction frees room", async () => {
    const admin = await createUser(t.db, {}, "admin");
    await saveReputationRules(t.db, admin, {
      ...DEFAULT_REPUTATION_RULES,
      dailyCap: 25,
    });
    try {
      const { asker, answerer, answerId } = await thread();
      const voters = [await createUser(t.db), await createUser(t.db), await createUser(t.db), await createUser(t.db)];
      for (const v of voters) await castVote(t.db, v, answerId, 1);
      expect((await events(answerer.id)).map((e) => e.delta)).toEqual([10, 10, 5, 0]);
      expect(await reputationOf(t.db, answerer.id)).toBe(25);
      await acceptAnswer(t.db, asker, answerId);
      expect(await reputationOf(t.db, answerer.id)).toBe(40);
      // Retracting the partly capped vote reverses what it gave (5), which opens that much room again.
      await castVote(t.db, voters[2]!, answerId, 0);
      expect(await reputationOf(t.db, answerer.id)).toBe(35);
      await castVote(t.db, voters[2]!, answerId, 1);
      expect(await reputationOf(t.db, answerer.id)).toBe(40);
      const [{ total }] = (await t.db.execute(sql`select sum(delta)::int as total from reputation_events where user_id = ${answerer.id}`)) as unknown as [{ total: number }];
      expect(total).toBe(40);
    } finally {
      await saveReputationRules(t.db, admin, DEFAULT_REPUTATION_RULES);
    }
  });

  test("concurrent upvotes on many posts of one person never exceed the cap", async () => {
    const admin = await createUser(t.db, {}, "admin");
    await saveReputationRules(t.db, admin, {
      ...DEFAULT_REPUTATION_RULES,
      dailyCap: 45,
    });
    try {
      const author = await createUser(t.db);
      const space = await createSpace(t.db);
      const questions = [];
      for (let i = 0; i < 8; i++) questions.push(await createQuestion(t.db, { author, space }));
      const voter = await createUser(t.db);
      await Promise.all(questions.map((q) => castVote(t.db, voter, q, 1)));
      expect(await reputationOf(t.db, author.id)).toBe(40);
      const more = await createUser(t.db);
      await Promise.all(questions.map((q) => castVote(t.db, more, q, 1)));
      expect(await reputationOf(t.db, author.id)).toBe(45);
    } finally {
      await saveReputationRules(t.db, admin, DEFAULT_REPUTATION_RULES);
    }
  });
});

describe("accepting", () => {
  test("+15 to the answerer and +2 to the asker, notified; un-accept reverses exactly those", async () => {
    const { asker, answerer, questionId, answerId } = await thread();
    await acceptAnswer(t.db, asker, answerId);
    expect(await reputationOf(t.db, answerer.id)).toBe(15);
    expect(await reputationOf(t.db, asker.id)).toBe(2);
    const [q] = await t.db.select().from(posts).where(eq(posts.id, questionId));
    expect(q!.acceptedAnswerId).toBe(answerId);
    const inbox = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, "accept"), eq(notifications.itemId, q!.itemId)));
    expect(inbox.map((n) => n.userId)).toEqual([answerer.id]);
    // Accepting again changes nothing.
    await acceptAnswer(t.db, asker, answerId);
    expect(await reputationOf(t.db, answerer.id)).toBe(15);

    await unacceptAnswer(t.db, asker, questionId);
    expect(await reputationOf(t.db, answerer.id)).toBe(0);
    expect(await reputationOf(t.db, asker.id)).toBe(0);
    expect((await events(answerer.id)).map((e) => [e.delta, e.reverses !== null])).toEqual([
      [15, false],
      [-15, true],
    ]);
    const [after] = await t.db.select().from(posts).where(eq(posts.id, questionId));
    expect(after!.acceptedAnswerId).toBeNull();
    // Accept, un-accept, accept again: one live accept's worth.
    await acceptAnswer(t.db, asker, answerId);
    expect(await reputationOf(t.db, answerer.id)).toBe(15);
  });

  test("switching the accepted answer moves the reputation", async () => {
    const { asker, answerer, questionId, answerId } = await thread();
    const second = await createUser(t.db);
    const secondAnswer = await createAnswer(t.db, {
      author: second,
      questionId,
    });
    await acceptAnswer(t.db, asker, answerId);
    await acceptAnswer(t.db, asker, secondAnswer);
    expect(await reputationOf(t.db, answerer.id)).toBe(0);
    expect(await reputationOf(t.db, second.id)).toBe(15);
    expect(await reputationOf(t.db, asker.id)).toBe(2);
    const [q] = await t.db.select().from(posts).where(eq(posts.id, questionId));
    expect(q!.acceptedAnswerId).toBe(secondAnswer);
  });

  test("accepting one's own answer gives nothing; only the asker or a moderator may accept", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const own = await createAnswer(t.db, { author: asker, questionId });
    await acceptAnswer(t.db, asker, own);
    expect(await reputationOf(t.db, asker.id)).toBe(0);

    const answerer = await createUser(t.db);
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    await expect(acceptAnswer(t.db, answerer, answerId)).rejects.toThrow(ForbiddenError);
    const moderator = await createUser(t.db, {}, "moderator");
    await acceptAnswer(t.db, moderator, answerId);
    // The answerer earns the accept; the moderator acting for the asker earns nothing.
    expect(await reputationOf(t.db, answerer.id)).toBe(15);
    expect(await reputationOf(t.db, moderator.id)).toBe(0);
    await expect(unacceptAnswer(t.db, answerer, questionId)).rejects.toThrow(ForbiddenError);
    await unacceptAnswer(t.db, moderator, questionId);
    expect(await reputationOf(t.db, answerer.id)).toBe(0);
  });
});

describe("per-tag scores and recompute", () => {
  test("reputation is kept per tag and space, and reversals take it back", async () => {
    const { answerer, space, answerId } = await thread();
    const voter = await createUser(t.db);
    await castVote(t.db, voter, answerId, 1);
    const scores = await t.db
      .select({
        tag: tags.name,
        score: userTagReputation.score,
        spaceId: userTagReputation.spaceId,
      })
      .from(userTagReputation)
      .innerJoin(tags, eq(tags.id, userTagReputation.tagId))
      .where(eq(userTagReputation.userId, answerer.id))
      .orderBy(asc(tags.name));
    expect(scores).toEqual([
      { tag: "payroll", score: 10, spaceId: space.id },
      { tag: "travel", score: 10, spaceId: space.id },
    ]);
    await castVote(t.db, voter, answerId, 0);
    const after = await t.db.select({ score: userTagReputation.score }).from(userTagReputation).where(eq(userTagReputation.userId, answerer.id));
    expect(after.map((r) => r.score)).toEqual([0, 0]);
  });

  test("recompute reports a drift introduced by hand and fixes it", async () => {
    const { answerer, answerId } = await thread();
    await castVote(t.db, await createUser(t.db), answerId, 1);
    // Earlier tests made voters with reputation but no ledger behind it: start from a clean state.
    await recomputeReputation(t.db, { fix: true });
    expect(await recomputeReputation(t.db, { fix: false })).toEqual({
      users: [],
      tags: [],
      fixed: false,
    });

    await t.db.update(users).set({ reputation: 999 }).where(eq(users.id, answerer.id));
    const [payroll] = await t.db.select().from(tags).where(eq(tags.name, "payroll"));
    await t.db
      .update(userTagReputation)
      .set({ score: 3 })
      .where(and(eq(userTagReputation.userId, answerer.id), eq(userTagReputation.tagId, payroll!.id)));

    const drift = await recomputeReputation(t.db, { fix: false });
    expect(drift.users).toEqual([{ userId: answerer.id, name: answerer.name, stored: 999, ledger: 10 }]);
    expect(drift.tags).toMatchObject([{ userId: answerer.id, tag: "payroll", stored: 3, ledger: 10 }]);
    expect(await reputationOf(t.db, answerer.id)).toBe(999);

    const fixed = await recomputeReputation(t.db, { fix: true });
    expect(fixed.fixed).toBe(true);
    expect(fixed.users).toHaveLength(1);
    expect(await reputationOf(t.db, answerer.id)).toBe(10);
    expect(await recomputeReputation(t.db, { fix: false })).toEqual({
      users: [],
      tags: [],
      fixed: false,
    });
  });
});

describe("the recompute command", () => {
  test("prints the drift, exits 2 while it remains, and fixes it with --fix", async () => {
    const { answerer, answerId } = await thread();
    await castVote(t.db, await createUser(t.db), answerId, 1);
    await recomputeReputation(t.db, { fix: true });
    await t.db.update(users).set({ reputation: 77 }).where(eq(users.id, answerer.id));
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile("node_modules/.bin/tsx", ["db/reputation-recompute.ts", ...args], { env: { ...process.env, DATABASE_URL: t.url } }, (error, stdout) =>
          resolve({ code: error ? Number(error.code) : 0, stdout }),
        );
      });
    const check = await run();
    expect(check.code).toBe(2);
    expect(check.stdout).toContain(`user ${answerer.id} (${answerer.name}): stored 77, ledger 10`);
    const fix = await run("--fix");
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain("fixed");
    expect(await reputationOf(t.db, answerer.id)).toBe(10);
    expect((await run()).stdout).toContain("no drift");
  }, 60_000);
});

import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { expertiseEvidence, expertiseOutbox, posts, tagSmes, tags, userTopics, users, wikiPages } from "#db/schema/index.ts";
import { drainExpertiseOutbox, recomputeAll, recomputePeople } from "#app/features/expertise/evidence.server.ts";
import { evidenceLines, explainPerson, topicExperts } from "#app/features/expertise/experts.server.ts";
import { saveExpertiseSettings, DEFAULT_SETTINGS } from "#app/features/expertise/settings.server.ts";
import { tagSmeList } from "#app/features/expertise/smes.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

const t = setupTestDb();
const DAY = 86_400_000;

async function tagId(name: string): Promise<number> {
  const [row] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, name));
  return row!.id;
}

async function drainAll() {
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until empty
  }
}

/** Moves an answer (and its evidence's date) into the past. */
async function age(postId: number, days: number) {
  await t.db
    .update(posts)
    .set({ createdAt: new Date(Date.now() - days * DAY) })
    .where(eq(posts.id, postId));
}

describe("the expertise model", () => {
  test("answers, accepts and votes become evidence through the outbox, and the incremental result equals a full recompute", async () => {
    const asker = await createUser(t.db);
    const expert = await createUser(t.db, { name: "Fermentation Expert" });
    const voter = await createUser(t.db, { reputation: 100 });
    const space = await createSpace(t.db);
    const q = await createQuestion(t.db, { author: asker, space, tags: ["fermentation"] });
    const a = await createAnswer(t.db, { author: expert, questionId: q });
    await acceptAnswer(t.db, { ...asker, reputation: 1 }, a);
    await castVote(t.db, voter, a, 1);
    // The triggers named the answerer in the writes' own transactions.
    const queued = await t.db.select().from(expertiseOutbox).where(eq(expertiseOutbox.userId, expert.id));
    expect(queued).toHaveLength(1);
    await drainAll();
    expect(await t.db.$count(expertiseOutbox)).toBe(0);
    const kinds = (await t.db.select({ kind: expertiseEvidence.kind }).from(expertiseEvidence).where(eq(expertiseEvidence.userId, expert.id))).map((r) => r.kind).sort();
    expect(kinds).toEqual(["accepted_answer", "answer", "answer_vote"]);
    const fermentation = await tagId("fermentation");
    const incremental = await topicExperts(t.db, asker, [fermentation]);
    await recomputeAll(t.db);
    const full = await topicExperts(t.db, asker, [fermentation]);
    expect(full.map((e) => [e.userId, e.value.toFixed(6)])).toEqual(incremental.map((e) => [e.userId, e.value.toFixed(6)]));
    expect(incremental[0]!.userId).toBe(expert.id);
    const lines = await evidenceLines(t.db, asker, [expert.id], { tagIds: [fermentation] });
    expect(lines.get(expert.id)).toBe("1 accepted answer on fermentation, 1 upvoted answer on fermentation");
  });

  test("decay halves a piece of evidence at the half-life; confidence grows with the evidence", async () => {
    const asker = await createUser(t.db);
    const fresh = await createUser(t.db);
    const old = await createUser(t.db);
    const space = await createSpace(t.db);
    const q = await createQuestion(t.db, { author: asker, space, tags: ["decay"] });
    await createAnswer(t.db, { author: fresh, questionId: q });
    const oldAnswer = await createAnswer(t.db, { author: old, questionId: q });
    await age(oldAnswer, DEFAULT_SETTINGS.halfLifeDays);
    await drainAll();
    const decay = await tagId("decay");
    const ranked = await topicExperts(t.db, asker, [decay]);
    const byId = new Map(ranked.map((r) => [r.userId, r]));
    expect(byId.get(fresh.id)!.score).toBeCloseTo(DEFAULT_SETTINGS.weights.answer, 3);
    expect(byId.get(old.id)!.score).toBeCloseTo(DEFAULT_SETTINGS.weights.answer / 2, 3);
    expect(byId.get(fresh.id)!.confidence).toBeCloseTo(1 / (1 + DEFAULT_SETTINGS.confidenceK), 6);
    // Two more answers: three pieces of evidence, confidence 3 / (3 + k).
    for (let i = 0; i < 2; i++) {
      const q2 = await createQuestion(t.db, { author: asker, space, tags: ["decay"] });
      await createAnswer(t.db, { author: fresh, questionId: q2 });
    }
    await drainAll();
    const after = (await topicExperts(t.db, asker, [decay])).find((r) => r.userId === fresh.id)!;
    expect(after.evidenceCount).toBe(3);
    expect(after.confidence).toBeCloseTo(3 / (3 + DEFAULT_SETTINGS.confidenceK), 6);
    const explained = await explainPerson(t.db, old, old.id);
    const topic = explained.topics.find((x) => x.tag === "decay")!;
    expect(topic.evidence[0]!.now).toBeCloseTo(topic.evidence[0]!.weight / 2, 3);
  });

  test("evidence from a restricted space reaches no non-member's view of anyone", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const expert = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [member, expert] }, "restricted");
    const q = await createQuestion(t.db, { author: member, space: secret, tags: ["incident"] });
    await createAnswer(t.db, { author: expert, questionId: q });
    await drainAll();
    const incident = await tagId("incident");
    expect((await topicExperts(t.db, member, [incident])).map((e) => e.userId)).toEqual([expert.id]);
    expect(await topicExperts(t.db, outsider, [incident])).toEqual([]);
    expect((await evidenceLines(t.db, outsider, [expert.id])).size).toBe(0);
    expect((await explainPerson(t.db, outsider, expert.id)).topics).toEqual([]);
    // Nor does it make anyone an automatic SME (a list everyone sees).
    await saveExpertiseSettings(t.db, member.id, { ...DEFAULT_SETTINGS, smeThreshold: 1, weights: { ...DEFAULT_SETTINGS.weights, answer: 10 } });
    await recomputePeople(t.db, [expert.id]);
    expect(await t.db.$count(tagSmes, eq(tagSmes.userId, expert.id))).toBe(0);
    await saveExpertiseSettings(t.db, member.id, DEFAULT_SETTINGS);
  });

  test("a hidden topic is shown to its person only; a declared one counts least; automatic SMEs follow the threshold", async () => {
    const asker = await createUser(t.db);
    const expert = await createUser(t.db);
    const claimer = await createUser(t.db);
    const space = await createSpace(t.db);
    const q = await createQuestion(t.db, { author: asker, space, tags: ["brewing"] });
    await createAnswer(t.db, { author: expert, questionId: q });
    const brewing = await tagId("brewing");
    await t.db.insert(userTopics).values({ userId: claimer.id, tagId: brewing, declared: true });
    await drainAll();
    const ranked = await topicExperts(t.db, asker, [brewing]);
    expect(ranked.map((r) => r.userId)).toEqual([expert.id, claimer.id]);
    expect(ranked[1]!.value).toBeCloseTo(DEFAULT_SETTINGS.weights.declared, 6);
    expect((await evidenceLines(t.db, asker, [claimer.id])).get(claimer.id)).toBe("says they know brewing");

    await t.db.insert(userTopics).values({ userId: expert.id, tagId: brewing, hidden: true });
    await drainAll();
    expect((await topicExperts(t.db, asker, [brewing])).map((r) => r.userId)).toEqual([claimer.id]);
    expect((await topicExperts(t.db, expert, [brewing])).map((r) => r.userId)).toEqual([expert.id, claimer.id]);
    const own = await explainPerson(t.db, expert, expert.id);
    expect(own.topics.map((x) => [x.tag, x.hidden])).toEqual([["brewing", true]]);
    expect((await explainPerson(t.db, asker, expert.id)).topics).toEqual([]);
    await t.db.delete(userTopics).where(eq(userTopics.userId, expert.id));

    // Past the threshold the answerer becomes an automatic SME, and stops being one below it.
    await saveExpertiseSettings(t.db, asker.id, { ...DEFAULT_SETTINGS, smeThreshold: 1, weights: { ...DEFAULT_SETTINGS.weights, answer: 10 } });
    await recomputePeople(t.db, [expert.id]);
    expect(await t.db.select({ source: tagSmes.source }).from(tagSmes).where(eq(tagSmes.userId, expert.id))).toEqual([{ source: "automatic" }]);
    await saveExpertiseSettings(t.db, asker.id, { ...DEFAULT_SETTINGS, smeThreshold: 1000 });
    await recomputePeople(t.db, [expert.id]);
    expect(await t.db.$count(tagSmes, eq(tagSmes.userId, expert.id))).toBe(0);
    await saveExpertiseSettings(t.db, asker.id, DEFAULT_SETTINGS);
  });

  test("a page is one fact in the evidence line, whatever its number of tags, and verified says owned", async () => {
    const owner = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    await createTags(t.db, ["hops", "malt"]);
    const pageId = await createWikiPage(t.db, { author: owner, space, title: "Brewing basics", tags: ["hops", "malt"] });
    await t.db.update(wikiPages).set({ verifiedAt: new Date(), verifiedById: owner.id }).where(eq(wikiPages.id, pageId));
    await drainAll();
    expect(await t.db.$count(expertiseEvidence, eq(expertiseEvidence.userId, owner.id))).toBe(4);
    expect((await evidenceLines(t.db, reader, [owner.id])).get(owner.id)).toBe("verified the page Brewing basics");
  });

  test("deactivated people and deleted answers drop out", async () => {
    const asker = await createUser(t.db);
    const leaver = await createUser(t.db);
    const space = await createSpace(t.db);
    const q = await createQuestion(t.db, { author: asker, space, tags: ["leaving"] });
    const a = await createAnswer(t.db, { author: leaver, questionId: q });
    await drainAll();
    const leaving = await tagId("leaving");
    expect(await topicExperts(t.db, asker, [leaving])).toHaveLength(1);
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, leaver.id));
    expect(await topicExperts(t.db, asker, [leaving])).toHaveLength(0);
    await t.db.update(users).set({ deactivatedAt: null }).where(eq(users.id, leaver.id));
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, a));
    await drainAll();
    expect(await t.db.$count(expertiseEvidence, sql`${expertiseEvidence.userId} = ${leaver.id}`)).toBe(0);
  });
});

describe("the expertise worker", () => {
  async function outboxRow(userId: number) {
    const [row] = await t.db.select().from(expertiseOutbox).where(eq(expertiseOutbox.userId, userId));
    return row;
  }

  /** Waits for something another connection does (a bounded poll, never a timing assertion). */
  async function until(condition: () => Promise<boolean>) {
    for (let i = 0; i < 500; i++) {
      if (await condition()) return;
      await sleep(20);
    }
    throw new Error("the condition never held");
  }

  test("a change that queues someone during their rebuild neither waits for it nor is lost", async () => {
    const asker = await createUser(t.db);
    const expert = await createUser(t.db);
    const space = await createSpace(t.db);
    const q = await createQuestion(t.db, { author: asker, space, tags: ["cider"] });
    await createAnswer(t.db, { author: expert, questionId: q });
    await drainAll();
    await t.db.execute(sql`select expertise_enqueue(array[${expert.id}]::int[])`);

    // Another transaction holds one of their evidence rows, so the rebuild (which deletes them) waits.
    const holder = postgres(t.url, { max: 1, onnotice: () => {} });
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked = false;
    const holding = holder.begin(async (h) => {
      await h`select 1 from expertise_evidence where user_id = ${expert.id} for update`;
      locked = true;
      await released;
    });
    try {
      await until(async () => locked);
      const drained = drainExpertiseOutbox(t.db);
      await until(async () => (await outboxRow(expert.id))?.claimedAt != null);
      // A kudos to them, an answer of theirs: the trigger's upsert must not wait for the rebuild
      // (with the claim held through the rebuild it would, and lock_timeout makes that an error).
      await t.db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '5s'`);
        await tx.execute(sql`select expertise_enqueue(array[${expert.id}]::int[])`);
      });
      expect((await outboxRow(expert.id))?.claimedAt).toBeNull();
      release();
      await holding;
      expect(await drained).toBe(1);
    } finally {
      release();
      await holder.end();
    }
    // Queued again during the rebuild, so they stay for another one, from a snapshot with the change.
    expect(await outboxRow(expert.id)).toMatchObject({ claimedAt: null, attempts: 0 });
    expect(await drainExpertiseOutbox(t.db)).toBe(1);
    expect(await outboxRow(expert.id)).toBeUndefined();
  });

  test("a rebuild that fails gives its people back, counted, with the error", async () => {
    const asker = await createUser(t.db);
    const expert = await createUser(t.db);
    const space = await createSpace(t.db);
    const q = await createQuestion(t.db, { author: asker, space, tags: ["perry"] });
    await createAnswer(t.db, { author: expert, questionId: q });
    await drainAll();
    await t.db.execute(sql`select expertise_enqueue(array[${expert.id}]::int[])`);
    // A fault in the rebuild, for this person only (this file's own database).
    await t.db.execute(
      sql.raw(`
      create function fail_rebuild() returns trigger language plpgsql as $$ begin raise exception 'the rebuild broke'; end $$;
      create trigger fail_rebuild before insert on expertise_evidence for each row when (new.user_id = ${expert.id}) execute function fail_rebuild();`),
    );
    try {
      await expect(drainExpertiseOutbox(t.db)).rejects.toThrow();
      expect(await outboxRow(expert.id)).toMatchObject({ claimedAt: null, attempts: 1, lastError: "the rebuild broke" });
      // Nothing of the failed rebuild stayed: their evidence is what it was.
      expect(await t.db.$count(expertiseEvidence, eq(expertiseEvidence.userId, expert.id))).toBe(1);
    } finally {
      await t.db.execute(sql.raw(`drop trigger fail_rebuild on expertise_evidence; drop function fail_rebuild();`));
    }
    expect(await drainExpertiseOutbox(t.db)).toBe(1);
    expect(await outboxRow(expert.id)).toBeUndefined();
  });

  test("a tag's SMEs are ordered by their open-space standing, which the worker keeps as their work changes", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const strong = await createUser(t.db, { name: "Strong Sme" });
    const rising = await createUser(t.db, { name: "Rising Sme" });
    const open = await createSpace(t.db);
    const restricted = await createSpace(t.db, { members: [asker, rising] }, "restricted");
    const answer = async (author: typeof strong, space: typeof open) => createAnswer(t.db, { author, questionId: await createQuestion(t.db, { author: asker, space, tags: ["mead"] }) });
    await answer(strong, open);
    await answer(strong, open);
    await answer(rising, open);
    // More work in a restricted space: it must not lift them in a list everyone sees.
    for (let i = 0; i < 3; i++) await answer(rising, restricted);
    await saveExpertiseSettings(t.db, asker.id, { ...DEFAULT_SETTINGS, smeThreshold: 1, weights: { ...DEFAULT_SETTINGS.weights, answer: 10 } });
    try {
      await drainAll();
      expect((await tagSmeList(t.db, reader, "mead")).map((s) => [s.name, s.source])).toEqual([
        ["Strong Sme", "automatic"],
        ["Rising Sme", "automatic"],
      ]);
      await answer(rising, open);
      await answer(rising, open);
      await drainAll();
      expect((await tagSmeList(t.db, reader, "mead")).map((s) => s.name)).toEqual(["Rising Sme", "Strong Sme"]);
      // What is stored is what the scores say now.
      const mead = await tagId("mead");
      const [live] = await t.db.execute<{ stale: number }>(sql`
        select count(*)::int as stale from tag_smes ts where ts.tag_id = ${mead} and ts.standing is distinct from (
          select sum(es.decayed) from expertise_scores es join spaces sp on sp.id = es.space_id and sp.visibility = 'open'
           where es.user_id = ts.user_id and es.tag_id = ts.tag_id)`);
      expect(live!.stale).toBe(0);
    } finally {
      await saveExpertiseSettings(t.db, asker.id, DEFAULT_SETTINGS);
    }
  });
});

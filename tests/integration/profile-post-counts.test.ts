import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { claimImportedProfile } from "#app/features/imports/claim.server.ts";
import { deletePost, undeletePost } from "#app/features/qa/edit.server.ts";
import { reputationProfile } from "#app/features/reputation/profile.server.ts";
import type { Db } from "#db/client.server.ts";
import { generateCompany } from "#db/generate/index.ts";
import { importStackExchange } from "#import/stackexchange/importer.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createImportedProfile, importReputation, markImported } from "#tests/factories/imports.ts";

/**
 * A profile's question and answer counts come from user_post_counts, which triggers on `posts`
 * keep (migration 0016). Each write path is followed by the same check: the stored counts equal a
 * count of the posts themselves, for every person and space, and the profile shows them per viewer.
 */

const t = setupTestDb();
const generated = setupTestDb();

/** Every (person, space) whose stored counts differ from the posts' own, with both; empty when exact. */
async function drift(db: Db) {
  return db.execute<{ user_id: number; space_id: number; stored_q: number; stored_a: number; real_q: number; real_a: number }>(sql`
    with real as (
      select p.author_id as user_id, p.space_id,
             count(*) filter (where p.type = 'question')::int as q,
             count(*) filter (where p.type = 'answer' and question.deleted_at is null)::int as a
        from posts p left join posts question on question.id = p.parent_id
       where p.deleted_at is null
       group by 1, 2
    )
    select coalesce(r.user_id, c.user_id) as user_id, coalesce(r.space_id, c.space_id) as space_id,
           coalesce(c.questions, 0) as stored_q, coalesce(c.answers, 0) as stored_a, coalesce(r.q, 0) as real_q, coalesce(r.a, 0) as real_a
      from real r full join user_post_counts c on c.user_id = r.user_id and c.space_id = r.space_id
     where coalesce(c.questions, 0) <> coalesce(r.q, 0) or coalesce(c.answers, 0) <> coalesce(r.a, 0)`);
}

async function shown(viewer: Parameters<typeof reputationProfile>[1], personId: number) {
  const { questionCount, answerCount } = await reputationProfile(t.db, viewer, personId);
  return { questions: questionCount, answers: answerCount };
}

/** A moderator of every space (an admin), an asker and two answerers, an open and a restricted space. */
async function world() {
  const admin = await createUser(t.db, {}, "admin");
  const asker = await createUser(t.db);
  const answerer = await createUser(t.db);
  const member = await createUser(t.db);
  const outsider = await createUser(t.db);
  const open = await createSpace(t.db);
  const restricted = await createSpace(t.db, { members: [asker, answerer, member] }, "restricted");
  const openQuestion = await createQuestion(t.db, { author: asker, space: open });
  const secretQuestion = await createQuestion(t.db, { author: asker, space: restricted });
  const openAnswer = await createAnswer(t.db, { author: answerer, questionId: openQuestion });
  const secretAnswer = await createAnswer(t.db, { author: answerer, questionId: secretQuestion });
  return { admin, asker, answerer, member, outsider, open, restricted, openQuestion, secretQuestion, openAnswer, secretAnswer };
}

describe("a profile's counts of questions and answers", () => {
  test("count per space, so each viewer sees only the spaces they may see", async () => {
    const w = await world();
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 2 });
    expect(await shown(w.outsider, w.answerer.id)).toEqual({ questions: 0, answers: 1 });
    expect(await shown(w.outsider, w.asker.id)).toEqual({ questions: 1, answers: 0 });
    expect(await shown(w.admin, w.asker.id)).toEqual({ questions: 2, answers: 0 });
    expect(await drift(t.db)).toEqual([]);
  });

  test("follow deleting and restoring an answer, and a question with its answers", async () => {
    const w = await world();
    await deletePost(t.db, w.answerer, w.openAnswer);
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 1 });
    await undeletePost(t.db, w.answerer, w.openAnswer);
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 2 });

    // A deleted question takes its answers out of their authors' counts; restored, they come back.
    await deletePost(t.db, w.admin, w.secretQuestion);
    expect(await shown(w.member, w.asker.id)).toEqual({ questions: 1, answers: 0 });
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 1 });
    expect(await drift(t.db)).toEqual([]);
    // An answer deleted while its question is deleted stays out when the question comes back.
    await deletePost(t.db, w.admin, w.secretAnswer);
    await undeletePost(t.db, w.admin, w.secretQuestion);
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 1 });
    await undeletePost(t.db, w.admin, w.secretAnswer);
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 2 });
    expect(await shown(w.member, w.asker.id)).toEqual({ questions: 2, answers: 0 });
    expect(await drift(t.db)).toEqual([]);
  });

  test("stay exact when one statement changes a question and its answers (a move, a merge), and when posts go for good", async () => {
    const w = await world();
    const second = await createAnswer(t.db, { author: w.member, questionId: w.secretQuestion });
    // A question moved to the open space with its answers, in one statement.
    await t.db.execute(sql`update posts set space_id = ${w.open.id} where id = ${w.secretQuestion} or parent_id = ${w.secretQuestion}`);
    expect(await shown(w.outsider, w.answerer.id)).toEqual({ questions: 0, answers: 2 });
    expect(await shown(w.outsider, w.asker.id)).toEqual({ questions: 2, answers: 0 });
    expect(await drift(t.db)).toEqual([]);
    // Deleted together, restored together.
    await t.db.execute(sql`update posts set deleted_at = now() where id = ${w.secretQuestion} or parent_id = ${w.secretQuestion}`);
    expect(await drift(t.db)).toEqual([]);
    expect(await shown(w.outsider, w.member.id)).toEqual({ questions: 0, answers: 0 });
    await t.db.execute(sql`update posts set deleted_at = null where id = ${w.secretQuestion} or parent_id = ${w.secretQuestion}`);
    expect(await shown(w.outsider, w.member.id)).toEqual({ questions: 0, answers: 1 });
    // A merge: answers move under another question, which is deleted in the same statement.
    await t.db.execute(sql`update posts set parent_id = ${w.openQuestion} where parent_id = ${w.secretQuestion}`);
    expect(await drift(t.db)).toEqual([]);
    await t.db.execute(sql`update posts set deleted_at = case when id = ${w.openQuestion} then now() end where id = ${w.openQuestion} or id = ${second}`);
    expect(await drift(t.db)).toEqual([]);
    expect(await shown(w.admin, w.answerer.id)).toEqual({ questions: 0, answers: 0 });
    // Gone for good: a deleted question and a live one, each taking its answers (a cascade).
    await t.db.execute(sql`delete from posts where id in (${w.openQuestion}, ${w.secretQuestion})`);
    expect(await drift(t.db)).toEqual([]);
    expect(await shown(w.admin, w.asker.id)).toEqual({ questions: 0, answers: 0 });
    expect(await shown(w.admin, w.answerer.id)).toEqual({ questions: 0, answers: 0 });
  });

  test("a claimed imported profile's posts count for the account", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const account = await createUser(t.db);
    const viewer = await createUser(t.db);
    const space = await createSpace(t.db);
    const { user: placeholder } = await createImportedProfile(t.db, { name: "hopsfan" });
    const question = await createQuestion(t.db, { author: placeholder, space });
    await markImported(t.db, question, { author: "hopsfan" });
    const answer = await createAnswer(t.db, { author: placeholder, questionId: await createQuestion(t.db, { author: viewer, space }) });
    await markImported(t.db, answer, { author: "hopsfan" });
    await createAnswer(t.db, { author: account, questionId: question });
    await importReputation(t.db, { userId: placeholder.id, delta: 10 });

    await claimImportedProfile(t.db, admin, { profileUserId: placeholder.id, accountUserId: account.id });
    expect(await shown(viewer, account.id)).toEqual({ questions: 1, answers: 2 });
    expect(await drift(t.db)).toEqual([]);
  });

  test("many answers by one person at once are all counted", async () => {
    const w = await world();
    const questions = await Promise.all(Array.from({ length: 6 }, () => createQuestion(t.db, { author: w.asker, space: w.open })));
    await Promise.all(questions.map((questionId) => createAnswer(t.db, { author: w.answerer, questionId })));
    expect(await shown(w.outsider, w.answerer.id)).toEqual({ questions: 0, answers: 7 });
    expect(await drift(t.db)).toEqual([]);
  });

  test("a Stack Exchange import counts its posts", async () => {
    const space = await createSpace(t.db, { slug: "beer-counts" });
    const folder = fileURLToPath(new URL("../fixtures/stackexchange-beer/", import.meta.url));
    await importStackExchange(t.db, { folder, space: space.slug, output: null });
    const [imported] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from user_post_counts where space_id = ${space.id} and answers > 0`);
    expect(imported!.n).toBeGreaterThan(0);
    expect(await drift(t.db)).toEqual([]);
  }, 240_000);

  test("a generated company's counts are exact (the generator writes posts with COPY)", async () => {
    await generateCompany(generated.url, { questions: 40, seed: 3 });
    expect(await drift(generated.db)).toEqual([]);
    const [row] = await generated.db.execute<{ answers: number }>(sql`select coalesce(sum(answers), 0)::int as answers from user_post_counts`);
    expect(row!.answers).toBeGreaterThan(0);
  }, 120_000);

  test("the migration's backfill counts what is already there", async () => {
    const w = await world();
    await deletePost(t.db, w.admin, w.secretQuestion);
    const migration = await readFile(new URL("../../db/migrations/0016_profile_counters.sql", import.meta.url), "utf8");
    const backfill = migration.split("--> statement-breakpoint").at(-1)!;
    expect(backfill).toContain('INSERT INTO "user_post_counts"');
    await t.db.execute(sql`delete from user_post_counts`);
    await t.db.execute(sql.raw(backfill));
    expect(await drift(t.db)).toEqual([]);
    expect(await shown(w.member, w.answerer.id)).toEqual({ questions: 0, answers: 1 });
  });
});

describe("a profile's reputation chart", () => {
  test("starts from the visible events before its window and adds each day's", async () => {
    const w = await world();
    await importReputation(t.db, { userId: w.answerer.id, delta: 40, postId: w.openAnswer });
    await importReputation(t.db, { userId: w.answerer.id, delta: 7, postId: w.secretAnswer });
    await importReputation(t.db, { userId: w.answerer.id, delta: 3, postId: w.openAnswer });
    // The first two long ago, before the chart's year; the third today.
    await t.db.execute(sql`
      update reputation_events set created_at = now() - interval '800 days'
       where user_id = ${w.answerer.id} and delta in (40, 7)`);
    const outside = await reputationProfile(t.db, w.outsider, w.answerer.id);
    expect(outside.chart[0]!.total).toBe(40);
    expect(outside.chart.at(-1)!.total).toBe(43);
    expect(outside.reputation).toBe(43);
    const inside = await reputationProfile(t.db, w.member, w.answerer.id);
    expect(inside.chart[0]!.total).toBe(47);
    expect(inside.chart.at(-1)!.total).toBe(50);
  });
});

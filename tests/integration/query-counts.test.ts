import { describe, expect, test } from "vitest";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { loader as questionsLoader } from "#app/routes/questions/index.tsx";
import { loader as tagLoader } from "#app/routes/tags/tag.tsx";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { requestAs, routeContext } from "#tests/helpers.ts";

/**
 * The N+1 guard for the pages the benchmark measures besides the question page (which
 * qa-question-page.test.ts guards): a page with many rows by many people makes the same number
 * of queries as a page with one. Counts, never timings.
 */
const t = setupTestDb();

/** A second handle on the test database that counts every statement it sends. */
const counted = countingDb(t);

type Loader = (args: never) => Promise<unknown>;

/** The loader's result and the statements it sent, as `user` loading `path` (the session lookup included). */
async function load<T>(loader: Loader, user: { id: number }, path: string, params: Record<string, string> = {}): Promise<{ data: T; queries: number }> {
  const db = counted.db;
  const request = await requestAs(t.db, user, path);
  const { context } = routeContext(db);
  counted.queries = 0;
  const data = (await loader({ request, context, params } as never)) as T;
  return { data, queries: counted.queries };
}

type ListData = { page: { rows: unknown[] } };

/** `count` questions by ten different people with several tags each, answered and commented on by others. */
async function busyQuestions(space: { slug: string }, count: number, tags: (i: number) => string[]) {
  const people = await Promise.all(Array.from({ length: 10 }, () => createUser(t.db)));
  for (let i = 0; i < count; i++) {
    const questionId = await createQuestion(t.db, { author: people[i % 10]!, space, tags: tags(i) });
    if (i % 3 === 0) continue; // some stay unanswered
    const answerId = await createAnswer(t.db, { author: people[(i + 1) % 10]!, questionId });
    await createAnswer(t.db, { author: people[(i + 2) % 10]!, questionId });
    await createComment(t.db, { author: people[(i + 3) % 10]!, postId: answerId });
  }
  return people;
}

describe("queries per page do not grow with its rows", () => {
  test("the question list, newest and unanswered: one question or a full page by ten people with tags", async () => {
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: await createUser(t.db), space, tags: ["alone"] });

    // The first load fills what is cached for a few seconds (reputation rules and the like).
    await load(questionsLoader, reader, "/questions");
    const smallNewest = await load<ListData>(questionsLoader, reader, "/questions");
    const smallUnanswered = await load<ListData>(questionsLoader, reader, "/questions?sort=unanswered");

    await busyQuestions(space, 40, (i) => [`topic-${i % 7}`, `area-${i % 5}`, "shared"]);
    const bigNewest = await load<ListData>(questionsLoader, reader, "/questions");
    const bigUnanswered = await load<ListData>(questionsLoader, reader, "/questions?sort=unanswered");

    expect(smallNewest.data.page.rows).toHaveLength(1);
    expect(smallUnanswered.data.page.rows).toHaveLength(1);
    expect(bigNewest.data.page.rows.length).toBeGreaterThanOrEqual(15);
    expect(bigUnanswered.data.page.rows.length).toBeGreaterThan(10);
    expect(bigNewest.queries).toBe(smallNewest.queries);
    expect(bigUnanswered.queries).toBe(smallUnanswered.queries);
    // 2 today: the session and the list.
    expect(bigNewest.queries).toBeLessThanOrEqual(3);
  });

  test("the tag page: a tag on one question or on forty, with top askers, answerers and related tags", async () => {
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: await createUser(t.db), space, tags: ["lonely"] });
    await createQuestion(t.db, { author: await createUser(t.db), space, tags: ["first"] });
    await busyQuestions(space, 40, (i) => ["busy", `neighbour-${i % 6}`]);

    // A first read of another tag fills the short caches of rules; each tag below is then read
    // for the first time, its statistics' window included (tags.server.ts keeps it per tag).
    await load(tagLoader, reader, "/tags/first", { name: "first" });
    type TagData = { list: ListData; topAnswerers: unknown[]; related: unknown[] };
    const small = await load<TagData>(tagLoader, reader, "/tags/lonely", { name: "lonely" });
    const big = await load<TagData>(tagLoader, reader, "/tags/busy", { name: "busy" });

    expect(small.data.list.page.rows).toHaveLength(1);
    expect(big.data.list.page.rows.length).toBeGreaterThanOrEqual(15);
    expect(big.data.topAnswerers.length).toBeGreaterThan(1);
    expect(big.data.related.length).toBeGreaterThan(1);
    expect(big.queries).toBe(small.queries);
    // 9 today, the session and the tag's SMEs (issue 18) included.
    expect(big.queries).toBeLessThanOrEqual(9);
  });

  test("a profile: someone with one answer or an active answerer with forty in many tags", async () => {
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const asker = await createUser(t.db);
    const quiet = await createUser(t.db);
    const active = await createUser(t.db);
    const voters = await Promise.all(Array.from({ length: 5 }, () => createUser(t.db, { reputation: 1000 })));
    const quietAnswer = await createAnswer(t.db, { author: quiet, questionId: await createQuestion(t.db, { author: asker, space, tags: ["one"] }) });
    await castVote(t.db, voters[0]!, quietAnswer, 1);
    for (let i = 0; i < 40; i++) {
      const questionId = await createQuestion(t.db, { author: active, space, tags: [`ask-${i % 4}`] });
      const answerId = await createAnswer(t.db, { author: active, questionId: await createQuestion(t.db, { author: asker, space, tags: [`skill-${i % 8}`, "common"] }) });
      for (const voter of voters.slice(0, 1 + (i % 5))) await castVote(t.db, voter, answerId, 1);
      await castVote(t.db, voters[i % 5]!, questionId, 1);
    }

    await load(profileLoader, reader, `/people/${quiet.id}`, { userId: String(quiet.id) });
    const small = await load(profileLoader, reader, `/people/${quiet.id}`, { userId: String(quiet.id) });
    const big = await load(profileLoader, reader, `/people/${active.id}`, { userId: String(active.id) });

    type ProfileData = { reputation: { answerCount: number; topTags: unknown[] } };
    expect((small.data as ProfileData).reputation.answerCount).toBe(1);
    expect((big.data as ProfileData).reputation.answerCount).toBe(40);
    expect((big.data as ProfileData).reputation.topTags.length).toBeGreaterThan(1);
    expect(small.queries).toBeGreaterThan(0);
    expect(big.queries).toBe(small.queries);
    // 20 today, the session included (the 14th: the ideas the person owns; the 15th and 16th:
    // their articles and whether the reader follows them; the 17th and 18th: their kudos and badges;
    // the 19th and 20th: their top topics, then the rest of their expertise).
    expect(big.queries).toBeLessThanOrEqual(20);
  });
});

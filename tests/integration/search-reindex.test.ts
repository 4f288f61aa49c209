import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Meilisearch, SearchResponse } from "meilisearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { outbox, posts, users } from "#db/schema/index.ts";
import { deletePost } from "#app/features/qa/edit.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { applyIndexSettings, INDEX_NAMES, type IndexedKind, indexName } from "#search/indexes.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { setupTestDb, testMeili } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/** The full rebuild against the real Meilisearch of the test run, in indexes of this file's own. */

const t = setupTestDb();
const prefix = `t${randomUUID().replaceAll("-", "").slice(0, 10)}_`;
let client: Meilisearch;

beforeAll(async () => {
  const { url, key } = testMeili();
  client = createMeiliClient(url, key, 30_000);
});

afterAll(async () => {
  for (const kind of Object.keys(INDEX_NAMES) as IndexedKind[]) await client.deleteIndexIfExists(indexName(kind, prefix));
});

async function allIds(kind: "question" | "person"): Promise<number[]> {
  const { results } = await client.index(indexName(kind, prefix)).getDocuments({ limit: 10_000, fields: ["id"] });
  return results.map((d) => Number(d.id)).sort((a, b) => a - b);
}

async function liveQuestionIds(): Promise<number[]> {
  const rows = await t.db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.type, "question"), isNull(posts.deletedAt)));
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

async function livePeopleIds(): Promise<number[]> {
  const rows = await t.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt)));
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

async function buildIndexesLeft(): Promise<string[]> {
  const { results } = await client.getIndexes({ limit: 1000 });
  return results.map((i) => i.uid).filter((uid) => uid.startsWith(prefix) && uid.includes("_build_"));
}

describe("reindexAll", () => {
  // Issue 19, forum search: seven indexes rebuilt twice; a loaded machine needs more than the default 30 s.
  test("builds fresh indexes holding exactly the live items, and searches answer during a rebuild", { timeout: 60_000 }, async () => {
    const author = await createUser(t.db, { name: "Rita Rebuild" });
    const answerer = await createUser(t.db);
    await createUser(t.db, {}, "deactivated");
    await createUser(t.db, {}, "customer");
    const space = await createSpace(t.db);
    const kept = await createQuestion(t.db, { author, space, title: "How do we rebuild the zeppelin index?" });
    await createAnswer(t.db, { author: answerer, questionId: kept, body: "Stream every row into a new index, then swap it in." });
    await createQuestion(t.db, { author, space });
    const gone = await createQuestion(t.db, { author, space });
    await deletePost(t.db, author, gone);

    // First rebuild: there is no live index yet, so the build is renamed into place.
    const first = await reindexAll(t.db, client, { prefix });
    expect(first.question.documents).toBe(2);
    expect(await allIds("question")).toEqual(await liveQuestionIds());
    expect(await allIds("person")).toEqual(await livePeopleIds());
    expect(await buildIndexesLeft()).toEqual([]);

    // Drift the rebuild must repair: a stale document of something that no longer exists.
    await client
      .index(indexName("question", prefix))
      .addDocuments([{ id: 999_999, type: "question", title: "A stale zeppelin", spaceId: space.id }])
      .waitTask();

    const during: SearchResponse[] = [];
    const progress: string[] = [];
    const marked = await t.db.$count(outbox);
    const second = await reindexAll(t.db, client, {
      prefix,
      onProgress: async (p) => {
        progress.push(`${p.kind}:${p.indexed}:${p.done}`);
        // Mid-rebuild the live index still answers (with its old content, the stale document too).
        if (!p.done && p.kind === "question") during.push(await client.index(indexName("question", prefix)).search("zeppelin"));
      },
    });
    expect(during.length).toBeGreaterThan(0);
    for (const response of during) expect(response.hits.map((h) => Number(h.id)).sort()).toEqual([kept, 999_999].sort());
    // No ideas, pages, articles, kudos or badges yet: their indexes are rebuilt (and swapped in) empty.
    expect(progress).toEqual([
      "question:2:false",
      "question:2:true",
      `person:${(await livePeopleIds()).length}:false`,
      `person:${(await livePeopleIds()).length}:true`,
      "idea:0:true",
      "wiki_page:0:true",
      "article:0:true",
      "recognition:0:true",
      // Issue 19, forum search: no published forum threads either.
      "forum_thread:0:true",
    ]);
    expect(second.question.documents).toBe(2);
    expect(await allIds("question")).toEqual(await liveQuestionIds());
    expect(await allIds("person")).toEqual(await livePeopleIds());
    expect(await buildIndexesLeft()).toEqual([]);

    // The new index has the settings (an answer's words find its question) and the documents.
    const found = await client.index(indexName("question", prefix)).search("swap");
    expect(found.hits.map((h) => h.id)).toEqual([kept]);
    // Writes made during the rebuild (here: those of this test) are queued again for the relay.
    expect(await t.db.$count(outbox)).toBeGreaterThan(marked);
  });

  test("documents read in many small batches, joined into tasks of several, all arrive whole", async () => {
    const author = await createUser(t.db, { name: "Bea Batches" });
    const space = await createSpace(t.db);
    for (let i = 0; i < 7; i++) await createQuestion(t.db, { author, space, title: `Which batch carries the quasar number ${i}?`, body: `Quasar ${i} rides in some batch.` });
    // Two items a read, three documents a task, one task waiting: every path of the pipeline runs.
    const result = await reindexAll(t.db, client, { prefix, kinds: ["question"], tuning: { readBatch: 2, taskDocuments: 3, pendingTasks: 1 } });
    const live = await liveQuestionIds();
    expect(result.question.documents).toBe(live.length);
    expect(await allIds("question")).toEqual(live);
    const found = await client.index(indexName("question", prefix)).search("quasar", { limit: 20, attributesToRetrieve: ["id", "title", "body"] });
    expect(found.hits).toHaveLength(7);
    for (const hit of found.hits) expect(String(hit.body)).toMatch(/^Quasar \d rides in some batch\.$/);
    expect(await buildIndexesLeft()).toEqual([]);
  });

  test("a rebuild that fails leaves the live index and no half-built one", async () => {
    await applyIndexSettings(client, prefix);
    const before = await allIds("question");
    // The same client, except that the swap fails.
    const broken = new Proxy(client, {
      get(target, property) {
        if (property === "swapIndexes") return () => Promise.reject(new Error("swap refused"));
        const value: unknown = Reflect.get(target, property);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(reindexAll(t.db, broken, { prefix, kinds: ["question"] })).rejects.toThrow("swap refused");
    expect(await allIds("question")).toEqual(before);
    expect(await buildIndexesLeft()).toEqual([]);
  });
});

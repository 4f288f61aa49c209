import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { outbox, posts } from "#db/schema/index.ts";
import { deletePost, editPost } from "#app/features/qa/edit.server.ts";
import { recordReputation } from "#app/features/reputation/ledger.server.ts";
import { deactivateUser } from "#app/features/users/admin-users.server.ts";
import { createMeiliClient, meiliErrorCode } from "#search/client.server.ts";
import { startEmbeddedMeili } from "#search/embedded.ts";
import { applyIndexSettings, INDEX_NAMES, type IndexedKind, indexName } from "#search/indexes.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { outboxHealth, retryDead, runRelayOnce, runRelayUntilIdle, startRelay, type RelayResult } from "#search/relay.server.ts";
import { setupTestDb, testMeili } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * The relay against the real Meilisearch of the test run (and, for the outage, a second one of
 * its own that is stopped and started again). Each file uses its own index names.
 */

const t = setupTestDb();
const prefix = `t${randomUUID().replaceAll("-", "").slice(0, 10)}_`;
let client: Meilisearch;

beforeAll(async () => {
  const { url, key } = testMeili();
  client = createMeiliClient(url, key, 10_000);
  await applyIndexSettings(client, prefix);
});

afterAll(async () => {
  for (const kind of Object.keys(INDEX_NAMES) as IndexedKind[]) await client.deleteIndexIfExists(indexName(kind, prefix));
});

async function questionDoc(c: Meilisearch, id: number, p = prefix): Promise<Record<string, unknown> | null> {
  try {
    return await c.index(indexName("question", p)).getDocument(id);
  } catch (error) {
    if (meiliErrorCode(error) === "document_not_found") return null;
    throw error;
  }
}

/** Enqueues directly too: duplicates are harmless and the test does not depend on every feature's enqueue. */
async function enqueue(ids: number[]) {
  await t.db.transaction((tx) => enqueueIndexing(tx, "question", ids));
}

const relay = () => runRelayUntilIdle(t.db, client, { prefix });

async function rows(ids: number[]) {
  return t.db.select().from(outbox).where(inArray(outbox.id, ids));
}

describe("indexing through the outbox", () => {
  test("asked, answered and edited questions are indexed with their latest version; an answer's words find the question", async () => {
    const author = await createUser(t.db, { name: "Ada Indexer", department: "Engineering" });
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author, space, title: "How do we rotate the staging certificates?", tags: ["general"] });
    await createAnswer(t.db, { author, questionId: id, body: "Use the quokkaflux runbook, it renews every certificate at once." });
    await editPost(t.db, author, id, {
      title: "How do we rotate the staging TLS certificates?",
      body: "Edited body about certificates and renewals.",
      tags: ["general"],
      comment: "clearer",
    });
    await enqueue([id]);

    const result = await relay();
    expect(result.failed + result.dead).toBe(0);
    const doc = await questionDoc(client, id);
    expect(doc).toMatchObject({
      id,
      type: "question",
      spaceId: space.id,
      title: "How do we rotate the staging TLS certificates?",
      body: "Edited body about certificates and renewals.",
      tags: ["general"],
      status: "open",
      answerCount: 1,
      authorName: "Ada Indexer",
      authorDepartment: "Engineering",
    });
    const hits = await client.index(indexName("question", prefix)).search("quokkaflux");
    expect(hits.hits.map((h) => h.id)).toEqual([id]);

    const pending = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "question"), eq(outbox.itemId, id)));
    expect(pending.every((r) => r.status === "done" && r.processedAt !== null)).toBe(true);
  });

  test("a deleted question is removed from the index", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author, space });
    await enqueue([id]);
    await relay();
    expect(await questionDoc(client, id)).not.toBeNull();

    await deletePost(t.db, author, id);
    await enqueue([id]);
    await relay();
    expect(await questionDoc(client, id)).toBeNull();
  });

  test("a task Meilisearch accepts but fails is retried with backoff and ends dead, not done", async () => {
    await relay();
    const badPrefix = `${prefix}bad_`;
    // An index whose primary key the documents do not have: every document addition task fails.
    await client.createIndex(indexName("question", badPrefix), { primaryKey: "nope" }).waitTask();
    try {
      const author = await createUser(t.db);
      const space = await createSpace(t.db);
      // Two items in one batch: the failed batch task is retried item by item, and each fails on its own.
      const id = await createQuestion(t.db, { author, space });
      const other = await createQuestion(t.db, { author, space });
      await enqueue([id, other]);
      const mine = (
        await t.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.kind, "question"), inArray(outbox.itemId, [id, other])))
      ).map((r) => r.id);

      const before = Date.now();
      const first = await runRelayOnce(t.db, client, { prefix: badPrefix, maxAttempts: 3 });
      expect(first.failed).toBe(mine.length);
      let state = await rows(mine);
      for (const r of state) {
        expect(r).toMatchObject({ status: "pending", attempts: 1, processedAt: null });
        expect(r.lastError).toMatch(/failed/);
        // Backed off by a second from the failure (which came after `before`).
        expect(r.availableAt.getTime()).toBeGreaterThanOrEqual(before + 900);
      }

      for (const attempt of [2, 3]) {
        await t.db
          .update(outbox)
          .set({ availableAt: sql`now()` })
          .where(inArray(outbox.id, mine));
        await runRelayOnce(t.db, client, { prefix: badPrefix, maxAttempts: 3 });
        state = await rows(mine);
        expect(state.every((r) => r.attempts === attempt)).toBe(true);
      }
      expect(state.every((r) => r.status === "dead" && r.processedAt === null)).toBe(true);
      expect((await outboxHealth(t.db)).dead).toBeGreaterThanOrEqual(mine.length);

      // The admin's retry puts them back; with a working index they are done.
      expect(await retryDead(t.db, mine)).toBe(mine.length);
      await relay();
      expect((await rows(mine)).every((r) => r.status === "done")).toBe(true);
      expect(await questionDoc(client, id)).not.toBeNull();
    } finally {
      await client.deleteIndexIfExists(indexName("question", badPrefix));
    }
  });

  test("two relays at once process each row once, and two quick edits end with the latest version", async () => {
    await relay();
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await createQuestion(t.db, { author, space, title: `Concurrent question number ${i} about relays` }));
    const start = (await t.db.select({ id: sql<number>`coalesce(max(${outbox.id}), 0)` }).from(outbox))[0]!.id;

    let editing = true;
    const claimed: number[][] = [[], []];
    const loop = async (n: 0 | 1) => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const r: RelayResult = await runRelayOnce(t.db, client, { prefix, batchSize: 4 });
        expect(r.failed + r.dead).toBe(0);
        claimed[n]!.push(...r.ids);
        if (r.claimed === 0) {
          if (!editing && (await outboxHealth(t.db)).pending === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      throw new Error("relay loop did not finish");
    };
    const edits = async () => {
      for (const round of [1, 2]) {
        for (const [i, id] of ids.entries()) {
          await editPost(t.db, author, id, { title: `Concurrent question number ${i} edit ${round}`, body: `Body of round ${round} for question ${i}.`, tags: ["general"], comment: "" });
          await enqueue([id]);
        }
      }
      editing = false;
    };
    await Promise.all([loop(0), loop(1), edits()]);

    const all = [...claimed[0]!, ...claimed[1]!].filter((id) => id > start);
    // Both relays did part of the work.
    expect(claimed[0]!.length).toBeGreaterThan(0);
    expect(claimed[1]!.length).toBeGreaterThan(0);
    expect(new Set(all).size).toBe(all.length);
    const after = await t.db
      .select()
      .from(outbox)
      .where(sql`${outbox.id} > ${start}`);
    expect(after.every((r) => r.status === "done")).toBe(true);
    expect(new Set(all)).toEqual(new Set(after.map((r) => r.id)));
    for (const [i, id] of ids.entries()) {
      expect(await questionDoc(client, id)).toMatchObject({ title: `Concurrent question number ${i} edit 2`, body: `Body of round 2 for question ${i}.` });
    }
  });
});

describe("issue 22: priority, one task per index, the pipeline", () => {
  /** Outbox rows for items that do not exist: the relay deletes their documents, which always succeeds. */
  async function missing(kind: "question" | "idea", from: number, count: number, priority: 0 | 1) {
    const ids = Array.from({ length: count }, (_, i) => from + i);
    await t.db.transaction((tx) => enqueueIndexing(tx, kind, ids, { priority }));
  }
  /** A property of the real client, its methods bound to it (the client keeps private fields). */
  const bound = (target: object, name: string | symbol): unknown => {
    const value = Reflect.get(target, name) as unknown;
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  };
  const claimedRows = async (ids: number[]) => (ids.length === 0 ? [] : t.db.select().from(outbox).where(inArray(outbox.id, ids)));

  test("a person's own write enqueued after many background rows is indexed in the first batch, and background rows fill the rest", async () => {
    await relay();
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author, space, title: "Which printer serves the fourth floor?" });
    await relay();
    await missing("idea", 900_000, 250, 1);
    await editPost(t.db, author, id, { title: "Which printer serves the fifth floor?", body: "The old one moved.", tags: ["general"], comment: "" });

    const first = await runRelayOnce(t.db, client, { prefix, batchSize: 50 });
    expect(first.failed + first.dead).toBe(0);
    const taken = await claimedRows(first.ids);
    expect(taken.filter((r) => r.kind === "question" && r.itemId === id && r.priority === 0)).toHaveLength(1);
    expect(taken.filter((r) => r.priority === 1)).toHaveLength(49);
    expect(await questionDoc(client, id)).toMatchObject({ title: "Which printer serves the fifth floor?" });
    await relay();
  });

  test("background rows keep a quarter of every batch while own writes keep coming, so they are never starved", async () => {
    await relay();
    await missing("question", 800_000, 30, 0);
    await missing("idea", 910_000, 5, 1);
    const first = await runRelayOnce(t.db, client, { prefix, batchSize: 8 });
    const taken = await claimedRows(first.ids);
    expect(taken.filter((r) => r.priority === 0)).toHaveLength(6);
    expect(taken.filter((r) => r.priority === 1)).toHaveLength(2);
    const rest = await relay();
    expect(rest.failed + rest.dead).toBe(0);
    expect((await outboxHealth(t.db)).pending).toBe(0);
  });

  test("a claim takes every due row of the items it claims, whatever their priority, and marks exactly those", async () => {
    await relay();
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author, space });
    const other = await createQuestion(t.db, { author, space });
    await relay();
    for (const priority of [1, 1, 0, 1] as const) await t.db.transaction((tx) => enqueueIndexing(tx, "question", [id], { priority }));
    await enqueue([other]);
    const first = await runRelayOnce(t.db, client, { prefix, batchSize: 1 });
    const taken = await claimedRows(first.ids);
    expect(taken).toHaveLength(4);
    expect(taken.every((r) => r.itemId === id && r.status === "done")).toBe(true);
    const pending = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.itemId, other), eq(outbox.kind, "question"), eq(outbox.status, "pending")));
    expect(pending).toHaveLength(1);
    await relay();
  });

  test("one index's failed task or one unknown kind fails only its own rows; the other kinds of the batch are done", async () => {
    await relay();
    const isolated = `${prefix}iso_`;
    // A people index whose primary key the documents do not have: every person task fails.
    await client.createIndex(indexName("person", isolated), { primaryKey: "nope" }).waitTask();
    try {
      const author = await createUser(t.db);
      const space = await createSpace(t.db);
      const id = await createQuestion(t.db, { author, space, title: "Is the canteen open on holidays?" });
      await relay();
      await enqueue([id]);
      await t.db.transaction((tx) => enqueueIndexing(tx, "person", [author.id]));
      await t.db.insert(outbox).values({ kind: "no_such_kind", itemId: 1 });
      const mine = (await t.db.select().from(outbox).where(eq(outbox.status, "pending"))).map((r) => r.id);

      const result = await runRelayOnce(t.db, client, { prefix: isolated });
      expect(result.done).toBe(1);
      expect(result.failed).toBe(2);
      const state = await claimedRows(mine);
      expect(state.find((r) => r.kind === "question")).toMatchObject({ status: "done" });
      expect(state.find((r) => r.kind === "person")).toMatchObject({ status: "pending", attempts: 1 });
      expect(state.find((r) => r.kind === "person")?.lastError).toMatch(/failed/);
      expect(state.find((r) => r.kind === "no_such_kind")).toMatchObject({ status: "pending", attempts: 1 });
      expect(state.find((r) => r.kind === "no_such_kind")?.lastError).toMatch(/no indexer for kind "no_such_kind"/);
      expect(await questionDoc(client, id, isolated)).toMatchObject({ title: "Is the canteen open on holidays?" });
    } finally {
      await t.db.delete(outbox).where(eq(outbox.status, "pending"));
      for (const kind of ["person", "question"] as const) await client.deleteIndexIfExists(indexName(kind, isolated));
    }
  });

  test("the next batch is claimed while one waits on Meilisearch, and an item in flight is not claimed again until it is done", async () => {
    await relay();
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const x = await createQuestion(t.db, { author, space, title: "Pipeline question one" });
    const y = await createQuestion(t.db, { author, space, title: "Pipeline question two" });
    await relay();
    await enqueue([x]);
    await enqueue([y]);
    const [yRow] = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "question"), eq(outbox.itemId, y), eq(outbox.status, "pending")));

    const leased = async (ids: number[]) => (await claimedRows(ids)).filter((r) => r.status === "pending" && r.availableAt.getTime() > Date.now());
    let wake = () => {};
    const woken = () => new Promise<void>((resolve) => (wake = resolve));
    let overlapped = false;
    let newerRows: number[] = [];
    let newerLeasedInFlight = -1;
    // Holds the first batch's first poll until the test has looked: the second batch must be
    // claimed meanwhile, and x's newer row must stay unclaimed while x is in flight.
    let first = true;
    const tasks = new Proxy(client.tasks, {
      get(target, name) {
        if (name !== "getTasks") return bound(target, name);
        return async (...args: Parameters<typeof target.getTasks>) => {
          if (first) {
            first = false;
            const deadline = Date.now() + 5_000;
            while (!overlapped && Date.now() < deadline) {
              overlapped = (await leased([yRow!.id])).length === 1;
              if (!overlapped) await new Promise((resolve) => setTimeout(resolve, 20));
            }
            const before = await t.db.select({ id: sql<number>`coalesce(max(${outbox.id}), 0)` }).from(outbox);
            await editPost(t.db, author, x, { title: "Pipeline question one, edited", body: "A newer version.", tags: ["general"], comment: "" });
            newerRows = (
              await t.db
                .select()
                .from(outbox)
                .where(sql`${outbox.id} > ${before[0]!.id}`)
            ).map((r) => r.id);
            wake();
            await new Promise((resolve) => setTimeout(resolve, 300));
            newerLeasedInFlight = (await leased(newerRows)).length;
          }
          return target.getTasks(...args);
        };
      },
    });
    const hooked = new Proxy(client, { get: (target, name) => (name === "tasks" ? tasks : bound(target, name)) });

    const result = await runRelayUntilIdle(t.db, hooked, { prefix, batchSize: 1, pipeline: 3 }, { woken });
    expect(result.failed + result.dead).toBe(0);
    expect(overlapped).toBe(true);
    expect(newerRows.length).toBeGreaterThan(0);
    expect(newerLeasedInFlight).toBe(0);
    expect((await claimedRows(newerRows)).every((r) => r.status === "done")).toBe(true);
    expect(result.ids).toEqual(expect.arrayContaining(newerRows));
    expect(await questionDoc(client, x)).toMatchObject({ title: "Pipeline question one, edited" });
    expect(await questionDoc(client, y)).toMatchObject({ title: "Pipeline question two" });
  });
});

describe("people", () => {
  test("active employees are indexed with their top tags and reputation from open spaces; customers and deactivated people are not", async () => {
    await relay();
    const admin = await createUser(t.db, {}, "admin");
    const expert = await createUser(t.db, { name: "Grace Searchable", title: "Staff engineer", department: "Platform", location: "Lisbon" });
    const customer = await createUser(t.db, { name: "Carl Customer" }, "customer");
    const space = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [expert] }, "restricted");
    await createQuestion(t.db, { author: expert, space, tags: ["general"] });
    // A restricted space's tags and reputation stay out of the one document every reader searches.
    await createQuestion(t.db, { author: expert, space: secret, tags: ["secret-merger"] });
    await createQuestion(t.db, { author: expert, space: secret, tags: ["secret-merger"] });
    for (const [where, delta] of [
      [space, 321],
      [secret, 500],
    ] as const) {
      await t.db.transaction((tx) =>
        recordReputation(tx, { userId: expert.id, reason: "imported", delta, actorId: null, itemId: null, spaceId: where.id, tagIds: [], countsTowardCap: false }),
      );
    }
    await t.db.transaction((tx) => enqueueIndexing(tx, "person", [expert.id, customer.id]));
    await relay();
    const people = client.index(indexName("person", prefix));
    expect(await people.getDocument(expert.id)).toMatchObject({
      name: "Grace Searchable",
      title: "Staff engineer",
      department: "Platform",
      location: "Lisbon",
      reputation: 321,
      topTags: ["general"],
    });
    expect((await people.search("Carl Customer")).hits.map((h) => h.id)).not.toContain(customer.id);

    await deactivateUser(t.db, admin, expert.id);
    await t.db.transaction((tx) => enqueueIndexing(tx, "person", [expert.id]));
    await relay();
    expect((await people.search("Grace Searchable")).hits.map((h) => h.id)).not.toContain(expert.id);
  });
});

describe("the relay in the app process", () => {
  test("wakes on NOTIFY, indexes a new question without waiting for the poll, and stops cleanly", async () => {
    await relay();
    const warnings: string[] = [];
    const { url, key } = testMeili();
    const stop = startRelay(t.db, {
      databaseUrl: t.url,
      meiliUrl: url,
      meiliKey: key,
      prefix,
      pollMs: 60_000,
      log: { info: () => {}, warn: (_obj, msg) => warnings.push(msg) },
    });
    try {
      // Let the first run (at start) and the LISTEN settle.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const author = await createUser(t.db);
      const space = await createSpace(t.db);
      const id = await createQuestion(t.db, { author, space, title: "Does the relay hear notifications promptly?" });
      await enqueue([id]);
      const deadline = Date.now() + 10_000;
      while (!(await questionDoc(client, id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await questionDoc(client, id)).toMatchObject({ title: "Does the relay hear notifications promptly?" });
    } finally {
      await stop();
    }
    expect(warnings).toEqual([]);
    expect((await outboxHealth(t.db)).pending).toBe(0);
  });
});

describe("Meilisearch down", () => {
  test("500 writes while it is stopped all succeed; after it restarts the relay catches up with every latest version", { timeout: 120_000 }, async () => {
    await relay();
    const dataDir = await mkdtemp(path.join(tmpdir(), "commons-meili-down-"));
    let meili = await startEmbeddedMeili({ dataDir });
    try {
      let own = createMeiliClient(meili.url, meili.masterKey, 5_000);
      await applyIndexSettings(own, prefix);
      await meili.stop();

      const author = await createUser(t.db);
      const space = await createSpace(t.db);
      const ids: number[] = [];
      let writes = 0;
      for (let i = 0; i < 150; i++, writes++) ids.push(await createQuestion(t.db, { author, space, title: `Outage question ${i} about backups` }));
      for (let i = 0; i < 200; i++, writes++) {
        const id = ids[i % ids.length]!;
        await editPost(t.db, author, id, { title: `Outage question ${i % ids.length} edit ${Math.floor(i / ids.length) + 1}`, body: `Outage body ${i}.`, tags: ["general"], comment: "" });
      }
      for (let i = 0; i < 100; i++, writes++) await createAnswer(t.db, { author, questionId: ids[i]!, body: `Outage answer ${i} with enough words.` });
      const deleted = ids.slice(100, 150);
      for (const id of deleted) {
        await deletePost(t.db, author, id);
        writes++;
      }
      expect(writes).toBe(500);
      await enqueue(ids);

      const pendingBefore = (await outboxHealth(t.db)).pending;
      expect(pendingBefore).toBeGreaterThanOrEqual(ids.length);
      const down = await runRelayOnce(t.db, own, { prefix, batchSize: 1000 });
      expect(down.done).toBe(0);
      expect(down.failed).toBe(down.claimed);
      expect((await outboxHealth(t.db)).pending).toBe(pendingBefore);

      meili = await startEmbeddedMeili({ dataDir });
      own = createMeiliClient(meili.url, meili.masterKey, 5_000);
      await t.db
        .update(outbox)
        .set({ availableAt: sql`now()` })
        .where(eq(outbox.status, "pending"));
      const up = await runRelayUntilIdle(t.db, own, { prefix, batchSize: 1000 });
      expect(up.failed + up.dead).toBe(0);
      expect((await outboxHealth(t.db)).pending).toBe(0);

      const live = await t.db
        .select({ id: posts.id, title: posts.title, body: posts.body })
        .from(posts)
        .where(and(inArray(posts.id, ids), sql`${posts.deletedAt} is null`));
      expect(live).toHaveLength(100);
      const docs = await own.index(indexName("question", prefix)).getDocuments({ limit: 1000, fields: ["id", "title", "body", "answers"] });
      const byId = new Map(docs.results.map((d) => [d.id as number, d]));
      for (const q of live) expect(byId.get(q.id)).toMatchObject({ title: q.title, body: q.body });
      for (const id of deleted) expect(byId.has(id)).toBe(false);
      expect(byId.size).toBe(100);
    } finally {
      await meili.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

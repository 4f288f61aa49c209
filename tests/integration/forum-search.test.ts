import { eq, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDb, type Db } from "#db/client.server.ts";
import { forumAnswers, forumRuntime, forumThreads } from "#db/schema/index.ts";
import { meiliErrorCode, settled } from "#search/client.server.ts";
import { TOP_ANSWERS } from "#search/documents.server.ts";
import { ensureForumSearchKey, forumSearchKeyUid, forumThreadDocuments } from "#search/forum.server.ts";
import { indexName } from "#search/indexes.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { reconcileIndexes } from "#search/reconcile.server.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb, testMeili, useUnreachableMeili } from "#tests/db.ts";
import { FORUM_SEARCH_PAGE_SIZE, searchForum } from "../../forum/search.server.ts";
import { forumRoleUrl } from "#tests/forum.ts";

/**
 * The forum's search (issue 19), end to end on real servers: threads written to the published
 * tables with the app's role and named in the outbox as the publishing helper names them, indexed
 * by the real relay into this file's own forum index, then searched by `searchForum` connected as
 * the forum's own role with the search-only key from forum_runtime.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("g");
const { prefix } = indexes;
const unreachable = useUnreachableMeili();

let client: Meilisearch;
let forumDb: Db;
beforeAll(async () => {
  client = indexes.client;
  await ensureForumSearchKey(client, t.db, prefix);
  forumDb = createDb(await forumRoleUrl(t), { max: 2 });
});
afterAll(async () => {
  await forumDb?.close();
  await client?.deleteKey(forumSearchKeyUid(indexName("forum_thread", prefix))).catch(() => {});
});

const meili = () => ({ meiliUrl: testMeili().url });
const forumIndex = () => client.index(indexName("forum_thread", prefix));

/** A published thread as the publishing helper writes one: the snapshot and its answers, queued for indexing in the same transaction. */
async function publishThread(attrs: { title: string; html?: string; tags?: string[]; answers?: string[]; expiresAt?: Date | null; publishedAt?: Date }): Promise<number> {
  return t.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(forumThreads)
      .values({
        slug: attrs.title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
        title: attrs.title,
        bodyHtml: attrs.html ?? `<p>About ${attrs.title}.</p>`,
        summary: `About ${attrs.title}.`,
        authorName: "A Northwind engineer",
        tags: attrs.tags ?? ["networking"],
        answerCount: attrs.answers?.length ?? 0,
        askedAt: new Date("2025-01-01T00:00:00Z"),
        publishedAt: attrs.publishedAt ?? new Date(),
        expiresAt: attrs.expiresAt ?? null,
      })
      .returning({ id: forumThreads.id });
    const threadId = row!.id;
    if (attrs.answers?.length) {
      await tx.insert(forumAnswers).values(attrs.answers.map((html, i) => ({ threadId, position: i + 1, bodyHtml: html, authorName: "A Northwind engineer", answeredAt: new Date() })));
    }
    await enqueueIndexing(tx, "forum_thread", [threadId]);
    return threadId;
  });
}

/** Unpublishing, as the publishing helper does it: the text emptied, the answers gone, queued. */
async function withdrawThread(threadId: number): Promise<void> {
  await t.db.transaction(async (tx) => {
    await tx
      .update(forumThreads)
      .set({ withdrawnAt: sql`now()`, bodyHtml: "", summary: "" })
      .where(eq(forumThreads.id, threadId));
    await tx.delete(forumAnswers).where(eq(forumAnswers.threadId, threadId));
    await enqueueIndexing(tx, "forum_thread", [threadId]);
  });
}

async function indexAll() {
  const r = await runRelayUntilIdle(t.db, client, { prefix });
  expect(r.failed + r.dead).toBe(0);
}

async function inIndex(id: number): Promise<boolean> {
  try {
    await forumIndex().getDocument(id);
    return true;
  } catch (error) {
    if (meiliErrorCode(error) === "document_not_found") return false;
    throw error;
  }
}

describe("forum search", () => {
  test("a thread's document is its published text in plain words; withdrawn, expired and missing threads are deletes", async () => {
    const answers = ["<p>Accepted: <code>restart</code> the &lt;proxy&gt;</p>", ...Array.from({ length: TOP_ANSWERS + 2 }, (_, i) => `<p>Answer ${i + 2}</p>`)];
    const live = await publishThread({ title: "Proxy restarts", html: "<p>The <strong>proxy</strong> &amp; the cache</p>", tags: ["proxy"], answers });
    const withdrawn = await publishThread({ title: "Gone thread" });
    await withdrawThread(withdrawn);
    const expired = await publishThread({ title: "Old thread", expiresAt: new Date(Date.now() - 60_000) });

    const { upserts, deletes } = await forumThreadDocuments(t.db, [live, withdrawn, expired, 999_999]);
    expect(deletes.sort()).toEqual([withdrawn, expired, 999_999].sort());
    expect(upserts).toHaveLength(1);
    const [doc] = upserts;
    expect(Object.keys(doc!).sort()).toEqual(["answers", "body", "id", "publishedAt", "slug", "solved", "summary", "tags", "title", "version"]);
    expect(doc).toMatchObject({ id: live, title: "Proxy restarts", slug: "proxy-restarts", tags: ["proxy"], body: "The proxy & the cache", solved: false });
    // As many answers as a question's document carries, in the order shown, as text.
    expect(doc!.answers).toEqual(["Accepted: restart the <proxy>", "Answer 2", "Answer 3", "Answer 4"].slice(0, TOP_ANSWERS + 1));
  });

  test("the relay indexes a published thread and the forum, as its own role with its own key, finds it; unpublishing drops it at once and from the index after the relay", async () => {
    const id = await publishThread({ title: "Rotating the zephyrine certificate", tags: ["tls"], answers: ["<p>Use the quuxbolt tool.</p>"] });
    const other = await publishThread({ title: "Zephyrine on a second gateway", tags: ["gateway"] });
    await indexAll();

    const found = await searchForum(forumDb, meili(), "zephyrine");
    expect(found.unavailable).toBe(false);
    expect(found.hits.map((h) => h.id).sort()).toEqual([id, other].sort());
    expect(found.total).toBe(2);
    const hit = found.hits.find((h) => h.id === id)!;
    expect(hit).toEqual({
      id,
      slug: "rotating-the-zephyrine-certificate",
      title: "Rotating the zephyrine certificate",
      summary: "About Rotating the zephyrine certificate.",
      tags: ["tls"],
      publishedAt: expect.any(Date),
      solved: false,
    });
    // An answer's words find the thread; a tag narrows the search.
    expect((await searchForum(forumDb, meili(), "quuxbolt")).hits.map((h) => h.id)).toEqual([id]);
    expect((await searchForum(forumDb, meili(), "zephyrine", { tag: "gateway" })).hits.map((h) => h.id)).toEqual([other]);

    await withdrawThread(id);
    // Before the relay: still in the index, already gone from the results.
    expect(await inIndex(id)).toBe(true);
    const meanwhile = await searchForum(forumDb, meili(), "zephyrine");
    expect(meanwhile.hits.map((h) => h.id)).toEqual([other]);
    expect(meanwhile.total).toBe(1);
    // An expiry passing is the same, with no write at all.
    await t.db
      .update(forumThreads)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(forumThreads.id, other));
    expect((await searchForum(forumDb, meili(), "zephyrine")).hits).toEqual([]);

    await indexAll();
    expect(await inIndex(id)).toBe(false);
  });

  test("twenty threads to a page, newest first without words", async () => {
    const base = Date.now() - 3_600_000;
    const ids: number[] = [];
    for (let i = 0; i < FORUM_SEARCH_PAGE_SIZE + 2; i++) {
      ids.push(await publishThread({ title: `Paging plimsoll number ${i}`, tags: ["paging"], publishedAt: new Date(base + i * 1000) }));
    }
    await indexAll();
    const first = await searchForum(forumDb, meili(), "plimsoll");
    const second = await searchForum(forumDb, meili(), "plimsoll", { page: 2 });
    expect(first.hits).toHaveLength(FORUM_SEARCH_PAGE_SIZE);
    expect(first.total).toBe(ids.length);
    expect([...first.hits, ...second.hits].map((h) => h.id).sort((a, b) => a - b)).toEqual(ids);
    const newest = await searchForum(forumDb, meili(), "", { tag: "paging" });
    expect(newest.hits.slice(0, 3).map((h) => h.id)).toEqual(ids.slice(-3).reverse());
  });

  test("a full reindex builds the forum's index from live threads only; the reconcile finds what drifted", { timeout: 60_000 }, async () => {
    const live = await publishThread({ title: "Reindexed thread" });
    const gone = await publishThread({ title: "Withdrawn before the rebuild" });
    await withdrawThread(gone);
    const result = await reindexAll(t.db, client, { prefix, kinds: ["forum_thread"] });
    const liveCount = await t.db.$count(forumThreads, sql`${forumThreads.withdrawnAt} is null and (${forumThreads.expiresAt} is null or ${forumThreads.expiresAt} > now())`);
    expect(result.forum_thread.documents).toBe(liveCount);
    expect(await inIndex(live)).toBe(true);
    expect(await inIndex(gone)).toBe(false);
    // The searches still work through the swapped-in index (the key names the index, not a build).
    expect((await searchForum(forumDb, meili(), "reindexed")).hits.map((h) => h.id)).toEqual([live]);

    // The rebuild queued this test's writes again: let the relay finish them before tampering.
    await indexAll();
    // A withdrawn thread written back into the index by hand is extra; a live one taken out is missing.
    const [stale] = (await forumThreadDocuments(t.db, [live])).upserts;
    await settled(client, forumIndex().addDocuments([{ ...stale!, id: gone }]), { timeoutMs: 10_000 });
    await settled(client, forumIndex().deleteDocument(live), { timeoutMs: 10_000 });
    const report = await reconcileIndexes(t.db, client, { prefix, kinds: ["forum_thread"] });
    expect(report.forum_thread).toMatchObject({ missing: 1, extra: 1, queued: 2 });
    await indexAll();
    expect([await inIndex(live), await inIndex(gone)]).toEqual([true, false]);
  });

  test("Meilisearch down, not configured, or no key yet: search is unavailable, never an error", async () => {
    let reported: unknown;
    const down = await searchForum(forumDb, { meiliUrl: unreachable.url, onError: (e) => (reported = e) }, "zephyrine");
    expect(down).toEqual({ hits: [], total: 0, unavailable: true });
    expect(reported).toBeInstanceOf(Error);
    expect(await searchForum(forumDb, { meiliUrl: undefined }, "zephyrine")).toEqual({ hits: [], total: 0, unavailable: true });

    // Before the app has written the key: a fresh forum process (nothing cached) finds no key.
    await t.db.delete(forumRuntime);
    const fresh = createDb(await forumRoleUrl(t), { max: 1 });
    try {
      expect(await searchForum(fresh, meili(), "zephyrine")).toEqual({ hits: [], total: 0, unavailable: true });
      // The app writes it at its next start (or retry), and the forum picks it up without a restart.
      await ensureForumSearchKey(client, t.db, prefix);
      expect((await searchForum(fresh, meili(), "plimsoll")).unavailable).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});

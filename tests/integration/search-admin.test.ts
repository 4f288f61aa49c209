import { eq, inArray, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import postgres from "postgres";
import { beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { outbox } from "#db/schema/index.ts";
import { deletePost } from "#app/features/qa/edit.server.ts";
import { DEAD_PAGE_SIZE, checkIndexes, deadLetters, describeReconcile, meiliStatus, outboxSummary, retryDeadLetters, searchHealth } from "#app/features/search/admin.server.ts";
import { action as adminAction, loader as adminLoader } from "#app/routes/admin/search.tsx";
import { createMeiliClient } from "#search/client.server.ts";
import { indexName } from "#search/indexes.ts";
import { OUTBOX_CHANNEL } from "#search/outbox.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb, useUnreachableMeili } from "#tests/db.ts";
import { requestAs, routeContext, thrown, thrownStatus } from "#tests/helpers.ts";
import { createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * The admin's search health page: the outbox numbers and their sentence, Meilisearch's status
 * (reachable, and not), dead letters listed and retried, the reconcile on demand, and the admin
 * guard. Feature functions run against this file's own indexes of the run's real Meilisearch;
 * the route's loader and action get a client on a port nothing listens on as `context.search`.
 */
const t = setupTestDb();
const indexes = setupSearchIndexes();
const { prefix } = indexes;
const unreachable = useUnreachableMeili();
let client: Meilisearch;
let unreachableUrl: string;
beforeAll(() => {
  client = indexes.client;
  unreachableUrl = unreachable.url;
});

// Each test counts outbox rows from a clean table.
beforeEach(async () => {
  await t.db.delete(outbox);
});

type Row = {
  kind?: string;
  itemId?: number;
  status?: "pending" | "dead";
  attempts?: number;
  lastError?: string;
  ageSeconds?: number;
};

async function insertRows(rows: Row[]): Promise<number[]> {
  const inserted = await t.db
    .insert(outbox)
    .values(
      rows.map((r) => ({
        kind: r.kind ?? "question",
        itemId: r.itemId ?? 999_999,
        status: r.status ?? "pending",
        attempts: r.attempts ?? (r.status === "dead" ? 8 : 0),
        lastError: r.lastError ?? null,
        createdAt: sql`now() - make_interval(secs => ${r.ageSeconds ?? 0})`,
      })),
    )
    .returning({ id: outbox.id });
  return inserted.map((r) => r.id);
}

function harness() {
  const { context, warn } = routeContext(t.db, unreachable.client);
  return {
    warn,
    load: (request: Request) => adminLoader({ request, context, params: {} } as never),
    act: (request: Request) => adminAction({ request, context, params: {} } as never),
  };
}

async function post(user: { id: number } | null, fields: Record<string, string>): Promise<Request> {
  const base = await requestAs(t.db, user, "/admin/search");
  return new Request(base.url, {
    method: "POST",
    headers: base.headers,
    body: new URLSearchParams(fields),
  });
}

describe("outbox health", () => {
  test("pending, dead and the age of the oldest pending row, in numbers and in words", async () => {
    await insertRows([{ ageSeconds: 200 }, { ageSeconds: 30 }, { ageSeconds: 5 }, { status: "dead", ageSeconds: 4000 }, { status: "dead" }]);
    const health = await searchHealth(t.db, client, { prefix });
    expect(health.outbox.pending).toBe(3);
    expect(health.outbox.dead).toBe(2);
    expect(health.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(200);
    expect(health.outbox.oldestPendingSeconds).toBeLessThan(260);
    expect(health.summary).toEqual({
      tone: "failing",
      text: "3 changes waiting, the oldest 3 minutes ago. 2 changes failed for good and wait for a retry.",
    });
  });

  test("the sentence and its tone for each state", () => {
    expect(outboxSummary({ pending: 0, dead: 0, oldestPendingSeconds: 0 })).toEqual({ tone: "ok", text: "The index is up to date." });
    expect(outboxSummary({ pending: 42, dead: 0, oldestPendingSeconds: 180 })).toEqual({
      tone: "busy",
      text: "42 changes waiting, the oldest 3 minutes ago.",
    });
    expect(outboxSummary({ pending: 1, dead: 0, oldestPendingSeconds: 12 })).toEqual({
      tone: "busy",
      text: "1 change waiting, the oldest 12 seconds ago.",
    });
    expect(outboxSummary({ pending: 5, dead: 0, oldestPendingSeconds: 7200 })).toEqual({
      tone: "warning",
      text: "5 changes waiting, the oldest 2 hours ago.",
    });
    expect(outboxSummary({ pending: 0, dead: 1, oldestPendingSeconds: 0 })).toEqual({
      tone: "failing",
      text: "Nothing is waiting. 1 change failed for good and waits for a retry.",
    });
  });
});

describe("Meilisearch status", () => {
  test("reachable: the version and each index's documents", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    await createQuestion(t.db, {
      author,
      space,
      title: "How do we measure the index health?",
    });
    await createQuestion(t.db, {
      author,
      space,
      title: "Where do the relay's dead letters go?",
    });
    const relayed = await runRelayUntilIdle(t.db, client, { prefix });
    expect(relayed.failed + relayed.dead).toBe(0);

    const status = await meiliStatus(client, { prefix });
    expect(status.reachable).toBe(true);
    if (!status.reachable) return;
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    const questions = status.indexes.find((i) => i.kind === "question")!;
    expect(questions).toMatchObject({
      uid: indexName("question", prefix),
      exists: true,
      documents: 2,
    });
    expect(typeof questions.indexing).toBe("boolean");
    expect(status.indexes.find((i) => i.kind === "person")).toMatchObject({
      uid: indexName("person", prefix),
      exists: true,
    });
    expect(status.indexes.find((i) => i.kind === "idea")).toMatchObject({
      uid: indexName("idea", prefix),
      exists: true,
      documents: 0,
    });
    // An index that is not there is reported as missing, not as empty and fine.
    const elsewhere = await meiliStatus(client, { prefix: `${prefix}none_` });
    expect(elsewhere.reachable && elsewhere.indexes.every((i) => !i.exists && i.documents === 0)).toBe(true);
  });

  test("unreachable: reported with the reason, without throwing, and the page still loads", async () => {
    const down = createMeiliClient(unreachableUrl, undefined, 500);
    const status = await meiliStatus(down);
    expect(status).toMatchObject({ reachable: false });
    expect(status.reachable ? "" : status.error).not.toBe("");

    await insertRows([{ ageSeconds: 10 }]);
    const health = await searchHealth(t.db, down);
    expect(health.meili.reachable).toBe(false);
    expect(health.outbox.pending).toBe(1);

    const check = await checkIndexes(t.db, down);
    expect(check).toEqual({
      ok: false,
      message: "Meilisearch is not reachable, so the indexes could not be checked. Try again when it is back.",
    });

    const admin = await createUser(t.db, {}, "admin");
    const page = (await harness().load(await requestAs(t.db, admin, "/admin/search"))) as Awaited<ReturnType<typeof adminLoader>>;
    expect(page.health.meili.reachable).toBe(false);
    expect(page.health.outbox.pending).toBe(1);
  });
});

describe("dead letters", () => {
  test("listed newest first, with a link to the item when it still exists, a page at a time", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const person = await createUser(t.db, { name: "Dora Deadletter" });
    const space = await createSpace(t.db, { members: [person] }, "restricted");
    const questionId = await createQuestion(t.db, {
      author: person,
      space,
      title: "Why did this one fail to index?",
    });
    const deletedId = await createQuestion(t.db, {
      author: person,
      space,
      title: "Deleted before it was indexed",
    });
    await deletePost(t.db, admin, deletedId);
    await t.db.delete(outbox);
    const longError = `MeiliSearchApiError: ${"invalid document ".repeat(20)}`;
    const [a, b, c, d] = await insertRows([
      {
        status: "dead",
        kind: "question",
        itemId: questionId,
        lastError: "MeiliSearchRequestError: fetch failed",
      },
      {
        status: "dead",
        kind: "person",
        itemId: person.id,
        attempts: 8,
        lastError: longError,
      },
      { status: "dead", kind: "question", itemId: deletedId },
      { status: "pending", kind: "question", itemId: questionId },
    ]);
    expect(d).toBeDefined();

    const list = await deadLetters(t.db, admin, 1);
    expect(list.total).toBe(3);
    expect(list.rows.map((r) => r.id)).toEqual([c, b, a]);
    expect(list.rows[0]).toMatchObject({
      kind: "question",
      itemId: deletedId,
      item: null,
    });
    expect(list.rows[1]).toMatchObject({
      kind: "person",
      attempts: 8,
      lastError: longError,
      item: { label: "Dora Deadletter", url: `/people/${person.id}` },
    });
    expect(list.rows[2]!.item).toEqual({
      label: "Why did this one fail to index?",
      url: `/questions/${questionId}/why-did-this-one-fail-to-index`,
    });
    expect(list.rows[2]!.createdAt).toBeInstanceOf(Date);

    await insertRows(
      Array.from({ length: DEAD_PAGE_SIZE + 2 }, () => ({
        status: "dead" as const,
      })),
    );
    const second = await deadLetters(t.db, admin, 2);
    expect(second.total).toBe(DEAD_PAGE_SIZE + 5);
    expect(second.offset).toBe(DEAD_PAGE_SIZE);
    // The 22 newer rows fill page 1 and start page 2; the three first ones close it.
    expect(second.rows).toHaveLength(5);
    expect(second.rows.slice(2).map((r) => r.id)).toEqual([c, b, a]);
  });

  test("Retry puts one row back in line with a fresh count and wakes the relay; Retry all the rest", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const [one, two, three] = await insertRows([
      { status: "dead", lastError: "boom" },
      { status: "dead", lastError: "boom" },
      { status: "dead", lastError: "boom" },
    ]);
    const listener = postgres(t.url, { max: 1, onnotice: () => {} });
    const woken = vi.fn();
    await listener.listen(OUTBOX_CHANNEL, woken);
    try {
      const answer = (await harness().act(await post(admin, { intent: "retry", id: String(two) }))) as { notice: string; ok: boolean };
      expect(answer).toMatchObject({
        ok: true,
        notice: "1 change is back in line; the relay indexes it in a moment.",
      });
      const rows = await t.db
        .select()
        .from(outbox)
        .where(inArray(outbox.id, [one!, two!, three!]));
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(two!)).toMatchObject({
        status: "pending",
        attempts: 0,
        lastError: null,
      });
      expect(byId.get(one!)).toMatchObject({
        status: "dead",
        attempts: 8,
        lastError: "boom",
      });
      await vi.waitFor(() => expect(woken).toHaveBeenCalled());

      const all = (await harness().act(await post(admin, { intent: "retry-all" }))) as { notice: string };
      expect(all.notice).toBe("2 changes are back in line; the relay indexes them in a moment.");
      const after = await t.db.select({ status: outbox.status, attempts: outbox.attempts }).from(outbox);
      expect(after.every((r) => r.status === "pending" && r.attempts === 0)).toBe(true);

      // Retrying a row that is no longer dead changes nothing.
      const again = (await harness().act(await post(admin, { intent: "retry", id: String(one) }))) as { notice: string };
      expect(again.notice).toBe("Nothing to retry: those changes are no longer waiting for a retry.");
      expect(await retryDeadLetters(t.db)).toBe(0);
    } finally {
      await listener.end({ timeout: 5 });
    }
  });

  test("bad input is a 400, not a 500", async () => {
    const admin = await createUser(t.db, {}, "admin");
    for (const fields of [{ intent: "retry", id: "abc" }, { intent: "retry" }, { intent: "explode" }, {}] as Record<string, string>[]) {
      expect(await thrownStatus(harness().act(await post(admin, fields)))).toBe(400);
    }
  });
});

describe("the admin guard", () => {
  test("members, moderators and HR get the 404 of a missing page; nothing is retried", async () => {
    const [id] = await insertRows([{ status: "dead", lastError: "boom" }]);
    for (const trait of [undefined, "moderator", "hr"] as const) {
      const user = trait ? await createUser(t.db, {}, trait) : await createUser(t.db);
      expect(await thrownStatus(harness().load(await requestAs(t.db, user, "/admin/search")))).toBe(404);
      expect(await thrownStatus(harness().act(await post(user, { intent: "retry-all" })))).toBe(404);
      expect(await thrownStatus(harness().act(await post(user, { intent: "check-index" })))).toBe(404);
    }
    const [row] = await t.db.select().from(outbox).where(eq(outbox.id, id!));
    expect(row).toMatchObject({ status: "dead", attempts: 8 });
  });

  test("signed out: sent to sign in", async () => {
    const error = await thrown(harness().load(await requestAs(t.db, null, "/admin/search")));
    expect(error instanceof Response && error.headers.get("Location")).toMatch(/^\/sign-in/);
  });
});

describe("check index now", () => {
  test("reports what it found and queued; after the relay catches up the indexes match", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    await createQuestion(t.db, {
      author,
      space,
      title: "A question the index never heard of",
    });
    // Written around the outbox: drift only the reconcile can see.
    await t.db.delete(outbox);

    const first = await checkIndexes(t.db, client, { prefix });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.report.question.missing).toBeGreaterThanOrEqual(1);
    expect(first.report.question.queued).toBe(first.report.question.missing + first.report.question.stale + first.report.question.extra);
    expect(first.message).toBe(describeReconcile(first.report));
    expect(first.message).toMatch(
      /^Checked \d+ questions?, \d+ (person|people), \d+ ideas?, \d+ wiki pages?, \d+ articles?, \d+ (kudos or badge|kudos and badges) and \d+ forum threads?: \d+ missing, \d+ stale, \d+ extra; \d+ queued for the relay\.$/,
    );

    const relayed = await runRelayUntilIdle(t.db, client, { prefix });
    expect(relayed.failed + relayed.dead).toBe(0);
    const second = await checkIndexes(t.db, client, { prefix });
    expect(second.ok && second.message).toMatch(/: 0 missing, 0 stale, 0 extra\. The indexes match the database\.$/);
  });

  test("the report in one sentence", () => {
    const report = {
      question: { checked: 51, missing: 2, stale: 0, extra: 1, queued: 3 },
      person: { checked: 14, missing: 0, stale: 0, extra: 0, queued: 0 },
      idea: { checked: 9, missing: 0, stale: 1, extra: 0, queued: 1 },
    };
    expect(describeReconcile(report)).toBe("Checked 51 questions, 14 people and 9 ideas: 2 missing, 1 stale, 1 extra; 4 queued for the relay.");
    expect(
      describeReconcile({
        question: { checked: 1, missing: 0, stale: 0, extra: 0, queued: 0 },
        person: { checked: 1, missing: 0, stale: 0, extra: 0, queued: 0 },
        idea: { checked: 1, missing: 0, stale: 0, extra: 0, queued: 0 },
      }),
    ).toBe("Checked 1 question, 1 person and 1 idea: 0 missing, 0 stale, 0 extra. The indexes match the database.");
  });

  test("through the page, with Meilisearch unreachable: a message, logged, no 500", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const h = harness();
    const answer = (await h.act(await post(admin, { intent: "check-index" }))) as { ok: boolean; notice: string };
    expect(answer).toMatchObject({
      ok: false,
      notice: expect.stringContaining("Meilisearch is not reachable"),
    });
    expect(h.warn).toHaveBeenCalledOnce();
  });
});

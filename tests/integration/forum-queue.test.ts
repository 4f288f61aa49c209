import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import {
  forumAccounts,
  forumAnswers,
  forumComments,
  forumQueue,
  forumResponders,
  forumRoutes,
  forumSuggestions,
  forumThreads,
  forumTopicSettings,
  mailOutbox,
  tags,
  tagSmes,
} from "#db/schema/index.ts";
import { postPublicAnswer, postSuggestion, suggestAnswer } from "#app/features/forum-queue/answer.server.ts";
import { canAnswerPublicly, intakeThread, staleThreads } from "#app/features/forum-queue/intake.server.ts";
import { decidePending } from "#app/features/forum-queue/moderation.server.ts";
import { queuePage } from "#app/features/forum-queue/queue.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { thrown } from "#tests/helpers.ts";

/**
 * The forum queue (docs/forum-desk.md) on a real database and Meilisearch: routing a customer's
 * question to its topics' SMEs and responders (or the expertise model's experts), its SLA on a fake
 * clock, who may answer in public and what an answer writes, suggestions with credit, and letting a
 * first post through.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("q");
const NOW = new Date("2026-03-02T09:00:00Z");
const HOUR = 3_600_000;

let sequence = 0;
async function customer(db: Db, attrs: { trusted?: boolean } = {}) {
  sequence++;
  const [row] = await db
    .insert(forumAccounts)
    .values({
      email: `c${sequence}-${Date.now()}@customer.example`,
      name: `Customer ${sequence}`,
      passwordHash: "x",
      verifiedAt: new Date(),
      trustedAt: attrs.trusted === false ? null : new Date(),
    })
    .returning();
  return row!;
}

/** A customer's question as the forum writes one. */
async function ask(attrs: { tags: string[]; title?: string; body?: string; moderation?: "visible" | "pending"; origin?: "customer" | "published" }) {
  sequence++;
  const account = await customer(t.db, { trusted: attrs.moderation !== "pending" });
  const title = attrs.title ?? `Question number ${sequence} about widgets`;
  const [row] = await t.db
    .insert(forumThreads)
    .values({
      slug: `q-${sequence}`,
      title,
      body: attrs.body ?? "It does not work.",
      bodyHtml: `<p>${attrs.body ?? "It does not work."}</p>`,
      authorName: account.name,
      tags: attrs.tags,
      askedAt: NOW,
      origin: attrs.origin ?? "customer",
      accountId: attrs.origin === "published" ? null : account.id,
      moderation: attrs.moderation ?? "visible",
    })
    .returning();
  return { thread: row!, account };
}

async function makeSme(userId: number, tag: string) {
  await createTags(t.db, [tag]);
  const [row] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, tag));
  await t.db.insert(tagSmes).values({ tagId: row!.id, userId, source: "assigned" });
}

const routesOf = (threadId: number) => t.db.select().from(forumRoutes).where(eq(forumRoutes.threadId, threadId)).orderBy(forumRoutes.userId);
const queueOf = async (threadId: number) => (await t.db.select().from(forumQueue).where(eq(forumQueue.threadId, threadId)))[0];
const mailsTo = async (email: string) => (await t.db.select().from(mailOutbox).where(eq(mailOutbox.to, email))).length;

describe("routing", () => {
  test("goes to the topics' SMEs and responders (not the unavailable), once, with the smallest SLA and a mail", async () => {
    const sme = await createUser(t.db);
    const responder = await createUser(t.db);
    const away = await createUser(t.db, { awayUntil: new Date(NOW.getTime() + 48 * HOUR) });
    const bystander = await createUser(t.db);
    await makeSme(sme.id, "billing");
    await makeSme(away.id, "billing");
    await createTags(t.db, ["invoices"]);
    await t.db.insert(forumResponders).values({ topic: "invoices", userId: responder.id });
    await t.db.insert(forumTopicSettings).values({ topic: "invoices", slaHours: 4 });
    const { thread } = await ask({ tags: ["billing", "invoices"] });

    await intakeThread(t.db, null, thread.id, NOW);
    await intakeThread(t.db, null, thread.id, new Date(NOW.getTime() + HOUR));

    const routes = await routesOf(thread.id);
    expect(routes.map((r) => [r.userId, r.reason, r.topic])).toEqual([
      [sme.id, "sme", "billing"],
      [responder.id, "responder", "invoices"],
    ]);
    const queue = await queueOf(thread.id);
    expect(queue!.topics).toEqual(["billing", "invoices"]);
    expect(queue!.status).toBe("open");
    // billing has no SLA of its own (the default 24 h); invoices has 4 h: the smaller one counts.
    expect(queue!.dueAt.toISOString()).toBe(new Date(NOW.getTime() + 4 * HOUR).toISOString());
    expect(await mailsTo(sme.email)).toBe(1);
    expect(await mailsTo(responder.email)).toBe(1);
    expect(await mailsTo(away.email)).toBe(0);
    expect(await mailsTo(bystander.email)).toBe(0);
    expect(await staleThreads(t.db)).not.toContain(thread.id);
  });

  test("with no SME or responder, goes to the expertise model's top experts from open spaces only", async () => {
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, {}, "restricted");
    await createTags(t.db, ["telemetry"]);
    const [tag] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, "telemetry"));
    const expert = await createUser(t.db);
    const hidden = await createUser(t.db);
    await t.db.execute(sql`
      insert into expertise_scores (user_id, tag_id, space_id, decayed, evidence_count, last_evidence_at) values
        (${expert.id}, ${tag!.id}, ${open.id}, 50, 10, now()), (${hidden.id}, ${tag!.id}, ${secret.id}, 500, 100, now())`);
    const { thread } = await ask({ tags: ["telemetry"] });
    await intakeThread(t.db, null, thread.id, NOW);
    const routes = await routesOf(thread.id);
    expect(routes.map((r) => [r.userId, r.reason])).toEqual([[expert.id, "expert"]]);
  });

  test("topics take in the tags of similar published threads (Meilisearch), and the SLA shows due, then overdue", async () => {
    const published = await t.db.transaction(async (tx) => {
      const rows = await tx
        .insert(forumThreads)
        .values([
          {
            slug: "kafka-lag",
            title: "Consumer lag on the kafka connector",
            bodyHtml: "<p>Lag grows on the kafka connector.</p>",
            authorName: "A Northwind engineer",
            tags: ["kafka", "streaming"],
            askedAt: NOW,
          },
          { slug: "gardening", title: "Watering tomatoes in summer", bodyHtml: "<p>Tomatoes need water.</p>", authorName: "A Northwind engineer", tags: ["gardening"], askedAt: NOW },
        ])
        .returning({ id: forumThreads.id });
      await enqueueIndexing(
        tx,
        "forum_thread",
        rows.map((r) => r.id),
      );
      return rows;
    });
    await runRelayUntilIdle(t.db, indexes.client, { prefix: indexes.prefix });
    const { thread } = await ask({ tags: ["connectors"], title: "Kafka connector consumer lag keeps growing", body: "The kafka connector lags." });
    await intakeThread(t.db, indexes.client, thread.id, NOW, { prefix: indexes.prefix });
    const queue = await queueOf(thread.id);
    expect(published).toHaveLength(2);
    expect(queue!.topics).toEqual(expect.arrayContaining(["connectors", "kafka", "streaming"]));
    expect(queue!.topics).not.toContain("gardening");

    const reader = await createUser(t.db);
    const rowAt = async (now: Date) => (await queuePage(t.db, reader, { tab: "open", page: 1, now })).rows.find((r) => r.threadId === thread.id)!;
    expect((await rowAt(new Date(NOW.getTime() + 21 * HOUR))).sla).toEqual({ state: "due", text: "due in 3 h" });
    expect((await rowAt(new Date(NOW.getTime() + 26 * HOUR))).sla).toEqual({ state: "overdue", text: "overdue by 2 h" });
  });
});

describe("who may answer publicly, and what an answer writes", () => {
  test("SMEs and responders of the topics only; not other employees, deactivated ones or customers", async () => {
    const sme = await createUser(t.db);
    const responder = await createUser(t.db);
    const other = await createUser(t.db);
    const gone = await createUser(t.db);
    const customerUser = await createUser(t.db, {}, "customer");
    await makeSme(sme.id, "exports");
    await makeSme(gone.id, "exports");
    await makeSme(customerUser.id, "exports");
    await t.db.insert(forumResponders).values({ topic: "exports", userId: responder.id });
    const { thread } = await ask({ tags: ["exports"] });
    await t.db.execute(sql`update users set deactivated_at = now() where id = ${gone.id}`);
    expect(await canAnswerPublicly(t.db, sme.id, thread.id)).toBe(true);
    expect(await canAnswerPublicly(t.db, responder.id, thread.id)).toBe(true);
    expect(await canAnswerPublicly(t.db, other.id, thread.id)).toBe(false);
    expect(await canAnswerPublicly(t.db, gone.id, thread.id)).toBe(false);
    expect(await canAnswerPublicly(t.db, customerUser.id, thread.id)).toBe(false);

    const refused = await thrown(postPublicAnswer(t.db, other, thread.id, { body: "I think it is this.", confirmed: true }));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(await t.db.$count(forumAnswers, eq(forumAnswers.threadId, thread.id))).toBe(0);
  });

  test("an answer carries the badge's name and title, counts, and is the first response; the scan warns first", async () => {
    const sme = await createUser(t.db, { name: "Sofia Tester", title: "Staff Engineer" });
    await makeSme(sme.id, "sso");
    const { thread } = await ask({ tags: ["sso"] });
    await intakeThread(t.db, null, thread.id, NOW);

    const body = "Write to jane.doe@northwind.example and she will fix it.";
    const warned = await postPublicAnswer(t.db, sme, thread.id, { body, confirmed: false });
    expect(warned.posted).toBe(false);
    if (warned.posted) return;
    expect(warned.findings.map((f) => [f.label, f.match])).toEqual([["Email address", "jane.doe@northwind.example"]]);
    expect(await t.db.$count(forumAnswers, eq(forumAnswers.threadId, thread.id))).toBe(0);

    const posted = await postPublicAnswer(t.db, sme, thread.id, { body, confirmed: true });
    expect(posted.posted).toBe(true);
    const [answer] = await t.db.select().from(forumAnswers).where(eq(forumAnswers.threadId, thread.id));
    expect(answer).toMatchObject({ authorName: "Sofia Tester", authorTitle: "Staff Engineer", authorNamed: true, authorUserId: sme.id, accepted: false, position: 1, creditName: "" });
    expect(answer!.bodyHtml).toContain("<p>");
    const [stored] = await t.db.select().from(forumThreads).where(eq(forumThreads.id, thread.id));
    expect(stored!.answerCount).toBe(1);
    const queue = await queueOf(thread.id);
    expect(queue).toMatchObject({ status: "answered", firstResponseById: sme.id });
    expect(queue!.firstResponseAt).not.toBeNull();
    const [queued] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where kind = 'forum_thread' and item_id = ${thread.id}`);
    expect(Number(queued!.n)).toBeGreaterThan(0);
  });

  test("a colleague's suggestion, posted by a responder, carries the credit", async () => {
    const responder = await createUser(t.db, { name: "Rita Responder", title: "Support Lead" });
    const colleague = await createUser(t.db, { name: "Tom Colleague" });
    await createTags(t.db, ["webhooks"]);
    await t.db.insert(forumResponders).values({ topic: "webhooks", userId: responder.id });
    const { thread } = await ask({ tags: ["webhooks"] });
    await intakeThread(t.db, null, thread.id, NOW);
    const { id } = await suggestAnswer(t.db, colleague, thread.id, "Retry with **backoff**.");
    // The colleague may not post it themselves.
    expect(await thrown(postSuggestion(t.db, colleague, thread.id, { suggestionId: id, confirmed: true }))).toBeInstanceOf(ForbiddenError);
    const posted = await postSuggestion(t.db, responder, thread.id, { suggestionId: id, confirmed: false });
    expect(posted.posted).toBe(true);
    const [answer] = await t.db.select().from(forumAnswers).where(eq(forumAnswers.threadId, thread.id));
    expect(answer).toMatchObject({ authorName: "Rita Responder", creditName: "Tom Colleague", authorUserId: responder.id });
    expect(answer!.bodyHtml).toContain("<strong>backoff</strong>");
    const [suggestion] = await t.db.select().from(forumSuggestions).where(eq(forumSuggestions.id, id));
    expect(suggestion).toMatchObject({ status: "posted", postedAnswerId: answer!.id, decidedById: responder.id });
  });
});

describe("moderation", () => {
  test("letting a first question through trusts the account and routes the question; a comment too", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const sme = await createUser(t.db);
    await makeSme(sme.id, "mobile");
    const { thread, account } = await ask({ tags: ["mobile"], moderation: "pending" });
    // Pending questions are not routed.
    await intakeThread(t.db, null, thread.id, NOW);
    expect(await queueOf(thread.id)).toBeUndefined();

    await decidePending(t.db, null, moderator, { kind: "thread", id: thread.id, decision: "visible" }, NOW);
    const [stored] = await t.db.select().from(forumThreads).where(eq(forumThreads.id, thread.id));
    expect(stored!.moderation).toBe("visible");
    const [trusted] = await t.db.select().from(forumAccounts).where(eq(forumAccounts.id, account.id));
    expect(trusted!.trustedAt).not.toBeNull();
    expect((await routesOf(thread.id)).map((r) => r.userId)).toEqual([sme.id]);

    const other = await customer(t.db, { trusted: false });
    const [comment] = await t.db.insert(forumComments).values({ threadId: thread.id, accountId: other.id, body: "spam", bodyHtml: "<p>spam</p>", moderation: "pending" }).returning();
    await decidePending(t.db, null, moderator, { kind: "comment", id: comment!.id, decision: "removed" }, NOW);
    const [removed] = await t.db
      .select()
      .from(forumComments)
      .where(and(eq(forumComments.id, comment!.id)));
    expect(removed!.moderation).toBe("removed");
    const [untrusted] = await t.db.select().from(forumAccounts).where(eq(forumAccounts.id, other.id));
    expect(untrusted!.trustedAt).toBeNull();
  });
});

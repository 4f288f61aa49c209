import { eq, sql } from "drizzle-orm";
import type { ComponentType } from "react";
import { beforeAll, describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { forumAccounts, forumAnswers, forumResponders, forumSuggestions, forumThreads, forumTopicSettings, tags, tagSmes } from "#db/schema/index.ts";
import { intakeThread } from "#app/features/forum-queue/intake.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import ModerationRoute, { action as moderationAction, loader as moderationLoader } from "#app/routes/forum/moderation.tsx";
import QueueThreadRoute, { action as threadAction, loader as threadLoader } from "#app/routes/forum/queue-thread.tsx";
import QueueRoute, { loader as queueLoader } from "#app/routes/forum/queue.tsx";
import RespondersRoute, { action as respondersAction, loader as respondersLoader } from "#app/routes/forum/responders.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createTags, createUser } from "#tests/factories/index.ts";
import { postAs, redirectTarget, requestAs, routeCaller, thrown, type RouteHandler } from "#tests/helpers.ts";
import { executable, payloads, problems, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * The forum desk's routes (docs/forum-desk.md): who reaches each page and form (members, moderators,
 * customers, deactivated accounts), what a refused form keeps and writes, and every XSS payload
 * through the fields that render: a public answer, a suggestion, a responder's topic.
 */

const t = setupTestDb();
const run = routeCaller(t);
let member: Awaited<ReturnType<typeof createUser>>;
let moderator: Awaited<ReturnType<typeof createUser>>;
let sme: Awaited<ReturnType<typeof createUser>>;
let customerUser: Awaited<ReturnType<typeof createUser>>;
let gone: Awaited<ReturnType<typeof createUser>>;
let threadId: number;
let pendingId: number;

async function customerThread(db: Db, moderation: "visible" | "pending", n: number): Promise<number> {
  const [account] = await db
    .insert(forumAccounts)
    .values({ email: `routes-${n}@customer.example`, name: `Routes Customer ${n}`, passwordHash: "x", verifiedAt: new Date() })
    .returning();
  const [row] = await db
    .insert(forumThreads)
    .values({
      slug: `q-${n}`,
      title: `Customer question ${n}`,
      body: "Help",
      bodyHtml: "<p>Help</p>",
      authorName: account!.name,
      tags: ["payments"],
      askedAt: new Date(),
      origin: "customer",
      accountId: account!.id,
      moderation,
    })
    .returning();
  return row!.id;
}

const writes = async () => ({
  answers: await t.db.$count(forumAnswers),
  suggestions: await t.db.$count(forumSuggestions),
  responders: await t.db.$count(forumResponders),
  slas: await t.db.$count(forumTopicSettings),
});

beforeAll(async () => {
  member = await createUser(t.db, { name: "Mia Member" });
  moderator = await createUser(t.db, { name: "Max Moderator" }, "moderator");
  sme = await createUser(t.db, { name: "Sam Sme", title: "Payments Engineer" });
  customerUser = await createUser(t.db, {}, "customer");
  gone = await createUser(t.db, {}, "deactivated");
  await createTags(t.db, ["payments"]);
  const [tag] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, "payments"));
  await t.db.insert(tagSmes).values({ tagId: tag!.id, userId: sme.id, source: "assigned" });
  threadId = await customerThread(t.db, "visible", 1);
  pendingId = await customerThread(t.db, "pending", 2);
  await intakeThread(t.db, null, threadId);
});

const threadPath = (id: number | string) => `/forum/queue/${id}`;
const threadParams = (id: number | string) => ({ threadId: String(id) });

describe("who reaches the forum desk", () => {
  test("a member reads the queue, a question and the responders; the SME sees it routed to them", async () => {
    const page = (await run(queueLoader as RouteHandler, await requestAs(t.db, member, "/forum/queue"))) as unknown as { tab: string; rows: unknown[] };
    expect(page.tab).toBe("open");
    expect(page.rows).toHaveLength(1);
    const mine = (await run(queueLoader as RouteHandler, await requestAs(t.db, sme, "/forum/queue"))) as unknown as { tab: string; rows: Array<{ threadId: number }> };
    expect(mine.tab).toBe("mine");
    expect(mine.rows.map((r) => r.threadId)).toEqual([threadId]);
    const thread = (await run(threadLoader as RouteHandler, await requestAs(t.db, member, threadPath(threadId)), threadParams(threadId))) as unknown as { canAnswer: boolean };
    expect(thread.canAnswer).toBe(false);
    await run(respondersLoader as RouteHandler, await requestAs(t.db, member, "/forum/responders"));
  });

  test("a missing, pending or malformed question is the same 404", async () => {
    for (const id of [pendingId, 999_999, "abc", "99999999999"]) {
      expect(await thrown(run(threadLoader as RouteHandler, await requestAs(t.db, moderator, threadPath(id)), threadParams(id))), String(id)).toBeInstanceOf(NotFoundError);
    }
  });

  test("moderation is a 404 for a member; responders and SLAs are a 403 for a member's forms; nothing written", async () => {
    const before = await writes();
    expect(await thrown(run(moderationLoader as RouteHandler, await requestAs(t.db, member, "/forum/moderation")))).toBeInstanceOf(NotFoundError);
    expect(
      await thrown(run(moderationAction as RouteHandler, await postAs(t.db, member, "/forum/moderation", { intent: "let-through", kind: "thread", id: String(pendingId) }))),
    ).toBeInstanceOf(NotFoundError);
    for (const fields of [
      { intent: "add-responder", topic: "payments", person: `@${member.email.split("@")[0]}` } as Record<string, string>,
      { intent: "set-sla", topic: "payments", slaHours: "2" },
      { intent: "default-sla", defaultSlaHours: "2" },
    ]) {
      expect(await thrown(run(respondersAction as RouteHandler, await postAs(t.db, member, "/forum/responders", fields))), fields.intent).toBeInstanceOf(ForbiddenError);
    }
    expect(await writes()).toEqual(before);
    const [pending] = await t.db.select().from(forumThreads).where(eq(forumThreads.id, pendingId));
    expect(pending!.moderation).toBe("pending");
    await run(moderationLoader as RouteHandler, await requestAs(t.db, moderator, "/forum/moderation"));
  });

  test("an employee who may not answer publicly gets a 403 and writes nothing", async () => {
    const before = await writes();
    const error = await thrown(
      run(threadAction as RouteHandler, await postAs(t.db, member, threadPath(threadId), { intent: "answer", body: "Try this.", confirmed: "on" }), threadParams(threadId)),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(await writes()).toEqual(before);
  });

  test("a customer is sent home and a deactivated account to sign-in, from every page and form; nothing written", async () => {
    const before = await writes();
    for (const [user, target] of [
      [customerUser, /^\/$/],
      [gone, /^\/sign-in\?redirectTo=/],
    ] as const) {
      const pages: Array<[RouteHandler, string, Record<string, string>]> = [
        [queueLoader as RouteHandler, "/forum/queue", {}],
        [threadLoader as RouteHandler, threadPath(threadId), threadParams(threadId)],
        [moderationLoader as RouteHandler, "/forum/moderation", {}],
        [respondersLoader as RouteHandler, "/forum/responders", {}],
      ];
      for (const [loader, path, p] of pages) expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, user, path), p))), path).toMatch(target);
      const forms: Array<[RouteHandler, string, Record<string, string>, Record<string, string>]> = [
        [threadAction as RouteHandler, threadPath(threadId), { intent: "answer", body: "x", confirmed: "on" }, threadParams(threadId)],
        [threadAction as RouteHandler, threadPath(threadId), { intent: "suggest", body: "x" }, threadParams(threadId)],
        [moderationAction as RouteHandler, "/forum/moderation", { intent: "let-through", kind: "thread", id: String(pendingId) }, {}],
        [respondersAction as RouteHandler, "/forum/responders", { intent: "set-sla", topic: "payments", slaHours: "3" }, {}],
      ];
      for (const [action, path, fields, p] of forms) expect(redirectTarget(await thrown(run(action, await postAs(t.db, user, path, fields), p))), path).toMatch(target);
    }
    expect(await writes()).toEqual(before);
  });

  test("bad input answers 400 with field errors and the typed text kept, never a 500", async () => {
    const before = await writes();
    const empty = (await run(threadAction as RouteHandler, await postAs(t.db, sme, threadPath(threadId), { intent: "answer", body: "   " }), threadParams(threadId))) as unknown as {
      data: { fieldErrors: Record<string, string>; values: Record<string, string> };
      init: { status: number };
    };
    expect(empty.init.status).toBe(400);
    expect(empty.data.fieldErrors.body).toBeTruthy();
    for (const fields of [
      { intent: "set-sla", topic: "payments", slaHours: "721" } as Record<string, string>,
      { intent: "set-sla", topic: "no-such-topic", slaHours: "12" },
      { intent: "add-responder", topic: "payments", person: "@nobody.here" },
      { intent: "default-sla", defaultSlaHours: "zero" },
    ]) {
      const reply = (await run(respondersAction as RouteHandler, await postAs(t.db, moderator, "/forum/responders", fields))) as unknown as {
        data: { fieldErrors: Record<string, string>; values: Record<string, string> };
        init: { status: number };
      };
      expect(reply.init.status, JSON.stringify(fields)).toBe(400);
      expect(Object.keys(reply.data.fieldErrors).length, JSON.stringify(fields)).toBeGreaterThan(0);
      expect(reply.data.values).toMatchObject(fields);
    }
    expect(await writes()).toEqual(before);
  });
});

describe("every XSS payload through the forum desk's fields comes out inert", () => {
  test("public answers and suggestions, stored and on the page; responders' topics on the responders page", { timeout: 180_000 }, async () => {
    const xssThread = await customerThread(t.db, "visible", 3);
    await intakeThread(t.db, null, xssThread);
    let answered = 0;
    let suggested = 0;
    for (const { payload } of payloads) {
      const body = payload.trim() ? payload : `${payload}padded`;
      const a = await run(threadAction as RouteHandler, await postAs(t.db, sme, threadPath(xssThread), { intent: "answer", body, confirmed: "on" }), threadParams(xssThread)).catch(
        (e: unknown) => e,
      );
      if (redirectTarget(a)) answered++;
      const s = await run(threadAction as RouteHandler, await postAs(t.db, member, threadPath(xssThread), { intent: "suggest", body }), threadParams(xssThread)).catch((e: unknown) => e);
      if (redirectTarget(s)) suggested++;
    }
    expect(answered).toBeGreaterThan(200);
    expect(suggested).toBeGreaterThan(200);
    for (const row of await t.db.select().from(forumAnswers).where(eq(forumAnswers.threadId, xssThread))) expect(problems(row.bodyHtml)).toEqual([]);

    // As the SME sees it (every suggestion with its buttons) and as the member sees it (their own).
    for (const reader of [sme, member]) {
      const data = await run(threadLoader as RouteHandler, await requestAs(t.db, reader, threadPath(xssThread)), threadParams(xssThread));
      const html = renderRoute(QueueThreadRoute as ComponentType<never>, data, reader);
      expect(executable(html)).toEqual([]);
    }
    const queue = await run(queueLoader as RouteHandler, await requestAs(t.db, member, "/forum/queue?tab=answered"));
    expect(executable(renderRoute(QueueRoute as ComponentType<never>, queue, member))).toEqual([]);

    // Topics are tag names: a payload tag (as an import could make one) named as a topic stays text.
    const topics: string[] = [];
    for (const { payload } of payloads.slice(0, 60)) {
      const topic = payload.trim().replace(/^#/, "").toLowerCase().slice(0, 35);
      if (!topic) continue;
      await createTags(t.db, [topic]);
      const reply = await run(
        respondersAction as RouteHandler,
        await postAs(t.db, moderator, "/forum/responders", { intent: "add-responder", topic, person: `@${sme.email.split("@")[0]}` }),
      );
      if ((reply as { ok?: boolean }).ok) topics.push(topic);
    }
    expect(topics.length).toBeGreaterThan(30);
    for (const topic of topics) expect(rendersAsText(topic)).toBe(true);
    const pages = Math.ceil(((await t.db.execute<{ n: number }>(sql`select count(distinct topic)::int as n from forum_responders`))[0]!.n as number) / 25);
    for (let page = 1; page <= pages; page++) {
      const data = await run(respondersLoader as RouteHandler, await requestAs(t.db, moderator, `/forum/responders?page=${page}`));
      expect(executable(renderRoute(RespondersRoute as ComponentType<never>, data, moderator)), `page ${page}`).toEqual([]);
    }
    const moderation = await run(moderationLoader as RouteHandler, await requestAs(t.db, moderator, "/forum/moderation"));
    expect(executable(renderRoute(ModerationRoute as ComponentType<never>, moderation, moderator))).toEqual([]);
  });
});

import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { forumAccounts, forumAnswers, forumAttempts, forumComments, forumFlags, forumMeToos, forumThreads, forumThreadViews } from "#db/schema/index.ts";
import { createForumSession, SESSION_COOKIE, type SignedInAccount } from "#forum/accounts/session.server.ts";
import { AskSchema, askQuestion } from "#forum/ask/ask.server.ts";
import { FORUM_SETTINGS, parseForumEnv } from "#forum/env.ts";
import { parseEnv } from "#app/lib/env.server.ts";
import { forumChildEnv } from "../../server/forum-process.ts";
import { createForumLogger } from "#forum/logger.ts";
import { type RunningForum, startForum } from "#forum/main.ts";
import { ensureForumSearchKey, forumSearchKeyUid } from "#search/forum.server.ts";
import { indexName } from "#search/indexes.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb, testMeili } from "#tests/db.ts";
import { forumRoleUrl } from "#tests/forum.ts";
import { executable, parseScreen, payloads, problems } from "#tests/xss-render.ts";
import { freePort } from "../../server/processes.ts";

/**
 * Customers ask on the public forum (issue 20), through its HTTP interface, with the forum running
 * in-process as its own PostgreSQL role and searching a real Meilisearch with its search-only key.
 * What the app writes (answers, escalation states, a moderator's trust) is written here with the
 * app's role, as the app does; customers get sessions made directly.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("q");
let forum: RunningForum;
let base: string;

async function startAskForum(): Promise<{ forum: RunningForum; base: string }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = parseForumEnv({
    FORUM_DATABASE_URL: await forumRoleUrl(t),
    FORUM_PORT: String(port),
    FORUM_URL: url,
    MEILI_URL: testMeili().url,
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
  });
  return { forum: await startForum({ env, log: createForumLogger("silent") }), base: url };
}

beforeAll(async () => {
  await ensureForumSearchKey(indexes.client, t.db, indexes.prefix);
  ({ forum, base } = await startAskForum());
});
afterAll(async () => {
  await forum?.stop();
  await indexes.client.deleteKey(forumSearchKeyUid(indexName("forum_thread", indexes.prefix))).catch(() => {});
});

type Customer = SignedInAccount & { cookie: string };
let customerNumber = 0;
async function customer(options: { name?: string; verified?: boolean; trusted?: boolean } = {}): Promise<Customer> {
  customerNumber++;
  const [row] = await t.db
    .insert(forumAccounts)
    .values({
      email: `asker${customerNumber}@customer.example`,
      name: options.name ?? `Asker ${customerNumber}`,
      passwordHash: "not-a-hash",
      verifiedAt: options.verified === false ? null : new Date(),
      trustedAt: options.trusted ? new Date() : null,
    })
    .returning();
  const { token } = await createForumSession(t.db, row!.id);
  return { id: row!.id, name: row!.name, email: row!.email, verified: row!.verifiedAt !== null, cookie: `${SESSION_COOKIE}=${token}` };
}

type Answer = { status: number; location: string | null; html: string; headers: Headers };
async function send(path: string, init: { form?: Record<string, string>; cookie?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers.origin = base;
  }
  const response = await fetch(base + path, { method: init.form ? "POST" : "GET", headers, body: init.form ? new URLSearchParams(init.form).toString() : null, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), html: await response.text(), headers: response.headers };
}

const body = (html: string) => parseScreen(html.slice(html.indexOf("<body")));
const main = (html: string) => body(html).querySelector("main")!;

const QUESTION = { title: "How do I rotate the gateway certificate?", body: "Our gateway certificate expires next week. What are the steps?", topics: "Gateway, TLS" };

/** Posts the ask form; the hourly limits are cleared first unless a test is about them. */
async function ask(who: Customer | null, form: Record<string, string>, options: { keepLimits?: boolean } = {}) {
  if (!options.keepLimits) await t.db.delete(forumAttempts);
  return send("/ask", { form, cookie: who?.cookie ?? null });
}

async function threadsOf(who: { id: number }) {
  return t.db.select().from(forumThreads).where(eq(forumThreads.accountId, who.id)).orderBy(forumThreads.id);
}

/** A customer's question as the forum writes one, in the state a test needs (the app's role writes the rest). */
async function customerThread(
  who: Customer,
  options: {
    title?: string;
    moderation?: "visible" | "pending" | "removed";
    answers?: number;
    solved?: boolean;
    escalation?: { state: "escalated" | "resolved"; outcome?: string; at?: Date };
    tags?: string[];
  } = {},
) {
  const title = options.title ?? `A customer question ${Math.random().toString(36).slice(2, 8)}`;
  const [row] = await t.db
    .insert(forumThreads)
    .values({
      slug: "a-customer-question",
      title,
      body: "Some words about it.",
      bodyHtml: "<p>Some words about it.</p>",
      authorName: who.name,
      askedAt: new Date(),
      origin: "customer",
      accountId: who.id,
      moderation: options.moderation ?? "visible",
      tags: options.tags ?? [],
      answerCount: options.answers ?? 0,
      solved: options.solved ?? false,
      escalationState: options.escalation?.state ?? null,
      escalationOutcome: options.escalation?.outcome ?? "",
      escalationUpdatedAt: options.escalation ? (options.escalation.at ?? new Date()) : null,
    })
    .returning();
  const answers: number[] = [];
  for (let i = 0; i < (options.answers ?? 0); i++) {
    const [answer] = await t.db
      .insert(forumAnswers)
      .values({
        threadId: row!.id,
        position: i,
        bodyHtml: `<p>Answer ${i}</p>`,
        authorName: `Sofia Martins ${i}`,
        authorTitle: "Platform engineer",
        authorNamed: true,
        creditName: i === 1 ? "Tom Becker" : "",
        answeredAt: new Date(Date.now() + i * 1000),
      })
      .returning();
    answers.push(answer!.id);
  }
  return { ...row!, path: `/t/${row!.id}/${row!.slug}`, answers };
}

describe("the spam limit's setting", () => {
  test("FORUM_QUESTIONS_PER_HOUR travels from the app's settings to the forum it starts, which reads every setting handed to it", () => {
    const handed = forumChildEnv(parseEnv({ FORUM_QUESTIONS_PER_HOUR: "40" }), {
      port: 3001,
      databaseUrl: "postgres://commons@localhost:5432/commons",
      databaseSocket: "/tmp/.s.PGSQL.5432",
      meiliUrl: "http://127.0.0.1:7700",
      password: "a-password-of-sixteen",
    });
    // forum.ts takes FORUM_SETTINGS from its environment and nothing else: a setting the app hands
    // over but the forum does not list would be dropped without a word (as this one once was).
    expect(Object.keys(handed).filter((name) => name !== "PATH" && name !== "HOME" && !FORUM_SETTINGS.includes(name))).toEqual([]);
    const taken = Object.fromEntries(FORUM_SETTINGS.map((name) => [name, handed[name]]));
    expect(parseForumEnv(taken).FORUM_QUESTIONS_PER_HOUR).toBe(40);
    expect(handed).not.toHaveProperty("DATABASE_URL");
    expect(handed).not.toHaveProperty("MEILI_MASTER_KEY");
  });
});

describe("asking", () => {
  test("a new account's first question waits for a moderator, seen by its asker only; a trusted account's is visible at once and announced", async () => {
    const notified: string[] = [];
    const listener = await t.db.$client.listen("commons_forum_intake", (payload) => notified.push(payload));
    try {
      const newcomer = await customer({ name: "Nora Newcomer" });
      const posted = await ask(newcomer, { ...QUESTION, intent: "ask", website: "" });
      expect(posted.status).toBe(303);
      const [pending] = await threadsOf(newcomer);
      expect(pending).toMatchObject({
        origin: "customer",
        moderation: "pending",
        title: QUESTION.title,
        body: QUESTION.body,
        bodyHtml: `<p>${QUESTION.body}</p>\n`,
        summary: QUESTION.body,
        authorName: "Nora Newcomer",
        tags: ["gateway", "tls"],
        slug: "how-do-i-rotate-the-gateway-certificate",
      });
      const path = `/t/${pending!.id}/${pending!.slug}`;
      expect(posted.location).toBe(path);
      const own = await send(path, { cookie: newcomer.cookie });
      expect(own.status).toBe(200);
      expect(main(own.html).textContent).toContain("Waiting for a moderator");
      expect(body(own.html).querySelector("form[action$='/me-too']")).toBeNull();
      expect((await send(path)).status).toBe(404);
      expect((await send(path, { cookie: (await customer()).cookie })).status).toBe(404);
      for (const list of ["/", "/questions", "/feed.xml", "/sitemap.xml", "/topics/gateway"]) expect((await send(list)).html).not.toContain(`/t/${pending!.id}/`);
      const mine = await send("/my/questions", { cookie: newcomer.cookie });
      expect(main(mine.html).querySelector(".thread-row")?.textContent).toContain("Waiting for a moderator");

      const regular = await customer({ name: "Rita Regular", trusted: true });
      const fillCache = await send("/questions");
      expect(main(fillCache.html).textContent).toContain("No questions yet");
      expect((await ask(regular, { ...QUESTION, title: "Why does the gateway drop long requests?" })).status).toBe(303);
      const [visible] = await threadsOf(regular);
      expect(visible!.moderation).toBe("visible");
      await vi.waitFor(() => expect(notified).toContain(String(visible!.id)));
      expect(notified).not.toContain(String(pending!.id));
      // The cached list was dropped: the next anonymous reader sees the question, marked as a customer's.
      const list = main((await send("/questions")).html);
      expect(list.querySelector(".thread-title a")?.getAttribute("href")).toBe(`/t/${visible!.id}/${visible!.slug}`);
      const home = main((await send("/")).html);
      expect(home.querySelector(".thread-row .origin")?.textContent).toBe("Asked by a customer");
      const page = main((await send(`/t/${visible!.id}/${visible!.slug}`)).html);
      expect(page.querySelector(".question .byline")?.textContent).toBe("Rita Regular Customer");
    } finally {
      await listener.unlisten();
    }
  });

  test("bad input answers 400 with each field's message and every typed value kept; nothing is written", async () => {
    const who = await customer();
    const typed = { title: "Help?", body: "Too short", topics: "ok, Not Valid!, a, b, c, d", intent: "ask" };
    const answer = await ask(who, typed);
    expect(answer.status).toBe(400);
    const page = body(answer.html);
    expect(page.querySelector("#field-title-error")?.textContent).toContain("at least 10");
    expect(page.querySelector("#field-body-error")?.textContent).toContain("at least 20");
    expect(page.querySelector("#field-topics-error")?.textContent).toContain("at most 5");
    expect(page.querySelector<HTMLInputElement>("#field-title")?.value).toBe(typed.title);
    expect(page.querySelector<HTMLTextAreaElement>("#field-body")?.value).toBe(typed.body);
    expect(page.querySelector<HTMLInputElement>("#field-topics")?.value).toBe(typed.topics);
    const shape = await ask(who, { ...QUESTION, topics: "fine, not valid!" });
    expect(shape.status).toBe(400);
    expect(body(shape.html).querySelector("#field-topics-error")?.textContent).toContain("letters, digits");
    expect(await threadsOf(who)).toEqual([]);
  });

  test("the honeypot filled: the same answer as a success, and nothing stored", async () => {
    const bot = await customer({ trusted: true });
    const answer = await ask(bot, { ...QUESTION, website: "http://spam.example" });
    expect([answer.status, answer.location]).toEqual([303, "/ask/thanks"]);
    expect(main((await send("/ask/thanks", { cookie: bot.cookie })).html).querySelector("h1")?.textContent).toBe("Thanks, we got it");
    expect(await threadsOf(bot)).toEqual([]);
    expect(await t.db.select().from(forumAttempts).where(like(forumAttempts.key, "ask-%"))).toEqual([]);
    // The field is there for bots and hidden from people.
    const form = body((await send("/ask", { cookie: bot.cookie })).html);
    const trap = form.querySelector<HTMLInputElement>("input[name='website']")!;
    expect([trap.tabIndex, trap.getAttribute("autocomplete"), trap.closest("[aria-hidden='true']")?.className]).toEqual([-1, "off", "visually-hidden"]);
    expect(form.querySelector("label[for='field-website']")?.textContent).toBe("Leave this empty");
  });

  test("who may ask: anonymous readers and deactivated accounts sign in first, an unconfirmed address confirms it; nothing written", async () => {
    for (const path of ["/ask", "/my/questions"]) {
      const anonymous = await send(path);
      expect([anonymous.status, anonymous.location]).toEqual([303, `/signin?redirectTo=${encodeURIComponent(path)}`]);
    }
    expect((await ask(null, QUESTION)).location).toBe(`/signin?redirectTo=${encodeURIComponent("/ask")}`);
    const unconfirmed = await customer({ verified: false });
    const page = await send("/ask", { cookie: unconfirmed.cookie });
    expect(page.status).toBe(403);
    expect(main(page.html).textContent).toContain("Confirm your address");
    expect((await ask(unconfirmed, QUESTION)).status).toBe(403);
    const leaving = await customer({ trusted: true });
    await t.db.update(forumAccounts).set({ deactivatedAt: new Date() }).where(eq(forumAccounts.id, leaving.id));
    expect((await ask(leaving, QUESTION)).location).toBe(`/signin?redirectTo=${encodeURIComponent("/ask")}`);
    expect([...(await threadsOf(unconfirmed)), ...(await threadsOf(leaving))]).toEqual([]);
  });

  test("rate limits: the sixth question of an account within an hour, and the eleventh from one address, answer 429 with the text kept", async () => {
    const busy = await customer({ trusted: true });
    await t.db.delete(forumAttempts);
    for (let i = 0; i < 5; i++) expect((await ask(busy, { ...QUESTION, title: `${QUESTION.title} (${i})` }, { keepLimits: true })).status).toBe(303);
    const sixth = await ask(busy, { ...QUESTION, title: "The sixth question of the hour" }, { keepLimits: true });
    expect(sixth.status).toBe(429);
    expect(body(sixth.html).querySelector(".error-summary")?.textContent).toMatch(/Try again in \d+ minutes?/);
    expect(body(sixth.html).querySelector<HTMLInputElement>("#field-title")?.value).toBe("The sixth question of the hour");
    expect(await threadsOf(busy)).toHaveLength(5);

    // Five more from other accounts at the same address make ten; the eleventh is refused.
    const [address] = await t.db.select({ key: forumAttempts.key }).from(forumAttempts).where(like(forumAttempts.key, "ask-client:%"));
    await t.db.delete(forumAttempts);
    await t.db.insert(forumAttempts).values({ key: address!.key, windowStartedAt: new Date(), count: 10 });
    const fresh = await customer({ trusted: true });
    expect((await ask(fresh, QUESTION, { keepLimits: true })).status).toBe(429);
    expect(await threadsOf(fresh)).toEqual([]);
  });
});

describe("similar threads", () => {
  test("as JSON while typing, and with the no-script button; only visible threads", async () => {
    const [published] = await t.db.transaction(async (tx) => {
      const rows = await tx
        .insert(forumThreads)
        .values([
          { slug: "rotating-the-quillfeather-key", title: "Rotating the quillfeather key", bodyHtml: "<p>Steps.</p>", authorName: "A Northwind engineer", askedAt: new Date(), solved: true },
          {
            slug: "quillfeather-waiting",
            title: "Quillfeather question waiting",
            bodyHtml: "<p>Pending.</p>",
            authorName: "Someone",
            askedAt: new Date(),
            origin: "customer",
            moderation: "pending",
            accountId: (await customer()).id,
          },
        ])
        .returning();
      await enqueueIndexing(
        tx,
        "forum_thread",
        rows.map((r) => r.id),
      );
      return rows;
    });
    const relay = await runRelayUntilIdle(t.db, indexes.client, { prefix: indexes.prefix });
    expect(relay.failed + relay.dead).toBe(0);

    const json = await send("/ask/similar?q=quillfeather");
    expect(json.headers.get("cache-control")).toBe("no-store");
    expect(JSON.parse(json.html)).toEqual({ threads: [{ title: "Rotating the quillfeather key", url: `/t/${published!.id}/rotating-the-quillfeather-key`, solved: true }] });
    expect(JSON.parse((await send("/ask/similar?q=")).html)).toEqual({ threads: [] });

    const who = await customer();
    const typed = { title: "Quillfeather key rotation fails", body: "Half typed", topics: "keys", intent: "check" };
    const checked = await ask(who, typed);
    expect(checked.status).toBe(200);
    const page = body(checked.html);
    expect(page.querySelector("#similar-list a")?.getAttribute("href")).toBe(`/t/${published!.id}/rotating-the-quillfeather-key`);
    expect(page.querySelector("#similar [aria-live]") ?? page.querySelector("#similar[aria-live='polite']")).not.toBeNull();
    expect([
      page.querySelector<HTMLInputElement>("#field-title")?.value,
      page.querySelector<HTMLTextAreaElement>("#field-body")?.value,
      page.querySelector<HTMLInputElement>("#field-topics")?.value,
    ]).toEqual([typed.title, typed.body, typed.topics]);
    expect(page.querySelector(".error-summary")).toBeNull();
    expect(await threadsOf(who)).toEqual([]);
    // The script that does it while typing is our own file, the only one the policy allows.
    const head = checked.html.slice(0, checked.html.indexOf("<body"));
    const script = /<script src="([^"]+)" defer="">/.exec(head)![1]!;
    const served = await fetch(base + script);
    expect([served.status, served.headers.get("content-type")]).toEqual([200, "text/javascript; charset=utf-8"]);
    expect(checked.headers.get("content-security-policy")).toContain("script-src 'self';");
  });
});

describe("a customer's thread", () => {
  test("only the asker accepts an answer: it becomes the solution, first and marked; another customer changes nothing", async () => {
    const asker = await customer({ name: "Ada Asker" });
    const other = await customer();
    const thread = await customerThread(asker, { answers: 2 });
    const [first, second] = thread.answers;

    const page = body((await send(thread.path, { cookie: asker.cookie })).html);
    expect([...page.querySelectorAll(".answer form[action$='/accept'] button")].map((b) => b.textContent)).toEqual([
      "Accept this answer from Sofia Martins 0",
      "Accept this answer from Sofia Martins 1",
    ]);
    expect(page.querySelector(`#answer-${second} .badge-staff`)?.textContent).toBe("works at Northwind");
    expect(page.querySelector(`#answer-${second} .credit`)?.textContent).toBe("Suggested by Tom Becker");
    expect(body((await send(thread.path, { cookie: other.cookie })).html).querySelector("form[action$='/accept']")).toBeNull();

    const refused = await send(`/t/${thread.id}/accept`, { form: { answerId: String(second) }, cookie: other.cookie });
    expect(refused.status).toBe(403);
    const accepted = async () =>
      (await t.db.select({ id: forumAnswers.id, accepted: forumAnswers.accepted }).from(forumAnswers).where(eq(forumAnswers.threadId, thread.id)).orderBy(forumAnswers.id)).map(
        (a) => a.accepted,
      );
    expect(await accepted()).toEqual([false, false]);
    expect((await send(`/t/${thread.id}/accept`, { form: { answerId: "999999" }, cookie: asker.cookie })).status).toBe(404);

    const done = await send(`/t/${thread.id}/accept`, { form: { answerId: String(second) }, cookie: asker.cookie });
    expect([done.status, done.location]).toEqual([303, `${thread.path}#answer-${second}`]);
    expect(await accepted()).toEqual([false, true]);
    const [row] = await t.db.select().from(forumThreads).where(eq(forumThreads.id, thread.id));
    expect(row!.solved).toBe(true);
    const after = main((await send(thread.path)).html);
    expect(after.querySelector(".answer")?.id).toBe(`answer-${second}`);
    expect(after.querySelector(".answer-accepted .accepted-label")?.textContent).toContain("Solution");
    await send(`/t/${thread.id}/accept`, { form: { answerId: String(first) }, cookie: asker.cookie });
    expect(await accepted()).toEqual([true, false]);
  });

  test("“I have this question too” from other customers, toggled; not for the asker or anonymous readers", async () => {
    const asker = await customer();
    const thread = await customerThread(asker);
    const fan = await customer();
    const button = async (who: Customer | null) => body((await send(thread.path, { cookie: who?.cookie ?? null })).html).querySelector("#me-too")!;
    expect((await button(fan)).querySelector("button")?.textContent).toBe("I have this question too (0)");
    expect((await button(asker)).querySelector("button")).toBeNull();
    expect((await button(null)).textContent).toBe("0 customers have this question too");
    expect((await send(`/t/${thread.id}/me-too`, { form: {}, cookie: fan.cookie })).status).toBe(303);
    expect((await button(fan)).querySelector("button")?.getAttribute("aria-pressed")).toBe("true");
    expect((await button(null)).textContent).toBe("1 customer has this question too");
    expect((await send(`/t/${thread.id}/me-too`, { form: {}, cookie: asker.cookie })).status).toBe(403);
    await send(`/t/${thread.id}/me-too`, { form: {}, cookie: fan.cookie });
    expect(await t.db.select().from(forumMeToos).where(eq(forumMeToos.threadId, thread.id))).toEqual([]);
  });

  test("reports: once per customer and post; the target must be on the thread", async () => {
    const asker = await customer({ trusted: true });
    const reporter = await customer();
    const thread = await customerThread(asker, { answers: 1 });
    const elsewhere = await customerThread(asker, { answers: 1 });
    const [commentRow] = await t.db.insert(forumComments).values({ threadId: thread.id, accountId: asker.id, body: "Hm", bodyHtml: "<p>Hm</p>" }).returning();
    const page = body((await send(thread.path, { cookie: reporter.cookie })).html);
    expect([...page.querySelectorAll("a.report-link")].map((a) => a.getAttribute("href"))).toEqual([
      `/t/${thread.id}/report`,
      `/t/${thread.id}/report?answer=${thread.answers[0]}`,
      `/t/${thread.id}/report?comment=${commentRow!.id}`,
    ]);
    expect(body((await send(thread.path)).html).querySelector("a.report-link")).toBeNull();
    expect((await send(`/t/${thread.id}/report?answer=${elsewhere.answers[0]}`, { cookie: reporter.cookie })).status).toBe(404);
    expect((await send(`/t/${thread.id}/report`, { form: { answer: String(elsewhere.answers[0]), reason: "spam" }, cookie: reporter.cookie })).status).toBe(404);

    const missingReason = await send(`/t/${thread.id}/report`, { form: { answer: String(thread.answers[0]), note: "It sells pills" }, cookie: reporter.cookie });
    expect(missingReason.status).toBe(400);
    expect(body(missingReason.html).querySelector<HTMLTextAreaElement>("#field-note")?.value).toBe("It sells pills");
    const first = await send(`/t/${thread.id}/report`, { form: { answer: String(thread.answers[0]), reason: "spam", note: "It sells pills" }, cookie: reporter.cookie });
    expect(main(first.html).querySelector("h1")?.textContent).toBe("Thanks for your report");
    const again = await send(`/t/${thread.id}/report`, { form: { answer: String(thread.answers[0]), reason: "abuse" }, cookie: reporter.cookie });
    expect(main(again.html).querySelector("h1")?.textContent).toBe("You already reported this");
    await send(`/t/${thread.id}/report`, { form: { comment: String(commentRow!.id), reason: "off_topic" }, cookie: reporter.cookie });
    await send(`/t/${thread.id}/report`, { form: { reason: "other" }, cookie: reporter.cookie });
    const flags = await t.db
      .select({ answerId: forumFlags.answerId, commentId: forumFlags.commentId, reason: forumFlags.reason, note: forumFlags.note })
      .from(forumFlags)
      .where(eq(forumFlags.threadId, thread.id))
      .orderBy(forumFlags.id);
    expect(flags).toEqual([
      { answerId: thread.answers[0], commentId: null, reason: "spam", note: "It sells pills" },
      { answerId: null, commentId: commentRow!.id, reason: "off_topic", note: "" },
      { answerId: null, commentId: null, reason: "other", note: "" },
    ]);
  });

  test("the escalation banner follows the column the app writes; the outcome is text", async () => {
    const asker = await customer();
    const escalated = await customerThread(asker, { escalation: { state: "escalated", at: new Date("2026-03-04T10:00:00Z") } });
    expect(main((await send(escalated.path)).html).querySelector(".escalation")?.textContent).toBe("Escalated to our team on Mar 4, 2026. We’ll post the outcome here.");
    const resolved = await customerThread(asker, { escalation: { state: "resolved", outcome: "Fixed in <b>2.4.1</b>" } });
    const banner = main((await send(resolved.path)).html).querySelector(".escalation-outcome")!;
    expect([banner.textContent, banner.children.length]).toEqual(["Resolved by our team: Fixed in <b>2.4.1</b>", 0]);
    expect(main((await send((await customerThread(asker)).path)).html).querySelector(".escalation")).toBeNull();
  });

  test("a removed question answers 410; an untrusted account's comment waits, seen by its author only", async () => {
    const asker = await customer({ trusted: true });
    const removed = await customerThread(asker, { moderation: "removed" });
    expect((await send(removed.path, { cookie: asker.cookie })).status).toBe(410);
    const thread = await customerThread(asker);
    const newcomer = await customer();
    const posted = await send(`/t/${thread.id}/comments`, { form: { body: "Same problem here." }, cookie: newcomer.cookie });
    expect(posted.status).toBe(303);
    const [row] = await t.db.select().from(forumComments).where(eq(forumComments.threadId, thread.id));
    expect(row!.moderation).toBe("pending");
    const own = main((await send(thread.path, { cookie: newcomer.cookie })).html);
    expect(own.querySelector(".comment")?.textContent).toContain("Waiting for a moderator");
    expect(main((await send(thread.path)).html).querySelector(".comment")).toBeNull();
    await send(`/t/${thread.id}/comments`, { form: { body: "Answering myself." }, cookie: asker.cookie });
    expect([...main((await send(thread.path)).html).querySelectorAll(".comment-body")].map((c) => c.textContent)).toEqual(["Answering myself.\n"]);
  });
});

describe("the lists", () => {
  test("/questions: all, unanswered and solved, with answers and “me too” counts; a bad tab is a 404", async () => {
    const asker = await customer();
    const open = await customerThread(asker, { title: "Tabs: open question" });
    const answered = await customerThread(asker, { title: "Tabs: answered question", answers: 1 });
    const solved = await customerThread(asker, { title: "Tabs: solved question", answers: 1, solved: true });
    await t.db.insert(forumMeToos).values([
      { threadId: open.id, accountId: (await customer()).id },
      { threadId: open.id, accountId: (await customer()).id },
    ]);
    const titles = async (path: string) => [...main((await send(path)).html).querySelectorAll(".thread-title a")].map((a) => a.textContent).filter((title) => title!.startsWith("Tabs:"));
    expect(await titles("/questions")).toEqual(["Tabs: solved question", "Tabs: answered question", "Tabs: open question"]);
    expect(await titles("/questions?tab=unanswered")).toEqual(["Tabs: open question"]);
    expect(await titles("/questions?tab=solved")).toEqual(["Tabs: solved question"]);
    const row = [...main((await send("/questions?tab=unanswered")).html).querySelectorAll(".thread-row")].find((r) => r.textContent!.includes("Tabs: open question"))!;
    expect(row.textContent).toContain("2 customers have this question too");
    expect(main((await send("/questions?tab=solved")).html).querySelector("a[aria-current='page']")?.textContent).toBe("Solved");
    expect((await send("/questions?tab=nope")).status).toBe(404);
    expect((await send("/questions?before=x")).status).toBe(404);
    void answered;
    void solved;
  });

  test("/my/questions: each of one's own questions with its status in words; an empty list says how to ask", async () => {
    const asker = await customer();
    await customerThread(asker, { title: "Mine 1", moderation: "pending" });
    await customerThread(asker, { title: "Mine 2" });
    await customerThread(asker, { title: "Mine 3", answers: 2 });
    await customerThread(asker, { title: "Mine 4", answers: 1, solved: true });
    await customerThread(asker, { title: "Mine 5", escalation: { state: "escalated" } });
    await customerThread(asker, { title: "Mine 6", escalation: { state: "resolved", outcome: "Done" } });
    await customerThread(asker, { title: "Mine 7", moderation: "removed" });
    await customerThread(await customer(), { title: "Someone else's" });
    const rows = [...main((await send("/my/questions", { cookie: asker.cookie })).html).querySelectorAll(".thread-row")];
    expect(rows.map((r) => [r.querySelector(".thread-title")?.textContent, r.querySelector(".badge")?.textContent])).toEqual([
      ["Mine 7", "Removed by a moderator"],
      ["Mine 6", "Resolved by our team"],
      ["Mine 5", "Escalated to our team"],
      ["Mine 4", "Solved"],
      ["Mine 3", "Answered (2)"],
      ["Mine 2", "Waiting for an answer"],
      ["Mine 1", "Waiting for a moderator"],
    ]);
    // A removed question has no link: its page is gone.
    expect(rows[0]!.querySelector("a")).toBeNull();
    const empty = main((await send("/my/questions", { cookie: (await customer()).cookie })).html);
    expect(empty.querySelector(".empty-state a")?.getAttribute("href")).toBe("/ask");
  });
});

describe("page views", () => {
  test("thread page views, cached ones too, are added up per thread and day and written at stop; nothing about the reader", async () => {
    const own = await startAskForum();
    const asker = await customer();
    const thread = await customerThread(asker);
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(own.base + thread.path)).status).toBe(200);
      expect((await fetch(own.base + thread.path)).headers.get("x-forum-cache")).toBe("hit");
      await fetch(own.base + `/t/${thread.id}`, { redirect: "manual" }); // a redirect to the canonical address: no view
      await fetch(own.base + "/t/999999/nothing"); // a 404: no view
    } finally {
      await own.forum.stop();
    }
    const rows = await t.db.select().from(forumThreadViews).where(eq(forumThreadViews.threadId, thread.id));
    expect(rows).toEqual([{ threadId: thread.id, day: new Date().toISOString().slice(0, 10), views: 4 }]);
    const columns = await t.db.execute<{ column_name: string }>(sql`select column_name from information_schema.columns where table_name = 'forum_thread_views' order by column_name`);
    expect(columns.map((c) => c.column_name)).toEqual(["day", "thread_id", "views"]);
  });
});

describe("every XSS payload through the ask form comes out inert", () => {
  test("as a title and a body, stored and on the pages", { timeout: 240_000 }, async () => {
    const writer = await customer({ name: "Xena Payload", trusted: true });
    const ids: number[] = [];
    let refused = 0;
    for (const { payload } of payloads) {
      await t.db.delete(forumAttempts);
      const parsed = AskSchema.safeParse({ title: `Q: ${payload}`.slice(0, 150).padEnd(10, "."), body: `${payload}\n\nMore words about it.`.slice(0, 20_000), topics: "" });
      if (!parsed.success) {
        refused++;
        continue;
      }
      const result = await askQuestion(t.db, writer, parsed.data, { clientAddress: "xss" });
      if (result.ok) ids.push(result.id);
      else expect(result.status).toBe(400);
    }
    expect(ids.length).toBeGreaterThan(200);
    const rows = await threadsOf(writer);
    for (const row of rows) expect(problems(row.bodyHtml), row.body).toEqual([]);
    for (const row of rows.slice(0, 120)) {
      const page = await send(`/t/${row.id}/${encodeURIComponent(row.slug)}`);
      expect(page.status).toBe(200);
      const screen = body(page.html);
      expect(executable(screen)).toEqual([]);
      expect(screen.querySelector("h1")?.textContent).toBe(row.title);
    }
    for (const path of ["/questions", "/my/questions", "/", "/feed.xml"]) {
      const page = await send(path, { cookie: path === "/my/questions" ? writer.cookie : null });
      if (path !== "/feed.xml") expect(executable(body(page.html))).toEqual([]);
    }
    void refused;
  });

  test("as topics and a report's note: refused or stored, and the page that comes back runs nothing", { timeout: 180_000 }, async () => {
    const who = await customer();
    const asker = await customer({ trusted: true });
    const thread = await customerThread(asker, { answers: 1 });
    // Line breaks and NULs are out: a one-line input cannot hold them, so its value is not the typed text.
    for (const { payload } of payloads.filter((p) => /[<>"'&]/.test(p.payload) && !/[\r\n\0]/.test(p.payload)).slice(0, 60)) {
      const typed = { ...QUESTION, topics: payload.slice(0, 500) };
      const answer = await ask(who, typed);
      expect(answer.status).toBe(400);
      const screen = body(answer.html);
      expect(executable(screen)).toEqual([]);
      expect(screen.querySelector<HTMLInputElement>("#field-topics")?.value).toBe(typed.topics);

      const note = payload.slice(0, 400);
      const report = await send(`/t/${thread.id}/report`, { form: { note }, cookie: who.cookie });
      expect(report.status).toBe(400);
      expect(executable(body(report.html))).toEqual([]);
    }
    expect(await threadsOf(who)).toEqual([]);
    // A stored note is kept as the text it was (moderators read it in the app, as text).
    const note = payloads.find((p) => p.payload.includes("<script"))!.payload.slice(0, 400);
    await send(`/t/${thread.id}/report`, { form: { reason: "spam", note }, cookie: who.cookie });
    const [flag] = await t.db
      .select()
      .from(forumFlags)
      .where(and(eq(forumFlags.threadId, thread.id), eq(forumFlags.accountId, who.id)));
    expect(flag!.note).toBe(note.replace(/\r\n?/g, "\n").trim());
  });
});

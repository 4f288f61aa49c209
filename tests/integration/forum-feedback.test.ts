import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { forumAccounts, forumAnswers, forumAttempts, forumComments, forumReactions, forumThreads } from "#db/schema/index.ts";
import { createForumSession, SESSION_COOKIE, type SignedInAccount } from "#forum/accounts/session.server.ts";
import { postComment, threadFeedback } from "#forum/feedback/feedback.server.ts";
import type { RunningForum } from "#forum/main.ts";
import { createSession, SESSION_COOKIE as APP_SESSION_COOKIE } from "#app/features/auth/session.server.ts";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, problems, rendersAsText } from "#tests/xss-render.ts";
import { startTestForum } from "#tests/forum.ts";

/**
 * Comments and reactions on the public forum, through its HTTP interface, with the forum running
 * in-process as its own PostgreSQL role. Threads are published by hand (rows written with the
 * app's role, as the publishing code writes them); customers get sessions made directly.
 */

const t = setupTestDb();
const counting = countingDb(t);
let forum: RunningForum;
let base: string;

type Thread = { id: number; slug: string; path: string; answers: number[] };
let open: Thread;
let other: Thread;
let withdrawn: Thread;
let expired: Thread;

type Customer = SignedInAccount & { cookie: string };
let ana: Customer;
let ben: Customer;
let pending: Customer;

let threadNumber = 0;
async function publishThread(options: { withdrawnAt?: Date; expiresAt?: Date; answers?: number } = {}): Promise<Thread> {
  threadNumber++;
  const slug = `how-to-rotate-keys-${threadNumber}`;
  const [row] = await t.db
    .insert(forumThreads)
    .values({
      slug,
      title: `How do I rotate keys? (${threadNumber})`,
      bodyHtml: "<p>Our keys are old.</p>",
      authorName: "A Northwind engineer",
      askedAt: new Date("2026-01-05T10:00:00Z"),
      withdrawnAt: options.withdrawnAt ?? null,
      expiresAt: options.expiresAt ?? null,
    })
    .returning();
  const answers: number[] = [];
  for (let i = 0; i < (options.answers ?? 0); i++) {
    const [answer] = await t.db
      .insert(forumAnswers)
      .values({ threadId: row!.id, position: i, bodyHtml: `<p>Answer ${i}</p>`, authorName: `Engineer ${i}`, answeredAt: new Date("2026-01-06T10:00:00Z") })
      .returning();
    answers.push(answer!.id);
  }
  return { id: row!.id, slug, path: `/t/${row!.id}/${slug}`, answers };
}

let customerNumber = 0;
async function customer(options: { name?: string; verified?: boolean } = {}): Promise<Customer> {
  customerNumber++;
  const [row] = await t.db
    .insert(forumAccounts)
    .values({
      email: `customer${customerNumber}@customer.example`,
      name: options.name ?? `Customer ${customerNumber}`,
      // Never signed in with a password here: the sessions are made directly.
      passwordHash: "not-a-hash",
      verifiedAt: options.verified === false ? null : new Date(),
      // A moderator let them through: their comments show at once (first-post moderation is tested in forum-ask).
      trustedAt: new Date(),
    })
    .returning();
  const { token } = await createForumSession(t.db, row!.id);
  return { id: row!.id, name: row!.name, email: row!.email, verified: row!.verifiedAt !== null, cookie: `${SESSION_COOKIE}=${token}` };
}

beforeAll(async () => {
  ({ forum, base } = await startTestForum(t));
  open = await publishThread({ answers: 2 });
  other = await publishThread({ answers: 1 });
  withdrawn = await publishThread({ withdrawnAt: new Date() });
  expired = await publishThread({ expiresAt: new Date(Date.now() - 60_000) });
  ana = await customer({ name: "Ana Customer" });
  ben = await customer({ name: "Ben Customer" });
  pending = await customer({ name: "Pat Pending", verified: false });
});
afterAll(async () => {
  await forum?.stop();
});

type Answer = { status: number; location: string | null; html: string };

async function send(path: string, init: { form?: Record<string, string>; cookie?: string | null; origin?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    const origin = init.origin === undefined ? base : init.origin;
    if (origin) headers.origin = origin;
  }
  const response = await fetch(base + path, { method: init.form ? "POST" : "GET", headers, body: init.form ? new URLSearchParams(init.form).toString() : null, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

const comment = (thread: Thread, who: Customer | null, body: string, origin?: string | null) =>
  send(`/t/${thread.id}/comments`, { form: { body }, cookie: who?.cookie ?? null, ...(origin === undefined ? {} : { origin }) });
const reactTo = (thread: Thread, who: Customer, answerId: number | string, kind: string) =>
  send(`/t/${thread.id}/reactions`, { form: { answerId: String(answerId), kind }, cookie: who.cookie });

async function commentsOf(thread: Thread) {
  return t.db.select().from(forumComments).where(eq(forumComments.threadId, thread.id)).orderBy(forumComments.id);
}
async function reactionsOf(thread: Thread, who: Customer) {
  return t.db
    .select({ answerId: forumReactions.answerId, kind: forumReactions.kind })
    .from(forumReactions)
    .where(and(eq(forumReactions.threadId, thread.id), eq(forumReactions.accountId, who.id)))
    .orderBy(forumReactions.answerId);
}

describe("comments", () => {
  test("a verified customer's comment is rendered from markdown and shows on the cached anonymous page at once", async () => {
    // An anonymous reader fills the cache first.
    const before = await send(open.path);
    expect(before.status).toBe(200);
    expect((await fetch(base + open.path)).headers.get("x-forum-cache")).toBe("hit");
    const signIn = parseScreen(before.html).querySelector<HTMLAnchorElement>("#comments a[href^='/signin']");
    expect(signIn?.textContent).toBe("Sign in to comment");
    expect(signIn?.getAttribute("href")).toBe(`/signin?redirectTo=${encodeURIComponent(`${open.path}#comments`)}`);

    const posted = await comment(open, ana, "It **worked** with `rotate --all`.\r\n\r\nThanks!");
    expect(posted.status).toBe(303);
    const [row] = await commentsOf(open);
    expect(posted.location).toBe(`${open.path}#comment-${row!.id}`);
    expect(row).toMatchObject({ accountId: ana.id, body: "It **worked** with `rotate --all`.\n\nThanks!", deletedAt: null });
    expect(row!.bodyHtml).toBe("<p>It <strong>worked</strong> with <code>rotate --all</code>.</p>\n<p>Thanks!</p>\n");

    const after = parseScreen((await send(open.path)).html);
    const shown = after.querySelector(`#comment-${row!.id}`);
    expect(shown?.querySelector(".comment-author")?.textContent).toBe("Ana Customer");
    expect(shown?.querySelector(".comment-body strong")?.textContent).toBe("worked");
    expect(shown?.querySelector("time")?.getAttribute("datetime")).toBe(row!.createdAt.toISOString());
    expect(after.querySelector("#comments-heading")?.textContent).toBe("1 comment");
    // The author sees a delete button on their own comment only.
    const asAna = parseScreen((await send(open.path, { cookie: ana.cookie })).html);
    expect(asAna.querySelector(`#comment-${row!.id} form[action$='/delete']`)).not.toBeNull();
    expect(parseScreen((await send(open.path, { cookie: ben.cookie })).html).querySelector(`#comment-${row!.id} form`)).toBeNull();
    expect(asAna.querySelector("#field-body")).not.toBeNull();
  });

  test("an unproven account can't comment or react: the page says why and offers a new link; nothing is written", async () => {
    const page = parseScreen((await send(open.path, { cookie: pending.cookie })).html);
    expect(page.querySelector("#comments .notice")?.textContent).toContain("Confirm your address to comment");
    expect(page.querySelector("#comments form[action='/verify/resend'] button")?.textContent).toBe("Send the link again");
    expect(page.querySelector("#field-body")).toBeNull();
    expect(page.querySelector("form[action$='/reactions']")).toBeNull();

    expect((await comment(open, pending, "Let me in")).status).toBe(403);
    expect((await reactTo(open, pending, 0, "helpful")).status).toBe(403);
    expect((await commentsOf(open)).filter((c) => c.accountId === pending.id)).toEqual([]);
    expect(await reactionsOf(open, pending)).toEqual([]);
    // Signed out, a write goes to sign-in and back.
    const anonymous = await comment(open, null, "Hello");
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/signin?redirectTo=${encodeURIComponent(`${open.path}#comments`)}`);
  });

  test("bad text comes back with the message and what was typed; nothing is written", async () => {
    const count = (await commentsOf(open)).length;
    const empty = await comment(open, ben, "   \r\n ");
    expect(empty.status).toBe(400);
    expect(parseScreen(empty.html).querySelector("#field-body-error")?.textContent).toBe("Write a comment");
    const long = `Long <b>text</b> ${"x".repeat(5000)}`;
    const tooLong = await comment(open, ben, long);
    expect(tooLong.status).toBe(400);
    const page = parseScreen(tooLong.html);
    expect(page.querySelector<HTMLTextAreaElement>("#field-body")?.value).toBe(long);
    expect(page.querySelector("#field-body-error")?.textContent).toBe("Use at most 5,000 characters");
    expect(page.querySelector<HTMLAnchorElement>("a[href^='/t/']")?.getAttribute("href")).toBe(open.path);
    expect(await commentsOf(open)).toHaveLength(count);
  });

  test("a customer deletes their own comment, not another's", async () => {
    await comment(open, ben, "Ben's first");
    const bens = (await commentsOf(open)).find((c) => c.body === "Ben's first")!;
    expect((await send(`/t/${open.id}/comments/${bens.id}/delete`, { form: {}, cookie: ana.cookie })).status).toBe(403);
    expect((await commentsOf(open)).find((c) => c.id === bens.id)!.deletedAt).toBeNull();
    expect((await send(`/t/${open.id}/comments/999999/delete`, { form: {}, cookie: ben.cookie })).status).toBe(404);
    // Not through another thread's address either.
    expect((await send(`/t/${other.id}/comments/${bens.id}/delete`, { form: {}, cookie: ben.cookie })).status).toBe(404);

    const deleted = await send(`/t/${open.id}/comments/${bens.id}/delete`, { form: {}, cookie: ben.cookie });
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe(`${open.path}#comments`);
    expect((await commentsOf(open)).find((c) => c.id === bens.id)!.deletedAt).not.toBeNull();
    expect(parseScreen((await send(open.path)).html).querySelector(`#comment-${bens.id}`)).toBeNull();
  });

  test("a withdrawn, expired or missing thread takes nothing: 410, 410, 404", async () => {
    for (const thread of [withdrawn, expired]) {
      expect((await comment(thread, ana, "Too late")).status).toBe(410);
      expect((await reactTo(thread, ana, 0, "helpful")).status).toBe(410);
      expect(await commentsOf(thread)).toEqual([]);
      expect(await reactionsOf(thread, ana)).toEqual([]);
    }
    expect((await send("/t/2147483647/comments", { form: { body: "Nowhere" }, cookie: ana.cookie })).status).toBe(404);
    expect((await send("/t/abc/comments", { form: { body: "Nowhere" }, cookie: ana.cookie })).status).toBe(404);
  });

  test("a deactivated account, or an employee's session of the internal app, is nobody here: sent to sign in, nothing written", async () => {
    const leaving = await customer({ name: "Lou Leaving" });
    await postComment(t.db, leaving, open.id, "Before I go");
    await t.db.update(forumAccounts).set({ deactivatedAt: new Date() }).where(eq(forumAccounts.id, leaving.id));
    const employee = await createUser(t.db, { name: "Eve Employee" });
    const { token } = await createSession(t.db, employee.id);
    for (const cookie of [leaving.cookie, `${APP_SESSION_COOKIE}=${token}`]) {
      const refused = await send(`/t/${open.id}/comments`, { form: { body: "Still here?" }, cookie });
      expect(refused.status).toBe(303);
      expect(refused.location).toMatch(/^\/signin\?redirectTo=/);
      expect((await send(`/t/${open.id}/reactions`, { form: { answerId: "0", kind: "helpful" }, cookie })).status).toBe(303);
    }
    expect((await commentsOf(open)).filter((c) => c.body === "Still here?")).toEqual([]);
    expect(await reactionsOf(open, leaving)).toEqual([]);
    // What a deactivated account wrote is no longer shown.
    expect(parseScreen((await send(open.path)).html).querySelector("main")?.textContent).not.toContain("Before I go");
  });

  test("a comment POSTed without this site's Origin is refused and writes nothing", async () => {
    const count = (await commentsOf(open)).length;
    expect((await comment(open, ana, "Forged", null)).status).toBe(403);
    expect((await comment(open, ana, "Forged", "https://evil.example")).status).toBe(403);
    expect(await commentsOf(open)).toHaveLength(count);
  });

  test("the eleventh comment within an hour is refused with when to try again", async () => {
    const chatty = await customer();
    for (let i = 0; i < 10; i++) expect((await postComment(t.db, chatty, other.id, `Comment ${i}`)).ok).toBe(true);
    const refused = await comment(other, chatty, "One more, with feeling");
    expect(refused.status).toBe(429);
    const page = parseScreen(refused.html);
    expect(page.querySelector(".error-summary")?.textContent).toMatch(/Try again in (59|60) minutes/);
    expect(page.querySelector<HTMLTextAreaElement>("#field-body")?.value).toBe("One more, with feeling");
    expect((await commentsOf(other)).filter((c) => c.accountId === chatty.id)).toHaveLength(10);
  });
});

describe("reactions", () => {
  test("the same reaction again takes it back, the other one replaces it; one per customer and target", async () => {
    const [first, second] = open.answers as [number, number];
    expect((await reactTo(open, ana, 0, "helpful")).location).toBe(`${open.path}#reactions-0`);
    expect(await reactionsOf(open, ana)).toEqual([{ answerId: 0, kind: "helpful" }]);
    await reactTo(open, ana, 0, "helpful");
    expect(await reactionsOf(open, ana)).toEqual([]);
    await reactTo(open, ana, first, "helpful");
    await reactTo(open, ana, first, "not_helpful");
    await reactTo(open, ana, second, "helpful");
    await reactTo(open, ben, first, "not_helpful");
    expect(await reactionsOf(open, ana)).toEqual([
      { answerId: first, kind: "not_helpful" },
      { answerId: second, kind: "helpful" },
    ]);

    const page = parseScreen((await send(open.path, { cookie: ana.cookie })).html);
    const buttons = (target: number) =>
      [...page.querySelectorAll(`#reactions-${target} button`)].map((b) => `${b.textContent!.replace(/\s+/g, " ").trim()} ${b.getAttribute("aria-pressed")}`);
    expect(buttons(0)).toEqual(["Helpful 0 false", "Not helpful 0 false"]);
    expect(buttons(first)).toEqual(["Helpful 0 false", "✓ Not helpful 2 true"]);
    expect(buttons(second)).toEqual(["✓ Helpful 1 true", "Not helpful 0 false"]);
    // Anonymous readers see the counts.
    expect(parseScreen((await send(open.path)).html).querySelector(`#reactions-${first} .reaction-counts`)?.textContent).toBe("0 found this helpful · 2 did not");

    // An answer of another thread, or a made-up kind, is no target here.
    expect((await reactTo(open, ana, other.answers[0]!, "helpful")).status).toBe(404);
    expect((await reactTo(open, ana, 0, "love")).status).toBe(404);
    expect((await reactTo(open, ana, "-1", "helpful")).status).toBe(404);
    expect(await reactionsOf(open, ana)).toHaveLength(2);
  });

  test("the thread's feedback is read in the same few queries however many comments it has", async () => {
    const busy = await publishThread({ answers: 3 });
    const readers = [await customer(), await customer()];
    const measure = async () => {
      counting.queries = 0;
      await threadFeedback(counting.db, busy.id, readers[0]!.id);
      return counting.queries;
    };
    const quiet = await measure();
    for (const [i, reader] of readers.entries()) {
      await t.db.delete(forumAttempts);
      for (let n = 0; n < 5; n++) await postComment(t.db, reader, busy.id, `Comment ${i}.${n}`);
    }
    expect(quiet).toBeLessThanOrEqual(3);
    expect(await measure()).toBe(quiet);
  });
});

/** A page's body: its head holds the forum's own tags (JSON-LD, stylesheet), none of them from customers. */
function bodyOf(html: string): string {
  return html.slice(html.indexOf("<body"));
}

describe("every XSS payload through the comments comes out inert", () => {
  test("as a comment's text, stored and on the pages", { timeout: 180_000 }, async () => {
    const thread = await publishThread({ answers: 1 });
    const writer = await customer({ name: "Xavier Payload" });
    let stored = 0;
    for (const { payload } of payloads) {
      // The hourly limit is not what this test is about.
      await t.db.delete(forumAttempts);
      const result = await postComment(t.db, writer, thread.id, payload);
      if (result.ok) stored++;
      else expect(result.status).toBe(400);
    }
    expect(stored).toBeGreaterThan(200);
    for (const row of await commentsOf(thread)) expect(problems(row.bodyHtml), row.body).toEqual([]);

    for (const path of [`/t/${thread.id}/${thread.slug}`, `/t/${thread.id}/comments/all`]) {
      const html = bodyOf((await send(path, { cookie: writer.cookie })).html);
      expect(executable(html)).toEqual([]);
      const bodies = parseScreen(html).querySelectorAll(".comment-body");
      expect(bodies.length).toBe(path.endsWith("/all") ? stored : Math.min(stored, 100));
      for (const body of bodies) expect(problems(body.innerHTML)).toEqual([]);
    }
    // More than the thread page shows: the rest is one link away.
    expect(parseScreen((await send(`/t/${thread.id}/${thread.slug}`)).html).querySelector(`#comments a[href='/t/${thread.id}/comments/all']`)?.textContent).toBe(
      `Show all ${stored} comments`,
    );
  });

  test("a customer's name is text wherever it shows", { timeout: 120_000 }, async () => {
    const thread = await publishThread();
    const names = payloads.map(({ payload }) => payload.trim().slice(0, 100)).filter((name) => name.length > 0 && /[<>&"']/.test(name) && !/[\0\r]/.test(name));
    expect(names.length).toBeGreaterThan(100);
    const writers = [];
    for (const name of names.slice(0, 60)) {
      const writer = await customer({ name });
      await postComment(t.db, writer, thread.id, "Same here.");
      writers.push(writer);
    }
    const page = parseScreen(bodyOf((await send(`/t/${thread.id}/${thread.slug}`, { cookie: writers[0]!.cookie })).html));
    expect(executable(page)).toEqual([]);
    expect(page.querySelector(".account-name")?.textContent).toBe(writers[0]!.name);
    const shown = [...page.querySelectorAll(".comment-author")];
    expect(shown.map((el) => el.textContent)).toEqual(writers.map((w) => w.name));
    for (const el of shown) expect(el.children.length).toBe(0);
    for (const writer of writers) expect(rendersAsText(writer.name)).toBe(true);
  });
});

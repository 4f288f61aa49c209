import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { digestRuns, mailOutbox, mailPreferences, notifications, outbox, webhookDeliveries } from "#db/schema/index.ts";
import { createApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { SessionSchema } from "#app/features/live/schemas.ts";
import { askLiveQuestion, moveSession, scheduleSession } from "#app/features/live/sessions.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { duePeriod } from "#app/features/mail-prefs/digest.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { addAllowlistEntry } from "#app/features/webhooks/allowlist.server.ts";
import { createEndpoint } from "#app/features/webhooks/endpoints.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { type EmbeddedMeili, startEmbeddedMeili } from "#search/embedded.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";
import { startTestMailServer, type TestMailServer } from "#tests/mail-server.ts";
import { cleanUp, ensureBuild, launch, type Launch, stop, tempDataDir, waitUntilRunning } from "./commons-process.ts";

/**
 * Issue 23: two app instances, each `npm start`'s server as a child process of its own, on one
 * PostgreSQL (this file's database), one Meilisearch (this file's own) and one SMTP server (the
 * test's). Whatever one instance writes or counts, the other sees; the workers of both run at once
 * on the same queues and never do one job twice, counted where the jobs arrive: mail by Message-ID
 * at the SMTP server, webhooks by webhook-id at an HTTP receiver, the search relay by the documents
 * Meilisearch received. The pair is started once for the whole file (docs/scaling.md).
 */

const t = setupTestDb();
const API_PER_MINUTE = 8;
const SIGNIN_PER_ACCOUNT = 5;
const DIGEST_READERS = 12;

let meiliDir: string;
let meili: EmbeddedMeili;
let search: Meilisearch;
let smtp: TestMailServer;
let receiver: Server;
let receiverUrl: string;
/** Every webhook request the receiver got, by its webhook-id. */
const webhooks = new Map<string, number>();
let a: Launch;
let b: Launch;
/** People with an answer in the daily digest that is due: both instances look for due digests as they start. */
const digestReaders: string[] = [];

beforeAll(async () => {
  await ensureBuild();
  meiliDir = await mkdtemp(path.join(os.tmpdir(), "commons-two-meili-"));
  meili = await startEmbeddedMeili({ dataDir: meiliDir });
  search = createMeiliClient(meili.url, meili.masterKey, 30_000);
  smtp = await startTestMailServer();
  receiver = createServer((req, res) => {
    const id = String(req.headers["webhook-id"] ?? "");
    webhooks.set(id, (webhooks.get(id) ?? 0) + 1);
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const replier = await createUser(t.db, { name: "Dan Digest-Replier" });
  const digestSpace = await createSpace(t.db);
  const inside = new Date(duePeriod("daily", new Date()).start.getTime() + 3600_000);
  for (let i = 0; i < DIGEST_READERS; i++) {
    const reader = await createUser(t.db, { name: `Dina Digest ${i}` });
    await t.db.insert(mailPreferences).values({ userId: reader.id, category: "answers", cadence: "daily" });
    const questionId = await createQuestion(t.db, { author: reader, space: digestSpace, title: `Who keeps the digest lighthouse number ${i} lit?` });
    await createAnswer(t.db, { author: replier, questionId });
    await t.db.update(notifications).set({ createdAt: inside }).where(eq(notifications.userId, reader.id));
    digestReaders.push(reader.email.toLowerCase());
  }

  const env = {
    DATABASE_URL: t.url,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    SMTP_URL: smtp.url,
    DEMO_SEED: "never",
    // No public forum beside each instance: not what this file is about, and two more processes.
    FORUM_PORT: "",
    API_REQUESTS_PER_MINUTE: String(API_PER_MINUTE),
    SIGNIN_LIMIT_PER_ACCOUNT: String(SIGNIN_PER_ACCOUNT),
  };
  [a, b] = await Promise.all([launch({ dataDir: await tempDataDir(), env }), launch({ dataDir: await tempDataDir(), env })]);
  await Promise.all([waitUntilRunning(a!, 180_000), waitUntilRunning(b!, 180_000)]);
}, 240_000);

afterAll(async () => {
  for (const instance of [a, b]) if (instance && !instance.exit) await stop(instance, "SIGTERM").catch(() => undefined);
  await cleanUp();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await smtp?.stop();
  await meili?.stop();
  if (meiliDir) await rm(meiliDir, { recursive: true, force: true });
}, 60_000);

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await sleep(100);
  }
}

/** A form POST as a browser on `instance` sends it (its own Origin). */
function post(instance: Launch, pathname: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${instance.baseUrl}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: instance.baseUrl, "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}

function sessionCookie(response: Response): string {
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!set) throw new Error(`no session cookie (status ${response.status})`);
  return set.split(";")[0]!;
}

async function signIn(instance: Launch, email: string, password = DEFAULT_PASSWORD): Promise<Response> {
  return post(instance, "/sign-in", { email, password, redirectTo: "/" });
}

describe("two instances on one PostgreSQL, Meilisearch and mail server", () => {
  test("a session made by signing in on one instance is valid on the other, and signing out on the other ends it on both", async () => {
    const person = await createUser(t.db, { name: "Sam Both" });
    const signedIn = await signIn(a, person.email);
    expect(signedIn.status).toBe(302);
    const cookie = sessionCookie(signedIn);
    for (const instance of [a, b]) {
      const page = await fetch(`${instance.baseUrl}/settings/profile`, { headers: { cookie }, redirect: "manual" });
      expect(page.status, instance.baseUrl).toBe(200);
      expect(await page.text()).toContain("Sam Both");
    }
    const out = await post(b, "/sign-out", {}, cookie);
    expect(out.status).toBeLessThan(400);
    for (const instance of [a, b]) {
      const page = await fetch(`${instance.baseUrl}/settings/profile`, { headers: { cookie }, redirect: "manual" });
      expect(page.status, instance.baseUrl).toBe(302);
    }
  });

  test("sign-in attempts per account are counted across both: the limit's wrong passwords, split between them, lock the account on both", async () => {
    const person = await createUser(t.db, { name: "Lee Locked" });
    for (let i = 0; i < SIGNIN_PER_ACCOUNT; i++) {
      const wrong = await signIn(i % 2 === 0 ? a : b, person.email, `wrong guess ${i}`);
      expect(wrong.status).toBe(400);
    }
    // The right password now, on either: refused by the shared count.
    expect((await signIn(a, person.email)).status).toBe(429);
    expect((await signIn(b, person.email)).status).toBe(429);
  });

  test("the API rate limit of a token is one budget across both instances", async () => {
    const person = await createUser(t.db, { name: "Tia Token" });
    const { token } = await createApiToken(t.db, person.id, { name: "two instances", scope: "read", expiresInDays: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < API_PER_MINUTE + 2; i++) {
      const response = await fetch(`${(i % 2 === 0 ? a : b).baseUrl}/api/v1/questions`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(API_PER_MINUTE).fill(200), 429, 429]);
  });

  test("the mailers of both send each of 40 mails once (counted by Message-ID at the SMTP server)", async () => {
    const to = Array.from({ length: 40 }, (_, i) => `both-${i}@example.com`);
    await t.db.transaction((tx) =>
      enqueueMail(
        tx,
        ...to.map((address) => renderMail({ to: address, template: "test", subject: `Once to ${address}`, reason: "A test wrote to you.", greeting: "Hello,", paragraphs: ["Once."] })),
      ),
    );
    await until(
      "every mail sent",
      () => t.db.$count(mailOutbox, and(eq(mailOutbox.template, "test"), ne(mailOutbox.status, "done"))),
      (n) => n === 0,
    );
    await until(
      "no mail in flight",
      async () => smtp.inFlight,
      (n) => n === 0,
    );
    const ours = smtp.messages.filter((m) => m.to.some((address) => address.startsWith("both-")));
    const copies = new Map<string, number>();
    for (const m of ours) copies.set(m.messageId, (copies.get(m.messageId) ?? 0) + 1);
    expect(copies.size).toBe(40);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
  });

  test("the digest workers of both, started together, write and send each person's due digest once", async () => {
    await until(
      "a digest run for every reader",
      () => t.db.$count(digestRuns, eq(digestRuns.cadence, "daily")),
      (n) => n >= DIGEST_READERS,
    );
    await until(
      "every digest sent",
      () => t.db.$count(mailOutbox, ne(mailOutbox.status, "done")),
      (n) => n === 0,
    );
    await until(
      "no mail in flight",
      async () => smtp.inFlight,
      (n) => n === 0,
    );
    // Every digest written (the readers' daily ones, and any weekly one the defaults make due): one
    // per person, cadence and period, each received once.
    const digests = await t.db.execute<{ to: string; template: string; message_id: string }>(sql`
      select "to", template, message_id from ${mailOutbox} where template like 'digest-%'`);
    for (const reader of digestReaders)
      expect(
        digests.filter((d) => d.to.toLowerCase() === reader && d.template === "digest-daily"),
        reader,
      ).toHaveLength(1);
    const written = new Set(digests.map((d) => `${d.to.toLowerCase()} ${d.template}`));
    expect(written.size).toBe(digests.length);
    for (const digest of digests)
      expect(
        smtp.messages.filter((m) => m.messageId === digest.message_id),
        digest.to,
      ).toHaveLength(1);
    const twice = await t.db.execute(sql`select user_id from ${digestRuns} group by user_id, cadence, period_start having count(*) > 1`);
    expect(twice).toEqual([]);
  });

  test("30 questions: the webhook workers deliver each event once (by webhook-id) and the relays index each question once", async () => {
    const admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
    const author = await createUser(t.db, { name: "Quinn Questions" });
    const space = await createSpace(t.db);
    await addAllowlistEntry(t.db, admin, { pattern: "127.0.0.1", note: "the test's receiver" });
    await createEndpoint(t.db, admin, { url: receiverUrl, description: "", space: null, events: ["question.created"] });
    const since = new Date();
    for (let i = 0; i < 30; i++) await createQuestion(t.db, { author, space, title: `Which of the twin lighthouses answers signal ${i}?` });

    await until(
      "every delivery done",
      () => t.db.$count(webhookDeliveries, ne(webhookDeliveries.status, "done")),
      (n) => n === 0,
    );
    expect(await t.db.$count(webhookDeliveries)).toBe(30);
    expect(webhooks.size).toBe(30);
    expect([...webhooks.values()].every((n) => n === 1)).toBe(true);

    await until(
      "every question row of the outbox done",
      () => t.db.$count(outbox, and(eq(outbox.kind, "question"), ne(outbox.status, "done"))),
      (n) => n === 0,
    );
    await until(
      "Meilisearch idle",
      async () => (await search.tasks.getTasks({ statuses: ["enqueued", "processing"] })).results.length,
      (n) => n === 0,
    );
    // What Meilisearch received for the questions index since the questions were written: one document each.
    const { results } = await search.tasks.getTasks({ indexUids: ["questions"], types: ["documentAdditionOrUpdate"], afterEnqueuedAt: since.toISOString(), limit: 1000 });
    const received = results.reduce((sum, task) => sum + Number((task.details as { receivedDocuments?: number } | undefined)?.receivedDocuments ?? 0), 0);
    expect(received).toBe(30);
    const rows = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from ${outbox} where kind = 'question' and attempts > 0`);
    expect(rows[0]!.n).toBe(0);
  });

  test("a reader of a live session on one instance gets the answer given on the other (LISTEN/NOTIFY)", async () => {
    const expert = await createUser(t.db, { name: "Eve Expert" });
    const reader = await createUser(t.db, { name: "Rob Reader" });
    const space = await createSpace(t.db, { members: [expert, reader] });
    const parsed = SessionSchema.safeParse({
      title: "Two instances hour",
      topic: "platform",
      audience: "internal",
      space: space.slug,
      startsAt: "2026-05-01T15:00",
      endsAt: "2026-05-01T16:00",
      experts: `@${expert.email.split("@")[0]}`,
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    const moderator = await createUser(t.db, { name: "Mo Moderator" }, "admin");
    const { id: sessionId } = await scheduleSession(t.db, moderator, parsed.data);
    await moveSession(t.db, moderator, sessionId, "start");
    const { id: questionId } = await askLiveQuestion(t.db, reader, sessionId, { body: "Which instance answers this?" });

    // The reader's stream on B.
    const controller = new AbortController();
    const readerCookie = `${SESSION_COOKIE}=${(await createSession(t.db, reader.id)).token}`;
    const stream = await fetch(`${b.baseUrl}/sessions/${sessionId}/events`, { headers: { cookie: readerCookie, accept: "text/event-stream" }, signal: controller.signal });
    expect(stream.status).toBe(200);
    const chunks = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    const readUntil = async (needle: string) => {
      const deadline = setTimeout(() => controller.abort(), 30_000);
      try {
        while (!seen.includes(needle)) {
          const { value, done } = await chunks.read();
          if (done) throw new Error(`the stream ended before "${needle}": ${seen}`);
          seen += value;
        }
      } finally {
        clearTimeout(deadline);
      }
    };
    // Subscribed: the first state arrives before any answer.
    await readUntil("Which instance answers this?");
    expect(seen).not.toContain("Lighthouse keeper A answers");

    // The expert answers through A.
    const expertCookie = `${SESSION_COOKIE}=${(await createSession(t.db, expert.id)).token}`;
    const answered = await post(a, `/sessions/${sessionId}`, { intent: "answer", questionId: String(questionId), body: "Lighthouse keeper A answers" }, expertCookie);
    expect(answered.status).toBeLessThan(400);
    await readUntil("Lighthouse keeper A answers");
    controller.abort();
  });
});

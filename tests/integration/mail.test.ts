import { eq, inArray, sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { mailOutbox } from "#db/schema/index.ts";
import {
  createMailTransport,
  deadMailPage,
  mailHealth,
  pruneMail,
  retryDeadMail,
  runMailerOnce,
  runMailerUntilIdle,
  startMailer,
  type MailerOptions,
} from "#app/features/mail/mailer.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { PRODUCT_NAME, renderMail } from "#app/features/mail/render.server.tsx";
import { setupTestDb } from "#tests/db.ts";
import { startTestMailServer, type TestMailServer } from "#tests/mail-server.ts";
import { startHousekeeping } from "../../server/housekeeping.ts";

/**
 * The mailer against a real SMTP server (tests/mail-server.ts: smtp-server + mailparser) that is
 * made slow, refusing or down, and against the file's own PostgreSQL. No mock transport.
 */

const t = setupTestDb();
let smtp: TestMailServer;
const FROM = "Commons <commons@northwind.example>";
const quiet = { info: () => {}, warn: () => {} };
/** Fast retries, so a test sees several attempts. */
const options: MailerOptions = { from: FROM, backoffBaseMs: 20 };
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  smtp = await startTestMailServer();
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(async () => {
  await t.db.delete(mailOutbox);
  smtp.messages.length = 0;
  smtp.refuseWith(null);
  smtp.delay(0);
  await smtp.stop();
  await smtp.start();
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function mail(to: string, subject = `Hello ${to}`) {
  return renderMail({
    to,
    template: "test",
    subject,
    reason: `You get this because a test wrote to ${to}.`,
    greeting: "Hello,",
    paragraphs: ["A paragraph with <b>markup</b> & an ampersand."],
    action: { label: "Open Commons", url: "http://localhost:3000/welcome?from=mail&x=1" },
    footnote: "The link works for 24 hours.",
  });
}

async function enqueue(...to: string[]): Promise<void> {
  await t.db.transaction((tx) => enqueueMail(tx, ...to.map((address) => mail(address))));
}

function transport() {
  return createMailTransport(smtp.url);
}

function start(extra: Partial<MailerOptions> & { pollMs?: number } = {}): () => Promise<void> {
  const stop = startMailer(t.db, { ...options, ...extra, transport: transport(), databaseUrl: t.url, log: quiet, pollMs: extra.pollMs ?? 50 });
  stops.push(stop);
  return stop;
}

async function rowsTo(...to: string[]) {
  return t.db.select().from(mailOutbox).where(inArray(mailOutbox.to, to)).orderBy(mailOutbox.id);
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many times each Message-ID arrived. */
function copies(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of smtp.messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
  return counts;
}

describe("the mail outbox", () => {
  test("a rolled-back transaction sends nothing; a committed one sends its mail", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueMail(tx, mail("rolled-back@example.com"));
        throw new Error("the write failed");
      }),
    ).rejects.toThrow("the write failed");
    await enqueue("committed@example.com");

    const result = await runMailerUntilIdle(t.db, transport(), options);
    expect(result.sent).toBe(1);
    expect(smtp.messages.map((m) => m.to)).toEqual([["committed@example.com"]]);
    expect(await rowsTo("rolled-back@example.com")).toEqual([]);
  });

  test("a sent mail has a text and an HTML part, the product's name, its reason line, MAIL_FROM and its stored Message-ID", async () => {
    await enqueue("ann@example.com");
    await runMailerUntilIdle(t.db, transport(), options);

    const received = await smtp.waitFor((m) => m.to.includes("ann@example.com"));
    const [row] = await rowsTo("ann@example.com");
    expect(row).toMatchObject({ status: "done", attempts: 0, lastError: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect(received.messageId).toBe(row!.messageId);
    expect(received.from).toBe("commons@northwind.example");
    expect(received.subject).toBe(`${PRODUCT_NAME}: Hello ann@example.com`);
    for (const part of [received.text, received.html]) {
      expect(part).toContain(PRODUCT_NAME);
      expect(part).toContain("You get this because a test wrote to ann@example.com.");
    }
    expect(received.text).toContain("A paragraph with <b>markup</b> & an ampersand.");
    expect(received.text).toContain("http://localhost:3000/welcome?from=mail&x=1");
    // The HTML part escapes what it was given and links the action.
    expect(received.html).toContain("A paragraph with &lt;b&gt;markup&lt;/b&gt; &amp; an ampersand.");
    expect(received.html).toContain('href="http://localhost:3000/welcome?from=mail&amp;x=1"');
    expect(received.html).not.toContain("<b>markup</b>");
  });

  test("with the SMTP server down, enqueueing still works; the mailer backs off and delivers once it is back, once", async () => {
    await smtp.stop();
    await enqueue("outage@example.com");
    start();

    // Two failed attempts, each pushed further out.
    const [failing] = await until(
      "retries while down",
      () => rowsTo("outage@example.com"),
      ([r]) => (r?.attempts ?? 0) >= 2,
    );
    expect(failing).toMatchObject({ status: "pending" });
    expect(failing!.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);

    await smtp.start();
    await smtp.waitFor((m) => m.to.includes("outage@example.com"));
    const [sent] = await until(
      "marked sent",
      () => rowsTo("outage@example.com"),
      ([r]) => r?.status === "done",
    );
    expect(sent!.sentAt).toBeInstanceOf(Date);
    for (const stop of stops.splice(0)) await stop();
    expect([...copies().values()]).toEqual([1]);
  });

  test("a refused mail is retried with growing delays, dead after the last attempt, shown by mailHealth; retry sends it", async () => {
    smtp.refuseWith(550);
    await enqueue("refused@example.com");
    const dead = { ...options, maxAttempts: 3, backoffBaseMs: 1 };
    const first = await runMailerOnce(t.db, transport(), dead);
    expect(first).toMatchObject({ claimed: 1, failed: 1, dead: 0 });
    const [afterOne] = await rowsTo("refused@example.com");
    expect(afterOne).toMatchObject({ status: "pending", attempts: 1 });
    expect(afterOne!.lastError).toContain("550");

    await until(
      "dead",
      async () => (await runMailerOnce(t.db, transport(), dead), rowsTo("refused@example.com")),
      ([r]) => r?.status === "dead",
    );
    const [row] = await rowsTo("refused@example.com");
    expect(row).toMatchObject({ status: "dead", attempts: 3 });
    expect(await mailHealth(t.db)).toEqual({ pending: 0, dead: 1, oldestPendingSeconds: 0 });
    const page = await deadMailPage(t.db, 1);
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ to: "refused@example.com", template: "test", attempts: 3, subject: `${PRODUCT_NAME}: Hello refused@example.com` });
    expect(page.rows[0]!.lastError).toContain("550");
    // Dead is dead: the mailer leaves it alone.
    expect((await runMailerOnce(t.db, transport(), dead)).claimed).toBe(0);
    expect(smtp.messages).toEqual([]);

    smtp.refuseWith(null);
    expect(await retryDeadMail(t.db)).toBe(1);
    expect(await rowsTo("refused@example.com")).toMatchObject([{ status: "pending", attempts: 0, lastError: null }]);
    expect((await mailHealth(t.db)).dead).toBe(0);
    await runMailerUntilIdle(t.db, transport(), dead);
    await smtp.waitFor((m) => m.to.includes("refused@example.com"));
    expect(await mailHealth(t.db)).toEqual({ pending: 0, dead: 0, oldestPendingSeconds: 0 });
  });

  test("retrying one dead letter leaves the others dead", async () => {
    smtp.refuseWith(550);
    await enqueue("dead-1@example.com", "dead-2@example.com");
    const once = { ...options, maxAttempts: 1 };
    await runMailerUntilIdle(t.db, transport(), once);
    const rows = await rowsTo("dead-1@example.com", "dead-2@example.com");
    expect(rows.map((r) => r.status)).toEqual(["dead", "dead"]);
    expect(await retryDeadMail(t.db, [rows[0]!.id])).toBe(1);
    expect((await rowsTo("dead-1@example.com", "dead-2@example.com")).map((r) => r.status)).toEqual(["pending", "dead"]);
  });

  test("mailHealth counts pending mail and the age of the oldest", async () => {
    await enqueue("waiting-1@example.com", "waiting-2@example.com");
    await t.db
      .update(mailOutbox)
      .set({ createdAt: sql`now() - interval '90 seconds'` })
      .where(eq(mailOutbox.to, "waiting-1@example.com"));
    const health = await mailHealth(t.db);
    expect(health.pending).toBe(2);
    expect(health.dead).toBe(0);
    expect(health.oldestPendingSeconds).toBeGreaterThanOrEqual(90);
  });

  test("two mailers running at once send each mail exactly once", async () => {
    const to = Array.from({ length: 30 }, (_, i) => `pair-${i}@example.com`);
    smtp.delay(10);
    start({ batchSize: 4 });
    start({ batchSize: 4 });
    for (let i = 0; i < to.length; i += 5) await enqueue(...to.slice(i, i + 5));

    await until(
      "all sent",
      () => rowsTo(...to),
      (rows) => rows.every((r) => r.status === "done"),
      30_000,
    );
    for (const stop of stops.splice(0)) await stop();
    expect(smtp.messages).toHaveLength(30);
    expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(30);
    expect([...copies().values()].every((n) => n === 1)).toBe(true);
  });

  test("a mailer stopped mid-batch hands back what it had not sent; the next one sends each mail exactly once", async () => {
    const to = Array.from({ length: 10 }, (_, i) => `restart-${i}@example.com`);
    await enqueue(...to);
    smtp.delay(100);
    const stopFirst = start({ batchSize: 10 });
    await until(
      "a few sent",
      async () => smtp.messages.length,
      (n) => n >= 3,
    );
    await stopFirst();
    stops.splice(stops.indexOf(stopFirst), 1);

    // Whatever the server accepted is marked sent; nothing else is.
    const afterStop = await rowsTo(...to);
    expect(afterStop.filter((r) => r.status === "done").length).toBe(smtp.messages.length);
    expect(smtp.messages.length).toBeLessThan(10);
    // The unsent rows are due again now, not when the first mailer's lease would have run out.
    const due = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from mail_outbox where status = 'pending' and available_at <= now()`);
    expect(due[0]!.n).toBe(10 - smtp.messages.length);

    smtp.delay(0);
    start({ batchSize: 10 });
    await until(
      "all sent",
      () => rowsTo(...to),
      (rows) => rows.every((r) => r.status === "done"),
    );
    for (const stop of stops.splice(0)) await stop();
    expect(smtp.messages).toHaveLength(10);
    expect([...copies().values()].every((n) => n === 1)).toBe(true);
  });

  test("while the SMTP server stalls on a mail, another request's mail is enqueued without waiting for it", async () => {
    smtp.delay(2_000);
    start();
    await enqueue("stalled@example.com");
    await until(
      "the server is holding a mail",
      async () => smtp.inFlight,
      (n) => n === 1,
    );

    await enqueue("meanwhile@example.com");
    // The write committed while the first mail was still unanswered: it did not wait for SMTP.
    expect(smtp.inFlight).toBe(1);
    expect(smtp.messages).toEqual([]);
    expect(await rowsTo("meanwhile@example.com")).toMatchObject([{ status: "pending" }]);

    await smtp.waitFor((m) => m.to.includes("meanwhile@example.com"));
  });

  test("housekeeping prunes mail sent more than a day ago and month-old dead letters, and keeps the rest", async () => {
    await enqueue("old-sent@example.com", "new-sent@example.com", "pending@example.com", "old-dead@example.com", "new-dead@example.com");
    const set = (to: string, values: Record<string, unknown>) => t.db.update(mailOutbox).set(values).where(eq(mailOutbox.to, to));
    await set("old-sent@example.com", { status: "done", sentAt: sql`now() - interval '25 hours'` });
    await set("new-sent@example.com", { status: "done", sentAt: sql`now() - interval '1 hour'` });
    await set("old-dead@example.com", { status: "dead", createdAt: sql`now() - interval '31 days'` });
    await set("new-dead@example.com", { status: "dead", createdAt: sql`now() - interval '2 days'` });

    const remaining = async () => (await t.db.select({ to: mailOutbox.to }).from(mailOutbox).orderBy(mailOutbox.to)).map((r) => r.to);
    const stop = startHousekeeping(t.db, pino({ level: "silent" }), 50);
    try {
      await until("pruned", remaining, (left) => left.length === 3);
    } finally {
      stop();
    }
    expect(await remaining()).toEqual(["new-dead@example.com", "new-sent@example.com", "pending@example.com"]);
    expect(await pruneMail(t.db)).toBe(0);
  });
});

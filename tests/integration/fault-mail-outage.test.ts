import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { mailOutbox } from "#db/schema/index.ts";
import { createMailTransport, mailBackoffMs, type MailerOptions, runMailerOnce, runMailerUntilIdle } from "#app/features/mail/mailer.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { setupTestDb } from "#tests/db.ts";
import { startTestMailServer, type TestMailServer } from "#tests/mail-server.ts";

/**
 * Issue 23, faults: the mail server down for an hour. Every attempt the mailer makes during the
 * outage really fails, against the test SMTP server stopped (connection refused). Only the waits
 * between attempts are skipped: after each round the rows' `available_at` (when the mailer may
 * try them again) is brought forward to now, and the test adds the wait the mailer had set to its
 * own clock of the outage. Once that clock passes an hour the server comes back.
 */

const t = setupTestDb();
const HOUR_MS = 60 * 60_000;
const MAILS = 25; // more than one batch of 20
let smtp: TestMailServer;
const options: MailerOptions = { from: "Commons <commons@northwind.example>" };

beforeAll(async () => {
  smtp = await startTestMailServer();
  await smtp.stop();
});
afterAll(async () => {
  await smtp.stop();
});

type Row = { status: string; attempts: number; wait_ms: number; last_error: string | null; message_id: string };

async function rows(): Promise<Row[]> {
  return await t.db.execute<Row>(sql`
    select status, attempts, round(extract(epoch from (available_at - now())) * 1000)::float8 as wait_ms, last_error, message_id
    from ${mailOutbox} order by id`);
}

/** The mailer tries every mail that is due once: a batch, then the next, until none is due. */
async function attemptRound(): Promise<void> {
  const transport = createMailTransport(smtp.url);
  try {
    while ((await runMailerOnce(t.db, transport, options)).claimed > 0);
  } finally {
    transport.close();
  }
}

test("the backoff gives a mail 102.6 minutes of attempts before it is dead: an hour's outage with half an hour to spare", () => {
  // Twelve attempts: eleven waits between them.
  const waits = Array.from({ length: 11 }, (_, i) => mailBackoffMs(i + 1));
  expect(waits.slice(0, 3)).toEqual([5_000, 10_000, 20_000]);
  expect(waits.at(-1)).toBe(30 * 60_000);
  expect(waits.reduce((a, b) => a + b, 0)).toBe(6_155_000);
});

test("mails enqueued while the SMTP server is down for an hour are each delivered exactly once after it is back", { timeout: 60_000 }, async () => {
  const to = Array.from({ length: MAILS }, (_, i) => `outage-${i}@example.com`);
  await t.db.transaction((tx) =>
    enqueueMail(
      tx,
      ...to.map((address) =>
        renderMail({ to: address, template: "test", subject: `During the outage, to ${address}`, reason: "A test wrote to you.", greeting: "Hello,", paragraphs: ["Sent once."] }),
      ),
    ),
  );

  let outage = 0;
  let rounds = 0;
  for (;;) {
    await attemptRound();
    rounds += 1;
    const now = await rows();
    // Every attempt failed against the closed port, and none of the mails is given up on.
    for (const row of now) {
      expect(row).toMatchObject({ status: "pending", attempts: rounds });
      expect(row.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
    }
    // The mailer set each row's next attempt one backoff ahead (give or take the statement's time).
    const wait = mailBackoffMs(rounds);
    for (const row of now) expect(Math.abs(row.wait_ms - wait)).toBeLessThan(5_000);
    outage += wait;
    // The server comes back an hour after the first attempt: the next attempt is after that.
    if (outage >= HOUR_MS) break;
    await t.db.execute(sql`update ${mailOutbox} set available_at = now() where status = 'pending'`);
  }
  // Ten attempts in the hour (at 0 s, 5 s, 15 s ... 42.6 min); the eleventh is due at 72.6 min.
  expect(rounds).toBe(10);
  expect(outage).toBe(4_355_000);
  expect(smtp.messages).toEqual([]);

  await smtp.start();
  await t.db.execute(sql`update ${mailOutbox} set available_at = now() where status = 'pending'`);
  // Two mailers at once, as two app instances would run them: still one copy of each.
  const transports = [createMailTransport(smtp.url), createMailTransport(smtp.url)];
  try {
    await Promise.all(transports.map((transport) => runMailerUntilIdle(t.db, transport, options)));
    // And one more pass finds nothing left to send.
    expect((await runMailerOnce(t.db, transports[0]!, options)).claimed).toBe(0);
  } finally {
    for (const transport of transports) transport.close();
  }

  const stored = await rows();
  expect(stored.map((r) => r.status)).toEqual(Array(MAILS).fill("done"));
  const received = new Map<string, number>();
  for (const m of smtp.messages) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
  expect(received.size).toBe(MAILS);
  expect([...received.values()].every((n) => n === 1)).toBe(true);
  expect([...received.keys()].sort()).toEqual(stored.map((r) => r.message_id).sort());
  expect(smtp.messages.flatMap((m) => m.to).sort()).toEqual([...to].sort());
});

import { eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { mailOutbox } from "#db/schema/index.ts";
import { mailSummary } from "#app/components/admin/mail-health.tsx";
import { DEAD_MAIL_PAGE_SIZE } from "#app/features/mail/mailer.server.ts";
import { MAIL_CHANNEL, enqueueMail } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { action as mailAction, loader as mailLoader } from "#app/routes/admin/mail.tsx";
import { loader as searchLoader } from "#app/routes/admin/search.tsx";
import { setupTestDb } from "#tests/db.ts";
import { answered, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";

/**
 * Admin → Mail: the queue's numbers, the dead letters a page at a time, Retry and Retry all, and
 * the admin guard (everyone else gets exactly what the other admin pages give them).
 */
const t = setupTestDb();

beforeEach(async () => {
  await t.db.delete(mailOutbox);
});

function harness() {
  const { context } = routeContext(t.db);
  return {
    load: (request: Request) => mailLoader({ request, context, params: {} } as never),
    act: (request: Request) => mailAction({ request, context, params: {} } as never),
    loadSearch: (request: Request) => searchLoader({ request, context, params: {} } as never),
  };
}

async function post(user: { id: number } | null, fields: Record<string, string>): Promise<Request> {
  const base = await requestAs(t.db, user, "/admin/mail");
  return new Request(base.url, { method: "POST", headers: base.headers, body: new URLSearchParams(fields) });
}

/** Writes mails through enqueueMail, then makes them dead (or leaves them pending) as the mailer would. */
async function mails(n: number, status: "pending" | "dead", ageSeconds = 0): Promise<number[]> {
  const to = Array.from({ length: n }, (_, i) => `${status}-${i}-${Math.random().toString(36).slice(2)}@example.com`);
  await t.db.transaction((tx) =>
    enqueueMail(tx, ...to.map((address) => renderMail({ to: address, template: "verify-email", subject: "Confirm your address", reason: "You signed up.", paragraphs: [] }))),
  );
  await t.db
    .update(mailOutbox)
    .set({
      status,
      attempts: status === "dead" ? 10 : 0,
      lastError: status === "dead" ? "EENVELOPE: 550 5.1.1 mailbox unavailable" : null,
      createdAt: sql`now() - make_interval(secs => ${ageSeconds})`,
    })
    .where(inArray(mailOutbox.to, to));
  const rows = await t.db.select({ id: mailOutbox.id }).from(mailOutbox).where(inArray(mailOutbox.to, to)).orderBy(mailOutbox.id);
  return rows.map((r) => r.id);
}

/** What a request got: the status of a thrown response, where a redirect points, or "page". */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "page";
  } catch (error) {
    // The sign-in redirect names the page to come back to; the rest of it must be the same.
    if (error instanceof Response) return `${error.status} ${(error.headers.get("Location") ?? "").split("?")[0]}`.trim();
    const status = (answered(error) as { init?: { status?: number } }).init?.status;
    if (status) return String(status);
    throw error;
  }
}

describe("Admin → Mail", () => {
  test("shows waiting mail, the oldest's age and the dead letters newest first, a page at a time", async () => {
    const admin = await createUser(t.db, {}, "admin");
    await mails(2, "pending", 400);
    const dead = await mails(DEAD_MAIL_PAGE_SIZE + 3, "dead");

    const first = (await harness().load(await requestAs(t.db, admin, "/admin/mail"))) as Awaited<ReturnType<typeof mailLoader>>;
    expect(first.health.pending).toBe(2);
    expect(first.health.dead).toBe(DEAD_MAIL_PAGE_SIZE + 3);
    expect(first.health.oldestPendingSeconds).toBeGreaterThanOrEqual(400);
    expect(first.dead.total).toBe(DEAD_MAIL_PAGE_SIZE + 3);
    expect(first.dead.rows.map((r) => r.id)).toEqual([...dead].reverse().slice(0, DEAD_MAIL_PAGE_SIZE));
    expect(first.dead.rows[0]).toMatchObject({ template: "verify-email", subject: "Commons: Confirm your address", attempts: 10, lastError: "EENVELOPE: 550 5.1.1 mailbox unavailable" });
    expect(first.dead.rows[0]!.to).toMatch(/@example\.com$/);

    const second = (await harness().load(await requestAs(t.db, admin, "/admin/mail?page=2"))) as Awaited<ReturnType<typeof mailLoader>>;
    expect(second.dead.rows.map((r) => r.id)).toEqual([dead[2], dead[1], dead[0]]);
    // A page number that makes no sense is the first page, not an error.
    const odd = (await harness().load(await requestAs(t.db, admin, "/admin/mail?page=-4"))) as Awaited<ReturnType<typeof mailLoader>>;
    expect(odd.dead.offset).toBe(0);
  });

  test("the queue tables keep fresh statistics, so a health read stays on the pending and dead rows' partial indexes", async () => {
    // The planner chose a scan of every sent mail when its last statistics saw a young queue mostly pending.
    const rows = await t.db.execute<{ relname: string; reloptions: string[] }>(sql`
      select relname, reloptions from pg_class where relname in ('mail_outbox', 'outbox', 'webhook_deliveries') order by relname`);
    expect(rows.map((r) => r.relname)).toEqual(["mail_outbox", "outbox", "webhook_deliveries"]);
    for (const r of rows) expect(r.reloptions).toEqual(expect.arrayContaining(["autovacuum_analyze_scale_factor=0.01", "autovacuum_vacuum_scale_factor=0.02"]));
  });

  test("the summary sentence and its tone", () => {
    expect(mailSummary({ pending: 0, dead: 0, oldestPendingSeconds: 0 })).toEqual({ tone: "ok", text: "All mail has gone out." });
    expect(mailSummary({ pending: 3, dead: 0, oldestPendingSeconds: 4 })).toEqual({ tone: "busy", text: "3 mails waiting, the oldest for 4 seconds." });
    expect(mailSummary({ pending: 1, dead: 0, oldestPendingSeconds: 600 })).toEqual({ tone: "warning", text: "1 mail waiting, the oldest for 10 minutes." });
    expect(mailSummary({ pending: 0, dead: 2, oldestPendingSeconds: 0 })).toEqual({ tone: "failing", text: "Nothing is waiting. 2 mails could not be sent and wait for a retry." });
  });

  test("Retry puts one dead mail back in line and wakes the mailer; Retry all the rest", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const [one, two, three] = await mails(3, "dead");
    const listener = postgres(t.url, { max: 1, onnotice: () => {} });
    const woken = vi.fn();
    await listener.listen(MAIL_CHANNEL, woken);
    try {
      expect(await harness().act(await post(admin, { intent: "retry", id: String(two) }))).toEqual({ notice: "1 mail is back in line; the mailer sends it in a moment." });
      const rows = new Map((await t.db.select().from(mailOutbox)).map((r) => [r.id, r]));
      expect(rows.get(two!)).toMatchObject({ status: "pending", attempts: 0, lastError: null });
      expect(rows.get(one!)).toMatchObject({ status: "dead", attempts: 10 });
      await vi.waitFor(() => expect(woken).toHaveBeenCalled());

      expect(await harness().act(await post(admin, { intent: "retry-all" }))).toEqual({ notice: "2 mails are back in line; the mailer sends them in a moment." });
      const after = await t.db
        .select({ status: mailOutbox.status })
        .from(mailOutbox)
        .where(inArray(mailOutbox.id, [one!, three!]));
      expect(after.map((r) => r.status)).toEqual(["pending", "pending"]);
      expect(await harness().act(await post(admin, { intent: "retry", id: String(one) }))).toEqual({ notice: "Nothing to retry: those mails are no longer waiting for a retry." });
    } finally {
      await listener.end({ timeout: 5 });
    }
  });

  test("bad input is a 400, not a 500", async () => {
    const admin = await createUser(t.db, {}, "admin");
    for (const fields of [{ intent: "retry", id: "abc" }, { intent: "retry", id: "-1" }, { intent: "retry" }, { intent: "explode" }, {}] as Record<string, string>[]) {
      expect(await outcome(harness().act(await post(admin, fields)))).toBe("400");
    }
  });

  test("members, moderators, HR, customers and deactivated admins get what the other admin pages give them; nothing is retried", async () => {
    const [id] = await mails(1, "dead");
    const people = [
      await createUser(t.db),
      await createUser(t.db, {}, "moderator"),
      await createUser(t.db, {}, "hr"),
      await createUser(t.db, {}, "customer"),
      await createUser(t.db, {}, "admin", "deactivated"),
      null,
    ];
    for (const person of people) {
      const search = await outcome(harness().loadSearch(await requestAs(t.db, person, "/admin/search")));
      expect(search).not.toBe("page");
      expect(await outcome(harness().load(await requestAs(t.db, person, "/admin/mail")))).toBe(search);
      expect(await outcome(harness().act(await post(person, { intent: "retry-all" })))).toBe(search);
      expect(await outcome(harness().act(await post(person, { intent: "retry", id: String(id) })))).toBe(search);
    }
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.id, id!));
    expect(row).toMatchObject({ status: "dead", attempts: 10 });
  });
});

test("signed out: sent to sign in", async () => {
  const error = await thrown(harness().load(await requestAs(t.db, null, "/admin/mail")));
  expect(error instanceof Response && error.headers.get("Location")).toMatch(/^\/sign-in/);
});

import { eq, inArray } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { signIn } from "#app/features/auth/accounts.server.ts";
import { accountKey, checkSignInLimit, clientKey, pruneSignInAttempts, recordFailedSignIn } from "#app/features/auth/rate-limit.server.ts";
import { createSession, validateSessionToken } from "#app/features/auth/session.server.ts";
import { sessions, signInAttempts } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";

const t = setupTestDb();
const DAY = 86_400_000;
const MINUTE = 60_000;
const policy = { idleMs: 14 * DAY, maxMs: 60 * DAY };
const limits = { perAccount: 3, perClient: 5, windowMinutes: 15 };
let n = 0;
/** Each test signs in from its own address, so client counts do not leak between tests. */
const client = () => ({ address: `10.0.0.${++n}` });

describe("sign-in", () => {
  test("the right password signs in and starts a session", async () => {
    const user = await createUser(t.db);
    const result = await signIn(t.db, { email: ` ${user.email.toUpperCase()} `, password: DEFAULT_PASSWORD }, client(), { limits, policy });
    if (!result.ok) throw new Error(result.message);
    expect(result.user.id).toBe(user.id);
    expect((await validateSessionToken(t.db, result.token, { policy })).user?.id).toBe(user.id);
  });

  test("a wrong password, an unknown email and an SSO-only account get the same answer", async () => {
    const user = await createUser(t.db);
    const ssoOnly = await createUser(t.db, {}, "ssoOnly");
    const answers = await Promise.all([
      signIn(t.db, { email: user.email, password: "not the password" }, client(), { limits, policy }),
      signIn(t.db, { email: "nobody@northwind.example", password: DEFAULT_PASSWORD }, client(), { limits, policy }),
      signIn(t.db, { email: ssoOnly.email, password: DEFAULT_PASSWORD }, client(), { limits, policy }),
    ]);
    for (const answer of answers) {
      expect(answer).toEqual({ ok: false, reason: "wrong-credentials", status: 400, message: "Email or password is wrong" });
    }
  });

  test("a deactivated account is told so, but only with the right password", async () => {
    const user = await createUser(t.db, {}, "deactivated");
    const right = await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, client(), { limits, policy });
    expect(right).toMatchObject({ ok: false, reason: "deactivated", status: 403, message: "This account is deactivated. Ask an administrator." });
    const wrong = await signIn(t.db, { email: user.email, password: "a wrong guess here" }, client(), { limits, policy });
    expect(wrong).toMatchObject({ ok: false, reason: "wrong-credentials" });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });

  test("signing in rotates the session: the browser's previous token stops working", async () => {
    const user = await createUser(t.db);
    const planted = await createSession(t.db, user.id, { policy });
    const result = await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { ...client(), currentToken: planted.token }, { limits, policy });
    expect(result.ok).toBe(true);
    expect((await validateSessionToken(t.db, planted.token, { policy })).user).toBeNull();
  });
});

describe("sign-in rate limit", () => {
  test("per account: after N failures even the right password is refused, with the wait in minutes", async () => {
    const user = await createUser(t.db);
    const start = new Date("2026-03-01T09:00:00Z");
    for (let i = 0; i < limits.perAccount; i++) {
      const at = new Date(start.getTime() + i * MINUTE);
      const failed = await signIn(t.db, { email: user.email, password: "wrong password!" }, client(), { limits, policy, now: at });
      expect(failed).toMatchObject({ reason: "wrong-credentials" });
    }
    // Five minutes after the first failure, its 15-minute window has 10 minutes to run.
    const now = new Date(start.getTime() + 5 * MINUTE);
    const refused = await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, client(), { limits, policy, now });
    expect(refused).toEqual({ ok: false, reason: "rate-limited", status: 429, retryAfterMinutes: 10, message: "Too many sign-in attempts. Try again in 10 minutes." });
    // Refusals are not failures: they do not extend the lock.
    const rows = await t.db
      .select()
      .from(signInAttempts)
      .where(eq(signInAttempts.key, accountKey(user.email)));
    expect(rows).toHaveLength(limits.perAccount);
    // Once the oldest failure leaves the window, the right password works, and clears the account's count.
    const later = new Date(start.getTime() + 15 * MINUTE + 1);
    const ok = await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, client(), { limits, policy, now: later });
    expect(ok.ok).toBe(true);
    expect(
      await t.db
        .select()
        .from(signInAttempts)
        .where(eq(signInAttempts.key, accountKey(user.email))),
    ).toHaveLength(0);
  });

  test("per account: the email's case does not give a fresh count", async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < limits.perAccount; i++) {
      await signIn(t.db, { email: i % 2 ? user.email.toUpperCase() : user.email, password: "wrong password!" }, client(), { limits, policy });
    }
    const refused = await signIn(t.db, { email: user.email.toUpperCase(), password: DEFAULT_PASSWORD }, client(), { limits, policy });
    expect(refused).toMatchObject({ reason: "rate-limited", status: 429 });
    expect(refused.ok ? "" : refused.message).toMatch(/^Too many sign-in attempts\. Try again in (15|14) minutes\.$/);
  });

  test("per client: failures against many accounts lock that client out, not others", async () => {
    const from = client();
    const victims = await Promise.all(Array.from({ length: limits.perClient }, () => createUser(t.db)));
    for (const victim of victims) {
      expect(await signIn(t.db, { email: victim.email, password: "wrong password!" }, from, { limits, policy })).toMatchObject({ reason: "wrong-credentials" });
    }
    const fresh = await createUser(t.db);
    const refused = await signIn(t.db, { email: fresh.email, password: DEFAULT_PASSWORD }, from, { limits, policy });
    expect(refused).toMatchObject({ ok: false, reason: "rate-limited", status: 429 });
    const elsewhere = await signIn(t.db, { email: fresh.email, password: DEFAULT_PASSWORD }, client(), { limits, policy });
    expect(elsewhere.ok).toBe(true);
  });

  test("the wait is the later of the two limits", async () => {
    const now = new Date("2026-03-02T12:00:00Z");
    const keys = { email: "both@northwind.example", clientAddress: "10.9.9.9" };
    const tight = { perAccount: 1, perClient: 1, windowMinutes: 30 };
    await recordFailedSignIn(t.db, { ...keys, clientAddress: "10.9.9.8" }, { limits: tight, now: new Date(now.getTime() - 20 * MINUTE) });
    await recordFailedSignIn(t.db, { ...keys, email: "other@northwind.example" }, { limits: tight, now: new Date(now.getTime() - 2 * MINUTE) });
    expect(await checkSignInLimit(t.db, keys, { limits: tight, now })).toEqual({ limited: true, key: clientKey(keys.clientAddress), retryAfterMinutes: 28 });
  });

  test("attempts older than a day are pruned", async () => {
    const old = new Date(Date.now() - 2 * DAY);
    await recordFailedSignIn(t.db, { email: "old@northwind.example", clientAddress: "10.8.8.8" }, { limits, now: old });
    expect(await pruneSignInAttempts(t.db)).toBeGreaterThanOrEqual(2);
    const left = await t.db
      .select()
      .from(signInAttempts)
      .where(inArray(signInAttempts.key, [accountKey("old@northwind.example"), clientKey("10.8.8.8")]));
    expect(left).toHaveLength(0);
  });
});

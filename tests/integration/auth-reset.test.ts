import { asc, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { signIn, signUp } from "#app/features/auth/accounts.server.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { requestPasswordReset, resetPassword } from "#app/features/auth/password-reset.server.ts";
import { accountKey } from "#app/features/auth/rate-limit.server.ts";
import { createSession, sessionIdFromToken, validateSessionToken } from "#app/features/auth/session.server.ts";
import { action as forgotAction } from "#app/routes/auth/forgot-password.tsx";
import { action as resetAction, loader as resetLoader } from "#app/routes/auth/reset-password.tsx";
import { authTokens, mailOutbox, sessions, signInAttempts, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";
import { routeContext } from "#tests/helpers.ts";

const t = setupTestDb();
const HOUR = 3_600_000;
const NEW_PASSWORD = "lantern meadow quietly";
let n = 0;
const client = () => ({ clientAddress: `10.3.0.${++n}`, ssoLabel: null });

const mailsTo = (to: string) => t.db.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(asc(mailOutbox.id));
const linkToken = (text: string) => /\/reset-password\/([a-z2-7]{32})\b/.exec(text)?.[1] ?? "";

type Reply = { data?: Record<string, unknown>; init?: { status?: number } } & Record<string, unknown>;
const context = () => routeContext(t.db).context;
const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: "POST",
    headers: { origin: new URL(url).origin, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
const forgot = async (address: string, url = "http://localhost/forgot-password", headers: Record<string, string> = {}) => {
  const reply = (await forgotAction({ request: post(url, { email: address }, headers), context: context(), params: {} } as never)) as Reply;
  return "init" in reply ? { status: reply.init?.status ?? 200, body: reply.data } : { status: 200, body: reply as Record<string, unknown> };
};
const openLink = (token: string) =>
  resetLoader({ request: new Request(`http://localhost/reset-password/${token}`), params: { token }, context: context() } as never) as unknown as Promise<Reply>;
const submit = (token: string, newPassword: string) =>
  resetAction({ request: post(`http://localhost/reset-password/${token}`, { newPassword }), params: { token }, context: context() } as never);

async function outcome(promise: Promise<unknown>): Promise<Reply | Response> {
  return promise.then(
    (v) => v as Reply,
    (e: unknown) => {
      if (e instanceof Response) return e;
      throw e;
    },
  );
}

describe("forgot password", () => {
  test("the page answers the same whether or not the address has an account; only an account's owner gets a link", async () => {
    const user = await createUser(t.db);
    const gone = await createUser(t.db, {}, "deactivated");
    const unknown = `nobody.${Date.now()}@northwind.example`;
    const answers = [];
    for (const address of [user.email, unknown, gone.email]) {
      const reply = await forgot(address);
      answers.push({ status: reply.status, same: reply.body?.sent === address, keys: Object.keys(reply.body ?? {}) });
    }
    expect(answers).toEqual(Array.from({ length: 3 }, () => ({ status: 200, same: true, keys: ["sent"] })));
    expect(await mailsTo(unknown)).toHaveLength(0);
    expect(await mailsTo(gone.email)).toHaveLength(0);

    const [mail, ...more] = await mailsTo(user.email);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ template: "reset-password", userId: user.id, subject: "Commons: reset your password" });
    expect(mail!.text).toContain("You are receiving this because someone asked to reset the password of the Commons account with this address.");
    const token = linkToken(mail!.text);
    expect(mail!.text).toContain(appUrl(`/reset-password/${token}`));
    const [row] = await t.db.select().from(authTokens).where(eq(authTokens.userId, user.id));
    expect(row).toMatchObject({ purpose: "reset_password", tokenHash: sessionIdFromToken(token), usedAt: null });
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(HOUR);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(HOUR - 60_000);
  });

  test("a bad address comes back with a field message and what was typed", async () => {
    const reply = await forgot("not-an-address");
    expect(reply).toMatchObject({ status: 400, body: { fieldErrors: { email: "Enter a valid email address, like name@example.com" }, values: { email: "not-an-address" } } });
  });

  test("a forged Host header does not change the link (reset poisoning)", async () => {
    const user = await createUser(t.db);
    const reply = await forgot(user.email, "http://evil.example/forgot-password", { host: "evil.example", "x-forwarded-host": "evil.example" });
    expect(reply.status).toBe(200);
    const [mail] = await mailsTo(user.email);
    expect(mail!.text).not.toContain("evil.example");
    expect(mail!.html).not.toContain("evil.example");
    expect(mail!.text).toContain(appUrl(`/reset-password/${linkToken(mail!.text)}`));
  });

  test("an account that signs in only through SSO is told how to, and gets no link while SSO is configured", async () => {
    const ssoOnly = await createUser(t.db, {}, "ssoOnly");
    expect(await requestPasswordReset(t.db, ssoOnly.email, { ...client(), ssoLabel: "Northwind SSO" })).toEqual({ ok: true, sent: "sso" });
    const [mail] = await mailsTo(ssoOnly.email);
    expect(mail).toMatchObject({ template: "reset-password-sso" });
    expect(mail!.text).toContain("Your Commons account has no password: you sign in with Northwind SSO.");
    expect(await t.db.select().from(authTokens).where(eq(authTokens.userId, ssoOnly.id))).toHaveLength(0);
    // Without SSO configured, the mailbox is the only proof left: a link.
    expect(await requestPasswordReset(t.db, ssoOnly.email, client())).toEqual({ ok: true, sent: "reset" });
  });

  test("is rate-limited per address and per client, before anything is looked up", async () => {
    const user = await createUser(t.db);
    const limits = { perAddress: 2, perClient: 3, windowMinutes: 60 };
    const byAddress = [];
    for (let i = 0; i < 3; i++) byAddress.push(await requestPasswordReset(t.db, user.email, { clientAddress: `10.3.1.${i}`, limits, ssoLabel: null }));
    expect(byAddress.map((r) => (r.ok ? r.sent : r.status))).toEqual(["reset", "reset", 429]);
    expect(await mailsTo(user.email)).toHaveLength(2);
    // An unknown address counts the same, so the limit tells nothing either.
    const spray = [];
    for (let i = 0; i < 4; i++) spray.push(await requestPasswordReset(t.db, `x${i}.${Date.now()}@northwind.example`, { clientAddress: "10.3.2.1", limits, ssoLabel: null }));
    expect(spray.map((r) => (r.ok ? "ok" : r.message))).toEqual(["ok", "ok", "ok", "Too many requests for this address or from your network. Try again in 60 minutes."]);
  });
});

describe("the reset link", () => {
  async function linkFor(user: { email: string }) {
    await requestPasswordReset(t.db, user.email, client());
    return linkToken((await mailsTo(user.email)).at(-1)!.text);
  }

  test("sets the new password, revokes every session, and signs this browser in afresh; the link then stops working", async () => {
    const user = await createUser(t.db);
    const laptop = await createSession(t.db, user.id);
    const phone = await createSession(t.db, user.id);
    await t.db.insert(signInAttempts).values({ key: accountKey(user.email) });
    const token = await linkFor(user);

    expect(await openLink(token)).toMatchObject({ data: { email: user.email }, init: { status: 200 } });
    const response = await outcome(submit(token, NEW_PASSWORD));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).headers.get("location")).toBe("/");
    const cookie = /commons_session=([a-z2-7]{32})/.exec((response as Response).headers.get("set-cookie") ?? "")?.[1];
    expect((await validateSessionToken(t.db, cookie!)).user?.id).toBe(user.id);
    expect((await validateSessionToken(t.db, laptop.token)).user).toBeNull();
    expect((await validateSessionToken(t.db, phone.token)).user).toBeNull();
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    expect(
      await t.db
        .select()
        .from(signInAttempts)
        .where(eq(signInAttempts.key, accountKey(user.email))),
    ).toHaveLength(0);

    expect((await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address: "10.3.3.1" })).ok).toBe(false);
    expect((await signIn(t.db, { email: user.email, password: NEW_PASSWORD }, { address: "10.3.3.1" })).ok).toBe(true);

    // Used: a clear page with a way to ask again, and the password stays.
    expect(await openLink(token)).toMatchObject({ data: { email: null }, init: { status: 410 } });
    expect(await outcome(submit(token, "another new passphrase"))).toMatchObject({ init: { status: 410 }, data: { gone: true } });
    expect((await signIn(t.db, { email: user.email, password: NEW_PASSWORD }, { address: "10.3.3.2" })).ok).toBe(true);
  });

  test("a refused password comes back as a field message and leaves the link working", async () => {
    const user = await createUser(t.db);
    const token = await linkFor(user);
    expect(await outcome(submit(token, "short"))).toMatchObject({ init: { status: 400 }, data: { fieldErrors: { newPassword: "Use at least 12 characters" } } });
    expect(await outcome(submit(token, user.email.toUpperCase()))).toMatchObject({
      init: { status: 400 },
      data: { fieldErrors: { newPassword: "Your password cannot be your email address" } },
    });
    expect(await outcome(submit(token, NEW_PASSWORD))).toBeInstanceOf(Response);
  });

  test("expires after an hour, and only the latest link works", async () => {
    const user = await createUser(t.db);
    const first = await linkFor(user);
    const second = await linkFor(user);
    expect(await resetPassword(t.db, first, NEW_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await resetPassword(t.db, second, NEW_PASSWORD, {}, { now: new Date(Date.now() + HOUR + 60_000) })).toEqual({ ok: false, reason: "invalid" });
    expect((await resetPassword(t.db, second, NEW_PASSWORD, {}, { now: new Date(Date.now() + HOUR - 60_000) })).ok).toBe(true);
  });

  test("the same link posted twice at once resets once", async () => {
    const user = await createUser(t.db);
    const token = await linkFor(user);
    const results = await Promise.all([resetPassword(t.db, token, NEW_PASSWORD), resetPassword(t.db, token, "a different passphrase")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
  });

  test("a deactivated account's link (sent before) signs no one in and changes nothing", async () => {
    const user = await createUser(t.db);
    const token = await linkFor(user);
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id));
    expect(await openLink(token)).toMatchObject({ init: { status: 410 } });
    expect(await outcome(submit(token, NEW_PASSWORD))).toMatchObject({ init: { status: 403 }, data: { formError: "This account is deactivated. Ask an administrator." } });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.passwordHash).toBe(user.passwordHash);
  });

  test("a customer may reset too: their password is theirs; the app still shows them only what customers see", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const result = await resetPassword(t.db, await linkFor(customer), NEW_PASSWORD);
    expect(result.ok).toBe(true);
    expect((await signIn(t.db, { email: customer.email, password: NEW_PASSWORD }, { address: "10.3.4.1" })).ok).toBe(true);
  });

  test("a pending account's reset proves its address (the link came through its mailbox)", async () => {
    const address = `pending.reset.${Date.now()}@northwind.example`;
    await signUp(t.db, { name: "Forgetful", email: address, password: "first long passphrase" }, { allowedDomains: ["*"], clientAddress: "10.3.5.1" });
    const result = await resetPassword(t.db, await linkFor({ email: address }), NEW_PASSWORD);
    expect(result.ok).toBe(true);
    expect((await t.db.select().from(users).where(eq(users.email, address)))[0]!.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await signIn(t.db, { email: address, password: NEW_PASSWORD }, { address: "10.3.5.2" })).ok).toBe(true);
  });
});

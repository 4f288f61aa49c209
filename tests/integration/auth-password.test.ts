import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { changePassword, signIn, ssoReauthMessage } from "#app/features/auth/accounts.server.ts";
import { SSO_REAUTH_MINUTES } from "#app/features/auth/schemas.ts";
import { passwordCheckKey } from "#app/features/auth/rate-limit.server.ts";
import { createSession, SESSION_COOKIE, validateSessionToken } from "#app/features/auth/session.server.ts";
import { action as passwordAction, loader as passwordLoader } from "#app/routes/settings/password.tsx";
import { sessions, signInAttempts, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";
import { routeContext } from "#tests/helpers.ts";

const t = setupTestDb();
const DAY = 86_400_000;
const policy = { idleMs: 14 * DAY, maxMs: 60 * DAY };
const limits = { perAccount: 10, perClient: 100, windowMinutes: 15 };
const NEW_PASSWORD = "lantern meadow quietly";

describe("password change", () => {
  test("revokes every session, this one included, and hands back one fresh session", async () => {
    const user = await createUser(t.db);
    const here = await createSession(t.db, user.id, { policy });
    const laptop = await createSession(t.db, user.id, { policy });
    const result = await changePassword(t.db, user.id, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD }, { policy });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    expect((await validateSessionToken(t.db, here.token, { policy })).user).toBeNull();
    expect((await validateSessionToken(t.db, laptop.token, { policy })).user).toBeNull();
    expect((await validateSessionToken(t.db, result.token, { policy })).user?.id).toBe(user.id);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);

    const address = "10.1.0.1";
    expect(await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address }, { limits, policy })).toMatchObject({ reason: "wrong-credentials" });
    expect((await signIn(t.db, { email: user.email, password: NEW_PASSWORD }, { address }, { limits, policy })).ok).toBe(true);
  });

  test("a wrong or missing current password changes nothing", async () => {
    const user = await createUser(t.db);
    const here = await createSession(t.db, user.id, { policy });
    expect(await changePassword(t.db, user.id, { currentPassword: "not my password", newPassword: NEW_PASSWORD }, { policy })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { currentPassword: "That is not your current password" },
    });
    expect(await changePassword(t.db, user.id, { newPassword: NEW_PASSWORD }, { policy })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { currentPassword: "Enter your current password" },
    });
    expect((await validateSessionToken(t.db, here.token, { policy })).user?.id).toBe(user.id);
    expect((await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address: "10.1.0.2" }, { limits, policy })).ok).toBe(true);
  });

  test("the new password cannot be the email address", async () => {
    const user = await createUser(t.db);
    expect(await changePassword(t.db, user.id, { currentPassword: DEFAULT_PASSWORD, newPassword: user.email.toUpperCase() }, { policy })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { newPassword: "Your password cannot be your email address" },
    });
  });

  test("an SSO-only account sets a first password only within minutes of signing in through SSO", async () => {
    const user = await createUser(t.db, {}, "ssoOnly");
    const now = new Date();
    const minutesAgo = (m: number) => ({ ssoAuthenticatedAt: new Date(now.getTime() - m * 60_000) });
    // A session that never went through SSO (or did so long ago) is not enough to add a way in.
    for (const session of [null, { ssoAuthenticatedAt: null }, minutesAgo(SSO_REAUTH_MINUTES + 1)]) {
      const refused = await changePassword(t.db, user.id, { newPassword: NEW_PASSWORD }, { policy, session, ssoLabel: "Northwind SSO", now });
      expect(refused).toEqual({ ok: false, status: 403, fieldErrors: {}, formError: ssoReauthMessage("Northwind SSO") });
    }
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.passwordHash).toBeNull();
    expect(ssoReauthMessage("Northwind SSO")).toBe("To set a password, sign in again with Northwind SSO first: a password can be added only within 10 minutes of signing in with it.");

    const result = await changePassword(t.db, user.id, { newPassword: NEW_PASSWORD }, { policy, session: minutesAgo(SSO_REAUTH_MINUTES - 1), now });
    expect(result.ok).toBe(true);
    expect((await signIn(t.db, { email: user.email, password: NEW_PASSWORD }, { address: "10.1.0.3" }, { limits, policy })).ok).toBe(true);
  });

  test("the current-password check is rate-limited like sign-in: counted first, and then even the right one is refused", async () => {
    const user = await createUser(t.db);
    const tight = { perAccount: 3, perClient: 100, windowMinutes: 15 };
    for (let i = 0; i < tight.perAccount; i++) {
      const wrong = await changePassword(t.db, user.id, { currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD }, { policy, limits: tight, clientAddress: "10.1.1.1" });
      expect(wrong).toMatchObject({ ok: false, status: 400 });
    }
    const refused = await changePassword(t.db, user.id, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD }, { policy, limits: tight, clientAddress: "10.1.1.2" });
    expect(refused).toEqual({ ok: false, status: 429, fieldErrors: { currentPassword: "Too many sign-in attempts. Try again in 15 minutes." } });
    expect((await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address: "10.1.1.3" }, { limits, policy })).ok).toBe(true);
    // Past the window the right password works, and forgives the count.
    const later = new Date(Date.now() + 15 * 60_000 + 1000);
    const ok = await changePassword(t.db, user.id, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD }, { policy, limits: tight, clientAddress: "10.1.1.2", now: later });
    expect(ok.ok).toBe(true);
    expect(
      await t.db
        .select()
        .from(signInAttempts)
        .where(eq(signInAttempts.key, passwordCheckKey(user.id))),
    ).toHaveLength(0);
  });

  test("the settings page asks an SSO-only account to sign in again through SSO, and offers the button", async () => {
    const user = await createUser(t.db, {}, "ssoOnly");
    const { token } = await createSession(t.db, user.id, { policy });
    const request = new Request("http://localhost/settings/password", { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
    const page = (await passwordLoader({ request, context: routeContext(t.db).context, params: {} } as never)) as { mustSignInAgain: boolean; hasPassword: boolean };
    expect(page).toMatchObject({ hasPassword: false, mustSignInAgain: true });
    const post = new Request("http://localhost/settings/password", {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ newPassword: NEW_PASSWORD }),
    });
    const reply = (await passwordAction({ request: post, context: routeContext(t.db).context, params: {} } as never)) as { init?: { status?: number }; data?: { formError?: string } };
    expect(reply.init?.status).toBe(403);
    expect(reply.data?.formError).toMatch(/^To set a password, sign in again with /);

    // Signed in through SSO a moment ago: the form is there.
    const fresh = await createSession(t.db, user.id, { policy, ssoAuthenticatedAt: new Date() });
    const freshRequest = new Request("http://localhost/settings/password", { headers: { cookie: `${SESSION_COOKIE}=${fresh.token}` } });
    expect(await passwordLoader({ request: freshRequest, context: routeContext(t.db).context, params: {} } as never)).toMatchObject({ mustSignInAgain: false });
  });
});

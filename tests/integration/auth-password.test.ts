import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { changePassword, signIn } from "#app/features/auth/accounts.server.ts";
import { createSession, validateSessionToken } from "#app/features/auth/session.server.ts";
import { sessions } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";

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
      fieldErrors: { currentPassword: "That is not your current password" },
    });
    expect(await changePassword(t.db, user.id, { newPassword: NEW_PASSWORD }, { policy })).toEqual({
      ok: false,
      fieldErrors: { currentPassword: "Enter your current password" },
    });
    expect((await validateSessionToken(t.db, here.token, { policy })).user?.id).toBe(user.id);
    expect((await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address: "10.1.0.2" }, { limits, policy })).ok).toBe(true);
  });

  test("the new password cannot be the email address", async () => {
    const user = await createUser(t.db);
    expect(await changePassword(t.db, user.id, { currentPassword: DEFAULT_PASSWORD, newPassword: user.email.toUpperCase() }, { policy })).toEqual({
      ok: false,
      fieldErrors: { newPassword: "Your password cannot be your email address" },
    });
  });

  test("an SSO-only account sets a first password without a current one", async () => {
    const user = await createUser(t.db, {}, "ssoOnly");
    const result = await changePassword(t.db, user.id, { newPassword: NEW_PASSWORD }, { policy });
    expect(result.ok).toBe(true);
    expect((await signIn(t.db, { email: user.email, password: NEW_PASSWORD }, { address: "10.1.0.3" }, { limits, policy })).ok).toBe(true);
  });
});

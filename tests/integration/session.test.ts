import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { createSession, invalidateUserSessions, sessionIdFromToken, validateSessionToken } from "#app/features/auth/session.server.ts";
import { sessions, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";

const t = setupTestDb();
const DAY = 86_400_000;
const policy = { idleMs: 14 * DAY, maxMs: 60 * DAY };

describe("sessions", () => {
  test("only the SHA-256 of the token is stored", async () => {
    const user = await createUser(t.db);
    const { token, session } = await createSession(t.db, user.id, { policy });
    expect(session.id).toBe(sessionIdFromToken(token));
    expect(session.id).not.toContain(token);
    const rows = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows.map((r) => r.id)).toEqual([sessionIdFromToken(token)]);
  });

  test("idle expiry slides with use, inside the absolute lifetime", async () => {
    const user = await createUser(t.db);
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(t.db, user.id, { policy, now: start });
    // Used after 10 days: more than half the idle window passed, so it is extended.
    const day10 = new Date(start.getTime() + 10 * DAY);
    const used = await validateSessionToken(t.db, token, { policy, now: day10 });
    expect(used.fresh).toBe(true);
    expect(used.session?.expiresAt.getTime()).toBe(day10.getTime() + 14 * DAY);
    // Keep using it every 10 days: it still ends at the absolute lifetime.
    let now = day10;
    for (let i = 0; i < 4; i++) {
      now = new Date(now.getTime() + 10 * DAY);
      expect((await validateSessionToken(t.db, token, { policy, now })).user?.id).toBe(user.id);
    }
    const past = new Date(start.getTime() + 60 * DAY + 1);
    expect((await validateSessionToken(t.db, token, { policy, now: past })).session).toBeNull();
    expect(
      await t.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(token))),
    ).toHaveLength(0);
  });

  test("an idle session expires", async () => {
    const user = await createUser(t.db);
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(t.db, user.id, { policy, now: start });
    const later = new Date(start.getTime() + 15 * DAY);
    expect((await validateSessionToken(t.db, token, { policy, now: later })).user).toBeNull();
  });

  test("a deactivated user's sessions stop working", async () => {
    const user = await createUser(t.db);
    const { token } = await createSession(t.db, user.id, { policy });
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id));
    expect((await validateSessionToken(t.db, token, { policy })).user).toBeNull();
  });

  test("revoking all sessions can keep the current one", async () => {
    const user = await createUser(t.db);
    const a = await createSession(t.db, user.id, { policy });
    const b = await createSession(t.db, user.id, { policy });
    await invalidateUserSessions(t.db, user.id, { except: a.session.id });
    expect((await validateSessionToken(t.db, a.token, { policy })).user?.id).toBe(user.id);
    expect((await validateSessionToken(t.db, b.token, { policy })).user).toBeNull();
  });

  test("garbage tokens are rejected without a query error", async () => {
    expect((await validateSessionToken(t.db, "'; drop table users; --", { policy })).user).toBeNull();
  });
});

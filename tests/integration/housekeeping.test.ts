import { setTimeout as sleep } from "node:timers/promises";
import { eq, inArray } from "drizzle-orm";
import { pino } from "pino";
import { expect, test } from "vitest";
import { createSession } from "#app/features/auth/session.server.ts";
import { postViews, sessions, signInAttempts, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { startHousekeeping } from "../../server/housekeeping.ts";

const t = setupTestDb();
const DAY = 86_400_000;

test("housekeeping deletes expired sessions, old sign-in attempts, views past the counting hour and week-old pending accounts, and keeps the rest", async () => {
  const user = await createUser(t.db);
  const space = await createSpace(t.db);
  const questionId = await createQuestion(t.db, { author: user, space });
  const other = await createUser(t.db);
  await t.db.insert(postViews).values([
    { postId: questionId, userId: user.id, viewedAt: new Date(Date.now() - 2 * 3_600_000) },
    { postId: questionId, userId: other.id, viewedAt: new Date() },
  ]);
  const policy = { idleMs: 14 * DAY, maxMs: 60 * DAY };
  const expired = await createSession(t.db, user.id, { policy, now: new Date(Date.now() - 30 * DAY) });
  const live = await createSession(t.db, user.id, { policy });
  // Sign-ups nobody proved: a week-old one goes, yesterday's stays, and so does a proven account as old.
  const oldPending = await createUser(t.db, { emailVerifiedAt: null, createdAt: new Date(Date.now() - 8 * DAY), updatedAt: new Date(Date.now() - 8 * DAY) });
  const newPending = await createUser(t.db, { emailVerifiedAt: null, createdAt: new Date(Date.now() - DAY), updatedAt: new Date(Date.now() - DAY) });
  const oldProven = await createUser(t.db, { createdAt: new Date(Date.now() - 30 * DAY), updatedAt: new Date(Date.now() - 30 * DAY) });
  await t.db.insert(signInAttempts).values([
    { key: "account:old@northwind.example", attemptedAt: new Date(Date.now() - 2 * DAY) },
    { key: "account:new@northwind.example", attemptedAt: new Date() },
  ]);

  const stop = startHousekeeping(t.db, pino({ level: "silent" }), 50);
  try {
    for (let i = 0; i < 100; i++) {
      const sessionsLeft = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
      const attemptsLeft = await t.db.select({ key: signInAttempts.key }).from(signInAttempts);
      const viewsLeft = await t.db.select({ userId: postViews.userId }).from(postViews);
      const pendingLeft = await t.db.$count(users, eq(users.id, oldPending.id));
      if (sessionsLeft.length === 1 && attemptsLeft.length === 1 && viewsLeft.length === 1 && pendingLeft === 0) break;
      await sleep(20);
    }
  } finally {
    stop();
  }
  const left = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
  expect(left.map((s) => s.id)).toEqual([live.session.id]);
  expect(left.map((s) => s.id)).not.toContain(expired.session.id);
  const attempts = await t.db.select({ key: signInAttempts.key }).from(signInAttempts);
  expect(attempts.map((a) => a.key)).toEqual(["account:new@northwind.example"]);
  // The recent view stays, so a reload within the hour still does not count twice.
  expect((await t.db.select({ userId: postViews.userId }).from(postViews)).map((v) => v.userId)).toEqual([other.id]);
  const people = await t.db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.id, [oldPending.id, newPending.id, oldProven.id]));
  expect(people.map((p) => p.id).sort((a, b) => a - b)).toEqual([newPending.id, oldProven.id].sort((a, b) => a - b));
});

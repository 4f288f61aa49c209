import { describe, expect, test } from "vitest";
import { flagItem, moderationSummary } from "#app/features/moderation/flags.server.ts";
import { unreadCount } from "#app/features/notifications/inbox.server.ts";
import { shellCounts } from "#app/features/shell/counts.server.ts";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { storedPost } from "#tests/helpers.ts";

const t = setupTestDb();
const counted = countingDb(t);

describe("the page shell's counts", () => {
  test("one statement gives what unreadCount and moderationSummary give, for every kind of person", async () => {
    const moderator = await createUser(t.db);
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const member = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const admin = await createUser(t.db, {}, "admin");
    const space = await createSpace(t.db, { moderators: [moderator] });
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    await flagItem(t.db, member, (await storedPost(t.db, answerId)).itemId, { reason: "spam", details: "" });

    const askerCounts = await shellCounts(t.db, asker);
    expect(askerCounts.unread).toBeGreaterThan(0);
    expect(askerCounts.moderation).toBeNull();
    expect((await shellCounts(t.db, moderator)).moderation).toEqual({ pending: 1 });
    expect((await shellCounts(t.db, customer)).unread).toBe(0);

    for (const person of [moderator, asker, answerer, member, customer, admin]) {
      expect(await shellCounts(t.db, person), person.email).toEqual({
        unread: person.kind === "employee" ? await unreadCount(t.db, person) : 0,
        moderation: await moderationSummary(t.db, person),
      });
    }

    counted.queries = 0;
    await shellCounts(counted.db, moderator);
    expect(counted.queries).toBe(1);
  });
});

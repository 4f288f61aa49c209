import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { posts } from "#db/schema/index.ts";
import { closeQuestion, duplicateLinks, reopenQuestion } from "#app/features/qa/close.server.ts";
import { CloseSchema, questionIdFromReference } from "#app/features/qa/close-schema.ts";
import { DEFAULT_REPUTATION_RULES, saveReputationRules } from "#app/features/reputation/rules.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { parseForm } from "#app/lib/forms.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, storedPost } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

const CLOSER_REPUTATION = DEFAULT_REPUTATION_RULES.thresholds.close;

describe("who may close and reopen", () => {
  test("moderators of the space and people over the threshold may; others get a 403, and nothing changes", async () => {
    const asker = await createUser(t.db);
    const newcomer = await createUser(t.db, { reputation: CLOSER_REPUTATION - 1 });
    const experienced = await createUser(t.db, { reputation: CLOSER_REPUTATION });
    const spaceModerator = await createUser(t.db);
    const otherSpaceModerator = await createUser(t.db);
    const siteModerator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db, { moderators: [spaceModerator] });
    await createSpace(t.db, { moderators: [otherSpaceModerator] });

    for (const refused of [asker, newcomer, otherSpaceModerator]) {
      const id = await createQuestion(t.db, { author: asker, space });
      await expect(closeQuestion(t.db, refused, id, { reason: "off_topic" })).rejects.toThrow(ForbiddenError);
      expect((await storedPost(t.db, id)).closedAt).toBeNull();
    }
    for (const allowed of [experienced, spaceModerator, siteModerator]) {
      const id = await createQuestion(t.db, { author: asker, space });
      await closeQuestion(t.db, allowed, id, { reason: "unclear", note: "  Which office?  " });
      const closed = await storedPost(t.db, id);
      expect(closed).toMatchObject({ closedById: allowed.id, closeReason: "unclear", closeNote: "Which office?", duplicateOfId: null });
      expect(closed.closedAt).toBeInstanceOf(Date);
      await expect(reopenQuestion(t.db, newcomer, id)).rejects.toThrow(ForbiddenError);
      await reopenQuestion(t.db, allowed, id);
      expect(await storedPost(t.db, id)).toMatchObject({ closedAt: null, closedById: null, closeReason: null, closeNote: "", duplicateOfId: null });
    }
  });

  test("the threshold is the configured one", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db, { reputation: 30 });
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: admin, space });
    await expect(closeQuestion(t.db, member, id, { reason: "resolved" })).rejects.toThrow(ForbiddenError);
    await saveReputationRules(t.db, admin, { ...DEFAULT_REPUTATION_RULES, thresholds: { ...DEFAULT_REPUTATION_RULES.thresholds, close: 30 } });
    try {
      await closeQuestion(t.db, member, id, { reason: "resolved" });
      expect((await storedPost(t.db, id)).closeReason).toBe("resolved");
    } finally {
      await saveReputationRules(t.db, admin, DEFAULT_REPUTATION_RULES);
    }
  });

  test("a hidden, deleted or missing question, or an answer, answers 404 even to a moderator elsewhere", async () => {
    const member = await createUser(t.db);
    const closer = await createUser(t.db, { reputation: 10_000 });
    const restricted = await createSpace(t.db, { members: [member] }, "restricted");
    const open = await createSpace(t.db);
    const hidden = await createQuestion(t.db, { author: member, space: restricted });
    const deleted = await createQuestion(t.db, { author: member, space: open });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
    const answer = await createAnswer(t.db, { author: member, questionId: await createQuestion(t.db, { author: member, space: open }) });
    for (const id of [hidden, deleted, answer, 2_000_000]) {
      await expect(closeQuestion(t.db, closer, id, { reason: "off_topic" })).rejects.toThrow(NotFoundError);
    }
    expect((await storedPost(t.db, hidden)).closedAt).toBeNull();
  });

  test("closing a closed question, or reopening an open one, says so", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: moderator, space });
    expect((await rejects(reopenQuestion(t.db, moderator, id))).formError).toMatch(/already open/);
    await closeQuestion(t.db, moderator, id, { reason: "resolved" });
    expect((await rejects(closeQuestion(t.db, moderator, id, { reason: "off_topic" }))).formError).toMatch(/already closed/);
    expect((await storedPost(t.db, id)).closeReason).toBe("resolved");
  });

  test("closing and reopening move the question's last activity", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: moderator, space });
    const long = new Date("2020-01-01T00:00:00Z");
    await t.db.update(posts).set({ lastActivityAt: long }).where(eq(posts.id, id));
    await closeQuestion(t.db, moderator, id, { reason: "resolved" });
    expect((await storedPost(t.db, id)).lastActivityAt.getTime()).toBeGreaterThan(long.getTime());
    await t.db.update(posts).set({ lastActivityAt: long }).where(eq(posts.id, id));
    await reopenQuestion(t.db, moderator, id);
    expect((await storedPost(t.db, id)).lastActivityAt.getTime()).toBeGreaterThan(long.getTime());
  });
});

describe("duplicates", () => {
  test("a duplicate must name another live question the closer can see", async () => {
    const closer = await createUser(t.db, { reputation: 10_000 });
    const member = await createUser(t.db);
    const open = await createSpace(t.db);
    const restricted = await createSpace(t.db, { members: [member] }, "restricted");
    const id = await createQuestion(t.db, { author: member, space: open });
    const hidden = await createQuestion(t.db, { author: member, space: restricted });
    const deleted = await createQuestion(t.db, { author: member, space: open });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
    const answer = await createAnswer(t.db, { author: member, questionId: await createQuestion(t.db, { author: member, space: open }) });

    const self = await rejects(closeQuestion(t.db, closer, id, { reason: "duplicate", duplicateOfId: id }));
    expect(self.fieldErrors.duplicateOf).toMatch(/itself/);
    const missing = await rejects(closeQuestion(t.db, closer, id, { reason: "duplicate", duplicateOfId: 2_000_000 }));
    expect(missing.fieldErrors.duplicateOf).toBe("There is no question number 2000000 that you can see.");
    // A question in a space the closer cannot see reads exactly like one that does not exist.
    const invisible = await rejects(closeQuestion(t.db, closer, id, { reason: "duplicate", duplicateOfId: hidden }));
    expect(invisible.fieldErrors.duplicateOf).toBe(`There is no question number ${hidden} that you can see.`);
    for (const target of [deleted, answer]) {
      const error = await rejects(closeQuestion(t.db, closer, id, { reason: "duplicate", duplicateOfId: target }));
      expect(error.fieldErrors.duplicateOf).toMatch(/no question number/);
    }
    const none = await rejects(closeQuestion(t.db, closer, id, { reason: "duplicate" }));
    expect(none.fieldErrors.duplicateOf).toMatch(/Give the link/);
    expect((await storedPost(t.db, id)).closedAt).toBeNull();
  });

  test("a loop is refused, also through a longer chain", async () => {
    const closer = await createUser(t.db, { reputation: 10_000 });
    const space = await createSpace(t.db);
    const [a, b, c] = [await createQuestion(t.db, { author: closer, space }), await createQuestion(t.db, { author: closer, space }), await createQuestion(t.db, { author: closer, space })];
    await closeQuestion(t.db, closer, a, { reason: "duplicate", duplicateOfId: b });
    const loop = await rejects(closeQuestion(t.db, closer, b, { reason: "duplicate", duplicateOfId: a }));
    expect(loop.fieldErrors.duplicateOf).toMatch(/loop/);
    await closeQuestion(t.db, closer, b, { reason: "duplicate", duplicateOfId: c });
    const longer = await rejects(closeQuestion(t.db, closer, c, { reason: "duplicate", duplicateOfId: a }));
    expect(longer.fieldErrors.duplicateOf).toMatch(/loop/);
    expect((await storedPost(t.db, c)).closedAt).toBeNull();
    // Closing for another reason is still fine.
    await closeQuestion(t.db, closer, c, { reason: "resolved" });
  });

  test("two closes that would make a loop, at the same time: one wins", async () => {
    const closer = await createUser(t.db, { reputation: 10_000 });
    const space = await createSpace(t.db);
    const a = await createQuestion(t.db, { author: closer, space });
    const b = await createQuestion(t.db, { author: closer, space });
    const results = await Promise.allSettled([
      closeQuestion(t.db, closer, a, { reason: "duplicate", duplicateOfId: b }),
      closeQuestion(t.db, closer, b, { reason: "duplicate", duplicateOfId: a }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected");
    expect(failure?.status === "rejected" && failure.reason).toBeInstanceOf(InputError);
    const rows = [await storedPost(t.db, a), await storedPost(t.db, b)];
    expect(rows.filter((r) => r.duplicateOfId !== null)).toHaveLength(1);
  });

  test("the link shows both ways, to those who may see each side", async () => {
    const member = await createUser(t.db, { reputation: 10_000 });
    const outsider = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const open = await createSpace(t.db);
    const restricted = await createSpace(t.db, { members: [member] }, "restricted");
    const original = await createQuestion(t.db, { author: member, space: open, title: "How do I book a meeting room?" });
    const openDuplicate = await createQuestion(t.db, { author: member, space: open, title: "Booking rooms for meetings, how?" });
    const hiddenDuplicate = await createQuestion(t.db, { author: member, space: restricted, title: "Room booking for the security review" });
    const deletedDuplicate = await createQuestion(t.db, { author: member, space: open });
    await closeQuestion(t.db, moderator, openDuplicate, { reason: "duplicate", duplicateOfId: original, note: "Same question." });
    // The site moderator is not a member of the restricted space: its member closes that one.
    await closeQuestion(t.db, member, hiddenDuplicate, { reason: "duplicate", duplicateOfId: original });
    await closeQuestion(t.db, moderator, deletedDuplicate, { reason: "duplicate", duplicateOfId: original });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deletedDuplicate));

    const forMember = await duplicateLinks(t.db, member, original);
    expect(forMember.duplicates.map((d) => d.id).sort()).toEqual([openDuplicate, hiddenDuplicate].sort());
    expect(forMember.closed).toBeNull();
    expect(forMember.canClose).toBe(true);

    const forOutsider = await duplicateLinks(t.db, outsider, original);
    expect(forOutsider.duplicates).toEqual([{ id: openDuplicate, title: "Booking rooms for meetings, how?" }]);
    expect(forOutsider.canClose).toBe(false);

    const fromDuplicate = await duplicateLinks(t.db, outsider, openDuplicate);
    expect(fromDuplicate.original).toEqual({ id: original, title: "How do I book a meeting room?" });
    expect(fromDuplicate.originalHidden).toBe(false);
    expect(fromDuplicate.closed).toMatchObject({ reason: "duplicate", note: "Same question.", by: { id: moderator.id, name: moderator.name } });
  });

  test("a duplicate of a question in a space the reader cannot see says so, without the link", async () => {
    const member = await createUser(t.db, { reputation: 10_000 });
    const outsider = await createUser(t.db);
    const open = await createSpace(t.db);
    const restricted = await createSpace(t.db, { members: [member] }, "restricted");
    const secret = await createQuestion(t.db, { author: member, space: restricted, title: "The secret original question" });
    const id = await createQuestion(t.db, { author: member, space: open });
    await closeQuestion(t.db, member, id, { reason: "duplicate", duplicateOfId: secret });

    const forOutsider = await duplicateLinks(t.db, outsider, id);
    expect(forOutsider.original).toBeNull();
    expect(forOutsider.originalHidden).toBe(true);
    expect(forOutsider.closed?.reason).toBe("duplicate");
    expect(JSON.stringify(forOutsider)).not.toContain("secret original");
    const forMember = await duplicateLinks(t.db, member, id);
    expect(forMember.original).toEqual({ id: secret, title: "The secret original question" });
    expect(forMember.originalHidden).toBe(false);
    // And the outsider cannot read the links of the hidden question itself.
    await expect(duplicateLinks(t.db, outsider, secret)).rejects.toThrow(NotFoundError);
  });

  test("reopening a duplicate removes the link both ways", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const original = await createQuestion(t.db, { author: moderator, space });
    const id = await createQuestion(t.db, { author: moderator, space });
    await closeQuestion(t.db, moderator, id, { reason: "duplicate", duplicateOfId: original });
    expect((await duplicateLinks(t.db, moderator, original)).duplicates).toHaveLength(1);
    await reopenQuestion(t.db, moderator, id);
    expect((await duplicateLinks(t.db, moderator, original)).duplicates).toHaveLength(0);
    const links = await duplicateLinks(t.db, moderator, id);
    expect(links).toMatchObject({ closed: null, original: null, originalHidden: false });
  });
});

describe("the close form", () => {
  test("a question link or number names the original", () => {
    expect(questionIdFromReference("42")).toBe(42);
    expect(questionIdFromReference(" #42 ")).toBe(42);
    expect(questionIdFromReference("https://commons.example/questions/42/how-to-book")).toBe(42);
    expect(questionIdFromReference("/questions/42#answer-7")).toBe(42);
    expect(questionIdFromReference("https://commons.example/spaces/42")).toBeNull();
    expect(questionIdFromReference("99999999999")).toBeNull();
    expect(questionIdFromReference("forty-two")).toBeNull();
  });

  test("a duplicate needs its original; other reasons ignore the field", () => {
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.set(k, v);
      return parseForm(CloseSchema, data);
    };
    const missing = form({ reason: "duplicate", duplicateOf: "", note: "" });
    expect(missing.ok === false && missing.fieldErrors.duplicateOf).toMatch(/Give the link/);
    const garbled = form({ reason: "duplicate", duplicateOf: "the other one", note: "kept" });
    expect(garbled.ok === false && garbled.fieldErrors.duplicateOf).toMatch(/not a question link/);
    expect(garbled.values.note).toBe("kept");
    const ok = form({ reason: "duplicate", duplicateOf: "https://x.example/questions/7/slug", note: "  see there " });
    expect(ok.ok && ok.data).toEqual({ reason: "duplicate", duplicateOfId: 7, note: "see there" });
    const other = form({ reason: "off_topic", duplicateOf: "nonsense" });
    expect(other.ok && other.data).toEqual({ reason: "off_topic", duplicateOfId: null, note: "" });
    const noReason = form({});
    expect(noReason.ok === false && noReason.fieldErrors.reason).toMatch(/Choose why/);
  });
});

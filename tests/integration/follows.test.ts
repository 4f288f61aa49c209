import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { posts, questionFollows, spaceMembers, tagFollows, tags } from "#db/schema/index.ts";
import { followQuestion, followState, followTag, unfollowQuestion, unfollowTag } from "#app/features/notifications/follows.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();
const notFound = { init: { status: 404 } };

describe("following questions", () => {
  test("askers and answerers follow from the start; others follow and unfollow, idempotently", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    await createAnswer(t.db, { author: answerer, questionId });
    expect((await followState(t.db, asker.id, { questionId })).question).toBe(true);
    expect((await followState(t.db, answerer.id, { questionId })).question).toBe(true);
    expect((await followState(t.db, reader.id, { questionId })).question).toBe(false);

    await followQuestion(t.db, reader, questionId);
    await followQuestion(t.db, reader, questionId);
    expect(await t.db.select().from(questionFollows).where(eq(questionFollows.userId, reader.id))).toHaveLength(1);
    expect(await followState(t.db, reader.id, { questionId })).toEqual({ question: true, tag: false });

    await unfollowQuestion(t.db, reader, questionId);
    await unfollowQuestion(t.db, reader, questionId);
    expect((await followState(t.db, reader.id, { questionId })).question).toBe(false);
    // The asker's own follow is untouched by someone else's unfollow.
    expect((await followState(t.db, asker.id, { questionId })).question).toBe(true);
  });

  test("hidden, deleted, missing questions and answers answer 404", async () => {
    const asker = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [asker] }, "restricted");
    const open = await createSpace(t.db);
    const hidden = await createQuestion(t.db, { author: asker, space: secret });
    const deleted = await createQuestion(t.db, { author: asker, space: open });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
    const live = await createQuestion(t.db, { author: asker, space: open });
    const answerId = await createAnswer(t.db, { author: asker, questionId: live });
    for (const id of [hidden, deleted, answerId, 999_999, -1]) {
      await expect(followQuestion(t.db, outsider, id)).rejects.toMatchObject(notFound);
      await expect(unfollowQuestion(t.db, outsider, id)).rejects.toMatchObject(notFound);
    }
    expect(await t.db.select().from(questionFollows).where(eq(questionFollows.userId, outsider.id))).toHaveLength(0);
  });
});

describe("following tags", () => {
  test("a tag used in a visible space can be followed and unfollowed", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: asker, space, tags: ["terraform"] });
    expect((await followState(t.db, reader.id, { tagName: "terraform" })).tag).toBe(false);
    await followTag(t.db, reader, "terraform");
    await followTag(t.db, reader, "terraform");
    expect(await followState(t.db, reader.id, { tagName: "terraform" })).toEqual({ question: false, tag: true });
    await unfollowTag(t.db, reader, "terraform");
    expect((await followState(t.db, reader.id, { tagName: "terraform" })).tag).toBe(false);
  });

  test("a tag only used in a restricted space, or not used anywhere, or missing, answers 404 to outsiders", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    await createQuestion(t.db, { author: member, space: secret, tags: ["secret-project"] });
    await createTags(t.db, ["never-used"]);
    for (const name of ["secret-project", "never-used", "no-such-tag", ""]) {
      await expect(followTag(t.db, outsider, name)).rejects.toMatchObject(notFound);
      await expect(unfollowTag(t.db, outsider, name)).rejects.toMatchObject(notFound);
    }
    // The member sees it, and follows it; losing the membership hides it again.
    await followTag(t.db, member, "secret-project");
    const [tag] = await t.db.select().from(tags).where(eq(tags.name, "secret-project"));
    expect(await t.db.select().from(tagFollows).where(and(eq(tagFollows.userId, member.id), eq(tagFollows.tagId, tag!.id)))).toHaveLength(1);
    await t.db.delete(spaceMembers).where(eq(spaceMembers.userId, member.id));
    await expect(followTag(t.db, member, "secret-project")).rejects.toMatchObject(notFound);
  });

  test("customers and deactivated people follow nothing", async () => {
    const asker = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, tags: ["billing"] });
    for (const who of [customer, gone]) {
      await expect(followQuestion(t.db, who, questionId)).rejects.toMatchObject(notFound);
      await expect(followTag(t.db, who, "billing")).rejects.toMatchObject(notFound);
    }
  });
});

import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { follows, posts, spaceMembers, tags } from "#db/schema/index.ts";
import { followState as followStateOf, setFollowing } from "#app/features/social/follows.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { action as followItemAction } from "#app/routes/items/follow.ts";
import { action as followTagAction } from "#app/routes/tags/follow.ts";
import { setupTestDb } from "#tests/db.ts";
import { routeContext, storedPost, postAs } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import "#app/features/social/kinds.server.ts";

const t = setupTestDb();

/**
 * Following goes through the social layer: items (a question, an idea) and tags share one table
 * and one protocol. These name questions by their post id, as the pages do.
 */
async function itemOf(postId: number): Promise<number> {
  // Ids that are no post (missing, negative) stay as they are: the layer answers them 404.
  return postId > 0 && postId < 2_000_000_000 ? ((await storedPost(t.db, postId))?.itemId ?? postId) : postId;
}
const followQuestion = async (db: typeof t.db, actor: Actor, questionId: number) => setFollowing(db, actor, { itemId: await itemOf(questionId) }, true);
const unfollowQuestion = async (db: typeof t.db, actor: Actor, questionId: number) => setFollowing(db, actor, { itemId: await itemOf(questionId) }, false);
const followTag = (db: typeof t.db, actor: Actor, tagName: string) => setFollowing(db, actor, { tagName }, true);
const unfollowTag = (db: typeof t.db, actor: Actor, tagName: string) => setFollowing(db, actor, { tagName }, false);
async function followState(db: typeof t.db, actorId: number, target: { questionId?: number; tagName?: string }) {
  const state = await followStateOf(db, actorId, {
    ...(target.questionId ? { itemId: await itemOf(target.questionId) } : {}),
    ...(target.tagName !== undefined ? { tagName: target.tagName } : {}),
  });
  return { question: state.item, tag: state.tag };
}

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
    expect(await t.db.select().from(follows).where(eq(follows.userId, reader.id))).toHaveLength(1);
    expect(await followState(t.db, reader.id, { questionId })).toEqual({ question: true, tag: false });

    await unfollowQuestion(t.db, reader, questionId);
    await unfollowQuestion(t.db, reader, questionId);
    expect((await followState(t.db, reader.id, { questionId })).question).toBe(false);
    // The asker's own follow is untouched by someone else's unfollow.
    expect((await followState(t.db, asker.id, { questionId })).question).toBe(true);
  });

  test("hidden, deleted and missing questions answer 404; an answer is followed through its question (403)", async () => {
    const asker = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [asker] }, "restricted");
    const open = await createSpace(t.db);
    const hidden = await createQuestion(t.db, { author: asker, space: secret });
    const deleted = await createQuestion(t.db, { author: asker, space: open });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
    const live = await createQuestion(t.db, { author: asker, space: open });
    const answerId = await createAnswer(t.db, { author: asker, questionId: live });
    for (const id of [hidden, deleted, 999_999, -1]) {
      await expect(followQuestion(t.db, outsider, id)).rejects.toThrow(NotFoundError);
      await expect(unfollowQuestion(t.db, outsider, id)).rejects.toThrow(NotFoundError);
    }
    // The answer is seen (an open space), but its kind is not followed: its question is.
    await expect(followQuestion(t.db, outsider, answerId)).rejects.toThrow(ForbiddenError);
    expect(await t.db.select().from(follows).where(eq(follows.userId, outsider.id))).toHaveLength(0);
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
      await expect(followTag(t.db, outsider, name)).rejects.toThrow(NotFoundError);
      await expect(unfollowTag(t.db, outsider, name)).rejects.toThrow(NotFoundError);
    }
    // The member sees it, and follows it; losing the membership hides it again.
    await followTag(t.db, member, "secret-project");
    const [tag] = await t.db.select().from(tags).where(eq(tags.name, "secret-project"));
    expect(
      await t.db
        .select()
        .from(follows)
        .where(and(eq(follows.userId, member.id), eq(follows.tagId, tag!.id))),
    ).toHaveLength(1);
    await t.db.delete(spaceMembers).where(eq(spaceMembers.userId, member.id));
    await expect(followTag(t.db, member, "secret-project")).rejects.toThrow(NotFoundError);
  });

  test("customers and deactivated people follow nothing", async () => {
    const asker = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, tags: ["billing"] });
    for (const who of [customer, gone]) {
      await expect(followQuestion(t.db, who, questionId)).rejects.toThrow(NotFoundError);
      await expect(followTag(t.db, who, "billing")).rejects.toThrow(NotFoundError);
    }
  });
});

describe("the one follow route", () => {
  const post = (user: { id: number }, path: string, fields: Record<string, string>) => postAs(t.db, user, path, fields);

  test("POST /items/:itemId/follow follows a question or an idea: JSON for a fetcher, a redirect back for a plain form", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const { itemId } = await storedPost(t.db, questionId);
    const call = async (fields: Record<string, string>, id = itemId) =>
      followItemAction({ request: await post(reader, `/items/${id}/follow`, fields), context: routeContext(t.db).context, params: { itemId: String(id) } } as never);
    expect(await call({ intent: "follow" })).toEqual({ following: true });
    expect((await followState(t.db, reader.id, { questionId })).question).toBe(true);
    const back = await call({ intent: "unfollow", redirectTo: `/questions/${questionId}` }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(back).toBeInstanceOf(Response);
    expect((back as Response).headers.get("location")).toBe(`/questions/${questionId}`);
    expect((await followState(t.db, reader.id, { questionId })).question).toBe(false);

    const sponsor = await createUser(t.db, {}, "moderator");
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const ideaItem = await ideaItemId(t.db, await createIdea(t.db, { author: asker, campaignId }));
    expect(await call({ intent: "follow" }, ideaItem)).toEqual({ following: true });
    expect(
      await t.db
        .select()
        .from(follows)
        .where(and(eq(follows.userId, reader.id), eq(follows.itemId, ideaItem))),
    ).toHaveLength(1);
  });

  test("POST /tags/:name/follow speaks the same protocol", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: asker, space, tags: ["kafka"] });
    const result = await followTagAction({
      request: await post(reader, "/tags/kafka/follow", { intent: "follow" }),
      context: routeContext(t.db).context,
      params: { name: "kafka" },
    } as never);
    expect(result).toEqual({ following: true });
    expect((await followState(t.db, reader.id, { tagName: "kafka" })).tag).toBe(true);
  });
});

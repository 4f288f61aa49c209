import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, flags, posts, spaceTags, tags } from "#db/schema/index.ts";
import { QUEUE_PAGE_SIZE, flagComment, flagPost, moderationQueue, moderationSummary, resolveFlags } from "#app/features/moderation/flags.server.ts";
import { FlagSchema } from "#app/features/moderation/flag-schema.ts";
import { closeQuestion } from "#app/features/qa/close.server.ts";
import { loadPost } from "#app/features/qa/access.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { parseForm } from "#app/lib/forms.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, storedPost } from "#tests/helpers.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

const spam = { reason: "spam" as const, details: "" };

async function flagsOn(target: { postId: number } | { commentId: number }) {
  return t.db
    .select()
    .from(flags)
    .where("postId" in target ? eq(flags.postId, target.postId) : eq(flags.commentId, target.commentId));
}

/** A space with a question, an answer and a comment on the answer, by three people. */
async function thread(spaceTraits: { restricted?: boolean; members?: Array<{ id: number }>; moderators?: Array<{ id: number }> } = {}) {
  const asker = await createUser(t.db);
  const answerer = await createUser(t.db);
  const commenter = await createUser(t.db);
  const people = [asker, answerer, commenter];
  const space = spaceTraits.restricted
    ? await createSpace(t.db, { members: [...people, ...(spaceTraits.members ?? [])], moderators: spaceTraits.moderators ?? [] }, "restricted")
    : await createSpace(t.db, { members: spaceTraits.members ?? [], moderators: spaceTraits.moderators ?? [] });
  const questionId = await createQuestion(t.db, { author: asker, space, tags: ["flag-test"] });
  const answerId = await createAnswer(t.db, { author: answerer, questionId });
  const commentId = await createComment(t.db, { author: commenter, postId: answerId, body: "Buy cheap watches at example.com" });
  return { space, asker, answerer, commenter, questionId, answerId, commentId };
}

describe("flagging", () => {
  test("anyone who sees a post may flag it once while pending; again after it was handled", async () => {
    const reporter = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const { answerId, questionId, space } = await thread();
    const result = await flagPost(t.db, reporter, answerId, { reason: "rude", details: "  Insulting  " });
    expect(result).toMatchObject({ question: { id: questionId }, anchor: `answer-${answerId}` });
    const [flag] = await flagsOn({ postId: answerId });
    expect(flag).toMatchObject({ reporterId: reporter.id, reason: "rude", details: "Insulting", status: "pending", spaceId: space.id });

    const repeat = await rejects(flagPost(t.db, reporter, answerId, spam));
    expect(repeat.formError).toBe("You already flagged this. A moderator will look at it soon.");
    expect(await flagsOn({ postId: answerId })).toHaveLength(1);

    await resolveFlags(t.db, moderator, { postId: answerId }, { action: "dismiss", resolution: "" });
    await flagPost(t.db, reporter, answerId, spam);
    expect((await flagsOn({ postId: answerId })).map((f) => f.status).sort()).toEqual(["dismissed", "pending"]);
  });

  test("the same person flagging the same post many times at once leaves one flag", async () => {
    const reporter = await createUser(t.db);
    const { answerId } = await thread();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => flagPost(t.db, reporter, answerId, spam)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(InputError);
    expect(await flagsOn({ postId: answerId })).toHaveLength(1);
  });

  test("your own post or comment cannot be flagged", async () => {
    const { asker, answerer, commenter, questionId, answerId, commentId } = await thread();
    expect((await rejects(flagPost(t.db, asker, questionId, spam))).formError).toMatch(/own question/);
    expect((await rejects(flagPost(t.db, answerer, answerId, spam))).formError).toMatch(/own answer/);
    expect((await rejects(flagComment(t.db, commenter, commentId, spam))).formError).toMatch(/own comment/);
    expect(await t.db.select().from(flags).where(eq(flags.postId, questionId))).toHaveLength(0);
  });

  test("“needs a moderator” needs 10 to 500 characters of details", async () => {
    const reporter = await createUser(t.db);
    const { answerId } = await thread();
    const short = await rejects(flagPost(t.db, reporter, answerId, { reason: "needs_moderator", details: "  look    " }));
    expect(short.fieldErrors.details).toMatch(/at least 10/);
    const long = await rejects(flagPost(t.db, reporter, answerId, { reason: "needs_moderator", details: "x".repeat(501) }));
    expect(long.fieldErrors.details).toMatch(/500/);
    expect(await flagsOn({ postId: answerId })).toHaveLength(0);
    await flagPost(t.db, reporter, answerId, { reason: "needs_moderator", details: "This answer shares a customer's phone number." });
    expect(await flagsOn({ postId: answerId })).toHaveLength(1);

    const form = new FormData();
    form.set("reason", "needs_moderator");
    form.set("details", "short");
    const parsed = parseForm(FlagSchema, form);
    expect(parsed.ok === false && parsed.fieldErrors.details).toMatch(/at least 10/);
    expect(parsed.values.details).toBe("short");
  });

  test("hidden, deleted and missing posts and comments answer 404", async () => {
    const outsider = await createUser(t.db);
    const hidden = await thread({ restricted: true });
    const open = await thread();
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, open.questionId));
    const live = await thread();
    await t.db.update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, live.commentId));
    const attempts = [
      () => flagPost(t.db, outsider, hidden.answerId, spam),
      () => flagComment(t.db, outsider, hidden.commentId, spam),
      () => flagPost(t.db, outsider, open.questionId, spam),
      // An answer (and a comment) under a deleted question went with it.
      () => flagPost(t.db, outsider, open.answerId, spam),
      () => flagComment(t.db, outsider, open.commentId, spam),
      () => flagComment(t.db, outsider, live.commentId, spam),
      () => flagPost(t.db, outsider, 2_000_000, spam),
      () => flagComment(t.db, outsider, 2_000_000, spam),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ init: { status: 404 } });
    expect(await t.db.select().from(flags).where(eq(flags.reporterId, outsider.id))).toHaveLength(0);
  });
});

describe("the moderation queue", () => {
  test("groups flags by item with counts, reasons and reporters", async () => {
    const moderator = await createUser(t.db);
    const { answerId, commentId } = await thread({ moderators: [moderator] });
    const reporters = [await createUser(t.db), await createUser(t.db), await createUser(t.db)];
    await flagPost(t.db, reporters[0]!, answerId, spam);
    await flagPost(t.db, reporters[1]!, answerId, spam);
    await flagPost(t.db, reporters[2]!, answerId, { reason: "rude", details: "Calls people names." });
    await flagComment(t.db, reporters[0]!, commentId, spam);

    const queue = await moderationQueue(t.db, moderator, { status: "pending" });
    expect(queue.items.map((i) => i.key)).toEqual([`post-${answerId}`, `comment-${commentId}`]);
    const [answerItem, commentItem] = queue.items;
    expect(answerItem).toMatchObject({ count: 3, reasons: [{ reason: "spam", count: 2 }, { reason: "rude", count: 1 }], target: { kind: "answer", id: answerId, deleted: false } });
    expect(answerItem!.reports.map((r) => r.reporter.id)).toEqual(reporters.map((r) => r.id));
    expect(answerItem!.reports[2]).toMatchObject({ reason: "rude", details: "Calls people names." });
    expect(commentItem).toMatchObject({ count: 1, target: { kind: "comment", excerpt: "Buy cheap watches at example.com", anchor: `comment-${commentId}` } });
    expect(await moderationSummary(t.db, moderator)).toEqual({ pending: 2 });
  });

  test("a moderator sees only the spaces they moderate, never a restricted space they are not in", async () => {
    const openModerator = await createUser(t.db);
    const restrictedModerator = await createUser(t.db);
    const siteModerator = await createUser(t.db, {}, "moderator");
    const admin = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db);
    const reporter = await createUser(t.db);
    const openThread = await thread({ moderators: [openModerator] });
    const otherOpen = await thread();
    const secret = await thread({ restricted: true, members: [reporter], moderators: [restrictedModerator] });
    await flagPost(t.db, reporter, openThread.answerId, spam);
    await flagPost(t.db, reporter, otherOpen.answerId, spam);
    await flagPost(t.db, reporter, secret.answerId, spam);

    const keys = async (actor: typeof member) => (await moderationQueue(t.db, actor)).items.map((i) => i.key);
    expect(await keys(openModerator)).toEqual([`post-${openThread.answerId}`]);
    expect(await keys(restrictedModerator)).toEqual([`post-${secret.answerId}`]);
    // A site moderator moderates every space they may see, which is not a restricted space they are not in.
    const seenBySite = await keys(siteModerator);
    expect(seenBySite).toEqual(expect.arrayContaining([`post-${openThread.answerId}`, `post-${otherOpen.answerId}`]));
    expect(seenBySite).not.toContain(`post-${secret.answerId}`);
    expect(await keys(admin)).toEqual(expect.arrayContaining([`post-${openThread.answerId}`, `post-${otherOpen.answerId}`, `post-${secret.answerId}`]));

    expect(await moderationSummary(t.db, member)).toBeNull();
    await expect(moderationQueue(t.db, member)).rejects.toMatchObject({ init: { status: 404 } });
    // Neither may a space moderator act on another space's flags.
    await expect(resolveFlags(t.db, { ...openModerator, reputation: 0 }, { postId: secret.answerId }, { action: "delete", resolution: "" })).rejects.toMatchObject({
      init: { status: 404 },
    });
    await expect(resolveFlags(t.db, { ...member, reputation: 0 }, { postId: openThread.answerId }, { action: "dismiss", resolution: "" })).rejects.toMatchObject({
      init: { status: 404 },
    });
    expect((await storedPost(t.db, secret.answerId)).deletedAt).toBeNull();
    expect((await flagsOn({ postId: openThread.answerId }))[0]!.status).toBe("pending");

    // Losing the moderator role in the space empties the queue and hides the link.
    const { spaceMembers } = await import("#db/schema/index.ts");
    await t.db.delete(spaceMembers).where(eq(spaceMembers.userId, openModerator.id));
    expect(await moderationSummary(t.db, openModerator)).toBeNull();
  });

  test("pages through a long queue without repeating or skipping", async () => {
    const moderator = await createUser(t.db);
    const asker = await createUser(t.db);
    const reporter = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [moderator] });
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerIds: number[] = [];
    for (let i = 0; i < QUEUE_PAGE_SIZE + 5; i += 1) answerIds.push(await createAnswer(t.db, { author: asker, questionId }));
    // All flagged in one statement: equal timestamps, so the order falls to the item key.
    await t.db.insert(flags).values(answerIds.map((postId) => ({ postId, spaceId: space.id, reporterId: reporter.id, reason: "spam" as const })));
    const first = await moderationQueue(t.db, moderator);
    expect(first.items).toHaveLength(QUEUE_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await moderationQueue(t.db, moderator, { cursor: first.nextCursor });
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.items, ...second.items].map((i) => i.target.id);
    expect(seen.sort((a, b) => a - b)).toEqual(answerIds);
    // A cursor edited by hand starts over instead of failing.
    expect((await moderationQueue(t.db, moderator, { cursor: "not-a-cursor" })).items).toHaveLength(QUEUE_PAGE_SIZE);
  });
});

describe("resolving flags", () => {
  test("dismiss leaves the item alone and moves the flags to the handled tab with the note", async () => {
    const moderator = await createUser(t.db);
    const reporter = await createUser(t.db);
    const { answerId } = await thread({ moderators: [moderator] });
    await flagPost(t.db, reporter, answerId, spam);
    const result = await resolveFlags(t.db, { ...moderator, reputation: 0 }, { postId: answerId }, { action: "dismiss", resolution: "Not spam, a real answer." });
    expect(result).toMatchObject({ handled: 1, status: "dismissed" });
    expect((await storedPost(t.db, answerId)).deletedAt).toBeNull();
    expect((await flagsOn({ postId: answerId }))[0]).toMatchObject({ status: "dismissed", handledById: moderator.id, resolution: "Not spam, a real answer." });
    expect((await moderationQueue(t.db, moderator)).items).toHaveLength(0);
    const handled = await moderationQueue(t.db, moderator, { status: "handled" });
    expect(handled.items).toHaveLength(1);
    expect(handled.items[0]!.handled).toMatchObject({ status: "dismissed", by: { id: moderator.id }, resolution: "Not spam, a real answer." });
    expect((await rejects(resolveFlags(t.db, { ...moderator, reputation: 0 }, { postId: answerId }, { action: "dismiss", resolution: "" }))).formError).toMatch(
      /already handled/,
    );
  });

  test("deleting an accepted answer hides it, lowers the answer count and clears the accept", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, answerId, answerer } = await thread();
    await t.db.update(posts).set({ acceptedAnswerId: answerId }).where(eq(posts.id, questionId));
    await flagPost(t.db, reporter, answerId, spam);
    const result = await resolveFlags(t.db, moderator, { postId: answerId }, { action: "delete", resolution: "Spam." });
    expect(result).toMatchObject({ status: "actioned", questionId });
    expect(await storedPost(t.db, answerId)).toMatchObject({ deletedById: moderator.id });
    expect((await storedPost(t.db, answerId)).deletedAt).toBeInstanceOf(Date);
    expect(await storedPost(t.db, questionId)).toMatchObject({ answerCount: 0, acceptedAnswerId: null });
    expect((await flagsOn({ postId: answerId }))[0]).toMatchObject({ status: "actioned", resolution: "Spam." });
    await expect(loadPost(t.db, reporter, answerId)).rejects.toMatchObject({ init: { status: 404 } });
    // Its author and moderators still reach it, as deleted.
    expect((await loadPost(t.db, answerer, answerId, { allowDeleted: true })).post.deletedAt).not.toBeNull();
  });

  test("deleting a question lowers its space's tag counts", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, space } = await thread();
    const [tag] = await t.db.select().from(tags).where(eq(tags.name, "flag-test"));
    const count = async () => (await t.db.select().from(spaceTags).where(and(eq(spaceTags.spaceId, space.id), eq(spaceTags.tagId, tag!.id))))[0]!.questionCount;
    expect(await count()).toBe(1);
    await flagPost(t.db, reporter, questionId, { reason: "rude", details: "" });
    await resolveFlags(t.db, moderator, { postId: questionId }, { action: "delete", resolution: "" });
    expect((await storedPost(t.db, questionId)).deletedAt).not.toBeNull();
    expect(await count()).toBe(0);
  });

  test("deleting a comment lowers its post's comment count", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { answerId, commentId } = await thread();
    expect((await storedPost(t.db, answerId)).commentCount).toBe(1);
    await flagComment(t.db, reporter, commentId, spam);
    await resolveFlags(t.db, moderator, { commentId }, { action: "delete", resolution: "Spam link." });
    const [comment] = await t.db.select().from(comments).where(eq(comments.id, commentId));
    expect(comment).toMatchObject({ deletedById: moderator.id });
    expect((await storedPost(t.db, answerId)).commentCount).toBe(0);
    expect((await flagsOn({ commentId }))[0]!.status).toBe("actioned");
    await expect(flagComment(t.db, await createUser(t.db), commentId, spam)).rejects.toMatchObject({ init: { status: 404 } });
  });

  test("close closes a flagged question; an answer cannot be closed and nothing changes", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, answerId } = await thread();
    await flagPost(t.db, reporter, questionId, { reason: "needs_moderator", details: "This belongs in People & Culture." });
    await flagPost(t.db, reporter, answerId, spam);

    const refused = await rejects(resolveFlags(t.db, moderator, { postId: answerId }, { action: "close", resolution: "" }));
    expect(refused.formError).toMatch(/Only a question/);
    expect((await flagsOn({ postId: answerId }))[0]!.status).toBe("pending");

    await resolveFlags(t.db, moderator, { postId: questionId }, { action: "close", resolution: "Wrong space.", closeReason: "off_topic" });
    expect(await storedPost(t.db, questionId)).toMatchObject({ closeReason: "off_topic", closedById: moderator.id, closeNote: "Wrong space." });
    expect((await flagsOn({ postId: questionId }))[0]!.status).toBe("actioned");
  });

  test("all or nothing: a close that fails leaves the flags pending", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId } = await thread();
    await flagPost(t.db, reporter, questionId, spam);
    await closeQuestion(t.db, moderator, questionId, { reason: "resolved" });
    const error = await rejects(resolveFlags(t.db, moderator, { postId: questionId }, { action: "close", resolution: "Closing." }));
    expect(error.formError).toMatch(/already closed/);
    expect((await flagsOn({ postId: questionId }))[0]).toMatchObject({ status: "pending", handledById: null, resolution: "" });
    expect((await storedPost(t.db, questionId)).closeReason).toBe("resolved");
  });

  test("two moderators acting at once: the item is deleted once and the counters move once", async () => {
    const first = await createUser(t.db, {}, "moderator");
    const second = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, answerId } = await thread();
    const otherAnswer = await createAnswer(t.db, { author: reporter, questionId });
    expect((await storedPost(t.db, questionId)).answerCount).toBe(2);
    await flagPost(t.db, await createUser(t.db), answerId, spam);
    const results = await Promise.allSettled([
      resolveFlags(t.db, first, { postId: answerId }, { action: "delete", resolution: "" }),
      resolveFlags(t.db, second, { postId: answerId }, { action: "delete", resolution: "" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await storedPost(t.db, questionId)).answerCount).toBe(1);
    expect((await storedPost(t.db, otherAnswer)).deletedAt).toBeNull();
  });
});

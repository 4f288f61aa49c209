import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, flags, posts, spaceTags, tags } from "#db/schema/index.ts";
import { QUEUE_PAGE_SIZE, flagComment, flagFormTarget, flagItem, moderationQueue, moderationSummary, resolveFlags } from "#app/features/moderation/flags.server.ts";
import { type FlagInput, FlagSchema } from "#app/features/moderation/flag-schema.ts";
import { closeQuestion } from "#app/features/qa/close.server.ts";
import { loadPost } from "#app/features/qa/access.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { parseForm } from "#app/lib/forms.ts";
import { setupTestDb } from "#tests/db.ts";
import { answered, rejects, routeContext, storedPost } from "#tests/helpers.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { action as itemFlagAction, loader as itemFlagLoader } from "#app/routes/items/flag.tsx";
import { action as commentFlagAction } from "#app/routes/comments/flag.tsx";
import { addComment } from "#app/features/social/comments.server.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";

const t = setupTestDb();

const spam = { reason: "spam" as const, details: "" };

/** A post's item: flags, like every social row, name items. Ids that are no post stay as they are (a 404). */
async function itemOf(postId: number): Promise<number> {
  const [row] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, postId));
  return row?.itemId ?? postId;
}

/** Flagging a question or answer by its post id, as the tests name them. */
async function flagPost(db: typeof t.db, actor: Actor, postId: number, input: FlagInput) {
  return flagItem(db, actor, await itemOf(postId), input);
}

async function flagsOn(target: { postId: number } | { commentId: number }) {
  return t.db
    .select()
    .from(flags)
    .where("postId" in target ? eq(flags.itemId, await itemOf(target.postId)) : eq(flags.commentId, target.commentId));
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
    expect(result.url).toMatch(new RegExp(`^/questions/${questionId}/[a-z0-9-]+#answer-${answerId}$`));
    const [flag] = await flagsOn({ postId: answerId });
    expect(flag).toMatchObject({ reporterId: reporter.id, reason: "rude", details: "Insulting", status: "pending", spaceId: space.id });

    const repeat = await rejects(flagPost(t.db, reporter, answerId, spam));
    expect(repeat.formError).toBe("You already flagged this. A moderator will look at it soon.");
    expect(await flagsOn({ postId: answerId })).toHaveLength(1);

    await resolveFlags(t.db, moderator, { itemId: await itemOf(answerId) }, { action: "dismiss", resolution: "" });
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
    expect(await flagsOn({ postId: questionId })).toHaveLength(0);
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
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(NotFoundError);
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
    expect(queue.items.map((i) => i.key)).toEqual([`item-${await itemOf(answerId)}`, `comment-${commentId}`]);
    const [answerItem, commentItem] = queue.items;
    expect(answerItem).toMatchObject({
      count: 3,
      reasons: [
        { reason: "spam", count: 2 },
        { reason: "rude", count: 1 },
      ],
      target: { kind: "answer", id: await itemOf(answerId), deleted: false, canDelete: true, canClose: false },
    });
    expect(answerItem!.reports.map((r) => r.reporter.id)).toEqual(reporters.map((r) => r.id));
    expect(answerItem!.reports[2]).toMatchObject({ reason: "rude", details: "Calls people names." });
    expect(commentItem).toMatchObject({ count: 1, target: { kind: "comment", excerpt: "Buy cheap watches at example.com", canDelete: true, canClose: false } });
    expect(commentItem!.target.page.url).toMatch(new RegExp(`#comment-${commentId}$`));
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
    expect(await keys(openModerator)).toEqual([`item-${await itemOf(openThread.answerId)}`]);
    expect(await keys(restrictedModerator)).toEqual([`item-${await itemOf(secret.answerId)}`]);
    // A site moderator moderates every space they may see, which is not a restricted space they are not in.
    const seenBySite = await keys(siteModerator);
    expect(seenBySite).toEqual(expect.arrayContaining([`item-${await itemOf(openThread.answerId)}`, `item-${await itemOf(otherOpen.answerId)}`]));
    expect(seenBySite).not.toContain(`item-${await itemOf(secret.answerId)}`);
    expect(await keys(admin)).toEqual(
      expect.arrayContaining([`item-${await itemOf(openThread.answerId)}`, `item-${await itemOf(otherOpen.answerId)}`, `item-${await itemOf(secret.answerId)}`]),
    );

    expect(await moderationSummary(t.db, member)).toBeNull();
    await expect(moderationQueue(t.db, member)).rejects.toThrow(NotFoundError);
    // Neither may a space moderator act on another space's flags.
    await expect(resolveFlags(t.db, { ...openModerator, reputation: 0 }, { itemId: await itemOf(secret.answerId) }, { action: "delete", resolution: "" })).rejects.toThrow(NotFoundError);
    await expect(resolveFlags(t.db, { ...member, reputation: 0 }, { itemId: await itemOf(openThread.answerId) }, { action: "dismiss", resolution: "" })).rejects.toThrow(NotFoundError);
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
    const answerItems = await Promise.all(answerIds.map(itemOf));
    await t.db.insert(flags).values(answerItems.map((itemId) => ({ itemId, spaceId: space.id, reporterId: reporter.id, reason: "spam" as const })));
    const first = await moderationQueue(t.db, moderator);
    expect(first.items).toHaveLength(QUEUE_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await moderationQueue(t.db, moderator, { cursor: first.nextCursor });
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.items, ...second.items].map((i) => i.target.id);
    expect(seen.sort((a, b) => a - b)).toEqual(answerItems.sort((a, b) => a - b));
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
    const result = await resolveFlags(t.db, { ...moderator, reputation: 0 }, { itemId: await itemOf(answerId) }, { action: "dismiss", resolution: "Not spam, a real answer." });
    expect(result).toMatchObject({ handled: 1, status: "dismissed" });
    expect((await storedPost(t.db, answerId)).deletedAt).toBeNull();
    expect((await flagsOn({ postId: answerId }))[0]).toMatchObject({ status: "dismissed", handledById: moderator.id, resolution: "Not spam, a real answer." });
    expect((await moderationQueue(t.db, moderator)).items).toHaveLength(0);
    const handled = await moderationQueue(t.db, moderator, { status: "handled" });
    expect(handled.items).toHaveLength(1);
    expect(handled.items[0]!.handled).toMatchObject({ status: "dismissed", by: { id: moderator.id }, resolution: "Not spam, a real answer." });
    expect((await rejects(resolveFlags(t.db, { ...moderator, reputation: 0 }, { itemId: await itemOf(answerId) }, { action: "dismiss", resolution: "" }))).formError).toMatch(
      /already handled/,
    );
  });

  test("deleting an accepted answer hides it, lowers the answer count and clears the accept", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, answerId, answerer } = await thread();
    await t.db.update(posts).set({ acceptedAnswerId: answerId }).where(eq(posts.id, questionId));
    await flagPost(t.db, reporter, answerId, spam);
    const result = await resolveFlags(t.db, moderator, { itemId: await itemOf(answerId) }, { action: "delete", resolution: "Spam." });
    expect(result).toMatchObject({ status: "actioned" });
    expect(result.pageUrl).toMatch(new RegExp(`^/questions/${questionId}/`));
    expect(await storedPost(t.db, answerId)).toMatchObject({ deletedById: moderator.id });
    expect((await storedPost(t.db, answerId)).deletedAt).toBeInstanceOf(Date);
    expect(await storedPost(t.db, questionId)).toMatchObject({ answerCount: 0, acceptedAnswerId: null });
    expect((await flagsOn({ postId: answerId }))[0]).toMatchObject({ status: "actioned", resolution: "Spam." });
    await expect(loadPost(t.db, reporter, answerId)).rejects.toThrow(NotFoundError);
    // Its author and moderators still reach it, as deleted.
    expect((await loadPost(t.db, answerer, answerId, { allowDeleted: true })).post.deletedAt).not.toBeNull();
  });

  test("deleting a question lowers its space's tag counts", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, space } = await thread();
    const [tag] = await t.db.select().from(tags).where(eq(tags.name, "flag-test"));
    const count = async () =>
      (
        await t.db
          .select()
          .from(spaceTags)
          .where(and(eq(spaceTags.spaceId, space.id), eq(spaceTags.tagId, tag!.id)))
      )[0]!.questionCount;
    expect(await count()).toBe(1);
    await flagPost(t.db, reporter, questionId, { reason: "rude", details: "" });
    await resolveFlags(t.db, moderator, { itemId: await itemOf(questionId) }, { action: "delete", resolution: "" });
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
    await expect(flagComment(t.db, await createUser(t.db), commentId, spam)).rejects.toThrow(NotFoundError);
  });

  test("close closes a flagged question; an answer cannot be closed and nothing changes", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId, answerId } = await thread();
    await flagPost(t.db, reporter, questionId, { reason: "needs_moderator", details: "This belongs in People & Culture." });
    await flagPost(t.db, reporter, answerId, spam);

    const refused = await rejects(resolveFlags(t.db, moderator, { itemId: await itemOf(answerId) }, { action: "close", resolution: "" }));
    expect(refused.formError).toMatch(/Only a question/);
    expect((await flagsOn({ postId: answerId }))[0]!.status).toBe("pending");

    await resolveFlags(t.db, moderator, { itemId: await itemOf(questionId) }, { action: "close", resolution: "Wrong space.", closeReason: "off_topic" });
    expect(await storedPost(t.db, questionId)).toMatchObject({ closeReason: "off_topic", closedById: moderator.id, closeNote: "Wrong space." });
    expect((await flagsOn({ postId: questionId }))[0]!.status).toBe("actioned");
  });

  test("all or nothing: a close that fails leaves the flags pending", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const reporter = await createUser(t.db);
    const { questionId } = await thread();
    await flagPost(t.db, reporter, questionId, spam);
    await closeQuestion(t.db, moderator, questionId, { reason: "resolved" });
    const error = await rejects(resolveFlags(t.db, moderator, { itemId: await itemOf(questionId) }, { action: "close", resolution: "Closing." }));
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
      resolveFlags(t.db, first, { itemId: await itemOf(answerId) }, { action: "delete", resolution: "" }),
      resolveFlags(t.db, second, { itemId: await itemOf(answerId) }, { action: "delete", resolution: "" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await storedPost(t.db, questionId)).answerCount).toBe(1);
    expect((await storedPost(t.db, otherAnswer)).deletedAt).toBeNull();
  });
});

describe("flags on any kind", () => {
  test("an idea and a comment on it are flagged like posts; the queue offers no delete for the idea but deletes its comment", async () => {
    const moderator = await createUser(t.db);
    const author = await createUser(t.db, { name: "Ida Ideas" });
    const commenter = await createUser(t.db);
    const reporter = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [moderator] });
    const campaignId = await createCampaign(t.db, { sponsor: moderator, space });
    const ideaId = await createIdea(t.db, { author, campaignId, title: "Quieter meeting rooms for focus work" });
    const itemId = await ideaItemId(t.db, ideaId);
    const { id: commentId } = await addComment(t.db, commenter, itemId, { body: "Buy cheap watches at example.com" });

    expect((await rejects(flagItem(t.db, author, itemId, spam))).formError).toMatch(/own idea/);
    const flagged = await flagItem(t.db, reporter, itemId, { reason: "needs_moderator", details: "This repeats last month's idea." });
    expect(flagged.url).toBe(`/ideas/${ideaId}`);
    expect((await flagComment(t.db, reporter, commentId, spam)).url).toBe(`/ideas/${ideaId}#comment-${commentId}`);

    const form = await flagFormTarget(t.db, reporter, { itemId });
    expect(form).toMatchObject({ kind: "idea", own: false, page: { title: "Quieter meeting rooms for focus work", url: `/ideas/${ideaId}`, noun: "idea" }, backUrl: `/ideas/${ideaId}` });
    expect((await flagFormTarget(t.db, reporter, { commentId })).page.noun).toBe("idea");

    const queue = await moderationQueue(t.db, moderator);
    const byKey = new Map(queue.items.map((i) => [i.key, i]));
    expect(byKey.get(`item-${itemId}`)?.target).toMatchObject({ kind: "idea", page: { url: `/ideas/${ideaId}` }, canDelete: false, canClose: false });
    expect(byKey.get(`comment-${commentId}`)?.target).toMatchObject({ kind: "comment", canDelete: true, page: { title: "Quieter meeting rooms for focus work" } });

    const actor = { ...moderator, reputation: 0 };
    // Ideas are declined from their page, not deleted: the queue only dismisses their flags.
    expect((await rejects(resolveFlags(t.db, actor, { itemId }, { action: "delete", resolution: "" }))).formError).toMatch(/not deleted/);
    expect((await resolveFlags(t.db, actor, { itemId }, { action: "dismiss", resolution: "" })).status).toBe("dismissed");
    await resolveFlags(t.db, actor, { commentId }, { action: "delete", resolution: "Spam link." });
    const [comment] = await t.db.select().from(comments).where(eq(comments.id, commentId));
    expect(comment).toMatchObject({ deletedById: moderator.id });
  });
});

describe("the flag pages", () => {
  async function request(user: { id: number }, path: string, fields?: Record<string, string>) {
    const { token } = await createSession(t.db, user.id);
    const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${token}` };
    if (!fields) return new Request(`http://localhost${path}`, { headers });
    return new Request(`http://localhost${path}`, {
      method: "POST",
      headers: { ...headers, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  }
  const call = (fn: (args: never) => unknown, req: Request, params: Record<string, string>) =>
    Promise.resolve(fn({ request: req, context: routeContext(t.db).context, params } as never)).then(
      (value) => ({ value: value as Record<string, unknown>, thrown: null as unknown }),
      (error: unknown) => ({ value: null, thrown: answered(error) }),
    );

  test("/items/:itemId/flag and /comments/:commentId/flag show what is flagged, file the flag and go back to it on its page", async () => {
    const reporter = await createUser(t.db);
    const outsider = await createUser(t.db);
    const { answerId, questionId, commentId } = await thread();
    const itemId = await itemOf(answerId);
    const params = { itemId: String(itemId) };

    const page = await call(itemFlagLoader, await request(reporter, `/items/${itemId}/flag`), params);
    expect(page.value).toMatchObject({ target: { kind: "answer", own: false, page: { noun: "question" } } });
    const filed = await call(itemFlagAction, await request(reporter, `/items/${itemId}/flag`, { intent: "flag", reason: "spam" }), params);
    expect(filed.thrown).toBeInstanceOf(Response);
    expect((filed.thrown as Response).headers.get("location")).toMatch(new RegExp(`^/questions/${questionId}/[a-z0-9-]+\\?notice=flagged#answer-${answerId}$`));
    expect(await flagsOn({ postId: answerId })).toHaveLength(1);

    const onComment = await call(commentFlagAction, await request(reporter, `/comments/${commentId}/flag`, { intent: "flag", reason: "spam" }), { commentId: String(commentId) });
    expect((onComment.thrown as Response).headers.get("location")).toMatch(new RegExp(`\\?notice=flagged#comment-${commentId}$`));

    // A missing item, and one in a space the person may not see, answer alike.
    const hidden = await thread({ restricted: true });
    for (const id of [await itemOf(hidden.answerId), 2_000_000_000]) {
      const missing = await call(itemFlagLoader, await request(outsider, `/items/${id}/flag`), { itemId: String(id) });
      expect((missing.thrown as { init?: { status?: number } }).init?.status).toBe(404);
    }
  });
});

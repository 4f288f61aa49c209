import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, posts, questionTags, revisions as revisionRows, siteSettings, spaceTags, tags } from "#db/schema/index.ts";
import { deletePost, editPost, rollbackPost, undeletePost } from "#app/features/qa/edit.server.ts";
import { deleteComment, undeleteComment } from "#app/features/social/comments.server.ts";
import { postHistory } from "#app/features/qa/revisions.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { action as questionAction, loader as questionLoader } from "#app/routes/questions/question.tsx";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { answered, rejects, reputationOf, requestAs, routeContext, storedPost, thrownStatus } from "#tests/helpers.ts";
import { createAnswer, createComment, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

async function revisions(postId: number) {
  const { itemId } = await storedPost(t.db, postId);
  return t.db.select().from(revisionRows).where(eq(revisionRows.itemId, itemId)).orderBy(revisionRows.number);
}

/** Tag name → question count in a space, for tags that have a row. */
async function tagCounts(spaceId: number): Promise<Record<string, number>> {
  const rows = await t.db.select({ name: tags.name, count: spaceTags.questionCount }).from(spaceTags).innerJoin(tags, eq(tags.id, spaceTags.tagId)).where(eq(spaceTags.spaceId, spaceId));
  return Object.fromEntries(rows.filter((r) => r.count > 0).map((r) => [r.name, r.count]));
}

const BODY = "The nightly export fails with a timeout after about ten minutes.";

describe("editing", () => {
  test("the author edits; the edit is a revision and the post shows the new text", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: asker, space, title: "Why does the nightly export fail?", body: BODY, tags: ["export"] });
    const { revision } = await editPost(t.db, asker, id, {
      title: "Why does the nightly CSV export time out?",
      body: `${BODY}\n\n**Update:** only on Mondays.`,
      comment: "added what I found",
    });
    expect(revision).toBe(2);
    const q = await storedPost(t.db, id);
    expect(q).toMatchObject({ title: "Why does the nightly CSV export time out?", revisionCount: 2, lastEditorId: asker.id, tags: ["export"] });
    expect(q.bodyHtml).toContain("<strong>Update:</strong>");
    expect(q.lastEditedAt).not.toBeNull();
    const revs = await revisions(id);
    expect(revs.map((r) => [r.number, r.kind, r.comment])).toEqual([
      [1, "create", ""],
      [2, "edit", "added what I found"],
    ]);
    expect(revs[1]).toMatchObject({ editorId: asker.id, title: "Why does the nightly CSV export time out?", tags: ["export"] });
  });

  test("others need the editOthers reputation (or to be a moderator); a refused edit writes nothing", async () => {
    const asker = await createUser(t.db);
    const newcomer = await createUser(t.db, { reputation: 499 });
    const veteran = await createUser(t.db, { reputation: 500 });
    const moderator = await createUser(t.db, {}, "moderator");
    const spaceModerator = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [spaceModerator] });
    const questionId = await createQuestion(t.db, { author: asker, space, body: BODY });
    const answerId = await createAnswer(t.db, { author: asker, questionId, body: "Raise the statement timeout for the export job." });

    await expect(editPost(t.db, newcomer, answerId, { body: "Raise the statement timeout to 30 minutes.", comment: "" })).rejects.toThrow(ForbiddenError);
    expect((await storedPost(t.db, answerId)).revisionCount).toBe(1);
    expect(await revisions(answerId)).toHaveLength(1);

    let n = 0;
    for (const editor of [veteran, moderator, spaceModerator]) {
      n += 1;
      await editPost(t.db, editor, answerId, { body: `Raise the statement timeout, take ${n}.`, comment: `edit ${n}` });
    }
    expect((await revisions(answerId)).map((r) => r.editorId)).toEqual([asker.id, veteran.id, moderator.id, spaceModerator.id]);

    // The threshold is configurable: lowered, the newcomer may edit too.
    await t.db.insert(siteSettings).values({ key: "reputation", value: { thresholds: { editOthers: 400 } } });
    try {
      await editPost(t.db, newcomer, answerId, { body: "Raise the statement timeout, newcomer's take.", comment: "" });
      expect((await storedPost(t.db, answerId)).lastEditorId).toBe(newcomer.id);
    } finally {
      await t.db.delete(siteSettings).where(eq(siteSettings.key, "reputation"));
    }
  });

  test("an edit that changes nothing is refused with a clear message", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: asker, space, title: "Where do I find the VPN profile?", body: BODY, tags: ["vpn"] });
    const error = await rejects(editPost(t.db, asker, id, { title: "Where do I find the VPN profile?", body: BODY, tags: ["vpn"], comment: "nothing" }));
    expect(error.formError).toMatch(/Nothing changed/);
    expect(await revisions(id)).toHaveLength(1);
  });

  test("markdown over the limits is refused without writing anything", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: asker, space, body: BODY, tags: ["alpha"] });
    await createTags(t.db, ["beta"]);
    for (const body of [">".repeat(2048), "x".repeat(30_001)]) {
      const error = await rejects(editPost(t.db, asker, id, { body, tags: ["beta"], comment: "too much" }));
      expect(error.fieldErrors.body).toBeTruthy();
    }
    expect((await storedPost(t.db, id)).body).toBe(BODY);
    expect((await storedPost(t.db, id)).tags).toEqual(["alpha"]);
    expect(await revisions(id)).toHaveLength(1);
    expect(await tagCounts(space.id)).toEqual({ alpha: 1 });
  });

  test("retagging moves the per-space counts exactly; a new tag needs the privilege and leaves nothing behind", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const other = await createSpace(t.db);
    await createQuestion(t.db, { author: asker, space: other, tags: ["postgres"] });
    const id = await createQuestion(t.db, { author: asker, space, tags: ["postgres", "backup"] });
    await createQuestion(t.db, { author: asker, space, tags: ["postgres"] });
    await createTags(t.db, ["restore"]);
    expect(await tagCounts(space.id)).toEqual({ postgres: 2, backup: 1 });

    await editPost(t.db, asker, id, { body: BODY, tags: ["restore", "postgres"], comment: "retag" });
    expect(await tagCounts(space.id)).toEqual({ postgres: 2, restore: 1 });
    expect(await tagCounts(other.id)).toEqual({ postgres: 1 });
    const linked = await t.db.select({ name: tags.name }).from(questionTags).innerJoin(tags, eq(tags.id, questionTags.tagId)).where(eq(questionTags.postId, id));
    expect(linked.map((r) => r.name).sort()).toEqual(["postgres", "restore"]);
    expect((await storedPost(t.db, id)).tags).toEqual(["restore", "postgres"]);

    const error = await rejects(editPost(t.db, asker, id, { body: BODY, tags: ["brand-new-tag"], comment: "" }));
    expect(error.fieldErrors.tags).toMatch(/new tag/);
    expect(await tagCounts(space.id)).toEqual({ postgres: 2, restore: 1 });
    expect(await t.db.select().from(tags).where(eq(tags.name, "brand-new-tag"))).toHaveLength(0);
    expect(await revisions(id)).toHaveLength(2);
  });

  test("editing an answer refreshes its question's activity", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: asker, questionId });
    await t.db
      .update(posts)
      .set({ lastActivityAt: new Date("2020-01-01T00:00:00Z") })
      .where(eq(posts.id, questionId));
    await editPost(t.db, asker, answerId, { body: "A better answer with more detail in it.", comment: "" });
    expect((await storedPost(t.db, questionId)).lastActivityAt.getFullYear()).toBeGreaterThan(2020);
  });
});

describe("rollback", () => {
  test("restores an earlier title, body and tags as a new revision, and the history shows the diffs", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    await createTags(t.db, ["ci"]);
    const id = await createQuestion(t.db, { author: asker, space, title: "How do I rerun a failed pipeline?", body: BODY, tags: ["builds"] });
    await editPost(t.db, asker, id, { title: "How do I rerun one failed CI job?", body: `${BODY} Retrying by hand works.`, tags: ["ci"], comment: "narrowed it" });
    await expect(rollbackPost(t.db, reader, id, 1)).rejects.toThrow(ForbiddenError);

    const { revision } = await rollbackPost(t.db, asker, id, 1);
    expect(revision).toBe(3);
    const q = await storedPost(t.db, id);
    expect(q).toMatchObject({ title: "How do I rerun a failed pipeline?", body: BODY, tags: ["builds"], revisionCount: 3 });
    expect(await tagCounts(space.id)).toEqual({ builds: 1 });
    const revs = await revisions(id);
    expect(revs[2]).toMatchObject({ kind: "rollback", rolledBackTo: 1, body: BODY, tags: ["builds"] });

    // Rolling back to what is already current changes nothing and says so.
    const error = await rejects(rollbackPost(t.db, asker, id, 3));
    expect(error.formError).toMatch(/current text already/);
    await expect(rollbackPost(t.db, asker, id, 99)).rejects.toThrow(NotFoundError);

    const history = await postHistory(t.db, reader, id);
    expect(history.canRollback).toBe(false);
    expect(history.revisions.map((r) => r.number)).toEqual([3, 2, 1]);
    const edit = history.revisions[1]!;
    expect(edit.diff!.body!.filter((p) => p.change === "added").map((p) => p.value.trim())).toEqual(["Retrying by hand works."]);
    expect(edit.diff!.title!.filter((p) => p.change !== "same").map((p) => [p.change, p.value])).toEqual(
      expect.arrayContaining([
        ["removed", "a"],
        ["added", "one"],
      ]),
    );
    expect(edit.diff!.tags).toEqual([
      { value: "builds", change: "removed" },
      { value: "ci", change: "added" },
    ]);
    expect(history.revisions[2]!.diff).toBeNull();
    expect((await postHistory(t.db, asker, id)).canRollback).toBe(true);
  });
});

describe("deleting and undeleting", () => {
  test("deleting the accepted answer lowers the answer count and clears the acceptance; undelete counts it again", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const stranger = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    await createAnswer(t.db, { author: stranger, questionId });
    await t.db.update(posts).set({ acceptedAnswerId: answerId }).where(eq(posts.id, questionId));

    await expect(deletePost(t.db, stranger, answerId)).rejects.toThrow(ForbiddenError);
    expect((await deletePost(t.db, answerer, answerId)).changed).toBe(true);
    expect(await storedPost(t.db, questionId)).toMatchObject({ answerCount: 1, acceptedAnswerId: null });
    expect(await storedPost(t.db, answerId)).toMatchObject({ deletedById: answerer.id });
    // Twice is once.
    expect((await deletePost(t.db, answerer, answerId)).changed).toBe(false);
    expect((await storedPost(t.db, questionId)).answerCount).toBe(1);
    // Hidden from others now: acting on it is a 404.
    await expect(undeletePost(t.db, stranger, answerId)).rejects.toThrow(NotFoundError);

    await undeletePost(t.db, answerer, answerId);
    expect(await storedPost(t.db, questionId)).toMatchObject({ answerCount: 2, acceptedAnswerId: null });
    expect((await storedPost(t.db, answerId)).deletedAt).toBeNull();
  });

  test("deleting the accepted answer takes back the accept's reputation, and the ledger still adds up", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    await acceptAnswer(t.db, asker, answerId);
    expect([await reputationOf(t.db, answerer.id), await reputationOf(t.db, asker.id)]).toEqual([15, 2]);
    await deletePost(t.db, answerer, answerId);
    expect([await reputationOf(t.db, answerer.id), await reputationOf(t.db, asker.id)]).toEqual([0, 0]);
    const drift = await recomputeReputation(t.db, { fix: false });
    // Other tests here give people reputation by hand; these two must agree with the ledger.
    expect(drift.users.filter((d) => d.userId === asker.id || d.userId === answerer.id)).toEqual([]);
  });

  test("deleting a question takes its tags out of the space's counts; undelete puts them back; moderators may do both", async () => {
    const asker = await createUser(t.db);
    const moderator = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [moderator] });
    const id = await createQuestion(t.db, { author: asker, space, tags: ["laptops", "it"] });
    await createQuestion(t.db, { author: asker, space, tags: ["it"] });
    expect(await tagCounts(space.id)).toEqual({ laptops: 1, it: 2 });
    await deletePost(t.db, moderator, id);
    expect(await tagCounts(space.id)).toEqual({ it: 1 });
    // A deleted post cannot be edited.
    await expect(editPost(t.db, asker, id, { body: `${BODY} more`, comment: "" })).rejects.toThrow(NotFoundError);
    await undeletePost(t.db, moderator, id);
    expect(await tagCounts(space.id)).toEqual({ laptops: 1, it: 2 });
  });

  test("comments: the author or a moderator deletes and restores; the comment count stays exact", async () => {
    const asker = await createUser(t.db);
    const commenter = await createUser(t.db);
    const stranger = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const first = await createComment(t.db, { author: commenter, postId: questionId });
    await createComment(t.db, { author: asker, postId: questionId });
    expect((await storedPost(t.db, questionId)).commentCount).toBe(2);

    await expect(deleteComment(t.db, stranger, first)).rejects.toThrow(ForbiddenError);
    await deleteComment(t.db, commenter, first);
    await deleteComment(t.db, commenter, first);
    expect((await storedPost(t.db, questionId)).commentCount).toBe(1);
    const [row] = await t.db
      .select()
      .from(comments)
      .where(and(eq(comments.id, first)));
    expect(row!.deletedById).toBe(commenter.id);
    await expect(undeleteComment(t.db, stranger, first)).rejects.toThrow(NotFoundError);
    await undeleteComment(t.db, moderator, first);
    expect((await storedPost(t.db, questionId)).commentCount).toBe(2);
    await expect(deleteComment(t.db, commenter, 2_000_000_000)).rejects.toThrow(NotFoundError);
  });
});

describe("undeleting: a moderator's deletion sticks", () => {
  test("the author restores what they deleted themselves, not what a moderator deleted; a moderator restores it", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const spaceModerator = await createUser(t.db);
    const siteModerator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db, { moderators: [spaceModerator] });
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });

    await deletePost(t.db, answerer, answerId);
    await undeletePost(t.db, answerer, answerId);
    expect((await storedPost(t.db, answerId)).deletedAt).toBeNull();

    await deletePost(t.db, spaceModerator, answerId);
    const refused = await thrown403(undeletePost(t.db, answerer, answerId));
    expect(refused).toMatch(/only a moderator can restore it/);
    expect(await storedPost(t.db, answerId)).toMatchObject({ deletedById: spaceModerator.id });
    expect((await storedPost(t.db, questionId)).answerCount).toBe(0);
    // Deleting it again as the author changes nothing and does not make it theirs to restore.
    expect((await deletePost(t.db, answerer, answerId)).changed).toBe(false);
    expect(await thrownStatus(undeletePost(t.db, answerer, answerId))).toBe(403);

    await undeletePost(t.db, siteModerator, answerId);
    expect((await storedPost(t.db, answerId)).deletedAt).toBeNull();
    expect((await storedPost(t.db, questionId)).answerCount).toBe(1);
  });

  test("the same holds for comments", async () => {
    const asker = await createUser(t.db);
    const commenter = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const commentId = await createComment(t.db, { author: commenter, postId: questionId });

    await deleteComment(t.db, commenter, commentId);
    await undeleteComment(t.db, commenter, commentId);
    await deleteComment(t.db, moderator, commentId);
    expect(await thrown403(undeleteComment(t.db, commenter, commentId))).toMatch(/only a moderator can restore it/);
    const [row] = await t.db.select().from(comments).where(eq(comments.id, commentId));
    expect(row).toMatchObject({ deletedById: moderator.id });
    expect((await storedPost(t.db, questionId)).commentCount).toBe(0);
    await undeleteComment(t.db, moderator, commentId);
    expect((await storedPost(t.db, questionId)).commentCount).toBe(1);
  });

  test("the question page offers the author no undelete after a moderator's deletion, and its action answers 403", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, title: "Where do I find the travel policy?" });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const ownComment = await createComment(t.db, { author: answerer, postId: questionId });
    const removedComment = await createComment(t.db, { author: answerer, postId: questionId });
    await deleteComment(t.db, answerer, ownComment);
    await deleteComment(t.db, moderator, removedComment);
    await deletePost(t.db, moderator, answerId);
    const path = `/questions/${questionId}/where-do-i-find-the-travel-policy`;
    const params = { questionId: String(questionId), slug: "where-do-i-find-the-travel-policy" };
    const load = async (user: { id: number }) => questionLoader({ request: await requestAs(t.db, user, path), context: routeContext(t.db).context, params } as never);

    const page = await load(answerer);
    const answer = page.answers.find((a) => a.id === answerId)!;
    expect(answer).toMatchObject({ deleted: true, canDelete: false });
    const byId = new Map(page.question.comments.map((c) => [c.id, c]));
    expect(byId.get(ownComment)).toMatchObject({ deleted: true, canDelete: false, canUndelete: true });
    expect(byId.get(removedComment)).toMatchObject({ deleted: true, canDelete: false, canUndelete: false });
    const moderatorPage = await load(moderator);
    expect(moderatorPage.answers.find((a) => a.id === answerId)).toMatchObject({ deleted: true, canDelete: true });

    const act = async (user: { id: number }, fields: Record<string, string>) => {
      const { token } = await createSession(t.db, user.id);
      const request = new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
      return questionAction({ request, context: routeContext(t.db).context, params } as never);
    };
    expect(await thrownStatus(act(answerer, { intent: "undelete", postId: String(answerId) }))).toBe(403);
    expect(await thrownStatus(act(answerer, { intent: "undelete-comment", commentId: String(removedComment) }))).toBe(403);
    expect((await storedPost(t.db, answerId)).deletedAt).not.toBeNull();
    // Their own deletion they may undo through the same form.
    await expect(act(answerer, { intent: "undelete-comment", commentId: String(ownComment) })).rejects.toBeInstanceOf(Response);
    await expect(act(moderator, { intent: "undelete", postId: String(answerId) })).rejects.toBeInstanceOf(Response);
    expect((await storedPost(t.db, answerId)).deletedAt).toBeNull();
  });
});

/** The message of the 403 `promise` threw; fails the test for anything else. */
async function thrown403(promise: Promise<unknown>): Promise<string> {
  const error = answered(
    await promise.then(
      () => null,
      (e: unknown) => e,
    ),
  ) as { init?: { status?: number }; data?: unknown } | null;
  expect(error?.init?.status).toBe(403);
  return String(error?.data);
}

import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, follows, notifications, posts, revisions, spaceTags, tags } from "#db/schema/index.ts";
import { addComment, askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";
import { addComment as addItemComment } from "#app/features/social/comments.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { answered, rejects, routeContext, storedPost } from "#tests/helpers.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { action as questionAction } from "#app/routes/questions/question.tsx";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

describe("asking", () => {
  test("a question is stored with rendered HTML, its tags, counts, first revision and the asker following", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    await createTags(t.db, ["postgres", "backup"]);
    const { id, created } = await askQuestion(t.db, asker, {
      space: space.slug,
      title: "How do we restore a Postgres backup?",
      body: "We have **nightly** dumps.\n\n```sql\nselect 1;\n```",
      tags: ["postgres", "backup"],
      submissionKey: undefined,
    });
    expect(created).toBe(true);
    const [q] = await t.db.select().from(posts).where(eq(posts.id, id));
    expect(q!.bodyHtml).toContain("<strong>nightly</strong>");
    expect(q!.bodyHtml).toContain('class="language-sql"');
    expect(q!.tags).toEqual(["postgres", "backup"]);
    const counts = await t.db.select().from(spaceTags).where(eq(spaceTags.spaceId, space.id));
    expect(counts.map((c) => c.questionCount)).toEqual([1, 1]);
    const history = await t.db.select().from(revisions).where(eq(revisions.itemId, q!.itemId));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ number: 1, kind: "create", editorId: asker.id, title: "How do we restore a Postgres backup?", tags: ["postgres", "backup"] });
    const followers = await t.db.select().from(follows).where(eq(follows.itemId, q!.itemId));
    expect(followers.map((f) => f.userId)).toEqual([asker.id]);
  });

  test("the same submission key twice makes one question, also when both run at once", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    await createTags(t.db, ["general"]);
    const input = { space: space.slug, title: "Where is the travel policy kept?", body: "I cannot find it on the intranet anywhere.", tags: ["general"], submissionKey: "key-12345678" };
    const results = await Promise.all([askQuestion(t.db, asker, input), askQuestion(t.db, asker, input), askQuestion(t.db, asker, input)]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const mine = await t.db.select().from(posts).where(eq(posts.authorId, asker.id));
    expect(mine).toHaveLength(1);
  });

  test("a new tag needs reputation or a moderator; nothing is written when refused", async () => {
    const newcomer = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const input = { space: space.slug, title: "Is there a style guide for slides?", body: "Looking for the company slide template.", tags: ["slides-brand-new"], submissionKey: undefined };
    const error = await rejects(askQuestion(t.db, newcomer, input));
    expect(error.fieldErrors.tags).toContain("“slides-brand-new” is a new tag");
    expect(await t.db.select().from(posts).where(eq(posts.authorId, newcomer.id))).toHaveLength(0);
    expect(await t.db.select().from(tags).where(eq(tags.name, "slides-brand-new"))).toHaveLength(0);

    const { id } = await askQuestion(t.db, moderator, input);
    expect(id).toBeGreaterThan(0);
    const experienced = await createUser(t.db, { reputation: 5000 });
    await askQuestion(t.db, experienced, { ...input, tags: ["another-new-tag"] });
    expect(await t.db.select().from(tags).where(eq(tags.name, "another-new-tag"))).toHaveLength(1);
  });

  test("markdown over the limits comes back as a field error", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const error = await rejects(askQuestion(t.db, asker, { space: space.slug, title: "A deeply quoted question here", body: ">".repeat(2048), tags: ["general"], submissionKey: undefined }));
    expect(error.fieldErrors.body).toMatch(/nested/);
  });

  test("asking in a restricted space one is not a member of answers 404", async () => {
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, {}, "restricted");
    await expect(createQuestion(t.db, { author: outsider, space })).rejects.toThrow(NotFoundError);
  });
});

describe("answering and commenting", () => {
  test("an answer counts on its question and notifies the asker and followers, not the answerer", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const [q] = await t.db.select().from(posts).where(eq(posts.id, questionId));
    expect(q!.answerCount).toBe(1);
    const [a] = await t.db.select().from(posts).where(eq(posts.id, answerId));
    expect(a).toMatchObject({ type: "answer", parentId: questionId, spaceId: space.id });
    const inbox = await t.db.select().from(notifications).where(eq(notifications.itemId, q!.itemId));
    expect(inbox.map((n) => [n.userId, n.kind, n.subjectItemId])).toEqual([[asker.id, "answer", a!.itemId]]);
  });

  test("a notification never reaches someone who cannot see the space", async () => {
    const member = await createUser(t.db);
    const formerMember = await createUser(t.db);
    const space = await createSpace(t.db, { members: [member, formerMember] }, "restricted");
    const questionId = await createQuestion(t.db, { author: formerMember, space });
    // The asker follows their question, then loses access to the space.
    const { spaceMembers } = await import("#db/schema/index.ts");
    await t.db.delete(spaceMembers).where(eq(spaceMembers.userId, formerMember.id));
    await createAnswer(t.db, { author: member, questionId });
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(eq(notifications.itemId, (await storedPost(t.db, questionId)).itemId)),
    ).toHaveLength(0);
  });

  test("closed questions take no answers", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    await t.db.update(posts).set({ closedAt: new Date(), closeReason: "resolved" }).where(eq(posts.id, questionId));
    const error = await rejects(postAnswer(t.db, asker, questionId, { body: "A late answer with enough words.", submissionKey: undefined }));
    expect(error.formError).toMatch(/closed/);
  });

  test("comments count on their post and notify its author", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const commenter = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const { created } = await addComment(t.db, commenter, answerId, { body: "Which version was this?", submissionKey: "c-key-0001" });
    expect(created).toBe(true);
    const again = await addComment(t.db, commenter, answerId, { body: "Which version was this?", submissionKey: "c-key-0001" });
    expect(again.created).toBe(false);
    expect(
      await t.db
        .select()
        .from(comments)
        .where(eq(comments.itemId, (await storedPost(t.db, answerId)).itemId)),
    ).toHaveLength(1);
    const [a] = await t.db.select().from(posts).where(eq(posts.id, answerId));
    expect(a!.commentCount).toBe(1);
    const inbox = await t.db.select().from(notifications).where(eq(notifications.kind, "comment"));
    expect(inbox.map((n) => n.userId).sort()).toEqual([asker.id, answerer.id].sort());
    // The inbox opens the question's page, at the answer the comment is on.
    const q = await storedPost(t.db, questionId);
    expect(inbox.every((n) => n.itemId === q.itemId && n.subjectItemId === a!.itemId)).toBe(true);
    // The commenter follows the question from then on, as answerers do.
    const followers = await t.db.select({ userId: follows.userId }).from(follows).where(eq(follows.itemId, q.itemId));
    expect(followers.map((f) => f.userId)).toContain(commenter.id);
  });

  test("a comment through the social layer lands on its page, scrolled to it", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const [q, a] = [await storedPost(t.db, questionId), await storedPost(t.db, answerId)];
    const onAnswer = await addItemComment(t.db, asker, a.itemId, { body: "Which version was this?" });
    expect(onAnswer).toMatchObject({ itemId: a.itemId, created: true });
    expect(onAnswer.pageUrl).toMatch(new RegExp(`^/questions/${questionId}/[a-z0-9-]+#comment-${onAnswer.id}$`));
    const onQuestion = await addItemComment(t.db, answerer, q.itemId, { body: "Which database is this about?" });
    expect(onQuestion.pageUrl).toMatch(new RegExp(`^/questions/${questionId}/[a-z0-9-]+#comment-${onQuestion.id}$`));
    expect((await storedPost(t.db, questionId)).commentCount).toBe(1);
  });

  test("answering a deleted or hidden question answers 404", async () => {
    const asker = await createUser(t.db);
    const outsider = await createUser(t.db);
    const open = await createSpace(t.db);
    const restricted = await createSpace(t.db, { members: [asker] }, "restricted");
    const deleted = await createQuestion(t.db, { author: asker, space: open });
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
    const hidden = await createQuestion(t.db, { author: asker, space: restricted });
    for (const id of [deleted, hidden, 999_999]) {
      await expect(createAnswer(t.db, { author: outsider, questionId: id })).rejects.toThrow(NotFoundError);
    }
  });
});

describe("the question page's comment intents (the social layer's, as on every page)", () => {
  async function act(user: { id: number }, questionId: number, fields: Record<string, string>) {
    const { token } = await createSession(t.db, user.id);
    const request = new Request(`http://localhost/questions/${questionId}`, {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return questionAction({ request, context: routeContext(t.db).context, params: { questionId: String(questionId) } } as never).then(
      (value) => ({ value: value as unknown as { data: Record<string, unknown>; init: { status: number } }, thrown: null as unknown }),
      (error: unknown) => ({ value: null, thrown: answered(error) }),
    );
  }

  test("a comment on an answer lands under it; a refused one comes back to its form with the text; a forged item is a 404", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const { itemId } = await storedPost(t.db, answerId);

    const added = await act(asker, questionId, { intent: "comment", itemId: String(itemId), body: "Which version was this on?" });
    expect(added.thrown).toBeInstanceOf(Response);
    const [comment] = await t.db.select().from(comments).where(eq(comments.itemId, itemId));
    expect((added.thrown as Response).headers.get("location")).toMatch(new RegExp(`^/questions/${questionId}/[a-z0-9-]+#comment-${comment!.id}$`));

    const refused = await act(asker, questionId, { intent: "comment", itemId: String(itemId), body: "x" });
    expect(refused.value!.init.status).toBe(400);
    expect(refused.value!.data).toMatchObject({ ok: false, intent: "comment", itemId, values: { body: "x" } });
    expect(refused.value!.data.fieldErrors).toMatchObject({ body: expect.stringMatching(/at least/) });

    for (const forged of ["", "abc", "2000000000"]) {
      const missing = await act(asker, questionId, { intent: "comment", itemId: forged, body: "Which version was this on?" });
      expect((missing.thrown as { init?: { status?: number } }).init?.status, forged).toBe(404);
    }

    // Delete and undelete go back to the comment, and the count follows.
    const deleted = await act(asker, questionId, { intent: "delete-comment", commentId: String(comment!.id) });
    expect((deleted.thrown as Response).headers.get("location")).toMatch(new RegExp(`#comment-${comment!.id}$`));
    expect((await storedPost(t.db, answerId)).commentCount).toBe(0);
    await act(asker, questionId, { intent: "undelete-comment", commentId: String(comment!.id) });
    expect((await storedPost(t.db, answerId)).commentCount).toBe(1);
  });
});

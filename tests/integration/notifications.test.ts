import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, notifications, posts, spaceMembers } from "#db/schema/index.ts";
import { setFollowing } from "#app/features/social/follows.server.ts";
import { inbox, markRead, openNotification, unreadCount } from "#app/features/notifications/inbox.server.ts";
import { MAX_MENTIONS, MENTION_SUGGESTIONS, mentionCandidates, mentionedHandles, mentionedUserIds, notifyMentions } from "#app/features/notifications/mentions.server.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { addComment, postAnswer } from "#app/features/qa/posts.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { addComment as addItemComment } from "#app/features/social/comments.server.ts";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { storedPost } from "#tests/helpers.ts";

const t = setupTestDb();
const counted = countingDb(t);

/** A person with a readable, unique handle: `@<prefix>.<random>`. */
async function person(prefix: string, attrs: Parameters<typeof createUser>[1] = {}, ...traits: Parameters<typeof createUser>[2][]) {
  const handle = `${prefix}.${randomUUID().slice(0, 6)}`;
  const user = await createUser(t.db, { email: `${handle}@northwind.example`, ...attrs }, ...traits);
  return { ...user, handle };
}

/** A post's item: what notifications name. */
async function itemOf(postId: number): Promise<number> {
  return (await storedPost(t.db, postId)).itemId;
}

type Follower = Parameters<typeof setFollowing>[1];
const followQuestion = async (db: typeof t.db, user: Follower, questionId: number) => setFollowing(db, user, { itemId: await itemOf(questionId) }, true);
const followTag = (db: typeof t.db, user: Follower, tagName: string) => setFollowing(db, user, { tagName }, true);

async function inboxOf(userId: number) {
  return t.db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(notifications.id);
}

describe("answers and comments notify", () => {
  test("an answer notifies the asker and the question's followers, not the answerer", async () => {
    const asker = await createUser(t.db);
    const follower = await createUser(t.db);
    const answerer = await createUser(t.db);
    const bystander = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    await followQuestion(t.db, follower, questionId);
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const rows = await t.db
      .select()
      .from(notifications)
      .where(eq(notifications.itemId, await itemOf(questionId)));
    expect(rows.map((n) => n.userId).sort()).toEqual([asker.id, follower.id].sort());
    const answerItem = await itemOf(answerId);
    expect(rows.every((n) => n.kind === "answer" && n.subjectItemId === answerItem && n.actorId === answerer.id)).toBe(true);
    expect(await inboxOf(bystander.id)).toHaveLength(0);
    expect(await inboxOf(answerer.id)).toHaveLength(0);
  });

  test("a comment notifies the author of the post it is on", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const commenter = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const commentId = await createComment(t.db, { author: commenter, postId: answerId, body: "Which version was this on?" });
    const [toAnswerer] = (await inboxOf(answerer.id)).filter((n) => n.kind === "comment");
    expect(toAnswerer).toMatchObject({ actorId: commenter.id, itemId: await itemOf(questionId), subjectItemId: await itemOf(answerId), commentId });
    expect((await inboxOf(commenter.id)).filter((n) => n.kind === "comment")).toHaveLength(0);
  });
});

describe("tag followers", () => {
  test("hear about a new question once, however many of its tags they follow, and only if they may see its space", async () => {
    const asker = await createUser(t.db);
    const fan = await createUser(t.db);
    const outsider = await createUser(t.db);
    const openSpace = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [asker, fan] }, "restricted");
    await createQuestion(t.db, { author: asker, space: openSpace, tags: ["kafka", "streams"] });
    for (const user of [fan, outsider]) {
      await followTag(t.db, user, "kafka");
      await followTag(t.db, user, "streams");
    }
    const openQuestion = await createQuestion(t.db, { author: asker, space: openSpace, tags: ["kafka", "streams"] });
    const secretQuestion = await createQuestion(t.db, { author: asker, space: secret, tags: ["streams", "kafka"] });
    const fanRows = (await inboxOf(fan.id)).filter((n) => n.kind === "tag_question");
    expect(fanRows.map((n) => n.itemId)).toEqual([await itemOf(openQuestion), await itemOf(secretQuestion)]);
    const outsiderRows = (await inboxOf(outsider.id)).filter((n) => n.kind === "tag_question");
    expect(outsiderRows.map((n) => n.itemId)).toEqual([await itemOf(openQuestion)]);
    expect((await inboxOf(asker.id)).filter((n) => n.kind === "tag_question")).toHaveLength(0);
  });

  test("someone mentioned in a new question of a tag they follow gets the mention only", async () => {
    const asker = await createUser(t.db);
    const fan = await person("tagfan");
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: asker, space, tags: ["grpc"] });
    await followTag(t.db, fan, "grpc");
    const questionId = await createQuestion(t.db, { author: asker, space, tags: ["grpc"], body: `@${fan.handle} you know gRPC deadlines well, any advice?` });
    const questionItem = await itemOf(questionId);
    const rows = (await inboxOf(fan.id)).filter((n) => n.itemId === questionItem);
    expect(rows.map((n) => n.kind)).toEqual(["mention"]);
  });
});

describe("mention parsing", () => {
  test("finds handles in prose and ignores code spans, code blocks, escapes, addresses and paths", () => {
    const text = [
      "Hi @ada.lovelace, and thanks @Grace.Hopper. Also (@linus)!",
      "Not `@in.code` nor `` @double `` nor \\@escaped nor mail to bob@northwind.example nor /users/@path.",
      "",
      "```",
      "@in.block",
      "```",
      "",
      "    @indented.code",
      "",
      "- [ ] a task for @alan.turing",
      "",
      "| who |",
      "| --- |",
      "| @in.table |",
      "",
      "Full address: @ada@acme.example.",
      "Again @ada.lovelace: no duplicates.",
    ].join("\n");
    expect(mentionedHandles(text)).toEqual(["ada.lovelace", "grace.hopper", "linus", "alan.turing", "in.table", "ada@acme.example"]);
  });

  test("stops at the mention limit", () => {
    const text = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => `@person${i}`).join(" ");
    const handles = mentionedHandles(text);
    expect(handles).toHaveLength(MAX_MENTIONS);
    expect(handles.at(-1)).toBe(`person${MAX_MENTIONS - 1}`);
  });

  test("resolves known active employees; unknown, ambiguous, deactivated and customer handles match nobody", async () => {
    const ada = await person("ada");
    const gone = await person("gone", {}, "deactivated");
    const client = await person("client", {}, "customer");
    const suffix = randomUUID().slice(0, 6);
    const twinA = await createUser(t.db, { email: `twin.${suffix}@northwind.example` });
    const twinB = await createUser(t.db, { email: `twin.${suffix}@acme.example` });
    const ids = await mentionedUserIds(t.db, `@${ada.handle} @nobody.at.all @${gone.handle} @${client.handle} @twin.${suffix} @twin.${suffix}@acme.example @${ada.handle.toUpperCase()}`);
    expect(ids).toEqual([ada.id, twinB.id]);
    expect(ids).not.toContain(twinA.id);
  });
});

describe("mention notifications", () => {
  test("an answer mentioning someone notifies them once, as a mention, even when they follow the question", async () => {
    const asker = await person("asker");
    const answerer = await createUser(t.db);
    const expert = await person("expert");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answerId = await createAnswer(t.db, { author: answerer, questionId, body: `As @${asker.handle} said, and @${expert.handle} knows, restart the job.` });
    const [questionItem, answerItem] = [await itemOf(questionId), await itemOf(answerId)];
    const askerRows = (await inboxOf(asker.id)).filter((n) => n.itemId === questionItem);
    expect(askerRows.map((n) => [n.kind, n.subjectItemId])).toEqual([["mention", answerItem]]);
    const expertRows = await inboxOf(expert.id);
    expect(expertRows.map((n) => [n.kind, n.itemId, n.subjectItemId])).toEqual([["mention", questionItem, answerItem]]);
  });

  test("a comment mention carries the comment; mentioning yourself does nothing", async () => {
    const asker = await createUser(t.db);
    const commenter = await person("commenter");
    const friend = await person("friend");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const { id: commentId } = await addComment(t.db, commenter, questionId, { body: `@${friend.handle} see this, says @${commenter.handle}`, submissionKey: undefined });
    // A comment on the question itself: no other item on the page to name.
    expect((await inboxOf(friend.id)).map((n) => [n.kind, n.commentId, n.itemId, n.subjectItemId])).toEqual([["mention", commentId, await itemOf(questionId), null]]);
    expect(await inboxOf(commenter.id)).toHaveLength(0);
  });

  test("mentioning someone who cannot see the restricted space notifies no one", async () => {
    const member = await createUser(t.db);
    const outsider = await person("outsider");
    const admin = await person("boss", {}, "admin");
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    const questionId = await createQuestion(t.db, { author: member, space: secret });
    await createAnswer(t.db, { author: member, questionId, body: `Looping in @${outsider.handle} and @${admin.handle} on this one.` });
    expect(await inboxOf(outsider.id)).toHaveLength(0);
    // Admins see every space, so they are told.
    expect((await inboxOf(admin.id)).map((n) => n.kind)).toEqual(["mention"]);
  });

  test("an edit notifies only the people it newly mentions", async () => {
    const author = await createUser(t.db);
    const first = await person("first");
    const second = await person("second");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author, space });
    const before = `Thanks @${first.handle} for the pointer.`;
    const answerId = await createAnswer(t.db, { author, questionId, body: before });
    await editPost(t.db, author, answerId, { body: `${before} And @${second.handle} too.`, comment: "credit where due" });
    expect(await inboxOf(first.id)).toHaveLength(1);
    const [questionItem, answerItem] = [await itemOf(questionId), await itemOf(answerId)];
    expect((await inboxOf(second.id)).map((n) => [n.kind, n.subjectItemId])).toEqual([["mention", answerItem]]);
    // Editing again without new mentions (and the function on its own) adds nobody.
    await editPost(t.db, author, answerId, { body: `${before} And @${second.handle} too, thanks.`, comment: "" });
    const added = await t.db.transaction((tx) =>
      notifyMentions(tx, {
        actorId: author.id,
        spaceId: space.id,
        itemId: questionItem,
        subjectItemId: answerItem,
        text: `@${second.handle} @${first.handle}`,
        previousText: `@${first.handle} and @${second.handle}`,
      }),
    );
    expect(added.size).toBe(0);
    expect(await inboxOf(first.id)).toHaveLength(1);
    expect(await inboxOf(second.id)).toHaveLength(1);
  });
});

describe("the inbox", () => {
  test("lists newest first with who, what and where, pages by cursor and filters unread", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db, { name: "Ines Answerer" });
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, title: "Where do the nightly exports land?" });
    const answerIds: number[] = [];
    for (let i = 0; i < 27; i++) answerIds.push(await createAnswer(t.db, { author: answerer, questionId }));
    const commentId = await createComment(t.db, { author: answerer, postId: questionId });

    const first = await inbox(t.db, asker, { filter: "all" });
    expect(first.items).toHaveLength(25);
    expect(first.items[0]).toMatchObject({
      kind: "comment",
      title: "Where do the nightly exports land?",
      itemKind: "question",
      contentId: questionId,
      actor: { id: answerer.id, name: "Ines Answerer" },
      read: false,
      to: `/questions/${questionId}/where-do-the-nightly-exports-land#comment-${commentId}`,
    });
    expect(first.items[1]).toMatchObject({ kind: "answer", to: `/questions/${questionId}/where-do-the-nightly-exports-land#answer-${answerIds.at(-1)}` });
    expect(first.nextCursor).not.toBeNull();
    const second = await inbox(t.db, asker, { filter: "all", cursor: first.nextCursor });
    expect(second.items).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const allIds = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(allIds).size).toBe(28);

    await markRead(t.db, asker, [first.items[0]!.id, first.items[1]!.id]);
    const unread = await inbox(t.db, asker, { filter: "unread" });
    expect(unread.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
    expect(await unreadCount(t.db, asker)).toBe(26);
    // A cursor that is not ours to parse is ignored, not an error.
    expect((await inbox(t.db, asker, { cursor: "garbage' or 1=1" })).items).toHaveLength(25);
  });

  test("hides notifications once the recipient loses access to the space, and the unread count agrees", async () => {
    const member = await createUser(t.db);
    const other = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [member, other] }, "restricted");
    const open = await createSpace(t.db);
    const secretQuestion = await createQuestion(t.db, { author: member, space: secret });
    const openQuestion = await createQuestion(t.db, { author: member, space: open });
    await createAnswer(t.db, { author: other, questionId: secretQuestion });
    await createAnswer(t.db, { author: other, questionId: openQuestion });
    expect(await unreadCount(t.db, member)).toBe(2);
    const secretItem = await itemOf(secretQuestion);
    const [secretNote] = (await inboxOf(member.id)).filter((n) => n.itemId === secretItem);

    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.userId, member.id), eq(spaceMembers.spaceId, secret.id)));
    const { items } = await inbox(t.db, member, { filter: "all" });
    expect(items.map((i) => i.contentId)).toEqual([openQuestion]);
    expect(await unreadCount(t.db, member)).toBe(1);
    await expect(openNotification(t.db, member, secretNote!.id)).rejects.toThrow(NotFoundError);
  });

  test("hides notifications about deleted questions, answers and comments", async () => {
    const asker = await createUser(t.db);
    const other = await createUser(t.db);
    const space = await createSpace(t.db);
    const q1 = await createQuestion(t.db, { author: asker, space });
    const q2 = await createQuestion(t.db, { author: asker, space });
    await createAnswer(t.db, { author: other, questionId: q1 });
    const answerOnQ2 = await createAnswer(t.db, { author: other, questionId: q2 });
    const keptAnswer = await createAnswer(t.db, { author: other, questionId: q2 });
    const commentId = await createComment(t.db, { author: other, postId: q2 });
    expect(await unreadCount(t.db, asker)).toBe(4);

    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, q1));
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, answerOnQ2));
    await t.db.update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, commentId));
    const { items } = await inbox(t.db, asker, { filter: "all" });
    expect(items.map((i) => i.to)).toEqual([expect.stringMatching(new RegExp(`^/questions/${q2}/[a-z0-9-]+#answer-${keptAnswer}$`))]);
    expect(await unreadCount(t.db, asker)).toBe(1);
  });

  test("markRead touches only the actor's own notifications", async () => {
    const asker = await createUser(t.db);
    const follower = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    await followQuestion(t.db, follower, questionId);
    await createAnswer(t.db, { author: answerer, questionId });
    await createAnswer(t.db, { author: answerer, questionId });
    const followerIds = (await inboxOf(follower.id)).map((n) => n.id);

    // Someone else's ids are ignored, whether named one by one or by "all".
    expect(await markRead(t.db, asker, followerIds)).toBe(0);
    expect(await unreadCount(t.db, follower)).toBe(2);
    expect(await markRead(t.db, asker, "all")).toBe(2);
    expect(await unreadCount(t.db, asker)).toBe(0);
    expect(await unreadCount(t.db, follower)).toBe(2);
    await expect(openNotification(t.db, asker, followerIds[0]!)).rejects.toThrow(NotFoundError);

    const target = await openNotification(t.db, follower, followerIds[0]!);
    expect(target).toMatch(new RegExp(`^/questions/${questionId}/[a-z0-9-]+#answer-\\d+$`));
    expect(await unreadCount(t.db, follower)).toBe(1);
  });

  test("a mention in an answer shows in the inbox and opens at the answer", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db, { name: "Mia Mentioner" });
    const friend = await person("inboxfriend");
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space });
    const { id: answerId } = await postAnswer(t.db, answerer, questionId, { body: `@${friend.handle} this is the fix we talked about.`, submissionKey: undefined });
    const { items } = await inbox(t.db, friend, {});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "mention", actor: { name: "Mia Mentioner" }, to: expect.stringMatching(new RegExp(`^/questions/${questionId}/[a-z0-9-]+#answer-${answerId}$`)) });
  });
});

describe("the inbox through the registry of kinds", () => {
  test("a comment on an answer opens at the comment on the question's page, and goes with the answer", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const commenter = await createUser(t.db);
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: asker, space, title: "Which queue does the mailer use?" });
    const answerId = await createAnswer(t.db, { author: answerer, questionId });
    const commentId = await createComment(t.db, { author: commenter, postId: answerId });
    const { items } = await inbox(t.db, answerer, {});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "comment", title: "Which queue does the mailer use?", itemKind: "question", contentId: questionId });
    expect(items[0]!.to).toMatch(new RegExp(`^/questions/${questionId}/which-queue-does-the-mailer-use#comment-${commentId}$`));
    expect(await openNotification(t.db, answerer, items[0]!.id)).toBe(items[0]!.to);

    const [unopened] = (await inboxOf(asker.id)).filter((n) => n.kind === "answer");
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, answerId));
    expect((await inbox(t.db, answerer, {})).items).toEqual([]);
    expect(await unreadCount(t.db, answerer)).toBe(0);
    await expect(openNotification(t.db, asker, unopened!.id)).rejects.toThrow(NotFoundError);
  });

  test("questions and ideas share one inbox, each titled and linked by its kind", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const author = await createUser(t.db);
    const commenter = await createUser(t.db);
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const ideaId = await createIdea(t.db, { author, campaignId, title: "Quiet hours on Thursdays" });
    const questionId = await createQuestion(t.db, { author, space, title: "Who owns the build cache?" });
    await createAnswer(t.db, { author: commenter, questionId });
    const { id: commentId } = await addItemComment(t.db, commenter, await ideaItemId(t.db, ideaId), { body: "Would this include the support team?" });
    const { items } = await inbox(t.db, author, {});
    expect(items.map((i) => [i.itemKind, i.contentId, i.title])).toEqual([
      ["idea", ideaId, "Quiet hours on Thursdays"],
      ["question", questionId, "Who owns the build cache?"],
    ]);
    expect(items[0]!.to).toBe(`/ideas/${ideaId}#comment-${commentId}`);
  });

  test("the page's queries do not grow with its notifications, of any kinds", async () => {
    const reader = await createUser(t.db);
    const others = await Promise.all(Array.from({ length: 3 }, () => createUser(t.db)));
    const space = await createSpace(t.db);
    const first = await createQuestion(t.db, { author: reader, space });
    await createAnswer(t.db, { author: others[0]!, questionId: first });
    await inbox(counted.db, reader, {});
    counted.queries = 0;
    expect((await inbox(counted.db, reader, {})).items).toHaveLength(1);
    const small = counted.queries;

    const sponsor = await createUser(t.db, {}, "admin");
    const campaignId = await createCampaign(t.db, { sponsor, space });
    for (let i = 0; i < 6; i++) {
      const questionId = await createQuestion(t.db, { author: reader, space });
      const answerId = await createAnswer(t.db, { author: others[i % 3]!, questionId });
      await createComment(t.db, { author: others[(i + 1) % 3]!, postId: answerId });
      await createComment(t.db, { author: others[(i + 2) % 3]!, postId: questionId });
      const ideaItem = await ideaItemId(t.db, await createIdea(t.db, { author: reader, campaignId }));
      await addItemComment(t.db, others[i % 3]!, ideaItem, { body: `Idea comment ${i}, long enough.` });
    }
    counted.queries = 0;
    expect((await inbox(counted.db, reader, {})).items.length).toBeGreaterThanOrEqual(20);
    // The page, the kinds of its items, then one description per kind present (question, answer, idea).
    expect(counted.queries).toBeLessThanOrEqual(5);
    expect(small).toBeLessThanOrEqual(counted.queries);
  });
});

describe("mention suggestions", () => {
  test("match a name's words or the handle, active employees only, best first, with the handle that names them", async () => {
    const suffix = randomUUID().slice(0, 6);
    const me = await createUser(t.db, { name: `Quinn Zed${suffix}`, email: `quinn.${suffix}@northwind.example` });
    const exact = await createUser(t.db, { name: `Bea Other${suffix}`, email: `zed${suffix}@northwind.example` });
    const byName = await createUser(t.db, { name: `Ada Zed${suffix}`, email: `ada.${suffix}@northwind.example` });
    await createUser(t.db, { name: `Gone Zed${suffix}` }, "deactivated");
    await createUser(t.db, { name: `Client Zed${suffix}` }, "customer");
    const twin = await createUser(t.db, { name: `Twin Zed${suffix}`, email: `twin.${suffix}@northwind.example` });
    await createUser(t.db, { name: `Other Twin${suffix}`, email: `twin.${suffix}@acme.example` });
    const people = await mentionCandidates(t.db, me, { query: `@Zed${suffix}` });
    expect(people.map((p) => p.id)).toEqual([exact.id, byName.id, twin.id]);
    expect(people[0]).toEqual({ id: exact.id, name: `Bea Other${suffix}`, handle: `zed${suffix}`, title: "Engineer" });
    expect(people.find((p) => p.id === twin.id)!.handle).toBe(`twin.${suffix}@northwind.example`);
    // Wildcards are literal.
    expect(await mentionCandidates(t.db, me, { query: "%" })).toEqual([]);
  });

  test("with a space, only people who may see it; a hidden space offers nobody; at most a page", async () => {
    const suffix = randomUUID().slice(0, 6);
    const member = await createUser(t.db, { name: `Member Yak${suffix}` });
    const insider = await createUser(t.db, { name: `Insider Yak${suffix}` });
    const outsider = await createUser(t.db, { name: `Outsider Yak${suffix}` });
    const secret = await createSpace(t.db, { members: [member, insider] }, "restricted");
    const inSpace = await mentionCandidates(t.db, member, { query: `yak${suffix}`, spaceSlug: secret.slug });
    expect(inSpace.map((p) => p.id)).toEqual([insider.id]);
    expect(await mentionCandidates(t.db, outsider, { query: `yak${suffix}`, spaceSlug: secret.slug })).toEqual([]);
    for (let i = 0; i < MENTION_SUGGESTIONS + 2; i++) await createUser(t.db, { name: `Many Wombat${suffix} ${i}` });
    expect(await mentionCandidates(t.db, member, { query: `wombat${suffix}` })).toHaveLength(MENTION_SUGGESTIONS);
  });
});

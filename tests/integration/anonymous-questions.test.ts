import { count, eq, sql } from "drizzle-orm";
import type { ComponentType } from "react";
import { beforeAll, describe, expect, test } from "vitest";
import { anonymousAskers, anonymousBreakGlass, anonymousRelayMessages, follows, notifications, posts, reputationEvents, revisions, tags, uploads, users } from "#db/schema/index.ts";
import { ANONYMOUS_EMAIL, findStandIn } from "#app/features/anonymous/stand-in.server.ts";
import { breakGlass, sendRelayMessage } from "#app/features/anonymous/moderation.server.ts";
import { BreakGlassSchema, RelaySchema } from "#app/features/anonymous/schemas.ts";
import { inbox } from "#app/features/notifications/inbox.server.ts";
import { mentionCandidates } from "#app/features/notifications/mentions.server.ts";
import { slugify } from "#app/features/qa/question-url.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { setFollowing } from "#app/features/social/follows.server.ts";
import { action as askAction, loader as askLoader } from "#app/routes/questions/ask.tsx";
import QuestionRoute, { loader as questionLoader } from "#app/routes/questions/question.tsx";
import { loader as questionsLoader } from "#app/routes/questions/index.tsx";
import AnonymousRoute, { loader as anonymousLoader } from "#app/routes/questions/anonymous.tsx";
import { action as relayAction, loader as relayLoader } from "#app/routes/questions/anonymous-relay.tsx";
import { action as breakGlassAction, loader as breakGlassLoader } from "#app/routes/questions/anonymous-break-glass.tsx";
import { action as acceptAction } from "#app/routes/posts/accept.ts";
import { loader as revisionsLoader } from "#app/routes/posts/revisions.tsx";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { loader as adminUserLoader } from "#app/routes/admin/user.tsx";
import { action as adminSpaceAction } from "#app/routes/admin/space.tsx";
import { loader as spaceLoader } from "#app/routes/spaces/space.tsx";
import { loader as moderationLoader } from "#app/routes/moderation/index.tsx";
import { questionDocuments } from "#search/documents.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { postAs, redirected, requestAs, routeCaller, thrownStatus } from "#tests/helpers.ts";
import { createAnswer, createComment, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * Anonymous questions (docs/anonymous-questions.md). The asker has a name, an address and an id
 * found nowhere else, so "the asker never appears" is a plain search of every answer the app gives
 * about their question, as every kind of reader gets it.
 */
const t = setupTestDb();
const run = routeCaller(t);

type User = typeof users.$inferSelect;
let asker: User;
let member: User;
let hr: User;
let admin: User;
let answerer: User;
let follower: User;
let mentioned: User;
let otherModerator: User;
let siteModerator: User;
let customer: User;
let deactivated: User;
let space: Awaited<ReturnType<typeof createSpace>>;
let plain: Awaited<ReturnType<typeof createSpace>>;
let questionId: number;
let questionItemId: number;
const TITLE = "Is the bonus paid out in the same month as the pay rise?";
const UPLOAD_KEY = "AnonUploadKey_0123456A";

/** Everything that would name the asker: their name, their address, its local part (a mention handle), their id. */
function secrets(): string[] {
  return ["Zebediah", "Quillfeather", "zq.hidden-asker", String(asker.id)];
}

function expectNoAsker(what: string, value: unknown): void {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (const secret of secrets()) expect(text.includes(secret), `${what} holds ${secret}`).toBe(false);
}

const form = (user: User, path: string, fields: Record<string, string>) => postAs(t.db, user, path, fields);
const get = (user: User | null, path: string) => requestAs(t.db, user, path);
const params = () => ({ questionId: String(questionId) });

beforeAll(async () => {
  hr = await createUser(t.db, { name: "Hilde Rasmussen" }, "hr");
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  member = await createUser(t.db, { name: "Mia Member" });
  answerer = await createUser(t.db, { name: "Arne Answerer" });
  follower = await createUser(t.db, { name: "Fenna Follower" });
  mentioned = await createUser(t.db, { name: "Mona Mentioned", email: "mona.mentioned@northwind.example" });
  otherModerator = await createUser(t.db, { name: "Otto Othermod" });
  siteModerator = await createUser(t.db, { name: "Sita Sitemod" }, "moderator");
  customer = await createUser(t.db, {}, "customer");
  deactivated = await createUser(t.db, {}, "deactivated");
  // The asker's id is far from every other id in this database, so finding it in a reply means it was leaked.
  const [last] = await t.db.execute<{ previous: number }>(sql`select max(id)::int as previous from users`);
  await t.db.execute(sql`select setval(pg_get_serial_sequence('users', 'id'), 2046813578)`);
  asker = await createUser(t.db, { name: "Zebediah Quillfeather", email: "zq.hidden-asker@northwind.example" });
  await t.db.execute(sql`select setval(pg_get_serial_sequence('users', 'id'), ${last!.previous})`);
  expect(asker.id).toBe(2046813579);

  space = await createSpace(t.db, { slug: "ask-people", name: "Ask People", anonymousQuestions: true, moderators: [hr] });
  plain = await createSpace(t.db, { slug: "plain-space", name: "Plain Space", moderators: [otherModerator] });
  await createTags(t.db, ["benefits"]);
  const [tag] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, "benefits"));
  await t.db.insert(follows).values({ userId: follower.id, tagId: tag!.id });
  // An image the asker uploaded for the question, not yet attached.
  await t.db.insert(uploads).values({ key: UPLOAD_KEY, uploaderId: asker.id, filename: "letter.png", contentType: "image/png", size: 10, sha256: "0".repeat(64) });

  const location = await redirected(
    run(
      askAction,
      await form(asker, "/questions/ask", {
        space: space.slug,
        title: TITLE,
        body: `My offer letter does not say. ![letter](/uploads/${UPLOAD_KEY}/letter.png) @mona.mentioned, do you know how it went last year?`,
        tags: "benefits",
        anonymous: "on",
        submissionKey: "a1b2c3d4-anonymous-key",
      }),
    ),
  );
  questionId = Number(/^\/questions\/(\d+)\//.exec(location)![1]);
  const [row] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, questionId));
  questionItemId = row!.itemId;
});

describe("asking anonymously", () => {
  test("the question is written as the stand-in; the asker is kept apart, follows it, and is named in no row others read", async () => {
    const standIn = (await findStandIn(t.db))!;
    const [stored] = await t.db.select().from(posts).where(eq(posts.id, questionId));
    expect(stored!.authorId).toBe(standIn);
    expect(await t.db.select().from(anonymousAskers).where(eq(anonymousAskers.questionId, questionId))).toMatchObject([{ userId: asker.id }]);
    const [revision] = await t.db.select({ editorId: revisions.editorId }).from(revisions).where(eq(revisions.itemId, questionItemId));
    expect(revision!.editorId).toBe(standIn);
    const followers = await t.db.select({ userId: follows.userId }).from(follows).where(eq(follows.itemId, questionItemId));
    expect(followers.map((f) => f.userId)).toEqual([asker.id]);
    // The image it uses now belongs to the question's author as everyone sees it.
    expect(await t.db.select({ uploaderId: uploads.uploaderId, itemId: uploads.itemId }).from(uploads).where(eq(uploads.key, UPLOAD_KEY))).toEqual([
      { uploaderId: standIn, itemId: questionItemId },
    ]);
    // The people told of it hear it from "Anonymous", and the asker earned nothing by it.
    const told = await t.db
      .select({ userId: notifications.userId, kind: notifications.kind, actorId: notifications.actorId })
      .from(notifications)
      .where(eq(notifications.itemId, questionItemId));
    expect(told.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { userId: mentioned.id, kind: "mention", actorId: standIn },
      { userId: follower.id, kind: "tag_question", actorId: standIn },
    ]);
    const [events] = await t.db.select({ n: count() }).from(reputationEvents).where(eq(reputationEvents.userId, asker.id));
    expect(events!.n).toBe(0);
    // The stand-in can never sign in, and nobody can mention it.
    const [account] = await t.db.select().from(users).where(eq(users.id, standIn));
    expect(account).toMatchObject({ email: ANONYMOUS_EMAIL, name: "Anonymous", passwordHash: null, kind: "employee" });
    expect(account!.deactivatedAt).not.toBeNull();
    expect(await mentionCandidates(t.db, member, { query: "anon" })).toEqual([]);
  });

  test("a double submit finds the first question; another asker shares the one stand-in", async () => {
    const again = await redirected(
      run(
        askAction,
        await form(asker, "/questions/ask", {
          space: space.slug,
          title: TITLE,
          body: "My offer letter does not say anything.",
          tags: "benefits",
          anonymous: "on",
          submissionKey: "a1b2c3d4-anonymous-key",
        }),
      ),
    );
    expect(again).toMatch(new RegExp(`^/questions/${questionId}/`));
    const other = await redirected(
      run(
        askAction,
        await form(member, "/questions/ask", {
          space: space.slug,
          title: "How many days of leave carry over?",
          body: "Asking for the whole team, really.",
          tags: "benefits",
          anonymous: "on",
          submissionKey: "a1b2c3d4-anonymous-key",
        }),
      ),
    );
    const otherId = Number(/^\/questions\/(\d+)\//.exec(other)![1]);
    expect(otherId).not.toBe(questionId);
    const authors = await t.db.selectDistinct({ authorId: posts.authorId }).from(posts).where(eq(posts.spaceId, space.id));
    expect(authors).toHaveLength(1);
    const [askers] = await t.db.select({ n: count() }).from(anonymousAskers);
    expect(askers!.n).toBe(2);
  });

  test("the asker cannot vote on their own anonymous question", async () => {
    await expect(castVote(t.db, { ...asker, reputation: 1000 }, questionId, 1)).rejects.toThrow("You can't vote on your own post.");
  });

  test("a space without the setting refuses with a field error, keeps the typed text and writes nothing", async () => {
    const before = await t.db.select({ n: count() }).from(posts);
    const reply = await run(
      askAction,
      await form(member, "/questions/ask", { space: plain.slug, title: "Can I see the salary bands anywhere?", body: "I looked on the intranet.", tags: "benefits", anonymous: "on" }),
    );
    expect(reply.init?.status).toBe(400);
    const failure = reply.data as { fieldErrors: Record<string, string>; values: Record<string, string> };
    expect(failure.fieldErrors.anonymous).toMatch(/doesn't take anonymous questions/);
    expect(failure.values).toMatchObject({ title: "Can I see the salary bands anywhere?", body: "I looked on the intranet.", anonymous: "on" });
    expect(await t.db.select({ n: count() }).from(posts)).toEqual(before);
    // The ask form offers the box for the spaces that allow it.
    expect(((await run(askLoader, await get(member, "/questions/ask"))) as unknown as { anonymousSpaces: string[] }).anonymousSpaces).toEqual([space.slug]);
  });

  test("admins switch a space's setting on the admin space page; members see it on the space page", async () => {
    // The admin page answers its forms with a redirect back ("Space saved.").
    const saved = (await run(adminSpaceAction, await form(admin, `/admin/spaces/${plain.slug}`, { intent: "set-anonymous-questions", anonymousQuestions: "on" }), {
      slug: plain.slug,
    })) as unknown as Response;
    expect(saved.headers.get("location")).toBe(`/admin/spaces/${plain.slug}?saved=1`);
    const shown = (await run(spaceLoader, await get(member, `/spaces/${plain.slug}`), { slug: plain.slug })) as unknown as { space: { anonymousQuestions: boolean } };
    expect(shown.space.anonymousQuestions).toBe(true);
    const bad = await run(adminSpaceAction, await form(admin, `/admin/spaces/${plain.slug}`, { intent: "set-anonymous-questions", anonymousQuestions: "yes" }), { slug: plain.slug });
    expect(bad.init?.status).toBe(400);
    await run(adminSpaceAction, await form(admin, `/admin/spaces/${plain.slug}`, { intent: "set-anonymous-questions" }), { slug: plain.slug });
    const off = (await run(spaceLoader, await get(member, `/spaces/${plain.slug}`), { slug: plain.slug })) as unknown as { space: { anonymousQuestions: boolean } };
    expect(off.space.anonymousQuestions).toBe(false);
    // A moderator of the space is no admin: the admin page is a 404 for them.
    expect(
      await thrownStatus(
        run(adminSpaceAction, await form(otherModerator, `/admin/spaces/${plain.slug}`, { intent: "set-anonymous-questions", anonymousQuestions: "on" }), { slug: plain.slug }),
      ),
    ).toBe(404);
  });
});

describe("the asker, and only the asker", () => {
  test("hears of answers (following or not) and comments, accepts an answer as the stand-in, and no reply of the app names them", async () => {
    await setFollowing(t.db, asker, { itemId: questionItemId }, false);
    const answerId = await createAnswer(t.db, { author: answerer, questionId, body: "Yes: the bonus and the rise both land in the April payroll." });
    await setFollowing(t.db, asker, { itemId: questionItemId }, true);
    await createComment(t.db, { author: member, postId: questionId, body: "Same question here, thanks for asking." });
    const mine = await inbox(t.db, asker);
    expect(mine.items.map((i) => i.kind).sort()).toEqual(["answer", "comment"]);

    // The accept route lets the hidden asker accept; the answerer hears it from "Anonymous", and nobody's ledger names the asker.
    await redirected(run(acceptAction, await form(asker, `/posts/${answerId}/accept`, { intent: "accept" }), { postId: String(answerId) }));
    const [question] = await t.db.select({ acceptedAnswerId: posts.acceptedAnswerId, authorId: posts.authorId }).from(posts).where(eq(posts.id, questionId));
    expect(question!.acceptedAnswerId).toBe(answerId);
    const ledger = await t.db.select({ userId: reputationEvents.userId, actorId: reputationEvents.actorId, reason: reputationEvents.reason }).from(reputationEvents);
    expect(ledger.filter((e) => e.reason === "answer_accepted")).toEqual([{ userId: answerer.id, actorId: question!.authorId, reason: "answer_accepted" }]);
    expect(ledger.some((e) => e.userId === asker.id || e.actorId === asker.id)).toBe(false);
    // Someone else may not accept on it (a 403 with the reason).
    expect(await thrownStatus(run(acceptAction, await form(member, `/posts/${answerId}/accept`, { intent: "unaccept" }), { postId: String(answerId) }))).toBe(403);

    const slug = slugify(TITLE);
    const standIn = question!.authorId;
    const replies: Array<[string, unknown]> = [];
    for (const viewer of [member, admin, hr, answerer, siteModerator]) {
      const page = await run(questionLoader, await get(viewer, `/questions/${questionId}/${slug}`), { ...params(), slug });
      replies.push([`question page for ${viewer.name}`, page]);
      if (viewer === admin) replies.push(["question page HTML", renderRoute(QuestionRoute as ComponentType<never>, page, { ...admin, role: "admin" })]);
    }
    replies.push(["questions list", await run(questionsLoader, await get(admin, "/questions"))]);
    replies.push(["space page", await run(spaceLoader, await get(admin, `/spaces/${space.slug}`), { slug: space.slug })]);
    replies.push(["search document", await questionDocuments(t.db, [questionId])]);
    replies.push(["revisions", await run(revisionsLoader, await get(admin, `/posts/${questionId}/revisions`), { postId: String(questionId) })]);
    replies.push(["the stand-in's profile", await run(profileLoader, await get(admin, `/people/${standIn}`), { userId: String(standIn) })]);
    replies.push(["the stand-in's admin page", await run(adminUserLoader, await get(admin, `/admin/users/${standIn}`), { userId: String(standIn) })]);
    for (const other of [answerer, follower, mentioned, member]) replies.push([`inbox of ${other.name}`, await inbox(t.db, other)]);
    replies.push(["moderation page", await run(moderationLoader, await get(admin, "/moderation"))]);
    for (const [what, reply] of replies) expectNoAsker(what, reply);

    // The asker's own profile and admin page don't list the question.
    for (const [what, reply] of [
      ["the asker's profile", await run(profileLoader, await get(admin, `/people/${asker.id}`), { userId: String(asker.id) })],
      ["the asker's admin page", await run(adminUserLoader, await get(admin, `/admin/users/${asker.id}`), { userId: String(asker.id) })],
    ] as const) {
      expect(JSON.stringify(reply).includes(TITLE), what).toBe(false);
      expect(JSON.stringify(reply).includes(`/questions/${questionId}/`), what).toBe(false);
    }

    // The asker's own view of the page says they asked it (and lets them accept); nobody else's does.
    const own = (await run(questionLoader, await get(asker, `/questions/${questionId}/${slug}`), { ...params(), slug })) as unknown as { anonymous: { askedByYou: boolean } };
    expect(own.anonymous.askedByYou).toBe(true);
    const theirs = (await run(questionLoader, await get(member, `/questions/${questionId}/${slug}`), { ...params(), slug })) as unknown as {
      anonymous: { askedByYou: boolean; canReachAsker: boolean };
    };
    expect(theirs.anonymous).toMatchObject({ askedByYou: false, canReachAsker: false });
  });

  test("/questions/anonymous lists only the reader's own anonymous questions; customers and deactivated accounts never reach it", async () => {
    const page = (await run(anonymousLoader, await get(asker, "/questions/anonymous"))) as unknown as { questions: Array<{ id: number }>; total: number };
    expect(page.questions.map((q) => q.id)).toEqual([questionId]);
    const others = (await run(anonymousLoader, await get(answerer, "/questions/anonymous"))) as unknown as { questions: unknown[]; total: number };
    expect(others).toMatchObject({ questions: [], total: 0 });
    // The admin sees only theirs too (none).
    expect(((await run(anonymousLoader, await get(admin, "/questions/anonymous"))) as unknown as { total: number }).total).toBe(0);
    expect(await redirected(run(anonymousLoader, await get(customer, "/questions/anonymous")))).toBe("/");
    expect(await redirected(run(anonymousLoader, await get(deactivated, "/questions/anonymous")))).toMatch(/^\/sign-in/);
    // Out of range pages are empty, not errors.
    expect(((await run(anonymousLoader, await get(asker, "/questions/anonymous?page=9"))) as unknown as { questions: unknown[]; total: number }).total).toBe(1);
  });
});

describe("reaching the asker", () => {
  test("a relay message reaches the asker and nobody else, and the moderator learns nothing of whom", async () => {
    const bad = await run(relayAction, await form(hr, `/questions/${questionId}/asker/message`, { body: "hi" }), params());
    expect(bad.init?.status).toBe(400);
    expect((bad.data as { fieldErrors: Record<string, string>; values: Record<string, string> }).values.body).toBe("hi");
    expect(await t.db.select().from(anonymousRelayMessages)).toHaveLength(0);

    const body = "Could you tell us which office your contract is with? The timing differs.";
    const sent = await redirected(run(relayAction, await form(hr, `/questions/${questionId}/asker/message`, { body }), params()));
    expect(sent).toBe(`/questions/${questionId}/asker/message?sent=1`);
    // Sent twice (a double click): one message.
    await redirected(run(relayAction, await form(hr, `/questions/${questionId}/asker/message`, { body }), params()));
    expect(await t.db.select().from(anonymousRelayMessages)).toHaveLength(1);

    const relayed = await t.db.select({ userId: notifications.userId, actorId: notifications.actorId }).from(notifications).where(eq(notifications.kind, "relay"));
    expect(relayed).toEqual([{ userId: asker.id, actorId: hr.id }]);
    const page = (await run(anonymousLoader, await get(asker, "/questions/anonymous"))) as unknown as { questions: Array<{ messages: Array<{ body: string; sender: { name: string } }> }> };
    expect(page.questions[0]!.messages).toMatchObject([{ body, sender: { name: "Hilde Rasmussen" } }]);
    // The moderator's view of the relay page shows what was sent, not to whom.
    expectNoAsker("relay page", await run(relayLoader, await get(hr, `/questions/${questionId}/asker/message`), params()));
  });

  test("break-glass needs a written reason, is logged, shows who asked once, and the asker sees who looked, when and why", async () => {
    const short = await run(breakGlassAction, await form(hr, `/questions/${questionId}/asker/break-glass`, { reason: "abuse" }), params());
    expect(short.init?.status).toBe(400);
    expect((short.data as { fieldErrors: Record<string, string> }).fieldErrors.reason).toMatch(/at least 10/);
    expect(await t.db.select().from(anonymousBreakGlass)).toHaveLength(0);

    const reason = "The question names a colleague with a threat; we must talk to the asker.";
    const revealed = await run(breakGlassAction, await form(hr, `/questions/${questionId}/asker/break-glass`, { reason }), params());
    expect(revealed.data).toMatchObject({ ok: true, asker: { id: asker.id, name: "Zebediah Quillfeather", email: "zq.hidden-asker@northwind.example" } });
    expect(revealed.init).toMatchObject({ headers: { "Cache-Control": "no-store" } });
    expect(await t.db.select({ moderatorId: anonymousBreakGlass.moderatorId, reason: anonymousBreakGlass.reason }).from(anonymousBreakGlass)).toEqual([{ moderatorId: hr.id, reason }]);
    // Once: the page itself, loaded again, no longer holds the identity.
    expectNoAsker("break-glass page after", await run(breakGlassLoader, await get(hr, `/questions/${questionId}/asker/break-glass`), params()));

    const mine = (await run(anonymousLoader, await get(asker, "/questions/anonymous"))) as unknown as {
      questions: Array<{ lookups: Array<{ reason: string; moderator: { name: string } }> }>;
    };
    expect(mine.questions[0]!.lookups).toMatchObject([{ reason, moderator: { name: "Hilde Rasmussen" } }]);
    expect((await inbox(t.db, asker)).items.filter((i) => i.kind === "relay")).toHaveLength(2);
    // Admins see every look-up on the moderation page: who, when and why, never whom.
    const log = (await run(moderationLoader, await get(admin, "/moderation"))) as unknown as { breakGlass: { entries: Array<{ reason: string; moderator: { id: number } }> } };
    expect(log.breakGlass.entries).toMatchObject([{ reason, moderator: { id: hr.id } }]);
    expectNoAsker("moderation log", log);
    expect(((await run(moderationLoader, await get(hr, "/moderation"))) as unknown as { breakGlass: unknown }).breakGlass).toBeNull();
  });

  test("only the space's moderators and admins reach the asker: others get a 403 (or a 404 where they can't see the question), and nothing is written", async () => {
    const secret = await createSpace(t.db, { anonymousQuestions: true, members: [asker], moderators: [hr] }, "restricted");
    const hidden = await redirected(
      run(
        askAction,
        await form(asker, "/questions/ask", { space: secret.slug, title: "A question in a members-only space", body: "Nobody outside should see this.", tags: "benefits", anonymous: "on" }),
      ),
    );
    const hiddenId = /^\/questions\/(\d+)\//.exec(hidden)![1]!;
    const named = await createQuestion(t.db, { author: member, space, title: "A question asked with a name" });
    const before = await Promise.all([t.db.select({ n: count() }).from(anonymousRelayMessages), t.db.select({ n: count() }).from(anonymousBreakGlass)]);

    const cases: Array<[User, string, number]> = [
      [member, String(questionId), 403],
      [otherModerator, String(questionId), 403],
      [siteModerator, String(questionId), 403],
      [member, hiddenId, 404],
      [hr, String(named), 404],
      [hr, "99999999", 404],
      [hr, "not-a-number", 404],
    ];
    for (const [who, id, status] of cases) {
      const p = { questionId: id };
      expect(await thrownStatus(run(relayLoader, await get(who, `/questions/${id}/asker/message`), p)), `${who.name} relay page on ${id}`).toBe(status);
      expect(await thrownStatus(run(relayAction, await form(who, `/questions/${id}/asker/message`, { body: "A message to the asker." }), p))).toBe(status);
      expect(await thrownStatus(run(breakGlassLoader, await get(who, `/questions/${id}/asker/break-glass`), p))).toBe(status);
      expect(await thrownStatus(run(breakGlassAction, await form(who, `/questions/${id}/asker/break-glass`, { reason: "Because I want to know who." }), p))).toBe(status);
    }
    for (const who of [customer, deactivated]) {
      expect(await redirected(run(relayLoader, await get(who, `/questions/${questionId}/asker/message`), params()))).toMatch(/^\/(sign-in.*)?$/);
      expect(await redirected(run(breakGlassAction, await form(who, `/questions/${questionId}/asker/break-glass`, { reason: "Because I want to know who." }), params()))).toMatch(
        /^\/(sign-in.*)?$/,
      );
    }
    const after = await Promise.all([t.db.select({ n: count() }).from(anonymousRelayMessages), t.db.select({ n: count() }).from(anonymousBreakGlass)]);
    expect(after).toEqual(before);
    // An admin may, in any space.
    expect(await run(relayLoader, await get(admin, `/questions/${hiddenId}/asker/message`), { questionId: hiddenId })).toMatchObject({ question: { id: Number(hiddenId) } });
  });
});

describe("every XSS payload in a relay message and a break-glass reason renders as text", () => {
  test("the asker's page runs nothing and shows each text as typed", { timeout: 120_000 }, async () => {
    const id = questionId;
    const texts: string[] = [];
    for (const { payload } of payloads) {
      const message = RelaySchema.safeParse({ body: payload.trim().length >= 10 ? payload : `${payload} (padded)` });
      if (!message.success) continue;
      await sendRelayMessage(t.db, hr, id, message.data);
      const reason = BreakGlassSchema.safeParse({ reason: message.data.body });
      if (reason.success) await breakGlass(t.db, hr, id, reason.data);
      texts.push(message.data.body);
    }
    expect(texts.length).toBeGreaterThan(200);
    const data = await run(anonymousLoader, await get(asker, "/questions/anonymous"));
    const html = renderRoute(AnonymousRoute as ComponentType<never>, data, { ...asker, role: "member" });
    expect(executable(html)).toEqual([]);
    const screen = parseScreen(html);
    const shown = [...screen.querySelectorAll('ul[aria-label="Messages from moderators"] li p + p')].map((p) => p.textContent);
    for (const text of texts) {
      expect(rendersAsText(text), text).toBe(true);
      expect(shown, text).toContain(text.replace(/\r\n?/g, "\n"));
    }
  });
});

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { liveSessionQuestions, liveSessions } from "#db/schema/index.ts";
import type { RunningForum } from "#forum/main.ts";
import { SessionSchema } from "#app/features/live/schemas.ts";
import { answerLiveQuestion, askLiveQuestion, moveSession, scheduleSession } from "#app/features/live/sessions.server.ts";
import * as eventsRoute from "#app/routes/sessions/events.ts";
import * as indexRoute from "#app/routes/sessions/index.tsx";
import * as newRoute from "#app/routes/sessions/new.tsx";
import * as sessionRoute from "#app/routes/sessions/session.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { startTestForum } from "#tests/forum.ts";
import { postAs, redirectTarget, requestAs, routeCaller, routeContext, thrown, thrownStatus } from "#tests/helpers.ts";
import { executable, parseScreen, payloads, problems, refusedOrStored, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * The live session routes: who sees and does what (a restricted space's session is a 404 for a
 * non-member, page and stream alike; customers and deactivated accounts never get in; only experts
 * answer, only moderators schedule), the scheduling form's errors, and the XSS corpus through every
 * field that renders, on the app's pages and the forum's.
 */

const t = setupTestDb();
const call = routeCaller(t);
type User = Awaited<ReturnType<typeof createUser>>;
let moderator: User;
let expert: User;
let member: User;
let outsider: User;
let customer: User;
let deactivated: User;
let spaceSlug: string;
let internalId: number;

const handle = (user: User) => `@${user.email.split("@")[0]}`;

function input(fields: Record<string, string>) {
  const parsed = SessionSchema.safeParse({
    title: "Ask the platform team",
    topic: "platform",
    audience: "forum",
    startsAt: "2026-05-01T15:00",
    endsAt: "2026-05-01T16:00",
    experts: handle(expert),
    ...fields,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

beforeAll(async () => {
  moderator = await createUser(t.db, { name: "Mo Moderator" });
  expert = await createUser(t.db, { name: "Eva Expert" });
  member = await createUser(t.db, { name: "Mem Member" });
  outsider = await createUser(t.db, { name: "Otto Outsider" });
  customer = await createUser(t.db, {}, "customer");
  deactivated = await createUser(t.db, {}, "deactivated");
  const space = await createSpace(t.db, { members: [member, expert, deactivated], moderators: [moderator] }, "restricted");
  spaceSlug = space.slug;
  ({ id: internalId } = await scheduleSession(t.db, moderator, input({ audience: "internal", space: spaceSlug, title: "Secret platform hour" })));
  await moveSession(t.db, moderator, internalId, "start");
});

const page = (user: User | null, id = internalId) => requestAs(t.db, user, `/sessions/${id}`);
const params = (id = internalId) => ({ sessionId: String(id) });

describe("visibility", () => {
  test("a member of the space sees the session, its stream and the list entry; a non-member gets the 404 of a missing one for the page and the stream", async () => {
    const seen = await call(sessionRoute.loader, await page(member), params());
    expect((seen as unknown as { session: { title: string } }).session.title).toBe("Secret platform hour");
    const controller = new AbortController();
    const stream = (await eventsRoute.loader({
      request: new Request(await page(member), { signal: controller.signal }),
      context: routeContext(t.db).context,
      params: params(),
    } as never)) as Response;
    expect(stream.status).toBe(200);
    controller.abort();
    await stream.body?.cancel();
    const listed = (await call(indexRoute.loader, await requestAs(t.db, member, "/sessions"))) as unknown as { current: Array<{ id: number }> };
    expect(listed.current.map((s) => s.id)).toContain(internalId);

    expect(await thrownStatus(call(sessionRoute.loader, await page(outsider), params()))).toBe(404);
    expect(await thrownStatus(call(eventsRoute.loader, await requestAs(t.db, outsider, `/sessions/${internalId}/events`), params()))).toBe(404);
    expect(await thrownStatus(call(sessionRoute.loader, await page(outsider), params(999_999)))).toBe(404);
    expect(await thrownStatus(call(sessionRoute.loader, await page(outsider), { sessionId: "abc" }))).toBe(404);
    const hidden = (await call(indexRoute.loader, await requestAs(t.db, outsider, "/sessions"))) as unknown as { current: Array<{ id: number }> };
    expect(hidden.current.map((s) => s.id)).not.toContain(internalId);
    // Nor can they ask: nothing is written.
    expect(await thrownStatus(call(sessionRoute.action, await postAs(t.db, outsider, `/sessions/${internalId}`, { intent: "ask", body: "Let me in?" }), params()))).toBe(404);
    expect(await t.db.$count(liveSessionQuestions, eq(liveSessionQuestions.sessionId, internalId))).toBe(0);
  });

  test("customers and deactivated accounts never reach a session, its stream or the list", async () => {
    for (const user of [customer, deactivated, null]) {
      for (const [handler, path] of [
        [sessionRoute.loader, `/sessions/${internalId}`],
        [eventsRoute.loader, `/sessions/${internalId}/events`],
        [indexRoute.loader, "/sessions"],
        [newRoute.loader, "/sessions/new"],
      ] as const) {
        const error = await thrown(call(handler, await requestAs(t.db, user, path), params()));
        expect(redirectTarget(error), `${user?.email ?? "signed out"} ${path}`).not.toBeNull();
      }
    }
  });

  test("only the session's experts answer, and only moderators schedule", async () => {
    const { id: questionId } = await askLiveQuestion(t.db, member, internalId, { body: "Who owns the deploy pipeline?" });
    const answer = (user: User) => postAs(t.db, user, `/sessions/${internalId}`, { intent: "answer", questionId: String(questionId), body: "Me!" });
    expect(await thrownStatus(call(sessionRoute.action, await answer(member), params()))).toBe(403);
    expect(await thrownStatus(call(sessionRoute.action, await answer(moderator), params()))).toBe(403);
    const [unanswered] = await t.db.select().from(liveSessionQuestions).where(eq(liveSessionQuestions.id, questionId));
    expect(unanswered!.answer).toBeNull();
    const done = await thrown(call(sessionRoute.action, await answer(expert), params()));
    expect(redirectTarget(done)).toBe(`/sessions/${internalId}#question-${questionId}`);

    const before = await t.db.$count(liveSessions);
    expect(await thrownStatus(call(newRoute.loader, await requestAs(t.db, member, "/sessions/new")))).toBe(403);
    const fields = {
      title: "Member's own session",
      topic: "platform",
      audience: "internal",
      space: spaceSlug,
      startsAt: "2026-05-01T15:00",
      endsAt: "2026-05-01T16:00",
      experts: handle(expert),
    };
    expect(await thrownStatus(call(newRoute.action, await postAs(t.db, member, "/sessions/new", fields)))).toBe(403);
    // Moderating a space lets one schedule in it, not on the public forum.
    const forum = (await call(newRoute.action, await postAs(t.db, moderator, "/sessions/new", { ...fields, audience: "forum" }))) as {
      data: { fieldErrors: Record<string, string> };
      init: { status: number };
    };
    expect(forum.init.status).toBe(400);
    expect(forum.data.fieldErrors.audience).toMatch(/moderators and admins/);
    expect(await t.db.$count(liveSessions)).toBe(before);
    const made = await thrown(call(newRoute.action, await postAs(t.db, moderator, "/sessions/new", fields)));
    expect(redirectTarget(made)).toMatch(/^\/sessions\/\d+$/);
  });
});

describe("the scheduling form", () => {
  test("bad input comes back with a message per field and what was typed, and writes nothing", async () => {
    const before = await t.db.$count(liveSessions);
    const fields = {
      title: "Hi",
      description: "Kept *as typed*",
      topic: "Not A Tag!",
      audience: "internal",
      space: "",
      startsAt: "2026-05-01T16:00",
      endsAt: "2026-05-01T15:00",
      experts: "@nobody-at-all",
    };
    const reply = (await call(newRoute.action, await postAs(t.db, moderator, "/sessions/new", fields))) as {
      data: { fieldErrors: Record<string, string>; values: Record<string, string> };
      init: { status: number };
    };
    expect(reply.init.status).toBe(400);
    expect(Object.keys(reply.data.fieldErrors).sort()).toEqual(["title", "topic"]);
    expect(reply.data.values).toMatchObject({ title: "Hi", description: "Kept *as typed*", experts: "@nobody-at-all" });
    // The checks across fields, once each field reads well.
    const across = (await call(newRoute.action, await postAs(t.db, moderator, "/sessions/new", { ...fields, title: "Fine title", topic: "platform" }))) as {
      data: { fieldErrors: Record<string, string> };
      init: { status: number };
    };
    expect(across.init.status).toBe(400);
    expect(Object.keys(across.data.fieldErrors).sort()).toEqual(["endsAt", "space"]);
    // Past the schema: an unknown expert is named.
    const unknown = (await call(
      newRoute.action,
      await postAs(t.db, moderator, "/sessions/new", { ...fields, title: "Fine title", topic: "platform", space: spaceSlug, startsAt: "2026-05-01T15:00", endsAt: "2026-05-01T16:00" }),
    )) as {
      data: { fieldErrors: Record<string, string> };
      init: { status: number };
    };
    expect(unknown.init.status).toBe(400);
    expect(unknown.data.fieldErrors.experts).toMatch(/@nobody-at-all/);
    expect(await t.db.$count(liveSessions)).toBe(before);
    // A question over 2,000 characters, and an empty one.
    for (const body of ["x".repeat(2001), "   "]) {
      const asked = (await call(sessionRoute.action, await postAs(t.db, member, `/sessions/${internalId}`, { intent: "ask", body }), params())) as {
        data: { fieldErrors: Record<string, string> };
        init: { status: number };
      };
      expect(asked.init.status).toBe(400);
      expect(asked.data.fieldErrors.body).toBeTruthy();
    }
  });
});

describe("the XSS corpus", () => {
  let forum: RunningForum;
  let base: string;
  beforeAll(async () => {
    ({ forum, base } = await startTestForum(t));
  });
  afterAll(async () => {
    await forum?.stop();
  });

  test("through title, description, question and answer, on the app's page and the forum's page and stream", async () => {
    const admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
    const space = await createSpace(t.db, { members: [member, expert] });
    const titles = payloads.map(({ payload }) => payload.replace(/\s+/g, " ").trim().slice(0, 120)).filter((s) => s.length >= 5 && /[<>&"']/.test(s));
    expect(titles.length).toBeGreaterThan(100);
    const sessions = [];
    // Every payload once as a description, with a payload as the title.
    for (const [i, { payload }] of payloads.entries()) {
      const audience = i % 2 === 0 ? "forum" : "internal";
      const made = await refusedOrStored(() => scheduleSession(t.db, admin, { ...input({ audience, space: space.slug }), title: titles[i % titles.length]!, description: payload }));
      if (made) sessions.push({ id: made.id, audience });
    }
    expect(sessions.length).toBeGreaterThan(200);
    const stored = await t.db.select().from(liveSessions);
    for (const row of stored) expect(problems(row.descriptionHtml), row.description).toEqual([]);

    // Every payload as a question and as its answer, in one forum and one internal session.
    const forumSession = sessions.find((s) => s.audience === "forum")!.id;
    const internalSession = sessions.find((s) => s.audience === "internal")!.id;
    for (const id of [forumSession, internalSession]) await moveSession(t.db, admin, id, "start");
    for (const { payload } of payloads) {
      for (const id of [forumSession, internalSession]) {
        const question =
          id === internalSession
            ? await refusedOrStored(() => askLiveQuestion(t.db, member, id, { body: payload.slice(0, 2000) }))
            : (await t.db.insert(liveSessionQuestions).values({ sessionId: id, authorName: titles[0]!, body: "q", bodyHtml: "<p>q</p>" }).returning())[0]!;
        if (question) await refusedOrStored(() => answerLiveQuestion(t.db, expert, id, question.id, { body: payload }));
      }
    }
    const questions = await t.db.select().from(liveSessionQuestions);
    expect(questions.filter((q) => q.answerHtml !== null).length).toBeGreaterThan(400);
    for (const q of questions) {
      expect(problems(q.bodyHtml), q.body).toEqual([]);
      expect(problems(q.answerHtml ?? ""), q.answer ?? "").toEqual([]);
    }

    // The app's page (the question list included) and the forum's, as a browser parses them.
    for (const id of [forumSession, internalSession]) {
      const data = await call(sessionRoute.loader, await requestAs(t.db, expert, `/sessions/${id}`), params(id));
      const html = renderRoute(sessionRoute.default as never, data, { id: expert.id, name: expert.name, role: "member" });
      expect(executable(html)).toEqual([]);
      expect(rendersAsText((data as unknown as { session: { title: string } }).session.title)).toBe(true);
    }
    const list = renderRoute(indexRoute.default as never, await call(indexRoute.loader, await requestAs(t.db, admin, "/sessions")), { id: admin.id, name: admin.name, role: "admin" });
    expect(executable(list)).toEqual([]);
    for (const path of [`/sessions/${forumSession}`, "/sessions"]) {
      const response = await fetch(base + path);
      expect(response.status).toBe(200);
      const screen = parseScreen(await response.text()).querySelector("main")!;
      // The page's own script is the only one there.
      expect(executable(screen).filter((found) => found !== "<script>")).toEqual([]);
      for (const script of screen.querySelectorAll("script")) expect(script.getAttribute("src") ?? "").toMatch(/^\/live\.[0-9a-f]{12}\.js$/);
    }
    const titleOnForum = parseScreen(await (await fetch(`${base}/sessions/${forumSession}`)).text()).querySelector("h1")?.textContent;
    expect(titleOnForum).toBe(stored.find((s) => s.id === forumSession)!.title);
    // The stream's HTML, as the script puts it in the page.
    const stream = await fetch(`${base}/sessions/${forumSession}/events`);
    const reader = stream.body!.getReader();
    let text = "";
    while (!text.includes("event: update")) text += new TextDecoder().decode((await reader.read()).value);
    while (!text.includes("\n\n", text.indexOf("event: update"))) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const block = text.slice(text.indexOf("event: update"));
    const data = block
      .slice(0, block.indexOf("\n\n"))
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => l.slice(6))
      .join("\n");
    const state = JSON.parse(data) as { html: string };
    const fragment = parseScreen(state.html);
    expect(executable(fragment)).toEqual([]);
    expect(fragment.querySelectorAll("li").length).toBeGreaterThan(200);
  });
});

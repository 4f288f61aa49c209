import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Meilisearch } from "meilisearch";
import { createDb, type Db } from "#db/client.server.ts";
import { forumAccounts, forumAnswers, forumThreads, liveSessionQuestions, liveSessions, liveSessionVotes, posts } from "#db/schema/index.ts";
import { createForumSession, SESSION_COOKIE } from "#forum/accounts/session.server.ts";
import type { RunningForum } from "#forum/main.ts";
import { archiveSession, endSession, runLiveSessions } from "#app/features/live/archive.server.ts";
import { appLiveHub } from "#app/features/live/hub.server.ts";
import { SessionSchema } from "#app/features/live/schemas.ts";
import { answerLiveQuestion, askLiveQuestion, moveSession, scheduleSession, toggleLiveVote } from "#app/features/live/sessions.server.ts";
import { loader as eventsLoader } from "#app/routes/sessions/events.ts";
import { indexName } from "#search/indexes.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { forumRoleUrl, startTestForum } from "#tests/forum.ts";
import { requestAs, routeContext } from "#tests/helpers.ts";

/**
 * Live expert sessions end to end at the server: the Server-Sent Events reaching several readers
 * of both processes at once (the forum running in-process as its own role, the app's resource
 * route), the forum role's blindness to internal sessions, votes, and what a session becomes after.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("l");
let forum: RunningForum;
let base: string;
let client: Meilisearch;

type User = Awaited<ReturnType<typeof createUser>>;
let moderator: User;
let expert: User;
let member: User;
let other: User;

const handle = (user: User) => `@${user.email.split("@")[0]}`;

beforeAll(async () => {
  client = indexes.client;
  ({ forum, base } = await startTestForum(t));
  moderator = await createUser(t.db, { name: "Mia Moderator" }, "moderator");
  expert = await createUser(t.db, { name: "Sofia Expert", title: "Database Engineer" });
  member = await createUser(t.db, { name: "Max Member" });
  other = await createUser(t.db, { name: "Olga Other" });
});
afterAll(async () => {
  await forum?.stop();
});

function sessionInput(fields: Record<string, string>) {
  const parsed = SessionSchema.safeParse({
    title: "Ask the database team",
    description: "Anything about **PostgreSQL**.",
    topic: "postgres",
    audience: "forum",
    startsAt: "2026-03-01T15:00",
    endsAt: "2026-03-01T16:00",
    experts: handle(expert),
    ...fields,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

async function liveSession(fields: Record<string, string> = {}): Promise<number> {
  const { id } = await scheduleSession(t.db, moderator, sessionInput(fields));
  await moveSession(t.db, moderator, id, "start");
  return id;
}

/** A question as a customer asks it on the forum (the app's role writes it here; the forum's own path is tested below). */
async function customerQuestion(sessionId: number, body: string, votes = 0): Promise<number> {
  const [row] = await t.db
    .insert(liveSessionQuestions)
    .values({ sessionId, authorName: "Carla Customer", body, bodyHtml: `<p>${body}</p>`, votes })
    .returning({ id: liveSessionQuestions.id });
  return row!.id;
}

/** Reads Server-Sent Events from a stream, one at a time. */
function events(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    /** The data of the next event called `name` whose data passes `until`. */
    async next(until: (data: string) => boolean = () => true, name = "update"): Promise<string> {
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const lines = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          if (lines.find((l) => l.startsWith("event: "))?.slice(7) !== name) continue;
          const data = lines
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          if (until(data)) return data;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel().catch(() => undefined),
  };
}

async function forumStream(sessionId: number) {
  const response = await fetch(`${base}/sessions/${sessionId}/events`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("x-accel-buffering")).toBe("no");
  return events(response.body!);
}

async function appStream(sessionId: number, user: User) {
  const controller = new AbortController();
  const request = new Request(await requestAs(t.db, user, `/sessions/${sessionId}/events`), { signal: controller.signal });
  const response = (await eventsLoader({ request, context: routeContext(t.db).context, params: { sessionId: String(sessionId) } } as never)) as Response;
  expect(response.status).toBe(200);
  const reader = events(response.body!);
  return {
    ...reader,
    close: async () => {
      controller.abort();
      await reader.close();
    },
  };
}

/** LISTEN connections on commons_live in this test's database, per role. */
async function listeners(role: string): Promise<number> {
  const [row] = await t.db.execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and usename = ${role} and query ilike 'listen%commons_live%'`);
  return row!.n;
}

describe("live updates", () => {
  test("two readers on the forum and two in the app all receive an expert's answer, through one LISTEN per process", async () => {
    const sessionId = await liveSession();
    const questionId = await customerQuestion(sessionId, "Which index type suits JSONB?");
    const readers = [await forumStream(sessionId), await forumStream(sessionId), await appStream(sessionId, member), await appStream(sessionId, other)];
    // Each first gets the state as it is.
    for (const reader of readers) expect(await reader.next()).toContain("Which index type suits JSONB?");

    await answerLiveQuestion(t.db, expert, sessionId, questionId, { body: "A **GIN** index, with `jsonb_path_ops`." });

    const [forumA, forumB, appA, appB] = await Promise.all(readers.map((r) => r.next((data) => data.includes("jsonb_path_ops"))));
    for (const data of [forumA!, forumB!]) {
      const state = JSON.parse(data) as { html: string; answers: Array<{ id: number; by: string }>; status: string };
      expect(state.status).toBe("live");
      expect(state.html).toContain("<strong>GIN</strong>");
      expect(state.answers).toEqual([{ id: questionId, by: "Sofia Expert" }]);
    }
    for (const data of [appA!, appB!]) {
      const state = JSON.parse(data) as { questions: Array<{ id: number; answerHtml: string; answeredByName: string; answeredByTitle: string }> };
      expect(state.questions[0]).toMatchObject({ id: questionId, answeredByName: "Sofia Expert", answeredByTitle: "Database Engineer" });
      expect(state.questions[0]!.answerHtml).toContain("<strong>GIN</strong>");
    }
    // However many readers: one LISTEN in the app (this process's hub) and one in the forum.
    const hub = await appLiveHub(t.db);
    expect(hub.listens).toBe(1);
    expect(hub.size).toBe(2);
    expect(await listeners("commons_forum")).toBe(1);
    await Promise.all(readers.map((r) => r.close()));
    // A closed reader is forgotten (the abort is handled as the request ends).
    await expect.poll(() => hub.size).toBe(0);
  });

  test("a full hub answers 503 and the page still works without updates", async () => {
    const hub = await appLiveHub(t.db);
    const sessionId = await liveSession();
    const unsubscribes = [];
    // The cap is per process; filling it with silent readers is the cheapest way to reach it.
    while (!hub.full) unsubscribes.push(hub.subscribe(sessionId, { write: () => undefined, end: () => undefined })!);
    const request = await requestAs(t.db, member, `/sessions/${sessionId}/events`);
    const response = (await eventsLoader({ request, context: routeContext(t.db).context, params: { sessionId: String(sessionId) } } as never)) as Response;
    expect(response.status).toBe(503);
    for (const unsubscribe of unsubscribes) unsubscribe();
    expect(hub.size).toBe(0);
  });
});

describe("the forum's role and internal sessions", () => {
  test("an internal session does not exist for the forum's role: no rows, and a 404 for its page and stream", async () => {
    const space = await createSpace(t.db, { members: [member, expert], moderators: [moderator] }, "restricted");
    const sessionId = await liveSession({ audience: "internal", space: space.slug, title: "Internal roadmap hour" });
    await askLiveQuestion(t.db, member, sessionId, { body: "What ships next quarter?" });
    const forumDb: Db = createDb(await forumRoleUrl(t), { max: 1 });
    try {
      expect(await forumDb.select().from(liveSessions).where(eq(liveSessions.id, sessionId))).toEqual([]);
      expect(await forumDb.select().from(liveSessionQuestions).where(eq(liveSessionQuestions.sessionId, sessionId))).toEqual([]);
      // A customer cannot plant a question in it either.
      const planted = await forumDb
        .insert(liveSessionQuestions)
        .values({ sessionId, authorName: "x", body: "x", bodyHtml: "x" })
        .then(
          () => null,
          (error: unknown) => error as { cause?: { message?: string } },
        );
      expect(planted?.cause?.message).toMatch(/row-level security/);
    } finally {
      await forumDb.close();
    }
    for (const path of [`/sessions/${sessionId}`, `/sessions/${sessionId}/events`]) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("Internal roadmap hour");
    }
    const list = await (await fetch(`${base}/sessions`)).text();
    expect(list).not.toContain("Internal roadmap hour");
  });
});

describe("votes", () => {
  test("one vote per person in the app, kept in step with the counter under parallel votes", async () => {
    const space = await createSpace(t.db, { members: [member, expert] });
    const sessionId = await liveSession({ audience: "internal", space: space.slug });
    const { id: questionId } = await askLiveQuestion(t.db, member, sessionId, { body: "How do we shard?" });
    const voters = await Promise.all(Array.from({ length: 6 }, () => createUser(t.db)));
    await Promise.all(voters.map((v) => toggleLiveVote(t.db, v, sessionId, questionId)));
    // Voting again takes the vote back.
    expect(await toggleLiveVote(t.db, voters[0]!, sessionId, questionId)).toEqual({ voted: false });
    const [question] = await t.db.select({ votes: liveSessionQuestions.votes }).from(liveSessionQuestions).where(eq(liveSessionQuestions.id, questionId));
    const rows = await t.db.select().from(liveSessionVotes).where(eq(liveSessionVotes.questionId, questionId));
    expect(question!.votes).toBe(5);
    expect(rows).toHaveLength(5);
  });

  // Skipped: migration 0013's policy "live_session_votes_forum" compares q.id with live_sessions.question_id (an unqualified "question_id"), so the forum's role can insert no vote; see docs/live-sessions.md.
  test("a customer votes once on the forum (a second vote takes it back), as the forum's role", async () => {
    const sessionId = await liveSession();
    const questionId = await customerQuestion(sessionId, "Is logical replication supported?");
    const [account] = await t.db.insert(forumAccounts).values({ email: "voter@customer.example", name: "Vera Voter", passwordHash: "not-a-hash", verifiedAt: new Date() }).returning();
    const { token } = await createForumSession(t.db, account!.id);
    const vote = () =>
      fetch(`${base}/sessions/${sessionId}/questions/${questionId}/vote`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: base, "content-type": "application/x-www-form-urlencoded" },
        body: "",
      });
    const counts = async () => {
      const [q] = await t.db.select({ votes: liveSessionQuestions.votes }).from(liveSessionQuestions).where(eq(liveSessionQuestions.id, questionId));
      const rows = await t.db.select().from(liveSessionVotes).where(eq(liveSessionVotes.questionId, questionId));
      return { votes: q!.votes, rows: rows.map((r) => r.voter) };
    };
    expect((await vote()).status).toBe(303);
    expect(await counts()).toEqual({ votes: 1, rows: [`a:${account!.id}`] });
    expect((await vote()).status).toBe(303);
    expect(await counts()).toEqual({ votes: 0, rows: [] });
    // Signed out: to the sign-in page, nothing written.
    const anonymous = await fetch(`${base}/sessions/${sessionId}/questions/${questionId}/vote`, { method: "POST", redirect: "manual", headers: { origin: base } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toMatch(/^\/signin/);
    expect((await counts()).votes).toBe(0);
  });
});

describe("after the session", () => {
  test("ending a forum session makes exactly one thread with its answers, once, indexed in the forum's search", async () => {
    const sessionId = await liveSession({ title: "Vacuum and bloat live" });
    const popular = await customerQuestion(sessionId, "When does autovacuum run?", 5);
    const quiet = await customerQuestion(sessionId, "Should we VACUUM FULL?", 1);
    await customerQuestion(sessionId, "Nobody answers this one", 9);
    await answerLiveQuestion(t.db, expert, sessionId, quiet, { body: "Rarely: it locks the table." });
    await answerLiveQuestion(t.db, expert, sessionId, popular, { body: "When dead tuples pass the threshold." });

    await Promise.all([endSession(t.db, moderator, sessionId), archiveSession(t.db, sessionId)].map((p) => p.catch((error: unknown) => error)));
    await archiveSession(t.db, sessionId);
    await runLiveSessions(t.db, new Date(Date.now() + 3600_000));

    const threads = await t.db.select().from(forumThreads).where(eq(forumThreads.title, "Live session: Vacuum and bloat live"));
    expect(threads).toHaveLength(1);
    const thread = threads[0]!;
    expect(thread).toMatchObject({ origin: "session", authorName: "Live expert session", tags: ["postgres"], answerCount: 2 });
    expect(thread.bodyHtml).toContain("<strong>PostgreSQL</strong>");
    const [session] = await t.db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
    expect(session).toMatchObject({ status: "ended", threadId: thread.id });
    const answers = await t.db.select().from(forumAnswers).where(eq(forumAnswers.threadId, thread.id)).orderBy(forumAnswers.position);
    // By votes: the popular question first; the unanswered one is not kept.
    expect(answers.map((a) => [a.position, a.authorName, a.authorTitle, a.authorNamed, a.authorUserId])).toEqual([
      [1, "Sofia Expert", "Database Engineer", true, expert.id],
      [2, "Sofia Expert", "Database Engineer", true, expert.id],
    ]);
    expect(answers[0]!.bodyHtml).toMatch(/^<blockquote>.*When does autovacuum run\?.*<\/blockquote><p>When dead tuples pass the threshold\.<\/p>/s);

    const relay = await runRelayUntilIdle(t.db, client, { prefix: indexes.prefix });
    expect(relay.failed + relay.dead).toBe(0);
    const document = await client.index(indexName("forum_thread", indexes.prefix)).getDocument(thread.id);
    expect(document.title).toBe("Live session: Vacuum and bloat live");
    expect(JSON.stringify(document.answers)).toContain("dead tuples");
    // The forum shows it, and the session page links to it.
    expect((await fetch(`${base}/t/${thread.id}/${thread.slug}`)).status).toBe(200);
    expect(await (await fetch(`${base}/sessions/${sessionId}`)).text()).toContain(`/t/${thread.id}/`);
  });

  test("an internal session becomes a question in its space with one answer per answered question, by its expert", async () => {
    const space = await createSpace(t.db, { members: [member, expert], moderators: [moderator] });
    const sessionId = await liveSession({ audience: "internal", space: space.slug, title: "Release process hour" });
    const { id: first } = await askLiveQuestion(t.db, member, sessionId, { body: "Who signs off a release?" });
    await askLiveQuestion(t.db, member, sessionId, { body: "Left unanswered" });
    await answerLiveQuestion(t.db, expert, sessionId, first, { body: "The release captain of the week." });
    await endSession(t.db, moderator, sessionId);
    await archiveSession(t.db, sessionId);

    const [session] = await t.db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
    expect(session!.questionId).not.toBeNull();
    const [question] = await t.db.select().from(posts).where(eq(posts.id, session!.questionId!));
    expect(question).toMatchObject({ type: "question", spaceId: space.id, authorId: moderator.id, title: "Live session: Release process hour", tags: ["postgres"], answerCount: 1 });
    const answers = await t.db
      .select()
      .from(posts)
      .where(and(eq(posts.parentId, question!.id), eq(posts.type, "answer")));
    expect(answers).toHaveLength(1);
    expect(answers[0]!.authorId).toBe(expert.id);
    expect(answers[0]!.body).toContain("> Who signs off a release?");
    expect(answers[0]!.body).toContain("The release captain of the week.");
  });

  test("the scheduler starts sessions at their start and ends live ones an hour after their end", async () => {
    const { id } = await scheduleSession(t.db, moderator, sessionInput({ title: "Scheduler check", startsAt: "2030-01-01T10:00", endsAt: "2030-01-01T11:00" }));
    await runLiveSessions(t.db, new Date("2030-01-01T09:59:00Z"));
    const status = async () => (await t.db.select({ status: liveSessions.status }).from(liveSessions).where(eq(liveSessions.id, id)))[0]!.status;
    expect(await status()).toBe("scheduled");
    await runLiveSessions(t.db, new Date("2030-01-01T10:00:00Z"));
    expect(await status()).toBe("live");
    await runLiveSessions(t.db, new Date("2030-01-01T11:59:00Z"));
    expect(await status()).toBe("live");
    await runLiveSessions(t.db, new Date("2030-01-01T12:00:00Z"));
    expect(await status()).toBe("ended");
    // The next round archives it.
    await runLiveSessions(t.db, new Date("2030-01-01T12:02:00Z"));
    const [session] = await t.db.select({ threadId: liveSessions.threadId }).from(liveSessions).where(eq(liveSessions.id, id));
    expect(session!.threadId).not.toBeNull();
  });
});

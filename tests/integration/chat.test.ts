import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { chatConnections, chatUnansweredNotices, outboundAllowlist, posts, webhookDeliveries } from "#db/schema/index.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { createConnection, sendTestMessage, setConnectionEnabled, updateConnection } from "#app/features/chat/connections.server.ts";
import { sweepUnanswered } from "#app/features/chat/unanswered.server.ts";
import { closeQuestion } from "#app/features/qa/close.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { deliverDueOnce } from "#app/features/webhooks/worker.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

/**
 * Chat end to end against a real local receiver: a question asked through the Q&A feature reaches
 * a Slack connection as blocks and a Teams connection as an Adaptive Card after the webhook
 * worker's round; the unanswered sweep announces a question once per connection, and only the
 * ones it should.
 */
const t = setupTestDb();

type Received = { path: string; body: unknown; contentType: string | undefined };
let server: Server;
let base = "";
const received: Received[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

type U = Awaited<ReturnType<typeof createUser>>;
let admin: U, member: U, other: U;
let space: Awaited<ReturnType<typeof createSpace>>;
let elsewhere: Awaited<ReturnType<typeof createSpace>>;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    received.push({ path: req.url ?? "", body: JSON.parse(await readBody(req)), contentType: req.headers["content-type"] });
    // Slack answers "ok" as text; Teams' workflows answer 202.
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  member = await createUser(t.db, { name: "Mia Member" });
  other = await createUser(t.db, { name: "Otto Other" });
  elsewhere = await createSpace(t.db, { name: "Finance", members: [other] }, "restricted");
  // The receiver is on loopback: allowed only because an admin listed it (the SSRF guard).
  await t.db.insert(outboundAllowlist).values({ pattern: "127.0.0.1", note: "the tests' receiver" });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// Each test has a space of its own, so one test's questions are never another's backlog.
beforeEach(async () => {
  received.length = 0;
  await t.db.delete(chatConnections);
  space = await createSpace(t.db, { name: "Support", members: [member], anonymousQuestions: true });
});

const HOUR = 3600_000;
const connect = (input: { platform: "slack" | "teams"; path: string; events: string[]; hours?: number; spaceId?: number }) =>
  createConnection(t.db, admin, {
    space: input.spaceId ?? space.id,
    platform: input.platform,
    url: `${base}${input.path}`,
    label: `#${input.path.slice(1)}`,
    events: input.events as never,
    unansweredHours: input.hours ?? null,
  });

/** Delivers until nothing is due (the worker's round, as many times as needed). */
async function deliverAll() {
  for (let i = 0; i < 5; i++) if ((await deliverDueOnce(t.db)).claimed === 0) return;
}

async function backdate(questionId: number, hoursAgo: number, now: Date) {
  await t.db
    .update(posts)
    .set({ createdAt: new Date(now.getTime() - hoursAgo * HOUR) })
    .where(eq(posts.id, questionId));
}

type SlackBody = { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text?: unknown; url?: string }> }> };
type TeamsBody = {
  type: string;
  attachments: Array<{ contentType: string; content: { type: string; version: string; body: Array<{ type: string; text?: string; facts?: unknown }>; actions: Array<{ url: string }> } }>;
};

describe("events reach the channel", () => {
  test("a question asked in the space reaches Slack as blocks and Teams as an Adaptive Card, with the question's URL", async () => {
    await connect({ platform: "slack", path: "/slack", events: ["question.created"] });
    await connect({ platform: "teams", path: "/teams", events: ["question.created", "kudos.given"] });
    await connect({ platform: "slack", path: "/kudos-only", events: ["kudos.given"] });
    await connect({ platform: "slack", path: "/finance", events: ["question.created"], spaceId: elsewhere.id });
    const title = "Where is the <!channel> restore runbook?";
    const id = await createQuestion(t.db, { author: member, space, title, body: "We need it *today*, see [this](http://evil.example).", tags: ["backup"] });
    const url = appUrl(questionUrl({ id, title }));

    await deliverAll();
    expect(received.map((r) => r.path).sort()).toEqual(["/slack", "/teams"]);
    const slack = received.find((r) => r.path === "/slack")!;
    expect(slack.contentType).toMatch(/^application\/json/);
    const blocks = slack.body as SlackBody;
    expect(blocks.text).toBe("New question in Support: Where is the &lt;!channel&gt; restore runbook?");
    expect(blocks.blocks[0]!.text!.text).toBe(`*<${url}|Where is the &lt;!channel&gt; restore runbook?>*\nWe need it *today*, see [this](http://evil.example).`);
    expect(blocks.blocks[1]!.elements!.map((e) => e.text)).toEqual(["*Space:* Support", "*Asked by:* Mia Member", "*Tags:* backup"]);
    expect(blocks.blocks[2]!.elements![0]!.url).toBe(url);

    const card = (received.find((r) => r.path === "/teams")!.body as TeamsBody).attachments[0]!;
    expect(card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.content).toMatchObject({ type: "AdaptiveCard", version: "1.4", actions: [{ type: "Action.OpenUrl", title: "Open in Commons", url }] });
    expect(card.content.body[0]).toMatchObject({ type: "TextBlock", text: "Where is the \\<!channel\\> restore runbook?", weight: "bolder", wrap: true });
    expect(card.content.body[1]!.text).toBe("We need it \\*today\\*, see \\[this\\]\\(http://evil.example\\).");

    // Each delivery is logged as done with the channel's answer.
    const logged = await t.db.select().from(webhookDeliveries);
    expect(logged.map((d) => [d.eventType, d.status, d.lastStatus, d.attempts])).toEqual([
      ["question.created", "done", 200, 1],
      ["question.created", "done", 200, 1],
    ]);
  });

  test("an anonymous question names no one; a disabled connection gets nothing", async () => {
    await connect({ platform: "slack", path: "/slack", events: ["question.created"] });
    const { id: off } = await connect({ platform: "slack", path: "/off", events: ["question.created"] });
    await t.db.update(chatConnections).set({ enabled: false }).where(eq(chatConnections.id, off));
    await createTags(t.db, ["general"]);
    await askAnonymously(t.db, member, { space: space.slug, title: "Can I see the salary bands somewhere?", body: "Asking for a friend, really.", tags: ["general"] });
    await deliverAll();
    expect(received.map((r) => r.path)).toEqual(["/slack"]);
    const body = received[0]!.body as SlackBody;
    expect(body.blocks[1]!.elements![1]!.text).toBe("*Asked by:* Anonymous");
    expect(JSON.stringify(body)).not.toContain("Mia");
  });

  test("“Send a test message” posts through the outbox, even to a connection that is off", async () => {
    const { id } = await connect({ platform: "teams", path: "/teams", events: ["kudos.given"] });
    await t.db.update(chatConnections).set({ enabled: false }).where(eq(chatConnections.id, id));
    await sendTestMessage(t.db, admin, id);
    await deliverAll();
    expect(received).toHaveLength(1);
    const card = (received[0]!.body as TeamsBody).attachments[0]!.content;
    expect(card.body[0]!.text).toBe("Commons is connected");
    expect(card.actions[0]!.url).toBe(appUrl(`/spaces/${space.slug}`));
    const [delivery] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.chatConnectionId, id));
    expect(delivery).toMatchObject({ test: true, eventType: "chat.test", status: "done" });
  });
});

describe("the unanswered sweep", () => {
  test("announces an unanswered question once; not an answered, closed, deleted, too young, too old or another space's one", async () => {
    const now = new Date();
    const { id: slackId } = await connect({ platform: "slack", path: "/slack", events: ["question.unanswered"], hours: 2 });
    const { id: teamsId } = await connect({ platform: "teams", path: "/teams", events: ["question.created", "question.unanswered"], hours: 5 });
    // Not asking for the unanswered ones, though it has hours.
    const { id: createdOnly } = await connect({ platform: "slack", path: "/created-only", events: ["question.created"] });
    await t.db.update(chatConnections).set({ unansweredHours: 1 }).where(eq(chatConnections.id, createdOnly));
    // Connected long ago, so the "connected recently" rule does not hide what this test is about.
    await t.db
      .update(chatConnections)
      .set({ createdAt: new Date(now.getTime() - 30 * 24 * HOUR) })
      .where(inArray(chatConnections.id, [slackId, teamsId, createdOnly]));

    const due = await createQuestion(t.db, { author: member, space, title: "Who owns the VPN certificates?" });
    const answered = await createQuestion(t.db, { author: member, space, title: "Answered already" });
    await createAnswer(t.db, { author: admin, questionId: answered });
    const closed = await createQuestion(t.db, { author: member, space, title: "Closed already" });
    await closeQuestion(t.db, admin, closed, { reason: "unclear" });
    const deleted = await createQuestion(t.db, { author: member, space, title: "Deleted already" });
    await t.db.update(posts).set({ deletedAt: now }).where(eq(posts.id, deleted));
    const young = await createQuestion(t.db, { author: member, space, title: "Asked an hour ago" });
    const old = await createQuestion(t.db, { author: member, space, title: "Asked eight days ago" });
    const finance = await createQuestion(t.db, { author: other, space: elsewhere, title: "A question in another space" });
    for (const [id, hours] of [
      [due, 6],
      [answered, 6],
      [closed, 6],
      [deleted, 6],
      [young, 1],
      [old, 8 * 24],
      [finance, 6],
    ] as const)
      await backdate(id, hours, now);
    await deliverAll();
    received.length = 0;

    expect(await sweepUnanswered(t.db, now)).toBe(2);
    expect(await sweepUnanswered(t.db, now)).toBe(0);
    const notices = await t.db.select().from(chatUnansweredNotices);
    expect(notices.map((n) => [n.connectionId, n.questionId]).sort()).toEqual(
      [
        [slackId, due],
        [teamsId, due],
      ].sort(),
    );
    await deliverAll();
    expect(received.map((r) => r.path).sort()).toEqual(["/slack", "/teams"]);
    const slack = received.find((r) => r.path === "/slack")!.body as SlackBody;
    const url = appUrl(questionUrl({ id: due, title: "Who owns the VPN certificates?" }));
    expect(slack.text).toBe("Still unanswered after 6 hours in Support: Who owns the VPN certificates?");
    expect(slack.blocks[0]!.text!.text).toBe(`*<${url}|Who owns the VPN certificates?>*\nNo answer yet after 6 hours. Can you help?`);
    const card = (received.find((r) => r.path === "/teams")!.body as TeamsBody).attachments[0]!.content;
    expect(card.actions[0]!.url).toBe(url);

    // The young question's turn comes; the others' never does, and nothing is announced twice.
    received.length = 0;
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 1.5 * HOUR))).toBe(1);
    await deliverAll();
    expect(received.map((r) => r.path)).toEqual(["/slack"]);
    expect((received[0]!.body as SlackBody).text).toContain("Asked an hour ago");
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 10 * HOUR))).toBe(1);
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 10 * HOUR))).toBe(0);
  });

  test("a new connection does not flood the channel with the backlog; anonymous askers stay anonymous; a disabled connection is skipped", async () => {
    const now = new Date();
    await createTags(t.db, ["general"]);
    const backlog = await createQuestion(t.db, { author: member, space, title: "Asked three days ago" });
    await backdate(backlog, 72, now);
    const { id: anonymous } = await askAnonymously(t.db, member, { space: space.slug, title: "An anonymous one, three hours old", body: "Who can tell me this?", tags: ["general"] });
    await backdate(anonymous, 3, now);
    const { id: fresh } = await connect({ platform: "slack", path: "/slack", events: ["question.unanswered"], hours: 4 });
    const { id: off } = await connect({ platform: "slack", path: "/off", events: ["question.unanswered"], hours: 4 });
    await t.db.update(chatConnections).set({ enabled: false, disabledAt: now, disabledReason: "410 Gone" }).where(eq(chatConnections.id, off));

    // Only questions asked since four hours before the connection existed count: the three-day-old
    // one never does; the anonymous one does once it is four hours old.
    expect(await sweepUnanswered(t.db, now)).toBe(0);
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 2 * HOUR))).toBe(1);
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 100 * HOUR))).toBe(0);
    const notices = await t.db.select().from(chatUnansweredNotices);
    expect(notices).toEqual([expect.objectContaining({ connectionId: fresh, questionId: anonymous })]);
    await deliverAll();
    expect(received).toHaveLength(1);
    const body = received[0]!.body as SlackBody;
    expect(body.text).toBe("Still unanswered after 5 hours in Support: An anonymous one, three hours old");
    expect(body.blocks[1]!.elements![1]!.text).toBe("*Asked by:* Anonymous");
    expect(JSON.stringify(body)).not.toContain("Mia");
    expect(await t.db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.chatConnectionId, off))).toEqual([{ n: 0 }]);
  });

  test("ticking “still unanswered” later, or turning a connection back on, posts what falls due from then on, not the backlog", async () => {
    const now = new Date();
    const { id } = await connect({ platform: "slack", path: "/slack", events: ["question.created"] });
    await t.db
      .update(chatConnections)
      .set({ createdAt: new Date(now.getTime() - 30 * 24 * HOUR) })
      .where(eq(chatConnections.id, id));
    const backlog = await createQuestion(t.db, { author: member, space, title: "Asked a day ago" });
    await backdate(backlog, 24, now);
    const recent = await createQuestion(t.db, { author: member, space, title: "Asked an hour ago, still open" });
    await backdate(recent, 1, now);
    await updateConnection(t.db, admin, id, { url: "", label: "#slack", events: ["question.created", "question.unanswered"], unansweredHours: 2 });
    expect(await sweepUnanswered(t.db, now)).toBe(0);
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 1.5 * HOUR))).toBe(1);
    expect((await t.db.select().from(chatUnansweredNotices)).map((n) => n.questionId).sort()).toEqual([backlog, recent].sort());

    // Off for a while (the worker gave up), then on again: what fell due meanwhile is not posted.
    await setConnectionEnabled(t.db, admin, id, false);
    const meanwhile = await createQuestion(t.db, { author: member, space, title: "Asked while the connection was off" });
    await backdate(meanwhile, 3, now);
    await setConnectionEnabled(t.db, admin, id, true);
    expect(await sweepUnanswered(t.db, new Date(now.getTime() + 2 * HOUR))).toBe(0);
    const [delivered] = await t.db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.eventType, "question.unanswered"));
    expect(delivered!.n).toBe(1);
  });

  test("two sweeps at once announce each question once", async () => {
    const now = new Date();
    const { id } = await connect({ platform: "slack", path: "/slack", events: ["question.unanswered"], hours: 1 });
    await t.db
      .update(chatConnections)
      .set({ createdAt: new Date(now.getTime() - 24 * HOUR) })
      .where(eq(chatConnections.id, id));
    const questions = [];
    for (let i = 0; i < 5; i++) questions.push(await createQuestion(t.db, { author: member, space, title: `Parallel question number ${i}` }));
    for (const q of questions) await backdate(q, 3, now);
    const counts = await Promise.all([sweepUnanswered(t.db, now), sweepUnanswered(t.db, now), sweepUnanswered(t.db, now)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(await t.db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.chatConnectionId, id))).toEqual([{ n: 5 }]);
  });
});

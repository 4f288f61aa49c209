import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import ipaddr from "ipaddr.js";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { chatConnections, kudosAllowanceRules, mailOutbox, outboundAllowlist, posts, webhookAttempts, webhookDeliveries, webhookEndpoints } from "#db/schema/index.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { changeIdeaStatus, mergeIdea } from "#app/features/ideas/workflow.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { AskSchema } from "#app/features/qa/schemas.ts";
import { askQuestion } from "#app/features/qa/posts.server.ts";
import { giveKudos } from "#app/features/recognition/kudos.server.ts";
import { addAllowlistEntry } from "#app/features/webhooks/allowlist.server.ts";
import { emitQuestionCreated } from "#app/features/webhooks/build.server.ts";
import { WEBHOOK_CHANNEL } from "#app/features/webhooks/deliveries.server.ts";
import { createEndpoint, sendTestEvent, setEndpointEnabled } from "#app/features/webhooks/endpoints.server.ts";
import type { WebhookBody } from "#app/features/webhooks/events.ts";
import { EMPTY_ALLOWLIST, checkDestination, parseAllowlistPattern, refusedAddress } from "#app/features/webhooks/outbound.server.ts";
import { type EndpointInput } from "#app/features/webhooks/schemas.ts";
import { deliverDueOnce, signWebhook, startWebhookWorker } from "#app/features/webhooks/worker.server.ts";
import { createLogger } from "../../server/logger.ts";
import { InputError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { payloads } from "#tests/xss-render.ts";

/**
 * Outgoing webhooks end to end: real features write events, the real worker posts them to HTTP
 * receivers on 127.0.0.1 (allowlisted, since the SSRF guard refuses loopback otherwise), and the
 * receivers check the signature with the `standardwebhooks` package.
 */
const t = setupTestDb();

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

/** A real HTTP receiver: records each request and answers with `reply` (status, and optional headers and body). */
async function receiver(reply: (n: number, req: IncomingMessage, res: ServerResponse) => void = (_n, _req, res) => res.end("ok")) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      reply(received.length, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}/hook`, port, received };
}
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

let admin: Awaited<ReturnType<typeof createUser>>;
let member: Awaited<ReturnType<typeof createUser>>;
let open: Awaited<ReturnType<typeof createSpace>>;

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  member = await createUser(t.db, { name: "Mia Member" });
  open = await createSpace(t.db, { name: "Engineering", slug: "engineering" });
  await createTags(t.db, ["general", "process"]);
});

beforeEach(async () => {
  await t.db.delete(webhookEndpoints);
  await t.db.delete(chatConnections);
  await t.db.delete(outboundAllowlist);
  await t.db.delete(mailOutbox);
});

const allowLoopback = () => addAllowlistEntry(t.db, admin, { pattern: "127.0.0.1", note: "test receivers" });

function endpointInput(url: string, attrs: Partial<EndpointInput> = {}): EndpointInput {
  return { url, description: "", space: null, events: ["question.created"], ...attrs };
}

async function endpointRow(id: number) {
  const [row] = await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row!;
}

async function deliveriesOf(endpointId: number) {
  return t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.id);
}

async function attemptsOf(deliveryId: number) {
  return t.db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(webhookAttempts.id);
}

const later = (ms: number) => new Date(Date.now() + ms);

describe("signing and delivery", () => {
  test("a receiver verifies the Standard Webhooks signature, and a tampered body fails verification", async () => {
    await allowLoopback();
    const r = await receiver();
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url));
    const questionId = await createQuestion(t.db, { author: member, space: open, title: "How do we rotate the staging database password?" });

    expect(await deliverDueOnce(t.db)).toMatchObject({ sent: 1, failed: 0, dead: 0 });
    expect(r.received).toHaveLength(1);
    const { headers, body } = r.received[0]!;
    const { secret } = await endpointRow(id);
    const [delivery] = await deliveriesOf(id);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["user-agent"]).toMatch(/^Commons-Webhooks\//);
    expect(headers["webhook-id"]).toBe(delivery!.messageId);
    expect(headers["webhook-id"]).toMatch(/^msg_[A-Za-z0-9_-]{24}$/);
    expect(Math.abs(Number(headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);

    const wh = new Webhook(secret);
    const signed = { "webhook-id": String(headers["webhook-id"]), "webhook-timestamp": String(headers["webhook-timestamp"]), "webhook-signature": String(headers["webhook-signature"]) };
    const verified = wh.verify(body, signed) as WebhookBody<"question.created">;
    expect(verified).toMatchObject({ type: "question.created", space: { id: open.id, slug: "engineering", name: "Engineering", visibility: "open" } });
    expect(verified.data.question).toMatchObject({
      id: questionId,
      title: "How do we rotate the staging database password?",
      tags: ["general"],
      author: { id: member.id, name: "Mia Member" },
    });
    expect(verified.data.question.url).toMatch(new RegExp(`^https?://[^/]+/questions/${questionId}/how-do-we-rotate-the-staging-database-password$`));
    expect(verified.data.question.author!.url).toMatch(new RegExp(`^https?://[^/]+/people/${member.id}$`));
    expect(verified.data.excerpt).toMatch(/^Some details about case/);
    // Our signer and the package agree; a changed body, id or secret does not verify.
    expect(signed["webhook-signature"]).toBe(signWebhook(secret, signed["webhook-id"], Number(signed["webhook-timestamp"]), body));
    expect(() => wh.verify(body.replace("staging", "prod"), signed)).toThrow();
    expect(() => wh.verify(body, { ...signed, "webhook-id": "msg_other" })).toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(body, signed)).toThrow();

    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt).toMatchObject({ statusCode: 200, error: null, responseExcerpt: "ok" });
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: "done", attempts: 1, lastStatus: 200 });
  });

  test("a 500 is retried after the backoff with the same webhook-id, and the second attempt succeeds", async () => {
    await allowLoopback();
    const r = await receiver((n, _req, res) => {
      res.statusCode = n === 1 ? 500 : 204;
      res.end(n === 1 ? "database is down" : "");
    });
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url));
    await createQuestion(t.db, { author: member, space: open });

    expect(await deliverDueOnce(t.db)).toMatchObject({ sent: 0, failed: 1, dead: 0 });
    const [waiting] = await deliveriesOf(id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500, lastError: "HTTP 500" });
    // The first retry comes 30 seconds later: not before.
    expect(waiting!.availableAt.getTime() - Date.now()).toBeGreaterThan(20_000);
    expect((await endpointRow(id)).consecutiveFailures).toBe(1);
    expect(await deliverDueOnce(t.db)).toMatchObject({ claimed: 0 });

    expect(await deliverDueOnce(t.db, { now: later(31_000) })).toMatchObject({ sent: 1 });
    const attempts = await attemptsOf(waiting!.id);
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 204]);
    expect(attempts[0]!.responseExcerpt).toBe("database is down");
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([waiting!.messageId, waiting!.messageId]);
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: "done", attempts: 2 });
    expect((await endpointRow(id)).consecutiveFailures).toBe(0);
  });

  test("a target that keeps failing ends dead, is turned off, and the active admins are mailed once", async () => {
    await allowLoopback();
    const second = await createUser(t.db, { name: "Bo Admin" }, "admin");
    const gone = await createUser(t.db, { name: "Old Admin" }, "admin", "deactivated");
    const r = await receiver((_n, _req, res) => {
      res.statusCode = 503;
      res.end("maintenance");
    });
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url, { description: "Ops bridge" }));
    // Two deliveries in flight: both die in the same round; only one of them turns the endpoint off.
    await createQuestion(t.db, { author: member, space: open });
    await createQuestion(t.db, { author: member, space: open });

    let now = Date.now();
    const totals = { sent: 0, failed: 0, dead: 0 };
    for (let round = 0; round < 10; round++) {
      const result = await deliverDueOnce(t.db, { now: new Date(now) });
      totals.failed += result.failed;
      totals.dead += result.dead;
      now += 2 * 3600_000;
    }
    expect(totals).toEqual({ sent: 0, failed: 18, dead: 2 });
    const rows = await deliveriesOf(id);
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ["dead", 10],
      ["dead", 10],
    ]);
    expect(await attemptsOf(rows[0]!.id)).toHaveLength(10);
    const endpoint = await endpointRow(id);
    expect(endpoint).toMatchObject({ enabled: false, consecutiveFailures: 20 });
    expect(endpoint.disabledAt).not.toBeNull();
    expect(endpoint.disabledReason).toMatch(/attempts in a row failed; the last one: HTTP 503/);

    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.template, "webhook-disabled"));
    expect(mails.map((m) => m.userId).sort()).toEqual([admin.id, second.id].sort());
    expect(mails.map((m) => m.userId)).not.toContain(gone.id);
    expect(mails[0]!.subject).toBe("Commons: a webhook endpoint was turned off");
    expect(mails[0]!.text).toContain("Ops bridge");
    expect(mails[0]!.text).toMatch(new RegExp(`/admin/integrations/webhooks/${id}`));

    // Turned off: new events write nothing for it, and nothing more is mailed.
    await createQuestion(t.db, { author: member, space: open });
    expect(await deliveriesOf(id)).toHaveLength(2);
    expect(await deliverDueOnce(t.db, { now: new Date(now) })).toMatchObject({ claimed: 0 });
    expect(await t.db.$count(mailOutbox, eq(mailOutbox.template, "webhook-disabled"))).toBe(2);

    // Turned back on: its failures are forgotten.
    await setEndpointEnabled(t.db, admin, id, true);
    expect(await endpointRow(id)).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });

  test("a redirect is not followed: the attempt fails with the 3xx and the other host never hears of it", async () => {
    await allowLoopback();
    const elsewhere = await receiver();
    const r = await receiver((_n, _req, res) => {
      res.statusCode = 302;
      res.setHeader("location", elsewhere.url);
      res.end();
    });
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url));
    await createQuestion(t.db, { author: member, space: open });
    expect(await deliverDueOnce(t.db)).toMatchObject({ failed: 1 });
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: "pending", lastStatus: 302 });
    expect(delivery!.lastError).toBe(`Redirect to ${elsewhere.url} not followed`);
    expect(elsewhere.received).toHaveLength(0);
  });

  test("a receiver that does not answer in time fails the attempt", async () => {
    await allowLoopback();
    const r = await receiver(() => {
      /* never answers */
    });
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url));
    await createQuestion(t.db, { author: member, space: open });
    expect(await deliverDueOnce(t.db, { timeoutMs: 300 })).toMatchObject({ failed: 1 });
    const [delivery] = await deliveriesOf(id);
    expect(delivery!.lastError).toMatch(/^ETIMEDOUT: No answer within 0.3 s/);
    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt!.statusCode).toBeNull();
    expect(attempt!.durationMs).toBeGreaterThanOrEqual(250);
  });

  test("Send test event: a signed webhook.test, sent even while the endpoint is off, and counting no failure", async () => {
    await allowLoopback();
    const r = await receiver();
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url, { description: "CI hook" }));
    await setEndpointEnabled(t.db, admin, id, false);
    await sendTestEvent(t.db, admin, id);
    expect(await deliverDueOnce(t.db)).toMatchObject({ sent: 1 });
    const { secret } = await endpointRow(id);
    const got = r.received[0]!;
    const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: "webhook.test", data: { endpoint: { id, description: "CI hook" } } });
    expect((await deliveriesOf(id))[0]).toMatchObject({ test: true, status: "done", eventType: "webhook.test" });
  });

  test("the worker wakes at the commit of the write (NOTIFY), well before its next poll, and stops cleanly", async () => {
    await allowLoopback();
    const r = await receiver();
    await createEndpoint(t.db, admin, endpointInput(r.url));
    const stop = startWebhookWorker(t.db, { databaseUrl: t.url, log: createLogger("silent"), pollMs: 60_000 });
    try {
      // Let the LISTEN connection settle and the first (empty) run pass.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await createQuestion(t.db, { author: member, space: open });
      await vi.waitFor(() => expect(r.received).toHaveLength(1), { timeout: 5000 });
    } finally {
      await stop();
    }
  });

  test("chat connections get their payload as is, unsigned", async () => {
    await allowLoopback();
    const r = await receiver();
    const [connection] = await t.db
      .insert(chatConnections)
      .values({ spaceId: open.id, platform: "slack", url: r.url, events: ["question.created"] })
      .returning();
    await createQuestion(t.db, { author: member, space: open });
    const [delivery] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.chatConnectionId, connection!.id));
    expect(delivery).toMatchObject({ eventType: "question.created", endpointId: null });
    expect(await deliverDueOnce(t.db)).toMatchObject({ sent: 1 });
    expect(r.received[0]!.headers["webhook-signature"]).toBeUndefined();
    expect(JSON.parse(r.received[0]!.body)).toEqual(delivery!.payload);
  });
});

describe("the SSRF guard", () => {
  test("loopback, private, link-local and names resolving to them are refused on save, unless allowlisted", async () => {
    const r = await receiver();
    const refused = async (url: string) => (await rejects(createEndpoint(t.db, admin, endpointInput(url)))).fieldErrors.url;
    expect(await refused(r.url)).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(await refused("http://10.0.0.5/hook")).toMatch(/10\.0\.0\.5 is a private address/);
    expect(await refused("http://[::1]:8080/")).toMatch(/::1 is a loopback address/);
    expect(await refused("http://169.254.169.254/latest/meta-data")).toMatch(/link-local/);
    expect(await refused(`http://localhost:${r.port}/hook`)).toMatch(/^localhost resolves to .* loopback address/);
    expect(await refused("http://[::ffff:10.1.2.3]/")).toMatch(/private/);
    expect(await refused("http://0x7f.1/")).toMatch(/127\.0\.0\.1 is a loopback/);
    expect(await refused("ftp://example.com/")).toMatch(/Only http:\/\/ and https:\/\//);
    expect(await refused("https://user:secret@example.com/")).toMatch(/user name and password/);
    expect(await refused("not a url")).toMatch(/full address/);
    expect(await t.db.$count(webhookEndpoints)).toBe(0);

    await allowLoopback();
    await expect(createEndpoint(t.db, admin, endpointInput(r.url))).resolves.toMatchObject({ id: expect.any(Number) });
    // localhost may also resolve to ::1, which is not allowed: the name itself can be.
    await addAllowlistEntry(t.db, admin, { pattern: "LOCALHOST", note: "" });
    expect(await checkDestination(t.db, `http://localhost:${r.port}/`)).toEqual({ ok: true });
    expect(await checkDestination(t.db, "http://10.0.0.5/")).toMatchObject({ ok: false });
    await addAllowlistEntry(t.db, admin, { pattern: "10.0.0.0/8", note: "" });
    expect(await checkDestination(t.db, "http://10.0.0.5/")).toEqual({ ok: true });
  });

  test("which addresses are public, and what the allowlist's entries mean", () => {
    for (const address of [
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "192.168.1.1",
      "172.16.0.1",
      "fd00::1",
      "fe80::1",
      "::",
      "2002:7f00:1::1",
      "::ffff:127.0.0.1",
      "::127.0.0.1",
      "192.0.2.1",
    ]) {
      expect(refusedAddress(address, EMPTY_ALLOWLIST), address).not.toBeNull();
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(refusedAddress(address, EMPTY_ALLOWLIST), address).toBeNull();
    const list = { hosts: new Set<string>(), ranges: [parseRange("10.20.0.0/16"), parseRange("fd00::5/128")] };
    expect(refusedAddress("10.20.3.4", list)).toBeNull();
    expect(refusedAddress("::ffff:10.20.3.4", list)).toBeNull();
    expect(refusedAddress("10.21.0.1", list)).not.toBeNull();
    expect(refusedAddress("fd00::5", list)).toBeNull();
    expect(refusedAddress("fd00::6", list)).not.toBeNull();
    expect(parseAllowlistPattern("10.20.3.4/16")).toEqual({ kind: "range", pattern: "10.20.0.0/16" });
    expect(parseAllowlistPattern("[FD00::5]")).toEqual({ kind: "address", pattern: "fd00::5" });
    expect(parseAllowlistPattern("Hooks.Internal.")).toEqual({ kind: "host", pattern: "hooks.internal" });
    for (const bad of ["10.1", "10.0.0.0/33", "http://x", "a b", "", "-bad-.com"]) expect(parseAllowlistPattern(bad), bad).toBeNull();
  });

  test("at send time a private address that is no longer allowed is refused without connecting, by address and by name", async () => {
    const r = await receiver();
    await allowLoopback();
    await addAllowlistEntry(t.db, admin, { pattern: "localhost", note: "" });
    const byAddress = await createEndpoint(t.db, admin, endpointInput(r.url));
    const byName = await createEndpoint(t.db, admin, endpointInput(`http://localhost:${r.port}/hook`));
    await t.db.delete(outboundAllowlist);
    await createQuestion(t.db, { author: member, space: open });

    expect(await deliverDueOnce(t.db)).toMatchObject({ failed: 2 });
    expect(r.received).toHaveLength(0);
    const [a] = await deliveriesOf(byAddress.id);
    expect(a!.lastError).toMatch(/^Refused to connect: 127\.0\.0\.1 is a loopback address/);
    // The name is checked on the addresses the connection would use (DNS rebinding).
    const [b] = await deliveriesOf(byName.id);
    expect(b!.lastError).toMatch(/Refused to connect: localhost resolves to .*loopback/);
    expect((await attemptsOf(b!.id))[0]).toMatchObject({ statusCode: null });
  });
});

describe("events from the features", () => {
  async function allEventsEndpoint(url: string, space: number | null = null) {
    return createEndpoint(
      t.db,
      admin,
      endpointInput(url, { space, events: ["question.created", "answer.created", "answer.accepted", "idea.created", "idea.status_changed", "kudos.given"] }),
    );
  }
  const bodies = (r: { received: Received[] }) => r.received.map((x) => JSON.parse(x.body) as WebhookBody).sort((a, b) => a.type.localeCompare(b.type));

  test("asking, answering, accepting, submitting an idea, deciding on it and giving kudos reach the endpoint with their data", async () => {
    await allowLoopback();
    const r = await receiver();
    await allEventsEndpoint(r.url);
    const answerer = await createUser(t.db, { name: "Ann Answerer" });
    const sponsor = await createUser(t.db, { name: "Sam Sponsor" }, "moderator");
    const questionId = await createQuestion(t.db, { author: member, space: open, title: "Which VPN client do we use on Linux?" });
    const answerId = await createAnswer(t.db, { author: answerer, questionId, body: "WireGuard, with the   config\nfrom the IT wiki." });
    await acceptAnswer(t.db, member, answerId);
    const campaignId = await createCampaign(t.db, { sponsor, space: open, title: "Quieter offices" });
    const ideaId = await createIdea(t.db, { author: member, campaignId, title: "Phone booths on every floor" });
    await changeIdeaStatus(t.db, sponsor, ideaId, { status: "under_review", reason: "" });
    await t.db.update(kudosAllowanceRules).set({ points: 1000 });
    const value = await createValue(t.db, { name: "Helpful" });
    const given = await giveKudos(t.db, member, { receiverIds: [answerer.id], valueId: value.id, pointsEach: 5, message: "Thanks for the VPN answer!" });
    await giveKudos(t.db, member, { receiverIds: [answerer.id], valueId: value.id, pointsEach: 1, message: "A private thank-you.", private: true });

    await deliverDueOnce(t.db);
    const got = bodies(r);
    expect(got.map((b) => b.type)).toEqual(["answer.accepted", "answer.created", "idea.created", "idea.status_changed", "kudos.given", "question.created"]);
    const [accepted, answered, idea, status, kudos, asked] = got as [
      WebhookBody<"answer.accepted">,
      WebhookBody<"answer.created">,
      WebhookBody<"idea.created">,
      WebhookBody<"idea.status_changed">,
      WebhookBody<"kudos.given">,
      WebhookBody<"question.created">,
    ];
    expect(asked.data.question.title).toBe("Which VPN client do we use on Linux?");
    expect(answered.data.answer).toMatchObject({ id: answerId, author: { id: answerer.id, name: "Ann Answerer" }, excerpt: "WireGuard, with the config from the IT wiki." });
    expect(answered.data.answer.url).toMatch(new RegExp(`/questions/${questionId}/[a-z-]+#answer-${answerId}$`));
    expect(accepted.data).toMatchObject({ question: { id: questionId }, answer: { id: answerId, author: { id: answerer.id } } });
    expect(idea.data.idea).toMatchObject({ id: ideaId, title: "Phone booths on every floor", author: { id: member.id }, campaign: { id: campaignId, title: "Quieter offices" } });
    expect(idea.data.idea.url).toMatch(new RegExp(`^https?://[^/]+/ideas/${ideaId}$`));
    expect(status.data).toMatchObject({ from: "submitted", to: "under_review", toLabel: "Under review", changedBy: { id: sponsor.id, name: "Sam Sponsor" } });
    // Kudos without a subject live in the company space; the private one is never sent.
    expect(kudos.data).toMatchObject({ kudos: { id: given.id, message: "Thanks for the VPN answer!", value: "Helpful", points: 5 }, from: { id: member.id }, to: [{ id: answerer.id }] });
    expect(kudos.space.visibility).toBe("open");
    for (const body of got) expect(Date.parse(body.timestamp)).toBeGreaterThan(Date.now() - 60_000);

    // Merging a duplicate is its change of status to "merged".
    const duplicate = await createIdea(t.db, { author: answerer, campaignId, title: "Booths for calls, please" });
    await mergeIdea(t.db, sponsor, duplicate, { targetId: ideaId, reason: "Same idea." });
    await deliverDueOnce(t.db);
    const merged = bodies(r).filter((b): b is WebhookBody<"idea.status_changed"> => b.type === "idea.status_changed" && (b as WebhookBody<"idea.status_changed">).data.idea.id === duplicate);
    expect(merged.map((b) => [b.data.from, b.data.to, b.data.toLabel])).toEqual([["submitted", "merged", "Merged"]]);
  });

  test("an anonymous question carries no author", async () => {
    await allowLoopback();
    const r = await receiver();
    const anon = await createSpace(t.db, { anonymousQuestions: true });
    await allEventsEndpoint(r.url);
    await askAnonymously(t.db, member, {
      space: anon.slug,
      title: "Is there a policy on salary transparency?",
      body: "Asking for a friend, honestly.",
      tags: ["general"],
      submissionKey: undefined,
    });
    await deliverDueOnce(t.db);
    const [body] = bodies(r) as [WebhookBody<"question.created">];
    expect(body.data.question.author).toBeNull();
    expect(JSON.stringify(body)).not.toContain(member.name);
  });

  test("a restricted space's events reach only endpoints registered for that space", async () => {
    await allowLoopback();
    const everywhere = await receiver();
    const forSecret = await receiver();
    const forOther = await receiver();
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    const other = await createSpace(t.db, { members: [member] }, "restricted");
    await allEventsEndpoint(everywhere.url);
    await allEventsEndpoint(forSecret.url, secret.id);
    await allEventsEndpoint(forOther.url, other.id);
    await createQuestion(t.db, { author: member, space: secret, title: "Layoff plan for the Berlin office?" });
    await deliverDueOnce(t.db);
    expect(everywhere.received).toHaveLength(0);
    expect(forOther.received).toHaveLength(0);
    expect(bodies(forSecret)).toMatchObject([{ type: "question.created", space: { id: secret.id, visibility: "restricted" } }]);
    // Open spaces' events reach "all open spaces" endpoints, and not those of a restricted space.
    await createQuestion(t.db, { author: member, space: open });
    await deliverDueOnce(t.db);
    expect(everywhere.received).toHaveLength(1);
    expect(forSecret.received).toHaveLength(1);
  });

  test("only the events an endpoint chose, and nothing for a disabled one", async () => {
    await allowLoopback();
    const r = await receiver();
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url, { events: ["answer.created"] }));
    const questionId = await createQuestion(t.db, { author: member, space: open });
    expect(await deliveriesOf(id)).toHaveLength(0);
    await createAnswer(t.db, { author: admin, questionId });
    expect((await deliveriesOf(id)).map((d) => d.eventType)).toEqual(["answer.created"]);
    await setEndpointEnabled(t.db, admin, id, false);
    await createAnswer(t.db, { author: member, questionId });
    expect(await deliveriesOf(id)).toHaveLength(1);
  });

  test("a rolled-back write emits nothing and wakes no worker", async () => {
    await allowLoopback();
    const r = await receiver();
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url));
    const listener = postgres(t.url, { max: 1, onnotice: () => {} });
    const woken = vi.fn();
    await listener.listen(WEBHOOK_CHANNEL, woken);
    try {
      const questionId = await createQuestion(t.db, { author: member, space: open });
      await vi.waitFor(() => expect(woken).toHaveBeenCalledTimes(1));
      await t.db.delete(webhookDeliveries);
      const failure = await t.db
        .transaction(async (tx) => {
          await emitQuestionCreated(tx, { questionId, spaceId: open.id });
          throw new InputError("changed my mind");
        })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(InputError);
      // A write the feature refuses (a closed question takes no answers) emits nothing either.
      await t.db.update(posts).set({ closedAt: new Date() }).where(eq(posts.id, questionId));
      await createEndpoint(t.db, admin, endpointInput(r.url, { events: ["answer.created"] }));
      await expect(createAnswer(t.db, { author: admin, questionId })).rejects.toBeInstanceOf(InputError);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(woken).toHaveBeenCalledTimes(1);
      expect(await t.db.$count(webhookDeliveries)).toBe(0);
      expect(await deliveriesOf(id)).toHaveLength(0);
    } finally {
      await listener.end();
    }
  });

  test("with no endpoint or connection, a write pays one query and writes nothing", async () => {
    const before = await t.db.$count(webhookDeliveries);
    await createQuestion(t.db, { author: member, space: open });
    expect(await t.db.$count(webhookDeliveries)).toBe(before);
  });

  test("every XSS payload in a question's title is carried as data, byte for byte", { timeout: 120_000 }, async () => {
    await allowLoopback();
    const r = await receiver();
    const { id } = await createEndpoint(t.db, admin, endpointInput(r.url));
    const titles: string[] = [];
    for (const [i, { payload }] of payloads.entries()) {
      const parsed = AskSchema.safeParse({ space: open.slug, title: payload, body: `Payload ${i} as a title, with enough words.`, tags: "general" });
      if (!parsed.success) continue;
      await askQuestion(t.db, member, parsed.data);
      titles.push(parsed.data.title);
    }
    expect(titles.length).toBeGreaterThan(50);
    let round;
    do round = await deliverDueOnce(t.db);
    while (round.claimed > 0);
    const sent = r.received.map((x) => (JSON.parse(x.body) as WebhookBody<"question.created">).data.question.title).sort();
    expect(sent).toEqual([...titles].sort());
    expect(await t.db.$count(webhookDeliveries, and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, "done")))).toBe(titles.length);
    // And the signature still verifies over bodies full of markup and odd characters.
    const { secret } = await endpointRow(id);
    for (const x of r.received) expect(() => new Webhook(secret).verify(x.body, x.headers as Record<string, string>)).not.toThrow();
  });
});

/** An allowlist range as loadAllowlist makes it. */
function parseRange(cidr: string) {
  return ipaddr.parseCIDR(parseAllowlistPattern(cidr)!.pattern);
}

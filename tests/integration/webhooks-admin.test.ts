import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ComponentType } from "react";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { outboundAllowlist, webhookAttempts, webhookDeliveries, webhookEndpoints } from "#db/schema/index.ts";
import { addAllowlistEntry } from "#app/features/webhooks/allowlist.server.ts";
import { DELIVERY_PAGE_SIZE } from "#app/features/webhooks/deliveries.server.ts";
import { createEndpoint, sendTestEvent } from "#app/features/webhooks/endpoints.server.ts";
import { deliverDueOnce } from "#app/features/webhooks/worker.server.ts";
import OutboundRoute, { action as outboundAction, loader as outboundLoader } from "#app/routes/admin/integrations/outbound.tsx";
import EndpointRoute, { action as endpointAction, loader as endpointLoader } from "#app/routes/admin/integrations/webhooks-endpoint.tsx";
import NewEndpointRoute, { action as newAction, loader as newLoader } from "#app/routes/admin/integrations/webhooks-new.tsx";
import WebhooksRoute, { loader as listLoader } from "#app/routes/admin/integrations/webhooks.tsx";
import { setupTestDb } from "#tests/db.ts";
import { answered, browserOf, requestAs, routeCaller, type RouteHandler, type RouteReply } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { executable, payloads, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * Admin → Integrations → Outgoing webhooks and Private addresses allowed, through their route
 * loaders and actions: the admin guard, the forms' field errors (the SSRF guard's among them),
 * each action on an endpoint, the delivery log, and the XSS corpus through every text they show.
 */
const t = setupTestDb();
const call = routeCaller(t);

let admin: Awaited<ReturnType<typeof createUser>>;
let receiverUrl: string;
let server: Server;

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  // A receiver whose answer is the test's choice: the log shows it.
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.statusCode = Number(new URL(req.url!, "http://x").searchParams.get("status") ?? "200");
      res.end(new URL(req.url!, "http://x").searchParams.get("say") ?? "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  await t.db.delete(webhookEndpoints);
  await t.db.delete(outboundAllowlist);
});

const allowLoopback = () => addAllowlistEntry(t.db, admin, { pattern: "127.0.0.1", note: "test receivers" });
const endpointPath = (id: number) => `/admin/integrations/webhooks/${id}`;

/** A form POST from the admin's browser to a route's action. */
async function post(handler: RouteHandler, path: string, fields: Record<string, string | string[]>, params: Record<string, string> = {}, user: { id: number } = admin): Promise<RouteReply> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  const base = (await browserOf(t.db, user)).get(path);
  return call(
    handler,
    new Request(base.url, { method: "POST", headers: { cookie: base.headers.get("cookie")!, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" }, body }),
    params,
  );
}

/** What a request got: the status of what was thrown, where a redirect points, or "page". */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "page";
  } catch (error) {
    if (error instanceof Response) return `${error.status} ${(error.headers.get("Location") ?? "").split("?")[0]}`.trim();
    const status = (answered(error) as { init?: { status?: number } }).init?.status;
    if (status) return String(status);
    throw error;
  }
}

describe("who may open the pages", () => {
  test("non-admins get a 404, customers the home page, deactivated and signed-out people the sign-in", async () => {
    await allowLoopback();
    const { id } = await createEndpoint(t.db, admin, { url: receiverUrl, description: "", space: null, events: ["question.created"] });
    const people = {
      // Not a member of the restricted space below.
      member: await createUser(t.db),
      moderator: await createUser(t.db, {}, "moderator"),
      spaceMember: await createUser(t.db),
      customer: await createUser(t.db, {}, "customer"),
      deactivated: await createUser(t.db, {}, "admin", "deactivated"),
    };
    await createSpace(t.db, { members: [people.spaceMember] }, "restricted");
    const pages: Array<[RouteHandler, string, Record<string, string>]> = [
      [listLoader, "/admin/integrations/webhooks", {}],
      [newLoader, "/admin/integrations/webhooks/new", {}],
      [endpointLoader, endpointPath(id), { endpointId: String(id) }],
      [outboundLoader, "/admin/integrations/outbound", {}],
    ];
    const actions: Array<[RouteHandler, string, Record<string, string>, Record<string, string>]> = [
      [newAction, "/admin/integrations/webhooks/new", { intent: "create", url: receiverUrl, events: "question.created" }, {}],
      [endpointAction, endpointPath(id), { intent: "delete" }, { endpointId: String(id) }],
      [outboundAction, "/admin/integrations/outbound", { intent: "add", pattern: "10.0.0.0/8" }, {}],
    ];
    const expected = { member: "404", moderator: "404", spaceMember: "404", customer: "302 /", deactivated: "302 /sign-in" };
    for (const [name, user] of Object.entries(people)) {
      for (const [loader, path, params] of pages)
        expect(await outcome(call(loader, await requestAs(t.db, user, path), params)), `${name} ${path}`).toBe(expected[name as keyof typeof expected]);
      for (const [action, path, fields, params] of actions)
        expect(await outcome(post(action, path, fields, params, user)), `${name} POST ${path}`).toBe(expected[name as keyof typeof expected]);
    }
    for (const [loader, path, params] of pages) expect(await outcome(call(loader, await requestAs(t.db, null, path), params))).toBe("302 /sign-in");
    // Nothing changed.
    expect(await t.db.$count(webhookEndpoints)).toBe(1);
    expect(await t.db.$count(outboundAllowlist)).toBe(1);
    // An admin opens them all; a wrong or unknown endpoint id is the 404 of a missing page.
    for (const [loader, path, params] of pages) expect(await outcome(call(loader, await requestAs(t.db, admin, path), params))).toBe("page");
    for (const bad of ["abc", "0", "99999999999", "2147483647"]) expect(await outcome(call(endpointLoader, await requestAs(t.db, admin, endpointPath(1)), { endpointId: bad }))).toBe("404");
    expect(await outcome(post(endpointAction, endpointPath(id), { intent: "nonsense" }, { endpointId: String(id) }))).toBe("400");
    expect(await outcome(post(outboundAction, "/admin/integrations/outbound", { intent: "nonsense" }))).toBe("400");
  });
});

describe("the endpoint forms", () => {
  test("a refused address, no events or an unknown space come back with field errors and the text typed", async () => {
    const space = await createSpace(t.db, { name: "Platform" });
    const refused = await post(newAction, "/admin/integrations/webhooks/new", {
      intent: "create",
      url: "http://169.254.169.254/latest",
      description: "Metadata thief",
      space: String(space.id),
      events: ["answer.created", "idea.created"],
    });
    expect(refused.init?.status).toBe(400);
    expect(refused.data).toMatchObject({
      ok: false,
      values: { url: "http://169.254.169.254/latest", description: "Metadata thief", space: String(space.id) },
      events: ["answer.created", "idea.created"],
    });
    expect((refused.data as { fieldErrors: Record<string, string> }).fieldErrors.url).toMatch(/169\.254\.169\.254 is a link-local address/);

    const noEvents = await post(newAction, "/admin/integrations/webhooks/new", { intent: "create", url: "https://hooks.example.com/x" });
    expect((noEvents.data as { fieldErrors: Record<string, string> }).fieldErrors).toMatchObject({ events: "Choose at least one event." });
    const chatOnly = await post(newAction, "/admin/integrations/webhooks/new", { intent: "create", url: "https://hooks.example.com/x", events: "question.unanswered" });
    expect(Object.values((chatOnly.data as { fieldErrors: Record<string, string> }).fieldErrors)).toContain("Choose events from the list.");
    const badSpace = await post(newAction, "/admin/integrations/webhooks/new", { intent: "create", url: "http://127.0.0.1:9/", space: "2147483000", events: "question.created" });
    expect((badSpace.data as { fieldErrors: Record<string, string> }).fieldErrors.url).toMatch(/loopback/);
    await allowLoopback();
    const gone = await post(newAction, "/admin/integrations/webhooks/new", { intent: "create", url: receiverUrl, space: "2147483000", events: "question.created" });
    expect((gone.data as { fieldErrors: Record<string, string> }).fieldErrors.space).toMatch(/no longer exists/);
    const huge = await post(newAction, "/admin/integrations/webhooks/new", {
      intent: "create",
      url: `https://example.com/${"x".repeat(2100)}`,
      description: "d".repeat(600),
      events: "question.created",
    });
    expect((huge.data as { fieldErrors: Record<string, string> }).fieldErrors).toMatchObject({ url: "At most 2000 characters.", description: "At most 500 characters." });
    expect(await t.db.$count(webhookEndpoints)).toBe(0);

    const made = await outcome(
      post(newAction, "/admin/integrations/webhooks/new", { intent: "create", url: receiverUrl, description: "Ops", space: "", events: ["kudos.given", "question.created"] }),
    );
    const [row] = await t.db.select().from(webhookEndpoints);
    expect(made).toBe(`302 ${endpointPath(row!.id)}`);
    expect(row).toMatchObject({ url: receiverUrl, description: "Ops", spaceId: null, events: ["question.created", "kudos.given"], enabled: true, createdBy: admin.id });
    expect(row!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(row!.secret.slice(6), "base64")).toHaveLength(32);

    const list = (await call(listLoader, await requestAs(t.db, admin, "/admin/integrations/webhooks"))) as unknown as Awaited<ReturnType<typeof listLoader>>;
    expect(list.list.rows).toMatchObject([{ id: row!.id, host: new URL(receiverUrl).host, space: null, events: ["question.created", "kudos.given"], enabled: true, consecutiveFailures: 0 }]);
  });

  test("each action on an endpoint: save, turn off and on, new secret, test event, retry, delete", async () => {
    await allowLoopback();
    const { id } = await createEndpoint(t.db, admin, { url: `${receiverUrl}?status=500&say=nope`, description: "", space: null, events: ["question.created"] });
    const params = { endpointId: String(id) };
    const path = endpointPath(id);
    const stored = async () => (await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)))[0]!;

    const refused = await post(endpointAction, path, { intent: "save", url: "http://[::1]/", description: "typed", events: "question.created" }, params);
    expect(refused.init?.status).toBe(400);
    expect(refused.data).toMatchObject({ values: { url: "http://[::1]/", description: "typed" }, fieldErrors: { url: expect.stringMatching(/loopback/) } });
    expect((await stored()).url).toContain("status=500");

    expect(await post(endpointAction, path, { intent: "disable" }, params)).toEqual({ ok: true, notice: expect.stringMatching(/^Turned off/) });
    expect(await stored()).toMatchObject({ enabled: false, disabledReason: "Turned off by Ada Admin." });
    const before = (await stored()).secret;
    await post(endpointAction, path, { intent: "rotate-secret" }, params);
    expect((await stored()).secret).not.toBe(before);

    // A test to an endpoint that answers 500, given up on at once: dead, with Retry.
    await post(endpointAction, path, { intent: "send-test" }, params);
    expect(await deliverDueOnce(t.db, { maxAttempts: 1 })).toMatchObject({ dead: 1 });
    const page = (await call(endpointLoader, await requestAs(t.db, admin, path), params)) as unknown as Awaited<ReturnType<typeof endpointLoader>>;
    expect(page.log.rows).toMatchObject([
      { eventType: "webhook.test", test: true, status: "dead", attempts: 1, lastStatus: 500, attemptLog: [{ statusCode: 500, responseExcerpt: "nope", error: "HTTP 500" }] },
    ]);
    const deliveryId = page.log.rows[0]!.id;
    expect(await post(endpointAction, path, { intent: "retry-delivery", deliveryId: String(deliveryId) }, params)).toMatchObject({ notice: expect.stringMatching(/back in line/) });
    expect((await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)))[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(await post(endpointAction, path, { intent: "retry-delivery", deliveryId: String(deliveryId) }, params)).toMatchObject({ notice: expect.stringMatching(/^Nothing to retry/) });
    expect(await post(endpointAction, path, { intent: "retry-delivery", deliveryId: "junk" }, params)).toMatchObject({ notice: expect.stringMatching(/^Nothing to retry/) });
    // The attempts stay in the log.
    expect(await t.db.$count(webhookAttempts, eq(webhookAttempts.deliveryId, deliveryId))).toBe(1);

    await post(endpointAction, path, { intent: "save", url: receiverUrl, description: "Fixed", events: ["answer.accepted"] }, params);
    await post(endpointAction, path, { intent: "enable" }, params);
    expect(await stored()).toMatchObject({ url: receiverUrl, description: "Fixed", events: ["answer.accepted"], enabled: true, disabledReason: null });
    expect(await deliverDueOnce(t.db)).toMatchObject({ sent: 1 });

    expect(await outcome(post(endpointAction, path, { intent: "delete" }, params))).toBe("302 /admin/integrations/webhooks");
    expect(await t.db.$count(webhookEndpoints)).toBe(0);
    expect(await t.db.$count(webhookDeliveries)).toBe(0);
    expect(await outcome(post(endpointAction, path, { intent: "enable" }, params))).toBe("404");
  });

  test("the delivery log goes a page at a time, newest first", async () => {
    await allowLoopback();
    const { id } = await createEndpoint(t.db, admin, { url: receiverUrl, description: "", space: null, events: ["question.created"] });
    for (let i = 0; i < DELIVERY_PAGE_SIZE + 3; i++) await sendTestEvent(t.db, admin, id);
    const load = async (query: string) =>
      (await call(endpointLoader, await requestAs(t.db, admin, `${endpointPath(id)}${query}`), { endpointId: String(id) })) as unknown as Awaited<ReturnType<typeof endpointLoader>>;
    const first = await load("");
    const second = await load("?page=2");
    expect(first.log.total).toBe(DELIVERY_PAGE_SIZE + 3);
    expect(first.log.rows).toHaveLength(DELIVERY_PAGE_SIZE);
    expect(second.log.rows).toHaveLength(3);
    expect(first.log.rows[0]!.id).toBeGreaterThan(second.log.rows[0]!.id);
    expect((await load("?page=-3")).log.offset).toBe(0);
  });
});

describe("private addresses allowed", () => {
  test("entries are checked with ipaddr.js, stored in normal form, refused twice, and removed", async () => {
    const add = (pattern: string, note = "") => post(outboundAction, "/admin/integrations/outbound", { intent: "add", pattern, note });
    expect(await add("10.20.3.4/16", "Build farm")).toEqual({ ok: true, notice: "10.20.0.0/16 is allowed from the next request on." });
    expect(await add("[FD00::5]")).toMatchObject({ ok: true });
    expect(await add("Hooks.Internal")).toMatchObject({ ok: true });
    const bad = await add("10.0.0.0/33", "typo");
    expect(bad.init?.status).toBe(400);
    expect(bad.data).toMatchObject({ intent: "add", values: { pattern: "10.0.0.0/33", note: "typo" }, fieldErrors: { pattern: expect.stringMatching(/^Enter a host name/) } });
    expect((await add("10.20.0.0/16")).data).toMatchObject({ fieldErrors: { pattern: "10.20.0.0/16 is on the list already." } });
    expect((await add("")).data).toMatchObject({ fieldErrors: { pattern: "Enter a host name, an address or a range." } });
    expect((await add("a.internal", "n".repeat(301))).data).toMatchObject({ fieldErrors: { note: "At most 300 characters." } });

    const page = (await call(outboundLoader, await requestAs(t.db, admin, "/admin/integrations/outbound"))) as unknown as Awaited<ReturnType<typeof outboundLoader>>;
    expect(page.entries.map((e) => [e.pattern, e.kind, e.note, e.createdBy])).toEqual([
      ["10.20.0.0/16", "range", "Build farm", "Ada Admin"],
      ["fd00::5", "address", "", "Ada Admin"],
      ["hooks.internal", "host", "", "Ada Admin"],
    ]);
    const removed = await post(outboundAction, "/admin/integrations/outbound", { intent: "remove", id: String(page.entries[0]!.id) });
    expect(removed).toMatchObject({ ok: true });
    const again = await post(outboundAction, "/admin/integrations/outbound", { intent: "remove", id: String(page.entries[0]!.id) });
    expect(again.init?.status).toBe(400);
    expect(again.data).toMatchObject({ intent: "remove", formError: "That entry is gone already. Reload the page." });
    expect(await t.db.$count(outboundAllowlist)).toBe(2);
  });
});

describe("every XSS payload through what the admin pages show comes out inert", () => {
  test("descriptions, notes and receivers' answers render as text on every page", { timeout: 240_000 }, async () => {
    await allowLoopback();
    const ids: number[] = [];
    for (const [i, { payload }] of payloads.entries()) {
      const description = payload.slice(0, 500);
      const { id } = await createEndpoint(t.db, admin, {
        url: `${receiverUrl}?status=${i % 2 ? 500 : 200}&say=${encodeURIComponent(payload)}`,
        description,
        space: null,
        events: ["question.created"],
      });
      ids.push(id);
      await addAllowlistEntry(t.db, admin, { pattern: `h${i}.internal`, note: payload.slice(0, 300) });
    }
    // Each endpoint's log holds its receiver's answer (the payload) as the response excerpt.
    for (const id of ids) await sendTestEvent(t.db, admin, id);
    let round;
    do round = await deliverDueOnce(t.db, { batchSize: 100 });
    while (round.claimed > 0);

    for (const row of await t.db.select({ description: webhookEndpoints.description }).from(webhookEndpoints)) expect(rendersAsText(row.description), row.description).toBe(true);
    for (const row of await t.db.select({ note: outboundAllowlist.note }).from(outboundAllowlist)) expect(rendersAsText(row.note), row.note).toBe(true);

    const user = { ...admin, role: "admin" };
    for (let page = 1; page <= Math.ceil(ids.length / 25); page++) {
      const data = await call(listLoader, await requestAs(t.db, admin, `/admin/integrations/webhooks?page=${page}`));
      expect(executable(renderRoute(WebhooksRoute as ComponentType<never>, data, user)), `list page ${page}`).toEqual([]);
    }
    for (const id of ids) {
      const data = await call(endpointLoader, await requestAs(t.db, admin, endpointPath(id)), { endpointId: String(id) });
      expect(executable(renderRoute(EndpointRoute as ComponentType<never>, data, user)), `endpoint ${id}`).toEqual([]);
    }
    expect(executable(renderRoute(OutboundRoute as ComponentType<never>, await call(outboundLoader, await requestAs(t.db, admin, "/admin/integrations/outbound")), user))).toEqual([]);
    expect(executable(renderRoute(NewEndpointRoute as ComponentType<never>, await call(newLoader, await requestAs(t.db, admin, "/admin/integrations/webhooks/new")), user))).toEqual([]);
  });
});

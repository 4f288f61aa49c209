import { createElement, type ComponentType } from "react";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { chatConnections, outboundAllowlist, webhookDeliveries } from "#db/schema/index.ts";
import { createConnection } from "#app/features/chat/connections.server.ts";
import ListRoute, { loader as listLoader } from "#app/routes/admin/integrations/chat.tsx";
import ConnectionRoute, { action as connectionAction, loader as connectionLoader } from "#app/routes/admin/integrations/chat-connection.tsx";
import NewRoute, { action as newAction, loader as newLoader } from "#app/routes/admin/integrations/chat-new.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { postAs, redirectTarget, requestAs, routeCaller, thrown, thrownStatus } from "#tests/helpers.ts";
import { executable, parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * Admin → Integrations → Slack and Teams, called as React Router calls it: only admins reach it
 * (everyone else gets the 404, customers and deactivated accounts the sign-in rules), the forms
 * keep what was typed and save nothing on error, private addresses are refused unless allowlisted,
 * the webhook URL never reaches a page, and every XSS payload as a label renders as text.
 */
const t = setupTestDb();
const run = routeCaller(t);

type U = Awaited<ReturnType<typeof createUser>>;
let admin: U, member: U, outsider: U, customer: U, gone: U;
let space: Awaited<ReturnType<typeof createSpace>>;
let secret: Awaited<ReturnType<typeof createSpace>>;
const SECRET_URL = "http://127.0.0.1:9/services/T000/B000/TOPSECRETwxyz";

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  member = await createUser(t.db, { name: "Mia Member" });
  outsider = await createUser(t.db, { name: "Otto Outsider" });
  customer = await createUser(t.db, {}, "customer");
  gone = await createUser(t.db, {}, "deactivated");
  space = await createSpace(t.db, { name: "Support", members: [member] });
  secret = await createSpace(t.db, { name: "Mergers", members: [member] }, "restricted");
  await t.db.insert(outboundAllowlist).values({ pattern: "127.0.0.1", note: "the tests' receivers" });
});

const connectionPath = (id: number | string) => `/admin/integrations/chat/${id}`;
const connectionParams = (id: number | string) => ({ connectionId: String(id) });
const goodForm = (over: Record<string, string> = {}) => ({
  intent: "create",
  space: String(space.id),
  platform: "slack",
  label: "#support",
  url: `${SECRET_URL}-${Math.random()}`,
  events: "question.created",
  ...over,
});

async function connectionCount() {
  const [row] = await t.db.select({ n: count() }).from(chatConnections);
  return row!.n;
}

/** A form POST with several values under one name (the event boxes). */
async function postMany(user: U, path: string, fields: Array<[string, string]>) {
  const request = await postAs(t.db, user, path, {});
  return new Request(request.url, { method: "POST", headers: request.headers, body: new URLSearchParams(fields) });
}

describe("who reaches the pages", () => {
  test("admins see every page; members, outsiders of a restricted space and moderators get the 404; nothing is written", async () => {
    const { id } = await createConnection(t.db, admin, { space: secret.id, platform: "teams", url: SECRET_URL, label: "#mergers", events: ["question.created"], unansweredHours: null });
    const list = (await run(listLoader, await requestAs(t.db, admin, "/admin/integrations/chat"))) as unknown as { page: { rows: Array<{ id: number; maskedUrl: string }> } };
    expect(list.page.rows.map((r) => r.id)).toContain(id);
    expect(await run(newLoader, await requestAs(t.db, admin, "/admin/integrations/chat/new"))).toHaveProperty("spaces");
    const page = await run(connectionLoader, await requestAs(t.db, admin, connectionPath(id)), connectionParams(id));
    expect(page).toHaveProperty("connection.maskedUrl", "127.0.0.1:9/…wxyz");
    // The secret URL never reaches a page, in full or in part.
    for (const data of [list, page]) expect(JSON.stringify(data)).not.toContain("TOPSECRET");

    const moderator = await createUser(t.db, { name: "Mo Moderator" }, "moderator");
    for (const user of [member, outsider, moderator]) {
      expect(await thrownStatus(run(listLoader, await requestAs(t.db, user, "/admin/integrations/chat")))).toBe(404);
      expect(await thrownStatus(run(newLoader, await requestAs(t.db, user, "/admin/integrations/chat/new")))).toBe(404);
      expect(await thrownStatus(run(connectionLoader, await requestAs(t.db, user, connectionPath(id)), connectionParams(id)))).toBe(404);
      expect(await thrownStatus(run(newAction, await postAs(t.db, user, "/admin/integrations/chat/new", goodForm())))).toBe(404);
      for (const intent of ["save", "enable", "disable", "test", "delete"])
        expect(await thrownStatus(run(connectionAction, await postAs(t.db, user, connectionPath(id), { intent, events: "kudos.given" }), connectionParams(id)))).toBe(404);
    }
    // Customers go home, deactivated accounts to sign-in, from every page and form.
    for (const [user, target] of [
      [customer, /^\/$/],
      [gone, /^\/sign-in\?redirectTo=/],
    ] as const) {
      expect(redirectTarget(await thrown(run(listLoader, await requestAs(t.db, user, "/admin/integrations/chat"))))).toMatch(target);
      expect(redirectTarget(await thrown(run(newLoader, await requestAs(t.db, user, "/admin/integrations/chat/new"))))).toMatch(target);
      expect(redirectTarget(await thrown(run(connectionLoader, await requestAs(t.db, user, connectionPath(id)), connectionParams(id))))).toMatch(target);
      expect(redirectTarget(await thrown(run(newAction, await postAs(t.db, user, "/admin/integrations/chat/new", goodForm()))))).toMatch(target);
      expect(redirectTarget(await thrown(run(connectionAction, await postAs(t.db, user, connectionPath(id), { intent: "delete" }), connectionParams(id))))).toMatch(target);
    }
    expect(await connectionCount()).toBe(1);
    expect(await t.db.select({ n: count() }).from(webhookDeliveries)).toEqual([{ n: 0 }]);
    const [row] = await t.db.select().from(chatConnections).where(eq(chatConnections.id, id));
    expect(row).toMatchObject({ enabled: true, label: "#mergers", events: ["question.created"] });
    // A missing or malformed id is the same 404.
    for (const bad of ["2000000000", "abc", "-1"]) expect(await thrownStatus(run(connectionLoader, await requestAs(t.db, admin, connectionPath(bad)), connectionParams(bad)))).toBe(404);
    await t.db.delete(chatConnections);
  });
});

describe("connecting a channel", () => {
  test("a private address is refused unless allowlisted; an allowlisted one is saved and the page opens", async () => {
    const privateUrl = "http://10.20.30.40/hooks/abcdef";
    const refused = await run(newAction, await postAs(t.db, admin, "/admin/integrations/chat/new", goodForm({ url: privateUrl })));
    expect(refused.init?.status).toBe(400);
    const failure = refused.data as { fieldErrors: Record<string, string>; values: Record<string, string> };
    expect(failure.fieldErrors.url).toMatch(/^Commons can't post to this address: 10\.20\.30\.40 is a private address/);
    expect(failure.values).toMatchObject({ url: privateUrl, label: "#support", space: String(space.id), platform: "slack" });
    expect(await connectionCount()).toBe(0);

    const made = await redirectTarget(await thrown(run(newAction, await postAs(t.db, admin, "/admin/integrations/chat/new", goodForm()))));
    expect(made).toMatch(/^\/admin\/integrations\/chat\/\d+\?created=1$/);
    const [row] = await t.db.select().from(chatConnections);
    expect(row).toMatchObject({ spaceId: space.id, platform: "slack", label: "#support", events: ["question.created"], unansweredHours: null, createdBy: admin.id, enabled: true });
    // The same URL twice in one space is refused (a double submit makes one connection).
    const again = await run(newAction, await postAs(t.db, admin, "/admin/integrations/chat/new", goodForm({ url: row!.url })));
    expect((again.data as { fieldErrors: Record<string, string> }).fieldErrors.url).toMatch(/already connected/);
    expect(await connectionCount()).toBe(1);
    await t.db.delete(chatConnections);
  });

  test("bad hours, no events, a bad space or platform: field errors, every typed value kept, nothing saved", async () => {
    const cases: Array<[Array<[string, string]>, string]> = [
      [
        [
          ["events", "question.created"],
          ["events", "question.unanswered"],
          ["unansweredHours", "200"],
        ],
        "unansweredHours",
      ],
      [
        [
          ["events", "question.unanswered"],
          ["unansweredHours", "three"],
        ],
        "unansweredHours",
      ],
      [[["events", "question.unanswered"]], "unansweredHours"],
      [
        [
          ["events", "kudos.given"],
          ["unansweredHours", "4"],
        ],
        "unansweredHours",
      ],
      [[], "events"],
      [[["events", "answer.created"]], "events"],
    ];
    const common: Array<[string, string]> = [
      ["intent", "create"],
      ["space", String(space.id)],
      ["platform", "teams"],
      ["label", "Typed label"],
      ["url", "http://127.0.0.1:9/typed"],
    ];
    for (const [fields, field] of cases) {
      const reply = await run(newAction, await postMany(admin, "/admin/integrations/chat/new", [...common, ...fields]));
      const data = reply.data as { fieldErrors: Record<string, string>; values: Record<string, string> };
      expect(reply.init?.status, JSON.stringify(fields)).toBe(400);
      expect(data.fieldErrors[field], JSON.stringify(fields)).toBeTruthy();
      expect(data.values).toMatchObject({ label: "Typed label", url: "http://127.0.0.1:9/typed", platform: "teams", space: String(space.id) });
      expect(data.values.events).toBe(
        fields
          .filter(([k]) => k === "events")
          .map(([, v]) => v)
          .join(","),
      );
      const hours = fields.find(([k]) => k === "unansweredHours");
      if (hours) expect(data.values.unansweredHours).toBe(hours[1]);
    }
    for (const [fields, field] of [
      [{ space: "999999" }, "space"],
      [{ space: "nope" }, "space"],
      [{ platform: "discord" }, "platform"],
      [{ url: "not a url" }, "url"],
      [{ label: "x".repeat(81) }, "label"],
    ] as const) {
      const reply = await run(newAction, await postAs(t.db, admin, "/admin/integrations/chat/new", goodForm(fields)));
      expect(reply.init?.status, JSON.stringify(fields)).toBe(400);
      expect((reply.data as { fieldErrors: Record<string, string> }).fieldErrors[field], JSON.stringify(fields)).toBeTruthy();
    }
    expect(await connectionCount()).toBe(0);
    expect(await thrownStatus(run(newAction, await postAs(t.db, admin, "/admin/integrations/chat/new", { intent: "explode" })))).toBe(400);
  });
});

describe("a connection's page", () => {
  test("edit, refuse a private URL, turn off and on (clearing a failure), test, retry and delete", async () => {
    const { id } = await createConnection(t.db, admin, { space: space.id, platform: "slack", url: SECRET_URL, label: "#support", events: ["question.created"], unansweredHours: null });
    const post = async (fields: Array<[string, string]>) => run(connectionAction, await postMany(admin, connectionPath(id), fields), connectionParams(id));
    const stored = async () => (await t.db.select().from(chatConnections).where(eq(chatConnections.id, id)))[0]!;

    const bad = await post([
      ["intent", "save"],
      ["label", "New label"],
      ["events", "question.unanswered"],
      ["events", "kudos.given"],
      ["unansweredHours", "0"],
    ]);
    expect(bad.init?.status).toBe(400);
    expect((bad.data as { values: Record<string, string> }).values).toMatchObject({ label: "New label", events: "question.unanswered,kudos.given", unansweredHours: "0" });
    const privateUrl = await post([
      ["intent", "save"],
      ["url", "http://192.168.1.10/hook"],
      ["events", "kudos.given"],
    ]);
    expect((privateUrl.data as { fieldErrors: Record<string, string> }).fieldErrors.url).toMatch(/private address/);
    expect(await stored()).toMatchObject({ label: "#support", url: SECRET_URL, events: ["question.created"], unansweredHours: null });

    expect(
      await post([
        ["intent", "save"],
        ["label", "  #help   desk "],
        ["events", "question.unanswered"],
        ["events", "kudos.given"],
        ["unansweredHours", "12"],
      ]),
    ).toMatchObject({ ok: true });
    // An empty URL keeps the current one.
    expect(await stored()).toMatchObject({ label: "#help desk", url: SECRET_URL, events: ["question.unanswered", "kudos.given"], unansweredHours: 12 });
    await post([
      ["intent", "save"],
      ["url", "http://127.0.0.1:9/replaced"],
      ["events", "kudos.given"],
    ]);
    expect(await stored()).toMatchObject({ url: "http://127.0.0.1:9/replaced", unansweredHours: null });

    // Turned off by the worker after failures: the page says why; turning it on clears that.
    await t.db
      .update(chatConnections)
      .set({ enabled: false, disabledAt: new Date(), disabledReason: "HTTP 404 from the channel 10 times", consecutiveFailures: 10 })
      .where(eq(chatConnections.id, id));
    const page = (await run(connectionLoader, await requestAs(t.db, admin, connectionPath(id)), connectionParams(id))) as unknown as { connection: { disabledReason: string } };
    expect(page.connection.disabledReason).toBe("HTTP 404 from the channel 10 times");
    expect(parseScreen(renderRoute(ConnectionRoute as ComponentType<never>, page, admin)).querySelector("[role=alert]")?.textContent).toContain("HTTP 404 from the channel 10 times");
    expect(await post([["intent", "enable"]])).toMatchObject({ ok: true });
    expect(await stored()).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
    await post([["intent", "disable"]]);
    expect(await stored()).toMatchObject({ enabled: false, disabledAt: null });

    expect(await post([["intent", "test"]])).toMatchObject({ ok: true });
    const deliveries = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.chatConnectionId, id));
    expect(deliveries).toEqual([expect.objectContaining({ test: true, eventType: "chat.test", status: "pending" })]);
    const withLog = (await run(connectionLoader, await requestAs(t.db, admin, connectionPath(id)), connectionParams(id))) as unknown as { deliveries: { total: number } };
    expect(withLog.deliveries.total).toBe(1);
    await t.db.update(webhookDeliveries).set({ status: "dead" }).where(eq(webhookDeliveries.chatConnectionId, id));
    expect(
      await post([
        ["intent", "retry"],
        ["deliveryId", String(deliveries[0]!.id)],
      ]),
    ).toMatchObject({ ok: true, notice: NOTICE_RETRY });
    expect((await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveries[0]!.id)))[0]!.status).toBe("pending");

    expect(await thrownStatus(post([["intent", "explode"]]))).toBe(400);
    expect(await redirectTarget(await thrown(post([["intent", "delete"]])))).toBe("/admin/integrations/chat?deleted=1");
    expect(await connectionCount()).toBe(0);
    expect(await thrownStatus(post([["intent", "test"]]))).toBe(404);
  });
});

const NOTICE_RETRY = "The delivery is back in line and goes out in a moment.";

describe("every XSS payload through the label comes out as text", () => {
  test("the list (every page), each connection's page and the new page run nothing", { timeout: 240_000 }, async () => {
    const labels = payloads.map(({ payload }) => payload.replace(/\s+/g, " ").trim().slice(0, 80)).filter((l) => l.length > 0);
    const ids: number[] = [];
    for (const [i, label] of labels.entries()) {
      const { id } = await createConnection(t.db, admin, {
        space: i % 2 ? secret.id : space.id,
        platform: i % 3 ? "slack" : "teams",
        url: `${SECRET_URL}/${i}`,
        label,
        events: ["question.created"],
        unansweredHours: null,
      });
      ids.push(id);
    }
    const stored = await t.db.select({ label: chatConnections.label }).from(chatConnections);
    expect(stored.map((s) => s.label).sort()).toEqual([...labels].sort());

    const shown: string[] = [];
    for (let page = 1; ; page++) {
      const data = (await run(listLoader, await requestAs(t.db, admin, `/admin/integrations/chat?page=${page}`))) as unknown as {
        page: { rows: unknown[]; total: number; pageSize: number };
      };
      const screen = parseScreen(renderRoute(ListRoute as ComponentType<never>, data, admin));
      expect(executable(screen), `page ${page}`).toEqual([]);
      shown.push(...[...screen.querySelectorAll("tbody td:first-child a")].map((a) => a.textContent ?? ""));
      if (page * data.page.pageSize >= data.page.total) break;
    }
    expect(shown.sort()).toEqual([...labels].sort());

    for (const id of ids.filter((_, i) => i % 7 === 0)) {
      const data = await run(connectionLoader, await requestAs(t.db, admin, connectionPath(id)), connectionParams(id));
      const screen = parseScreen(renderRoute(ConnectionRoute as ComponentType<never>, data, admin));
      expect(executable(screen), String(id)).toEqual([]);
      const label = (data as unknown as { connection: { label: string } }).connection.label;
      expect(screen.querySelector("h1")?.textContent).toBe(label);
      expect((screen.querySelector("input[name=label]") as HTMLInputElement | null)?.getAttribute("value")).toBe(label);
    }
    // A failed form renders the typed label back as a value, not markup.
    for (const label of labels.filter((_, i) => i % 11 === 0)) {
      const reply = await run(newAction, await postAs(t.db, admin, "/admin/integrations/chat/new", goodForm({ label, events: "" })));
      const spaces = await run(newLoader, await requestAs(t.db, admin, "/admin/integrations/chat/new"));
      const html = renderRouteWithAction(NewRoute as ComponentType<never>, spaces, reply.data);
      expect(executable(html), label).toEqual([]);
      expect((parseScreen(html).querySelector("input[name=label]") as HTMLInputElement | null)?.getAttribute("value")).toBe(label);
    }
  });
});

/** The new page as it renders after a failed post: its component with the failure as `actionData`. */
function renderRouteWithAction(Component: ComponentType<never>, loaderData: unknown, actionData: unknown): string {
  const Wrapped = ((props: Record<string, unknown>) =>
    createElement(Component as unknown as ComponentType<Record<string, unknown>>, { ...props, actionData })) as unknown as ComponentType<never>;
  return renderRoute(Wrapped, loaderData, admin);
}

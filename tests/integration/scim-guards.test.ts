import { eq } from "drizzle-orm";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { scimGroups, scimTokens, scimUsers, users } from "#db/schema/index.ts";
import { createApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { createScimRule } from "#app/features/scim/rules.server.ts";
import { ScimRuleSchema, ScimTokenSchema } from "#app/features/scim/schemas.ts";
import { createScimToken, revokeScimToken } from "#app/features/scim/tokens.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import AdminScim, { action as scimAction, loader as scimLoader } from "#app/routes/admin/integrations/scim.tsx";
import AdminScimGroups, { loader as groupsLoader } from "#app/routes/admin/integrations/scim-groups.tsx";
import AdminScimRules, { action as rulesAction, loader as rulesLoader } from "#app/routes/admin/integrations/scim-rules.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, redirectTarget, requestAs, routeCaller, thrown } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { startScim, type ScimServer } from "#tests/fixtures/scim/harness.ts";
import { executable, payloads, refusedOrStored, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * Who may call SCIM and see its admin pages, what bad input answers, and every XSS payload through
 * the names the admin pages show (group display names and external ids, rule group names, token names).
 */
const t = setupTestDb();
const call = routeCaller(t);
let scim: ScimServer;
let admin: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  scim = await startScim(t.db);
  admin = await createUser(t.db, { name: "Guard Admin" }, "admin");
});
afterAll(() => scim.close());

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

describe("authentication", () => {
  test("no token, a malformed header, a revoked token and a personal API token are all 401s with a SCIM error", async () => {
    const { token: revoked, row } = await createScimToken(t.db, admin, "Old provider");
    await revokeScimToken(t.db, admin, row.id);
    const { token: personal } = await createApiToken(t.db, admin.id, { name: "mine", scope: "write", expiresInDays: null });
    expect(personal.startsWith("cmn_")).toBe(true);
    for (const [label, options] of [
      ["no token", { token: null }],
      ["basic auth", { token: "x" }],
      ["revoked", { token: revoked }],
      ["personal access token", { token: personal }],
      ["unknown scim token", { token: `scim_${"a".repeat(43)}` }],
    ] as const) {
      const reply = await scim.request("GET", "/Users", undefined, options);
      expect(reply.status, label).toBe(401);
      expect(reply.headers.get("www-authenticate"), label).toMatch(/^Bearer/);
      expect(reply.headers.get("content-type"), label).toMatch(/^application\/scim\+json/);
      expect(reply.body, label).toMatchObject({ schemas: [SCIM_ERROR], status: "401" });
    }
    // A live token works, and its last use is recorded.
    expect((await scim.request("GET", "/Users")).status).toBe(200);
    const [live] = await t.db.select().from(scimTokens).where(eq(scimTokens.name, "Test identity provider"));
    expect(live!.lastUsedAt).not.toBeNull();
    expect(live!.tokenHash).not.toContain(scim.token);
  });
});

describe("bad input answers a SCIM error, never a 500, and writes nothing", () => {
  test("malformed bodies, filters, ids and endpoints", async () => {
    const cases: Array<[string, Promise<{ status: number; body: { scimType?: string; status?: string; detail?: string } }>, number, string | null]> = [
      ["bad JSON", scim.request("POST", "/Users", undefined, { raw: '{"userName": ' }), 400, "invalidSyntax"],
      ["not JSON at all", scim.request("POST", "/Users", undefined, { raw: "userName=x", contentType: "text/plain" }), 400, "invalidSyntax"],
      ["an array", scim.request("POST", "/Users", []), 400, "invalidSyntax"],
      ["oversized", scim.request("POST", "/Users", { schemas: [USER], userName: "big@northwind.example", title: "x".repeat(1_100_000) }), 413, null],
      ["no userName", scim.request("POST", "/Users", { schemas: [USER] }), 400, "invalidValue"],
      ["userName not an address and no emails", scim.request("POST", "/Users", { schemas: [USER], userName: "bjensen" }), 400, "invalidValue"],
      ["a name with a line break", scim.request("POST", "/Users", { schemas: [USER], userName: "nl@northwind.example", displayName: "Two\nLines" }), 400, "invalidValue"],
      ["a NUL character", scim.request("POST", "/Users", { schemas: [USER], userName: "nul@northwind.example", title: "a\u0000b" }), 400, "invalidValue"],
      ["a broken filter", scim.request("GET", `/Users?filter=${encodeURIComponent("userName eq")}`), 400, "invalidFilter"],
      ["a filter on an attribute we don't filter", scim.request("GET", `/Users?filter=${encodeURIComponent('nickName eq "x"')}`), 400, "invalidFilter"],
      ["startIndex not a number", scim.request("GET", "/Users?startIndex=abc"), 400, "invalidValue"],
      ["a repeated parameter", scim.request("GET", "/Users?count=1&count=2"), 400, "invalidValue"],
      ["an id that is no id", scim.request("GET", "/Users/abc"), 404, null],
      ["an id past PostgreSQL's integers", scim.request("GET", "/Users/99999999999"), 404, null],
      ["an id with a quote", scim.request("GET", `/Users/${encodeURIComponent('1"')}`), 404, null],
      [
        "a missing group",
        scim.request("PATCH", "/Groups/424242", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [] }] }),
        404,
        null,
      ],
      ["a patch without operations", scim.request("PATCH", "/Users/1", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] }), 400, "invalidValue"],
      ["an unknown endpoint", scim.request("GET", "/Widgets"), 404, null],
      ["a method the endpoint lacks", scim.request("DELETE", "/Users"), 405, null],
    ];
    for (const [label, pending, status, scimType] of cases) {
      const reply = await pending;
      expect(reply.status, `${label}: ${JSON.stringify(reply.body)}`).toBe(status);
      expect(reply.body, label).toMatchObject({ schemas: [SCIM_ERROR], status: String(status) });
      if (scimType) expect(reply.body.scimType, label).toBe(scimType);
      expect(JSON.stringify(reply.body), label).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    expect(await t.db.select().from(scimUsers)).toEqual([]);
    expect(scim.logged).toEqual([]);
  });

  test("a refused write leaves no half-written rows", async () => {
    const made = await scim.request("POST", "/Users", { schemas: [USER], userName: "first@northwind.example", externalId: "ext-1" });
    expect(made.status).toBe(201);
    // The second account would be inserted before its externalId clashes: the transaction takes it back.
    const clash = await scim.request("POST", "/Users", { schemas: [USER], userName: "second@northwind.example", externalId: "ext-1" });
    expect(clash.status).toBe(409);
    expect(clash.body.scimType).toBe("uniqueness");
    expect(await t.db.select().from(users).where(eq(users.email, "second@northwind.example"))).toEqual([]);

    const badGroup = await scim.request("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Ghosts",
      members: [{ value: made.body.id }, { value: "999999" }],
    });
    expect(badGroup.status).toBe(400);
    expect(await t.db.select().from(scimGroups)).toEqual([]);
    await scim.request("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Ghosts" });
    const twice = await scim.request("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "GHOSTS" });
    expect(twice.status).toBe(409);
  });
});

describe("the admin pages", () => {
  test("a member, a non-member of a restricted space, a customer, a deactivated account and a visitor never see them", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    await createSpace(t.db, { members: [member] }, "restricted");
    const customer = await createUser(t.db, {}, "customer");
    const deactivated = await createUser(t.db, {}, "deactivated");
    for (const [path, loader] of [
      ["/admin/integrations/scim", scimLoader],
      ["/admin/integrations/scim/rules", rulesLoader],
      ["/admin/integrations/scim/groups", groupsLoader],
    ] as const) {
      expect(await thrown(call(loader, await requestAs(t.db, member, path))), path).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(loader, await requestAs(t.db, outsider, path))), path).toBeInstanceOf(NotFoundError);
      expect(redirectTarget(await thrown(call(loader, await requestAs(t.db, customer, path)))), path).toBe("/");
      expect(redirectTarget(await thrown(call(loader, await requestAs(t.db, deactivated, path)))), path).toMatch(/^\/sign-in/);
      expect(redirectTarget(await thrown(call(loader, await requestAs(t.db, null, path)))), path).toMatch(/^\/sign-in/);
    }
    expect(await thrown(call(scimAction, await postAs(t.db, member, "/admin/integrations/scim", { intent: "create-token", name: "Sneaky" })))).toBeInstanceOf(NotFoundError);
    expect(await t.db.select().from(scimTokens).where(eq(scimTokens.name, "Sneaky"))).toEqual([]);
  });

  test("a token is shown once, in the answer that made it; bad forms keep what was typed", async () => {
    const made = await call(scimAction, await postAs(t.db, admin, "/admin/integrations/scim", { intent: "create-token", name: "Okta production" }));
    const token = (made as unknown as { created: { token: string } }).created.token;
    expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    const page = await call(scimLoader, await requestAs(t.db, admin, "/admin/integrations/scim"));
    expect(JSON.stringify(page)).not.toContain(token);
    expect(JSON.stringify(page)).toContain(token.slice(0, 9));
    expect((await scim.request("GET", "/Users", undefined, { token })).status).toBe(200);

    const blank = await call(scimAction, await postAs(t.db, admin, "/admin/integrations/scim", { intent: "create-token", name: "  " }));
    expect(blank.init?.status).toBe(400);
    expect(blank.data).toMatchObject({ ok: false, fieldErrors: { name: expect.any(String) } });

    const space = await createSpace(t.db);
    const noConfirm = await call(
      rulesAction,
      await postAs(t.db, admin, "/admin/integrations/scim/rules", {
        intent: "create-rule",
        groupName: "Admins of it all",
        target: "site",
        siteRole: "admin",
        spaceId: "",
        spaceRole: "member",
      }),
    );
    expect(noConfirm.init?.status).toBe(400);
    expect(noConfirm.data).toMatchObject({ fieldErrors: { confirmAdmin: expect.any(String) }, values: { groupName: "Admins of it all", siteRole: "admin" } });
    const noSpace = await call(
      rulesAction,
      await postAs(t.db, admin, "/admin/integrations/scim/rules", { intent: "create-rule", groupName: "Eng", target: "space", spaceId: "", spaceRole: "member", siteRole: "" }),
    );
    expect(noSpace.data).toMatchObject({ fieldErrors: { spaceId: expect.any(String) }, values: { groupName: "Eng" } });
    const ok = await call(
      rulesAction,
      await postAs(t.db, admin, "/admin/integrations/scim/rules", {
        intent: "create-rule",
        groupName: "Eng",
        target: "space",
        spaceId: String(space.id),
        spaceRole: "moderator",
        siteRole: "",
      }),
    );
    expect(ok).toMatchObject({ ok: true });
  });

  test("every XSS payload through group names, external ids, rule group names and token names renders inert", { timeout: 240_000 }, async () => {
    const space = await createSpace(t.db, { name: "XSS space" });
    let groups = 0;
    let rules = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const reply = await scim.request("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: payload, externalId: payload });
      expect([201, 400, 409], payload).toContain(reply.status);
      if (reply.status === 201) groups++;
      const rule = ScimRuleSchema.safeParse({ groupName: payload, target: "space", spaceId: String(space.id), spaceRole: "member" });
      if (rule.success && (await refusedOrStored(() => createScimRule(t.db, admin, rule.data)))) rules++;
      const name = ScimTokenSchema.safeParse({ name: payload });
      if (name.success && i % 20 === 0) {
        const { row } = await createScimToken(t.db, admin, name.data.name);
        await revokeScimToken(t.db, admin, row.id);
      }
    }
    expect(groups).toBeGreaterThan(100);
    expect(rules).toBeGreaterThan(100);
    for (const group of await t.db.select().from(scimGroups)) {
      expect(rendersAsText(group.displayName), group.displayName).toBe(true);
    }
    const load = async (loader: (args: never) => unknown, path: string) => call(loader, await requestAs(t.db, admin, path));
    const groupsPage = (await load(groupsLoader, "/admin/integrations/scim/groups")) as unknown as { total: number; pageSize: number };
    for (let page = 1; page <= Math.ceil(groupsPage.total / groupsPage.pageSize); page++) {
      const html = renderRoute(AdminScimGroups as ComponentType<never>, await load(groupsLoader, `/admin/integrations/scim/groups?page=${page}`), admin);
      expect(executable(html), `groups page ${page}`).toEqual([]);
    }
    expect(executable(renderRoute(AdminScimRules as ComponentType<never>, await load(rulesLoader, "/admin/integrations/scim/rules"), admin))).toEqual([]);
    expect(executable(renderRoute(AdminScim as ComponentType<never>, await load(scimLoader, "/admin/integrations/scim"), admin))).toEqual([]);
  });
});

import { eq } from "drizzle-orm";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createMemoryRouter, Outlet, RouterProvider, useActionData, useLoaderData } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { apiTokens } from "#db/schema/index.ts";
import { apiEndpoints } from "#app/features/api/endpoints.server.ts";
import { CreateTokenSchema } from "#app/features/api-tokens/schemas.ts";
import { authenticateBearer, createApiToken, createTokenForUser, hashApiToken, MAX_TOKENS_PER_USER } from "#app/features/api-tokens/tokens.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import ApiReferenceRoute, { loader as referenceLoader } from "#app/routes/developers/api.tsx";
import TokensRoute, { action as tokensAction, loader as tokensLoader } from "#app/routes/settings/tokens.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";
import { postAs, redirectTarget, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { executable, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * Settings → API tokens and the API's reference page, through their loaders and actions with real
 * requests: who may open them, a token shown once and stored hashed, expiries, the most live tokens
 * one person may hold, revoking with a confirmation, bad input, and every XSS payload as a token's
 * name. The tokens themselves at work are in api-router.test.ts.
 */
const t = setupTestDb();

type Person = Awaited<ReturnType<typeof createUser>>;
let member: Person;
let other: Person;
let customer: Person;
let deactivated: Person;

const run = (handler: (args: never) => unknown, request: Request) => Promise.resolve(handler({ request, context: routeContext(t.db).context, params: {} } as never));
type Reply = {
  data: { ok: boolean; created?: { token: string; name: string; expiresAt: Date | null }; fieldErrors?: Record<string, string>; values?: Record<string, string> };
  init: { status: number } | null;
};
type Created = { ok: true; created: { token: string; name: string; scope: string; expiresAt: Date | null } };

const create = async (user: Person, fields: Record<string, string>) =>
  (await run(tokensAction, await postAs(t.db, user, "/settings/tokens", { intent: "create", ...fields }))) as Created | Reply;
type Page = Awaited<ReturnType<typeof tokensLoader>>;
const page = async (user: Person, query = "") => (await run(tokensLoader, await requestAs(t.db, user, `/settings/tokens${query}`))) as Page;

beforeAll(async () => {
  member = await createUser(t.db, { name: "Tia Tokens" });
  other = await createUser(t.db, { name: "Ole Other" });
  customer = await createUser(t.db, {}, "customer");
  deactivated = await createUser(t.db, {}, "deactivated");
});

describe("who opens the pages", () => {
  test("signed out: to sign-in; a customer: to the home page; a deactivated account: to sign-in", async () => {
    for (const [loader, path] of [
      [tokensLoader, "/settings/tokens"],
      [referenceLoader, "/developers/api"],
    ] as const) {
      expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, null, path))))).toMatch(/^\/sign-in\?redirectTo=/);
      expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, customer, path))))).toBe("/");
      expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, deactivated, path))))).toMatch(/^\/sign-in/);
    }
    expect(redirectTarget(await thrown(run(tokensAction, await postAs(t.db, customer, "/settings/tokens", { intent: "create", name: "x", scope: "read", expires: "7" }))))).toBe("/");
    expect(await t.db.$count(apiTokens, eq(apiTokens.userId, customer.id))).toBe(0);
  });

  test("the feature refuses a customer or a deactivated account too", async () => {
    for (const user of [customer, deactivated]) {
      await expect(createTokenForUser(t.db, user, { name: "Nope", scope: "read", expiresInDays: 7 })).rejects.toThrow(/Only employees/);
    }
  });
});

describe("making, listing and revoking tokens", () => {
  test("the token is shown once, in the answer to the form; the list and the table hold only its prefix and hash", async () => {
    const answer = (await create(member, { name: "  Team   dashboard ", scope: "write", expires: "30" })) as Created;
    expect(answer.ok).toBe(true);
    expect(answer.created.token).toMatch(/^cmn_/);
    expect(answer.created.name).toBe("Team dashboard");
    expect(new Date(answer.created.expiresAt!).getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    const [row] = await t.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, hashApiToken(answer.created.token)));
    expect(row).toMatchObject({ userId: member.id, scope: "write", name: "Team dashboard" });
    const listed = await page(member);
    expect(JSON.stringify(listed)).not.toContain(answer.created.token);
    expect(listed.tokens[0]).toMatchObject({ name: "Team dashboard", prefix: answer.created.token.slice(0, 8), scope: "write", state: "active", lastUsedAt: null });

    // Used once, the list shows when.
    expect((await authenticateBearer(t.db, `Bearer ${answer.created.token}`)).ok).toBe(true);
    expect((await page(member)).tokens[0]!.lastUsedAt).not.toBeNull();
  });

  test("a token that never expires, and one that has", async () => {
    const never = (await create(member, { name: "Service", scope: "read", expires: "never" })) as Created;
    expect(never.created.expiresAt).toBeNull();
    await createApiToken(t.db, member.id, { name: "Old one", scope: "read", expiresInDays: 7 }, new Date(Date.now() - 8 * 86_400_000));
    const states = Object.fromEntries((await page(member)).tokens.map((tk) => [tk.name, tk.state]));
    expect(states).toMatchObject({ Service: "active", "Old one": "expired" });
  });

  test("bad input comes back with a message per field and what was typed", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ name: "   ", scope: "read", expires: "7" }, "name"],
      [{ name: "x".repeat(81), scope: "read", expires: "7" }, "name"],
      [{ name: "Fine", scope: "admin", expires: "7" }, "scope"],
      [{ name: "Fine", scope: "read", expires: "1000" }, "expires"],
      [{ name: "Fine", scope: "read" }, "expires"],
    ];
    const before = await t.db.$count(apiTokens);
    for (const [fields, field] of cases) {
      const reply = (await create(member, fields)) as Reply;
      expect(reply.init?.status, field).toBe(400);
      expect(reply.data.fieldErrors?.[field], JSON.stringify(fields)).toBeTruthy();
      expect(reply.data.values?.name).toBe(fields.name);
    }
    expect(await t.db.$count(apiTokens)).toBe(before);
  });

  test(`at most ${MAX_TOKENS_PER_USER} live tokens; revoked and expired ones do not count`, async () => {
    const busy = await createUser(t.db);
    await Promise.all(Array.from({ length: MAX_TOKENS_PER_USER - 1 }, (_, i) => createApiToken(t.db, busy.id, { name: `Token ${i}`, scope: "read", expiresInDays: null })));
    await createApiToken(t.db, busy.id, { name: "Expired", scope: "read", expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    // Two at once for the last place: one gets it.
    const raced = await Promise.all([create(busy, { name: "Last A", scope: "read", expires: "7" }), create(busy, { name: "Last B", scope: "read", expires: "7" })]);
    expect(raced.filter((r) => (r as Created).ok === true)).toHaveLength(1);
    const refused = raced.find((r) => (r as Reply).init?.status === 400) as Reply;
    expect(refused.data.fieldErrors?.name).toMatch(/revoke one/);
    expect(refused.data.values?.name).toMatch(/^Last [AB]$/);

    const some = (await page(busy)).tokens.find((tk) => tk.state === "active")!;
    expect(redirectTarget(await thrown(run(tokensAction, await postAs(t.db, busy, "/settings/tokens", { intent: "revoke", tokenId: String(some.id) }))))).toBe("/settings/tokens?revoked=1");
    expect(((await create(busy, { name: "After revoking", scope: "read", expires: "7" })) as Created).ok).toBe(true);
  });

  test("revoking: a confirmation first, then the token stops at once; someone else's token is a 404", async () => {
    const { token, row } = await createApiToken(t.db, member.id, { name: "Laptop script", scope: "read", expiresInDays: null });
    expect((await page(member, `?revoke=${row.id}`)).confirm).toEqual({ id: row.id, name: "Laptop script", prefix: row.prefix });
    expect((await page(other, `?revoke=${row.id}`)).confirm).toBeNull();
    expect((await page(member, "?revoke=abc")).confirm).toBeNull();

    expect(await thrown(run(tokensAction, await postAs(t.db, other, "/settings/tokens", { intent: "revoke", tokenId: String(row.id) })))).toBeInstanceOf(NotFoundError);
    expect(await thrown(run(tokensAction, await postAs(t.db, member, "/settings/tokens", { intent: "revoke", tokenId: "nope" })))).toBeInstanceOf(NotFoundError);
    expect((await authenticateBearer(t.db, `Bearer ${token}`)).ok).toBe(true);

    const done = await thrown(run(tokensAction, await postAs(t.db, member, "/settings/tokens", { intent: "revoke", tokenId: String(row.id) })));
    expect(redirectTarget(done)).toBe("/settings/tokens?revoked=1");
    expect((await authenticateBearer(t.db, `Bearer ${token}`)).ok).toBe(false);
    expect((await page(member, "?revoked=1")).notice).toMatch(/revoked/);
    // A second click changes nothing and lands in the same place.
    expect(redirectTarget(await thrown(run(tokensAction, await postAs(t.db, member, "/settings/tokens", { intent: "revoke", tokenId: String(row.id) }))))).toBe("/settings/tokens?revoked=1");
  });

  test("the list pages by 25", async () => {
    const many = await createUser(t.db);
    for (let i = 0; i < 30; i++) await createApiToken(t.db, many.id, { name: `Token ${i}`, scope: "read", expiresInDays: 7 });
    const first = await page(many);
    const second = await page(many, "?page=2");
    expect([first.tokens.length, second.tokens.length, first.total]).toEqual([25, 5, 30]);
    expect(second.tokens.at(-1)!.name).toBe("Token 0");
  });
});

/** The tokens page as the app renders it, with its loader's data and the answer to a creation. */
function renderTokens(loaderData: unknown, actionData: unknown, user: Person): string {
  function Page() {
    return createElement(TokensRoute as ComponentType<never>, { loaderData: useLoaderData(), actionData: useActionData(), params: {}, matches: [] } as never);
  }
  const router = createMemoryRouter(
    [{ id: "root", path: "/", loader: () => null, Component: Outlet, children: [{ id: "page", path: "*", loader: () => null, action: () => null, Component: Page }] }],
    {
      initialEntries: ["/settings/tokens"],
      hydrationData: { loaderData: { root: { user: { ...user, kind: "employee" } }, page: loaderData }, actionData: actionData ? { page: actionData } : undefined },
    },
  );
  return renderToStaticMarkup(createElement(RouterProvider, { router }));
}

describe("every XSS payload as a token's name comes out inert", () => {
  test("the list, the confirmation and the new token's panel run nothing", { timeout: 240_000 }, async () => {
    const writer = await createUser(t.db, { name: "Xavier Xss" });
    let stored = 0;
    for (const { payload } of payloads) {
      const parsed = CreateTokenSchema.safeParse({ name: payload.slice(0, 80), scope: "read", expires: "never" });
      if (!parsed.success) continue;
      const { row, token } = await createApiToken(t.db, writer.id, { name: parsed.data.name, scope: parsed.data.scope, expiresInDays: parsed.data.expires });
      stored++;
      // The panel after making it, and the confirmation of revoking it, name the token.
      if (stored % 10 === 0) {
        const loaderData = await page(writer, `?revoke=${row.id}`);
        const html = renderTokens(loaderData, { ok: true, created: { token, name: row.name, scope: row.scope, expiresAt: row.expiresAt } }, writer);
        expect(executable(html), payload).toEqual([]);
        expect(html).toContain("Copy your new token now");
      }
    }
    expect(stored).toBeGreaterThan(200);
    const pages = Math.ceil(stored / 25);
    for (let n = 1; n <= pages; n++) {
      const html = renderTokens(await page(writer, `?page=${n}`), undefined, writer);
      expect(executable(html), `page ${n}`).toEqual([]);
    }
  });
});

describe("the reference page", () => {
  test("renders every endpoint of the document, with nothing that runs", async () => {
    const data = await run(referenceLoader, await requestAs(t.db, member, "/developers/api"));
    const html = renderRoute(ApiReferenceRoute as ComponentType<never>, data, member);
    expect(executable(html)).toEqual([]);
    for (const endpoint of apiEndpoints) {
      expect(html, endpoint.operationId).toContain(`id="op-${endpoint.operationId}"`);
      expect(html).toContain(endpoint.path);
    }
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toMatch(/<h1[^>]*>REST API reference<\/h1>/);
    expect(html).toContain('id="schema-Question"');
  });
});

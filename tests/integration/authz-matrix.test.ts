import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { beforeAll, describe, expect, test } from "vitest";
import { apiEndpoints } from "#app/features/api/endpoints.server.ts";
import { createApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { createScimToken } from "#app/features/scim/tokens.server.ts";
import { ACTORS, API_MATRIX, MATRIX, MCP_MATRIX, VARIANTS, type ActorName, type Outcome, type Variant } from "#tests/authz/matrix.ts";
import { fillPath, leafRoutes, type RouteMethod } from "#tests/authz/routes.ts";
import { buildWorld, type World } from "#tests/authz/world.ts";
import { setupTestDb } from "#tests/db.ts";
import { useProductionServer } from "#tests/production-server.ts";

/**
 * The authorization matrix (tests/authz/matrix.ts) against the real server: every route and
 * method of app/routes.ts, as every actor, with every variant of the route's kind of item. GETs go
 * first, then the POSTs (an empty form from the app's own origin), each with a fresh session so
 * that a sign-out or a deactivated account's cleared session changes no other cell.
 */

const t = setupTestDb();
const server = useProductionServer(t, "authz-matrix");
const routes = leafRoutes();

const POST_VARIANTS: readonly Variant[] = ["open", "restricted", "missing"];

const TURNED_AWAY: readonly ActorName[] = ["anonymous", "customer", "deactivated"];

type Cell = { file: string; method: RouteMethod; actor: ActorName; variant: Variant; path: string; expected: Outcome };
type Observed = Cell & { got: Outcome | number; detail: string };

function outcomeOf(response: Response, base: string): Outcome | number {
  if (response.status >= 300 && response.status < 400) {
    const target = new URL(response.headers.get("location") ?? "", base);
    if (target.pathname === "/sign-in") return "sign-in";
    if (target.pathname === "/") return "home";
    return "elsewhere";
  }
  return response.status;
}

describe("the authorization matrix", () => {
  test("has an entry for every route of app/routes.ts, and only for those", () => {
    const files = new Set(routes.map((r) => r.file));
    const missing = [...files].filter((file) => !(file in MATRIX));
    expect(missing, "add an entry for each of these routes to MATRIX in tests/authz/matrix.ts").toEqual([]);
    const stale = Object.keys(MATRIX).filter((file) => !files.has(file));
    expect(stale, "these MATRIX entries name no route of app/routes.ts: remove them").toEqual([]);
    const unstated = routes.flatMap((r) => r.methods.filter((m) => !MATRIX[r.file]![m]).map((m) => `${m} ${r.file}`));
    expect(unstated, "state what each method of these routes answers in MATRIX").toEqual([]);
    const extra = routes.flatMap((r) => (["GET", "POST"] as const).filter((m) => MATRIX[r.file]![m] && !r.methods.includes(m)).map((m) => `${m} ${r.file}`));
    expect(extra, "these routes' modules have no loader (GET) or action (POST): drop the method from their entry").toEqual([]);
  });

  describe("against the running app", () => {
    let world: World;
    beforeAll(async () => {
      world = await buildWorld(t.db);
    }, 120_000);

    test("every cell answers as the matrix says", async () => {
      const cells: Cell[] = [];
      for (const route of routes) {
        const entry = MATRIX[route.file];
        if (!entry) continue;
        const made = world.items[entry.kind];
        const variants = (entry.variants ?? VARIANTS).filter((v) => made[v]);
        for (const method of route.methods) {
          const policy = entry[method];
          if (!policy) continue;
          // POSTs are checked on an open item, a hidden one and a missing one: what an empty form
          // gets once the guard passed does not depend on whether the item is deleted, closed or merged.
          for (const variant of method === "POST" ? variants.filter((v) => (entry.postVariants ?? POST_VARIANTS).includes(v)) : variants) {
            const params = made[variant]!;
            const path = entry.path ? entry.path(params) : fillPath(route.path, params);
            // Those the guard turns away get the guard's answer whatever the item: asked on an open and a missing one.
            for (const actor of ACTORS.filter((a) => !TURNED_AWAY.includes(a) || variant === "open" || variant === "missing"))
              cells.push({ file: route.file, method, actor, variant, path, expected: policy(actor, variant) });
          }
        }
      }

      const ask = async (cell: Cell): Promise<Observed> => {
        const headers: Record<string, string> = { accept: "text/html" };
        if (cell.actor !== "anonymous") headers.cookie = `${SESSION_COOKIE}=${(await createSession(t.db, world.users[cell.actor].id)).token}`;
        const init: RequestInit = { method: cell.method, headers, redirect: "manual", signal: AbortSignal.timeout(20_000) };
        if (cell.method === "POST") {
          headers.origin = server.base;
          headers["content-type"] = "application/x-www-form-urlencoded";
          init.body = "";
        }
        const response = await fetch(`${server.base}${cell.path}`, init);
        const got = outcomeOf(response, server.base);
        // A 500's body says what broke; any other body is not read (an events stream never ends).
        const detail = response.status >= 500 ? (await response.text()).slice(0, 300) : "";
        if (response.status < 500) await response.body?.cancel();
        return { ...cell, got, detail };
      };

      // GETs first, then POSTs: a POST that did something must not change what a later GET sees.
      const ordered = [...cells.filter((c) => c.method === "GET"), ...cells.filter((c) => c.method === "POST")];
      const observed: Observed[] = [];
      const started = Date.now();
      for (const method of ["GET", "POST"] as const) {
        const queue = ordered.filter((c) => c.method === method);
        const workers = Array.from({ length: 4 }, async () => {
          for (let cell = queue.shift(); cell; cell = queue.shift()) observed.push(await ask(cell));
        });
        await Promise.all(workers);
      }

      const routeCount = new Set(cells.map((c) => `${c.method} ${c.file}`)).size;
      console.log(
        `authz matrix: ${routes.length} routes, ${routeCount} route-methods × ${ACTORS.length} actors × item variants = ${observed.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );

      const errors = observed.filter((o) => typeof o.got === "number" && o.got >= 500).map((o) => `${o.method} ${o.path} as ${o.actor}: ${o.got} ${o.detail}`);
      const mismatches = observed.filter((o) => o.got !== o.expected).map((o) => `${o.method} ${o.file} [${o.variant}] as ${o.actor}: expected ${o.expected}, got ${o.got} (${o.path})`);
      // A hidden item answers exactly like a missing one to everyone who may not see it: the
      // employees outside the restricted space (none of them is an admin), for its items and its
      // deleted ones (a moderator sees deleted items, but not in a space they are not in).
      const byKey = new Map(observed.map((o) => [`${o.method} ${o.file} ${o.actor} ${o.variant}`, o]));
      const outside: readonly ActorName[] = ["outsider", "spaceModerator", "moderator", "hr"];
      const hidden: readonly Variant[] = ["restricted", "restrictedDeleted"];
      const leaks = observed
        .filter((o) => hidden.includes(o.variant) && outside.includes(o.actor))
        .filter((o) => {
          const missing = byKey.get(`${o.method} ${o.file} ${o.actor} missing`);
          return missing && missing.got !== o.got;
        })
        .map((o) => `${o.method} ${o.file} as ${o.actor}: ${o.variant} ${o.got}, missing ${byKey.get(`${o.method} ${o.file} ${o.actor} missing`)!.got}`);
      // The whole lists in the messages: a diff of a long array is cut short.
      expect(errors.length, `no request answers 500:\n${errors.join("\n")}`).toBe(0);
      expect(leaks.length, `a hidden item answers like a missing one:\n${leaks.join("\n")}`).toBe(0);
      expect(mismatches.length, `the app disagrees with tests/authz/matrix.ts (fix the route, a bug, or the entry, a wrong expectation):\n${mismatches.sort().join("\n")}`).toBe(0);
    }, 900_000);

    test("the API, the MCP tools and SCIM answer as the matrix says", async () => {
      const operations = apiEndpoints.map((e) => e.operationId);
      expect(
        operations.filter((id) => !(id in API_MATRIX)),
        "add an entry for each of these operations to API_MATRIX",
      ).toEqual([]);
      expect(
        Object.keys(API_MATRIX).filter((id) => !operations.includes(id)),
        "these API_MATRIX entries name no operation",
      ).toEqual([]);

      // A write token each (a read one for MCP, whose ask must then be refused); none for the anonymous visitor.
      const tokens = {} as Record<ActorName, { write: string; read: string } | null>;
      for (const actor of ACTORS) {
        const id = world.users[actor].id;
        tokens[actor] =
          actor === "anonymous"
            ? null
            : {
                write: (await createApiToken(t.db, id, { name: "authz write", scope: "write", expiresInDays: null })).token,
                read: (await createApiToken(t.db, id, { name: "authz read", scope: "read", expiresInDays: null })).token,
              };
      }

      const mismatches: string[] = [];
      const leaks: string[] = [];
      let requests = 0;
      const got = new Map<string, Outcome | number | string>();

      // /api/v1: GETs first, then the writes.
      const endpoints = [...apiEndpoints].sort((a, b) => Number(a.method !== "get") - Number(b.method !== "get"));
      for (const endpoint of endpoints) {
        const entry = API_MATRIX[endpoint.operationId]!;
        const made = world.items[entry.kind];
        const variants = VARIANTS.filter((v) => made[v] && (endpoint.method === "get" || POST_VARIANTS.includes(v)));
        await Promise.all(
          ACTORS.map(async (actor) => {
            for (const variant of variants) {
              const p = made[variant]!;
              const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) =>
                encodeURIComponent(name === "id" ? (p[`${entry.kind}Id`] ?? p.questionId ?? p.postId ?? p.pageId ?? p.userId ?? "") : (p[name] ?? "")),
              );
              const headers: Record<string, string> = { accept: "application/json" };
              if (tokens[actor]) headers.authorization = `Bearer ${tokens[actor].write}`;
              const init: RequestInit = { method: endpoint.method.toUpperCase(), headers };
              if (endpoint.method === "post") {
                headers["content-type"] = "application/json";
                init.body = "{}";
              }
              const response = await fetch(`${server.base}/api/v1${path}${entry.query ?? ""}`, init);
              requests += 1;
              const body = await response.text();
              got.set(`${endpoint.operationId} ${actor} ${variant}`, `${response.status} ${body.replace(/"requestId":"[^"]*"/, "")}`);
              const expected = entry.policy(actor, variant);
              if (response.status !== expected) mismatches.push(`API ${endpoint.operationId} [${variant}] as ${actor}: expected ${expected}, got ${response.status} ${body.slice(0, 120)}`);
            }
          }),
        );
      }

      // MCP: the tools the server lists, each called as each actor.
      const clients = new Map<ActorName, Client | number>();
      for (const actor of ACTORS) {
        const client = new Client({ name: "authz-matrix", version: "1.0.0" });
        const headers: Record<string, string> = tokens[actor] ? { Authorization: `Bearer ${tokens[actor].read}` } : {};
        try {
          await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), { requestInit: { headers } }));
          clients.set(actor, client);
        } catch (error) {
          // The transport's error carries the HTTP status of the refused connection.
          clients.set(actor, (error as { code?: number }).code ?? 0);
        }
        requests += 1;
      }
      const lister = clients.get("member");
      expect(lister, "the member connects to MCP").toBeInstanceOf(Client);
      const tools = (await (lister as Client).listTools()).tools.map((tool) => tool.name);
      expect(
        tools.filter((name) => !(name in MCP_MATRIX)),
        "add an entry for each of these MCP tools to MCP_MATRIX",
      ).toEqual([]);
      expect(
        Object.keys(MCP_MATRIX).filter((name) => !tools.includes(name)),
        "these MCP_MATRIX entries name no tool",
      ).toEqual([]);
      for (const name of tools) {
        const entry = MCP_MATRIX[name]!;
        const made = world.items[entry.kind];
        for (const actor of ACTORS) {
          for (const variant of VARIANTS.filter((v) => made[v])) {
            const client = clients.get(actor)!;
            let outcome: Outcome | number;
            let text = "";
            if (typeof client === "number") outcome = client;
            else {
              const result = (await client.callTool({ name, arguments: entry.args(made[variant]!) })) as { isError?: boolean; content: Array<{ text?: string }> };
              requests += 1;
              outcome = result.isError ? "tool-error" : 200;
              text = result.content.map((c) => c.text ?? "").join(" ");
            }
            got.set(`mcp ${name} ${actor} ${variant}`, `${outcome} ${text}`);
            const expected = entry.policy(actor, variant);
            if (outcome !== expected) mismatches.push(`MCP ${name} [${variant}] as ${actor}: expected ${expected}, got ${outcome} ${text.slice(0, 120)}`);
          }
        }
      }
      for (const client of clients.values()) if (client instanceof Client) await client.close();

      // A hidden item answers word for word like a missing one (the missing ids differ, so compare without digits).
      const outside: readonly ActorName[] = ["outsider", "spaceModerator", "moderator", "hr"];
      for (const key of got.keys()) {
        const [what, name, actor, variant] = key.split(" ");
        if ((variant !== "restricted" && variant !== "restrictedDeleted") || !outside.includes(actor as ActorName)) continue;
        const missingKey = [what, name, actor, "missing"].filter(Boolean).join(" ");
        const strip = (s: unknown) => String(s).replace(/\d+/g, "#");
        if (got.has(missingKey) && strip(got.get(key)) !== strip(got.get(missingKey)))
          leaks.push(`${key}: ${String(got.get(key)).slice(0, 100)} | missing: ${String(got.get(missingKey)).slice(0, 100)}`);
      }

      // SCIM takes only its own bearer token: every actor's API token is refused, an admin's SCIM token is not.
      const scim = (await createScimToken(t.db, world.admin, "authz matrix")).token;
      for (const resource of ["Users", "Groups"]) {
        for (const actor of ACTORS) {
          const headers: Record<string, string> = { accept: "application/scim+json" };
          if (tokens[actor]) headers.authorization = `Bearer ${tokens[actor].write}`;
          const response = await fetch(`${server.base}/scim/v2/${resource}`, { headers });
          requests += 1;
          await response.body?.cancel();
          if (response.status !== 401) mismatches.push(`SCIM ${resource} as ${actor}'s API token: expected 401, got ${response.status}`);
        }
        const response = await fetch(`${server.base}/scim/v2/${resource}`, { headers: { authorization: `Bearer ${scim}`, accept: "application/scim+json" } });
        requests += 1;
        await response.body?.cancel();
        expect(response.status, `SCIM ${resource} with its own token`).toBe(200);
      }

      console.log(
        `authz matrix through the API, MCP and SCIM: ${apiEndpoints.length} operations, ${tools.length} tools, 2 SCIM resources × ${ACTORS.length} actors × item variants = ${requests} requests`,
      );
      expect(leaks.length, `a hidden item answers like a missing one:\n${leaks.join("\n")}`).toBe(0);
      expect(mismatches.length, `the API, MCP or SCIM disagrees with tests/authz/matrix.ts:\n${mismatches.join("\n")}`).toBe(0);
    }, 300_000);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { createApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { createScimToken } from "#app/features/scim/tokens.server.ts";
import routes from "../../app/routes.ts";
import { setupTestDb } from "../db.ts";
import { useProductionServer } from "../production-server.ts";
import { badAnswer } from "../fuzz/answers.ts";
import { BAD_IDS, EDGE_STRINGS, FUZZ_SEED, jsonValue } from "../fuzz/inputs.ts";
import { settledMark, watchWrites, writeMark, writesSince } from "../fuzz/rows.ts";
import { send } from "../fuzz/send.ts";
import { type FuzzWorld, cookieOf, fuzzWorld } from "../fuzz/world.ts";

/**
 * Issue 23, "Bad input everywhere", for what answers JSON: the REST API (/api/v1, every operation
 * of its OpenAPI document), MCP (/mcp: malformed JSON-RPC envelopes and every tool's arguments),
 * SCIM (/scim/v2, with its token) and the app's own JSON routes (app/routes/api/*). Through the
 * real server, as an admin and a member. No answer is a 500 or shows a stack trace, and a refused
 * request (4xx) writes no row. The seed is fixed and printed (FUZZ_SEED reproduces a run);
 * FUZZ_RUNS sets the inputs per operation (default 5).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
// Every token here sends far more than the default 600 a minute; a 429 would fuzz nothing.
process.env.API_REQUESTS_PER_MINUTE = "1000000";
const t = setupTestDb();
const server = useProductionServer(t, "fuzz-json");
let world: FuzzWorld;
let tokens: { admin: string; member: string; scim: string };
let cookies: { admin: string; member: string };
const tried: Record<string, number> = {};
let mark = 0;

beforeAll(async () => {
  world = await fuzzWorld(t.db);
  const api = (user: { id: number }) => createApiToken(t.db, user.id, { name: "fuzz", scope: "write", expiresInDays: null }).then((c) => c.token);
  tokens = { admin: await api(world.admin), member: await api(world.member), scim: (await createScimToken(t.db, world.admin, "fuzz")).token };
  cookies = { admin: await cookieOf(t.db, world.admin), member: await cookieOf(t.db, world.member) };
  await watchWrites(t.db);
  mark = await settledMark(t.db);
  console.info(`fuzz-json: seed ${FUZZ_SEED}, ${RUNS} inputs per operation`);
});

/** Sends one request and checks the answer: never a 500 or a stack trace; a 4xx wrote nothing. */
async function check(area: string, method: string, pathname: string, headers: Record<string, string>, body?: string) {
  tried[area] = (tried[area] ?? 0) + 1;
  const response = await send(server.base + pathname, { method, headers, ...(body === undefined ? {} : { body }) });
  const what = `${method} ${pathname.slice(0, 200)} ${(body ?? "").slice(0, 300)}`;
  const problem = badAnswer(response.status, response.body, `${pathname} ${body ?? ""}`);
  expect(problem, `${what}: ${problem}`).toBeNull();
  if (response.status >= 400 && response.status < 500) {
    expect(await writesSince(t.db, mark), `${what} answered ${response.status} but wrote rows`).toEqual([]);
    mark = await writeMark(t.db);
  } else mark = await settledMark(t.db);
  return response;
}

/** A JSON body: usually an object of `names` (a random subset) with values of any type, sometimes not an object or not JSON at all. */
function jsonBody(names: readonly string[]): fc.Arbitrary<string> {
  const object = (names.length > 0 ? fc.subarray([...names]) : fc.constant<string[]>([])).chain((picked) =>
    fc.tuple(...picked.map(() => jsonValue)).map((values) => Object.fromEntries(picked.map((n, i) => [n, values[i]]))),
  );
  return fc.oneof(
    { weight: 8, arbitrary: object.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', "{'single': 1}", "[", "\uFEFF{}", '{"__proto__": {"admin": true}}', "", "\0", `{"x":"${"y".repeat(1024 * 1024)}"}`) },
  );
}

/** A value for a path segment: a real id of the world or a bad one. */
const segment = (real: readonly string[]) => fc.oneof(fc.constantFrom(...real), fc.constantFrom(...BAD_IDS));
const query = (names: readonly string[]) =>
  fc
    .array(fc.tuple(fc.constantFrom(...(names.length > 0 ? names : ["q"])), fc.constantFrom(...EDGE_STRINGS.filter((s) => s.length < 500))), { maxLength: 4 })
    .map((pairs) => (pairs.length > 0 ? "?" + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))}`).join("&") : ""));

type Operation = { method: string; path: string; params: string[]; query: string[]; body: string[] };

describe("the JSON endpoints refuse bad input cleanly", () => {
  test("the REST API: every operation of its OpenAPI document", async () => {
    const doc = JSON.parse((await send(`${server.base}/api/v1/openapi.json`, { method: "GET", headers: {} })).body) as {
      paths: Record<
        string,
        Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>
      >;
    };
    const operations: Operation[] = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: p,
        params: (op.parameters ?? []).filter((x) => x.in === "path").map((x) => x.name),
        query: (op.parameters ?? []).filter((x) => x.in === "query").map((x) => x.name),
        body: Object.keys(op.requestBody?.content["application/json"]?.schema.properties ?? {}),
      })),
    );
    expect(operations.length).toBeGreaterThan(10);
    const ids = [...new Set(Object.values(world.real).flat())];
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("admin" as const, "member" as const), segment(ids), query(op.query), jsonBody(op.body), async (actor, id, q, body) => {
          const pathname = "/api/v1" + op.path.replace(/\{\w+\}/g, id) + q;
          const withBody = op.method !== "GET" && op.method !== "DELETE";
          await check("api", op.method, pathname, { authorization: `Bearer ${tokens[actor]}`, "content-type": "application/json", accept: "application/json" }, withBody ? body : undefined);
        }),
        { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
  });

  test("MCP: malformed JSON-RPC envelopes and every tool's arguments", async () => {
    const headers = (actor: "admin" | "member") => ({ authorization: `Bearer ${tokens[actor]}`, "content-type": "application/json", accept: "application/json, text/event-stream" });
    const listed = await send(`${server.base}/mcp`, { method: "POST", headers: headers("admin"), body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    const tools = (JSON.parse(listed.body) as { result: { tools: Array<{ name: string; inputSchema: { properties?: Record<string, unknown> } }> } }).result.tools;
    expect(tools.length).toBeGreaterThanOrEqual(5);

    const envelope = fc.oneof(
      jsonBody(["jsonrpc", "id", "method", "params"]),
      fc
        .record({
          jsonrpc: fc.constantFrom("2.0", "1.0", 2),
          id: jsonValue,
          method: fc.constantFrom("tools/list", "tools/call", "initialize", "resources/list", "nope", ""),
          params: jsonValue,
        })
        .map((e) => JSON.stringify(e)),
      fc.array(fc.constant({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { maxLength: 3 }).map((b) => JSON.stringify(b)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("admin" as const, "member" as const), envelope, fc.constantFrom("POST", "POST", "POST", "GET", "DELETE"), async (actor, body, method) => {
        await check("mcp", method, "/mcp", headers(actor), method === "POST" ? body : undefined);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS * 3, endOnFailure: true },
    );
    for (const tool of tools) {
      const names = Object.keys(tool.inputSchema.properties ?? {});
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("admin" as const, "member" as const), jsonBody(names), async (actor, args) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(args);
          } catch {
            parsed = args;
          }
          const body = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: tool.name, arguments: parsed } });
          await check("mcp", "POST", "/mcp", headers(actor), body);
        }),
        { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
  });

  test("SCIM: users and groups, filters and patches, with the identity provider's token", async () => {
    const headers = { authorization: `Bearer ${tokens.scim}`, "content-type": "application/scim+json", accept: "application/scim+json" };
    const userFields = ["schemas", "userName", "name", "displayName", "emails", "active", "externalId", "title", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "Operations"];
    const groupFields = ["schemas", "displayName", "members", "externalId", "Operations"];
    const filters = fc.constantFrom(
      'userName eq "a"',
      'userName eq "\\u0000"',
      "userName eq",
      "(((",
      'displayName co "x" or active pr',
      'emails[type eq "work"].value sw "a"',
      "x".repeat(5000),
      'externalId eq ""',
      "active eq true and",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("Users", "Groups"),
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
        fc.option(segment(["1", String(world.colleague.id)]), { freq: 2 }),
        fc.option(filters, { freq: 2 }),
        jsonBody([...new Set([...userFields, ...groupFields])]),
        async (kind, method, id, filter, body) => {
          const pathname = `/scim/v2/${kind}${id === null ? "" : `/${id}`}${filter === null ? "" : `?filter=${encodeURIComponent(filter)}&startIndex=-1&count=99999999999`}`;
          await check("scim", method, pathname, headers, method === "GET" || method === "DELETE" ? undefined : body);
        },
      ),
      { seed: FUZZ_SEED, numRuns: RUNS * 6, endOnFailure: true },
    );
  });

  test("the app's JSON routes (app/routes/api/*)", async () => {
    type Config = { path?: string; file: string; children?: Config[] };
    const flat = (c: Config[]): Config[] => c.flatMap((r) => [r, ...flat(r.children ?? [])]);
    const apiRoutes = flat(routes as unknown as Config[]).filter((r) => r.file.startsWith("routes/api/"));
    expect(apiRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of apiRoutes) {
      const source = readFileSync(path.join("app", route.file), "utf8");
      const names = [...new Set([...source.matchAll(/\.get\(\s*"([\w-]+)"\s*\)/g)].map((m) => m[1]!))];
      const hasAction = /export\s+(?:async\s+)?function\s+action\b/.test(source);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("admin" as const, "member" as const), query(names), jsonBody(names), fc.boolean(), async (actor, q, body, post) => {
          const method = post && hasAction ? "POST" : "GET";
          await check(
            "app-json",
            method,
            `/${route.path}${q}`,
            { cookie: cookies[actor], origin: server.base, "content-type": "application/json", accept: "application/json" },
            method === "POST" ? body : undefined,
          );
        }),
        { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
  });

  test("inputs tried", () => {
    console.info(`fuzz-json: inputs tried per area ${JSON.stringify(tried)} (seed ${FUZZ_SEED})`);
    expect(Object.keys(tried).sort()).toEqual(["api", "app-json", "mcp", "scim"]);
  });
});

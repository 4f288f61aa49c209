import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, test } from "vitest";
import { kudosAllowanceRules } from "#db/schema/index.ts";
import { apiEndpoints } from "#app/features/api/endpoints.server.ts";
import { buildOpenApiDocument, type OpenApiDocument } from "#app/features/api/openapi.server.ts";
import { giveKudos } from "#app/features/recognition/kudos.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createAnswer, createArticle, createComment, createQuestion, createSpace, createTags, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { type ApiAnswer, type ApiServer, callApi, startApi, tokenFor } from "./api-server.ts";

/**
 * The contract test: the API's router on a real port over a seeded database and search indexes,
 * every GET endpoint of the list called (and every write one, with a write token), each live answer
 * validated with ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) against the response schema the
 * document promises for its status. It iterates over the endpoint list, so an endpoint added to any
 * resource is held to its document from the day it lands. Search's visibility is here too, since
 * it needs the indexes.
 */
const t = setupTestDb();
const indexes = setupSearchIndexes("api");

type Person = Awaited<ReturnType<typeof createUser>>;
type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  "x-scope"?: string;
};

let api: ApiServer;
let doc: OpenApiDocument;
let ajv: Ajv2020;
let member: Person;
let outsider: Person;
let sponsor: Person;
let open: Awaited<ReturnType<typeof createSpace>>;
let openQuestion: number;
let secretQuestion: number;
let campaign: number;
let idea: number;
let wikiPage: number;
let valueId: number;
let readToken: string;
let writeToken: string;
let outsiderToken: string;

beforeAll(async () => {
  member = await createUser(t.db, { name: "Maja Member", title: "Platform engineer" });
  outsider = await createUser(t.db, { name: "Otis Outsider" });
  sponsor = await createUser(t.db, { name: "Sofia Sponsor" }, "moderator");
  open = await createSpace(t.db, { moderators: [sponsor] });
  const secret = await createSpace(t.db, { members: [member] }, "restricted");
  openQuestion = await createQuestion(t.db, { author: member, space: open, title: "How do we restore a postgres backup quickly?", tags: ["postgres"] });
  const answer = await createAnswer(t.db, { author: sponsor, questionId: openQuestion });
  await createComment(t.db, { author: outsider, postId: openQuestion });
  await createComment(t.db, { author: member, postId: answer });
  await createQuestion(t.db, { author: sponsor, space: open, title: "Which postgres extensions do we allow in production?", tags: ["postgres"] });
  secretQuestion = await createQuestion(t.db, { author: member, space: secret, title: "Postgres licence costs in the confidential merger plan", tags: ["postgres", "merger"] });
  campaign = await createCampaign(t.db, { sponsor, space: open, title: "Ideas for faster postgres restores" });
  idea = await createIdea(t.db, { author: sponsor, campaignId: campaign, title: "Keep a warm standby of the postgres cluster" });
  wikiPage = await createWikiPage(t.db, { author: member, space: open, title: "Postgres runbook", body: "How we restore postgres backups, step by step." });
  await createArticle(t.db, { author: member, space: open, title: "What we learned restoring postgres", tags: ["postgres"] });
  await t.db.update(kudosAllowanceRules).set({ points: 1000 });
  valueId = (await createValue(t.db, { name: "Ownership" })).id;
  await giveKudos(t.db, sponsor, { receiverIds: [member.id], valueId, pointsEach: 1, message: "Thanks for the postgres restore drill." });
  readToken = await tokenFor(t.db, member, "read");
  writeToken = await tokenFor(t.db, member, "write");
  outsiderToken = await tokenFor(t.db, outsider, "read");

  const relay = await runRelayUntilIdle(t.db, indexes.client, { prefix: indexes.prefix });
  expect(relay.failed + relay.dead).toBe(0);
  api = await startApi(t.db, { search: indexes.client, searchPrefix: indexes.prefix });
  doc = buildOpenApiDocument(apiEndpoints, "/api/v1");
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // OpenAPI's component references, as a JSON Schema's own definitions.
  ajv.addSchema({ $id: "commons-api", $defs: JSON.parse(JSON.stringify(doc.components?.schemas ?? {}).replaceAll("#/components/schemas/", "commons-api#/$defs/")) as object });
}, 240_000);

const paths = () => doc.paths ?? {};
const operation = (path: string, method: string) => (paths()[path] as Record<string, Operation>)[method]!;

/** The live answer against the schema its status has in the document. */
function expectConforms(path: string, method: string, answer: ApiAnswer) {
  const responses = operation(path, method).responses;
  const documented = responses[String(answer.status)];
  expect(documented, `${method.toUpperCase()} ${path} answered ${answer.status}, which the document does not list: ${JSON.stringify(answer.body).slice(0, 300)}`).toBeDefined();
  const schema = documented!.content?.["application/json"]?.schema;
  expect(schema, `${method.toUpperCase()} ${path} ${answer.status} has no JSON schema`).toBeDefined();
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll("#/components/schemas/", "commons-api#/$defs/")) as object);
  expect(validate(answer.body), `${method.toUpperCase()} ${path} ${answer.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 500)}`).toBe(true);
}

/** Values for required query parameters, by name. */
const QUERY_VALUES: Record<string, string> = { q: "postgres", topic: "postgres" };

/**
 * A path with its parameters filled: from the list one segment up (`/campaigns` gives
 * `/campaigns/{id}` its id, `/tags` gives `/tags/{name}` its name), or from these where no list exists.
 */
function fixedParams(): Record<string, Record<string, string>> {
  return {
    "/spaces/{slug}/pages": { slug: open.slug },
    "/people/{id}": { id: String(member.id) },
    "/ideas/{id}": { id: String(idea) },
    "/pages/{id}": { id: String(wikiPage) },
  };
}

async function fillPath(path: string): Promise<string> {
  const fixed = fixedParams()[path] ?? {};
  let filled = path;
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    let value = fixed[name!];
    if (value === undefined) {
      const listPath = path.slice(0, path.indexOf(`/{${name}}`));
      const list = await callApi(api, "GET", await fillPath(listPath), { token: readToken });
      const first = (list.body.data as Array<Record<string, unknown>> | undefined)?.[0];
      expect(first, `no value for {${name}} of ${path}: GET ${listPath} lists nothing (add one to fixedParams)`).toBeDefined();
      value = String(first![name === "name" || name === "slug" ? name : "id"]);
    }
    filled = filled.replace(`{${name}}`, encodeURIComponent(value));
  }
  return filled;
}

function requiredQuery(path: string, method: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(extra);
  for (const p of operation(path, method).parameters ?? []) {
    if (p.in !== "query" || !p.required) continue;
    expect(QUERY_VALUES[p.name], `no value for the required query parameter ${p.name} of ${path}`).toBeDefined();
    query.set(p.name, QUERY_VALUES[p.name]!);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

const takesQuery = (path: string, method: string, name: string) => (operation(path, method).parameters ?? []).some((p) => p.in === "query" && p.name === name);

/** The write endpoints' calls: their path's ids and a body. An endpoint without one fails the test until it gets one. */
function writeCalls(): Record<string, { path: Record<string, string>; body?: unknown }> {
  return {
    askQuestion: {
      path: {},
      body: { space: open.slug, title: "How long do we keep postgres WAL archives?", body: "Asking for the retention policy of the WAL archive bucket.", tags: ["postgres"] },
    },
    postAnswer: { path: { id: String(openQuestion) }, body: { body: "We restore from the nightly base backup plus WAL." } },
    addComment: { path: { id: String(openQuestion) }, body: { body: "Same question from the data team." } },
    submitIdea: {
      path: { id: String(campaign) },
      body: { title: "Restore drills every quarter for each team", body: "A scheduled drill keeps the runbook honest and people practised.", tags: ["postgres"] },
    },
    voteForIdea: { path: { id: String(idea) } },
    retractIdeaVote: { path: { id: String(idea) } },
    giveKudos: { path: {}, body: { receiverIds: [outsider.id], valueId, pointsEach: 1, message: "Thanks for the review of the restore runbook." } },
  };
}

describe("the document", () => {
  test("lists every endpoint of the list, with its scope, parameters and answers", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(["bearerAuth"]);
    for (const endpoint of apiEndpoints) {
      const op = (paths()[endpoint.path] as Record<string, Operation> | undefined)?.[endpoint.method];
      expect(op, `${endpoint.method} ${endpoint.path}`).toBeDefined();
      expect(op!.operationId).toBe(endpoint.operationId);
      expect(op!["x-scope"]).toBe(endpoint.scope);
      for (const [, name] of endpoint.path.matchAll(/\{(\w+)\}/g))
        expect(
          op!.parameters?.some((p) => p.in === "path" && p.name === name && p.required),
          `${endpoint.path} {${name}}`,
        ).toBe(true);
      for (const status of [String(endpoint.status ?? 200), "400", "401", "403", "404", "429", "500"]) expect(op!.responses[status], `${endpoint.operationId} ${status}`).toBeDefined();
    }
    expect(new Set(apiEndpoints.map((e) => e.operationId)).size).toBe(apiEndpoints.length);
  });

  test("is what /api/v1/openapi.json serves, without a token", async () => {
    const served = await callApi(api, "GET", "/openapi.json");
    expect(served.status).toBe(200);
    expect(Object.keys(served.body.paths as object).sort()).toEqual(Object.keys(paths()).sort());
    expectConforms("/", "get", await callApi(api, "GET", "/"));
  });
});

describe("live answers match the document", () => {
  test("every GET endpoint, its next page where it has one, and its 404", { timeout: 120_000 }, async () => {
    for (const endpoint of apiEndpoints.filter((e) => e.method === "get")) {
      const path = await fillPath(endpoint.path);
      const limit: Record<string, string> = takesQuery(endpoint.path, "get", "limit") ? { limit: "1" } : {};
      const first = await callApi(api, "GET", path + requiredQuery(endpoint.path, "get", limit), { token: readToken });
      expect(first.status, `GET ${path}: ${JSON.stringify(first.body).slice(0, 300)}`).toBe(200);
      expectConforms(endpoint.path, "get", first);
      if (typeof first.body.nextCursor === "string") {
        const next = await callApi(api, "GET", path + requiredQuery(endpoint.path, "get", { ...limit, cursor: first.body.nextCursor }), { token: readToken });
        expect(next.status, `GET ${path} next page`).toBe(200);
        expectConforms(endpoint.path, "get", next);
      }
      if (endpoint.path.includes("{")) {
        const missingPath = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "id" ? "2000000000" : "no-such-thing-zz"));
        const missing = await callApi(api, "GET", missingPath + requiredQuery(endpoint.path, "get"), { token: readToken });
        expect(missing.status, `GET ${missingPath}`).toBe(404);
        expectConforms(endpoint.path, "get", missing);
      }
    }
  });

  test("every write endpoint, with a write token; and its 401 and 403", { timeout: 120_000 }, async () => {
    const calls = writeCalls();
    const writes = apiEndpoints.filter((e) => e.method !== "get");
    expect(
      writes.filter((e) => !calls[e.operationId]).map((e) => e.operationId),
      "write endpoints without a call in writeCalls()",
    ).toEqual([]);
    for (const endpoint of writes) {
      const call = calls[endpoint.operationId]!;
      const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => call.path[name]!);
      const done = await callApi(api, endpoint.method.toUpperCase(), path, { token: writeToken, body: call.body });
      expect(done.status, `${endpoint.method} ${path}: ${JSON.stringify(done.body).slice(0, 300)}`).toBe(endpoint.status ?? 200);
      expectConforms(endpoint.path, endpoint.method, done);
      const unauthenticated = await callApi(api, endpoint.method.toUpperCase(), path, { body: call.body });
      expect(unauthenticated.status).toBe(401);
      expectConforms(endpoint.path, endpoint.method, unauthenticated);
      const readOnly = await callApi(api, endpoint.method.toUpperCase(), path, { token: readToken, body: call.body });
      expect(readOnly.status).toBe(403);
      expectConforms(endpoint.path, endpoint.method, readOnly);
    }
  });

  test("bad input answers as documented", async () => {
    // The check itself bites: a body off the document fails it.
    expect(() => expectConforms("/questions", "get", { status: 200, headers: new Headers(), body: { data: [{ id: "one" }], nextCursor: 3 } })).toThrow();
    expectConforms("/questions", "get", await callApi(api, "GET", "/questions?limit=nope", { token: readToken }));
    expectConforms("/questions", "post", await callApi(api, "POST", "/questions", { token: writeToken, body: { title: 3 } }));
    expectConforms("/tags", "get", await callApi(api, "GET", "/tags?cursor=garbage", { token: readToken }));
  });
});

describe("search sees what its owner sees", () => {
  test("a non-member's token finds nothing from a restricted space; a member's finds it", async () => {
    await createTags(t.db, ["merger"]);
    const ids = async (token: string, query: string) => {
      const r = await callApi(api, "GET", `/search?${query}`, { token });
      expect(r.status).toBe(200);
      expectConforms("/search", "get", r);
      return (r.body.data as Array<{ type: string; id: number; title: string; excerpt: string; url: string }>).map((hit) => `${hit.type}:${hit.id}`);
    };
    expect(await ids(readToken, "q=merger")).toContain(`question:${secretQuestion}`);
    for (const query of ["q=merger", "q=confidential%20merger%20plan", "q=postgres&type=question&limit=50", "q=licence&tag=merger"]) {
      expect(await ids(outsiderToken, query), query).not.toContain(`question:${secretQuestion}`);
    }
    expect(await ids(outsiderToken, "q=postgres&type=question&limit=50")).toContain(`question:${openQuestion}`);
  });

  test("results are plain text with absolute links, and pages follow the cursor", async () => {
    const first = await callApi(api, "GET", "/search?q=postgres&limit=1", { token: readToken });
    const hit = (first.body.data as Array<{ title: string; url: string }>)[0]!;
    expect(hit.url).toMatch(/^https?:\/\//);
    expect(hit.title).not.toMatch(/[\uE000\uE001]/);
    expect(typeof first.body.nextCursor).toBe("string");
    const second = await callApi(api, "GET", `/search?q=postgres&cursor=${first.body.nextCursor as string}`, { token: readToken });
    expect((second.body.data as unknown[]).length).toBe(1);
    expect(second.body.data).not.toEqual(first.body.data);
  });
});

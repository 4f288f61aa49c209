import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { apiTokens, posts, tags } from "#db/schema/index.ts";
import { closeQuestion } from "#app/features/qa/close.server.ts";
import { endpoint } from "#app/features/api/endpoint.server.ts";
import { createApiToken, hashApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createComment, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { type ApiServer, callApi, startApi, tokenFor } from "./api-server.ts";

/**
 * The REST API's router over real HTTP: who a token lets in (and the headers that say why not),
 * scopes, the rate limit shared through PostgreSQL, one error shape for every bad input, and the
 * app's visibility for questions, answers, comments and tags. Search is in api-contract.test.ts.
 */
const t = setupTestDb();

type Person = Awaited<ReturnType<typeof createUser>>;
let api: ApiServer;
let member: Person;
let outsider: Person;
let open: Awaited<ReturnType<typeof createSpace>>;
let secret: Awaited<ReturnType<typeof createSpace>>;
let openQuestion: number;
let secretQuestion: number;
let secretAnswer: number;
let readToken: string;
let writeToken: string;
let outsiderRead: string;
let outsiderWrite: string;

beforeAll(async () => {
  api = await startApi(t.db);
  member = await createUser(t.db, { name: "Mira Member" });
  outsider = await createUser(t.db, { name: "Olaf Outsider" });
  open = await createSpace(t.db);
  secret = await createSpace(t.db, { members: [member] }, "restricted");
  openQuestion = await createQuestion(t.db, { author: member, space: open, title: "How do we rotate the staging database password?", tags: ["postgres", "security"] });
  secretQuestion = await createQuestion(t.db, { author: member, space: secret, title: "Which vendor wins the confidential payroll tender?", tags: ["payroll-tender"] });
  secretAnswer = await createAnswer(t.db, { author: member, questionId: secretQuestion });
  await createComment(t.db, { author: member, postId: secretQuestion, body: "Only the board knows so far." });
  readToken = await tokenFor(t.db, member, "read");
  writeToken = await tokenFor(t.db, member, "write");
  outsiderRead = await tokenFor(t.db, outsider, "read");
  outsiderWrite = await tokenFor(t.db, outsider, "write");
});

const ask = (overrides: Record<string, unknown> = {}) => ({
  space: open.slug,
  title: "What is our policy on weekend deployments?",
  body: "We are planning a release for Saturday and want to know the rules first.",
  tags: ["postgres"],
  ...overrides,
});

describe("tokens", () => {
  test("no token, a malformed header or an unknown token: 401 with WWW-Authenticate and one JSON error", async () => {
    for (const authorization of [undefined, "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-commons-token", `Bearer cmn_${"x".repeat(43)}`]) {
      const r = await callApi(api, "GET", "/questions", { authorization });
      expect(r.status, String(authorization)).toBe(401);
      expect(r.headers.get("www-authenticate"), String(authorization)).toMatch(/^Bearer realm="commons", error="invalid_(request|token)"/);
      expect(r.body.error?.code).toBe("unauthorized");
      expect(r.body.error?.message).toBeTruthy();
    }
  });

  test("the token is stored hashed: the table holds its SHA-256 and a short prefix, never the token", async () => {
    const { token, row } = await createApiToken(t.db, member.id, { name: "Hashed", scope: "read", expiresInDays: 30 });
    expect(token).toMatch(/^cmn_[A-Za-z0-9_-]{43}$/);
    const [stored] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, row.id));
    expect(stored!.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored!.prefix).toBe(token.slice(0, 8));
    expect(stored!.expiresAt!.getTime() - stored!.createdAt.getTime()).toBe(30 * 86_400_000);
  });

  test("expired and revoked tokens are refused", async () => {
    const expired = await createApiToken(t.db, member.id, { name: "Old", scope: "read", expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    const expiredAnswer = await callApi(api, "GET", "/questions", { token: expired.token });
    expect(expiredAnswer.status).toBe(401);
    expect(expiredAnswer.body.error?.message).toMatch(/expired/);

    const revoked = await createApiToken(t.db, member.id, { name: "Gone", scope: "read", expiresInDays: null });
    expect((await callApi(api, "GET", "/questions", { token: revoked.token })).status).toBe(200);
    await t.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, revoked.row.id));
    const revokedAnswer = await callApi(api, "GET", "/questions", { token: revoked.token });
    expect(revokedAnswer.status).toBe(401);
    expect(revokedAnswer.body.error?.message).toMatch(/revoked/);
  });

  test("a deactivated owner's and a customer's tokens open nothing", async () => {
    const leaving = await createUser(t.db);
    const token = await tokenFor(t.db, leaving, "write");
    expect((await callApi(api, "GET", "/questions", { token })).status).toBe(200);
    const { deactivateUser } = await import("#app/features/users/admin-users.server.ts");
    const admin = await createUser(t.db, {}, "admin");
    await deactivateUser(t.db, admin, leaving.id);
    const refused = await callApi(api, "GET", "/questions", { token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const customer = await createUser(t.db, {}, "customer");
    for (const path of ["/questions", `/questions/${openQuestion}`, "/tags"]) {
      expect((await callApi(api, "GET", path, { token: await tokenFor(t.db, customer, "write") })).status, path).toBe(401);
    }
  });

  test("a read token on a write endpoint: 403 with insufficient_scope, and nothing written", async () => {
    const before = await t.db.$count(posts);
    const r = await callApi(api, "POST", "/questions", { token: readToken, body: ask() });
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe("forbidden");
    expect(r.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(await t.db.$count(posts)).toBe(before);
  });

  test("a use writes the last-used time; answers are never cached and carry the rate headers", async () => {
    const { token, row } = await createApiToken(t.db, member.id, { name: "Fresh", scope: "read", expiresInDays: null });
    expect(row.lastUsedAt).toBeNull();
    const r = await callApi(api, "GET", "/questions", { token });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(Number(r.headers.get("ratelimit-limit"))).toBeGreaterThan(0);
    expect(Number(r.headers.get("ratelimit-remaining"))).toBe(Number(r.headers.get("ratelimit-limit")) - 1);
    expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    const [stored] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, row.id));
    expect(stored!.lastUsedAt).not.toBeNull();
  });
});

describe("rate limits", () => {
  test("two instances share one limit through PostgreSQL: the (limit+1)th request across both is a 429", async () => {
    const first = await startApi(t.db, { rateLimit: { points: 3, durationSeconds: 60 } });
    const second = await startApi(t.db, { rateLimit: { points: 3, durationSeconds: 60 } });
    const token = await tokenFor(t.db, member, "read");
    const statuses = [];
    for (const server of [first, second, first]) statuses.push((await callApi(server, "GET", "/tags", { token })).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await callApi(second, "GET", "/tags", { token });
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    // Another token has its own budget.
    expect((await callApi(first, "GET", "/tags", { token: await tokenFor(t.db, member, "read") })).status).toBe(200);
  });
});

describe("one answer for bad input: 400 JSON with a message per field, never a 500", () => {
  test("query and path parameters of the wrong type or size", async () => {
    const cases: Array<[string, string]> = [
      ["/questions?limit=abc", "limit"],
      ["/questions?limit=0", "limit"],
      ["/questions?limit=1000", "limit"],
      ["/questions?tag=Not%20a%20tag!", "tag"],
      [`/questions?cursor=${"x".repeat(400)}`, "cursor"],
      ["/questions/abc", "id"],
      ["/questions/-3", "id"],
      ["/questions/99999999999", "id"],
      ["/questions/1.5/answers", "id"],
      ["/search?q=", "q"],
      [`/search?q=${"word ".repeat(60)}`, "q"],
      ["/tags?sort=random", "sort"],
      [`/tags/${"a".repeat(60)}`, "name"],
    ];
    for (const [path, field] of cases) {
      const r = await callApi(api, "GET", path, { token: readToken });
      expect(r.status, path).toBe(400);
      expect(r.body.error?.code, path).toBe("invalid_request");
      expect(r.body.error?.fields?.[field], path).toBeTruthy();
    }
  });

  test("cursors Commons did not give out", async () => {
    const forged = Buffer.from(JSON.stringify({ o: -5 })).toString("base64url");
    for (const path of ["/questions?cursor=bm90LWpzb24", `/questions/${openQuestion}/answers?cursor=${forged}`, "/tags?cursor=e30", `/search?q=x&cursor=${forged}`]) {
      const r = await callApi(api, "GET", path, { token: readToken });
      expect(r.status, path).toBe(400);
      expect(r.body.error?.code, path).toBe("invalid_cursor");
    }
  });

  test("bodies: not JSON, not an object, wrong types, oversized fields; nothing is written", async () => {
    const before = await t.db.$count(posts);
    const post = (body: unknown, contentType?: string) => callApi(api, "POST", "/questions", { token: writeToken, body, contentType });
    const notJson = await post("{ this is not json", "application/json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.code).toBe("invalid_json");
    expect((await post("title=Hello", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await post([ask()])).status).toBe(400);
    const wrongTypes = await post({ space: 42, title: ["x"], body: null, tags: 7 });
    expect(wrongTypes.status).toBe(400);
    expect(Object.keys(wrongTypes.body.error?.fields ?? {}).sort()).toEqual(["body", "space", "tags", "title"]);
    const oversized = await post(ask({ title: "T".repeat(151), body: "B".repeat(200_000), tags: ["a", "b", "c", "d", "e", "f"] }));
    expect(oversized.status).toBe(400);
    expect(oversized.body.error?.fields?.title).toMatch(/at most 150/);
    expect(oversized.body.error?.fields?.body).toMatch(/at most/);
    expect(oversized.body.error?.fields?.tags).toMatch(/at most 5/);
    const tooLarge = await post(ask({ body: "B".repeat(1_200_000) }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error?.code).toBe("too_large");
    expect(await t.db.$count(posts)).toBe(before);
  });

  test("a write the feature refuses leaves no rows: a new tag without the reputation for it", async () => {
    const newcomer = await createUser(t.db);
    const before = await t.db.$count(posts);
    const r = await callApi(api, "POST", "/questions", { token: await tokenFor(t.db, newcomer, "write"), body: ask({ tags: ["postgres", "brand-new-tag"] }) });
    expect(r.status).toBe(400);
    expect(r.body.error?.fields?.tags).toMatch(/new tag/);
    expect(await t.db.$count(posts)).toBe(before);
    expect(await t.db.$count(tags, eq(tags.name, "brand-new-tag"))).toBe(0);
  });

  test("an unknown or hidden space to ask in is a field error that tells the two apart for no one", async () => {
    for (const space of ["no-such-space", secret.slug]) {
      const r = await callApi(api, "POST", "/questions", { token: outsiderWrite, body: ask({ space }) });
      expect(r.status).toBe(400);
      expect(r.body.error?.fields?.space).toBe("There is no space with this slug that you can ask in.");
    }
  });

  test("NUL characters are dropped, as the forms drop them, instead of failing the write", async () => {
    const r = await callApi(api, "POST", "/questions", {
      token: writeToken,
      body: ask({ title: "Where\u0000 do the nightly backups go?", body: "Looking for the\u0000 bucket name and its retention policy." }),
    });
    expect(r.status).toBe(201);
    expect(r.body.title).toBe("Where do the nightly backups go?");
  });

  test("a closed question takes no answer: 400 with the reason", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const closed = await createQuestion(t.db, { author: member, space: open });
    await closeQuestion(t.db, moderator, closed, { reason: "off_topic" });
    const r = await callApi(api, "POST", `/questions/${closed}/answers`, { token: writeToken, body: { body: "Here is an answer that is long enough to pass." } });
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toMatch(/closed/);
  });

  test("unknown paths are 404 JSON, known paths with another method 405 with Allow", async () => {
    const missing = await callApi(api, "GET", "/nothing-here", { token: readToken });
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe("not_found");
    const wrongMethod = await callApi(api, "DELETE", "/questions", { token: writeToken });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST, HEAD");
  });

  test("a handler that fails: 500 with a request id and no details", async () => {
    const failing = await startApi(t.db, {
      endpoints: [
        endpoint({
          method: "get",
          path: "/broken",
          operationId: "broken",
          summary: "Fails",
          tag: "Test",
          scope: "read",
          response: z.object({}),
          handler: () => Promise.reject(new Error("secret connection string postgres://user:pw@db")),
        }),
        endpoint({
          method: "get",
          path: "/off-contract",
          operationId: "offContract",
          summary: "Answers outside its schema",
          tag: "Test",
          scope: "read",
          response: z.object({ n: z.number() }),
          handler: () => Promise.resolve({ n: "not a number" } as never),
        }),
      ],
    });
    for (const path of ["/broken", "/off-contract"]) {
      const r = await callApi(failing, "GET", path, { token: readToken });
      expect(r.status).toBe(500);
      expect(r.body.error?.code).toBe("internal");
      expect(r.body.error?.requestId).toBeTruthy();
      expect(JSON.stringify(r.body)).not.toMatch(/postgres:|stack|at /);
    }
  });
});

describe("visibility: a token sees what its owner sees in the app", () => {
  test("a restricted question: 200 for a member, the 404 of a missing one for anyone else", async () => {
    const seen = await callApi(api, "GET", `/questions/${secretQuestion}`, { token: readToken });
    expect(seen.status).toBe(200);
    expect(seen.body.title).toBe("Which vendor wins the confidential payroll tender?");
    expect((seen.body.answers as unknown[]).length).toBe(1);
    expect((seen.body.comments as Array<{ body: string }>)[0]!.body).toBe("Only the board knows so far.");

    const hidden = await callApi(api, "GET", `/questions/${secretQuestion}`, { token: outsiderRead });
    const missing = await callApi(api, "GET", "/questions/2000000000", { token: outsiderRead });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    for (const path of [`/questions/${secretQuestion}/answers`, `/questions?space=${secret.slug}`, "/tags/payroll-tender"]) {
      expect((await callApi(api, "GET", path, { token: outsiderRead })).status, path).toBe(404);
      expect((await callApi(api, "GET", path, { token: readToken })).status, path).toBe(200);
    }
  });

  test("lists leave out what the owner may not see", async () => {
    const ids = async (token: string) => ((await callApi(api, "GET", "/questions?limit=50", { token })).body.data as Array<{ id: number }>).map((q) => q.id);
    expect(await ids(readToken)).toEqual(expect.arrayContaining([openQuestion, secretQuestion]));
    expect(await ids(outsiderRead)).toContain(openQuestion);
    expect(await ids(outsiderRead)).not.toContain(secretQuestion);
    const tagNames = async (token: string) => ((await callApi(api, "GET", "/tags", { token })).body.data as Array<{ name: string }>).map((tag) => tag.name);
    expect(await tagNames(readToken)).toContain("payroll-tender");
    expect(await tagNames(outsiderRead)).not.toContain("payroll-tender");
    expect(await tagNames(outsiderRead)).toContain("postgres");
    const byTag = await callApi(api, "GET", "/questions?tag=payroll-tender", { token: outsiderRead });
    expect(byTag.body.data).toEqual([]);
  });

  test("writing into a restricted question: 404 for a non-member, and nothing written", async () => {
    const before = await t.db.$count(posts);
    const answer = await callApi(api, "POST", `/questions/${secretQuestion}/answers`, { token: outsiderWrite, body: { body: "An answer from outside the space, long enough." } });
    expect(answer.status).toBe(404);
    for (const postId of [secretQuestion, secretAnswer]) {
      const comment = await callApi(api, "POST", `/posts/${postId}/comments`, { token: outsiderWrite, body: { body: "Peeking in." } });
      expect(comment.status).toBe(404);
    }
    expect(await t.db.$count(posts)).toBe(before);
  });

  test("a member asks, answers and comments through the API, as themselves", async () => {
    await createTags(t.db, ["deployments"]);
    const asked = await callApi(api, "POST", "/questions", { token: writeToken, body: ask({ space: secret.slug, tags: "deployments, postgres", submissionKey: "api-test-key-1" }) });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ title: "What is our policy on weekend deployments?", tags: ["deployments", "postgres"], author: { id: member.id } });
    // The same submission key again finds the first question instead of asking twice.
    const again = await callApi(api, "POST", "/questions", { token: writeToken, body: ask({ space: secret.slug, tags: "deployments, postgres", submissionKey: "api-test-key-1" }) });
    expect(again.body.id).toBe(asked.body.id);

    const answered = await callApi(api, "POST", `/questions/${asked.body.id}/answers`, { token: writeToken, body: { body: "Weekend deployments need a second approver on call." } });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({ questionId: asked.body.id, author: { id: member.id }, accepted: false });
    const commented = await callApi(api, "POST", `/posts/${answered.body.id}/comments`, { token: writeToken, body: { body: "Thanks, that settles it." } });
    expect(commented.status).toBe(201);
    expect(commented.body).toMatchObject({ postId: answered.body.id, body: "Thanks, that settles it." });

    const listed = await callApi(api, "GET", `/questions/${asked.body.id}/answers?limit=1`, { token: readToken });
    expect((listed.body.data as Array<{ comments: Array<{ id: number }> }>)[0]!.comments.map((c) => c.id)).toEqual([commented.body.id]);
    expect(listed.body.nextCursor).toBeNull();
  });

  test("cursor pagination walks every visible question once", async () => {
    for (let i = 0; i < 5; i++) await createQuestion(t.db, { author: member, space: open, tags: ["paging"] });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r: Awaited<ReturnType<typeof callApi>> = await callApi(api, "GET", `/questions?tag=paging&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: readToken });
      expect(r.status).toBe(200);
      seen.push(...(r.body.data as Array<{ id: number }>).map((q) => q.id));
      cursor = r.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.length).toBe(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });
});

describe("what needs no token", () => {
  test("the index and the OpenAPI document", async () => {
    const index = await callApi(api, "GET", "/");
    expect(index.status).toBe(200);
    expect(index.body.openapi).toMatch(/\/api\/v1\/openapi\.json$/);
    const doc = await callApi(api, "GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
  });
});

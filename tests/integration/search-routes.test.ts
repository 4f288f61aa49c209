import { describe, expect, test } from "vitest";
import { loader as searchLoader } from "#app/routes/search.tsx";
import { loader as apiLoader } from "#app/routes/api/search.ts";
import { loader as similarIdeasLoader } from "#app/routes/api/similar-ideas.ts";
import { MAX_TAG_FILTERS, QUERY_MAX } from "#app/features/search/search-params.ts";
import { setupTestDb, useUnreachableMeili } from "#tests/db.ts";
import { requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign } from "#tests/factories/ideas.ts";

/**
 * The search page's, the header box's and similar ideas' loaders, called the way React Router calls them, with
 * Meilisearch unreachable (a client on a port nothing listens on): the guards, lenient
 * parameters that never cause a 500, and the "unavailable" answers, logged as warnings. What the
 * search itself finds is tested against the real Meilisearch in tests/integration/search.test.ts
 * and, through these routes, in tests/e2e/search.spec.ts.
 */
const t = setupTestDb();
const unreachable = useUnreachableMeili();

function harness() {
  const { context, warn } = routeContext(t.db, unreachable.client);
  const run = (loader: (args: never) => Promise<unknown>, request: Request) => loader({ request, context, params: {} } as never);
  return { warn, run };
}

type PageAnswer = { data: { params: Record<string, unknown>; outcome: { status: string } | null }; init: { status?: number } | null };

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

describe("the search page's loader", () => {
  test("signed-out visitors go to sign-in and come back; customers go home", async () => {
    // One harness per request: the session lookup is memoized per request context.
    expect(redirectTarget(await thrown(harness().run(searchLoader, await requestAs(t.db, null, "/search?q=backup"))))).toBe("/sign-in?redirectTo=%2Fsearch%3Fq%3Dbackup");
    const customer = await createUser(t.db, {}, "customer");
    expect(redirectTarget(await thrown(harness().run(searchLoader, await requestAs(t.db, customer, "/search?q=backup"))))).toBe("/");
  });

  test("without criteria nothing is searched: the prompt, with a 200", async () => {
    const { run, warn } = harness();
    const user = await createUser(t.db);
    const answer = (await run(searchLoader, await requestAs(t.db, user, "/search?sort=newest&page=3"))) as PageAnswer;
    expect(answer.data.outcome).toBeNull();
    expect(answer.init?.status ?? 200).toBe(200);
    expect(warn).not.toHaveBeenCalled();
  });

  test("Meilisearch unreachable: the page renders its 'unavailable' state with a 503, and the error is logged as a warning", async () => {
    const { run, warn } = harness();
    const user = await createUser(t.db);
    await createSpace(t.db);
    const answer = (await run(searchLoader, await requestAs(t.db, user, "/search?q=backup&tag=postgres"))) as PageAnswer;
    expect(answer.init?.status).toBe(503);
    expect(answer.data.outcome).toMatchObject({ status: "unavailable" });
    expect(answer.data.params).toMatchObject({ q: "backup", tags: ["postgres"] });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toHaveProperty("err");
  });

  test("nonsense parameters are read leniently, never a 500", async () => {
    const { run } = harness();
    const user = await createUser(t.db);
    const tags = Array.from({ length: 9 }, (_, i) => `tag=t${i}`).join("&");
    const path = `/search?q=${"word ".repeat(300)}&page=-4&sort=sideways&status=maybe&ideaStatus=pondering&type=wiki&campaign=-3&category=${"c".repeat(500)}&created=decade&space=${"s".repeat(500)}&tag=%3Cscript%3E&${tags}&department=%00`;
    const answer = (await run(searchLoader, await requestAs(t.db, user, path))) as PageAnswer;
    expect(answer.init?.status).toBe(503);
    const params = answer.data.params as { q: string; page: number; sort: string; status?: string; type?: string; created?: string; space?: string; tags: string[] };
    expect(params.q.length).toBeLessThanOrEqual(QUERY_MAX);
    expect(params).toMatchObject({
      page: 1,
      sort: "relevance",
      status: undefined,
      ideaStatus: undefined,
      type: undefined,
      campaign: undefined,
      category: undefined,
      created: undefined,
      space: undefined,
    });
    expect(params.tags).toHaveLength(MAX_TAG_FILTERS);
    expect(params.tags).not.toContain("<script>");
  });
});

describe("GET /api/search (the header box)", () => {
  test("signed-out callers and customers get a 401 JSON body, not a redirect", async () => {
    const customer = await createUser(t.db, {}, "customer");
    for (const who of [null, customer]) {
      const response = (await harness().run(apiLoader, await requestAs(t.db, who, "/api/search?q=backup"))) as Response;
      expect(response.status).toBe(401);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(await response.json()).toHaveProperty("error");
    }
  });

  test("no words: an empty answer, without asking Meilisearch", async () => {
    const { run, warn } = harness();
    const user = await createUser(t.db);
    const response = (await run(apiLoader, await requestAs(t.db, user, "/api/search?q=%20%20"))) as Response;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", questions: [], ideas: [], pages: [], articles: [], people: [] });
    expect(warn).not.toHaveBeenCalled();
  });

  test("Meilisearch unreachable: 503 with { status: 'unavailable' }, never cached, logged as a warning", async () => {
    const { run, warn } = harness();
    const user = await createUser(t.db);
    const response = (await run(apiLoader, await requestAs(t.db, user, `/api/search?q=backup&page=nope&sort=${"x".repeat(300)}`))) as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ status: "unavailable" });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe("GET /api/similar-ideas (the idea form)", () => {
  const path = (campaign: number | string, q: string) => `/api/similar-ideas?${new URLSearchParams({ campaign: String(campaign), q })}`;

  test("signed-out callers and customers get a 401 JSON body, not a redirect", async () => {
    const customer = await createUser(t.db, {}, "customer");
    for (const who of [null, customer]) {
      const response = (await harness().run(similarIdeasLoader, await requestAs(t.db, who, path(1, "remote work")))) as Response;
      expect(response.status).toBe(401);
      expect(await response.json()).toHaveProperty("error");
    }
  });

  test("a campaign in a space the user may not see is a 404, the same as one that does not exist, and search is not asked", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, {}, "restricted");
    const hidden = await createCampaign(t.db, { sponsor: admin, space: secret, title: "The hidden campaign" });
    for (const campaign of [hidden, 2_000_000_000, "nope", ""]) {
      const { run, warn } = harness();
      const response = (await run(similarIdeasLoader, await requestAs(t.db, outsider, path(campaign, "remote work from abroad")))) as Response;
      expect(response.status, String(campaign)).toBe(404);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(await response.json()).toEqual({ error: "There is no such campaign." });
      // Meilisearch is unreachable here: a 404 rather than a 503 shows it was never asked.
      expect(warn).not.toHaveBeenCalled();
    }
  });

  test("Meilisearch unreachable: 503 with { status: 'unavailable' }, never cached, logged; a title too short asks nothing", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db);
    const campaign = await createCampaign(t.db, { sponsor: admin, space: await createSpace(t.db) });

    const down = harness();
    const response = (await down.run(similarIdeasLoader, await requestAs(t.db, member, path(campaign, "remote work from abroad")))) as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "unavailable" });
    expect(down.warn).toHaveBeenCalledOnce();

    const short = harness();
    const empty = (await short.run(similarIdeasLoader, await requestAs(t.db, member, path(campaign, "ab")))) as Response;
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ status: "ok", ideas: [] });
    expect(short.warn).not.toHaveBeenCalled();
  });
});

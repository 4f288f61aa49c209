import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { posts } from "#db/schema/index.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { closeQuestion } from "#app/features/qa/close.server.ts";
import { deletePost, editPost } from "#app/features/qa/edit.server.ts";
import { searchHref, searchParams, type SearchOutcome, type Snippet } from "#app/features/search/search-params.ts";
import { contentWords, filterValue, search, similarQuestions, toSnippet } from "#app/features/search/search.server.ts";
import { removeSpaceMember } from "#app/features/spaces/spaces.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { indexName } from "#search/indexes.ts";
import { reconcileIndexes } from "#search/reconcile.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * The search service against the real Meilisearch of the test run, with this file's own indexes.
 * Content is written through the feature functions (which queue it in the outbox) and indexed by
 * the relay, as in the app.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("s");
const { prefix } = indexes;
let client: Meilisearch;
beforeAll(() => {
  client = indexes.client;
});

async function indexAll() {
  const r = await runRelayUntilIdle(t.db, client, { prefix });
  expect(r.failed + r.dead).toBe(0);
}

const params = (query: string) => searchParams(new URLSearchParams(query));
const text = (s: Snippet) => s.map((r) => r.text).join("");
const matched = (s: Snippet) => s.filter((r) => r.match).map((r) => r.text.toLowerCase());

function ok(outcome: SearchOutcome) {
  if (outcome.status !== "ok") throw new Error("search was unavailable");
  return outcome;
}

const run = (actor: Parameters<typeof search>[2], query: string) => search(t.db, client, actor, params(query), { prefix }).then(ok);

describe("visibility", () => {
  test("words that appear only in a restricted space give an outsider zero hits and zero facet counts; a member finds them; removal takes effect on the next search", async () => {
    const insider = await createUser(t.db, { name: "Iris Insider" });
    const outsider = await createUser(t.db, { name: "Otto Outsider" });
    const admin = await createUser(t.db, {}, "admin");
    const secret = await createSpace(t.db, { name: "Acquisition Zeta", members: [insider] }, "restricted");
    const open = await createSpace(t.db, { name: "Open Commons" });
    const hidden = await createQuestion(t.db, {
      author: insider,
      space: secret,
      title: "Is the zorblatt acquisition closing in March?",
      body: "The zorblatt term sheet mentions a quintessa clause.",
      tags: ["zorblatt-deal"],
    });
    await createAnswer(t.db, { author: insider, questionId: hidden, body: "Quintessa confirmed, the zorblatt board signs next week." });
    const visible = await createQuestion(t.db, { author: outsider, space: open, title: "Where is the quintessa cafeteria menu?", tags: ["food"] });
    await indexAll();

    const theirs = await run(outsider, "q=zorblatt");
    expect(theirs.total).toBe(0);
    expect(theirs.hits).toEqual([]);
    expect(theirs.facets.space.map((f) => f.label)).not.toContain("Acquisition Zeta");
    expect(theirs.facets.tag.map((f) => f.value)).not.toContain("zorblatt-deal");
    expect(
      Object.values(theirs.facets)
        .flat()
        .every((f) => f.count === 0),
    ).toBe(true);

    // A word both spaces use: only the open space's question and only its facet counts.
    const shared = await run(outsider, "q=quintessa");
    expect(shared.hits.map((q) => q.id)).toEqual([visible]);
    expect(shared.facets.space).toEqual([{ value: open.slug, label: "Open Commons", count: 1, selected: false }]);
    expect(shared.facets.tag.map((f) => f.value)).toEqual(["food"]);

    // Naming the hidden space or its tag in the URL changes nothing.
    expect((await run(outsider, `q=zorblatt&space=${secret.slug}`)).total).toBe(0);
    expect((await run(outsider, "tag=zorblatt-deal")).total).toBe(0);

    const mine = await run(insider, "q=zorblatt");
    expect(mine.hits.map((q) => q.id)).toEqual([hidden]);
    expect(mine.facets.space).toEqual([{ value: secret.slug, label: "Acquisition Zeta", count: 1, selected: false }]);
    expect((await run(admin, "q=zorblatt")).total).toBe(1);

    await removeSpaceMember(t.db, admin, secret.id, insider.id);
    const after = await run(insider, "q=zorblatt");
    expect(after.total).toBe(0);
    expect(after.facets.space).toEqual([]);
  });

  test("customers and deactivated people get nothing, people included", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const author = await createUser(t.db, { name: "Wendel Visible" });
    await createQuestion(t.db, { author, space: await createSpace(t.db), title: "Wendel asks about the frobnicator" });
    await indexAll();
    for (const actor of [customer, gone]) {
      const r = await run(actor, "q=frobnicator");
      expect(r.total).toBe(0);
      expect(r.people).toEqual([]);
      expect((await run(actor, "q=wendel")).people).toEqual([]);
    }
  });

  test("a filter value cannot widen the filter", async () => {
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    await createQuestion(t.db, { author: insider, space: secret, title: "The glimmerquad budget for next year" });
    await indexAll();
    const injected = new URLSearchParams({ q: "glimmerquad", department: `x" OR spaceId = ${secret.id} OR authorDepartment = "y` });
    const r = ok(await search(t.db, client, outsider, searchParams(injected), { prefix }));
    expect(r.total).toBe(0);
    expect(filterValue('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
  });
});

describe("results", () => {
  test("highlights come back as text runs: markup in a post is text, and only the matched words are marked", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, {
      author,
      space,
      title: "Why does the snarfblat <b>widget</b> crash?",
      body: 'It shows <img src=x onerror="alert(1)"> and then the snarfblat dies <script>alert(2)</script>.',
    });
    await indexAll();
    const [hit] = (await run(author, "q=snarfblat")).hits;
    expect(hit?.id).toBe(id);
    expect(text(hit!.title)).toBe("Why does the snarfblat <b>widget</b> crash?");
    expect(matched(hit!.title)).toEqual(["snarfblat"]);
    expect(text(hit!.snippet)).toContain('<img src=x onerror="alert(1)">');
    expect(text(hit!.snippet)).toContain("<script>alert(2)</script>");
    expect(matched(hit!.snippet)).toEqual(["snarfblat"]);
    expect(text(hit!.snippet)).not.toMatch(/[\uE000\uE001]/);
    expect(hit).toMatchObject({ type: "question", snippetFrom: "question" });
  });

  test("words only in an answer find the question, and the snippet comes from that answer", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author, space, title: "How do we restore the staging database?" });
    await createAnswer(t.db, { author: await createUser(t.db), questionId: id, body: "Run the plimbertool restore from the nightly snapshot." });
    await indexAll();
    const [hit] = (await run(author, "q=plimbertool")).hits;
    expect(hit).toMatchObject({ id, snippetFrom: "answer", answerCount: 1, status: "open" });
    expect(matched(hit!.snippet)).toEqual(["plimbertool"]);
  });

  test("facets count the results; tag, status, space, department and time filters narrow them; sorts order them", async () => {
    const sales = await createUser(t.db, { department: "Sales" });
    const eng = await createUser(t.db, { department: "Engineering" });
    const a = await createSpace(t.db, { name: "Alpha space" });
    const b = await createSpace(t.db, { name: "Beta space" });
    const q1 = await createQuestion(t.db, { author: sales, space: a, title: "Quarkbeam pricing for the enterprise tier", tags: ["pricing", "quarkbeam"] });
    const q2 = await createQuestion(t.db, { author: eng, space: a, title: "Quarkbeam deploy keeps failing", tags: ["deploy", "quarkbeam"] });
    const q3 = await createQuestion(t.db, { author: eng, space: b, title: "Who owns the quarkbeam roadmap?", tags: ["quarkbeam"] });
    const answer = await createAnswer(t.db, { author: sales, questionId: q2 });
    await acceptAnswer(t.db, eng, answer);
    await closeQuestion(t.db, await createUser(t.db, {}, "moderator"), q3, { reason: "off_topic", note: "Not a question for here." });
    // q1 is the oldest by far.
    await t.db
      .update(posts)
      .set({ createdAt: new Date(Date.now() - 90 * 86_400_000) })
      .where(eq(posts.id, q1));
    await editPost(t.db, sales, q1, {
      title: "Quarkbeam pricing for the enterprise tier",
      body: "Now with more details about the quarkbeam discount.",
      tags: ["pricing", "quarkbeam"],
      comment: "details",
    });
    await indexAll();

    const all = await run(eng, "q=quarkbeam");
    expect(all.total).toBe(3);
    expect(all.facets.tag.find((f) => f.value === "quarkbeam")?.count).toBe(3);
    expect(all.facets.tag.find((f) => f.value === "pricing")?.count).toBe(1);
    expect(all.facets.status.map((f) => [f.value, f.count]).sort()).toEqual([
      ["answered", 1],
      ["closed", 1],
      ["open", 1],
    ]);
    expect(all.facets.space.map((f) => [f.label, f.count])).toEqual([
      ["Alpha space", 2],
      ["Beta space", 1],
    ]);
    expect(all.facets.department.map((f) => [f.value, f.count])).toEqual([
      ["Engineering", 2],
      ["Sales", 1],
    ]);
    expect(all.facets.type).toEqual([{ value: "question", label: "Questions", count: 3, selected: false }]);

    const ids = async (query: string) => (await run(eng, query)).hits.map((q) => q.id);
    expect(await ids("q=quarkbeam&tag=pricing")).toEqual([q1]);
    expect(await ids("q=quarkbeam&status=answered")).toEqual([q2]);
    expect(await ids("q=quarkbeam&status=closed")).toEqual([q3]);
    expect((await ids(`q=quarkbeam&space=${a.slug}`)).sort()).toEqual([q1, q2].sort());
    expect(await ids("q=quarkbeam&department=Sales")).toEqual([q1]);
    expect((await ids("q=quarkbeam&created=month")).sort()).toEqual([q2, q3].sort());
    expect(await ids("q=quarkbeam&sort=newest")).toEqual([q3, q2, q1]);

    const filtered = await run(eng, "q=quarkbeam&tag=pricing");
    expect(filtered.facets.tag.find((f) => f.value === "pricing")).toMatchObject({ selected: true, count: 1 });
    // A selected value with no results stays listed so it can be cleared.
    const none = await run(eng, "q=quarkbeam&tag=pricing&status=closed");
    expect(none.total).toBe(0);
    expect(none.facets.tag).toEqual([{ value: "pricing", label: "pricing", count: 0, selected: true }]);
  });

  test("pages of 20 with exact totals; an empty query with a filter browses", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    for (let i = 0; i < 23; i += 1) await createQuestion(t.db, { author, space, title: `Paginated wombatix question number ${i + 1}` });
    await indexAll();
    const first = await run(author, "q=wombatix&sort=newest");
    expect(first).toMatchObject({ total: 23, page: 1, totalPages: 2 });
    expect(first.hits).toHaveLength(20);
    const second = await run(author, "q=wombatix&sort=newest&page=2");
    expect(second.hits).toHaveLength(3);
    expect(new Set([...first.hits, ...second.hits].map((q) => q.id)).size).toBe(23);
    expect((await run(author, `space=${space.slug}`)).total).toBe(23);
  });

  test("people appear beside content on the first page of a worded search", async () => {
    const expert = await createUser(t.db, { name: "Gudrun Pemberton", title: "Staff engineer", department: "Platform" });
    await createQuestion(t.db, { author: expert, space: await createSpace(t.db), title: "Pemberton scaling notes", tags: ["scaling"] });
    await indexAll();
    const r = await run(expert, "q=pemberton");
    expect(r.people.map((p) => p.id)).toContain(expert.id);
    const person = r.people.find((p) => p.id === expert.id)!;
    expect(person).toMatchObject({ title: "Staff engineer", department: "Platform", topTags: ["scaling"] });
    expect(matched(person.name)).toEqual(["pemberton"]);
    expect((await run(expert, "q=pemberton&page=2")).people).toEqual([]);
  });

  test("a deleted question leaves search once the relay has run", async () => {
    const author = await createUser(t.db);
    const id = await createQuestion(t.db, { author, space: await createSpace(t.db), title: "The vanishing flumox question" });
    await indexAll();
    expect((await run(author, "q=flumox")).total).toBe(1);
    await deletePost(t.db, author, id);
    await indexAll();
    expect((await run(author, "q=flumox")).total).toBe(0);
  });
});

describe("when Meilisearch is unavailable", () => {
  let hanging: Server;
  let hangingUrl: string;
  beforeAll(async () => {
    // Accepts connections and never answers: the client's timeout has to end the wait.
    hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  test("a server that never answers and a closed port both come back as unavailable, with the error reported", async () => {
    const user = await createUser(t.db);
    await createSpace(t.db);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    for (const url of [hangingUrl, closedUrl]) {
      const errors: unknown[] = [];
      const outcome = await search(t.db, createMeiliClient(url, "key", 300), user, params("q=anything"), { prefix, onError: (e) => errors.push(e) });
      expect(outcome).toEqual({ status: "unavailable", params: params("q=anything") });
      expect(errors).toHaveLength(1);
      expect(await similarQuestions(t.db, createMeiliClient(url, "key", 300), user, "How do I restore a backup?", { prefix })).toBeNull();
    }
  });
});

describe("similar questions", () => {
  test("a title close to an existing question finds it, only in visible spaces; an unrelated title finds nothing", async () => {
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    const mine = await createQuestion(t.db, { author: insider, space: open, title: "How do I request a new laptop from IT?", tags: ["laptops"] });
    const hidden = await createQuestion(t.db, { author: insider, space: secret, title: "How do I request a laptop for the merger team?", tags: ["laptops"] });
    await indexAll();

    const forOutsider = await similarQuestions(t.db, client, outsider, "request new laptop", { prefix });
    expect(forOutsider?.map((q) => q.id)).toContain(mine);
    expect(forOutsider?.map((q) => q.id)).not.toContain(hidden);
    expect(forOutsider?.[0]).toMatchObject({ title: "How do I request a new laptop from IT?", answerCount: 0, status: "open" });
    expect((await similarQuestions(t.db, client, insider, "request a laptop", { prefix }))?.map((q) => q.id)).toEqual(expect.arrayContaining([mine, hidden]));
    expect(await similarQuestions(t.db, client, outsider, "Recipe for sourdough bread starter", { prefix })).toEqual([]);
    expect(await similarQuestions(t.db, client, outsider, "ab", { prefix })).toEqual([]);
  });
});

describe("reconcile", () => {
  test("finds missing, stale and extra documents, queues them, and the relay repairs the index", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const a = await createQuestion(t.db, { author, space, title: "Reconcile question alpha" });
    const b = await createQuestion(t.db, { author, space, title: "Reconcile question beta" });
    await indexAll();
    const clean = await reconcileIndexes(t.db, client, { prefix });
    expect(clean.question).toMatchObject({ missing: 0, stale: 0, extra: 0, queued: 0 });
    expect(clean.question.checked).toBeGreaterThanOrEqual(2);

    const questions = client.index(indexName("question", prefix));
    await questions.deleteDocument(a).waitTask();
    await questions.updateDocuments([{ id: b, version: 1, title: "An old title" }]).waitTask();
    await questions.addDocuments([{ id: 999_999, type: "question", spaceId: space.id, title: "Written around the outbox", version: 1 }]).waitTask();

    const drift = await reconcileIndexes(t.db, client, { prefix });
    expect(drift.question).toMatchObject({ missing: 1, stale: 1, extra: 1, queued: 3 });
    await indexAll();
    expect(await questions.getDocument(a)).toMatchObject({ title: "Reconcile question alpha" });
    expect(await questions.getDocument(b)).toMatchObject({ title: "Reconcile question beta" });
    await expect(questions.getDocument(999_999)).rejects.toThrow();
    expect((await reconcileIndexes(t.db, client, { prefix })).question.queued).toBe(0);
  });
});

describe("search parameters", () => {
  test("unknown values fall back to defaults and URLs leave defaults out", () => {
    const p = params("q=%20%20deploy%20%20keys%20&tag=Deploy&tag=bad%20tag&tag=deploy&status=weird&sort=nope&page=-3&created=decade");
    expect(p).toMatchObject({ q: "deploy keys", tags: ["deploy"], status: undefined, sort: "relevance", page: 1, created: undefined });
    expect(params(`page=9999&q=${"x".repeat(500)}`)).toMatchObject({ page: 1, q: "x".repeat(200) });
    expect(searchHref({ q: "a b", tags: ["x", "y"], sort: "relevance", page: 1 })).toBe("/search?q=a+b&tag=x&tag=y");
    expect(searchHref({ q: "a", sort: "newest", page: 2 })).toBe("/search?q=a&sort=newest&page=2");
    expect(contentWords("How do I restore the C# build's Postgres 16.2 backup?")).toEqual(["restore", "c#", "build's", "postgres", "16.2", "backup"]);
    expect(contentWords("How do I…")).toEqual([]);
    expect(toSnippet("a\uE000b\uE001c")).toEqual([
      { text: "a", match: false },
      { text: "b", match: true },
      { text: "c", match: false },
    ]);
  });
});

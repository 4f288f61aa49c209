import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { and, eq, inArray } from "drizzle-orm";
import express from "express";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { posts, questionRoutes, users } from "#db/schema/index.ts";
import { createApiToken, revokeApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { drainExpertiseOutbox } from "#app/features/expertise/evidence.server.ts";
import { createMcpRouter } from "#app/features/mcp/router.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { askQuestion } from "#app/features/qa/posts.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { AskSchema } from "#app/features/qa/schemas.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { env } from "#app/lib/env.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb, useUnreachableMeili } from "#tests/db.ts";
import { createAnswer, createArticle, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { payloads } from "#tests/xss-render.ts";

/**
 * The MCP server (issue 21) through the SDK's own client over real HTTP: an Express app with the
 * router on a random port, a real database, and this file's own Meilisearch indexes filled by the
 * real relay. Each tool acts as the token's owner; a non-member of a restricted space gets nothing
 * of it through any tool, while a member finds it all.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("m");
const unreachable = useUnreachableMeili();

type User = Awaited<ReturnType<typeof createUser>>;
type ToolResult = { content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown>; isError?: boolean };

let server: Server;
let base = "";

beforeAll(async () => {
  const app = express();
  const deps = { db: t.db, search: indexes.client, log: pino({ level: "silent" }), env: env() };
  app.use("/mcp", createMcpRouter(deps, { searchPrefix: indexes.prefix }));
  // The same router with a tiny rate limit, and one whose Meilisearch is down.
  app.use("/mcp-limited", createMcpRouter(deps, { searchPrefix: indexes.prefix, requestsPerMinute: 3 }));
  app.use("/mcp-no-search", createMcpRouter({ ...deps, search: unreachable.client }, { searchPrefix: indexes.prefix }));
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clients: Client[] = [];
afterAll(async () => {
  for (const client of clients) await client.close();
});

async function tokenFor(user: User, scope: "read" | "write" = "read"): Promise<string> {
  return (await createApiToken(t.db, user.id, { name: `mcp ${scope}`, scope, expiresInDays: null })).token;
}

async function connect(token: string, path = "/mcp"): Promise<Client> {
  const client = new Client({ name: "commons-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}${path}`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

const textOf = (result: ToolResult) => result.content.map((c) => c.text ?? "").join("\n");

/** Runs the tasks a few at a time (the database pool has five connections), results in order. */
async function inBatches<T>(tasks: Array<() => Promise<T>>, size = 4): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += size) out.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  return out;
}

async function drain() {
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until the expertise outbox is empty
  }
}

async function indexAll() {
  const r = await runRelayUntilIdle(t.db, indexes.client, { prefix: indexes.prefix });
  expect(r.failed + r.dead).toBe(0);
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

async function rawPost(path: string, headers: Record<string, string>, body: string = JSON.stringify(INITIALIZE)) {
  return fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body });
}

// The company: an open space and a restricted one, with questions, answers, a wiki page and an
// article in each, and experts known from each.
type World = {
  member: User;
  outsider: User;
  openExpert: User;
  secretExpert: User;
  open: { id: number; slug: string; name: string };
  secret: { id: number; slug: string; name: string };
  openQuestion: number;
  openAccepted: number;
  secretQuestion: number;
  openPage: number;
  secretPage: number;
  openArticle: number;
  secretArticle: number;
};
let w: World;

beforeAll(async () => {
  const member = await createUser(t.db, { name: "Mina Member" });
  const outsider = await createUser(t.db, { name: "Otto Outsider" });
  const openExpert = await createUser(t.db, { name: "Olga Openwork", title: "Database Engineer" });
  const secretExpert = await createUser(t.db, { name: "Sigrid Secretwork" });
  const open = await createSpace(t.db, { name: "Engineering" });
  const secret = await createSpace(t.db, { name: "Project Quetzal", members: [member, secretExpert] }, "restricted");
  await createTags(t.db, ["zanzibar", "quetzal"]);

  const openQuestion = await createQuestion(t.db, {
    author: member,
    space: open,
    title: "How do we restore a zanzibar backup to staging?",
    body: "The nightly **zanzibar** dump is there, but `restore` fails with a permissions error.",
    tags: ["zanzibar"],
  });
  const openAccepted = await createAnswer(t.db, { author: openExpert, questionId: openQuestion, body: "Run the zanzibar restore as the *owner* role:\n\n```\nrestore --role owner\n```" });
  await createAnswer(t.db, { author: outsider, questionId: openQuestion, body: "I think zanzibar restores need a ticket first." });
  await acceptAnswer(t.db, member, openAccepted);
  for (let i = 0; i < 2; i++) {
    const q = await createQuestion(t.db, { author: member, space: open, tags: ["zanzibar"], title: `Zanzibar replication lag number ${i} on staging?` });
    await acceptAnswer(t.db, member, await createAnswer(t.db, { author: openExpert, questionId: q }));
  }

  // Sigrid is known only from the restricted space: on zanzibar (a tag the open space uses too) and quetzal.
  const secretQuestion = await createQuestion(t.db, {
    author: member,
    space: secret,
    title: "Where are the quetzal launch credentials kept?",
    body: "We need the quetzal launch credentials for the zanzibar cut-over.",
    tags: ["quetzal", "zanzibar"],
  });
  await acceptAnswer(t.db, member, await createAnswer(t.db, { author: secretExpert, questionId: secretQuestion, body: "In the quetzal vault, under launch." }));
  for (let i = 0; i < 3; i++) {
    const q = await createQuestion(t.db, { author: member, space: secret, tags: ["quetzal", "zanzibar"], title: `Quetzal zanzibar rollout step ${i}, who signs off?` });
    await acceptAnswer(t.db, member, await createAnswer(t.db, { author: secretExpert, questionId: q }));
  }

  const openPage = await createWikiPage(t.db, { author: openExpert, space: open, title: "Zanzibar restore runbook", body: "## Steps\n\n1. Stop the zanzibar writer.\n2. Restore." });
  const secretPage = await createWikiPage(t.db, { author: member, space: secret, title: "Quetzal launch runbook", body: "The quetzal launch happens at dawn." });
  const openArticle = await createArticle(t.db, {
    author: openExpert,
    space: open,
    title: "Our zanzibar backups, explained",
    body: "Why zanzibar backups run nightly and how long they are kept.",
  });
  const secretArticle = await createArticle(t.db, { author: member, space: secret, title: "Quetzal: the plan for launch", body: "The quetzal plan, for members only, in enough words." });

  await drain();
  await indexAll();
  w = { member, outsider, openExpert, secretExpert, open, secret, openQuestion, openAccepted, secretQuestion, openPage, secretPage, openArticle, secretArticle };
});

describe("the tools", () => {
  test("listTools shows the five tools, described for an assistant, with input and output schemas", async () => {
    const client = await connect(await tokenFor(w.member));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["ask_question", "find_experts", "read_page", "read_question", "search"]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get("search")!.description).toMatch(/cite/i);
    expect(byName.get("search")!.description).toContain("find_experts");
    expect(byName.get("find_experts")!.description).toMatch(/confidence is low|confidence in an answer is low/);
    expect(byName.get("ask_question")!.description).toContain("write scope");
    expect(byName.get("search")!.inputSchema.properties).toHaveProperty("query");
    expect(byName.get("search")!.annotations?.readOnlyHint).toBe(true);
    expect(byName.get("ask_question")!.annotations?.readOnlyHint).toBe(false);
    expect(client.getInstructions()).toMatch(/cite every source/);
  });

  test("search answers numbered results with absolute URLs to cite, and the same as structured content", async () => {
    const client = await connect(await tokenFor(w.member));
    const result = await call(client, "search", { query: "zanzibar restore" });
    expect(result.isError).toBeFalsy();
    const text = textOf(result);
    const questionLink = appUrl(questionUrl({ id: w.openQuestion, title: "How do we restore a zanzibar backup to staging?" }));
    expect(questionLink).toMatch(/^https?:\/\//);
    expect(text).toContain("[1] ");
    expect(text).toContain(`URL: ${questionLink}`);
    expect(text).toContain("find_experts");
    const structured = result.structuredContent as { total: number; results: Array<{ ref: number; kind: string; id: number; url: string; title: string; space: { name: string } }> };
    expect(structured.results.map((r) => r.ref)).toEqual(structured.results.map((_, i) => i + 1));
    const question = structured.results.find((r) => r.kind === "question" && r.id === w.openQuestion)!;
    expect(question).toMatchObject({ url: questionLink, title: "How do we restore a zanzibar backup to staging?", space: { name: "Engineering" } });
    expect(text).toContain(`[${question.ref}] How do we restore a zanzibar backup to staging?`);
    const page = structured.results.find((r) => r.kind === "wiki_page")!;
    expect(page.url).toBe(appUrl(wikiPageUrl({ id: w.openPage, slug: "zanzibar-restore-runbook" })));

    const pagesOnly = await call(client, "search", { query: "zanzibar", kind: "wiki_page" });
    expect((pagesOnly.structuredContent as { results: Array<{ kind: string }> }).results.every((r) => r.kind === "wiki_page")).toBe(true);
    const limited = await call(client, "search", { query: "zanzibar", limit: 2 });
    expect((limited.structuredContent as { results: unknown[]; total: number }).results).toHaveLength(2);
    expect((limited.structuredContent as { total: number }).total).toBeGreaterThan(2);
  });

  test("search with no results says so and points at find_experts; bad input is a tool error, not a failed request", async () => {
    const client = await connect(await tokenFor(w.member));
    const none = await call(client, "search", { query: "xylophonic marzipan" });
    expect(none.isError).toBeFalsy();
    expect(textOf(none)).toMatch(/No results/);
    expect(textOf(none)).toContain("find_experts");
    const empty = await call(client, "search", { query: "" });
    expect(empty.isError).toBe(true);
    const tooMany = await call(client, "search", { query: "zanzibar", limit: 500 });
    expect(tooMany.isError).toBe(true);
  });

  test("search with Meilisearch down is a tool error that says so", async () => {
    const client = await connect(await tokenFor(w.member), "/mcp-no-search");
    const result = await call(client, "search", { query: "zanzibar" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/search is unavailable/i);
  });

  test("read_question by URL or id: the question and its accepted answer first, as markdown source, with authors, scores and URLs", async () => {
    const client = await connect(await tokenFor(w.outsider));
    const url = appUrl(questionUrl({ id: w.openQuestion, title: "How do we restore a zanzibar backup to staging?" }));
    const byUrl = await call(client, "read_question", { question: url });
    const byId = await call(client, "read_question", { question: w.openQuestion });
    const byIdText = await call(client, "read_question", { question: String(w.openQuestion) });
    expect(byUrl.isError).toBeFalsy();
    expect(byId.structuredContent).toEqual(byUrl.structuredContent);
    expect(byIdText.structuredContent).toEqual(byUrl.structuredContent);
    const q = byUrl.structuredContent as {
      title: string;
      url: string;
      status: string;
      body: string;
      author: { name: string };
      answers: Array<{ id: number; accepted: boolean; author: { name: string }; body: string; url: string }>;
    };
    expect(q).toMatchObject({ title: "How do we restore a zanzibar backup to staging?", url, status: "answered", author: { name: "Mina Member" } });
    expect(q.body).toBe("The nightly **zanzibar** dump is there, but `restore` fails with a permissions error.");
    expect(q.answers).toHaveLength(2);
    expect(q.answers[0]).toMatchObject({ id: w.openAccepted, accepted: true, author: { name: "Olga Openwork" }, url: `${url}#answer-${w.openAccepted}` });
    expect(q.answers[0]!.body).toContain("```\nrestore --role owner\n```");
    const text = textOf(byUrl);
    expect(text).toContain("# How do we restore a zanzibar backup to staging?");
    expect(text).toContain("## Accepted answer by Olga Openwork");
    expect(text).not.toMatch(/<p>|<strong>|<code>/);
  });

  test("read_page reads a wiki page and an article, by URL or by id and kind", async () => {
    const client = await connect(await tokenFor(w.outsider));
    const pageUrl = appUrl(wikiPageUrl({ id: w.openPage, slug: "zanzibar-restore-runbook" }));
    const page = await call(client, "read_page", { page: pageUrl });
    expect(page.isError).toBeFalsy();
    expect(page.structuredContent).toMatchObject({
      kind: "wiki_page",
      id: w.openPage,
      url: pageUrl,
      title: "Zanzibar restore runbook",
      body: "## Steps\n\n1. Stop the zanzibar writer.\n2. Restore.",
      owners: [{ name: "Olga Openwork" }],
      verification: { verified: false },
    });
    expect((await call(client, "read_page", { page: w.openPage })).structuredContent).toEqual(page.structuredContent);

    const articleLink = appUrl(articleUrl({ id: w.openArticle, title: "Our zanzibar backups, explained" }));
    const article = await call(client, "read_page", { page: articleLink });
    expect(article.structuredContent).toMatchObject({ kind: "article", id: w.openArticle, title: "Our zanzibar backups, explained", status: "published", author: { name: "Olga Openwork" } });
    expect((await call(client, "read_page", { page: w.openArticle, kind: "article" })).structuredContent).toEqual(article.structuredContent);
    expect(textOf(article)).toContain("Why zanzibar backups run nightly");

    const wrong = await call(client, "read_page", { page: appUrl(`/questions/${w.openQuestion}`) });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toContain("read_question");
    const nonsense = await call(client, "read_question", { question: "the one about backups" });
    expect(nonsense.isError).toBe(true);
    expect(textOf(nonsense)).toMatch(/id .* or its Commons URL/);
  });

  test("find_experts names the people who know a topic, with why, availability, profile and how to ask them", async () => {
    const client = await connect(await tokenFor(w.outsider));
    const result = await call(client, "find_experts", { topic: "zanzibar" });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as {
      matchedTopics: string[];
      experts: Array<{ id: number; name: string; why: string | null; availability: string; profileUrl: string; askUrl: string }>;
    };
    expect(structured.matchedTopics).toEqual(["zanzibar"]);
    const olga = structured.experts[0]!;
    expect(olga).toMatchObject({
      id: w.openExpert.id,
      name: "Olga Openwork",
      availability: "open",
      profileUrl: appUrl(`/people/${w.openExpert.id}`),
      askUrl: appUrl(`/questions/ask?to=${w.openExpert.id}`),
    });
    expect(olga.why).toMatch(/zanzibar/);
    const text = textOf(result);
    expect(text).toContain("1. Olga Openwork (Database Engineer");
    expect(text).toContain("Why: ");
    expect(text).toContain(`Profile: ${olga.profileUrl}`);

    // Words rather than a tag, and the ask link of a question the user is stuck on.
    const onQuestion = await call(client, "find_experts", { topic: "restoring zanzibar backups on staging", question: w.openQuestion });
    const experts = (onQuestion.structuredContent as { experts: Array<{ name: string; askUrl: string }> }).experts;
    expect(experts.map((e) => e.name)).toContain("Olga Openwork");
    expect(experts[0]!.askUrl).toBe(appUrl(`${questionUrl({ id: w.openQuestion, title: "How do we restore a zanzibar backup to staging?" })}#experts`));
  });

  test("find_experts marks people who are away or opted out, and can leave them out", async () => {
    const away = await createUser(t.db, { name: "Ada Away", awayUntil: new Date(Date.now() + 7 * 86_400_000) });
    const space = await createSpace(t.db);
    await createTags(t.db, ["vanadium"]);
    const q = await createQuestion(t.db, { author: w.member, space, tags: ["vanadium"] });
    await acceptAnswer(t.db, w.member, await createAnswer(t.db, { author: away, questionId: q }));
    await drain();
    const client = await connect(await tokenFor(w.outsider));
    const all = await call(client, "find_experts", { topic: "vanadium" });
    expect((all.structuredContent as { experts: Array<{ name: string; availability: string }> }).experts).toEqual([expect.objectContaining({ name: "Ada Away", availability: "away" })]);
    expect(textOf(all)).toMatch(/away until \d{4}-\d\d-\d\d/);
    const availableOnly = await call(client, "find_experts", { topic: "vanadium", available_only: true });
    expect((availableOnly.structuredContent as { experts: unknown[] }).experts).toEqual([]);
    expect(textOf(availableOnly)).toMatch(/No one in Commons/);
  });
});

describe("visibility: exactly the app's", () => {
  test("a non-member finds nothing from a restricted space through any tool; a member finds it all", async () => {
    const outsider = await connect(await tokenFor(w.outsider, "write"));
    const member = await connect(await tokenFor(w.member));

    // search
    for (const query of ["quetzal", "quetzal launch credentials", "launch"]) {
      const hidden = await call(outsider, "search", { query });
      expect(textOf(hidden)).toMatch(/^No results/);
      expect(textOf(hidden)).not.toMatch(/credentials kept|launch runbook|plan for launch|Project Quetzal/);
      expect((hidden.structuredContent as { results: unknown[] }).results).toEqual([]);
    }
    const bySlug = await call(outsider, "search", { query: "quetzal", space: w.secret.slug });
    expect((bySlug.structuredContent as { results: unknown[] }).results).toEqual([]);
    const found = await call(member, "search", { query: "quetzal launch" });
    const kinds = (found.structuredContent as { results: Array<{ kind: string; id: number }> }).results.map((r) => `${r.kind}:${r.id}`);
    expect(kinds).toEqual(expect.arrayContaining([`question:${w.secretQuestion}`, `wiki_page:${w.secretPage}`, `article:${w.secretArticle}`]));

    // read_question and read_page: the same "not found" as for something that does not exist
    const hiddenQuestion = await call(outsider, "read_question", { question: w.secretQuestion });
    const missingQuestion = await call(outsider, "read_question", { question: 2_000_000_000 });
    expect(hiddenQuestion.isError).toBe(true);
    expect(textOf(hiddenQuestion)).toMatch(/^Not found/);
    expect(textOf(hiddenQuestion)).toBe(textOf(missingQuestion));
    const hiddenPage = await call(outsider, "read_page", { page: appUrl(`/wiki/${w.secretPage}/quetzal-launch-runbook`) });
    expect(hiddenPage.isError).toBe(true);
    expect(textOf(hiddenPage)).toBe(textOf(await call(outsider, "read_page", { page: 2_000_000_000 })));
    const hiddenArticle = await call(outsider, "read_page", { page: w.secretArticle, kind: "article" });
    expect(hiddenArticle.isError).toBe(true);
    expect(textOf(hiddenArticle)).toBe(textOf(await call(outsider, "read_page", { page: 2_000_000_000, kind: "article" })));
    for (const result of [hiddenQuestion, hiddenPage, hiddenArticle]) expect(textOf(result)).not.toMatch(/quetzal/i);
    expect((await call(member, "read_question", { question: w.secretQuestion })).structuredContent).toMatchObject({ title: "Where are the quetzal launch credentials kept?" });
    expect((await call(member, "read_page", { page: w.secretPage })).structuredContent).toMatchObject({ title: "Quetzal launch runbook" });
    expect((await call(member, "read_page", { page: w.secretArticle, kind: "article" })).structuredContent).toMatchObject({ title: "Quetzal: the plan for launch" });

    // find_experts: Sigrid is known only from the restricted space, so the outsider never sees her named
    const outsiderExperts = await call(outsider, "find_experts", { topic: "zanzibar" });
    expect(textOf(outsiderExperts)).not.toContain("Sigrid");
    expect(textOf(outsiderExperts)).not.toMatch(/quetzal/i);
    expect((outsiderExperts.structuredContent as { experts: Array<{ id: number }> }).experts.map((e) => e.id)).not.toContain(w.secretExpert.id);
    const quetzal = await call(outsider, "find_experts", { topic: "quetzal" });
    expect((quetzal.structuredContent as { experts: unknown[] }).experts).toEqual([]);
    expect(textOf(quetzal)).not.toContain("Sigrid");
    const hiddenQuestionExperts = await call(outsider, "find_experts", { topic: "zanzibar", question: w.secretQuestion });
    expect(hiddenQuestionExperts.isError).toBe(true);
    const memberExperts = await call(member, "find_experts", { topic: "zanzibar" });
    expect((memberExperts.structuredContent as { experts: Array<{ id: number }> }).experts.map((e) => e.id)).toContain(w.secretExpert.id);
    expect(textOf(await call(member, "find_experts", { topic: "quetzal" }))).toContain("Sigrid Secretwork");

    // ask_question into the restricted space: refused like a space that does not exist, nothing written
    const before = await t.db.$count(posts);
    const refused = await call(outsider, "ask_question", {
      space: w.secret.slug,
      title: "Can I have the quetzal launch credentials please?",
      body: "I would like to read the quetzal launch credentials.",
      tags: ["zanzibar"],
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^Not found: there is no space/);
    expect(textOf(refused)).toContain(w.open.slug);
    expect(textOf(refused)).not.toContain(w.secret.name);
    expect(textOf(refused)).toBe(
      textOf(
        await call(outsider, "ask_question", { space: "no-such-space", title: "Can I have the quetzal launch credentials please?", body: "I would like to read them.", tags: ["zanzibar"] }),
      ).replace("no-such-space", w.secret.slug),
    );
    expect(await t.db.$count(posts)).toBe(before);
  });
});

describe("ask_question", () => {
  test("with a write token, asks as the token's owner through the app's ask function and returns the URL", async () => {
    const asker = await createUser(t.db, { name: "Wanda Writer" });
    const client = await connect(await tokenFor(asker, "write"));
    const result = await call(client, "ask_question", {
      space: w.open.slug,
      title: "  How do we rotate the zanzibar   signing keys?  ",
      body: "The keys expire next month. What is the procedure?",
      tags: ["zanzibar"],
    });
    expect(result.isError).toBeFalsy();
    const { id, url, created } = result.structuredContent as { id: number; url: string; created: boolean };
    expect(created).toBe(true);
    const [row] = await t.db.select().from(posts).where(eq(posts.id, id));
    expect(row).toMatchObject({ type: "question", authorId: asker.id, spaceId: w.open.id, title: "How do we rotate the zanzibar signing keys?", tags: ["zanzibar"] });
    expect(url).toBe(appUrl(questionUrl({ id, title: row!.title })));
    expect(textOf(result)).toContain(url);
  });

  test("the same idempotency key asks once; a person named gets the question sent to them", async () => {
    const asker = await createUser(t.db);
    const client = await connect(await tokenFor(asker, "write"));
    const input = {
      space: w.open.slug,
      title: "Who owns the zanzibar backup retention policy?",
      body: "We need to change how long zanzibar backups are kept.",
      tags: ["zanzibar"],
      idempotency_key: "retry-key-0001",
      send_to_person_id: w.openExpert.id,
    };
    const first = await call(client, "ask_question", input);
    const second = await call(client, "ask_question", input);
    expect(first.structuredContent).toMatchObject({ created: true });
    expect(second.structuredContent).toMatchObject({ created: false, id: (first.structuredContent as { id: number }).id });
    const id = (first.structuredContent as { id: number }).id;
    expect(await t.db.$count(posts, and(eq(posts.authorId, asker.id), eq(posts.type, "question")))).toBe(1);
    expect(await t.db.$count(questionRoutes, and(eq(questionRoutes.questionId, id), eq(questionRoutes.userId, w.openExpert.id)))).toBe(1);
  });

  test("with a read token it is refused and nothing is written", async () => {
    const reader = await createUser(t.db);
    const client = await connect(await tokenFor(reader, "read"));
    const before = await t.db.$count(posts);
    const result = await call(client, "ask_question", {
      space: w.open.slug,
      title: "Can a read token ask questions at all?",
      body: "It should not be able to write anything.",
      tags: ["zanzibar"],
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/write scope/);
    expect(await t.db.$count(posts)).toBe(before);
    expect(await t.db.$count(posts, eq(posts.authorId, reader.id))).toBe(0);
  });

  test("bad input comes back as the ask form's messages, and nothing is written", async () => {
    const asker = await createUser(t.db);
    const client = await connect(await tokenFor(asker, "write"));
    const result = await call(client, "ask_question", { space: w.open.slug, title: "Too short", body: "tiny", tags: [] });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain("title: The title needs at least 15 characters.");
    expect(text).toContain("body: The question needs at least 20 characters.");
    expect(text).toContain("tags: Add at least one tag.");
    const badTag = await call(client, "ask_question", {
      space: w.open.slug,
      title: "A question with a strange tag on it",
      body: "The tag below is not one Commons takes.",
      tags: ["Not A Tag!"],
    });
    expect(badTag.isError).toBe(true);
    const notSent = await call(client, "ask_question", {
      ...{ space: w.open.slug, title: "Sent to someone who does not exist?", body: "This person id names no one at all.", tags: ["zanzibar"] },
      send_to_person_id: 2_000_000_000,
    });
    expect(notSent.isError).toBe(true);
    expect(await t.db.$count(posts, eq(posts.authorId, asker.id))).toBe(0);
  });
});

describe("HTTP: tokens before any MCP handling", () => {
  test("no token, a malformed header or an unknown token: 401 with WWW-Authenticate, and the SDK client can't connect", async () => {
    const cases: Array<Record<string, string>> = [{}, { authorization: "Basic abc" }, { authorization: "Bearer nope" }, { authorization: `Bearer cmn_${"A".repeat(43)}` }];
    for (const headers of cases) {
      const res = await rawPost("/mcp", headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="commons"/);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toBeTruthy();
    }
    await expect(connect(`cmn_${"B".repeat(43)}`)).rejects.toThrow();
  });

  test("a deactivated owner, a customer account, a revoked token: 401", async () => {
    const deactivated = await createUser(t.db, {}, "deactivated");
    const customer = await createUser(t.db, {}, "customer");
    const active = await createUser(t.db);
    const revoked = await createApiToken(t.db, active.id, { name: "old", scope: "read", expiresInDays: null });
    await revokeApiToken(t.db, active.id, revoked.row.id);
    for (const token of [await tokenFor(deactivated), await tokenFor(customer), revoked.token]) {
      const res = await rawPost("/mcp", { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
    // Deactivating someone stops their token at once.
    const leaver = await createUser(t.db);
    const token = await tokenFor(leaver);
    expect((await rawPost("/mcp", { authorization: `Bearer ${token}` })).status).toBe(200);
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, leaver.id));
    expect((await rawPost("/mcp", { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  test("stateless: no session id; GET and DELETE answer 405; a malformed body is a 400, never a 500", async () => {
    const token = await tokenFor(w.member);
    const res = await rawPost("/mcp", { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    expect(((await res.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe("commons");
    for (const method of ["GET", "DELETE"]) {
      const other = await fetch(`${base}/mcp`, { method, headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
      expect(other.status).toBe(405);
      expect(other.headers.get("allow")).toBe("POST");
    }
    const malformed = await rawPost("/mcp", { authorization: `Bearer ${token}` }, "{ not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/at .*\.ts:\d+/);
  });

  test("rate limited per token, shared through PostgreSQL: 429 with Retry-After past the limit", async () => {
    const token = await tokenFor(await createUser(t.db));
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 4; i++) {
      last = await rawPost("/mcp-limited", { authorization: `Bearer ${token}` });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another token has its own count.
    expect((await rawPost("/mcp-limited", { authorization: `Bearer ${await tokenFor(await createUser(t.db))}` })).status).toBe(200);
  });
});

describe("XSS: titles and texts come back as the plain text that was typed", () => {
  type Stored = { id: number; title: string | null; body: string };
  let author: User;
  beforeAll(async () => {
    author = await createUser(t.db);
  });

  /** Asks each payload as a question's title and text, as the ask form would take it; the ids of those stored. */
  async function askPayloads(label: string, list: typeof payloads): Promise<Map<number, Stored>> {
    const ask = async (payload: string, i: number): Promise<number[]> => {
      const parsed = AskSchema.safeParse({ space: w.open.slug, title: `${label} ${i}: ${payload}`.slice(0, 150), body: `Payload body ${i}:\n\n${payload}`, tags: ["zanzibar"] });
      if (!parsed.success) return [];
      try {
        return [(await askQuestion(t.db, author, parsed.data)).id];
      } catch (error) {
        // The markdown module refuses some texts outright: nothing stored, nothing to read back.
        if (!(error instanceof InputError)) throw error;
        return [];
      }
    };
    const ids = (
      await inBatches(
        list.map(
          ({ payload }, i) =>
            () =>
              ask(payload, i),
        ),
      )
    ).flat();
    const rows = ids.length ? await t.db.select({ id: posts.id, title: posts.title, body: posts.body }).from(posts).where(inArray(posts.id, ids)) : [];
    return new Map(rows.map((r) => [r.id, r]));
  }

  test("search results' titles are the typed text, payloads included", async () => {
    const stored = await askPayloads("Searchable payload", payloads.filter((p) => /<script|onerror|javascript:/i.test(p.payload)).slice(0, 12));
    expect(stored.size).toBeGreaterThan(5);
    await indexAll();
    const client = await connect(await tokenFor(w.member));
    const found = await call(client, "search", { query: "searchable payload", kind: "question", limit: 20 });
    expect(found.content.every((c) => c.type === "text")).toBe(true);
    const results = (found.structuredContent as { results: Array<{ id: number; title: string }> }).results;
    expect(results.length).toBe(stored.size);
    for (const r of results) {
      expect(r.title).toBe(stored.get(r.id)!.title);
      expect(textOf(found)).toContain(`] ${r.title}\n`);
    }
  });

  test("every payload of the corpus, as a question's title and text, reads back unchanged and never as HTML", async () => {
    const stored = await askPayloads("Payload number", payloads);
    expect(stored.size).toBeGreaterThan(payloads.length * 0.9);
    const client = await connect(await tokenFor(w.member));
    const ids = [...stored.keys()];
    const reads = await inBatches(ids.map((id) => () => call(client, "read_question", { question: id })));
    for (const [i, result] of reads.entries()) {
      const row = stored.get(ids[i]!)!;
      expect(result.content.every((c) => c.type === "text")).toBe(true);
      expect(result.structuredContent).toMatchObject({ title: row.title, body: row.body });
      expect(textOf(result)).toContain(`# ${row.title}\n`);
      expect(textOf(result)).toContain(row.body);
    }
  }, 120_000);
});

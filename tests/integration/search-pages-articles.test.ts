import { readFileSync } from "node:fs";
import { eq, inArray, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import type { Meilisearch } from "meilisearch";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { articles, outbox, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { deadLetters } from "#app/features/search/admin.server.ts";
import { type PageHit, type SearchOutcome, pageReview, searchParams, type Snippet } from "#app/features/search/search-params.ts";
import { liveHits, search, similarContent } from "#app/features/search/search.server.ts";
import { removeSpaceMember } from "#app/features/spaces/spaces.server.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { SimilarQuestions } from "#app/components/qa/similar-questions.tsx";
import { SearchResultList } from "#app/components/search/result-list.tsx";
import { meiliErrorCode } from "#search/client.server.ts";
import { articleDocuments, htmlText, pageDocuments } from "#search/documents.server.ts";
import { indexName } from "#search/indexes.ts";
import { enqueueIndexing, type OutboxKind } from "#search/outbox.server.ts";
import { reconcileIndexes } from "#search/reconcile.server.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";

/**
 * Wiki pages and articles in search (issue 16), against the run's real Meilisearch: rows written
 * straight into PostgreSQL (the wiki and article features are built elsewhere) and named in the
 * outbox as their writers do, indexed by the real relay into this file's own indexes, then found
 * by the global search beside questions and ideas, by the ask page's similar content, and rebuilt
 * and reconciled with the other kinds. The routes are called in search-routes-live.test.ts.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("w");
const { prefix } = indexes;
let client: Meilisearch;
beforeAll(() => {
  client = indexes.client;
});

type Person = Awaited<ReturnType<typeof createUser>>;
const DAY = 86_400_000;
const daysFromNow = (n: number) => new Date(Date.now() + n * DAY);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

async function indexAll() {
  const r = await runRelayUntilIdle(t.db, client, { prefix });
  expect(r.failed + r.dead).toBe(0);
}

const queue = (kind: OutboxKind, ids: number[]) => t.db.transaction((tx) => enqueueIndexing(tx, kind, ids));

const escapeHtml = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const slugOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60) || "page";

/** A page as the wiki stores one, named in the outbox as its writer would. */
async function createPage(attrs: {
  space: { id: number };
  author: Person;
  title: string;
  body?: string;
  html?: string;
  tags?: string[];
  verifiedAt?: Date | null;
  reviewDueAt?: Date | null;
  owners?: Person[];
}): Promise<number> {
  const body = attrs.body ?? `Notes about ${attrs.title}.`;
  const [row] = await t.db
    .insert(wikiPages)
    .values({
      spaceId: attrs.space.id,
      slug: slugOf(attrs.title),
      title: attrs.title,
      body,
      bodyHtml: attrs.html ?? `<p>${escapeHtml(body)}</p>`,
      tags: attrs.tags ?? [],
      authorId: attrs.author.id,
      verifiedAt: attrs.verifiedAt ?? null,
      verifiedById: attrs.verifiedAt ? attrs.author.id : null,
      reviewDueAt: attrs.reviewDueAt ?? null,
    })
    .returning({ id: wikiPages.id });
  const owners = attrs.owners ?? [attrs.author];
  if (owners.length > 0) await t.db.insert(wikiPageOwners).values(owners.map((o) => ({ pageId: row!.id, userId: o.id })));
  await queue("wiki_page", [row!.id]);
  return row!.id;
}

type ArticleStatus = (typeof articles.$inferSelect)["status"];

async function createArticle(attrs: {
  space: { id: number };
  author: Person;
  title: string;
  body?: string;
  status?: ArticleStatus;
  type?: (typeof articles.$inferSelect)["type"];
  tags?: string[];
  publishedAt?: Date;
}): Promise<number> {
  const status = attrs.status ?? "published";
  const body = attrs.body ?? `Some thoughts on ${attrs.title}.`;
  const [row] = await t.db
    .insert(articles)
    .values({
      spaceId: attrs.space.id,
      authorId: attrs.author.id,
      type: attrs.type ?? "knowledge",
      status,
      title: attrs.title,
      body,
      bodyHtml: `<p>${escapeHtml(body)}</p>`,
      tags: attrs.tags ?? [],
      publishAt: status === "scheduled" ? daysFromNow(3) : null,
      publishedAt: status === "published" ? (attrs.publishedAt ?? new Date()) : null,
    })
    .returning({ id: articles.id });
  await queue("article", [row!.id]);
  return row!.id;
}

async function doc(kind: "wiki_page" | "article", id: number): Promise<Record<string, unknown> | null> {
  try {
    return await client.index(indexName(kind, prefix)).getDocument(id);
  } catch (error) {
    if (meiliErrorCode(error) === "document_not_found") return null;
    throw error;
  }
}

function ok(outcome: SearchOutcome) {
  if (outcome.status !== "ok") throw new Error("search was unavailable");
  return outcome;
}

const run = (actor: Parameters<typeof search>[2], query: string, hitsPerPage?: number) =>
  search(t.db, client, actor, searchParams(new URLSearchParams(query)), { prefix, ...(hitsPerPage ? { hitsPerPage } : {}) }).then(ok);
const keys = (outcome: { hits: Array<{ type: string; id: number }> }) => outcome.hits.map((h) => `${h.type}:${h.id}`);
const facet = (values: Array<{ value: string; label: string; count: number }>) => values.map((v) => [v.value, v.label, v.count]);
const matched = (s: Snippet) => s.filter((r) => r.match).map((r) => r.text.toLowerCase());
const render = (element: React.ReactElement) => renderToStaticMarkup(createElement(MemoryRouter, null, element));

describe("indexing pages and articles through the outbox", () => {
  test("a page's document: plain text, owners, verification and freshness; an edit is indexed again", async () => {
    const author = await createUser(t.db, { name: "Wendy Wiki", department: "IT" });
    const owner = await createUser(t.db, { name: "Otto Owner" });
    const space = await createSpace(t.db);
    const verifiedAt = daysFromNow(-2);
    const reviewDueAt = daysFromNow(88);
    const id = await createPage({
      space,
      author,
      owners: [owner, author],
      title: "Setting up the office VPN",
      html: "<h2>Steps</h2><p>Run <code>vpn-setup</code> &amp; restart.<br>Ask <strong>IT</strong> if it fails &lt;sometimes&gt;.</p>",
      tags: ["vpn", "network"],
      verifiedAt,
      reviewDueAt,
    });
    // The write only names the page in the outbox; the relay puts it in the index.
    expect(await doc("wiki_page", id)).toBeNull();
    await indexAll();
    const [row] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, id));
    expect(await doc("wiki_page", id)).toEqual({
      id,
      type: "page",
      spaceId: space.id,
      slug: "setting-up-the-office-vpn",
      title: "Setting up the office VPN",
      body: "Steps Run vpn-setup & restart. Ask IT if it fails <sometimes>.",
      tags: ["vpn", "network"],
      authorId: author.id,
      authorName: "Wendy Wiki",
      authorDepartment: "IT",
      owners: ["Otto Owner", "Wendy Wiki"],
      verified: true,
      reviewDueAt: seconds(reviewDueAt),
      freshness: 2,
      score: 0,
      createdAt: seconds(row!.createdAt),
      updatedAt: seconds(row!.createdAt),
      version: row!.updatedAt.getTime(),
    });

    const editedAt = new Date();
    await t.db.update(wikiPages).set({ title: "Setting up the VPN at home", slug: "setting-up-the-vpn-at-home", lastEditedAt: editedAt }).where(eq(wikiPages.id, id));
    await queue("wiki_page", [id]);
    await indexAll();
    const [edited] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, id));
    expect(await doc("wiki_page", id)).toMatchObject({
      title: "Setting up the VPN at home",
      slug: "setting-up-the-vpn-at-home",
      updatedAt: seconds(editedAt),
      version: edited!.updatedAt.getTime(),
    });
  });

  test("freshness: 2 verified and not yet due, 1 never verified, 0 past its review date", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const fresh = await createPage({ space, author, title: "Fresh", verifiedAt: daysFromNow(-1), reviewDueAt: daysFromNow(10) });
    const forever = await createPage({ space, author, title: "Verified without a review interval", verifiedAt: daysFromNow(-1) });
    const never = await createPage({ space, author, title: "Never verified" });
    const stale = await createPage({ space, author, title: "Past review", verifiedAt: daysFromNow(-100), reviewDueAt: daysFromNow(-10) });
    const { upserts } = await pageDocuments(t.db, [fresh, forever, never, stale]);
    const byId = new Map(upserts.map((d) => [d.id, d]));
    expect([fresh, forever, never, stale].map((id) => [byId.get(id)?.verified, byId.get(id)?.freshness])).toEqual([
      [true, 2],
      [true, 2],
      [false, 1],
      [true, 0],
    ]);
  });

  test("deleted pages, and drafts, scheduled, deleted or missing articles come back as deletes, in one query each", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const page = await createPage({ space, author, title: "Live page" });
    const gone = await createPage({ space, author, title: "Deleted page" });
    await t.db.update(wikiPages).set({ deletedAt: new Date() }).where(eq(wikiPages.id, gone));
    const pages = await pageDocuments(t.db, [page, gone, 987_654]);
    expect(pages.upserts.map((d) => d.id)).toEqual([page]);
    expect(pages.deletes.sort()).toEqual([gone, 987_654].sort());

    const published = await createArticle({ space, author, title: "Published" });
    const draft = await createArticle({ space, author, title: "Draft", status: "draft" });
    const scheduled = await createArticle({ space, author, title: "Scheduled", status: "scheduled" });
    const deleted = await createArticle({ space, author, title: "Deleted" });
    await t.db.update(articles).set({ deletedAt: new Date() }).where(eq(articles.id, deleted));
    const docs = await articleDocuments(t.db, [published, draft, scheduled, deleted, 987_654]);
    expect(docs.upserts.map((d) => d.id)).toEqual([published]);
    expect(docs.deletes.sort()).toEqual([draft, scheduled, deleted, 987_654].sort());
    expect(docs.upserts[0]).toMatchObject({ type: "article", articleType: "knowledge", body: "Some thoughts on Published.", score: 0, commentCount: 0 });
  });

  test("the text of stored HTML: tags out, entities decoded, blocks apart", () => {
    expect(htmlText("<h1>Title</h1><p>a &amp; b &lt;c&gt; &#39;d&#39; &#x263A;</p><ul><li>one</li><li>two</li></ul>")).toBe("Title a & b <c> 'd' ☺ one two");
    expect(htmlText("")).toBe("");
  });
});

describe("articles are searchable only while published", () => {
  test("a draft or scheduled article is not found; once published it is; back to draft or deleted it leaves search at once", async () => {
    const author = await createUser(t.db, { name: "Arthur Article" });
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const draft = await createArticle({ space, author, title: "The quillfeather migration plan", status: "draft" });
    const scheduled = await createArticle({ space, author, title: "Quillfeather launch announcement", status: "scheduled", type: "announcement" });
    await indexAll();
    expect(await doc("article", draft)).toBeNull();
    expect(await doc("article", scheduled)).toBeNull();
    expect((await run(reader, "q=quillfeather")).total).toBe(0);
    // Even the author: a draft is theirs on its own page, not in search.
    expect((await run(author, "q=quillfeather")).total).toBe(0);

    // The publishing job (or the author) publishes it and names it in the outbox.
    await t.db.update(articles).set({ status: "published", publishedAt: new Date(), publishAt: null }).where(eq(articles.id, scheduled));
    await queue("article", [scheduled]);
    await indexAll();
    const found = await run(reader, "q=quillfeather");
    expect(keys(found)).toEqual([`article:${scheduled}`]);
    expect(found.hits[0]).toMatchObject({
      type: "article",
      url: `/articles/${scheduled}/quillfeather-launch-announcement`,
      articleType: "announcement",
      author: { id: author.id, name: "Arthur Article" },
      space: { slug: space.slug, name: space.name },
    });
    expect(matched(found.hits[0]!.title)).toEqual(["quillfeather"]);

    // Unpublished: gone from search before the relay runs (PostgreSQL is asked), and from the index after.
    await t.db.update(articles).set({ status: "draft" }).where(eq(articles.id, scheduled));
    await queue("article", [scheduled]);
    expect(await doc("article", scheduled)).not.toBeNull();
    expect((await run(reader, "q=quillfeather")).hits).toEqual([]);
    await indexAll();
    expect(await doc("article", scheduled)).toBeNull();

    await t.db.update(articles).set({ status: "published", publishedAt: new Date() }).where(eq(articles.id, draft));
    await queue("article", [draft]);
    await indexAll();
    expect(keys(await run(reader, "q=quillfeather"))).toEqual([`article:${draft}`]);
    await t.db.update(articles).set({ deletedAt: new Date() }).where(eq(articles.id, draft));
    await queue("article", [draft]);
    expect((await run(reader, "q=quillfeather")).hits).toEqual([]);
    await indexAll();
    expect(await doc("article", draft)).toBeNull();
  });
});

describe("global search", () => {
  test("the type facet counts questions, ideas, pages and articles, and filters each; sorts and the time filter take them along", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const author = await createUser(t.db, { department: "Finance" });
    const space = await createSpace(t.db);
    const question = await createQuestion(t.db, { author, space, title: "Where is the brambleton expense form?" });
    const campaignId = await createCampaign(t.db, { sponsor: admin, space, title: "Simpler brambleton forms" });
    const idea = await createIdea(t.db, { author, campaignId, title: "One brambleton form for every expense" });
    const page = await createPage({ space, author, title: "Brambleton expense policy", tags: ["expenses"] });
    const other = await createPage({ space, author, title: "Brambleton travel booking", tags: ["travel"] });
    // Published long after it was drafted: "newest" and "created" read the publication.
    const article = await createArticle({ space, author, title: "What changed in brambleton expenses", publishedAt: daysFromNow(-40) });
    await t.db
      .update(wikiPages)
      .set({ createdAt: daysFromNow(-2) })
      .where(eq(wikiPages.id, other));
    await queue("wiki_page", [other]);
    await indexAll();

    const all = await run(author, "q=brambleton");
    expect(keys(all).sort()).toEqual([`question:${question}`, `idea:${idea}`, `page:${page}`, `page:${other}`, `article:${article}`].sort());
    expect(facet(all.facets.type)).toEqual([
      ["page", "Wiki pages", 2],
      ["article", "Articles", 1],
      ["idea", "Ideas", 1],
      ["question", "Questions", 1],
    ]);
    // Shared facets add every kind up.
    expect(facet(all.facets.space)).toEqual([[space.slug, space.name, 5]]);
    expect(facet(all.facets.department)).toEqual([["Finance", "Finance", 5]]);
    expect(all.hits.find((h) => h.type === "page" && h.id === page)).toMatchObject({
      url: `/wiki/${page}/brambleton-expense-policy`,
      space: { slug: space.slug, name: space.name },
      tags: ["expenses"],
      owners: [author.name],
      verified: false,
      reviewDueAt: null,
    });

    const ids = async (query: string) => keys(await run(author, query));
    expect((await ids("q=brambleton&type=page")).sort()).toEqual([`page:${page}`, `page:${other}`].sort());
    expect(await ids("q=brambleton&type=article")).toEqual([`article:${article}`]);
    expect(await ids("q=brambleton&type=question")).toEqual([`question:${question}`]);
    expect(await ids("q=brambleton&type=page&tag=travel")).toEqual([`page:${other}`]);
    const pagesOnly = await run(author, "q=brambleton&type=page");
    expect(facet(pagesOnly.facets.type)).toEqual([["page", "Wiki pages", 2]]);
    expect(pagesOnly.facets.type[0]?.selected).toBe(true);
    // A question's status or an idea's campaign leaves pages and articles out.
    expect(await ids("q=brambleton&status=open")).toEqual([`question:${question}`]);
    expect(await ids(`q=brambleton&campaign=${campaignId}`)).toEqual([`idea:${idea}`]);
    // An empty query with the type browses that kind.
    expect((await ids("type=article")).includes(`article:${article}`)).toBe(true);

    // Newest: the article by its publication (40 days ago) comes last; the page made two days ago before it.
    const newest = await ids("q=brambleton&sort=newest");
    expect(newest.at(-1)).toBe(`article:${article}`);
    expect(newest.indexOf(`page:${other}`)).toBe(newest.length - 2);
    expect(await ids("q=brambleton&type=article&created=month")).toEqual([]);
    expect(await ids("q=brambleton&type=article&created=year")).toEqual([`article:${article}`]);
    // The other sorts answer with every kind (each index sorts on a number of the same meaning).
    for (const sort of ["active", "score"]) expect((await ids(`q=brambleton&sort=${sort}`)).sort()).toEqual(keys(all).sort());
  });

  test("only the hits shown are highlighted, yet every one is: each page of a search longer than a page keeps the merged order, its snippets and the count", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const questions: number[] = [];
    const pages: number[] = [];
    for (let i = 0; i < 7; i++) {
      questions.push(await createQuestion(t.db, { author, space, title: `Quillwort rota number ${i}`, body: `Who keeps the quillwort rota ${i} this week?` }));
      pages.push(await createPage({ space, author, title: `Quillwort handbook part ${i}`, body: `The quillwort handbook, part ${i}, says who is on call.` }));
    }
    await indexAll();

    // The order a single federated request gives, with nothing formatted: what the page must keep.
    const ranked = await client.multiSearch({
      federation: { limit: 20 },
      queries: [
        { indexUid: indexName("question", prefix), q: "quillwort", filter: `spaceId = ${space.id}`, attributesToRetrieve: ["id"] },
        { indexUid: indexName("idea", prefix), q: "quillwort", filter: `spaceId = ${space.id}`, attributesToRetrieve: ["id"] },
        { indexUid: indexName("wiki_page", prefix), q: "quillwort", filter: `spaceId = ${space.id}`, attributesToRetrieve: ["id"] },
        { indexUid: indexName("article", prefix), q: "quillwort", filter: `spaceId = ${space.id}`, attributesToRetrieve: ["id"] },
      ],
    });
    const kindOf: Record<string, string> = { [indexName("question", prefix)]: "question", [indexName("wiki_page", prefix)]: "page" };
    const expected = ranked.hits.map((h) => `${kindOf[h._federation!.indexUid]}:${h.id}`);
    expect(expected).toHaveLength(14);

    const first = await run(author, "q=quillwort", 5);
    const second = await run(author, "q=quillwort&page=2", 5);
    const last = await run(author, "q=quillwort&page=3", 5);
    expect(first.total).toBe(14);
    expect(first.totalPages).toBe(3);
    expect([...keys(first), ...keys(second), ...keys(last)]).toEqual(expected);
    for (const hit of [...first.hits, ...second.hits, ...last.hits]) {
      expect(matched(hit.title)).toEqual(["quillwort"]);
      expect(matched(hit.snippet)).toEqual(["quillwort"]);
    }
    expect(facet(first.facets.type)).toEqual([
      ["question", "Questions", 7],
      ["page", "Wiki pages", 7],
    ]);
  });

  test("a restricted space's pages and articles never reach an outsider: not a hit, a count or a word; a member finds them until removed", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { name: "Project Vantablack", members: [insider] }, "restricted");
    const open = await createSpace(t.db, { name: "Everyone" });
    const hiddenPage = await createPage({ space: secret, author: insider, title: "Vantablack launch runbook", body: "The codename ships on Friday." });
    const hiddenArticle = await createArticle({ space: secret, author: insider, title: "Why vantablack matters", body: "A secret roadmap." });
    const visiblePage = await createPage({ space: open, author: outsider, title: "Vantablack paint for the lobby" });
    await indexAll();

    const theirs = await run(outsider, "q=vantablack");
    expect(keys(theirs)).toEqual([`page:${visiblePage}`]);
    expect(facet(theirs.facets.type)).toEqual([["page", "Wiki pages", 1]]);
    expect(facet(theirs.facets.space)).toEqual([[open.slug, "Everyone", 1]]);
    expect(JSON.stringify(theirs)).not.toMatch(/runbook|codename|secret roadmap|matters|Project Vantablack/);
    expect((await run(outsider, "type=article")).hits.map((h) => h.id)).not.toContain(hiddenArticle);
    expect((await run(outsider, `q=vantablack&space=${secret.slug}`)).total).toBe(0);
    for (const nobody of [await createUser(t.db, {}, "customer"), await createUser(t.db, {}, "deactivated")]) {
      expect((await run(nobody, "q=vantablack")).total).toBe(0);
    }

    expect(keys(await run(insider, "q=codename"))).toEqual([`page:${hiddenPage}`]);
    expect(keys(await run(insider, "q=roadmap"))).toEqual([`article:${hiddenArticle}`]);
    expect(keys(await run(admin, "q=vantablack")).sort()).toEqual([`page:${hiddenPage}`, `article:${hiddenArticle}`, `page:${visiblePage}`].sort());

    await removeSpaceMember(t.db, admin, secret.id, insider.id);
    expect((await run(insider, "q=codename")).total).toBe(0);
    expect((await run(insider, "q=roadmap")).total).toBe(0);
  });

  test("a deleted page leaves search at once, before the relay runs, and the index after", async () => {
    const author = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createPage({ space, author, title: "Decommissioned grimsby server notes" });
    const kept = await createPage({ space, author, title: "The new grimsby server" });
    await indexAll();
    expect(keys(await run(reader, "q=grimsby")).sort()).toEqual([`page:${id}`, `page:${kept}`].sort());

    await t.db.update(wikiPages).set({ deletedAt: new Date(), deletedById: author.id }).where(eq(wikiPages.id, id));
    await queue("wiki_page", [id]);
    expect(await doc("wiki_page", id)).not.toBeNull();
    expect(keys(await run(reader, "q=grimsby"))).toEqual([`page:${kept}`]);
    expect(keys(await run(await createUser(t.db, {}, "admin"), "q=grimsby"))).toEqual([`page:${kept}`]);
    await indexAll();
    expect(await doc("wiki_page", id)).toBeNull();

    // A page moved to a restricted space is checked against its space of now, before the relay runs.
    const secret = await createSpace(t.db, {}, "restricted");
    await t.db.update(wikiPages).set({ spaceId: secret.id }).where(eq(wikiPages.id, kept));
    await queue("wiki_page", [kept]);
    expect((await run(reader, "q=grimsby")).hits).toEqual([]);
    await indexAll();
    expect(await doc("wiki_page", kept)).toMatchObject({ spaceId: secret.id });
  });
});

describe("freshness in the ranking", () => {
  test("of pages matching the same words equally, the verified fresh one comes first, the never-verified next, the stale one last and marked 'needs review'", async () => {
    const author = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const text = { title: "Zorblat expense policy", body: "How to claim zorblat expenses and who approves them." };
    // Written in the order opposite to the expected one: with equal relevance Meilisearch would
    // otherwise keep the order the documents were added in.
    const stale = await createPage({ space, author, ...text, verifiedAt: daysFromNow(-200), reviewDueAt: daysFromNow(-20) });
    const unverified = await createPage({ space, author, ...text });
    const fresh = await createPage({ space, author, ...text, verifiedAt: daysFromNow(-1), reviewDueAt: daysFromNow(60) });
    await indexAll();

    const found = await run(reader, "q=zorblat expense");
    expect(keys(found)).toEqual([`page:${fresh}`, `page:${unverified}`, `page:${stale}`]);
    const now = Date.now();
    const pages = found.hits as PageHit[];
    expect(pages.map((h) => pageReview(h, now))).toEqual(["verified", null, "needs_review"]);

    // The result list says so in words.
    const html = render(createElement(SearchResultList, { hits: found.hits, now }));
    const items = [...new JSDOM(html).window.document.querySelectorAll("li")].map((li) => li.textContent ?? "");
    expect(items[0]).toContain("Verified");
    expect(items[0]).not.toContain("Needs review");
    expect(items[1]).not.toMatch(/Verified|Needs review/);
    expect(items[2]).toContain("Needs review");
    expect(items.every((item) => item.includes("Wiki page"))).toBe(true);

    // A chosen sort orders strictly by its value: freshness only breaks ties of relevance.
    await t.db
      .update(wikiPages)
      .set({ createdAt: new Date(Date.now() + 60_000) })
      .where(eq(wikiPages.id, stale));
    await queue("wiki_page", [stale]);
    await indexAll();
    expect(keys(await run(reader, "q=zorblat expense&sort=newest"))).toEqual([`page:${stale}`, `page:${fresh}`, `page:${unverified}`]);
  });

  test("'needs review' is worked out when shown, so it is right before the page is indexed again; the reconcile then queues the page, whose rank follows", async () => {
    const author = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const text = { title: "Quarnix onboarding checklist", body: "Everything a quarnix starter needs in week one." };
    const unverified = await createPage({ space, author, ...text });
    const soon = await createPage({ space, author, ...text, verifiedAt: daysFromNow(-30), reviewDueAt: new Date(Date.now() + 60 * 60_000) });
    await indexAll();
    const before = await run(reader, "q=quarnix onboarding");
    expect(keys(before)).toEqual([`page:${soon}`, `page:${unverified}`]);
    const hit = before.hits[0] as PageHit;
    expect(pageReview(hit, Date.now())).toBe("verified");
    // Two hours later the same hit, from the same document, says it needs review.
    const later = Date.now() + 2 * 60 * 60_000;
    expect(pageReview(hit, later)).toBe("needs_review");
    expect(render(createElement(SearchResultList, { hits: [hit], now: later }))).toContain("Needs review");

    // The review came due without a write (no outbox row, `updated_at` untouched): the reconcile
    // sees the document's freshness differ from the page's and queues it.
    await t.db.execute(sql`update wiki_pages set review_due_at = now() - interval '1 minute' where id = ${soon}`);
    const drift = await reconcileIndexes(t.db, client, { prefix, kinds: ["wiki_page"] });
    expect(drift.wiki_page).toMatchObject({ stale: 1, missing: 0, extra: 0, queued: 1 });
    await indexAll();
    expect(await doc("wiki_page", soon)).toMatchObject({ freshness: 0 });
    expect(keys(await run(reader, "q=quarnix onboarding"))).toEqual([`page:${unverified}`, `page:${soon}`]);
    expect((await reconcileIndexes(t.db, client, { prefix, kinds: ["wiki_page"] })).wiki_page.queued).toBe(0);
  });
});

describe("similar content while asking", () => {
  test("a wiki page matching the title is offered, first, beside the similar questions; a restricted one only to members", async () => {
    const author = await createUser(t.db);
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, { name: "IT help" });
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    const question = await createQuestion(t.db, { author, space, title: "How do I reset my wombler token on a new laptop?" });
    const page = await createPage({
      space,
      author,
      title: "Resetting your wombler token on a new laptop",
      body: "Open the wombler portal, choose reset token, then sign in on the new laptop.",
      verifiedAt: daysFromNow(-3),
      reviewDueAt: daysFromNow(30),
    });
    const hidden = await createPage({ space: secret, author: insider, title: "Reset the wombler token on a new lab laptop" });
    await createPage({ space, author, title: "Ordering sandwiches for the all-hands" });
    await indexAll();

    const found = await similarContent(t.db, client, outsider, "reset wombler token on a new laptop", { prefix });
    expect(found?.pages[0]).toEqual({
      id: page,
      url: `/wiki/${page}/resetting-your-wombler-token-on-a-new-laptop`,
      title: "Resetting your wombler token on a new laptop",
      space: { slug: space.slug, name: "IT help" },
      verified: true,
      reviewDueAt: expect.any(Number),
    });
    expect(found!.pages.map((p) => p.id)).not.toContain(hidden);
    expect(found!.questions.map((q) => q.id)).toContain(question);
    expect((await similarContent(t.db, client, insider, "reset wombler token on a new laptop", { prefix }))?.pages.map((p) => p.id)).toContain(hidden);
    expect(await similarContent(t.db, client, outsider, "Ordering new office chairs in bulk", { prefix })).toEqual({ questions: [], pages: [] });

    // On the ask page the page comes first, labelled as a wiki page, and says it is verified.
    const html = render(createElement(SimilarQuestions, { lookup: { state: "ok", questions: found!.questions, pages: found!.pages, at: Date.now() } }));
    const list = new JSDOM(html).window.document;
    expect(list.querySelector("h2")?.textContent).toBe("Similar questions and wiki pages");
    const items = [...list.querySelectorAll("li")];
    expect(items[0]?.textContent).toMatch(/^Wiki page.*Resetting your wombler token.*Verified/);
    expect(items.slice(1).some((li) => li.textContent?.includes("How do I reset my wombler token"))).toBe(true);
    expect(items[0]?.querySelector("a")?.getAttribute("href")).toBe(`/wiki/${page}/resetting-your-wombler-token-on-a-new-laptop`);

    // Deleted a moment ago: no longer offered, before the relay runs.
    await t.db.update(wikiPages).set({ deletedAt: new Date() }).where(eq(wikiPages.id, page));
    expect((await similarContent(t.db, client, outsider, "reset wombler token on a new laptop", { prefix }))?.pages.map((p) => p.id)).not.toContain(page);
  });
});

describe("rebuilding, reconciling, dead letters", () => {
  test("a full rebuild includes every live page and every published article, with their settings", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const page = await createPage({ space, author, title: "Rebuild me: the snorkack page", verifiedAt: daysFromNow(-1) });
    const deletedPage = await createPage({ space, author, title: "A deleted snorkack page" });
    await t.db.update(wikiPages).set({ deletedAt: new Date() }).where(eq(wikiPages.id, deletedPage));
    const article = await createArticle({ space, author, title: "Rebuild me: the snorkack article" });
    await createArticle({ space, author, title: "A snorkack draft", status: "draft" });

    const result = await reindexAll(t.db, client, { prefix, kinds: ["wiki_page", "article"] });
    const livePages = (
      await t.db
        .select({ id: wikiPages.id })
        .from(wikiPages)
        .where(sql`${wikiPages.deletedAt} is null`)
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    const liveArticles = (
      await t.db
        .select({ id: articles.id })
        .from(articles)
        .where(sql`${articles.status} = 'published' and ${articles.deletedAt} is null`)
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(result.wiki_page.documents).toBe(livePages.length);
    expect(result.article.documents).toBe(liveArticles.length);
    const idsIn = async (kind: "wiki_page" | "article") =>
      (await client.index(indexName(kind, prefix)).getDocuments({ limit: 10_000, fields: ["id"] })).results.map((d) => Number(d.id)).sort((a, b) => a - b);
    expect(await idsIn("wiki_page")).toEqual(livePages);
    expect(await idsIn("article")).toEqual(liveArticles);
    // The rebuilt indexes have their settings: filters on freshness and type work.
    const fresh = await client.index(indexName("wiki_page", prefix)).search("snorkack", { filter: ["freshness = 2", 'type = "page"'] });
    expect(fresh.hits.map((h) => h.id)).toEqual([page]);
    const found = await client.index(indexName("article", prefix)).search("snorkack", { filter: ['type = "article"'] });
    expect(found.hits.map((h) => h.id)).toEqual([article]);
    await indexAll();
  });

  test("the reconcile finds missing, stale and extra page and article documents, and the relay repairs them", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const a = await createPage({ space, author, title: "Reconcile page alpha" });
    const b = await createPage({ space, author, title: "Reconcile page beta" });
    const article = await createArticle({ space, author, title: "Reconcile article" });
    await indexAll();
    const clean = await reconcileIndexes(t.db, client, { prefix, kinds: ["wiki_page", "article"] });
    expect(clean.wiki_page).toMatchObject({ missing: 0, stale: 0, extra: 0, queued: 0 });
    expect(clean.article).toMatchObject({ missing: 0, stale: 0, extra: 0, queued: 0 });

    const pagesIndex = client.index(indexName("wiki_page", prefix));
    await pagesIndex.deleteDocument(a).waitTask();
    await pagesIndex.updateDocuments([{ id: b, version: 1, title: "An old title" }]).waitTask();
    await pagesIndex.addDocuments([{ id: 999_999, type: "page", spaceId: space.id, title: "Written around the outbox", version: 1, freshness: 1 }]).waitTask();
    // Unpublished without the outbox: the article's document is left over.
    await t.db.execute(sql`update articles set status = 'draft' where id = ${article}`);

    const drift = await reconcileIndexes(t.db, client, { prefix, kinds: ["wiki_page", "article"] });
    expect(drift.wiki_page).toMatchObject({ missing: 1, stale: 1, extra: 1, queued: 3 });
    expect(drift.article).toMatchObject({ extra: 1, queued: 1 });
    await indexAll();
    expect(await doc("wiki_page", a)).toMatchObject({ title: "Reconcile page alpha" });
    expect(await doc("wiki_page", b)).toMatchObject({ title: "Reconcile page beta" });
    expect(await doc("wiki_page", 999_999)).toBeNull();
    expect(await doc("article", article)).toBeNull();
  });

  test("a page's or an article's dead letter names it, for admins who may see it", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const moderator = await createUser(t.db, {}, "moderator");
    const secret = await createSpace(t.db, {}, "restricted");
    const page = await createPage({ space: secret, author: admin, title: "A page the index refused" });
    const article = await createArticle({ space: secret, author: admin, title: "An article the index refused" });
    await indexAll();
    await queue("wiki_page", [page]);
    await queue("article", [article]);
    const rows = await t.db.update(outbox).set({ status: "dead", attempts: 8 }).where(eq(outbox.status, "pending")).returning({ id: outbox.id });
    expect(rows).toHaveLength(2);
    const forAdmin = await deadLetters(t.db, admin, 1);
    expect(forAdmin.rows.find((r) => r.kind === "wiki_page" && r.itemId === page)?.item).toEqual({ label: "A page the index refused", url: `/wiki/${page}/a-page-the-index-refused` });
    expect(forAdmin.rows.find((r) => r.kind === "article" && r.itemId === article)?.item).toEqual({
      label: "An article the index refused",
      url: `/articles/${article}/an-article-the-index-refused`,
    });
    const forModerator = await deadLetters(t.db, moderator, 1);
    expect(forModerator.rows.filter((r) => r.itemId === page || r.itemId === article).map((r) => r.item)).toEqual([null, null]);
    await t.db.delete(outbox).where(
      inArray(
        outbox.id,
        rows.map((r) => r.id),
      ),
    );
  });

  test("liveHits: ids PostgreSQL cannot hold match nothing; pages and articles are checked with the rest", async () => {
    const reader = await createUser(t.db);
    const live = await liveHits(t.db, reader, { question: [], idea: [], person: [], page: [0, -1, 2 ** 40], article: [1.5, Number.NaN] });
    expect(live.page.size + live.article.size).toBe(0);
  });
});

const payloads = JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;

/** Elements the result list itself renders; anything else would have come from the text. */
const RESULT_ELEMENTS = new Set(["div", "ul", "li", "article", "h3", "span", "a", "p", "mark", "time", "svg", "path", "circle", "line", "polyline"]);

describe("XSS: every payload in a page's or an article's title and text comes out of search as text", () => {
  test("found, highlighted and rendered: only the list's own elements, no handler, links only to our pages; titles read back as written", { timeout: 120_000 }, async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const rows = payloads.map(({ payload }, i) => {
      const title = `xylophant ${i} ${payload}`;
      let html: string;
      try {
        html = renderMarkdown(`xylophant ${payload}`);
      } catch {
        // Refused by the markdown module: the wiki would not have stored it; keep the text escaped.
        html = `<p>${escapeHtml(payload)}</p>`;
      }
      return { title, html, body: payload };
    });
    const pageIds = await t.db
      .insert(wikiPages)
      .values(rows.map((r, i) => ({ spaceId: space.id, slug: `xss-${i}`, title: r.title, body: r.body, bodyHtml: r.html, authorId: author.id })))
      .returning({ id: wikiPages.id, title: wikiPages.title });
    const articleIds = await t.db
      .insert(articles)
      .values(rows.map((r) => ({ spaceId: space.id, authorId: author.id, status: "published" as const, publishedAt: new Date(), title: r.title, body: r.body, bodyHtml: r.html })))
      .returning({ id: articles.id, title: articles.title });
    await queue(
      "wiki_page",
      pageIds.map((r) => r.id),
    );
    await queue(
      "article",
      articleIds.map((r) => r.id),
    );
    const titles = new Map<string, string>([...pageIds.map((r) => [`page:${r.id}`, r.title] as const), ...articleIds.map((r) => [`article:${r.id}`, r.title] as const)]);
    await indexAll();

    const found = await run(author, "q=xylophant", 1000);
    expect(found.hits).toHaveLength(payloads.length * 2);
    const html = render(createElement(SearchResultList, { hits: found.hits, now: Date.now() }));
    const document = new JSDOM(`<!doctype html><body>${html}</body>`).window.document;
    for (const el of document.body.querySelectorAll("*")) {
      expect(RESULT_ELEMENTS.has(el.localName), `<${el.localName}>`).toBe(true);
      for (const attr of el.attributes) expect(attr.name.startsWith("on"), `${attr.name} on <${el.localName}>`).toBe(false);
      if (el.localName === "a") expect(el.getAttribute("href")).toMatch(/^\/[a-z]/);
    }
    // One <article> per hit, in order; each title reads back exactly as written (the highlight
    // only wraps the matched word; the HTML parser reads a carriage return as a line feed, which
    // is not markup).
    const results = [...document.querySelectorAll("article")];
    expect(results).toHaveLength(found.hits.length);
    for (const [i, hit] of found.hits.entries()) {
      const heading = results[i]!.querySelector("h3")?.textContent ?? "";
      expect(heading.replace(/^(Wiki page|Article)/, ""), `${hit.type}:${hit.id}`).toBe(titles.get(`${hit.type}:${hit.id}`)?.replace(/\r\n?/g, "\n"));
    }
  });
});

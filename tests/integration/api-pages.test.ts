import { beforeAll, describe, expect, test } from "vitest";
import { CursorError } from "#app/features/api/endpoint.server.ts";
import { pageEndpoints } from "#app/features/api/resources/pages.server.ts";
import { deletePage } from "#app/features/wiki/pages.server.ts";
import { verifyPage } from "#app/features/wiki/verification.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { endpointCaller } from "#tests/api-endpoints.ts";
import { setupTestDb } from "#tests/db.ts";
import { createArticle } from "#tests/factories/articles.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { thrown } from "#tests/helpers.ts";
import { payloads, problems } from "#tests/xss-render.ts";

/**
 * The REST API's pages and articles resource (issue 21): wiki pages through `pageView`, articles
 * through `articlePage`, lists with the same visibility in keyset order. Handlers are called as the
 * router calls them, through the endpoints' own schemas.
 */
const t = setupTestDb();
const { endpoint, call } = endpointCaller(t, pageEndpoints);

type Person = Awaited<ReturnType<typeof createUser>>;
let author: Person;
let member: Person;
let outsider: Person;
let customer: Person;
let deactivated: Person;
let openSpace: Awaited<ReturnType<typeof createSpace>>;
let secretSpace: Awaited<ReturnType<typeof createSpace>>;
let secretPage: number;
let openPage: number;
let openArticle: number;
let secretArticle: number;
let draftArticle: number;

beforeAll(async () => {
  author = await createUser(t.db, { name: "Ada Author", title: "Staff Engineer" });
  member = await createUser(t.db, { name: "Mia Member" });
  outsider = await createUser(t.db, { name: "Otto Outsider" });
  customer = await createUser(t.db, {}, "customer");
  deactivated = await createUser(t.db, {}, "deactivated");
  openSpace = await createSpace(t.db);
  secretSpace = await createSpace(t.db, { members: [author, member] }, "restricted");
  secretPage = await createWikiPage(t.db, { author, space: secretSpace, title: "Acquisition plan", body: "Who we are buying, and when." });
  openPage = await createWikiPage(t.db, { author, space: openSpace, title: "Onboarding guide", body: "Start here. See also [[Acquisition plan]] for the **big** picture.", tags: [] });
  openArticle = await createArticle(t.db, { author, space: openSpace, title: "How we run incident reviews" });
  secretArticle = await createArticle(t.db, { author, space: secretSpace, title: "What the acquisition means for us" });
  draftArticle = await createArticle(t.db, { author, space: openSpace, title: "A draft nobody else should read" }, "draft");
});

describe("wiki pages", () => {
  test("a page: its markdown, the reader's HTML, owners and review dates; a restricted one is a 404 for a non-member", async () => {
    await verifyPage(t.db, author, openPage, { intervalDays: 90 });
    const page = await call("getPage", member, { params: { id: String(openPage) } });
    expect(page).toMatchObject({
      id: openPage,
      title: "Onboarding guide",
      body: "Start here. See also [[Acquisition plan]] for the **big** picture.",
      space: { slug: openSpace.slug },
      author: { id: author.id, name: "Ada Author", title: "Staff Engineer" },
      owners: [{ id: author.id }],
      verified: true,
      needsReview: false,
      deleted: false,
      verification: { verifiedBy: { id: author.id }, reviewIntervalDays: 90 },
    });
    expect(Date.parse(page.verification.reviewDueAt) - Date.parse(page.verification.verifiedAt)).toBe(90 * 86_400_000);
    expect(page.url).toMatch(new RegExp(`^https?://[^/]+/wiki/${openPage}/onboarding-guide$`));
    // The member sees the link to the restricted page; the outsider sees its title as text only.
    expect(page.bodyHtml).toMatch(new RegExp(`href="/wiki/${secretPage}/`));
    const asOutsider = await call("getPage", outsider, { params: { id: String(openPage) } });
    expect(asOutsider.bodyHtml).not.toMatch(new RegExp(`/wiki/${secretPage}`));
    expect(asOutsider.bodyHtml).toContain("Acquisition plan");

    expect((await call("getPage", member, { params: { id: String(secretPage) } })).title).toBe("Acquisition plan");
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("getPage", who, { params: { id: String(secretPage) } }))).toBeInstanceOf(NotFoundError);
    }
    expect(await thrown(call("getPage", member, { params: { id: "2147483647" } }))).toBeInstanceOf(NotFoundError);
  });

  test("a deleted page is a 404 but for its owners, and leaves the space's list", async () => {
    const gone = await createWikiPage(t.db, { author, space: openSpace, title: "Old expense rules" });
    await deletePage(t.db, author, gone);
    expect(await thrown(call("getPage", member, { params: { id: String(gone) } }))).toBeInstanceOf(NotFoundError);
    expect((await call("getPage", author, { params: { id: String(gone) } })).deleted).toBe(true);
    const listed = await call("listSpacePages", member, { params: { slug: openSpace.slug }, query: { limit: "100" } });
    expect(listed.data.map((p: { id: number }) => p.id)).not.toContain(gone);
  });

  test("a space's pages page by cursor and stay stable when pages are written between pages; a restricted space is a 404", async () => {
    const space = await createSpace(t.db);
    const made: number[] = [];
    for (let i = 0; i < 5; i++) made.push(await createWikiPage(t.db, { author, space }));
    const first = await call("listSpacePages", member, { params: { slug: space.slug }, query: { limit: "2" } });
    expect(first.data.map((p: { id: number }) => p.id)).toEqual(made.slice(0, 2));
    const late = await createWikiPage(t.db, { author, space });
    const rest: number[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await call("listSpacePages", member, { params: { slug: space.slug }, query: { limit: "2", cursor } });
      rest.push(...page.data.map((p: { id: number }) => p.id));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual([...made.slice(2), late]);

    expect((await call("listSpacePages", member, { params: { slug: secretSpace.slug } })).data.map((p: { id: number }) => p.id)).toEqual([secretPage]);
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("listSpacePages", who, { params: { slug: secretSpace.slug } }))).toBeInstanceOf(NotFoundError);
    }
    expect(await thrown(call("listSpacePages", member, { params: { slug: "no-such-space" } }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call("listSpacePages", member, { params: { slug: space.slug }, query: { cursor: "bm90IGpzb24" } }))).toBeInstanceOf(CursorError);
    expect(endpoint("listSpacePages").params!.safeParse({ slug: "s".repeat(101) }).success).toBe(false);
  });

  test("every XSS payload in a page comes back inert, in the reader's HTML", { timeout: 180_000 }, async () => {
    const space = await createSpace(t.db);
    let stored = 0;
    for (const [i, { payload }] of payloads.entries()) {
      let id: number;
      try {
        id = await createWikiPage(t.db, { author, space, title: `Payload page ${i}`, body: payload.trim() || `Payload ${i}` });
      } catch (error) {
        if (error instanceof InputError) continue;
        throw error;
      }
      const page = await call("getPage", member, { params: { id: String(id) } });
      expect(problems(page.bodyHtml, { headingAnchors: true }), payload).toEqual([]);
      stored++;
    }
    expect(stored).toBeGreaterThan(payloads.length / 2);
  });
});

describe("articles", () => {
  test("the feed lists published articles in spaces the reader may see, newest first; never drafts", async () => {
    const ids = async (who: Person, query: Record<string, string> = {}) => (await call("listArticles", who, { query: { limit: "100", ...query } })).data.map((a: { id: number }) => a.id);
    expect(await ids(member)).toEqual([secretArticle, openArticle]);
    expect(await ids(outsider)).toEqual([openArticle]);
    expect(await ids(author)).not.toContain(draftArticle);
    expect(await ids(customer)).toEqual([]);
    expect(await ids(deactivated)).toEqual([]);
    expect(await ids(member, { space: openSpace.slug })).toEqual([openArticle]);
    const [listed] = (await call("listArticles", outsider)).data;
    expect(listed).toMatchObject({ id: openArticle, type: "knowledge", author: { id: author.id, name: "Ada Author" }, space: { slug: openSpace.slug } });
    expect(listed.url).toMatch(new RegExp(`^https?://[^/]+/articles/${openArticle}/how-we-run-incident-reviews$`));
  });

  test("the feed pages by cursor, stable when articles are published between pages", async () => {
    const space = await createSpace(t.db);
    const made: number[] = [];
    for (let i = 0; i < 4; i++) made.push(await createArticle(t.db, { author, space }));
    const first = await call("listArticles", member, { query: { space: space.slug, limit: "3" } });
    expect(first.data.map((a: { id: number }) => a.id)).toEqual([made[3], made[2], made[1]]);
    await createArticle(t.db, { author, space });
    const second = await call("listArticles", member, { query: { space: space.slug, limit: "3", cursor: first.nextCursor } });
    expect(second.data.map((a: { id: number }) => a.id)).toEqual([made[0]]);
    expect(second.nextCursor).toBeNull();
    expect(await thrown(call("listArticles", member, { query: { cursor: Buffer.from(JSON.stringify({ id: 1 })).toString("base64url") } }))).toBeInstanceOf(CursorError);
    for (const query of [{ type: "memo" }, { tag: "t".repeat(36) }, { limit: "-1" }]) expect(endpoint("listArticles").query!.safeParse(query).success).toBe(false);
  });

  test("one article: its markdown and HTML; a draft only for its author; a restricted one a 404 for a non-member", async () => {
    const article = await call("getArticle", outsider, { params: { id: String(openArticle) } });
    expect(article).toMatchObject({ id: openArticle, status: "published", title: "How we run incident reviews", author: { id: author.id }, deleted: false });
    expect(article.body).toMatch(/^What we learned in article/);
    expect(article.bodyHtml).toMatch(/^<p>What we learned/);
    expect((await call("getArticle", author, { params: { id: String(draftArticle) } })).status).toBe("draft");
    for (const who of [member, outsider, customer, deactivated]) {
      expect(await thrown(call("getArticle", who, { params: { id: String(draftArticle) } }))).toBeInstanceOf(NotFoundError);
    }
    expect((await call("getArticle", member, { params: { id: String(secretArticle) } })).id).toBe(secretArticle);
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("getArticle", who, { params: { id: String(secretArticle) } }))).toBeInstanceOf(NotFoundError);
    }
  });
});

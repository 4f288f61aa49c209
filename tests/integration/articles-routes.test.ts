import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { articles, articleViews, comments, follows } from "#db/schema/index.ts";
import { countArticleView, pruneArticleViews } from "#app/features/articles/views.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { action as articleAction, loader as articleLoader } from "#app/routes/articles/article.tsx";
import { loader as draftsLoader } from "#app/routes/articles/drafts.tsx";
import { action as editAction, loader as editLoader } from "#app/routes/articles/edit.tsx";
import { action as historyAction, loader as historyLoader } from "#app/routes/articles/history.tsx";
import { loader as feedLoader } from "#app/routes/articles/index.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/articles/new.tsx";
import { loader as spaceFeedLoader } from "#app/routes/articles/space-feed.tsx";
import { action as followPersonAction } from "#app/routes/people/follow.ts";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createArticle, createSpace, createUser, storedArticle } from "#tests/factories/index.ts";

/**
 * The article routes, called as React Router calls them, for each kind of reader: a member of a
 * restricted space reads, writes and follows; someone outside it gets the 404 of a missing article
 * and nothing is written; a customer is sent to their home page and a deactivated account to
 * sign-in before anything is looked up. Bad input comes back with the typed text.
 */
const t = setupTestDb();

type Handler = (args: never) => unknown;
type Reply = { data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } | null };
const call = (handler: Handler, request: Request, params: Record<string, string> = {}) =>
  Promise.resolve(handler({ request, context: routeContext(t.db).context, params } as never)) as Promise<Reply & Record<string, unknown>>;

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

async function redirected(promise: Promise<unknown>): Promise<string> {
  const target = redirectTarget(await thrown(promise));
  expect(target).not.toBeNull();
  return target!;
}

async function world() {
  const author = await createUser(t.db);
  const member = await createUser(t.db);
  const outsider = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const space = await createSpace(t.db, { members: [author, member] }, "restricted");
  const articleId = await createArticle(t.db, { author, space, title: "Our new travel policy" });
  const article = await storedArticle(t.db, articleId);
  const url = `/articles/${articleId}/our-new-travel-policy`;
  return { author, member, outsider, customer, gone, space, articleId, article, url };
}

const editFields = { type: "knowledge", title: "Our newer travel policy", body: "The policy text, changed a little bit.", tags: "", intent: "save" };

describe("who reaches the article routes", () => {
  test("a member of the restricted space reads the article, its feeds and history; its author edits it", async () => {
    const { author, member, space, articleId, url } = await world();
    const params = { articleId: String(articleId), slug: "our-new-travel-policy" };
    const page = await call(articleLoader, await requestAs(t.db, member, url), params);
    expect((page as unknown as { article: { id: number } }).article.id).toBe(articleId);
    const feed = await call(feedLoader, await requestAs(t.db, member, "/articles"));
    expect((feed.page as { rows: Array<{ id: number }> }).rows.map((r) => r.id)).toEqual([articleId]);
    const spaceFeed = await call(spaceFeedLoader, await requestAs(t.db, member, `/spaces/${space.slug}/articles`), { slug: space.slug });
    expect((spaceFeed.page as { rows: Array<{ id: number }> }).rows.map((r) => r.id)).toEqual([articleId]);
    expect(((await call(historyLoader, await requestAs(t.db, member, `/articles/${articleId}/history`), params)).revisions as unknown[]).length).toBe(1);
    expect(await call(editLoader, await requestAs(t.db, author, `/articles/${articleId}/edit`), params)).toMatchObject({ article: { id: articleId, status: "published" } });
    // Another member sees the article but may not edit it: a 403 with a message.
    expect(await thrown(call(editLoader, await requestAs(t.db, member, `/articles/${articleId}/edit`), params))).toMatchObject({ name: "ForbiddenError" });
    const edited = await redirected(call(editAction, await postAs(t.db, author, `/articles/${articleId}/edit`, editFields), params));
    expect(edited).toBe(`/articles/${articleId}/our-newer-travel-policy`);
    // The profile lists it for a member.
    const profile = await call(profileLoader, await requestAs(t.db, member, `/people/${author.id}`), { userId: String(author.id) });
    expect((profile.articles as { rows: Array<{ id: number }> }).rows.map((r) => r.id)).toEqual([articleId]);
  });

  test("someone outside the space gets the 404 of a missing article on every route, and nothing is written", async () => {
    const { author, outsider, space, articleId, url } = await world();
    const missing = String(2_000_000_000);
    for (const id of [String(articleId), missing]) {
      const params = { articleId: id, slug: "our-new-travel-policy" };
      expect(await thrown(call(articleLoader, await requestAs(t.db, outsider, url), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(editLoader, await requestAs(t.db, outsider, `/articles/${id}/edit`), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(editAction, await postAs(t.db, outsider, `/articles/${id}/edit`, editFields), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(historyLoader, await requestAs(t.db, outsider, `/articles/${id}/history`), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(historyAction, await postAs(t.db, outsider, `/articles/${id}/history`, { intent: "restore", revision: "1" }), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(articleAction, await postAs(t.db, outsider, url, { intent: "delete" }), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(articleAction, await postAs(t.db, outsider, url, { intent: "publish" }), params))).toBeInstanceOf(NotFoundError);
    }
    expect(await thrown(call(spaceFeedLoader, await requestAs(t.db, outsider, `/spaces/${space.slug}/articles`), { slug: space.slug }))).toEqual(
      await thrown(call(spaceFeedLoader, await requestAs(t.db, outsider, "/spaces/nope/articles"), { slug: "nope" })),
    );
    // Commenting on it is the 404 of a missing item.
    const { itemId } = await storedArticle(t.db, articleId);
    expect(
      await thrown(call(articleAction, await postAs(t.db, outsider, url, { intent: "comment", itemId: String(itemId), body: "Let me in" }), { articleId: String(articleId) })),
    ).toBeInstanceOf(NotFoundError);
    // Writing into the space is a 404 too.
    const fields = { space: space.slug, type: "knowledge", title: "Sneaking into the space", body: "This should never be stored anywhere.", intent: "publish" };
    expect(await thrown(call(newAction, await postAs(t.db, outsider, "/articles/new", fields)))).toBeInstanceOf(NotFoundError);
    // The feeds leave it out; the profile does not name it.
    expect(((await call(feedLoader, await requestAs(t.db, outsider, "/articles"))).page as { rows: unknown[] }).rows).toEqual([]);
    const profile = await call(profileLoader, await requestAs(t.db, outsider, `/people/${author.id}`), { userId: String(author.id) });
    expect(profile.articles).toEqual({ rows: [], total: 0 });
    expect(await t.db.$count(articles, eq(articles.authorId, outsider.id))).toBe(0);
    expect(await t.db.$count(comments, eq(comments.authorId, outsider.id))).toBe(0);
    expect((await storedArticle(t.db, articleId)).deletedAt).toBeNull();
  });

  test("customers go to their home page and deactivated accounts to sign-in, from every article route", async () => {
    const { author, customer, gone, space, articleId, url } = await world();
    const id = String(articleId);
    const routes: Array<[Handler, string, Record<string, string> | null, Record<string, string>]> = [
      [feedLoader, "/articles", null, {}],
      [spaceFeedLoader, `/spaces/${space.slug}/articles`, null, { slug: space.slug }],
      [draftsLoader, "/articles/drafts", null, {}],
      [newLoader, "/articles/new", null, {}],
      [newAction, "/articles/new", { space: space.slug, type: "knowledge", title: "A customer's article", body: "Customers never write articles here.", intent: "publish" }, {}],
      [articleLoader, url, null, { articleId: id, slug: "our-new-travel-policy" }],
      [articleAction, url, { intent: "delete" }, { articleId: id }],
      [editLoader, `/articles/${id}/edit`, null, { articleId: id }],
      [editAction, `/articles/${id}/edit`, editFields, { articleId: id }],
      [historyLoader, `/articles/${id}/history`, null, { articleId: id }],
      [historyAction, `/articles/${id}/history`, { intent: "restore", revision: "1" }, { articleId: id }],
      [followPersonAction, `/people/${author.id}/follow`, { intent: "follow" }, { userId: String(author.id) }],
    ];
    for (const [handler, path, fields, params] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer, params))), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone, params))), path).toMatch(/^\/sign-in/);
    }
    for (const user of [customer, gone]) {
      expect(await t.db.$count(articles, eq(articles.authorId, user.id))).toBe(0);
      expect(await t.db.$count(follows, eq(follows.userId, user.id))).toBe(0);
    }
  });
});

describe("writing through the forms", () => {
  test("bad input comes back with field errors and the typed text; nothing is written", async () => {
    const { member, space } = await world();
    const fields = { space: space.slug, type: "memo", title: "Hi", body: "Too short", tags: "ok, NOT A TAG!!", intent: "publish", submissionKey: "bad-input-key-1" };
    const reply = await call(newAction, await postAs(t.db, member, "/articles/new", fields));
    expect(reply.init?.status).toBe(400);
    const failure = reply.data as { fieldErrors: Record<string, string>; values: Record<string, string> };
    expect(Object.keys(failure.fieldErrors).sort()).toEqual(["body", "tags", "title", "type"]);
    expect(failure.values).toMatchObject({ title: "Hi", body: "Too short", tags: "ok, NOT A TAG!!" });

    // Scheduling without a time, or in the past: the time field says so.
    const good = { space: space.slug, type: "how_to", title: "How to book a room", body: "Open the calendar and pick a room that is free.", tags: "rooms" };
    const noTime = await call(newAction, await postAs(t.db, member, "/articles/new", { ...good, intent: "schedule", publishAt: "" }));
    expect((noTime.data as { fieldErrors: Record<string, string> }).fieldErrors.publishAt).toMatch(/when/);
    const past = await call(newAction, await postAs(t.db, member, "/articles/new", { ...good, intent: "schedule", publishAt: "2020-01-01T09:00" }));
    expect(past.init?.status).toBe(400);
    expect((past.data as { fieldErrors: Record<string, string>; values: Record<string, string> }).fieldErrors.publishAt).toMatch(/future/);
    expect((past.data as { values: Record<string, string> }).values.body).toBe(good.body);
    const nonsense = await call(newAction, await postAs(t.db, member, "/articles/new", { ...good, intent: "schedule", publishAt: "2030-02-30T09:00" }));
    expect((nonsense.data as { fieldErrors: Record<string, string> }).fieldErrors.publishAt).toMatch(/like/);
    // An unknown button is a form error, not a 500.
    expect((await call(newAction, await postAs(t.db, member, "/articles/new", { ...good, intent: "launch" }))).init?.status).toBe(400);
    expect(await t.db.$count(articles, eq(articles.authorId, member.id))).toBe(0);

    // Unknown intents on the article page answer 400.
    const { articleId, url } = await world();
    const unknown = await thrown(call(articleAction, await postAs(t.db, member, url, { intent: "launch" }), { articleId: String(articleId) }));
    expect((unknown as { init?: { status?: number } }).init?.status).toBe(400);
  });

  test("a draft, scheduled with a time in UTC, then published from its page; a double submit makes one article", async () => {
    const { member, space } = await world();
    const fields = {
      space: space.slug,
      type: "announcement",
      title: "The office moves in June",
      body: "We move to the new building on the first of June.",
      tags: "office",
      submissionKey: "double-key-123",
    };
    const [first, second] = await Promise.all([
      redirected(call(newAction, await postAs(t.db, member, "/articles/new", { ...fields, intent: "draft" }))),
      redirected(call(newAction, await postAs(t.db, member, "/articles/new", { ...fields, intent: "draft" }))),
    ]);
    expect(first).toBe(second);
    const [row] = await t.db.select().from(articles).where(eq(articles.authorId, member.id));
    expect(row).toMatchObject({ status: "draft", type: "announcement", tags: ["office"] });
    expect(first).toBe(`/articles/${row!.id}/the-office-moves-in-june`);
    const params = { articleId: String(row!.id), slug: "the-office-moves-in-june" };

    await redirected(call(articleAction, await postAs(t.db, member, first, { intent: "schedule", publishAt: "2099-06-01T08:30" }), params));
    expect(await storedArticle(t.db, row!.id)).toMatchObject({ status: "scheduled", publishAt: new Date("2099-06-01T08:30:00Z") });
    await redirected(call(articleAction, await postAs(t.db, member, first, { intent: "publish" }), params));
    expect((await storedArticle(t.db, row!.id)).status).toBe("published");
    // Published: it can't go back to a draft.
    const back = await call(articleAction, await postAs(t.db, member, first, { intent: "draft" }), params);
    expect(back.init?.status).toBe(400);
  });

  test("a stale slug redirects to the canonical URL; a view counts once per reader per hour", async () => {
    const { member, author, articleId } = await world();
    const params = { articleId: String(articleId) };
    expect(await redirected(call(articleLoader, await requestAs(t.db, member, `/articles/${articleId}/old-title?x=1`), { ...params, slug: "old-title" }))).toBe(
      `/articles/${articleId}/our-new-travel-policy?x=1`,
    );
    const slugged = { ...params, slug: "our-new-travel-policy" };
    const read = async (user: { id: number }) => call(articleLoader, await requestAs(t.db, user, `/articles/${articleId}/our-new-travel-policy`), slugged);
    expect(((await read(member)) as { article: { viewCount: number } }).article.viewCount).toBe(1);
    // The same reader again within the hour: not counted; another reader counts.
    await read(member);
    expect((await storedArticle(t.db, articleId)).viewCount).toBe(1);
    await read(author);
    expect((await storedArticle(t.db, articleId)).viewCount).toBe(2);
    // An hour later the first reader counts again, and the housekeeping forgets views older than that.
    expect(await countArticleView(t.db, member.id, articleId, new Date(Date.now() + 61 * 60_000))).toBe(3);
    expect(await pruneArticleViews(t.db, new Date(Date.now() + 121 * 60_000))).toBeGreaterThanOrEqual(2);
    expect(await t.db.select().from(articleViews).where(eq(articleViews.articleId, articleId))).toEqual([]);
  });

  test("following a person from their profile; a missing person is a 404", async () => {
    const { author, member } = await world();
    const follow = async (intent: string) => call(followPersonAction, await postAs(t.db, member, `/people/${author.id}/follow`, { intent }), { userId: String(author.id) });
    expect(await follow("follow")).toEqual({ following: true });
    const profile = await call(profileLoader, await requestAs(t.db, member, `/people/${author.id}`), { userId: String(author.id) });
    expect(profile.following).toBe(true);
    expect(await follow("unfollow")).toEqual({ following: false });
    expect(await t.db.$count(follows, eq(follows.userId, member.id))).toBe(0);
    expect(await thrown(call(followPersonAction, await postAs(t.db, member, "/people/2000000000/follow", { intent: "follow" }), { userId: "2000000000" }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(followPersonAction, await postAs(t.db, member, "/people/abc/follow", { intent: "follow" }), { userId: "abc" }))).toBeInstanceOf(NotFoundError);
  });
});

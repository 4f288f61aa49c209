import { and, count, eq, isNull } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { comments, follows, revisions, wikiPages, wikiTemplates } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { savePage } from "#app/features/wiki/pages.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { action as previewAction } from "#app/routes/api/preview.ts";
import { action as editAction, loader as editLoader } from "#app/routes/wiki/edit.tsx";
import { action as wikiFollowAction } from "#app/routes/wiki/follow.ts";
import { action as historyAction, loader as historyLoader } from "#app/routes/wiki/history.tsx";
import { action as moveAction, loader as moveLoader } from "#app/routes/wiki/move.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/wiki/new.tsx";
import { action as pageAction, loader as pageLoader } from "#app/routes/wiki/page.tsx";
import { loader as spaceWikiLoader } from "#app/routes/wiki/space-wiki.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * The wiki's routes, called the way React Router calls them: a member of a restricted space uses
 * each of them; someone outside the space gets the 404 of a missing page and writes nothing; a
 * customer is sent to their home page and a deactivated account to sign-in. Then the rules a
 * route adds to the feature: the stale-slug redirect, the edit conflict's form, restoring from
 * the history, moving, the preview.
 */
const t = setupTestDb();

type Reply = { data?: Record<string, unknown>; init?: { status?: number } } & Record<string, unknown>;
type Handler = (args: never) => unknown;
const run = (fn: Handler, request: Request, params: Record<string, string> = {}) => Promise.resolve(fn({ request, context: routeContext(t.db).context, params } as never)) as Promise<Reply>;

/** Where a route's thrown redirect goes (and its status), or null when it threw something else. */
async function redirectOf(promise: Promise<unknown>): Promise<{ to: string; status: number } | null> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof Response && error.status >= 300 && error.status < 400 ? { to: error.headers.get("Location") ?? "", status: error.status } : null;
}

async function redirected(promise: Promise<unknown>): Promise<string> {
  const target = await redirectOf(promise);
  expect(target, "expected a redirect").not.toBeNull();
  return target!.to;
}

/** A JSON POST from `user`'s browser (the preview's fetch). */
async function jsonPost(db: Db, user: { id: number } | null, path: string, body: unknown): Promise<Request> {
  const headers = new Headers({ origin: "http://localhost", "content-type": "application/json" });
  if (user) headers.set("cookie", `${SESSION_COOKIE}=${(await createSession(db, user.id)).token}`);
  return new Request(`http://localhost${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

async function stored(id: number) {
  const [row] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, id));
  return row!;
}

async function world() {
  const member = await createUser(t.db);
  const author = await createUser(t.db, { name: "Ana Author" });
  const outsider = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const space = await createSpace(t.db, { members: [member, author, gone] }, "restricted");
  const parent = await createWikiPage(t.db, { author, space, title: "Engineering handbook", body: "# Handbook\n\nStart here." });
  const child = await createWikiPage(t.db, { author, space, title: "On-call guide", body: "## Before\n\nx\n\n## During\n\ny\n\n## After\n\nz", parentId: parent });
  return { member, author, outsider, customer, gone, space, parent, child };
}

/** Everything a person could have written through the wiki's routes. */
async function writesBy(userId: number) {
  const [pages] = await t.db.select({ n: count() }).from(wikiPages).where(eq(wikiPages.authorId, userId));
  const [revs] = await t.db.select({ n: count() }).from(revisions).where(eq(revisions.editorId, userId));
  const [follow] = await t.db.select({ n: count() }).from(follows).where(eq(follows.userId, userId));
  const [said] = await t.db.select({ n: count() }).from(comments).where(eq(comments.authorId, userId));
  return { pages: pages!.n, revisions: revs!.n, follows: follow!.n, comments: said!.n };
}

describe("a member of the restricted space", () => {
  test("reads the wiki, writes, edits, comments, follows, moves, restores and deletes through every route", async () => {
    const { member, author, space, parent, child } = await world();
    const slug = space.slug;

    const home = await run(spaceWikiLoader, await requestAs(t.db, member, `/spaces/${slug}/wiki`), { slug });
    // The home lists the top of the tree with how many subpages each has; a page's sidebar opens its branch.
    expect((home.tree as Array<{ title: string; subpages: number }>).map((n) => [n.title, n.subpages])).toEqual([["Engineering handbook", 1]]);
    expect(home.pageCount).toBe(2);

    // The new page form, prefilled from a "create this page" link and a parent.
    const form = await run(newLoader, await requestAs(t.db, member, `/spaces/${slug}/wiki/new?title=Laptop%20policy&parent=${parent}`), { slug });
    expect(form.prefill).toMatchObject({ title: "Laptop policy", parentId: parent, templateId: null });
    const created = await redirected(
      run(newAction, await postAs(t.db, member, `/spaces/${slug}/wiki/new`, { title: "Laptop policy", body: "See [[On-call guide]].", parentId: String(parent), tags: "laptops" }), {
        slug,
      }),
    );
    expect(created).toMatch(/^\/wiki\/\d+\/laptop-policy$/);
    const newId = Number(created.split("/")[2]);
    expect(await stored(newId)).toMatchObject({ parentId: parent, tags: ["laptops"], authorId: member.id });

    // The page: breadcrumbs, tree, TOC, "linked from", permissions.
    const childUrl = `/wiki/${child}/on-call-guide`;
    const view = await run(pageLoader, await requestAs(t.db, member, childUrl), { pageId: String(child), slug: "on-call-guide" });
    const page = view.page as { title: string; toc: unknown[]; bodyHtml: string };
    expect(page.title).toBe("On-call guide");
    expect(page.toc).toHaveLength(3);
    expect(page.bodyHtml).toContain('<h2 id="h-before">');
    expect((view.breadcrumbs as Array<{ title: string }>).map((b) => b.title)).toEqual(["Engineering handbook"]);
    expect((view.backlinks as Array<{ id: number }>).map((b) => b.id)).toEqual([newId]);
    expect(view.permissions).toMatchObject({ canEdit: true, canManage: false });

    // Edit and the history.
    const edit = await run(editLoader, await requestAs(t.db, member, `/wiki/${child}/edit`), { pageId: String(child) });
    expect(edit.page).toMatchObject({ revisionCount: 1 });
    const saved = await redirected(
      run(
        editAction,
        await postAs(t.db, member, `/wiki/${child}/edit`, {
          title: "On-call guide",
          body: "## Before\n\nx\n\n## During\n\ny, calmly\n\n## After\n\nz",
          baseRevision: "1",
          comment: "calmer",
        }),
        {
          pageId: String(child),
        },
      ),
    );
    expect(saved).toBe(childUrl);
    const history = await run(historyLoader, await requestAs(t.db, member, `/wiki/${child}/history?view=split`), { pageId: String(child) });
    expect((history.revisions as Array<{ number: number; comment: string }>).map((r) => [r.number, r.comment])).toEqual([
      [2, "calmer"],
      [1, ""],
    ]);
    expect(history.view).toBe("split");
    expect(
      await redirected(run(historyAction, await postAs(t.db, member, `/wiki/${child}/history`, { intent: "restore", revision: "1", baseRevision: "2" }), { pageId: String(child) })),
    ).toBe(childUrl);
    expect(await stored(child)).toMatchObject({ revisionCount: 3, body: "## Before\n\nx\n\n## During\n\ny\n\n## After\n\nz" });

    // Comment, follow the page's wiki, move.
    const commented = await redirected(
      run(pageAction, await postAs(t.db, member, childUrl, { intent: "comment", itemId: String((await stored(child)).itemId), body: "Who is on call this week?" }), {
        pageId: String(child),
        slug: "on-call-guide",
      }),
    );
    expect(commented).toMatch(new RegExp(`^/wiki/${child}/on-call-guide#comment-\\d+$`));
    expect(await run(wikiFollowAction, await postAs(t.db, member, `/spaces/${slug}/wiki/follow`, { intent: "follow" }), { slug })).toEqual({ following: true });
    const move = await run(moveLoader, await requestAs(t.db, member, `/wiki/${newId}/move`), { pageId: String(newId) });
    expect(move.up).toEqual({ beforeId: child });
    await redirected(run(moveAction, await postAs(t.db, member, `/wiki/${newId}/move`, { intent: "move", parentId: "", beforeId: String(parent) }), { pageId: String(newId) }));
    expect((await stored(newId)).parentId).toBeNull();
    expect((await stored(newId)).position).toBeLessThan((await stored(parent)).position);

    // Deleting is for owners and moderators: the member may not; the author (an owner) may, and still sees the page, marked.
    expect(await thrown(run(pageAction, await postAs(t.db, member, childUrl, { intent: "delete" }), { pageId: String(child), slug: "on-call-guide" }))).toMatchObject({
      name: "ForbiddenError",
    });
    await redirected(run(pageAction, await postAs(t.db, author, childUrl, { intent: "delete" }), { pageId: String(child), slug: "on-call-guide" }));
    const deleted = await run(pageLoader, await requestAs(t.db, author, childUrl), { pageId: String(child), slug: "on-call-guide" });
    expect((deleted.page as { deletedAt: Date | null }).deletedAt).not.toBeNull();
    expect(await thrown(run(pageLoader, await requestAs(t.db, member, childUrl), { pageId: String(child), slug: "on-call-guide" }))).toBeInstanceOf(NotFoundError);
    await redirected(run(pageAction, await postAs(t.db, author, childUrl, { intent: "undelete" }), { pageId: String(child), slug: "on-call-guide" }));
    expect((await stored(child)).deletedAt).toBeNull();

    expect(await writesBy(member.id)).toMatchObject({ pages: 1, comments: 1 });
  });
});

describe("someone outside the restricted space", () => {
  test("gets the 404 of a missing page from every wiki route, and nothing is written", async () => {
    const { outsider, space, parent, child } = await world();
    const slug = space.slug;
    const before = { page: await stored(child), writes: await writesBy(outsider.id) };
    const pageParams = { pageId: String(child), slug: "on-call-guide" };
    const calls: Array<[string, Handler, Request, Record<string, string>]> = [
      ["wiki home", spaceWikiLoader, await requestAs(t.db, outsider, `/spaces/${slug}/wiki`), { slug }],
      ["new page form", newLoader, await requestAs(t.db, outsider, `/spaces/${slug}/wiki/new`), { slug }],
      ["new page", newAction, await postAs(t.db, outsider, `/spaces/${slug}/wiki/new`, { title: "Intruder", body: "Hello there." }), { slug }],
      ["follow the wiki", wikiFollowAction, await postAs(t.db, outsider, `/spaces/${slug}/wiki/follow`, { intent: "follow" }), { slug }],
      ["page", pageLoader, await requestAs(t.db, outsider, `/wiki/${child}/on-call-guide`), pageParams],
      ["page, stale slug", pageLoader, await requestAs(t.db, outsider, `/wiki/${child}/old`), { pageId: String(child), slug: "old" }],
      ["delete", pageAction, await postAs(t.db, outsider, `/wiki/${child}/on-call-guide`, { intent: "delete" }), pageParams],
      ["comment", pageAction, await postAs(t.db, outsider, `/wiki/${child}/on-call-guide`, { intent: "comment", itemId: String(before.page.itemId), body: "Let me in please" }), pageParams],
      ["edit form", editLoader, await requestAs(t.db, outsider, `/wiki/${child}/edit`), { pageId: String(child) }],
      ["edit", editAction, await postAs(t.db, outsider, `/wiki/${child}/edit`, { title: "Taken over", body: "Mine now.", baseRevision: "1" }), { pageId: String(child) }],
      ["history", historyLoader, await requestAs(t.db, outsider, `/wiki/${child}/history`), { pageId: String(child) }],
      ["restore", historyAction, await postAs(t.db, outsider, `/wiki/${child}/history`, { intent: "restore", revision: "1", baseRevision: "1" }), { pageId: String(child) }],
      ["move form", moveLoader, await requestAs(t.db, outsider, `/wiki/${child}/move`), { pageId: String(child) }],
      ["move", moveAction, await postAs(t.db, outsider, `/wiki/${child}/move`, { intent: "move", parentId: "", beforeId: "" }), { pageId: String(child) }],
    ];
    for (const [what, handler, request, params] of calls) expect(await thrown(run(handler, request, params)), what).toBeInstanceOf(NotFoundError);
    // Missing and malformed ids answer the same.
    for (const bad of ["2000000000", "abc", "0", "99999999999"]) {
      expect(await thrown(run(pageLoader, await requestAs(t.db, outsider, `/wiki/${bad}`), { pageId: bad })), bad).toBeInstanceOf(NotFoundError);
      expect(await thrown(run(editLoader, await requestAs(t.db, outsider, `/wiki/${bad}/edit`), { pageId: bad })), bad).toBeInstanceOf(NotFoundError);
    }
    // The preview won't resolve links in the space either.
    const preview = (await previewAction({
      request: await jsonPost(t.db, outsider, "/api/preview", { text: "[[Engineering handbook]]", space: slug }),
      context: routeContext(t.db).context,
      params: {},
    } as never)) as Response;
    expect(preview.status).toBe(404);

    expect(await writesBy(outsider.id)).toEqual(before.writes);
    const after = await stored(child);
    expect({ revisionCount: after.revisionCount, parentId: after.parentId, deletedAt: after.deletedAt, body: after.body }).toEqual({
      revisionCount: 1,
      parentId: parent,
      deletedAt: null,
      body: before.page.body,
    });
  });
});

describe("customers and deactivated accounts", () => {
  test("are sent to their home page or to sign-in by every wiki route, before any page is looked up", async () => {
    const { customer, gone, space, child } = await world();
    const slug = space.slug;
    const page = { pageId: String(child), slug: "on-call-guide" };
    const routes: Array<[Handler, string, Record<string, string> | null, Record<string, string>]> = [
      [spaceWikiLoader, `/spaces/${slug}/wiki`, null, { slug }],
      [newLoader, `/spaces/${slug}/wiki/new`, null, { slug }],
      [newAction, `/spaces/${slug}/wiki/new`, { title: "Hello", body: "Hello there." }, { slug }],
      [wikiFollowAction, `/spaces/${slug}/wiki/follow`, { intent: "follow" }, { slug }],
      [pageLoader, `/wiki/${child}/on-call-guide`, null, page],
      [pageAction, `/wiki/${child}/on-call-guide`, { intent: "delete" }, page],
      [editLoader, `/wiki/${child}/edit`, null, { pageId: String(child) }],
      [editAction, `/wiki/${child}/edit`, { title: "x", body: "y", baseRevision: "1" }, { pageId: String(child) }],
      [historyLoader, `/wiki/${child}/history`, null, { pageId: String(child) }],
      [historyAction, `/wiki/${child}/history`, { intent: "restore", revision: "1", baseRevision: "1" }, { pageId: String(child) }],
      [moveLoader, `/wiki/${child}/move`, null, { pageId: String(child) }],
      [moveAction, `/wiki/${child}/move`, { intent: "move", parentId: "" }, { pageId: String(child) }],
    ];
    for (const [handler, path, fields, params] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect((await redirectOf(run(handler, asCustomer, params)))?.to, path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect((await redirectOf(run(handler, asGone, params)))?.to, path).toMatch(/^\/sign-in/);
    }
    for (const user of [customer, gone]) {
      expect(await writesBy(user.id)).toEqual({ pages: 0, revisions: 0, follows: 0, comments: 0 });
      const preview = (await previewAction({
        request: await jsonPost(t.db, user, "/api/preview", { text: "**hi**" }),
        context: routeContext(t.db).context,
        params: {},
      } as never)) as Response;
      expect(preview.status).toBe(401);
    }
    expect((await stored(child)).revisionCount).toBe(1);
  });
});

describe("what the routes add to the feature", () => {
  test("a renamed page's old address, or one without a slug, is a permanent redirect to the current one (query kept)", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author, space, title: "Travel policy" });
    await savePage(t.db, author, id, { title: "Travel and expenses policy", body: "Book through the portal.", tags: [], comment: "", baseRevision: 1 });
    const old = await redirectOf(run(pageLoader, await requestAs(t.db, author, `/wiki/${id}/travel-policy?from=search`), { pageId: String(id), slug: "travel-policy" }));
    expect(old).toEqual({ to: `/wiki/${id}/travel-and-expenses-policy?from=search`, status: 301 });
    const bare = await redirectOf(run(pageLoader, await requestAs(t.db, author, `/wiki/${id}`), { pageId: String(id) }));
    expect(bare).toEqual({ to: `/wiki/${id}/travel-and-expenses-policy`, status: 301 });
    // A title that names one of a page's screens gets a slug of its own, so its URL stays the page.
    const history = await createWikiPage(t.db, { author, space, title: "History" });
    expect((await stored(history)).slug).toBe("history-page");
  });

  test("a save over a newer version comes back with the editor's text kept, the current text beside it, and what changed", async () => {
    const alice = await createUser(t.db, { name: "Alice Example" });
    const bob = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: alice, space, title: "Expense policy", body: "Claims within 30 days." });
    // Both opened the editor at version 1; Alice saved first.
    await savePage(t.db, alice, id, { title: "Expense policy", body: "Claims within 60 days.", tags: [], comment: "", baseRevision: 1 });
    const bobs = { title: "Expense policy", body: "Claims within 30 days, with receipts.", tags: "finance", comment: "receipts", baseRevision: "1" };
    const reply = await run(editAction, await postAs(t.db, bob, `/wiki/${id}/edit`, bobs), { pageId: String(id) });
    expect(reply.init?.status).toBe(409);
    const failure = reply.data as {
      formError: string;
      values: Record<string, string>;
      conflict: { current: { revision: number; body: string; editor: { name: string } }; meanwhile: { body: Array<{ value: string; change: string }> } };
    };
    expect(failure.formError).toMatch(/Alice Example saved this page while you were editing/);
    expect(failure.values).toMatchObject({ body: bobs.body, tags: "finance", comment: "receipts", baseRevision: "2" });
    expect(failure.conflict.current).toMatchObject({ revision: 2, body: "Claims within 60 days.", editor: { name: "Alice Example" } });
    expect(failure.conflict.meanwhile.body.filter((p) => p.change !== "same").map((p) => [p.change, p.value.trim()])).toEqual([
      ["removed", "30"],
      ["added", "60"],
    ]);
    expect(await stored(id)).toMatchObject({ revisionCount: 2, body: "Claims within 60 days." });
    // The form's next save starts from the current version and goes in.
    await redirected(run(editAction, await postAs(t.db, bob, `/wiki/${id}/edit`, { ...bobs, body: "Claims within 60 days, with receipts.", baseRevision: "2" }), { pageId: String(id) }));
    expect(await stored(id)).toMatchObject({ revisionCount: 3, body: "Claims within 60 days, with receipts.", tags: ["finance"] });
  });

  test("bad edits come back with field errors and the text as typed; nothing is written", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author, space, title: "Coffee machine" });
    await createWikiPage(t.db, { author, space, title: "Tea kettle" });
    const bad = await run(editAction, await postAs(t.db, author, `/wiki/${id}/edit`, { title: "x", body: "", baseRevision: "1", tags: "NOT A TAG!" }), { pageId: String(id) });
    expect(bad.init?.status).toBe(400);
    expect(Object.keys((bad.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["body", "tags", "title"]);
    const taken = await run(editAction, await postAs(t.db, author, `/wiki/${id}/edit`, { title: "tea kettle", body: "Descale monthly.", baseRevision: "1" }), { pageId: String(id) });
    expect(taken.init?.status).toBe(400);
    expect((taken.data as { fieldErrors: Record<string, string>; values: Record<string, string> }).fieldErrors.title).toMatch(/already exists/);
    expect((taken.data as { values: Record<string, string> }).values.body).toBe("Descale monthly.");
    const badNew = await run(newAction, await postAs(t.db, author, `/spaces/${space.slug}/wiki/new`, { title: "Tea kettle", body: "A second kettle page.", parentId: "abc" }), {
      slug: space.slug,
    });
    expect(badNew.init?.status).toBe(400);
    expect((badNew.data as { values: Record<string, string> }).values.body).toBe("A second kettle page.");
    expect(await stored(id)).toMatchObject({ revisionCount: 1, title: "Coffee machine" });
    const [pages] = await t.db.select({ n: count() }).from(wikiPages).where(eq(wikiPages.spaceId, space.id));
    expect(pages!.n).toBe(2);
  });

  test("a protected page's edit screen leads to a suggested edit for those who can't edit it directly", async () => {
    const owner = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: owner, space });
    await t.db.update(wikiPages).set({ protected: true }).where(eq(wikiPages.id, id));
    expect(await redirectOf(run(editLoader, await requestAs(t.db, reader, `/wiki/${id}/edit`), { pageId: String(id) }))).toEqual({ to: `/wiki/${id}/suggest`, status: 302 });
    expect(await run(editLoader, await requestAs(t.db, owner, `/wiki/${id}/edit`), { pageId: String(id) })).toMatchObject({ page: { id } });
    expect(await thrown(run(moveLoader, await requestAs(t.db, reader, `/wiki/${id}/move`), { pageId: String(id) }))).toMatchObject({ name: "ForbiddenError" });
  });

  test("restoring from the history adds a version; a restore over a newer save is refused and writes nothing", async () => {
    const author = await createUser(t.db);
    const other = await createUser(t.db, { name: "Omar Other" });
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author, space, title: "Printers", body: "Floor 2." });
    await savePage(t.db, author, id, { title: "Printers", body: "Floor 3.", tags: [], comment: "", baseRevision: 1 });
    // Someone saves after the history was opened at version 2.
    await savePage(t.db, other, id, { title: "Printers", body: "Floor 4.", tags: [], comment: "", baseRevision: 2 });
    const refused = await run(historyAction, await postAs(t.db, author, `/wiki/${id}/history`, { intent: "restore", revision: "1", baseRevision: "2" }), { pageId: String(id) });
    expect(refused.init?.status).toBe(409);
    expect((refused.data as { formError: string }).formError).toMatch(/Omar Other saved a new version \(3\)/);
    expect(await stored(id)).toMatchObject({ revisionCount: 3, body: "Floor 4." });
    await redirected(run(historyAction, await postAs(t.db, author, `/wiki/${id}/history`, { intent: "restore", revision: "1", baseRevision: "3" }), { pageId: String(id) }));
    expect(await stored(id)).toMatchObject({ revisionCount: 4, body: "Floor 2." });
    const history = await run(historyLoader, await requestAs(t.db, author, `/wiki/${id}/history`), { pageId: String(id) });
    const newest = (history.revisions as Array<{ number: number; kind: string; rolledBackTo: number | null; diff: { body: Array<{ change: string; value: string }> } | null }>)[0]!;
    expect(newest).toMatchObject({ number: 4, kind: "rollback", rolledBackTo: 1 });
    expect(newest.diff!.body.filter((p) => p.change !== "same").map((p) => [p.change, p.value])).toEqual([
      ["removed", "4"],
      ["added", "2"],
    ]);
    // A version that doesn't exist is a 404.
    expect(
      await thrown(run(historyAction, await postAs(t.db, author, `/wiki/${id}/history`, { intent: "restore", revision: "99", baseRevision: "4" }), { pageId: String(id) })),
    ).toBeInstanceOf(NotFoundError);
  });

  test("a long history comes 50 versions at a time, each diffed against the one before it", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author, space, title: "Counter", body: "Version 1" });
    for (let n = 2; n <= 53; n++) await savePage(t.db, author, id, { title: "Counter", body: `Version ${n}`, tags: [], comment: "", baseRevision: n - 1 });
    const first = await run(historyLoader, await requestAs(t.db, author, `/wiki/${id}/history`), { pageId: String(id) });
    const numbers = (r: Reply) => (r.revisions as Array<{ number: number }>).map((v) => v.number);
    expect(first.total).toBe(53);
    expect(numbers(first)).toHaveLength(50);
    expect(numbers(first)[0]).toBe(53);
    expect(numbers(first).at(-1)).toBe(4);
    const second = await run(historyLoader, await requestAs(t.db, author, `/wiki/${id}/history?page=2`), { pageId: String(id) });
    expect(numbers(second)).toEqual([3, 2, 1]);
    const [v3, , v1] = second.revisions as Array<{ diff: { body: Array<{ change: string; value: string }> } | null }>;
    // Version 3's diff is against version 2, which is on the same screen; version 4's (the first screen's last) against 3.
    expect(v3!.diff!.body.filter((p) => p.change !== "same").map((p) => p.value)).toEqual(["2", "3"]);
    expect(v1!.diff).toBeNull();
    const last = (first.revisions as Array<{ diff: { body: Array<{ change: string; value: string }> } | null }>).at(-1)!;
    expect(last.diff!.body.filter((p) => p.change !== "same").map((p) => p.value)).toEqual(["3", "4"]);
  });

  test("moving: a new parent and place, up and down among siblings, and a refused move under its own subpage", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const a = await createWikiPage(t.db, { author, space, title: "Alpha" });
    const b = await createWikiPage(t.db, { author, space, title: "Bravo" });
    const c = await createWikiPage(t.db, { author, space, title: "Charlie" });
    const a1 = await createWikiPage(t.db, { author, space, title: "Alpha one", parentId: a });
    const order = async () =>
      (
        await t.db
          .select({ title: wikiPages.title })
          .from(wikiPages)
          .where(and(eq(wikiPages.spaceId, space.id), isNull(wikiPages.parentId)))
          .orderBy(wikiPages.position)
      ).map((r) => r.title);

    let screen = await run(moveLoader, await requestAs(t.db, author, `/wiki/${b}/move`), { pageId: String(b) });
    expect(screen).toMatchObject({ up: { beforeId: a }, down: { beforeId: null } });
    expect((screen.parents as Array<{ title: string; depth: number }>).map((p) => [p.title, p.depth])).toEqual([
      ["Alpha", 0],
      ["Alpha one", 1],
      ["Charlie", 0],
    ]);
    await redirected(run(moveAction, await postAs(t.db, author, `/wiki/${b}/move`, { intent: "reorder", parentId: "", beforeId: String(a) }), { pageId: String(b) }));
    expect(await order()).toEqual(["Bravo", "Alpha", "Charlie"]);
    await redirected(run(moveAction, await postAs(t.db, author, `/wiki/${b}/move`, { intent: "reorder", parentId: "", beforeId: String(c) }), { pageId: String(b) }));
    expect(await order()).toEqual(["Alpha", "Bravo", "Charlie"]);

    // Choosing a parent lists the places under it.
    screen = await run(moveLoader, await requestAs(t.db, author, `/wiki/${c}/move?parentId=${a}`), { pageId: String(c) });
    expect(screen.places).toEqual([{ id: a1, title: "Alpha one" }]);
    await redirected(run(moveAction, await postAs(t.db, author, `/wiki/${c}/move`, { intent: "move", parentId: String(a), beforeId: String(a1) }), { pageId: String(c) }));
    expect((await stored(c)).parentId).toBe(a);
    expect((await stored(c)).position).toBeLessThan((await stored(a1)).position);

    // Under its own subpage, or before a page of another parent: a field error, and nothing moves.
    const cycle = await run(moveAction, await postAs(t.db, author, `/wiki/${a}/move`, { intent: "move", parentId: String(a1), beforeId: "" }), { pageId: String(a) });
    expect(cycle.init?.status).toBe(400);
    expect((cycle.data as { fieldErrors: Record<string, string> }).fieldErrors.parentId).toMatch(/under itself/);
    const elsewhere = await run(moveAction, await postAs(t.db, author, `/wiki/${b}/move`, { intent: "move", parentId: "", beforeId: String(a1) }), { pageId: String(b) });
    expect((elsewhere.data as { fieldErrors: Record<string, string> }).fieldErrors.beforeId).toMatch(/not under the parent/);
    expect(await stored(a)).toMatchObject({ parentId: null });
    expect(await order()).toEqual(["Alpha", "Bravo"]);
  });

  test("following a space's wiki and unfollowing it; a plain form goes back where it came from", async () => {
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const path = `/spaces/${space.slug}/wiki/follow`;
    expect(await run(wikiFollowAction, await postAs(t.db, reader, path, { intent: "follow" }), { slug: space.slug })).toEqual({ following: true });
    expect(await run(wikiFollowAction, await postAs(t.db, reader, path, { intent: "follow" }), { slug: space.slug })).toEqual({ following: true });
    const rows = () =>
      t.db
        .select()
        .from(follows)
        .where(and(eq(follows.userId, reader.id), eq(follows.wikiSpaceId, space.id)));
    expect(await rows()).toHaveLength(1);
    const home = await run(spaceWikiLoader, await requestAs(t.db, reader, `/spaces/${space.slug}/wiki`), { slug: space.slug });
    expect(home.followingWiki).toBe(true);
    expect(await redirected(run(wikiFollowAction, await postAs(t.db, reader, path, { intent: "unfollow", redirectTo: `/spaces/${space.slug}/wiki` }), { slug: space.slug }))).toBe(
      `/spaces/${space.slug}/wiki`,
    );
    expect(await rows()).toHaveLength(0);
    expect(await thrown(run(wikiFollowAction, await postAs(t.db, reader, path, { intent: "maybe" }), { slug: space.slug }))).toMatchObject({ init: { status: 400 } });
  });

  test("an empty wiki invites its first page with the templates; a template prefills the new page", async () => {
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const home = await run(spaceWikiLoader, await requestAs(t.db, reader, `/spaces/${space.slug}/wiki`), { slug: space.slug });
    expect(home.pageCount).toBe(0);
    const templates = home.templates as Array<{ id: number; name: string }>;
    expect(templates.map((x) => x.name)).toEqual(["FAQ", "How-to", "Policy", "Runbook"]);
    const runbook = templates.find((x) => x.name === "Runbook")!;
    const form = await run(newLoader, await requestAs(t.db, reader, `/spaces/${space.slug}/wiki/new?template=${runbook.id}`), { slug: space.slug });
    expect((form.prefill as { body: string; templateId: number }).templateId).toBe(runbook.id);
    expect((form.prefill as { body: string }).body).toContain("## When to use this runbook");
    expect(await t.db.select({ n: count() }).from(wikiTemplates)).toEqual([{ n: 4 }]);
  });
});

describe("the markdown preview", () => {
  const preview = async (request: Request) => {
    const response = (await previewAction({ request, context: routeContext(t.db).context, params: {} } as never)) as Response;
    return { status: response.status, body: (await response.json()) as { html?: string; error?: string } };
  };

  test("renders through the markdown module, as JSON or a form; wiki links resolve in the writer's space", async () => {
    const writer = await createUser(t.db);
    const space = await createSpace(t.db);
    const target = await createWikiPage(t.db, { author: writer, space, title: "VPN setup" });
    expect(await preview(await jsonPost(t.db, writer, "/api/preview", { text: "**bold** <script>alert(1)</script>" }))).toEqual({
      status: 200,
      body: { html: "<p><strong>bold</strong> </p>\n" },
    });
    const asForm = await preview(await postAs(t.db, writer, "/api/preview", { text: "# Title" }));
    expect(asForm).toEqual({ status: 200, body: { html: "<h1>Title</h1>\n" } });
    const wiki = await preview(await jsonPost(t.db, writer, "/api/preview", { text: "## Setup\n\nSee [[VPN setup]] and [[Nothing yet]].", space: space.slug }));
    expect(wiki.body.html).toContain('<h2 id="h-setup">Setup</h2>');
    expect(wiki.body.html).toContain(`href="/wiki/${target}/vpn-setup"`);
    expect(wiki.body.html).toContain(`/spaces/${space.slug}/wiki/new?title=Nothing%20yet`);
  });

  test("refuses what the module refuses, with its message, and anyone not signed in as an employee", async () => {
    const writer = await createUser(t.db);
    const tooLong = await preview(await jsonPost(t.db, writer, "/api/preview", { text: "x".repeat(30_001) }));
    expect(tooLong).toEqual({ status: 400, body: { error: "This text is 30,001 characters long; the limit is 30,000." } });
    const deep = await preview(await jsonPost(t.db, writer, "/api/preview", { text: ">".repeat(40) + " deep" }));
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatch(/nested more than 32 levels/);
    expect((await preview(await jsonPost(t.db, writer, "/api/preview", { body: "no text field" }))).status).toBe(400);
    expect((await preview(await jsonPost(t.db, null, "/api/preview", { text: "hi" }))).status).toBe(401);
  });
});

import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { notifications, reputationEvents, spaces, wikiPageOwners, wikiPages, wikiPromotions, wikiSuggestions } from "#db/schema/index.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { submitSuggestion } from "#app/features/wiki/suggestions.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { action as ownersAction, loader as ownersLoader } from "#app/routes/wiki/owners.tsx";
import { action as promoteAction, loader as promoteLoader } from "#app/routes/wiki/promote.tsx";
import { loader as reviewLoader } from "#app/routes/wiki/review.tsx";
import { action as suggestAction, loader as suggestLoader } from "#app/routes/wiki/suggest.tsx";
import { action as suggestionAction, loader as suggestionLoader } from "#app/routes/wiki/suggestion.tsx";
import { action as suggestionEditAction, loader as suggestionEditLoader } from "#app/routes/wiki/suggestion-edit.tsx";
import { loader as suggestionsLoader } from "#app/routes/wiki/suggestions.tsx";
import { action as verifyAction, loader as verifyLoader } from "#app/routes/wiki/verify.tsx";
import { action as queueAction, loader as queueLoader } from "#app/routes/spaces/wiki-suggestions.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * Every governance route, for each kind of actor: a member of a restricted space uses them; someone
 * outside it gets the 404 a missing page gets, and nothing is written; a customer is sent to their
 * home page and a deactivated account to sign-in. Bad input answers 400 with the typed text kept.
 */
const t = setupTestDb();

type Handler = (args: never) => unknown;
const call = (handler: Handler, request: Request, params: Record<string, string>) => Promise.resolve(handler({ request, context: routeContext(t.db).context, params } as never));

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

/** What a `data(result, { status })` returned by an action holds. */
function answered(result: unknown): { status: number | undefined; data: { ok: boolean; fieldErrors: Record<string, string>; formError?: string; values: Record<string, string> } } {
  const r = result as { init?: { status?: number }; data: never };
  return { status: r.init?.status, data: r.data };
}

async function world() {
  const owner = await createUser(t.db, { name: "Olive Owner" });
  const member = await createUser(t.db, { name: "Mia Member" });
  const asker = await createUser(t.db);
  const outsider = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const space = await createSpace(t.db, { members: [owner, member, asker] }, "restricted");
  const pageId = await createWikiPage(t.db, { author: owner, space, title: "Release checklist", body: "Tag, build, ship." });
  const questionId = await createQuestion(t.db, { author: asker, space });
  const answerId = await createAnswer(t.db, { author: member, questionId, body: "Run the release script from a clean checkout." });
  await acceptAnswer(t.db, asker, answerId);
  const { id: suggestionId } = await submitSuggestion(t.db, member, pageId, { title: "Release checklist", body: "Tag, build, test, ship.", comment: "Test first.", baseRevision: 1 });
  const ids = { pageId: String(pageId), suggestionId: String(suggestionId), postId: String(answerId), slug: space.slug };
  return { owner, member, outsider, customer, gone, space, pageId, suggestionId, answerId, ids };
}

/** Every route of this feature, as [handler, path, form fields (an action) or null (a loader), params]. */
function routes(ids: Record<string, string>) {
  const page = { pageId: ids.pageId! };
  const suggestion = { pageId: ids.pageId!, suggestionId: ids.suggestionId! };
  const base = `/wiki/${ids.pageId}`;
  return [
    [reviewLoader, "/wiki/review", null, {}],
    [ownersLoader, `${base}/owners`, null, page],
    [ownersAction, `${base}/owners`, { intent: "protect" }, page],
    [verifyLoader, `${base}/verify`, null, page],
    [verifyAction, `${base}/verify`, { intent: "verify", intervalDays: "90" }, page],
    [suggestLoader, `${base}/suggest`, null, page],
    [suggestAction, `${base}/suggest`, { title: "Release checklist", body: "Changed.", comment: "Why not.", baseRevision: "1" }, page],
    [suggestionsLoader, `${base}/suggestions`, null, page],
    [suggestionLoader, `${base}/suggestions/${ids.suggestionId}`, null, suggestion],
    [suggestionAction, `${base}/suggestions/${ids.suggestionId}`, { intent: "decline", note: "No." }, suggestion],
    [suggestionEditLoader, `${base}/suggestions/${ids.suggestionId}/edit`, null, suggestion],
    [suggestionEditAction, `${base}/suggestions/${ids.suggestionId}/edit`, { title: "Release checklist", body: "Other.", comment: "Other." }, suggestion],
    [queueLoader, `/spaces/${ids.slug}/wiki/suggestions`, null, { slug: ids.slug! }],
    [queueAction, `/spaces/${ids.slug}/wiki/suggestions`, { intent: "protect-wiki" }, { slug: ids.slug! }],
    [promoteLoader, `/posts/${ids.postId}/promote`, null, { postId: ids.postId! }],
    [promoteAction, `/posts/${ids.postId}/promote`, { mode: "page", title: "Releasing" }, { postId: ids.postId! }],
  ] as Array<[Handler, string, Record<string, string> | null, Record<string, string>]>;
}

/** Rows any of these routes could write, counted. */
async function footprint(pageId: number, spaceId: number) {
  const count = async (query: Promise<Array<{ n: number }>>) => (await query)[0]!.n;
  const n = sql<number>`count(*)::int`;
  const [row] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, pageId));
  const [space] = await t.db.select({ wikiProtected: spaces.wikiProtected }).from(spaces).where(eq(spaces.id, spaceId));
  return {
    suggestions: await count(t.db.select({ n }).from(wikiSuggestions)),
    decided: await count(
      t.db
        .select({ n })
        .from(wikiSuggestions)
        .where(inArray(wikiSuggestions.status, ["declined", "approved", "withdrawn"])),
    ),
    owners: await count(t.db.select({ n }).from(wikiPageOwners)),
    promotions: await count(t.db.select({ n }).from(wikiPromotions)),
    pages: await count(t.db.select({ n }).from(wikiPages)),
    events: await count(t.db.select({ n }).from(reputationEvents)),
    notifications: await count(t.db.select({ n }).from(notifications)),
    page: { protected: row!.protected, verifiedAt: row!.verifiedAt, revisionCount: row!.revisionCount },
    wikiProtected: space!.wikiProtected,
  };
}

describe("the wiki governance routes", () => {
  test("a member uses what a member may, and is told why (403) where only owners, moderators or promoters may", async () => {
    const { owner, member, pageId, ids } = await world();
    const page = { pageId: ids.pageId };
    const base = `/wiki/${ids.pageId}`;
    expect(await call(reviewLoader, await requestAs(t.db, member, "/wiki/review"), {})).toMatchObject({ items: [], total: 0 });
    expect(await call(ownersLoader, await requestAs(t.db, member, `${base}/owners`), page)).toMatchObject({ owners: [{ name: "Olive Owner" }], permissions: { canManage: false } });
    expect(await call(suggestLoader, await requestAs(t.db, member, `${base}/suggest`), page)).toMatchObject({ page: { id: pageId, revisionCount: 1 } });
    expect(await call(suggestionsLoader, await requestAs(t.db, member, `${base}/suggestions`), page)).toMatchObject({ total: 1 });
    const suggestion = { pageId: ids.pageId, suggestionId: ids.suggestionId };
    expect(await call(suggestionLoader, await requestAs(t.db, member, `${base}/suggestions/${ids.suggestionId}`), suggestion)).toMatchObject({
      suggestion: { comment: "Test first.", author: { name: "Mia Member" } },
      permissions: { canEdit: true, canReview: false },
    });
    expect(await call(suggestionEditLoader, await requestAs(t.db, member, `${base}/suggestions/${ids.suggestionId}/edit`), suggestion)).toMatchObject({
      suggestion: { title: "Release checklist" },
    });
    expect(await call(queueLoader, await requestAs(t.db, member, `/spaces/${ids.slug}/wiki/suggestions`), { slug: ids.slug })).toMatchObject({ total: 1, canProtect: false });

    // A suggestion made through the route lands on its review screen.
    const made = await thrown(
      call(
        suggestAction,
        await postAs(t.db, member, `${base}/suggest`, { title: "Release checklist", body: "Tag, build, ship, announce.", comment: "Tell people.", baseRevision: "1" }),
        page,
      ),
    );
    expect(redirectTarget(made)).toMatch(new RegExp(`^/wiki/${pageId}/suggestions/\\d+$`));

    // Only owners and moderators verify, manage owners, protect and review; promoting needs the privilege.
    for (const [handler, path, fields, params] of [
      [verifyLoader, `${base}/verify`, null, page],
      [verifyAction, `${base}/verify`, { intent: "verify", intervalDays: "90" }, page],
      [ownersAction, `${base}/owners`, { intent: "add-owner", person: String(member.id) }, page],
      [ownersAction, `${base}/owners`, { intent: "protect" }, page],
      [queueAction, `/spaces/${ids.slug}/wiki/suggestions`, { intent: "protect-wiki" }, { slug: ids.slug }],
      [promoteLoader, `/posts/${ids.postId}/promote`, null, { postId: ids.postId }],
      [promoteAction, `/posts/${ids.postId}/promote`, { mode: "page", title: "Releasing" }, { postId: ids.postId }],
    ] as Array<[Handler, string, Record<string, string> | null, Record<string, string>]>) {
      const request = fields ? await postAs(t.db, member, path, fields) : await requestAs(t.db, member, path);
      expect(await thrown(call(handler, request, params)), path).toBeInstanceOf(ForbiddenError);
    }

    // The owner does them.
    expect(await call(verifyLoader, await requestAs(t.db, owner, `${base}/verify`), page)).toMatchObject({ page: { id: pageId } });
    expect(redirectTarget(await thrown(call(verifyAction, await postAs(t.db, owner, `${base}/verify`, { intent: "verify", intervalDays: "180" }), page)))).toMatch(
      new RegExp(`^/wiki/${pageId}/`),
    );
    expect((await t.db.select().from(wikiPages).where(eq(wikiPages.id, pageId)))[0]!.reviewIntervalDays).toBe(180);
    expect(redirectTarget(await thrown(call(ownersAction, await postAs(t.db, owner, `${base}/owners`, { intent: "protect", back: "page" }), page)))).toMatch(new RegExp(`^/wiki/${pageId}/`));
    expect(await call(promoteLoader, await requestAs(t.db, owner, `/posts/${ids.postId}/promote`), { postId: ids.postId })).toMatchObject({ mayCreatePages: true });
    const promoted = await thrown(call(promoteAction, await postAs(t.db, owner, `/posts/${ids.postId}/promote`, { mode: "page", title: "Releasing" }), { postId: ids.postId }));
    expect(redirectTarget(promoted)).toMatch(/^\/wiki\/\d+\/releasing$/);
    const declined = await thrown(call(suggestionAction, await postAs(t.db, owner, `${base}/suggestions/${ids.suggestionId}`, { intent: "decline", note: "Not now." }), suggestion));
    expect(redirectTarget(declined)).toBe(`${base}/suggestions/${ids.suggestionId}`);
  });

  test("someone outside the restricted space gets the 404 of a missing page on every route, and nothing is written", async () => {
    const { outsider, pageId, space, ids } = await world();
    const before = await footprint(pageId, space.id);
    for (const [handler, path, fields, params] of routes(ids)) {
      const request = fields ? await postAs(t.db, outsider, path, fields) : await requestAs(t.db, outsider, path);
      if (handler === reviewLoader) {
        // A personal list: empty for them, not an error.
        expect(await call(handler, request, params)).toMatchObject({ items: [], total: 0 });
        continue;
      }
      expect(await thrown(call(handler, request, params)), path).toBeInstanceOf(NotFoundError);
    }
    // Ids that can't be ids, and ids of nothing, are the same 404.
    for (const bad of ["abc", "0", "99999999999", "2000000000"]) {
      expect(await thrown(call(suggestLoader, await requestAs(t.db, outsider, `/wiki/${bad}/suggest`), { pageId: bad }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(promoteLoader, await requestAs(t.db, outsider, `/posts/${bad}/promote`), { postId: bad }))).toBeInstanceOf(NotFoundError);
      const params = { pageId: ids.pageId, suggestionId: bad };
      expect(await thrown(call(suggestionLoader, await requestAs(t.db, outsider, `/wiki/${ids.pageId}/suggestions/${bad}`), params))).toBeInstanceOf(NotFoundError);
    }
    expect(await footprint(pageId, space.id)).toEqual(before);
  });

  test("customers go to their home page and deactivated accounts to sign-in, from every route, and nothing is written", async () => {
    const { customer, gone, pageId, space, ids } = await world();
    const before = await footprint(pageId, space.id);
    for (const [handler, path, fields, params] of routes(ids)) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer, params))), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone, params))), path).toMatch(/^\/sign-in/);
    }
    expect(await footprint(pageId, space.id)).toEqual(before);
  });

  test("bad input answers 400 with field errors and the typed text kept, and writes nothing", async () => {
    const { owner, member, pageId, space, ids } = await world();
    const base = `/wiki/${ids.pageId}`;
    const page = { pageId: ids.pageId };
    const suggestion = { pageId: ids.pageId, suggestionId: ids.suggestionId };
    const before = await footprint(pageId, space.id);

    const noComment = answered(
      await call(suggestAction, await postAs(t.db, member, `${base}/suggest`, { title: "Release checklist", body: "My careful text.", comment: "", baseRevision: "1" }), page),
    );
    expect(noComment.status).toBe(400);
    expect(noComment.data.fieldErrors.comment).toMatch(/required/);
    expect(noComment.data.values.body).toBe("My careful text.");

    const noNote = answered(await call(suggestionAction, await postAs(t.db, owner, `${base}/suggestions/${ids.suggestionId}`, { intent: "decline", note: " " }), suggestion));
    expect(noNote.status).toBe(400);
    expect(noNote.data.fieldErrors.note).toMatch(/required/);
    const noChanges = answered(await call(suggestionAction, await postAs(t.db, owner, `${base}/suggestions/${ids.suggestionId}`, { intent: "request-changes" }), suggestion));
    expect(noChanges.data.fieldErrors.note).toBeTruthy();

    const badInterval = answered(await call(verifyAction, await postAs(t.db, owner, `${base}/verify`, { intent: "verify", intervalDays: "7" }), page));
    expect(badInterval.status).toBe(400);
    expect(badInterval.data.fieldErrors.intervalDays).toMatch(/review intervals/);

    const noPerson = answered(await call(ownersAction, await postAs(t.db, owner, `${base}/owners`, { intent: "add-owner", person: "" }), page));
    expect(noPerson.data.fieldErrors.person).toBeTruthy();
    const lastOwner = answered(await call(ownersAction, await postAs(t.db, owner, `${base}/owners`, { intent: "remove-owner", userId: String(owner.id) }), page));
    expect(lastOwner.data.formError).toMatch(/at least one owner/);

    const noMode = answered(await call(promoteAction, await postAs(t.db, owner, `/posts/${ids.postId}/promote`, { title: "A page" }), { postId: ids.postId }));
    expect(noMode.status).toBe(400);
    expect(noMode.data.fieldErrors.mode).toMatch(/new page or a section/);
    const noPage = answered(await call(promoteAction, await postAs(t.db, owner, `/posts/${ids.postId}/promote`, { mode: "section", pageId: "" }), { postId: ids.postId }));
    expect(noPage.data.fieldErrors.pageId).toMatch(/Choose the page/);
    const takenTitle = answered(await call(promoteAction, await postAs(t.db, owner, `/posts/${ids.postId}/promote`, { mode: "page", title: "Release checklist" }), { postId: ids.postId }));
    expect(takenTitle.data.fieldErrors.title).toMatch(/already exists/);
    expect(takenTitle.data.values.title).toBe("Release checklist");

    for (const [handler, path, params] of [
      [suggestionAction, `${base}/suggestions/${ids.suggestionId}`, suggestion],
      [ownersAction, `${base}/owners`, page],
      [verifyAction, `${base}/verify`, page],
      [queueAction, `/spaces/${ids.slug}/wiki/suggestions`, { slug: ids.slug }],
    ] as Array<[Handler, string, Record<string, string>]>) {
      const unknown = await thrown(call(handler, await postAs(t.db, owner, path, { intent: "nonsense" }), params));
      expect((unknown as { init?: { status?: number } }).init?.status, path).toBe(400);
    }
    expect(await footprint(pageId, space.id)).toEqual(before);
  });
});

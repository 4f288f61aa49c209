import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { notifications, revisions, wikiPageLinks, wikiPages } from "#db/schema/index.ts";
import { EditConflictError, movePage, restorePage, savePage, deletePage, undeletePage } from "#app/features/wiki/pages.server.ts";
import { backlinksOf, pageView, spaceTree } from "#app/features/wiki/view.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/** Wiki pages: revisions and restore, concurrent saves, [[links]] and "linked from" across visibility, the tree. */
const t = setupTestDb();
const now = new Date();

async function page(id: number) {
  const [row] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, id));
  return row!;
}

describe("revisions and restore", () => {
  test("every save is a numbered revision and a restore is a new one with the old text", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author, space, title: "Onboarding", body: "Version one." });
    await savePage(t.db, author, id, { title: "Onboarding", body: "Version two.", tags: [], comment: "", baseRevision: 1 });
    await savePage(t.db, author, id, { title: "Onboarding guide", body: "Version three.", tags: ["hr"], comment: "renamed", baseRevision: 2 });
    const { revision } = await restorePage(t.db, author, id, 1, 3);
    expect(revision).toBe(4);
    const restored = await page(id);
    expect({ title: restored.title, body: restored.body, tags: restored.tags, revisionCount: restored.revisionCount, slug: restored.slug }).toEqual({
      title: "Onboarding",
      body: "Version one.",
      tags: [],
      revisionCount: 4,
      slug: "onboarding",
    });
    const rows = await t.db
      .select({ number: revisions.number, kind: revisions.kind, rolledBackTo: revisions.rolledBackTo })
      .from(revisions)
      .where(eq(revisions.itemId, restored.itemId))
      .orderBy(revisions.number);
    expect(rows).toEqual([
      { number: 1, kind: "create", rolledBackTo: null },
      { number: 2, kind: "edit", rolledBackTo: null },
      { number: 3, kind: "edit", rolledBackTo: null },
      { number: 4, kind: "rollback", rolledBackTo: 1 },
    ]);
    // Restoring the version that is current already changes nothing.
    await expect(restorePage(t.db, author, id, 4, 4)).rejects.toBeInstanceOf(InputError);
  });

  test("a second save started from an older version is refused with both texts, and nothing is written", async () => {
    const alice = await createUser(t.db, { name: "Alice Example" });
    const bob = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: alice, space, title: "Expense policy", body: "Claims within 30 days." });
    // Both open the editor at version 1; Alice saves first.
    await savePage(t.db, alice, id, { title: "Expense policy", body: "Claims within 60 days.", tags: [], comment: "", baseRevision: 1 });
    const error = await savePage(t.db, bob, id, { title: "Expense policy", body: "Claims within 30 days, with receipts.", tags: [], comment: "", baseRevision: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditConflictError);
    const conflict = error as EditConflictError;
    expect(conflict.current).toMatchObject({ revision: 2, body: "Claims within 60 days.", editor: { id: alice.id, name: "Alice Example" } });
    expect(conflict.meanwhile.body?.filter((p) => p.change !== "same").map((p) => [p.change, p.value.trim()])).toEqual([
      ["removed", "30"],
      ["added", "60"],
    ]);
    expect((await page(id)).body).toBe("Claims within 60 days.");
    // Saving again from the current version goes in.
    await savePage(t.db, bob, id, { title: "Expense policy", body: "Claims within 60 days, with receipts.", tags: [], comment: "merged", baseRevision: 2 });
    expect((await page(id)).revisionCount).toBe(3);
  });

  test("two saves at once from the same version: one wins, the other gets the conflict", async () => {
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: a, space, body: "Start." });
    const results = await Promise.allSettled([
      savePage(t.db, a, id, { title: "Race", body: "From A.", tags: [], comment: "", baseRevision: 1 }),
      savePage(t.db, b, id, { title: "Race", body: "From B.", tags: [], comment: "", baseRevision: 1 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(rejected?.reason).toBeInstanceOf(EditConflictError);
    expect((await page(id)).revisionCount).toBe(2);
  });
});

describe("links between pages", () => {
  test("[[links]] resolve, wait for pages not yet written, and hide pages a reader can't see", async () => {
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    const hidden = await createWikiPage(t.db, { author: insider, space: secret, title: "Salary bands" });
    const target = await createWikiPage(t.db, { author: insider, space: open, title: "VPN setup" });
    const source = await createWikiPage(t.db, {
      author: insider,
      space: open,
      title: "Start here",
      body: "See [[VPN setup]], [[salary bands|the bands]] and [[Laptop policy]]. `[[not a link]]`",
    });

    const links = await t.db.select().from(wikiPageLinks).where(eq(wikiPageLinks.fromPageId, source)).orderBy(wikiPageLinks.targetTitle);
    expect(links.map((l) => [l.targetTitle, l.toPageId])).toEqual([
      ["laptop policy", null],
      ["salary bands", hidden],
      ["vpn setup", target],
    ]);

    // The insider sees both links; the outsider sees "the bands" as plain text.
    const mine = await pageView(t.db, insider, source, now);
    expect(mine.page.bodyHtml).toContain(`href="/wiki/${hidden}/salary-bands"`);
    const theirs = await pageView(t.db, outsider, source, now);
    expect(theirs.page.bodyHtml).not.toContain(`/wiki/${hidden}/`);
    expect(theirs.page.bodyHtml).toContain("the bands");
    expect(theirs.page.bodyHtml).toContain(`href="/wiki/${target}/vpn-setup"`);
    expect(theirs.page.bodyHtml).toContain("<code>[[not a link]]</code>");
    // A link to a page not written yet leads to the form that writes it; writing it resolves the link.
    expect(theirs.page.bodyHtml).toContain(`/wiki/new?title=Laptop%20policy`);
    const laptop = await createWikiPage(t.db, { author: outsider, space: open, title: "Laptop policy" });
    expect((await pageView(t.db, outsider, source, now)).page.bodyHtml).toContain(`href="/wiki/${laptop}/laptop-policy"`);

    // "Linked from" lists only pages the reader may see.
    const fromSecret = await createWikiPage(t.db, { author: insider, space: secret, title: "Secret index", body: "[[VPN setup]]" });
    expect((await backlinksOf(t.db, insider, target)).map((l) => l.id).sort()).toEqual([source, fromSecret].sort());
    expect((await backlinksOf(t.db, outsider, target)).map((l) => l.id)).toEqual([source]);
  });

  test("a writer can't resolve a link to a page in a space they can't see", async () => {
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    await createWikiPage(t.db, { author: insider, space: secret, title: "Layoff plan" });
    const probe = await createWikiPage(t.db, { author: outsider, space: open, title: "Probe", body: "[[Layoff plan]]" });
    const [link] = await t.db.select().from(wikiPageLinks).where(eq(wikiPageLinks.fromPageId, probe));
    expect(link!.toPageId).toBeNull();
  });
});

describe("visibility and permissions", () => {
  test("a page in a restricted space is the same 404 as a missing one for outsiders, customers and the deactivated", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const secret = await createSpace(t.db, { members: [member, gone] }, "restricted");
    const id = await createWikiPage(t.db, { author: member, space: secret });
    expect((await pageView(t.db, member, id, now)).page.id).toBe(id);
    for (const actor of [outsider, customer, gone]) await expect(pageView(t.db, actor, id, now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(pageView(t.db, member, 2_000_000_000, now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(savePage(t.db, outsider, id, { title: "Taken over", body: "x", tags: [], comment: "", baseRevision: 1 })).rejects.toBeInstanceOf(NotFoundError);
    expect((await page(id)).revisionCount).toBe(1);
  });

  test("a double submit of the new-page form finds the first page", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const { createPage } = await import("#app/features/wiki/pages.server.ts");
    const input = { title: "Twice", body: "Once.", tags: [], parentId: null, submissionKey: "key-twice-0001" };
    const first = await createPage(t.db, author, space.slug, input);
    const again = await createPage(t.db, author, space.slug, input);
    expect(again).toEqual({ ...first, created: false });
  });

  test("titles are unique in a space's wiki; a protected page refuses direct edits from non-owners", async () => {
    const owner = await createUser(t.db);
    const other = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: owner, space, title: "Holidays" });
    await expect(createWikiPage(t.db, { author: other, space, title: "holidays" })).rejects.toMatchObject({ fieldErrors: { title: expect.stringContaining("already exists") } });
    await t.db.update(wikiPages).set({ protected: true }).where(eq(wikiPages.id, id));
    await expect(savePage(t.db, other, id, { title: "Holidays", body: "Changed.", tags: [], comment: "", baseRevision: 1 })).rejects.toBeInstanceOf(ForbiddenError);
    await savePage(t.db, owner, id, { title: "Holidays", body: "Changed by the owner.", tags: [], comment: "", baseRevision: 1 });
  });

  test("followers of a page and of its space's wiki hear about a save; the editor doesn't", async () => {
    const owner = await createUser(t.db);
    const editor = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: owner, space });
    await savePage(t.db, editor, id, { title: "Renamed runbook", body: "New text.", tags: [], comment: "", baseRevision: 1 });
    const rows = await t.db
      .select({ userId: notifications.userId, kind: notifications.kind })
      .from(notifications)
      .where(eq(notifications.itemId, (await page(id)).itemId));
    expect(rows).toEqual([{ userId: owner.id, kind: "page_edit" }]);
    // The inbox's unread count leaves out notifications about a page once it is deleted, and counts them again when it is restored.
    const { unreadCount } = await import("#app/features/notifications/inbox.server.ts");
    expect(await unreadCount(t.db, owner)).toBe(1);
    await deletePage(t.db, owner, id);
    expect(await unreadCount(t.db, owner)).toBe(0);
    await undeletePage(t.db, owner, id);
    expect(await unreadCount(t.db, owner)).toBe(1);
  });
});

describe("the tree", () => {
  test("pages nest, move before a sibling, can't move under themselves, and deleting one lifts its subpages", async () => {
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const a = await createWikiPage(t.db, { author, space, title: "A" });
    const b = await createWikiPage(t.db, { author, space, title: "B" });
    const a1 = await createWikiPage(t.db, { author, space, title: "A1", parentId: a });
    const a2 = await createWikiPage(t.db, { author, space, title: "A2", parentId: a });
    await movePage(t.db, author, a2, { parentId: a, beforeId: a1 });
    let tree = await spaceTree(t.db, space.id, [a]);
    expect(tree.map((n) => [n.title, n.children.map((c) => c.title)])).toEqual([
      ["A", ["A2", "A1"]],
      ["B", []],
    ]);
    await expect(movePage(t.db, author, a, { parentId: a1, beforeId: null })).rejects.toMatchObject({ fieldErrors: { parentId: expect.stringContaining("under itself") } });
    await movePage(t.db, author, b, { parentId: null, beforeId: a });
    await deletePage(t.db, author, a);
    tree = await spaceTree(t.db, space.id);
    expect(new Set(tree.map((n) => n.title))).toEqual(new Set(["B", "A1", "A2"]));
    await undeletePage(t.db, author, a);
    expect((await spaceTree(t.db, space.id)).map((n) => n.title)).toContain("A");
  });
});

describe("the wiki's front door (/wiki)", () => {
  test("a member sees their restricted space's wiki and pages; an outsider doesn't; customers and the deactivated are sent away", async () => {
    const { loader } = await import("#app/routes/wiki/home.tsx");
    const { requestAs, routeContext, thrown } = await import("#tests/helpers.ts");
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    const id = await createWikiPage(t.db, { author: member, space: secret, title: "Incident review template" });
    const load = async (user: { id: number }) => loader({ request: await requestAs(t.db, user, "/wiki"), context: routeContext(t.db).context, params: {} } as never);
    const mine = await load(member);
    expect(mine.spaces.find((s) => s.slug === secret.slug)?.pages).toBe(1);
    expect(mine.recent.map((p) => p.id)).toContain(id);
    const theirs = await load(outsider);
    expect(theirs.spaces.map((s) => s.slug)).not.toContain(secret.slug);
    expect(theirs.recent.map((p) => p.id)).not.toContain(id);
    for (const [user, target] of [
      [customer, /^\/$/],
      [gone, /^\/sign-in/],
    ] as const) {
      const error = await thrown(load(user));
      expect(error instanceof Response ? error.headers.get("Location") : null).toMatch(target);
    }
  });
});

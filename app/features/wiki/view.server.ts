import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { follows, users, wikiPageLinks, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { revisionHistory } from "#app/features/social/revisions.server.ts";
import { type Actor, inVisibleSpace, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { loadPage, type PageAccess } from "./access.server.ts";
import { linkedPageIds, unlinkHiddenPages } from "./markup.ts";
import { wikiPageUrl } from "./page-url.ts";

/**
 * Reading the wiki: a page with what surrounds it (breadcrumbs, the tree in the sidebar, subpages,
 * "linked from", owners), and a space's wiki. Every page named on screen is one the reader may
 * see; links in a page's text to pages they may not see are shown as plain text.
 */

export type TreeNode = { id: number; parentId: number | null; title: string; slug: string; url: string; children: TreeNode[]; subpages?: number };
export type PageLink = { id: number; title: string; url: string };

/** Whether a page is past its review date (verified pages only): it "needs review". */
export function needsReview(page: { reviewDueAt: Date | string | null }, now: Date): boolean {
  return page.reviewDueAt !== null && new Date(page.reviewDueAt).getTime() <= now.getTime();
}

/** The page's text for this reader: links to pages they can't see become plain text. One query when it links to any page. */
export async function htmlForReader(db: Db | Tx, actor: Actor, html: string): Promise<string> {
  const ids = linkedPageIds(html).filter(isRowId);
  if (ids.length === 0) return html;
  const visible = await db
    .select({ id: wikiPages.id })
    .from(wikiPages)
    .where(and(inArray(wikiPages.id, ids), isNull(wikiPages.deletedAt), inVisibleSpace(actor, wikiPages.spaceId)));
  return unlinkHiddenPages(html, new Set(visible.map((v) => v.id)));
}

/** The chain of pages above a page, top first. */
async function ancestors(db: Db | Tx, page: { parentId: number | null }): Promise<PageLink[]> {
  if (page.parentId === null) return [];
  const rows = await db.execute<{ id: number; title: string; slug: string; depth: number }>(sql`
    with recursive up(id, parent_id, title, slug, depth) as (
      select id, parent_id, title, slug, 0 from ${wikiPages} where id = ${page.parentId}
      union all
      select p.id, p.parent_id, p.title, p.slug, up.depth + 1 from ${wikiPages} p join up on p.id = up.parent_id where up.depth < 50
    )
    select id, title, slug, depth from up order by depth desc`);
  return rows.map((r) => ({ id: r.id, title: r.title, url: wikiPageUrl(r) }));
}

/**
 * Pages (in order) as a tree. `strays` are pages whose parent is not among the rows: kept at the
 * top, or left out.
 */
function buildTree(rows: ReadonlyArray<{ id: number; parentId: number | null; title: string; slug: string }>, { strays }: { strays: "top" | "drop" }): TreeNode[] {
  const nodes = new Map(rows.map((r) => [r.id, { ...r, url: wikiPageUrl(r), children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? null : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else if (node.parentId === null || strays === "top") roots.push(node);
  }
  return roots;
}

/**
 * The sidebar's tree for a space: every top-level page, and the subpages of each page on the way
 * to the current one (and of the current one), so the tree stays small however big the wiki.
 */
export async function spaceTree(db: Db | Tx, spaceId: number, openIds: readonly number[] = []): Promise<TreeNode[]> {
  const open = openIds.filter(isRowId);
  const rows = await db
    .select({ id: wikiPages.id, parentId: wikiPages.parentId, title: wikiPages.title, slug: wikiPages.slug })
    .from(wikiPages)
    .where(and(eq(wikiPages.spaceId, spaceId), isNull(wikiPages.deletedAt), open.length > 0 ? or(isNull(wikiPages.parentId), inArray(wikiPages.parentId, open)) : isNull(wikiPages.parentId)))
    .orderBy(asc(wikiPages.position), asc(wikiPages.id))
    .limit(2000);
  return buildTree(rows, { strays: "drop" });
}

export type PageView = Awaited<ReturnType<typeof pageView>>;

/** Everything a page shows, for a reader who may see it (else the 404 of a missing page). */
export async function pageView(db: Db, actor: Actor, pageId: number, now: Date) {
  const access = await loadPage(db, actor, { pageId }, { allowDeleted: true });
  const { page } = access;
  const path = await ancestors(db, page);
  const [html, tree, children, backlinks, owners, followRows, editors] = await Promise.all([
    htmlForReader(db, actor, page.bodyHtml),
    spaceTree(db, page.spaceId, [...path.map((p) => p.id), page.id]),
    db
      .select({ id: wikiPages.id, title: wikiPages.title, slug: wikiPages.slug })
      .from(wikiPages)
      .where(and(eq(wikiPages.parentId, page.id), isNull(wikiPages.deletedAt)))
      .orderBy(asc(wikiPages.position), asc(wikiPages.id))
      .limit(200),
    backlinksOf(db, actor, page.id),
    db
      .select({ id: users.id, name: users.name, title: users.title })
      .from(wikiPageOwners)
      .innerJoin(users, eq(users.id, wikiPageOwners.userId))
      .where(eq(wikiPageOwners.pageId, page.id))
      .orderBy(asc(wikiPageOwners.createdAt)),
    db
      .select({ item: follows.itemId, wiki: follows.wikiSpaceId })
      .from(follows)
      .where(and(eq(follows.userId, actor.id), or(eq(follows.itemId, page.itemId), eq(follows.wikiSpaceId, page.spaceId)))),
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [page.authorId, page.lastEditorId ?? page.authorId, page.verifiedById ?? page.authorId])),
  ]);
  const person = (id: number | null) => (id === null ? null : (editors.find((e) => e.id === id) ?? null));
  return {
    page: {
      id: page.id,
      itemId: page.itemId,
      title: page.title,
      slug: page.slug,
      url: wikiPageUrl(page),
      bodyHtml: html,
      toc: page.toc,
      tags: page.tags,
      revisionCount: page.revisionCount,
      commentCount: page.commentCount,
      createdAt: page.createdAt,
      author: person(page.authorId),
      lastEditedAt: page.lastEditedAt,
      lastEditor: person(page.lastEditorId),
      protected: page.protected,
      deletedAt: page.deletedAt,
      verification: {
        verifiedAt: page.verifiedAt,
        verifiedBy: person(page.verifiedById),
        reviewIntervalDays: page.reviewIntervalDays,
        reviewDueAt: page.reviewDueAt,
        needsReview: needsReview(page, now),
      },
    },
    space: { id: access.space.id, slug: access.space.slug, name: access.space.name, wikiProtected: access.space.wikiProtected },
    permissions: permissionsOf(access),
    breadcrumbs: path,
    tree,
    children: children.map((c) => ({ id: c.id, title: c.title, url: wikiPageUrl(c) })),
    backlinks,
    owners,
    following: { page: followRows.some((f) => f.item === page.itemId), wiki: followRows.some((f) => f.wiki === page.spaceId) },
  };
}

export function permissionsOf(access: PageAccess) {
  return {
    canEdit: access.canEditDirectly && !access.page.deletedAt,
    /** Protected pages take suggested edits from everyone else. */
    canSuggest: !access.canEditDirectly && !access.page.deletedAt,
    canManage: access.canManage,
    canModerate: access.canModerate,
    isOwner: access.isOwner,
    isProtected: access.isProtected,
  };
}

/** Pages the reader may see whose text links to this one ("linked from"). */
export async function backlinksOf(db: Db | Tx, actor: Actor, pageId: number): Promise<PageLink[]> {
  const rows = await db
    .select({ id: wikiPages.id, title: wikiPages.title, slug: wikiPages.slug })
    .from(wikiPageLinks)
    .innerJoin(wikiPages, eq(wikiPages.id, wikiPageLinks.fromPageId))
    .where(and(eq(wikiPageLinks.toPageId, pageId), isNull(wikiPages.deletedAt), inVisibleSpace(actor, wikiPages.spaceId)))
    .orderBy(asc(wikiPages.title))
    .limit(200);
  return rows.map((r) => ({ id: r.id, title: r.title, url: wikiPageUrl(r) }));
}

/** A space's wiki for a reader: its tree's top, and the pages changed most recently. */
export async function spaceWiki(db: Db, actor: Actor, slug: string, now: Date) {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  const [tree, recent, following, pageCount] = await Promise.all([
    spaceTree(db, space.id),
    db
      .select({
        id: wikiPages.id,
        title: wikiPages.title,
        slug: wikiPages.slug,
        updatedAt: sql<Date>`coalesce(${wikiPages.lastEditedAt}, ${wikiPages.createdAt})`,
        reviewDueAt: wikiPages.reviewDueAt,
        verifiedAt: wikiPages.verifiedAt,
      })
      .from(wikiPages)
      .where(and(eq(wikiPages.spaceId, space.id), isNull(wikiPages.deletedAt)))
      .orderBy(desc(sql`coalesce(${wikiPages.lastEditedAt}, ${wikiPages.createdAt})`), desc(wikiPages.id))
      .limit(10),
    db
      .select({ id: follows.id })
      .from(follows)
      .where(and(eq(follows.userId, actor.id), eq(follows.wikiSpaceId, space.id)))
      .limit(1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(wikiPages)
      .where(and(eq(wikiPages.spaceId, space.id), isNull(wikiPages.deletedAt))),
  ]);
  return {
    space: { id: space.id, slug: space.slug, name: space.name, wikiProtected: space.wikiProtected },
    membership,
    tree,
    pageCount: pageCount[0]?.n ?? 0,
    recent: recent.map((r) => ({ id: r.id, title: r.title, url: wikiPageUrl(r), updatedAt: r.updatedAt, verified: r.verifiedAt !== null, needsReview: needsReview(r, now) })),
    followingWiki: following.length > 0,
  };
}

/** A tree as a list in reading order, each page with its depth: for a select of pages. */
export function outline(tree: readonly TreeNode[], depth = 0): Array<{ id: number; title: string; depth: number }> {
  return tree.flatMap((node) => [{ id: node.id, title: node.title, depth }, ...outline(node.children, depth + 1)]);
}

/** Every page of a space's wiki as a tree (up to 2,000 pages): the wiki's home and the page pickers. One query. */
/**
 * The top of a space's tree, each page with how many subpages it has: what the wiki's home lists.
 * A page's own sidebar opens its branch, so the home stays small however big the wiki grows.
 */
export async function topOfTree(db: Db | Tx, spaceId: number): Promise<TreeNode[]> {
  const rows = await db
    .select({
      id: wikiPages.id,
      parentId: wikiPages.parentId,
      title: wikiPages.title,
      slug: wikiPages.slug,
      // Spelled out: in a one-table select drizzle writes ${wikiPages.id} as a bare "id", which the subquery would read as its own.
      subpages: sql<number>`(select count(*) from wiki_pages c where c.parent_id = wiki_pages.id and c.deleted_at is null)::int`,
    })
    .from(wikiPages)
    .where(and(eq(wikiPages.spaceId, spaceId), isNull(wikiPages.deletedAt), isNull(wikiPages.parentId)))
    .orderBy(asc(wikiPages.position), asc(wikiPages.id))
    .limit(2000);
  return rows.map((r) => ({ id: r.id, parentId: null, title: r.title, slug: r.slug, url: wikiPageUrl(r), children: [], subpages: r.subpages }));
}

export async function wholeSpaceTree(db: Db | Tx, spaceId: number): Promise<TreeNode[]> {
  const rows = await db
    .select({ id: wikiPages.id, parentId: wikiPages.parentId, title: wikiPages.title, slug: wikiPages.slug })
    .from(wikiPages)
    .where(and(eq(wikiPages.spaceId, spaceId), isNull(wikiPages.deletedAt)))
    .orderBy(asc(wikiPages.position), asc(wikiPages.id))
    .limit(2000);
  // A page whose parent is past the limit shows at the top rather than not at all.
  return buildTree(rows, { strays: "top" });
}

export const HISTORY_PAGE_SIZE = 50;

/** A page's history, newest first, a page of 50 revisions at a time, each with its diff against the one before it. */
export async function pageHistory(db: Db, actor: Actor, pageId: number, page: number) {
  const access = await loadPage(db, actor, { pageId }, { allowDeleted: true });
  const total = access.page.revisionCount;
  const shown = await revisionHistory(db, access.page.itemId, { limit: HISTORY_PAGE_SIZE, offset: (page - 1) * HISTORY_PAGE_SIZE });
  return {
    page: {
      id: access.page.id,
      itemId: access.page.itemId,
      title: access.page.title,
      slug: access.page.slug,
      url: wikiPageUrl(access.page),
      revisionCount: total,
      deleted: access.page.deletedAt !== null,
    },
    space: { id: access.space.id, slug: access.space.slug, name: access.space.name },
    permissions: permissionsOf(access),
    revisions: shown,
    total,
    offset: (page - 1) * HISTORY_PAGE_SIZE,
  };
}

/**
 * What the move screen offers: the pages a page may go under (any page of its space but itself
 * and its own subpages), the places among the chosen parent's subpages, and where "move up" and
 * "move down" among its current siblings would put it.
 */
export async function moveChoices(db: Db, actor: Actor, pageId: number, chosenParent: number | null | undefined) {
  const access = await loadPage(db, actor, { pageId });
  const { page } = access;
  const tree = await wholeSpaceTree(db, page.spaceId);
  const withoutSelf = (nodes: readonly TreeNode[]): TreeNode[] => nodes.filter((n) => n.id !== page.id).map((n) => ({ ...n, children: withoutSelf(n.children) }));
  const parents = outline(withoutSelf(tree));
  const parentId = chosenParent !== undefined && (chosenParent === null || parents.some((p) => p.id === chosenParent)) ? chosenParent : page.parentId;
  const childrenOf = (id: number | null): TreeNode[] => {
    if (id === null) return tree;
    const find = (nodes: readonly TreeNode[]): TreeNode | undefined => {
      for (const n of nodes) {
        if (n.id === id) return n;
        const found = find(n.children);
        if (found) return found;
      }
      return undefined;
    };
    return find(tree)?.children ?? [];
  };
  const siblingNodes = childrenOf(page.parentId);
  const siblings = siblingNodes.map((n) => n.id);
  const at = siblings.indexOf(page.id);
  return {
    page: { id: page.id, title: page.title, slug: page.slug, url: wikiPageUrl(page), parentId: page.parentId },
    space: { id: access.space.id, slug: access.space.slug, name: access.space.name },
    permissions: permissionsOf(access),
    parents,
    parentId,
    places: childrenOf(parentId)
      .filter((n) => n.id !== page.id)
      .map((n) => ({ id: n.id, title: n.title })),
    siblings: siblingNodes.map((n) => ({ id: n.id, title: n.title })),
    // Up: before the sibling above. Down: before the one two below, or last.
    up: at > 0 ? { beforeId: siblings[at - 1]! } : null,
    down: at !== -1 && at < siblings.length - 1 ? { beforeId: siblings[at + 2] ?? null } : null,
  };
}

import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { follows, spaces, users, wikiPageLinks, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { notifyMentions } from "#app/features/notifications/mentions.server.ts";
import { isModerator, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import { followInTx, itemFollowers } from "#app/features/social/follows.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { appendRevision, diffRevisions, revisionAt, type RevisionView } from "#app/features/social/revisions.server.ts";
import { earlierSubmission, onceBySubmission } from "#app/features/social/submission.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { type Actor, inVisibleSpace, spaceBySlugForActor, type Space } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { recordDeletion } from "#app/features/audit/audit.server.ts";
import { loadPage, type PageAccess, type WikiPage } from "./access.server.ts";
import { addHeadingAnchors, linkKey, replaceWikiLinks, type TocEntry, wikiLinkTargets } from "./markup.ts";
import { pageSlug, wikiPageUrl } from "./page-url.ts";
import type { EditPageInput, MovePageInput, NewPageInput } from "./schemas.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Writing wiki pages: create, save (every save a revision), restore an old version, move in the
 * tree, delete and restore. Each write is one transaction on the locked page row.
 *
 * Two people editing one page: a save names the revision its editor started from; when the page
 * has moved on since, the save is refused with an EditConflictError carrying the version saved
 * meanwhile and what changed, and the form comes back with the editor's own text, so both texts are
 * on screen and nothing is lost.
 */

export type PageText = { title: string; body: string; tags: string[] };

/** A save over a newer version than the one the editor started from. */
export class EditConflictError extends InputError {
  readonly current: { revision: number; title: string; body: string; tags: string[]; editor: { id: number; name: string } | null; savedAt: Date | null };
  /** What changed between the version the editor started from and the current one. */
  readonly meanwhile: NonNullable<RevisionView["diff"]>;

  constructor(current: EditConflictError["current"], meanwhile: EditConflictError["meanwhile"]) {
    super(
      `${current.editor?.name ?? "Someone"} saved this page while you were editing it. Your text is below, unsaved; their changes are shown beside it. Merge what you need, then save again.`,
    );
    this.name = "EditConflictError";
    this.current = current;
    this.meanwhile = meanwhile;
  }
}

type Rendered = { bodyHtml: string; toc: TocEntry[]; links: Array<{ targetTitle: string; toPageId: number | null }> };

function missingPageUrl(space: Pick<Space, "slug">, title: string): string {
  return `/spaces/${encodeURIComponent(space.slug)}/wiki/new?title=${encodeURIComponent(title)}`;
}

/** Turns resolved `[[links]]` into markdown links and renders the page through the one markdown module. */
function renderWithLinks(body: string, space: Pick<Space, "slug">, targets: ReadonlyMap<string, { id: number; slug: string }>): Omit<Rendered, "links"> {
  const source = replaceWikiLinks(
    body,
    (key) => {
      const target = targets.get(key);
      return target ? wikiPageUrl(target) : null;
    },
    (title) => missingPageUrl(space, title),
  );
  const { html, toc } = addHeadingAnchors(renderField(source, "body"));
  return { bodyHtml: html, toc };
}

/**
 * Renders a page's text for `actor`, who writes it: each `[[Title]]` resolves to a page with that
 * title in a space the writer may see (their own space's first, then the oldest), so a link can't
 * be used to find out that a hidden page exists.
 */
export async function renderPage(tx: Db | Tx, actor: Actor, space: Pick<Space, "id" | "slug">, body: string): Promise<Rendered> {
  const keys = wikiLinkTargets(body);
  const targets = new Map<string, { id: number; slug: string }>();
  if (keys.length > 0) {
    const rows = await tx
      .selectDistinctOn([sql`lower(${wikiPages.title})`], { key: sql<string>`lower(${wikiPages.title})`, id: wikiPages.id, slug: wikiPages.slug })
      .from(wikiPages)
      .where(and(inArray(sql`lower(${wikiPages.title})`, keys), isNull(wikiPages.deletedAt), inVisibleSpace(actor, wikiPages.spaceId)))
      .orderBy(sql`lower(${wikiPages.title})`, sql`${wikiPages.spaceId} <> ${space.id}`, asc(wikiPages.id));
    for (const r of rows) targets.set(r.key, { id: r.id, slug: r.slug });
  }
  const rendered = renderWithLinks(body, space, targets);
  return { ...rendered, links: keys.map((key) => ({ targetTitle: key, toPageId: targets.get(key)?.id ?? null })) };
}

async function writeLinks(tx: Tx, pageId: number, links: Rendered["links"]): Promise<void> {
  await tx.delete(wikiPageLinks).where(eq(wikiPageLinks.fromPageId, pageId));
  if (links.length > 0) await tx.insert(wikiPageLinks).values(links.map((l) => ({ fromPageId: pageId, ...l })));
}

/**
 * A page now answers to `title`: links written before it existed (`[[Title]]` that led to "create
 * this page") now lead to it, and the pages holding them are re-rendered with the links they
 * already resolved plus this one.
 */
async function resolveWaitingLinks(tx: Tx, page: Pick<WikiPage, "id" | "slug" | "title">): Promise<void> {
  const waiting = await tx
    .update(wikiPageLinks)
    .set({ toPageId: page.id })
    .where(and(eq(wikiPageLinks.targetTitle, linkKey(page.title)), isNull(wikiPageLinks.toPageId), ne(wikiPageLinks.fromPageId, page.id)))
    .returning({ fromPageId: wikiPageLinks.fromPageId });
  if (waiting.length === 0) return;
  await rerenderLinkingPages(
    tx,
    waiting.map((w) => w.fromPageId),
  );
}

/** Re-renders pages' HTML from their stored text and their stored link targets (no writer to ask, so no new resolutions). */
async function rerenderLinkingPages(tx: Tx, pageIds: readonly number[]): Promise<void> {
  const sources = await tx
    .select({ id: wikiPages.id, body: wikiPages.body, spaceSlug: spaces.slug })
    .from(wikiPages)
    .innerJoin(spaces, eq(spaces.id, wikiPages.spaceId))
    .where(inArray(wikiPages.id, [...pageIds]))
    .for("update", { of: wikiPages });
  const links = await tx
    .select({ fromPageId: wikiPageLinks.fromPageId, key: wikiPageLinks.targetTitle, id: wikiPages.id, slug: wikiPages.slug })
    .from(wikiPageLinks)
    .innerJoin(wikiPages, eq(wikiPages.id, wikiPageLinks.toPageId))
    .where(inArray(wikiPageLinks.fromPageId, [...pageIds]));
  for (const source of sources) {
    const targets = new Map(links.filter((l) => l.fromPageId === source.id).map((l) => [l.key, { id: l.id, slug: l.slug }]));
    let rendered: Omit<Rendered, "links">;
    try {
      rendered = renderWithLinks(source.body, { slug: source.spaceSlug }, targets);
    } catch (error) {
      // A link that makes a stored text too long to render leaves that page as it was.
      if (error instanceof InputError) continue;
      throw error;
    }
    await tx.update(wikiPages).set({ bodyHtml: rendered.bodyHtml, toc: rendered.toc }).where(eq(wikiPages.id, source.id));
  }
}

/** Titles are unique within a space's wiki (among pages not deleted), so `[[Title]]` means one page there. */
async function assertTitleFree(tx: Tx, spaceId: number, title: string, exceptPageId: number | null): Promise<void> {
  // Two saves taking the same title at once take turns here.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`wiki-title:${spaceId}:${linkKey(title)}`}))`);
  const [taken] = await tx
    .select({ id: wikiPages.id })
    .from(wikiPages)
    .where(
      and(
        eq(wikiPages.spaceId, spaceId),
        sql`lower(${wikiPages.title}) = ${linkKey(title)}`,
        isNull(wikiPages.deletedAt),
        exceptPageId === null ? undefined : ne(wikiPages.id, exceptPageId),
      ),
    )
    .limit(1);
  if (taken) throw InputError.field("title", "A page with this title already exists in this space's wiki: choose another title, or edit that page.");
}

/** People who hear about a page's changes: its followers and the followers of its space's wiki. */
async function pageAudience(tx: Tx, page: Pick<WikiPage, "itemId" | "spaceId">): Promise<number[]> {
  const [pageFollowers, wikiFollowers] = await Promise.all([
    itemFollowers(tx, page.itemId),
    tx
      .select({ userId: follows.userId })
      .from(follows)
      .where(eq(follows.wikiSpaceId, page.spaceId))
      .then((rows) => rows.map((r) => r.userId)),
  ]);
  return [...new Set([...pageFollowers, ...wikiFollowers])];
}

/** After a page's text changed: mentions, followers, uploads and search, in the writer's transaction. */
async function afterTextChange(tx: Tx, actorId: number, page: Pick<WikiPage, "id" | "itemId" | "spaceId">, body: string, previousBody: string | null): Promise<void> {
  const mentioned = await notifyMentions(tx, { actorId, spaceId: page.spaceId, itemId: page.itemId, text: body, previousText: previousBody });
  const audience = (await pageAudience(tx, page)).filter((id) => !mentioned.has(id));
  await notify(tx, audience, { kind: "page_edit", actorId, spaceId: page.spaceId, itemId: page.itemId });
  await attachUploads(tx, { uploaderId: actorId, itemId: page.itemId, body });
  await enqueueIndexing(tx, "wiki_page", [page.id]);
}

/** Where a new page goes among its siblings: last. */
async function nextPosition(tx: Tx, spaceId: number, parentId: number | null): Promise<number> {
  const [row] = await tx
    .select({ max: sql<number | null>`max(${wikiPages.position})` })
    .from(wikiPages)
    .where(and(eq(wikiPages.spaceId, spaceId), parentId === null ? isNull(wikiPages.parentId) : eq(wikiPages.parentId, parentId)));
  return (row?.max ?? -1) + 1;
}

/** A parent for a page in `spaceId`: a page of the same space the actor may see and not deleted. */
async function checkParent(tx: Tx, actor: Actor, spaceId: number, parentId: number | null): Promise<void> {
  if (parentId === null) return;
  let parent: PageAccess;
  try {
    parent = await loadPage(tx, actor, { pageId: parentId });
  } catch (error) {
    if (error instanceof NotFoundError) throw InputError.field("parentId", "That parent page no longer exists: choose another.");
    throw error;
  }
  if (parent.page.spaceId !== spaceId) throw InputError.field("parentId", "A page's parent must be in the same space.");
}

/** Creates a page in a space's wiki; its writer becomes its first owner and follows it. A double submit finds the first page. */
export async function createPage(db: Db | Tx, actor: ReputationActor, spaceSlug: string, input: NewPageInput): Promise<{ id: number; slug: string; created: boolean }> {
  return db.transaction(async (tx) => {
    // A double submit finds the first page before anything else is checked (its title is taken by now: by itself).
    const earlier = await earlierSubmission(tx, wikiPages, { author: wikiPages.authorId, key: wikiPages.submissionKey, id: wikiPages.id }, actor.id, input.submissionKey);
    if (earlier !== null) {
      const [first] = await tx.select({ id: wikiPages.id, slug: wikiPages.slug }).from(wikiPages).where(eq(wikiPages.id, earlier));
      return { id: first!.id, slug: first!.slug, created: false };
    }
    const { space, membership } = await spaceBySlugForActor(tx, actor, spaceSlug);
    if (space.wikiProtected && !(isModerator(actor, membership) || (await ownsPageIn(tx, actor, space)))) {
      // A protected wiki takes new pages from its moderators and from owners of other pages in it only.
      throw new ForbiddenError("This space's wiki is protected: only its moderators and page owners add pages. Suggest an edit to an existing page instead.");
    }
    await checkParent(tx, actor, space.id, input.parentId);
    await assertTitleFree(tx, space.id, input.title, null);
    const rendered = await renderPage(tx, actor, space, input.body);
    const slug = pageSlug(input.title);
    const position = await nextPosition(tx, space.id, input.parentId);
    const result = await onceBySubmission(tx, wikiPages, { author: wikiPages.authorId, key: wikiPages.submissionKey, id: wikiPages.id }, actor.id, input.submissionKey, async () => {
      const [row] = await tx
        .insert(wikiPages)
        .values({
          spaceId: space.id,
          parentId: input.parentId,
          position,
          slug,
          title: input.title,
          body: input.body,
          bodyHtml: rendered.bodyHtml,
          toc: rendered.toc,
          tags: input.tags,
          authorId: actor.id,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [wikiPages.authorId, wikiPages.submissionKey] })
        .returning({ id: wikiPages.id });
      return row?.id ?? null;
    });
    const [page] = await tx.select().from(wikiPages).where(eq(wikiPages.id, result.id));
    if (!result.created) return { id: page!.id, slug: page!.slug, created: false };
    await tx.insert(wikiPageOwners).values({ pageId: page!.id, userId: actor.id });
    await appendRevision(tx, { itemId: page!.itemId, kind: "create", editorId: actor.id, title: input.title, body: input.body, tags: input.tags });
    await writeLinks(tx, page!.id, rendered.links);
    await resolveWaitingLinks(tx, page!);
    await followInTx(tx, actor.id, page!.itemId);
    await afterTextChange(tx, actor.id, page!, input.body, null);
    return { id: page!.id, slug: page!.slug, created: true };
  });
}

/** Whether the actor owns a page in the space (and so may add pages to its protected wiki). */
async function ownsPageIn(tx: Tx, actor: Actor, space: Space): Promise<boolean> {
  const [owner] = await tx
    .select({ one: sql`1` })
    .from(wikiPageOwners)
    .innerJoin(wikiPages, eq(wikiPages.id, wikiPageOwners.pageId))
    .where(and(eq(wikiPageOwners.userId, actor.id), eq(wikiPages.spaceId, space.id)))
    .limit(1);
  return owner !== undefined;
}

export type Change = PageText & { comment: string; kind: "edit" | "rollback"; rolledBackTo?: number | null };

/**
 * Applies a new version to a locked page, as `editorId`: the row, a revision, links, waiting links
 * to a new title, mentions, followers, uploads and search. Shared by saving, restoring and
 * approving a suggested edit (whose editor is the suggester). The caller has checked who may.
 */
export async function applyPageChange(tx: Tx, access: PageAccess, editorId: number, change: Change): Promise<{ revision: number }> {
  const { page, space } = access;
  const sameTags = change.tags.length === page.tags.length && change.tags.every((t, i) => t === page.tags[i]);
  if (change.title === page.title && change.body === page.body && sameTags) {
    throw new InputError(
      change.kind === "rollback" ? "That version is the current text already: there is nothing to restore." : "Nothing changed: edit the text, title or tags before saving.",
    );
  }
  const titleChanged = change.title !== page.title;
  if (titleChanged) await assertTitleFree(tx, page.spaceId, change.title, page.id);
  const [editor] = await tx.select({ id: users.id, role: users.role, kind: users.kind, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, editorId));
  const rendered = await renderPage(tx, editor!, space, change.body);
  const { number } = await appendRevision(tx, {
    itemId: page.itemId,
    kind: change.kind,
    editorId,
    title: change.title,
    body: change.body,
    tags: change.tags,
    comment: change.comment,
    rolledBackTo: change.rolledBackTo ?? null,
  });
  const slug = titleChanged ? pageSlug(change.title) : page.slug;
  await tx
    .update(wikiPages)
    .set({
      title: change.title,
      slug,
      body: change.body,
      bodyHtml: rendered.bodyHtml,
      toc: rendered.toc,
      tags: change.tags,
      revisionCount: number,
      lastEditorId: editorId,
      lastEditedAt: sql`now()`,
    })
    .where(eq(wikiPages.id, page.id));
  await writeLinks(tx, page.id, rendered.links);
  if (titleChanged) await resolveWaitingLinks(tx, { id: page.id, slug, title: change.title });
  await afterTextChange(tx, editorId, page, change.body, page.body);
  return { revision: number };
}

/** The conflict a save over a newer version meets: the current version and what changed since the editor's. */
async function conflict(tx: Tx, page: WikiPage, baseRevision: number): Promise<EditConflictError> {
  const base = await revisionAt(tx, page.itemId, baseRevision);
  const [editor] = page.lastEditorId ? await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, page.lastEditorId)) : [];
  const current = { title: page.title, body: page.body, tags: page.tags };
  const meanwhile = diffRevisions(base ? { title: base.title, body: base.body, tags: base.tags } : { title: "", body: "", tags: [] }, current);
  return new EditConflictError({ revision: page.revisionCount, ...current, editor: editor ?? null, savedAt: page.lastEditedAt }, meanwhile);
}

/** Saves a page as a new revision, or refuses with EditConflictError when it changed since `baseRevision`. */
export async function savePage(db: Db, actor: ReputationActor, pageId: number, input: EditPageInput): Promise<{ revision: number; url: string }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    if (!access.canEditDirectly) throw new ForbiddenError("This page is protected: its owners and moderators edit it; you can suggest an edit for them to review.");
    if (input.baseRevision !== access.page.revisionCount) throw await conflict(tx, access.page, input.baseRevision);
    const { revision } = await applyPageChange(tx, access, actor.id, { title: input.title, body: input.body, tags: input.tags, comment: input.comment, kind: "edit" });
    const [row] = await tx.select({ id: wikiPages.id, slug: wikiPages.slug }).from(wikiPages).where(eq(wikiPages.id, pageId));
    return { revision, url: wikiPageUrl(row!) };
  });
}

/** Restores an old version as a new revision (history stays whole). The same conflict rule as a save. */
export async function restorePage(db: Db, actor: ReputationActor, pageId: number, number: number, baseRevision: number): Promise<{ revision: number }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    if (!access.canEditDirectly) throw new ForbiddenError("This page is protected: its owners and moderators restore its versions.");
    if (baseRevision !== access.page.revisionCount) throw await conflict(tx, access.page, baseRevision);
    const old = await revisionAt(tx, access.page.itemId, number);
    if (!old) throw new NotFoundError();
    if (old.redactedAt) throw new InputError("That version was redacted by a moderator and can't be restored.");
    return applyPageChange(tx, access, actor.id, {
      title: old.title ?? access.page.title,
      body: old.body,
      tags: old.tags,
      comment: `Restored version ${number}`,
      kind: "rollback",
      rolledBackTo: number,
    });
  });
}

/**
 * Moves a page in its space's tree: under another page (or to the top) and before a sibling (or
 * last). Its siblings are renumbered so the order has no gaps. A page can't move under itself or
 * its own descendants.
 */
export async function movePage(db: Db, actor: ReputationActor, pageId: number, input: MovePageInput): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    if (!access.canEditDirectly) throw new ForbiddenError("This page is protected: its owners and moderators move it.");
    const { page } = access;
    await checkParent(tx, actor, page.spaceId, input.parentId);
    if (input.parentId !== null) {
      const [cycle] = await tx.execute<{ id: number }>(sql`
        with recursive up(id, parent_id) as (
          select id, parent_id from ${wikiPages} where id = ${input.parentId}
          union all
          select p.id, p.parent_id from ${wikiPages} p join up on p.id = up.parent_id
        )
        select id from up where id = ${page.id} limit 1`);
      if (cycle) throw InputError.field("parentId", "A page can't move under itself or one of its own subpages.");
    }
    const siblings = await tx
      .select({ id: wikiPages.id })
      .from(wikiPages)
      .where(
        and(
          eq(wikiPages.spaceId, page.spaceId),
          input.parentId === null ? isNull(wikiPages.parentId) : eq(wikiPages.parentId, input.parentId),
          ne(wikiPages.id, page.id),
          isNull(wikiPages.deletedAt),
        ),
      )
      .orderBy(asc(wikiPages.position), asc(wikiPages.id))
      .for("update");
    const order = siblings.map((s) => s.id);
    const at = input.beforeId === null ? -1 : order.indexOf(input.beforeId);
    if (input.beforeId !== null && at === -1) throw InputError.field("beforeId", "That page is not under the parent you chose: pick a place among its subpages.");
    order.splice(at === -1 ? order.length : at, 0, page.id);
    await tx.update(wikiPages).set({ parentId: input.parentId }).where(eq(wikiPages.id, page.id));
    // One statement renumbers every sibling.
    await tx.execute(sql`
      update ${wikiPages} set position = o.position
      from unnest(${intArray(order)}) with ordinality as o(id, position)
      where ${wikiPages.id} = o.id`);
    await enqueueIndexing(tx, "wiki_page", [page.id]);
  });
}

/**
 * Deletes a page (owners and moderators): it leaves the tree, its subpages move up to its parent,
 * links to it become plain text, and it leaves search. It can be restored from the same page.
 */
export async function deletePage(db: Db | Tx, actor: ReputationActor, pageId: number): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true, allowDeleted: true });
    if (access.page.deletedAt) return { changed: false };
    if (!access.canManage) throw new ForbiddenError("Only the page's owners and moderators can delete it.");
    await tx.update(wikiPages).set({ parentId: access.page.parentId }).where(eq(wikiPages.parentId, access.page.id));
    await tx
      .update(wikiPages)
      .set({ deletedAt: sql`now()`, deletedById: actor.id })
      .where(eq(wikiPages.id, access.page.id));
    await recordDeletion(tx, actor.id, { type: "wiki_page", id: access.page.itemId, spaceId: access.page.spaceId, authorId: access.page.authorId }, true);
    await enqueueIndexing(tx, "wiki_page", [access.page.id]);
    return { changed: true };
  });
}

/** Restores a deleted page at the top of its space's tree (its old place may be gone), unless its title was taken meanwhile. */
export async function undeletePage(db: Db, actor: ReputationActor, pageId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true, allowDeleted: true });
    if (!access.page.deletedAt) return;
    if (!access.canManage) throw new ForbiddenError("Only the page's owners and moderators can restore it.");
    try {
      await assertTitleFree(tx, access.page.spaceId, access.page.title, access.page.id);
    } catch (error) {
      if (error instanceof InputError) throw new InputError("Another page has taken this page's title since it was deleted: rename that one first.");
      throw error;
    }
    const position = await nextPosition(tx, access.page.spaceId, null);
    await tx.update(wikiPages).set({ deletedAt: null, deletedById: null, parentId: null, position }).where(eq(wikiPages.id, access.page.id));
    await recordDeletion(tx, actor.id, { type: "wiki_page", id: access.page.itemId, spaceId: access.page.spaceId, authorId: access.page.authorId }, false);
    await resolveWaitingLinks(tx, access.page);
    await enqueueIndexing(tx, "wiki_page", [access.page.id]);
  });
}

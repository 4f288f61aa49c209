import { type SQL, and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, spaces, users, wikiPageOwners, wikiPages, wikiPromotions, wikiSuggestions } from "#db/schema/index.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { diffRevisions, revisionAt, type RevisionView } from "#app/features/social/revisions.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import { type Actor, canManageSpace, inVisibleSpace, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { loadPage, type PageAccess, type WikiPage } from "./access.server.ts";
import { type ApproveInput, type EditSuggestionInput, ResolvedTextSchema, type SuggestInput } from "./governance-schemas.ts";
import { linkKey } from "./markup.ts";
import { applyPageChange } from "./pages.server.ts";
import { wikiPageUrl } from "./page-url.ts";
import { recordPromotion } from "./promotion-credit.server.ts";
import { recordWikiReputation } from "./reputation.server.ts";

/**
 * Suggested edits. On a protected page (the page's flag or its space's), edits by anyone but its
 * owners and moderators become suggestions; anyone who sees a page may also choose to suggest. A
 * suggestion is the whole proposed title and text with the revision it started from, and a comment
 * saying why.
 *
 * Owners and moderators approve it, ask for changes, or decline it with a reason; the suggester is
 * told every outcome. Approving writes a revision authored by the suggester, in one transaction
 * with the page's row locked. When the page changed after the suggestion was written, approving
 * needs the reviewer's resolved text, made with both changes on screen: nothing is merged blindly,
 * and a save that lands while the reviewer looks makes the approval see the conflict instead of
 * overwriting it.
 */

export type Suggestion = typeof wikiSuggestions.$inferSelect;
export type SuggestionStatus = Suggestion["status"];

/** Statuses in which a suggestion still waits for someone: its reviewers (open) or its writer (changes requested). */
export const LIVE_STATUSES: readonly SuggestionStatus[] = ["open", "changes_requested"];
const isLive = (status: SuggestionStatus) => LIVE_STATUSES.includes(status);
const liveSql = inArray(wikiSuggestions.status, [...LIVE_STATUSES]);

const DAY_MS = 24 * 3600 * 1000;
/** Whole days since `date`, for "3 days" in the queue. */
const ageInDays = (date: Date, now: Date) => Math.max(0, Math.floor((now.getTime() - date.getTime()) / DAY_MS));

async function ownerIds(tx: Db | Tx, pageId: number): Promise<number[]> {
  const rows = await tx.select({ userId: wikiPageOwners.userId }).from(wikiPageOwners).where(eq(wikiPageOwners.pageId, pageId));
  return rows.map((r) => r.userId);
}

/** A title another page of the space has (titles are unique within a space's wiki): told now, not at approval. */
async function checkTitleFree(tx: Db | Tx, page: WikiPage, title: string): Promise<void> {
  if (linkKey(title) === linkKey(page.title)) return;
  const [taken] = await tx
    .select({ id: wikiPages.id })
    .from(wikiPages)
    .where(and(eq(wikiPages.spaceId, page.spaceId), sql`lower(${wikiPages.title}) = ${linkKey(title)}`, isNull(wikiPages.deletedAt), ne(wikiPages.id, page.id)))
    .limit(1);
  if (taken) throw InputError.field("title", "Another page in this space's wiki has this title: choose another.");
}

/** The editor of a suggestion: the page as it is now, which the suggestion starts from. */
export async function suggestForm(db: Db, actor: Actor, pageId: number) {
  const access = await loadPage(db, actor, { pageId });
  const { page, space } = access;
  return {
    page: { id: page.id, title: page.title, body: page.body, url: wikiPageUrl(page), revisionCount: page.revisionCount },
    space: { slug: space.slug, name: space.name },
    isProtected: access.isProtected,
    canEditDirectly: access.canEditDirectly,
  };
}

/**
 * Inserts a suggestion and tells the page's owners, inside the caller's transaction. A double
 * submit finds the first one. Used by the suggest form and by promoting an answer as a section.
 */
export async function createSuggestionInTx(
  tx: Tx,
  access: PageAccess,
  authorId: number,
  input: { title: string; body: string; comment: string; baseRevision: number; submissionKey?: string | undefined; promotedFromPostId?: number | null },
): Promise<{ id: number; created: boolean }> {
  const { page } = access;
  const result = await onceBySubmission(
    tx,
    wikiSuggestions,
    { author: wikiSuggestions.authorId, key: wikiSuggestions.submissionKey, id: wikiSuggestions.id },
    authorId,
    input.submissionKey,
    async () => {
      const [row] = await tx
        .insert(wikiSuggestions)
        .values({
          pageId: page.id,
          spaceId: page.spaceId,
          authorId,
          baseRevision: input.baseRevision,
          title: input.title,
          body: input.body,
          comment: input.comment,
          promotedFromPostId: input.promotedFromPostId ?? null,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [wikiSuggestions.authorId, wikiSuggestions.submissionKey] })
        .returning({ id: wikiSuggestions.id });
      return row?.id ?? null;
    },
  );
  if (result.created) await notify(tx, await ownerIds(tx, page.id), { kind: "suggestion", actorId: authorId, spaceId: page.spaceId, itemId: page.itemId });
  return result;
}

/** Suggests an edit to a page the actor sees, from the revision they started with. */
export async function submitSuggestion(db: Db, actor: Actor, pageId: number, input: SuggestInput): Promise<{ id: number; created: boolean }> {
  // The text must be one the markdown module renders (nesting, length), since accepting it makes it the page.
  renderField(input.body, "body");
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId });
    const base = input.baseRevision <= access.page.revisionCount ? await revisionAt(tx, access.page.itemId, input.baseRevision) : null;
    if (!base) throw new InputError("The form lost track of the version it started from; reload the page.");
    if ((base.title ?? access.page.title) === input.title && base.body === input.body) {
      throw new InputError("Nothing changed: edit the title or the text before suggesting.");
    }
    await checkTitleFree(tx, access.page, input.title);
    return createSuggestionInTx(tx, access, actor.id, input);
  });
}

/** One suggestion of a page the actor sees (else the 404 of a missing one), with the page, optionally locked. */
async function loadSuggestion(
  tx: Db | Tx,
  actor: Actor,
  pageId: number,
  suggestionId: number,
  options: { forUpdate?: boolean } = {},
): Promise<{ access: PageAccess; suggestion: Suggestion }> {
  if (!isRowId(suggestionId)) throw new NotFoundError();
  const access = await loadPage(tx, actor, { pageId }, { forUpdate: options.forUpdate ?? false });
  const query = tx
    .select()
    .from(wikiSuggestions)
    .where(and(eq(wikiSuggestions.id, suggestionId), eq(wikiSuggestions.pageId, access.page.id)));
  const [suggestion] = options.forUpdate ? await query.for("update") : await query;
  if (!suggestion) throw new NotFoundError();
  return { access, suggestion };
}

const author = alias(users, "suggester");
const reviewer = alias(users, "reviewer");

/** The review screen: the suggestion, its diff against the version it started from, and the conflict when the page moved on since. */
export async function suggestionView(db: Db, actor: Actor, pageId: number, suggestionId: number) {
  const { access, suggestion: s } = await loadSuggestion(db, actor, pageId, suggestionId);
  const { page } = access;
  const [[people], base, lastEditor, source] = await Promise.all([
    db
      .select({ author: { id: author.id, name: author.name }, reviewer: { id: reviewer.id, name: reviewer.name } })
      .from(wikiSuggestions)
      .innerJoin(author, eq(author.id, wikiSuggestions.authorId))
      .leftJoin(reviewer, eq(reviewer.id, wikiSuggestions.reviewerId))
      .where(eq(wikiSuggestions.id, s.id)),
    revisionAt(db, page.itemId, s.baseRevision),
    page.lastEditorId === null ? Promise.resolve([]) : db.select({ name: users.name }).from(users).where(eq(users.id, page.lastEditorId)),
    s.promotedFromPostId === null ? Promise.resolve(null) : promotedSource(db, actor, s.promotedFromPostId),
  ]);
  const baseText = { title: base?.title ?? page.title, body: base?.body ?? "", tags: [] as string[] };
  const live = isLive(s.status);
  const conflicted = live && page.revisionCount !== s.baseRevision;
  return {
    page: { id: page.id, title: page.title, url: wikiPageUrl(page), revisionCount: page.revisionCount, body: page.body },
    space: { slug: access.space.slug, name: access.space.name },
    suggestion: {
      id: s.id,
      status: s.status,
      title: s.title,
      body: s.body,
      comment: s.comment,
      baseRevision: s.baseRevision,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      author: people!.author,
      reviewer: people!.reviewer?.id ? people!.reviewer : null,
      reviewNote: s.reviewNote,
      reviewedAt: s.reviewedAt,
      resultRevision: s.resultRevision,
      promotedFrom: source,
    },
    base: baseText,
    diff: diffRevisions(baseText, { title: s.title, body: s.body, tags: [] }),
    /** The page changed since the suggestion was written: what changed meanwhile, and the current text to resolve against. */
    conflict: conflicted
      ? {
          revision: page.revisionCount,
          title: page.title,
          body: page.body,
          editor: lastEditor[0]?.name ?? null,
          meanwhile: diffRevisions(baseText, { title: page.title, body: page.body, tags: [] }),
        }
      : null,
    permissions: {
      canReview: access.canManage && live && s.authorId !== actor.id,
      isAuthor: s.authorId === actor.id,
      canEdit: s.authorId === actor.id && live,
    },
  };
}

export type SuggestionView = Awaited<ReturnType<typeof suggestionView>>;
export type SuggestionDiff = NonNullable<RevisionView["diff"]>;

/** The question an answer promoted through a suggestion came from, when the reader sees it. */
async function promotedSource(db: Db, actor: Actor, postId: number): Promise<{ title: string; url: string } | null> {
  const question = alias(posts, "question");
  const [row] = await db
    .select({ id: question.id, title: question.title, answerId: posts.id })
    .from(posts)
    .innerJoin(question, eq(question.id, posts.parentId))
    .where(and(eq(posts.id, postId), isNull(posts.deletedAt), isNull(question.deletedAt), inVisibleSpace(actor, posts.spaceId)));
  return row ? { title: row.title ?? "", url: questionUrl(row, `answer-${row.answerId}`) } : null;
}

/** The suggester's editor for their own open (or sent back) suggestion. */
export async function editableSuggestion(db: Db, actor: Actor, pageId: number, suggestionId: number) {
  const { access, suggestion } = await loadSuggestion(db, actor, pageId, suggestionId);
  if (suggestion.authorId !== actor.id) throw new ForbiddenError("Only the person who suggested an edit changes it.");
  if (!isLive(suggestion.status)) throw new ForbiddenError("This suggestion has been reviewed or withdrawn: suggest a new edit instead.");
  return {
    page: { id: access.page.id, title: access.page.title, url: wikiPageUrl(access.page) },
    space: { slug: access.space.slug, name: access.space.name },
    suggestion: { id: suggestion.id, title: suggestion.title, body: suggestion.body, comment: suggestion.comment, status: suggestion.status, reviewNote: suggestion.reviewNote },
  };
}

/** The suggester changes their suggestion; one sent back for changes is open again, and the owners hear of it. */
export async function editSuggestion(db: Db, actor: Actor, pageId: number, suggestionId: number, input: EditSuggestionInput): Promise<void> {
  renderField(input.body, "body");
  await db.transaction(async (tx) => {
    const { access, suggestion } = await loadSuggestion(tx, actor, pageId, suggestionId, { forUpdate: true });
    if (suggestion.authorId !== actor.id) throw new ForbiddenError("Only the person who suggested an edit changes it.");
    if (!isLive(suggestion.status)) throw new InputError("This suggestion has been reviewed or withdrawn meanwhile: suggest a new edit instead.");
    const base = await revisionAt(tx, access.page.itemId, suggestion.baseRevision);
    if (base && (base.title ?? access.page.title) === input.title && base.body === input.body) {
      throw new InputError("This is the page's text as it was: nothing would change. Edit it, or withdraw the suggestion.");
    }
    await checkTitleFree(tx, access.page, input.title);
    await tx.update(wikiSuggestions).set({ title: input.title, body: input.body, comment: input.comment, status: "open" }).where(eq(wikiSuggestions.id, suggestion.id));
    if (suggestion.status === "changes_requested") {
      await notify(tx, await ownerIds(tx, access.page.id), { kind: "suggestion", actorId: actor.id, spaceId: access.page.spaceId, itemId: access.page.itemId });
    }
  });
}

/** The suggester takes their suggestion back while it still waits. */
export async function withdrawSuggestion(db: Db, actor: Actor, pageId: number, suggestionId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const { suggestion } = await loadSuggestion(tx, actor, pageId, suggestionId, { forUpdate: true });
    if (suggestion.authorId !== actor.id) throw new ForbiddenError("Only the person who suggested an edit withdraws it.");
    if (!isLive(suggestion.status)) throw new InputError("This suggestion has been reviewed or withdrawn already.");
    await tx.update(wikiSuggestions).set({ status: "withdrawn" }).where(eq(wikiSuggestions.id, suggestion.id));
  });
}

export type ReviewDecision = ({ kind: "approve" } & ApproveInput) | { kind: "request_changes"; note: string } | { kind: "decline"; note: string };

const DONE_LABEL: Record<SuggestionStatus, string> = {
  open: "open",
  changes_requested: "sent back for changes",
  approved: "approved",
  declined: "declined",
  withdrawn: "withdrawn",
};

/** "Suggested by Ada, approved by Grace: fixed the VPN steps", within the length of an edit summary. */
function revisionComment(suggester: string, approver: string, comment: string): string {
  const text = `Suggested by ${suggester}, approved by ${approver}${comment ? `: ${comment}` : ""}`;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/**
 * The reviewer's decision on a suggestion (owners and moderators of the page, never its own
 * writer). Every outcome is told to the suggester.
 */
export async function reviewSuggestion(
  db: Db,
  actor: Actor,
  pageId: number,
  suggestionId: number,
  decision: ReviewDecision,
  now = new Date(),
): Promise<{ status: SuggestionStatus; revision: number | null }> {
  return db.transaction(async (tx) => {
    const { access, suggestion: s } = await loadSuggestion(tx, actor, pageId, suggestionId, { forUpdate: true });
    if (!access.canManage) throw new ForbiddenError("Only the page's owners and the space's moderators review its suggested edits.");
    if (s.authorId === actor.id) throw new ForbiddenError("You can't review your own suggestion: another owner or a moderator does. You can withdraw it.");
    if (!isLive(s.status)) throw new InputError(`This suggestion was ${DONE_LABEL[s.status]} meanwhile.`);
    const outcome = { kind: "suggestion_outcome" as const, actorId: actor.id, spaceId: access.page.spaceId, itemId: access.page.itemId };

    if (decision.kind === "request_changes") {
      if (s.status !== "open") throw new InputError("Changes were asked for already: the suggester is working on them.");
      await tx.update(wikiSuggestions).set({ status: "changes_requested", reviewerId: actor.id, reviewNote: decision.note, reviewedAt: now }).where(eq(wikiSuggestions.id, s.id));
      await notify(tx, [s.authorId], outcome);
      return { status: "changes_requested", revision: null };
    }
    if (decision.kind === "decline") {
      await tx.update(wikiSuggestions).set({ status: "declined", reviewerId: actor.id, reviewNote: decision.note, reviewedAt: now }).where(eq(wikiSuggestions.id, s.id));
      await notify(tx, [s.authorId], outcome);
      return { status: "declined", revision: null };
    }

    const { page } = access;
    if (page.deletedAt) throw new InputError("The page was deleted: restore it before approving edits to it.");
    let text = { title: s.title, body: s.body };
    if (page.revisionCount !== s.baseRevision) {
      // The page moved on since the suggestion was written: only a text the reviewer resolved
      // against the version now current goes in.
      if (decision.currentRevision !== page.revisionCount || decision.resolvedBody === undefined) {
        throw new InputError(
          decision.resolvedBody === undefined
            ? "The page changed since this suggestion was written. Both changes are shown below: resolve them into one text, then approve."
            : "The page changed again while you were resolving. The newest changes are shown below: resolve again, then approve.",
        );
      }
      const resolved = ResolvedTextSchema.safeParse({ resolvedTitle: decision.resolvedTitle, resolvedBody: decision.resolvedBody });
      if (!resolved.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of resolved.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
        throw new InputError("The resolved text needs fixing.", fieldErrors);
      }
      // Checked here, on the field the reviewer typed in: the page's own check would name no field.
      renderField(resolved.data.resolvedBody, "resolvedBody");
      text = { title: resolved.data.resolvedTitle, body: resolved.data.resolvedBody };
    }
    const names = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [s.authorId, actor.id]));
    const nameOf = (id: number) => names.find((n) => n.id === id)?.name ?? "someone";
    let revision: number;
    try {
      ({ revision } = await applyPageChange(tx, access, s.authorId, {
        ...text,
        tags: page.tags,
        comment: revisionComment(nameOf(s.authorId), nameOf(actor.id), s.comment),
        kind: "edit",
      }));
    } catch (error) {
      // "Nothing changed" or a title taken meanwhile: said at the top of the review form.
      if (error instanceof InputError) throw new InputError(error.message);
      throw error;
    }
    await tx
      .update(wikiSuggestions)
      .set({ status: "approved", reviewerId: actor.id, reviewNote: decision.note, reviewedAt: now, resultRevision: revision })
      .where(eq(wikiSuggestions.id, s.id));
    if (s.promotedFromPostId !== null) {
      // An answer added as a section: the credit goes to the answer's author, not to whoever carried it over.
      await recordPromotion(tx, { postId: s.promotedFromPostId, pageId: page.id, promotedById: s.authorId });
    } else {
      await recordWikiReputation(tx, { userId: s.authorId, reason: "edit_approved", actorId: actor.id, itemId: page.itemId, spaceId: page.spaceId });
    }
    await notify(tx, [s.authorId], outcome);
    return { status: "approved", revision };
  });
}

const LIST_PAGE_SIZE = 25;

const queueColumns = {
  id: wikiSuggestions.id,
  status: wikiSuggestions.status,
  comment: wikiSuggestions.comment,
  createdAt: wikiSuggestions.createdAt,
  pageId: wikiPages.id,
  pageTitle: wikiPages.title,
  pageSlug: wikiPages.slug,
  author: { id: author.id, name: author.name },
};

type QueueRow = {
  id: number;
  status: SuggestionStatus;
  comment: string;
  createdAt: Date;
  pageId: number;
  pageTitle: string;
  pageSlug: string;
  author: { id: number; name: string };
};

function queueItem(r: QueueRow, now: Date) {
  return {
    id: r.id,
    status: r.status,
    comment: r.comment,
    createdAt: r.createdAt,
    ageDays: ageInDays(r.createdAt, now),
    page: { id: r.pageId, title: r.pageTitle, url: wikiPageUrl({ id: r.pageId, slug: r.pageSlug }) },
    author: r.author,
  };
}

export type QueueItem = ReturnType<typeof queueItem>;

/**
 * One screen of a suggestion list (`where` may name the page's columns), in `order`, with the
 * count of all that match.
 */
async function queuePage(db: Db, where: SQL | undefined, order: SQL[], page: number, now: Date) {
  const offset = (page - 1) * LIST_PAGE_SIZE;
  const [rows, [count]] = await Promise.all([
    db
      .select(queueColumns)
      .from(wikiSuggestions)
      .innerJoin(wikiPages, eq(wikiPages.id, wikiSuggestions.pageId))
      .innerJoin(author, eq(author.id, wikiSuggestions.authorId))
      .where(where)
      .orderBy(...order)
      .limit(LIST_PAGE_SIZE)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(wikiSuggestions)
      .innerJoin(wikiPages, eq(wikiPages.id, wikiSuggestions.pageId))
      .where(where),
  ]);
  return { items: rows.map((r) => queueItem(r, now)), total: count?.n ?? 0, offset, pageSize: LIST_PAGE_SIZE };
}

/**
 * A space's queue: the suggestions still waiting (open, or sent back for changes) on its pages,
 * oldest first, a page at a time. Whoever sees the space sees the queue; its moderators also
 * protect or open up the whole wiki from here.
 */
export async function spaceSuggestionQueue(db: Db, actor: Actor, slug: string, options: { page: number }, now = new Date()) {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  const where = and(eq(wikiSuggestions.spaceId, space.id), liveSql, isNull(wikiPages.deletedAt));
  return {
    space: { id: space.id, slug: space.slug, name: space.name, wikiProtected: space.wikiProtected },
    ...(await queuePage(db, where, [asc(wikiSuggestions.createdAt), asc(wikiSuggestions.id)], options.page, now)),
    canProtect: canManageSpace(actor, space, membership),
  };
}

/** A page's suggestions, waiting ones first (oldest first), then the reviewed and withdrawn ones (newest first). */
export async function pageSuggestions(db: Db, actor: Actor, pageId: number, options: { page: number }, now = new Date()) {
  const access = await loadPage(db, actor, { pageId });
  const waiting = sql`${wikiSuggestions.status} in ('open', 'changes_requested')`;
  const order = [desc(waiting), sql`case when ${waiting} then ${wikiSuggestions.createdAt} end asc`, desc(wikiSuggestions.createdAt), desc(wikiSuggestions.id)];
  return {
    page: { id: access.page.id, title: access.page.title, url: wikiPageUrl(access.page) },
    space: { slug: access.space.slug, name: access.space.name },
    ...(await queuePage(db, eq(wikiSuggestions.pageId, access.page.id), order, options.page, now)),
    canReview: access.canManage,
  };
}

/** Protects a space's whole wiki, or lifts it: the space's moderators and admins. */
export async function setSpaceWikiProtection(db: Db, actor: Actor, slug: string, value: boolean): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const { space, membership } = await spaceBySlugForActor(tx, actor, slug);
    if (!canManageSpace(actor, space, membership)) throw new ForbiddenError("Only the space's moderators and admins protect its wiki.");
    if (space.wikiProtected === value) return { changed: false };
    await tx.update(spaces).set({ wikiProtected: value }).where(eq(spaces.id, space.id));
    return { changed: true };
  });
}

/**
 * What the governance panel on a page needs beyond the page view: how many suggestions wait, the
 * reader's own recent ones (so a suggester finds the outcome), and the answers the page came from
 * (only those whose question the reader sees). The caller has loaded the page for the reader.
 */
export async function pageGovernance(db: Db, actor: Actor, page: { id: number; spaceId: number }) {
  const question = alias(posts, "question");
  const visible = inVisibleSpace(actor, wikiSuggestions.spaceId);
  const [[open], mine, sources] = await Promise.all([
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(wikiSuggestions)
      .where(and(eq(wikiSuggestions.pageId, page.id), liveSql, visible)),
    db
      .select({ id: wikiSuggestions.id, status: wikiSuggestions.status, createdAt: wikiSuggestions.createdAt })
      .from(wikiSuggestions)
      .where(and(eq(wikiSuggestions.pageId, page.id), eq(wikiSuggestions.authorId, actor.id), visible))
      .orderBy(desc(wikiSuggestions.createdAt), desc(wikiSuggestions.id))
      .limit(5),
    db
      .selectDistinctOn([posts.id], { answerId: posts.id, questionId: question.id, title: question.title })
      .from(wikiPromotions)
      .innerJoin(posts, eq(posts.id, wikiPromotions.postId))
      .innerJoin(question, eq(question.id, posts.parentId))
      .where(and(eq(wikiPromotions.pageId, page.id), isNull(posts.deletedAt), isNull(question.deletedAt), inVisibleSpace(actor, question.spaceId)))
      .orderBy(posts.id)
      .limit(10),
  ]);
  return {
    openSuggestions: open?.n ?? 0,
    mySuggestions: mine,
    promotedFrom: sources.map((s) => ({ title: s.title ?? "", url: questionUrl({ id: s.questionId, title: s.title }, `answer-${s.answerId}`) })),
  };
}

export type PageGovernance = Awaited<ReturnType<typeof pageGovernance>>;

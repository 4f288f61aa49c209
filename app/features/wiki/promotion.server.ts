import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, users, wikiPageOwners, wikiPages, wikiPromotions, wikiSuggestions } from "#db/schema/index.ts";
import { loadPost, type PostAccess } from "#app/features/qa/access.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { getReputationRules, hasPrivilege, isModerator, type ReputationActor, type ReputationRules } from "#app/features/reputation/rules.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { loadPage, type PageAccess } from "./access.server.ts";
import { PAGE_TITLE_MAX } from "./schemas.ts";
import { PROMOTE_MIN_SCORE, type PromoteInput, suggestionUrl } from "./governance-schemas.ts";
import { applyPageChange, createPage } from "./pages.server.ts";
import { wikiPageUrl } from "./page-url.ts";
import { recordPromotion } from "./promotion-credit.server.ts";
import { createSuggestionInTx } from "./suggestions.server.ts";

/**
 * "Promote to wiki": an accepted or well-voted answer becomes a page, or a section of an existing
 * page, with a credit block naming the answer's author and asker and linking the question. The
 * page takes a copy of the answer's text as it is at that moment: later edits to the answer don't
 * change the page, which has its own history from then on.
 *
 * Who may: moderators of the space, owners of any page in its wiki, and anyone with the
 * "promoteAnswer" privilege (an admin-tunable reputation threshold). Only into the wiki of the
 * question's own space: promoting an answer from a restricted space into an open space's wiki
 * would show it to people who can't see the question.
 */

/** Whether an answer may be promoted: accepted, or scored PROMOTE_MIN_SCORE or more. */
export function isPromotable(answer: { score: number; deleted: boolean; accepted: boolean }): boolean {
  return !answer.deleted && (answer.accepted || answer.score >= PROMOTE_MIN_SCORE);
}

/** Whether `actor` owns a page (not deleted) in the space, as a correlated SQL boolean for the question page's query. */
export function ownsPageInSpaceSql(actorId: number, spaceId: number): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${wikiPageOwners} o join ${wikiPages} p on p.id = o.page_id where o.user_id = ${actorId} and p.space_id = ${spaceId} and p.deleted_at is null)`;
}

/**
 * The first page (not deleted, in a space the reader sees) the answer in the enclosing query's row
 * of `posts` became, as JSON, or null: a column of the question page's posts query, so the page
 * keeps its number of queries.
 */
export function promotedPageSql(actor: Actor): SQL<{ id: number; title: string; slug: string } | null> {
  return sql<{ id: number; title: string; slug: string } | null>`(
    select json_build_object('id', p.id, 'title', p.title, 'slug', p.slug)
    from ${wikiPromotions} wp join ${wikiPages} p on p.id = wp.page_id
    where wp.post_id = "posts"."id" and p.deleted_at is null and ${inVisibleSpace(actor, sql`p.space_id`)}
    order by wp.created_at, wp.id limit 1)`;
}

async function ownsPageInSpace(tx: Db | Tx, actorId: number, spaceId: number): Promise<boolean> {
  const [row] = await tx.execute<{ owns: boolean }>(sql`select ${ownsPageInSpaceSql(actorId, spaceId)} as owns`);
  return Boolean(row?.owns);
}

type Promotable = { access: PostAccess; question: typeof posts.$inferSelect; rules: ReputationRules; mayCreatePages: boolean };

/**
 * The answer for a promoter: a 404 when they can't see it (or it, or its question, is deleted), a
 * 403 saying why when it isn't promotable or they may not promote it.
 */
async function loadPromotable(tx: Db | Tx, actor: ReputationActor, postId: number): Promise<Promotable> {
  const access = await loadPost(tx, actor, postId, { type: "answer" });
  const [[question], rules, owns] = await Promise.all([
    tx
      .select()
      .from(posts)
      .where(eq(posts.id, access.post.parentId ?? 0)),
    getReputationRules(tx),
    ownsPageInSpace(tx, actor.id, access.space.id),
  ]);
  if (!question || question.deletedAt) throw new NotFoundError();
  const accepted = question.acceptedAnswerId === access.post.id;
  if (!isPromotable({ score: access.post.score, deleted: false, accepted })) {
    throw new ForbiddenError(`Only an accepted answer, or one with a score of ${PROMOTE_MIN_SCORE} or more, can be promoted to the wiki.`);
  }
  if (!(owns || hasPrivilege(actor, "promoteAnswer", rules, access.membership))) {
    throw new ForbiddenError(
      `Moderators of this space and owners of its wiki pages promote answers to the wiki, and so does anyone with ${rules.thresholds.promoteAnswer.toLocaleString("en")} reputation.`,
    );
  }
  // A protected wiki takes new pages from its moderators and page owners only (as creating a page does).
  const mayCreatePages = !access.space.wikiProtected || owns || isModerator(actor, access.membership);
  return { access, question, rules, mayCreatePages };
}

/**
 * A title or name as markdown text, never syntax: backslash escapes for what could start a link,
 * an image, HTML, an entity, emphasis, code, a `[[link]]`, a mention, math, or a bare URL that
 * would become a link (":" and "." break "https://…" and "www.…"). Other punctuation stays as
 * typed, so the page's source reads naturally.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]()<>&|~!#@$:.]/g, (c) => `\\${c}`);
}

/** The credit under promoted text: who answered, which question, who asked. Names and titles are escaped. */
export function creditBlock(input: { answerId: number; question: { id: number; title: string }; answerer: { id: number; name: string }; asker: { id: number; name: string } }): string {
  const question = questionUrl(input.question);
  const answer = questionUrl(input.question, `answer-${input.answerId}`);
  const person = (p: { id: number; name: string }) => `[${markdownText(p.name)}](</people/${p.id}>)`;
  return `> Adapted from [an answer](<${answer}>) by ${person(input.answerer)} to [${markdownText(input.question.title)}](<${question}>), asked by ${person(input.asker)}.`;
}

/** A question title as a page title: no [ ] | (they mark links between pages), within a page title's length. */
function pageTitleFrom(title: string): string {
  const cleaned = title
    .replace(/[[\]|]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > PAGE_TITLE_MAX ? cleaned.slice(0, PAGE_TITLE_MAX).trim() : cleaned;
}

/** The promote form: the answer, its question, the pages of the space, and where it was promoted already. */
export async function promotionForm(db: Db, actor: ReputationActor, postId: number) {
  const { access, question, mayCreatePages } = await loadPromotable(db, actor, postId);
  const moderator = isModerator(actor, access.membership);
  const [pages, already, [answerer]] = await Promise.all([
    db
      .select({
        id: wikiPages.id,
        title: wikiPages.title,
        protected: wikiPages.protected,
        owned: sql<boolean>`exists (select 1 from ${wikiPageOwners} o where o.page_id = ${wikiPages.id} and o.user_id = ${actor.id})`,
      })
      .from(wikiPages)
      .where(and(eq(wikiPages.spaceId, access.space.id), isNull(wikiPages.deletedAt)))
      .orderBy(asc(sql`lower(${wikiPages.title})`), asc(wikiPages.id))
      .limit(1000),
    db
      .select({ id: wikiPages.id, title: wikiPages.title, slug: wikiPages.slug })
      .from(wikiPromotions)
      .innerJoin(wikiPages, eq(wikiPages.id, wikiPromotions.pageId))
      .where(and(eq(wikiPromotions.postId, access.post.id), isNull(wikiPages.deletedAt)))
      .orderBy(asc(wikiPromotions.createdAt)),
    db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, access.post.authorId)),
  ]);
  return {
    answer: { id: access.post.id, bodyHtml: access.post.bodyHtml, author: answerer! },
    question: { id: question.id, title: question.title ?? "", url: questionUrl(question) },
    space: { slug: access.space.slug, name: access.space.name, wikiProtected: access.space.wikiProtected },
    defaultTitle: pageTitleFrom(question.title ?? ""),
    mayCreatePages,
    pages: pages.map((p) => ({
      id: p.id,
      title: p.title,
      // Edits to a protected page (or any page of a protected wiki) by others go through review.
      direct: !(p.protected || access.space.wikiProtected) || moderator || Boolean(p.owned),
    })),
    promotedTo: already.map((p) => ({ id: p.id, title: p.title, url: wikiPageUrl(p) })),
  };
}

export type PromotionResult = { kind: "page" | "section" | "suggestion"; url: string };

/**
 * Promotes an answer: a new page in the question's space, or a section ("## <question title>")
 * appended to one of its pages, directly when the promoter may edit that page, else as a
 * suggested edit its owners review (the promotion is recorded when they approve it).
 */
export async function promoteAnswer(db: Db, actor: ReputationActor, postId: number, input: PromoteInput): Promise<PromotionResult> {
  return db.transaction(async (tx) => {
    const { access, question, mayCreatePages } = await loadPromotable(tx, actor, postId);
    const answer = access.post;
    const names = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [answer.authorId, question.authorId]));
    const person = (id: number) => ({ id, name: names.find((n) => n.id === id)?.name ?? "a colleague" });
    const questionTitle = question.title ?? "";
    const credit = creditBlock({ answerId: answer.id, question: { id: question.id, title: questionTitle }, answerer: person(answer.authorId), asker: person(question.authorId) });

    if (input.mode === "page") {
      if (!mayCreatePages) throw new ForbiddenError("This space's wiki is protected: only its moderators and page owners add pages. Add the answer as a section of a page instead.");
      // createPage runs in a savepoint of this transaction, so the page, its credit and the
      // reputation event commit together. Its tags are the question's (they fit a page's rules).
      const page = await createPage(tx, actor, access.space.slug, {
        title: input.title,
        body: `${answer.body.trim()}\n\n${credit}`,
        tags: question.tags.slice(0, 5),
        parentId: input.parentId,
        submissionKey: input.submissionKey,
      });
      if (page.created) await recordPromotion(tx, { postId: answer.id, pageId: page.id, promotedById: actor.id });
      return { kind: "page", url: wikiPageUrl(page) };
    }

    let target: PageAccess;
    try {
      target = await loadPage(tx, actor, { pageId: input.pageId }, { forUpdate: true });
    } catch (error) {
      if (error instanceof NotFoundError) throw InputError.field("pageId", "That page no longer exists: choose another.");
      throw error;
    }
    if (target.page.spaceId !== answer.spaceId) throw InputError.field("pageId", "An answer joins a page of its own question's space only.");
    const [done] = await tx
      .select({ id: wikiPromotions.id })
      .from(wikiPromotions)
      .where(and(eq(wikiPromotions.postId, answer.id), eq(wikiPromotions.pageId, target.page.id)));
    if (done) throw InputError.field("pageId", "This answer is part of that page already.");
    const section = `${target.page.body.trimEnd()}\n\n## ${markdownText(questionTitle)}\n\n${answer.body.trim()}\n\n${credit}`;
    const comment = `Added the answer by ${person(answer.authorId).name} to “${questionTitle}” as a section`.slice(0, 300);
    if (target.canEditDirectly) {
      await applyPageChange(tx, target, actor.id, { title: target.page.title, body: section, tags: target.page.tags, comment, kind: "edit" });
      await recordPromotion(tx, { postId: answer.id, pageId: target.page.id, promotedById: actor.id });
      return { kind: "section", url: wikiPageUrl(target.page) };
    }
    const [waiting] = await tx
      .select({ id: wikiSuggestions.id, authorId: wikiSuggestions.authorId, submissionKey: wikiSuggestions.submissionKey })
      .from(wikiSuggestions)
      .where(and(eq(wikiSuggestions.promotedFromPostId, answer.id), eq(wikiSuggestions.pageId, target.page.id), inArray(wikiSuggestions.status, ["open", "changes_requested"])))
      .limit(1);
    if (waiting) {
      // A double submit finds its own suggestion; anyone else is told it is waiting already.
      if (waiting.authorId === actor.id && input.submissionKey && waiting.submissionKey === input.submissionKey) {
        return { kind: "suggestion", url: suggestionUrl(target.page.id, waiting.id) };
      }
      throw InputError.field("pageId", "This answer already waits for review as a suggested edit to that page.");
    }
    const suggestion = await createSuggestionInTx(tx, target, actor.id, {
      title: target.page.title,
      body: section,
      comment: `${comment}.`,
      baseRevision: target.page.revisionCount,
      submissionKey: input.submissionKey,
      promotedFromPostId: answer.id,
    });
    return { kind: "suggestion", url: suggestionUrl(target.page.id, suggestion.id) };
  });
}

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { posts, users, wikiPageOwners } from "#db/schema/index.ts";
import { loadArticle } from "#app/features/articles/access.server.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { TYPE_LABELS as ARTICLE_TYPE_LABELS } from "#app/features/articles/schemas.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { loadQuestion } from "#app/features/qa/access.server.ts";
import { closeReasonLabel } from "#app/features/qa/close-schema.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { loadPage } from "#app/features/wiki/access.server.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { needsReview } from "#app/features/wiki/view.server.ts";
import type { McpContext } from "./context.ts";
import { answer, clip, type ContentRef, isoDay, readReference, refusal } from "./text.ts";

/**
 * `read_question` and `read_page`: one item in full, as markdown source (what its author typed),
 * loaded through the same access functions as the app's pages (`loadQuestion`, `loadPage`,
 * `loadArticle`), so a hidden item and a missing one give the same "not found". Reading here
 * counts no view: an assistant fetching a page is not a person reading it.
 */

/** The most answers read_question returns: the accepted one, then the best scored. */
export const ANSWERS_SHOWN = 5;
/** Characters of markdown per body before it is cut (the URL has the rest). */
export const BODY_MAX = 12_000;

const reference = z.union([z.number().int(), z.string().trim().min(1).max(2000)]);

export const readQuestionInput = {
  question: reference.describe("The question's id (42) or its Commons URL (…/questions/42/how-do-we-…), e.g. a search result's url."),
};

export const readPageInput = {
  page: reference.describe("The page's Commons URL (…/wiki/7/… for a wiki page, …/articles/12/… for an article), e.g. a search result's url, or its id."),
  kind: z.enum(["wiki_page", "article"]).optional().describe("What a bare id names: wiki_page (the default) or article. Not needed with a URL."),
};

export const READ_QUESTION_DESCRIPTION =
  "Read one Commons question in full: its text and its accepted and best answers (markdown as written), with authors, scores, dates and URLs. Use it on a search result before quoting it, and cite the question's or the answer's URL.";

export const READ_PAGE_DESCRIPTION =
  "Read one Commons wiki page or article in full (markdown as written), with its owners, whether it is verified or due for review, and its URL. Use it on a search result before quoting it, and cite its URL. A page due for review may be out of date: say so.";

const notFound = (what: string) => refusal(`Not found: there is no ${what} with that id or URL that the user can see in Commons.`);

const Person = z.object({ id: z.number().int(), name: z.string() });

const AnswerOut = z.object({
  id: z.number().int(),
  url: z.string(),
  accepted: z.boolean(),
  score: z.number().int(),
  author: Person,
  createdAt: z.string(),
  lastEditedAt: z.string().nullable(),
  body: z.string(),
});

export const readQuestionOutput = {
  id: z.number().int(),
  url: z.string(),
  title: z.string(),
  space: z.object({ slug: z.string(), name: z.string() }),
  tags: z.array(z.string()),
  status: z.enum(["open", "answered", "closed"]),
  closedReason: z.string().nullable(),
  score: z.number().int(),
  answerCount: z.number().int(),
  author: Person,
  createdAt: z.string(),
  lastActivityAt: z.string(),
  body: z.string(),
  answers: z.array(AnswerOut),
};

export const readPageOutput = {
  kind: z.enum(["wiki_page", "article"]),
  id: z.number().int(),
  url: z.string(),
  title: z.string(),
  space: z.object({ slug: z.string(), name: z.string() }),
  tags: z.array(z.string()),
  author: Person.nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
  /** Wiki pages: owners and verification; articles: their type and publication. */
  owners: z.array(Person),
  verification: z.object({ verified: z.boolean(), verifiedAt: z.string().nullable(), reviewDueAt: z.string().nullable(), needsReview: z.boolean() }).nullable(),
  articleType: z.string().nullable(),
  status: z.string().nullable(),
  body: z.string(),
};

const iso = (date: Date) => date.toISOString();

export async function readQuestionTool(ctx: McpContext, input: { question: number | string }): Promise<CallToolResult> {
  const ref = readReference(input.question, "question");
  if (!ref || ref.kind !== "question") {
    return refusal("Give a question's id (a number such as 42) or its Commons URL (…/questions/42/…). Wiki pages and articles are read with read_page.");
  }
  let access: Awaited<ReturnType<typeof loadQuestion>>;
  try {
    access = await loadQuestion(ctx.db, ctx.user, ref.id);
  } catch (error) {
    if (isNotFound(error)) return notFound("question");
    throw error;
  }
  const { post: q, space } = access;
  const [authors, rows] = await Promise.all([
    ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, q.authorId)),
    ctx.db
      .select({ id: posts.id, body: posts.body, score: posts.score, createdAt: posts.createdAt, lastEditedAt: posts.lastEditedAt, author: { id: users.id, name: users.name } })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(posts.parentId, q.id), eq(posts.type, "answer"), isNull(posts.deletedAt)))
      .orderBy(sql`${posts.id} = ${q.acceptedAnswerId ?? 0} desc`, desc(posts.score), asc(posts.createdAt), asc(posts.id))
      .limit(ANSWERS_SHOWN),
  ]);
  const url = appUrl(questionUrl(q));
  const title = q.title ?? "";
  const status = q.closedAt ? "closed" : q.acceptedAnswerId ? "answered" : "open";
  const answers = rows.map((r) => {
    const answerUrl = appUrl(questionUrl(q, `answer-${r.id}`));
    return {
      id: r.id,
      url: answerUrl,
      accepted: r.id === q.acceptedAnswerId,
      score: r.score,
      author: r.author,
      createdAt: iso(r.createdAt),
      lastEditedAt: r.lastEditedAt ? iso(r.lastEditedAt) : null,
      body: clip(r.body, BODY_MAX, answerUrl),
    };
  });
  const structured = {
    id: q.id,
    url,
    title,
    space: { slug: space.slug, name: space.name },
    tags: q.tags,
    status,
    closedReason: q.closedAt && q.closeReason ? closeReasonLabel(q.closeReason) : null,
    score: q.score,
    answerCount: q.answerCount,
    author: authors[0] ?? { id: q.authorId, name: "" },
    createdAt: iso(q.createdAt),
    lastActivityAt: iso(q.lastActivityAt),
    body: clip(q.body, BODY_MAX, url),
    answers,
  } as const;

  const state = status === "closed" ? `closed${structured.closedReason ? ` (${structured.closedReason})` : ""}` : status === "answered" ? "has an accepted answer" : "no accepted answer yet";
  const lines = [
    `# ${title}`,
    `Question ${q.id} in ${space.name} · ${url}`,
    `Asked by ${structured.author.name} on ${isoDay(q.createdAt)} · score ${q.score} · ${q.answerCount === 1 ? "1 answer" : `${q.answerCount} answers`} · ${state}${q.tags.length ? ` · tags: ${q.tags.join(", ")}` : ""}`,
    "",
    structured.body,
  ];
  for (const a of answers) {
    lines.push("", `## ${a.accepted ? "Accepted answer" : "Answer"} by ${a.author.name} · score ${a.score} · ${isoDay(a.createdAt)}`, a.url, "", a.body);
  }
  if (q.answerCount > answers.length) lines.push("", `${q.answerCount - answers.length} more answers are on the question's page: ${url}`);
  if (answers.length === 0) lines.push("", "No answers yet. If the user needs an answer, find_experts names people who could give one.");
  return answer(lines.join("\n"), structured);
}

export async function readPageTool(ctx: McpContext, input: { page: number | string; kind?: "wiki_page" | "article" | undefined }): Promise<CallToolResult> {
  const ref = readReference(input.page, input.kind ?? "wiki_page");
  if (!ref || ref.kind === "question") {
    return refusal(
      ref?.kind === "question"
        ? "That is a question: read it with read_question."
        : "Give a wiki page's or an article's Commons URL (…/wiki/7/… or …/articles/12/…), or an id with kind wiki_page or article.",
    );
  }
  try {
    return ref.kind === "article" ? await readArticle(ctx, ref) : await readWikiPage(ctx, ref);
  } catch (error) {
    if (isNotFound(error)) return notFound(ref.kind === "article" ? "article" : "wiki page");
    throw error;
  }
}

async function readWikiPage(ctx: McpContext, ref: ContentRef): Promise<CallToolResult> {
  const { page, space } = await loadPage(ctx.db, ctx.user, { pageId: ref.id });
  const ids = [...new Set([page.authorId, page.lastEditorId, page.verifiedById].filter((id): id is number => id !== null))];
  const [people, owners] = await Promise.all([
    ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)),
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(wikiPageOwners)
      .innerJoin(users, eq(users.id, wikiPageOwners.userId))
      .where(eq(wikiPageOwners.pageId, page.id))
      .orderBy(asc(wikiPageOwners.createdAt)),
  ]);
  const person = (id: number | null) => people.find((p) => p.id === id) ?? null;
  const url = appUrl(wikiPageUrl(page));
  const due = page.verifiedAt !== null && needsReview(page, new Date());
  const structured = {
    kind: "wiki_page" as const,
    id: page.id,
    url,
    title: page.title,
    space: { slug: space.slug, name: space.name },
    tags: page.tags,
    author: person(page.authorId),
    createdAt: iso(page.createdAt),
    updatedAt: page.lastEditedAt ? iso(page.lastEditedAt) : null,
    owners,
    verification: {
      verified: page.verifiedAt !== null,
      verifiedAt: page.verifiedAt ? iso(page.verifiedAt) : null,
      reviewDueAt: page.reviewDueAt ? iso(page.reviewDueAt) : null,
      needsReview: due,
    },
    articleType: null,
    status: null,
    body: clip(page.body, BODY_MAX, url),
  };
  const verifiedBy = person(page.verifiedById);
  const verification = page.verifiedAt
    ? due
      ? `verified on ${isoDay(page.verifiedAt)}${verifiedBy ? ` by ${verifiedBy.name}` : ""} but due for review since ${isoDay(page.reviewDueAt)}: it may be out of date`
      : `verified on ${isoDay(page.verifiedAt)}${verifiedBy ? ` by ${verifiedBy.name}` : ""}, next review ${isoDay(page.reviewDueAt)}`
    : "not verified";
  const lines = [
    `# ${page.title}`,
    `Wiki page ${page.id} in ${space.name} · ${url}`,
    `${verification} · owners: ${owners.length ? owners.map((o) => o.name).join(", ") : "none"} · last edited ${isoDay(page.lastEditedAt ?? page.createdAt)}${page.tags.length ? ` · tags: ${page.tags.join(", ")}` : ""}`,
    "",
    structured.body,
  ];
  return answer(lines.join("\n"), structured);
}

async function readArticle(ctx: McpContext, ref: ContentRef): Promise<CallToolResult> {
  const { article, space } = await loadArticle(ctx.db, ctx.user, ref.id);
  const [author] = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, article.authorId));
  const url = appUrl(articleUrl(article));
  const structured = {
    kind: "article" as const,
    id: article.id,
    url,
    title: article.title,
    space: { slug: space.slug, name: space.name },
    tags: article.tags,
    author: author ?? null,
    createdAt: iso(article.createdAt),
    updatedAt: article.publishedAt ? iso(article.publishedAt) : null,
    owners: [],
    verification: null,
    articleType: ARTICLE_TYPE_LABELS[article.type],
    status: article.status,
    body: clip(article.body, BODY_MAX, url),
  };
  const state = article.status === "published" ? `published ${isoDay(article.publishedAt)}` : `${article.status}: only its author (the user) can see it`;
  const lines = [
    `# ${article.title}`,
    `${ARTICLE_TYPE_LABELS[article.type]} (article ${article.id}) in ${space.name} · ${url}`,
    `By ${author?.name ?? "someone"} · ${state} · score ${article.score}${article.tags.length ? ` · tags: ${article.tags.join(", ")}` : ""}`,
    "",
    structured.body,
  ];
  return answer(lines.join("\n"), structured);
}

/** The app's 404 (missing, or not the user's to see): told apart by name as well, in case a bundle holds two copies of the class. */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "NotFoundError";
}

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { STATUS_LABELS as IDEA_STATUS_LABELS } from "#app/features/ideas/schemas.ts";
import { TYPE_LABELS as ARTICLE_TYPE_LABELS } from "#app/features/articles/schemas.ts";
import { pageReview, QUERY_MAX, type SearchHit, searchParams, STATUS_LABELS } from "#app/features/search/search-params.ts";
import { search } from "#app/features/search/search.server.ts";
import type { McpContext } from "./context.ts";
import { answer, isoDay, refusal, snippetText } from "./text.ts";

/**
 * The `search` tool: Commons search as the token's owner runs it on /search (the same function,
 * so the same visibility filter goes first into every Meilisearch query and every hit is checked
 * against PostgreSQL), answered as a numbered list the assistant cites: [1], [2], each with its
 * absolute URL. Questions, wiki pages, articles and ideas; kudos and badges are left out (they
 * thank people, they don't answer questions), and people are find_experts' job.
 */

export const SEARCH_KINDS = ["question", "wiki_page", "article", "idea"] as const;
type SearchKind = (typeof SEARCH_KINDS)[number];
/** The search page's name for each kind (its `type` parameter). */
const PAGE_TYPE: Record<SearchKind, "question" | "page" | "article" | "idea"> = { question: "question", wiki_page: "page", article: "article", idea: "idea" };
const KIND_OF: Record<string, SearchKind> = { question: "question", page: "wiki_page", article: "article", idea: "idea" };
const KIND_LABEL: Record<SearchKind, string> = { question: "Question", wiki_page: "Wiki page", article: "Article", idea: "Idea" };

export const DEFAULT_RESULTS = 8;
export const MAX_RESULTS = 20;

export const searchInput = {
  query: z.string().trim().min(1, "Give some words to search for.").max(QUERY_MAX).describe("Words to search for, as a person would type them (e.g. “restore a postgres backup”)."),
  kind: z.enum(SEARCH_KINDS).optional().describe("Only this kind of content: question (with its answers), wiki_page, article or idea. Leave it out to search them all."),
  space: z.string().trim().max(100).optional().describe("Only this space, by its slug (as in a result's space.slug). Leave it out to search every space the user can see."),
  limit: z.number().int().min(1).max(MAX_RESULTS).optional().describe(`How many results (1 to ${MAX_RESULTS}, default ${DEFAULT_RESULTS}).`),
};

const SearchResult = z.object({
  ref: z.number().int().describe("The number to cite it by: [ref]."),
  kind: z.enum(SEARCH_KINDS),
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  space: z.object({ slug: z.string(), name: z.string() }),
  excerpt: z.string(),
  excerptFromAnswer: z.boolean().describe("Questions: the excerpt is from one of its answers, not the question."),
  details: z.string().describe("One line: status, score, author, date."),
  date: z.string().nullable(),
});

export const searchOutput = {
  query: z.string(),
  total: z.number().int().describe("How many results Commons found in all (more than listed when over the limit)."),
  results: z.array(SearchResult),
};

export const SEARCH_DESCRIPTION = [
  "Search Commons, the company's internal Q&A and knowledge base: questions with their answers, wiki pages, articles and ideas, exactly as the user may see them.",
  "Results come numbered with an excerpt and an absolute URL. When you use a result in your answer, cite it by its number, e.g. [1], and give its URL so the user can check it.",
  "Read a result in full with read_question (questions) or read_page (wiki pages and articles) before relying on it.",
  "When nothing relevant comes back, or the results don't answer with confidence, call find_experts with the topic: it names the people who know it, which is better than guessing.",
].join(" ");

type Input = { query: string; kind?: SearchKind | undefined; space?: string | undefined; limit?: number | undefined };
type Result = z.infer<typeof SearchResult>;

function details(hit: SearchHit): string {
  switch (hit.type) {
    case "question": {
      const answers = hit.answerCount === 1 ? "1 answer" : `${hit.answerCount} answers`;
      return [answers, STATUS_LABELS[hit.status].toLowerCase(), `score ${hit.score}`, `asked ${isoDay(hit.createdAt)} by ${hit.author.name}`].join(" · ");
    }
    case "page": {
      const review = pageReview(hit, Date.now());
      const state = review === "verified" ? "verified by its owners" : review === "needs_review" ? "verified, but due for review" : "not verified";
      return [state, `updated ${isoDay(hit.updatedAt)}`, hit.owners.length ? `owners: ${hit.owners.join(", ")}` : null].filter(Boolean).join(" · ");
    }
    case "article":
      return [ARTICLE_TYPE_LABELS[hit.articleType], `by ${hit.author.name}`, `published ${isoDay(hit.publishedAt)}`, `score ${hit.score}`].join(" · ");
    case "idea":
      return [`in the campaign “${hit.campaign.title}”`, `status: ${IDEA_STATUS_LABELS[hit.status]}`, `${hit.voteCount} votes`, `by ${hit.author.name}`].join(" · ");
    default:
      return "";
  }
}

function dateOf(hit: SearchHit): string | null {
  if (hit.type === "article") return isoDay(hit.publishedAt);
  if (hit.type === "page") return isoDay(hit.updatedAt);
  if (hit.type === "badge") return null;
  return isoDay(hit.createdAt);
}

function resultOf(hit: SearchHit, ref: number): Result | null {
  const kind = KIND_OF[hit.type];
  if (!kind || hit.type === "badge" || hit.type === "kudos") return null;
  return {
    ref,
    kind,
    id: hit.id,
    title: snippetText(hit.title),
    url: appUrl(hit.url),
    space: hit.space,
    excerpt: snippetText(hit.snippet),
    excerptFromAnswer: hit.type === "question" && hit.snippetFrom === "answer",
    details: details(hit),
    date: dateOf(hit),
  };
}

export async function searchTool(ctx: McpContext, input: Input): Promise<CallToolResult> {
  const query = new URLSearchParams({ q: input.query });
  if (input.kind) query.set("type", PAGE_TYPE[input.kind]);
  if (input.space) query.set("space", input.space);
  const params = searchParams(query);
  const outcome = await search(ctx.db, ctx.search, ctx.user, params, {
    prefix: ctx.searchPrefix,
    people: 0,
    facets: false,
    recognition: false,
    hitsPerPage: input.limit ?? DEFAULT_RESULTS,
    onError: (error) => ctx.log.warn({ err: error }, "search unavailable: the MCP search tool says so"),
  });
  if (outcome.status === "unavailable") {
    return refusal("Commons search is unavailable right now. Try again in a minute; meanwhile find_experts still names the people who know a topic.");
  }
  const results = outcome.hits.flatMap((hit) => {
    const result = resultOf(hit, 0);
    return result ? [result] : [];
  });
  results.forEach((r, i) => (r.ref = i + 1));
  const structured = { query: params.q, total: outcome.total, results };
  if (results.length === 0) {
    const where = input.space ? ` in the space “${input.space}”` : "";
    return answer(
      `No results in Commons for “${params.q}”${where} among what the user can see.\n\nCall find_experts with the topic to name the people who know it, or, with the user's agreement, ask_question to ask it in a space.`,
      structured,
    );
  }
  const lines = [
    `Commons search for “${params.q}”: ${results.length === outcome.total ? results.length : `${results.length} of ${outcome.total}`} results. Cite the ones you use by number and URL.`,
  ];
  for (const r of results) {
    lines.push("", `[${r.ref}] ${r.title}`, `${KIND_LABEL[r.kind]} in ${r.space.name} · ${r.details}`);
    if (r.excerpt) lines.push(`${r.excerptFromAnswer ? "Excerpt from an answer" : "Excerpt"}: ${r.excerpt}`);
    lines.push(`URL: ${r.url}`);
  }
  lines.push("", "Read one in full with read_question or read_page. If none of these answers the question with confidence, call find_experts with its topic.");
  return answer(lines.join("\n"), structured);
}

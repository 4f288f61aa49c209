import { z } from "zod";
import { MAX_PAGE, QUERY_MAX, SEARCH_TYPES, type SearchHit, searchParams, type Snippet } from "#app/features/search/search-params.ts";
import { search } from "#app/features/search/search.server.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";
import { type AnyEndpoint, ApiError, decodeCursor, encodeCursor, endpoint, pageOf } from "../endpoint.server.ts";

/**
 * Search in the REST API: the app's own search (app/features/search), so every query carries the
 * filter on the spaces the token's owner may see, computed from PostgreSQL at the time of the
 * call, and every hit is checked against PostgreSQL before it is sent. Questions, ideas, wiki
 * pages, articles, kudos and badges come back as one list, best first; highlights become plain
 * text (no markup to trust).
 */

export const SearchResultOut = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.number().int(),
    title: z.string(),
    excerpt: z.string().meta({ description: "Plain text around the words that matched." }),
    url: z.string(),
    space: z.object({ slug: z.string(), name: z.string() }).nullable().meta({ description: "Null for badges, which belong to no space." }),
    tags: z.array(z.string()),
    createdAt: z.date().nullable(),
  })
  .meta({ id: "SearchResult", description: "One result of a search: a question, idea, wiki page, article, kudos or badge." });

const SearchQuery = z.object({
  q: z
    .string({ error: "Say what to search for: ?q=words." })
    .trim()
    .min(1, { error: "Say what to search for: ?q=words." })
    .max(QUERY_MAX, { error: `At most ${QUERY_MAX} characters.` })
    .meta({ description: "The words to search for." }),
  type: z.enum(SEARCH_TYPES).optional().meta({ description: "Only this kind of content." }),
  space: z.string().trim().min(1).max(100).optional().meta({ description: "Only this space (its slug)." }),
  tag: z.string().trim().toLowerCase().max(TAG_MAX_LENGTH).regex(TAG_PATTERN, { error: "Is not a tag name." }).optional().meta({ description: "Only content with this tag." }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
});

/** A search's position: the page, and the page size it was counted in (which the next pages keep). */
const SearchCursor = z.object({ p: z.number().int().min(2).max(MAX_PAGE), l: z.number().int().min(1).max(50) });

const text = (snippet: Snippet) => snippet.map((run) => run.text).join("");

function result(hit: SearchHit): z.input<typeof SearchResultOut> {
  const base = { type: hit.type, id: hit.id, title: text(hit.title), excerpt: text(hit.snippet), url: appUrl(hit.url) };
  switch (hit.type) {
    case "question":
    case "idea":
    case "page":
      return { ...base, space: hit.space, tags: hit.tags, createdAt: new Date(hit.createdAt * 1000) };
    case "article":
      return { ...base, space: hit.space, tags: hit.tags, createdAt: new Date(hit.publishedAt * 1000) };
    case "kudos":
      return { ...base, space: hit.space, tags: [], createdAt: new Date(hit.createdAt * 1000) };
    case "badge":
      return { ...base, space: null, tags: [], createdAt: null };
  }
}

export const searchEndpoints: AnyEndpoint[] = [
  endpoint({
    method: "get",
    path: "/search",
    operationId: "search",
    summary: "Search questions, ideas, wiki pages, articles, kudos and badges",
    description: `Best match first, over what the token's owner may see. Results stop after ${MAX_PAGE} pages. Answers 503 while search is unavailable: try again shortly.`,
    tag: "Search",
    scope: "read",
    query: SearchQuery,
    errors: { 503: "Search is unavailable at the moment: try again shortly." },
    response: pageOf(SearchResultOut),
    handler: async (ctx, { query }) => {
      const at = decodeCursor(query.cursor, SearchCursor);
      const page = at?.p ?? 1;
      const limit = at?.l ?? query.limit;
      const params = new URLSearchParams({ q: query.q, page: String(page) });
      if (query.type) params.set("type", query.type);
      if (query.space) params.set("space", query.space);
      if (query.tag) params.set("tag", query.tag);
      const outcome = await search(ctx.db, ctx.search, ctx.user, searchParams(params), {
        prefix: ctx.searchPrefix ?? "",
        hitsPerPage: limit,
        people: 0,
        facets: false,
        onError: (error) => ctx.log.warn({ err: error }, "search unavailable: the API answers 503"),
      });
      if (outcome.status === "unavailable") throw new ApiError(503, "search_unavailable", "Search is unavailable at the moment: try again shortly.");
      const hasNext = page < Math.min(outcome.totalPages, MAX_PAGE);
      return {
        data: outcome.hits.map((hit) => result(hit)),
        nextCursor: hasNext ? encodeCursor({ p: page + 1, l: limit }) : null,
      };
    },
  }),
];

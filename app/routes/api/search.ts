import type { Route } from "./+types/search";
import { employeeJson } from "#app/features/auth/session.server.ts";
import { searchParams } from "#app/features/search/search-params.ts";
import { search } from "#app/features/search/search.server.ts";
import type { InstantResults } from "#app/components/search/instant-results.ts";

/**
 * The header search box's instant results: `GET /api/search?q=backup` →
 * `{ status: "ok", questions: [{ id, url, title, space, answerCount, status }], ideas: [{ id, url, title, space, campaign: { title }, status, voteCount }],
 * pages: [{ id, url, title, space, verified, reviewDueAt }], articles: [{ id, url, title, space, articleType, author }], people: [{ id, name, title, department }] }`
 * with at most 5 questions, ideas, wiki pages and articles together (the best of all four, as on
 * the search page), each labelled by its kind in the box, and 3 people (`title` and `name` are
 * Snippets: text runs, matches marked),
 * or `{ status: "unavailable" }` with HTTP 503 (not cached) when Meilisearch is down or too slow.
 * Only `q` is read; everything else the page does with filters stays on `/search`. Kudos and
 * badges are left out (one query less per keystroke; the box's few places go to questions, ideas,
 * pages and articles): "See all results" finds them on the search page. Signed-out
 * callers and customers get a 401 JSON body, as for the other JSON endpoints.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  let unavailable = false;
  const response = await employeeJson(context, request, async (user): Promise<InstantResults> => {
    const q = searchParams(new URL(request.url)).q;
    if (!q) return { status: "ok", questions: [], ideas: [], pages: [], articles: [], people: [] };
    const outcome = await search(context.db, context.search, user, searchParams(new URLSearchParams({ q })), {
      hitsPerPage: 5,
      people: 3,
      facets: false,
      recognition: false,
      onError: (error) => context.log.warn({ err: error }, "search unavailable: instant results say so"),
    });
    if (outcome.status === "unavailable") {
      unavailable = true;
      return { status: "unavailable" };
    }
    return {
      status: "ok",
      questions: outcome.hits.flatMap((h) =>
        h.type === "question"
          ? [
              {
                id: h.id,
                url: h.url,
                title: h.title,
                space: h.space,
                answerCount: h.answerCount,
                status: h.status,
              },
            ]
          : [],
      ),
      ideas: outcome.hits.flatMap((h) =>
        h.type === "idea"
          ? [
              {
                id: h.id,
                url: h.url,
                title: h.title,
                space: h.space,
                campaign: { title: h.campaign.title },
                status: h.status,
                voteCount: h.voteCount,
              },
            ]
          : [],
      ),
      // A page's "verified" or "needs review" is worked out in the box from the due date, as on the page.
      pages: outcome.hits.flatMap((h) => (h.type === "page" ? [{ id: h.id, url: h.url, title: h.title, space: h.space, verified: h.verified, reviewDueAt: h.reviewDueAt }] : [])),
      articles: outcome.hits.flatMap((h) => (h.type === "article" ? [{ id: h.id, url: h.url, title: h.title, space: h.space, articleType: h.articleType, author: h.author }] : [])),
      people: outcome.people.map((p) => ({
        id: p.id,
        name: p.name,
        title: p.title,
        department: p.department,
      })),
    };
  });
  if (!unavailable) return response;
  // A moment later search may be back: an "unavailable" answer is never cached.
  response.headers.set("Cache-Control", "no-store");
  return new Response(response.body, {
    status: 503,
    headers: response.headers,
  });
}

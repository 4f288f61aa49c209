import type { Route } from "./+types/similar-questions";
import { employeeJson } from "#app/features/auth/session.server.ts";
import { similarContent } from "#app/features/search/search.server.ts";

/**
 * Questions and wiki pages like the title being typed on the ask page:
 * `GET /api/similar-questions?title=…` → `{ status: "ok", questions: SimilarQuestion[], pages: SimilarPage[] }`
 * (at most 5 questions and 3 pages, only from spaces the user may see; the form shows the pages
 * first, since a page may already answer the question) or `{ status: "unavailable" }` when
 * Meilisearch is down or slow, which the form shows as a quiet note. The `space` the asker chose
 * is not used: a duplicate in another space they can read is worth seeing too. A fetch that is
 * not signed in gets a 401.
 */
export function loader({ request, context }: Route.LoaderArgs) {
  return employeeJson(context, request, async (user) => {
    const title = new URL(request.url).searchParams.get("title") ?? "";
    const found = await similarContent(context.db, context.search, user, title, {
      onError: (error) => context.log.warn({ err: error }, "similar questions: search unavailable"),
    });
    return found === null ? { status: "unavailable" as const } : { status: "ok" as const, questions: found.questions, pages: found.pages };
  });
}

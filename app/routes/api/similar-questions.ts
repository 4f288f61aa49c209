import type { Route } from "./+types/similar-questions";
import { employeeJson } from "#app/features/auth/session.server.ts";
import { similarQuestions } from "#app/features/search/search.server.ts";

/**
 * Questions like the title being typed on the ask page: `GET /api/similar-questions?title=…` →
 * `{ status: "ok", questions: SimilarQuestion[] }` (at most 5, only from spaces the user may see) or
 * `{ status: "unavailable" }` when Meilisearch is down or slow, which the form shows as a quiet note.
 * The `space` the asker chose is not used: a duplicate in another space they can read is worth
 * seeing too. A fetch that is not signed in gets a 401.
 */
export function loader({ request, context }: Route.LoaderArgs) {
  return employeeJson(context, request, async (user) => {
    const title = new URL(request.url).searchParams.get("title") ?? "";
    const questions = await similarQuestions(context.db, context.search, user, title, {
      onError: (error) => context.log.warn({ err: error }, "similar questions: search unavailable"),
    });
    return questions === null ? { status: "unavailable" as const } : { status: "ok" as const, questions };
  });
}

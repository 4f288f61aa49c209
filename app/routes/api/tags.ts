import type { Route } from "./+types/tags";
import { employeeJson } from "#app/features/auth/session.server.ts";
import { tagSuggestions } from "#app/features/qa/tags.server.ts";

/**
 * Tag autocomplete for the ask form: `GET /api/tags?q=pos&space=engineering` →
 * `{ tags: [{ name, questionCount, excerpt }] }`, at most 10, only tags the user can see in use,
 * those used in `space` first. A fetch gets a 401, not a redirect to the sign-in page.
 */
export function loader({ request, context }: Route.LoaderArgs) {
  return employeeJson(context, request, async (user) => {
    const url = new URL(request.url);
    const tags = await tagSuggestions(context.db, user, { q: url.searchParams.get("q") ?? "", spaceSlug: url.searchParams.get("space") || undefined });
    return { tags };
  });
}

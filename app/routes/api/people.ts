import type { Route } from "./+types/people";
import { employeeJson } from "#app/features/auth/session.server.ts";
import { mentionCandidates } from "#app/features/notifications/mentions.server.ts";

/**
 * Mention autocomplete: `GET /api/people?q=ada&space=engineering` →
 * `{ people: [{ id, name, handle, title }] }`, at most 8 active employees whose name or handle
 * starts with `q`; with `space`, only people who may see that space. A fetch gets a 401, not a
 * redirect to the sign-in page.
 */
export function loader({ request, context }: Route.LoaderArgs) {
  return employeeJson(context, request, async (user) => {
    const url = new URL(request.url);
    const people = await mentionCandidates(context.db, user, { query: url.searchParams.get("q") ?? "", spaceSlug: url.searchParams.get("space") || null });
    return { people };
  });
}

import type { Route } from "./+types/tags";
import { getAuth } from "#app/features/auth/session.server.ts";
import { tagSuggestions } from "#app/features/qa/tags.server.ts";

/**
 * Tag autocomplete for the ask form: `GET /api/tags?q=pos&space=engineering` →
 * `{ tags: [{ name, questionCount, excerpt }] }`, at most 10, only tags the user can see in use,
 * those used in `space` first. A fetch gets a 401, not a redirect to the sign-in page.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = await getAuth(context, request);
  const headers = new Headers({ "Cache-Control": "private, max-age=30", Vary: "Cookie" });
  if (auth.setCookie) headers.append("Set-Cookie", auth.setCookie);
  if (!auth.user || auth.user.kind !== "employee" || auth.user.deactivatedAt) {
    headers.set("Cache-Control", "no-store");
    return Response.json({ error: "Sign in with an employee account." }, { status: 401, headers });
  }
  const url = new URL(request.url);
  const tags = await tagSuggestions(context.db, auth.user, { q: url.searchParams.get("q") ?? "", spaceSlug: url.searchParams.get("space") || undefined });
  return Response.json({ tags }, { headers });
}

import type { Route } from "./+types/people";
import { getAuth } from "#app/features/auth/session.server.ts";
import { mentionCandidates } from "#app/features/notifications/mentions.server.ts";

/**
 * Mention autocomplete: `GET /api/people?q=ada&space=engineering` →
 * `{ people: [{ id, name, handle, title }] }`, at most 8 active employees whose name or handle
 * starts with `q`; with `space`, only people who may see that space. A fetch gets a 401, not a
 * redirect to the sign-in page.
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
  const people = await mentionCandidates(context.db, auth.user, { query: url.searchParams.get("q") ?? "", spaceSlug: url.searchParams.get("space") || null });
  return Response.json({ people }, { headers });
}

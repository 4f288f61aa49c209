import { data, redirect } from "react-router";
import type { Route } from "./+types/follow";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { setWikiFollowing } from "#app/features/wiki/follow.server.ts";
import { readForm } from "#app/lib/forms.ts";

/**
 * Follow or unfollow a space's wiki: `POST /spaces/engineering/wiki/follow` with
 * `intent=follow|unfollow`, the protocol every follow button speaks (FollowButton's fetcher gets
 * `{ following }`; a plain form sends `redirectTo` and goes back). A space the person can't see is
 * a 404, and nothing is written.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "follow" && intent !== "unfollow") throw data("Send intent=follow or intent=unfollow.", { status: 400 });
  const result = await setWikiFollowing(context.db, actor, params.slug, intent === "follow");
  if (form.has("redirectTo")) throw redirect(safeRedirect(form.get("redirectTo")));
  return result;
}

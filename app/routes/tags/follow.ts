import { data, redirect } from "react-router";
import type { Route } from "./+types/follow";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { followTag, unfollowTag } from "#app/features/notifications/follows.server.ts";
import { readForm } from "#app/lib/forms.ts";

/**
 * Follow or unfollow a tag: `POST /tags/postgres/follow` with `intent=follow|unfollow`. A tag not
 * used in any space the person may see is a 404. See questions/follow.ts for the two callers.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  let result: { following: boolean };
  if (intent === "follow") result = await followTag(context.db, actor, params.name);
  else if (intent === "unfollow") result = await unfollowTag(context.db, actor, params.name);
  else throw data("Unknown action", { status: 400 });
  if (form.has("redirectTo")) throw redirect(safeRedirect(form.get("redirectTo")));
  return result;
}

import { data, redirect } from "react-router";
import { type RequestContext, requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { readForm } from "#app/lib/forms.ts";
import { type FollowTarget, setFollowing } from "./follows.server.ts";
// Registers every kind: following an item asks its kind who may see it.
import "./kinds.server.ts";

/**
 * The one follow protocol, for every followable thing: `POST` with `intent=follow|unfollow`.
 * FollowButton's fetcher gets `{ following }`; the plain form (before JavaScript) also sends
 * `redirectTo` and goes back to the page it came from. Hidden or missing targets are a 404.
 */
export async function followAction(context: RequestContext, request: Request, target: FollowTarget) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "follow" && intent !== "unfollow") throw data("Send intent=follow or intent=unfollow.", { status: 400 });
  const result = await setFollowing(context.db, actor, target, intent === "follow");
  if (form.has("redirectTo")) throw redirect(safeRedirect(form.get("redirectTo")));
  return result;
}

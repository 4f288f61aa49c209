import { data, redirect } from "react-router";
import type { Route } from "./+types/follow";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { followIdea } from "#app/features/ideas/ideas.server.ts";
import { idParam } from "#app/features/qa/question-url.ts";
import { readForm } from "#app/lib/forms.ts";

/**
 * Follow or unfollow an idea: `POST /ideas/12/follow` with `intent=follow|unfollow`, from
 * FollowButton (a fetcher gets `{ following }`; the plain form goes back through `redirectTo`).
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "follow" && intent !== "unfollow") throw data("Unknown action", { status: 400 });
  const result = await followIdea(context.db, actor, idParam(params.ideaId), intent === "follow");
  if (form.has("redirectTo")) throw redirect(safeRedirect(form.get("redirectTo")));
  return result;
}

import { data, redirect } from "react-router";
import type { Route } from "./+types/follow";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { followQuestion, unfollowQuestion } from "#app/features/notifications/follows.server.ts";
import { readForm } from "#app/lib/forms.ts";

/**
 * Follow or unfollow a question: `POST /questions/12/follow` with `intent=follow|unfollow`.
 * FollowButton's fetcher gets `{ following }`; the plain form (before JavaScript) also sends
 * `redirectTo` and goes back to the page it came from. Hidden or missing questions are a 404.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const questionId = Number(params.questionId);
  let result: { following: boolean };
  if (intent === "follow") result = await followQuestion(context.db, actor, questionId);
  else if (intent === "unfollow") result = await unfollowQuestion(context.db, actor, questionId);
  else throw data("Unknown action", { status: 400 });
  if (form.has("redirectTo")) throw redirect(safeRedirect(form.get("redirectTo")));
  return result;
}

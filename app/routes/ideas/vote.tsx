import { data, redirect } from "react-router";
import type { Route } from "./+types/vote";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { loadIdea } from "#app/features/ideas/access.server.ts";
import { ideaUrl } from "#app/features/ideas/idea-url.ts";
import { castIdeaVote, retractIdeaVote } from "#app/features/ideas/votes.server.ts";
import { idParam } from "#app/features/qa/question-url.ts";
import { InputError } from "#app/lib/errors.ts";
import { readForm } from "#app/lib/forms.ts";
import { VoteRefused } from "#app/components/vote-refused.tsx";

/**
 * POST /ideas/:ideaId/vote with `intent` = vote | unvote. The vote button posts here through a
 * fetcher (which adds `_fetcher=1`) and gets JSON back; without JavaScript the same form comes
 * back to the page it was on, or, when the vote is refused, this page says why.
 */

export function meta(_: Route.MetaArgs) {
  return [{ title: "Vote · Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { idea } = await loadIdea(context.db, actor, idParam(params.ideaId));
  return { back: ideaUrl(idea) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const ideaId = idParam(params.ideaId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "vote" && intent !== "unvote") throw data("A vote is vote or unvote.", { status: 400 });
  try {
    const result = await (intent === "vote" ? castIdeaVote : retractIdeaVote)(context.db, actor, ideaId);
    if (form.get("_fetcher") === "1") return { ok: true as const, ...result };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return data({ ok: false as const, message: error.message }, { status: 400 });
  }
  throw redirect(form.has("redirectTo") ? safeRedirect(form.get("redirectTo")) : ideaUrl({ id: ideaId }));
}

export default function VoteRefusedPage({ loaderData, actionData }: Route.ComponentProps) {
  return <VoteRefused message={actionData && !actionData.ok ? actionData.message : null} fallback="Votes are cast with the Vote button on an idea." back={loaderData.back} backLabel="Back to the idea" />;
}

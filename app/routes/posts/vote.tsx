import { data, redirect } from "react-router";
import type { Route } from "./+types/vote";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { idParam } from "#app/features/qa/question-url.ts";
import { castVote, postPermalink } from "#app/features/qa/votes.server.ts";
import { VoteSchema, voteValue } from "#app/features/qa/vote-schema.ts";
import { InputError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { VoteRefused } from "#app/components/vote-refused.tsx";

/**
 * POST /posts/:postId/vote with `value` = up | down | none. The vote controls post here through
 * a fetcher (which adds `_fetcher=1`) and get JSON back; a browser without JavaScript posts the
 * same form and is sent back to the post, or, when the vote is refused, sees why on this page.
 */

export function meta(_: Route.MetaArgs) {
  return [{ title: "Vote · Commons" }];
}

/** The way back to the post (this page only shows when a vote without JavaScript was refused). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { back: await postPermalink(context.db, actor, idParam(params.postId)) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const postId = idParam(params.postId);
  const form = await readForm(request);
  const fetcher = form.get("_fetcher") === "1";
  const parsed = parseForm(VoteSchema, form);
  if (!parsed.ok) throw data("A vote is up, down or none.", { status: 400 });
  try {
    const result = await castVote(context.db, actor, postId, voteValue(parsed.data.value));
    if (fetcher) return { ok: true as const, ...result };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return data({ ok: false as const, message: error.message }, { status: 400 });
  }
  throw redirect(await postPermalink(context.db, actor, postId));
}

export default function VoteRefusedPage({ loaderData, actionData }: Route.ComponentProps) {
  return <VoteRefused message={actionData && !actionData.ok ? actionData.message : null} fallback="Votes are cast with the arrows next to a question or an answer." back={loaderData.back} backLabel="Back to the post" />;
}

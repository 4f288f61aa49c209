import { data, redirect } from "react-router";
import type { Route } from "./+types/vote";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { VoteSchema } from "#app/features/social/vote-schema.ts";
import { castItemVote, votePage } from "#app/features/social/votes.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { KIND_NOUNS } from "#app/features/social/kinds.ts";
import { VoteRefused } from "#app/components/vote-refused.tsx";

/**
 * POST /items/:itemId/vote with `value` = up | down | none (kinds that count support, such as
 * ideas, take up | none): the one vote protocol. Vote controls post here through a fetcher (which
 * adds `_fetcher=1`) and get JSON back, `{ ok: true, myVote, score, votesLeft? }` or
 * `{ ok: false, message }` with a 400. A browser without JavaScript posts the same form and is
 * sent back to the item (or `redirectTo`), or, when the vote is refused, sees why on this page.
 */

export function meta(_: Route.MetaArgs) {
  return [{ title: "Vote · Commons" }];
}

/** The way back to the item (this page only shows when a vote without JavaScript was refused). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return votePage(context.db, actor, idParam(params.itemId));
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const itemId = idParam(params.itemId);
  const form = await readForm(request);
  const parsed = parseForm(VoteSchema, form);
  if (!parsed.ok) throw data("A vote is up, down or none.", { status: 400 });
  try {
    const result = await castItemVote(context.db, actor, itemId, parsed.data.value);
    if (form.get("_fetcher") === "1") return { ok: true as const, ...result };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return data({ ok: false as const, message: error.message }, { status: 400 });
  }
  throw redirect(form.has("redirectTo") ? safeRedirect(form.get("redirectTo")) : (await votePage(context.db, actor, itemId)).back);
}

export default function VoteRefusedPage({ loaderData, actionData }: Route.ComponentProps) {
  const { back, kind, votes } = loaderData;
  const noun = KIND_NOUNS[kind];
  const post = kind === "question" || kind === "answer";
  return (
    <VoteRefused
      message={actionData && !actionData.ok ? actionData.message : null}
      fallback={votes === "support" ? `Votes are cast with the Vote button on the ${noun}.` : `Votes are cast with the arrows next to the ${noun}.`}
      back={back}
      backLabel={post ? "Back to the post" : `Back to the ${noun}`}
    />
  );
}

import { data, href, redirect } from "react-router";
import type { z } from "zod";
import type { Route } from "./+types/round";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { BallotSchema, JurySchema, MovePhaseSchema, NominateSchema, NominationIdSchema, ShortlistSchema } from "#app/features/recognition/award-schemas.ts";
import { castBallot, loadRound, movePhase, nominate, removeNomination, roundPage, setJury, setShortlist, withdrawNomination } from "#app/features/recognition/awards.server.ts";
import { commentAction } from "#app/features/social/comment-actions.server.ts";
import { commentsOn } from "#app/features/social/comments.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { AwardRoundView } from "#app/components/recognition/award-round-view.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.round.title} · Awards · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await roundPage(context.db, actor, idParam(params.roundId), new Date(), pageParam(new URL(request.url)));
  const comments = await commentsOn(context.db, actor, [page.round.itemId], { canModerate: page.me.canModerate });
  return { ...page, comments: comments.get(page.round.itemId) ?? [], page: pageParam(new URL(request.url)), now: Date.now(), submissionKey: crypto.randomUUID() };
}

/** Runs one of the page's forms: its schema, then the feature; a refusal comes back as `{ intent, ...failure }` with a 400. */
async function run<S extends z.ZodType, T>(intent: string, schema: S, form: FormData, call: (input: z.output<S>) => Promise<T>) {
  const parsed = parseForm(schema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => call(parsed.data)) : parsed;
  if (result.ok) return { ok: true as const, result: result.result };
  return { ok: false as const, reply: data({ ...(result as FormFailure), intent }, { status: 400 }) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const form = await readForm(request);
  // Comments on the round, as on every kind's page.
  const commented = await commentAction(db, actor, form);
  if (commented) return commented;
  const roundId = idParam(params.roundId);
  // A missing round answers 404 whatever the form holds.
  await loadRound(db, actor, { roundId });
  const here = href("/awards/:roundId", { roundId: String(roundId) });
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "nominate": {
      const done = await run(intent, NominateSchema, form, (input) => nominate(db, actor, roundId, input));
      if (!done.ok) return done.reply;
      throw redirect(`${here}#nomination-${done.result.id}`);
    }
    case "withdraw":
    case "remove-nomination": {
      const done = await run(intent, NominationIdSchema, form, ({ nominationId }) =>
        intent === "withdraw" ? withdrawNomination(db, actor, nominationId, { roundId }) : removeNomination(db, actor, { nominationId }, { roundId }),
      );
      if (!done.ok) return done.reply;
      throw redirect(`${here}#nominations`);
    }
    case "shortlist": {
      const done = await run(intent, ShortlistSchema, form, ({ nominee }) => setShortlist(db, actor, roundId, nominee));
      if (!done.ok) return done.reply;
      throw redirect(`${here}#shortlist`);
    }
    case "vote": {
      // The redirect names nothing: the page shows "You voted" from the ballot row alone.
      const done = await run(intent, BallotSchema, form, ({ choice }) => castBallot(db, actor, roundId, choice));
      if (!done.ok) return done.reply;
      throw redirect(`${here}#ballot`);
    }
    case "move": {
      const done = await run(intent, MovePhaseSchema, form, ({ step }) => movePhase(db, actor, roundId, step));
      if (!done.ok) return done.reply;
      throw redirect(here);
    }
    case "jury": {
      const done = await run(intent, JurySchema, form, ({ jurors }) => setJury(db, actor, roundId, jurors));
      if (!done.ok) return done.reply;
      throw redirect(here);
    }
    default:
      throw data("Unknown action", { status: 400 });
  }
}

export default function AwardRoundPage({ loaderData, actionData }: Route.ComponentProps) {
  return <AwardRoundView data={loaderData} actionData={actionData} />;
}

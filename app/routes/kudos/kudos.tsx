import { data, href, redirect } from "react-router";
import type { Route } from "./+types/kudos";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { kudosPage } from "#app/features/recognition/feeds.server.ts";
import { addToKudos, loadKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { AddPointsSchema, WithdrawSchema } from "#app/features/recognition/kudos-schemas.ts";
import { commentAction } from "#app/features/social/comment-actions.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { plural } from "#app/lib/plural.ts";
import { Card } from "#app/components/card.tsx";
import { CommentList, commentFailureFor } from "#app/components/content/comment-list.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { FlagLink } from "#app/components/qa/flag-link.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { KudosCardView } from "#app/components/recognition/kudos-card.tsx";
import { AddPointsForm, KudosGifts, WithdrawForm, WithdrawnNotice } from "#app/components/recognition/kudos-panels.tsx";
import { KudosPlusOne } from "#app/components/recognition/kudos-plus-one.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Kudos from ${loaderData.kudos.giver.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await kudosPage(context.db, actor, idParam(params.kudosId));
  return { ...page, now: Date.now(), submissionKey: crypto.randomUUID() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const kudosId = idParam(params.kudosId);
  const form = await readForm(request);
  // Comments, and deleting and restoring them, as on every kind's page.
  const commented = await commentAction(db, actor, form);
  if (commented) return commented;
  const intent = String(form.get("intent") ?? "");
  const here = href("/kudos/:kudosId", { kudosId: String(kudosId) });
  const fail = (result: FormFailure) => data({ intent, ...result }, { status: 400 });
  if (intent === "add-points") {
    const parsed = parseForm(AddPointsSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => addToKudos(db, actor, kudosId, parsed.data)) : parsed;
    if (!result.ok) return fail(result);
    throw redirect(here);
  }
  if (intent === "withdraw") {
    // Who may withdraw is settled before the reason is read: a member is refused, whatever they typed.
    const access = await loadKudos(db, actor, { id: kudosId });
    if (!access.canModerate) throw new ForbiddenError("Only HR, admins and the space's moderators withdraw kudos.");
    const parsed = parseForm(WithdrawSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => withdrawKudos(db, actor, access.kudos.itemId, parsed.data.reason)) : parsed;
    if (!result.ok) return fail(result);
    // The people it concerned still see it, marked withdrawn; for anyone else it is gone.
    throw redirect(access.concerns ? here : href("/kudos"));
  }
  throw data("Unknown action", { status: 400 });
}

export default function KudosPage({ loaderData, actionData }: Route.ComponentProps) {
  const { kudos: k, gifts, comments, withdrawal, allowanceLeft, isReceiver, canAddPoints, canWithdraw, spaceSlug, now, submissionKey } = loaderData;
  const failure = (intent: string): FormFailure | null => (actionData && !actionData.ok && "intent" in actionData && actionData.intent === intent ? actionData : null);
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader crumbs={[{ label: "Kudos", to: href("/kudos") }]} title={`Kudos from ${k.giver.name}`} />
      <RecognitionTabs />
      {withdrawal ? <WithdrawnNotice withdrawal={withdrawal} /> : null}
      <Card>
        <KudosCardView kudos={k} now={now} linked={false} />
        {withdrawal ? null : (
          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3">
            <KudosPlusOne itemId={k.itemId} plusOned={k.myPlusOne} count={k.plusOneCount} disabledReason={isReceiver ? "You can't +1 kudos given to you." : null} />
            {k.private ? null : <FlagLink target={{ itemId: k.itemId }} authorId={k.giver.id} deleted={false} label="this kudos" />}
          </div>
        )}
      </Card>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <KudosGifts gifts={gifts} receiverCount={k.receivers.length} now={now} />
        {canAddPoints ? <AddPointsForm failure={failure("add-points")} left={allowanceLeft} receiverCount={k.receivers.length} /> : null}
        {canWithdraw ? <WithdrawForm failure={failure("withdraw")} /> : null}
      </div>
      {withdrawal ? null : (
        <section id="comments" aria-labelledby="comments-heading" className="mt-8 border-t border-slate-200 pt-6">
          <h2 id="comments-heading" className="text-lg font-semibold text-slate-900">
            {plural(k.commentCount, "comment", "comments")}
          </h2>
          <CommentList
            itemId={k.itemId}
            comments={comments}
            now={now}
            submissionKey={submissionKey}
            failure={commentFailureFor(actionData, k.itemId)}
            mentionSpace={spaceSlug}
            collapsed={false}
            hint="Add your congratulations or say what it meant to you."
            emptyText="No comments yet."
          />
        </section>
      )}
    </div>
  );
}

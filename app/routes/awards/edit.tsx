import { data, href, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { editableRound, editRound, roundUrl } from "#app/features/recognition/awards.server.ts";
import { EditRoundSchema } from "#app/features/recognition/award-schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { AwardRoundForm } from "#app/components/recognition/award-round-form.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit ${loaderData.round.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { round, votingStarted, resultsOut } = await editableRound(context.db, actor, idParam(params.roundId), new Date());
  return {
    round: {
      id: round.id,
      title: round.title,
      description: round.description,
      reward: round.reward,
      nomineeScope: round.nomineeScope,
      nomineeDepartment: round.nomineeDepartment,
      selfNomination: round.selfNomination,
      shortlist: round.shortlist,
      votesPerVoter: round.votesPerVoter,
      winnerCount: round.winnerCount,
      nominationsOpenAt: round.nominationsOpenAt,
      nominationsCloseAt: round.nominationsCloseAt,
      votingOpenAt: round.votingOpenAt,
      votingCloseAt: round.votingCloseAt,
      resultsAt: round.resultsAt,
    },
    votingStarted,
    resultsOut,
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const roundId = idParam(params.roundId);
  // A missing round is a 404 before anything about the form is said.
  await editableRound(context.db, actor, roundId, new Date());
  const parsed = parseForm(EditRoundSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => editRound(context.db, actor, roundId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(roundUrl({ id: roundId }));
}

export default function EditAwardRound({ loaderData, actionData }: Route.ComponentProps) {
  const { round, votingStarted, resultsOut } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={`Edit “${round.title}”`}
        crumbs={[
          { label: "Awards", to: href("/awards") },
          { label: round.title, to: href("/awards/:roundId", { roundId: String(round.id) }) },
        ]}
      />
      <RecognitionTabs />
      <AwardRoundForm failed={failed} defaults={round} votingStarted={votingStarted} resultsOut={resultsOut} submitLabel="Save changes" />
    </div>
  );
}

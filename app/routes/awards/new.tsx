import { data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireRole } from "#app/features/auth/session.server.ts";
import { createRound, roundUrl } from "#app/features/recognition/awards.server.ts";
import { RoundSchema } from "#app/features/recognition/award-schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { AwardRoundForm } from "#app/components/recognition/award-round-form.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "New award round · Commons" }];
}

const DAY = 24 * 3600 * 1000;

// HR and admins only; anyone else gets the 404 of a page that isn't there.
const requireHr = (context: Route.LoaderArgs["context"], request: Request) => requireRole(context, request, ["hr", "admin"]);

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireHr(context, request);
  // Nominations open now (to the minute) for a week, voting the week after, results when it closes.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  return {
    defaults: {
      title: "",
      description: "",
      reward: "",
      nomineeScope: "everyone" as const,
      nomineeDepartment: "",
      selfNomination: false,
      shortlist: false,
      votesPerVoter: 1,
      winnerCount: 1,
      nominationsOpenAt: new Date(now),
      nominationsCloseAt: new Date(now + 7 * DAY),
      votingOpenAt: new Date(now + 7 * DAY),
      votingCloseAt: new Date(now + 14 * DAY),
      resultsAt: new Date(now + 14 * DAY),
    },
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireHr(context, request);
  const parsed = parseForm(RoundSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createRound(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(roundUrl(result.result));
}

export default function NewAwardRound({ loaderData, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="New award round"
        crumbs={[{ label: "Awards", to: href("/awards") }]}
        description="Employees nominate colleagues, then vote in secret; the results are published on the round's page and reach the nominees."
      />
      <RecognitionTabs />
      <AwardRoundForm failed={failed} defaults={loaderData.defaults} submissionKey={loaderData.submissionKey} withJury submitLabel="Create the round" />
    </div>
  );
}

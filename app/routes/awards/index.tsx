import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { awardRoundList } from "#app/features/recognition/awards.server.ts";
import { isRunning, type AwardPhase, ROUNDS_PAGE_SIZE } from "#app/features/recognition/award-schemas.ts";
import { pageParam } from "#app/lib/forms.ts";
import { plural } from "#app/lib/plural.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { StarIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { AwardPhaseBadge } from "#app/components/recognition/award-phase-badge.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Awards · Recognition · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = pageParam(new URL(request.url));
  return { ...(await awardRoundList(context.db, actor, new Date(), page)), page };
}

type Dated = { nominationsOpenAt: Date; nominationsCloseAt: Date; votingOpenAt: Date; votingCloseAt: Date; resultsAt: Date };

/** The one date that matters now: when this phase ends, or when the next begins. */
function nextDate(phase: AwardPhase, r: Dated): string {
  switch (phase) {
    case "upcoming":
      return `Nominations open ${absoluteTime(r.nominationsOpenAt)}`;
    case "nominating":
      return `Nominations close ${absoluteTime(r.nominationsCloseAt)}`;
    case "shortlisting":
    case "between":
      return `Voting opens ${absoluteTime(r.votingOpenAt)}`;
    case "voting":
      return `Voting closes ${absoluteTime(r.votingCloseAt)}`;
    case "counting":
      return `Results ${absoluteTime(r.resultsAt)}`;
    case "results":
      return `Results published ${absoluteTime(r.resultsAt)}`;
  }
}

export default function Awards({ loaderData }: Route.ComponentProps) {
  const { rounds, total, canCreate, page } = loaderData;
  const running = rounds.filter((r) => isRunning(r.phase));
  const finished = rounds.filter((r) => !isRunning(r.phase));
  const list = (items: typeof rounds) => (
    <ul className="grid gap-4 sm:grid-cols-2">
      {items.map((r) => (
        <Card as="li" key={r.id} className="p-5">
          <div className="flex items-start justify-between gap-3">
            <h3 className="text-base font-semibold text-slate-900">
              <Link to={href("/awards/:roundId", { roundId: String(r.id) })} className="hover:underline">
                {r.title}
              </Link>
            </h3>
            <AwardPhaseBadge phase={r.phase} />
          </div>
          {r.reward ? <p className="mt-1 text-sm text-slate-600">Reward: {r.reward}</p> : null}
          <p className="mt-3 text-sm text-slate-600">{nextDate(r.phase, r)}</p>
          <p className="mt-1 text-sm text-slate-600">
            {plural(r.nominationCount, "nomination", "nominations")}
            {r.phase === "voting" || r.phase === "counting" || r.phase === "results" ? ` · ${plural(r.ballotCount, "ballot", "ballots")} cast` : ""}
          </p>
        </Card>
      ))}
    </ul>
  );
  return (
    <>
      <PageHeader
        title="Awards"
        description="Awards the employees vote for: nominate the colleagues who made a difference, vote once in secret, and see who won."
        actions={
          canCreate ? (
            <ButtonLink to={href("/awards/new")} variant="primary">
              New award round
            </ButtonLink>
          ) : null
        }
      />
      <RecognitionTabs />
      {rounds.length === 0 ? (
        <EmptyState icon={<StarIcon className="size-5" />} title={page > 1 ? "Nothing on this page" : "No award rounds yet"}>
          {canCreate ? "Start the first one: the talent show, a customer award, a team of the quarter." : "When HR opens an award round, it shows here."}
        </EmptyState>
      ) : (
        <div className="space-y-8">
          {running.length > 0 ? (
            <section aria-labelledby="running-heading">
              <h2 id="running-heading" className="mb-3 text-lg font-semibold text-slate-900">
                Running now
              </h2>
              {list(running)}
            </section>
          ) : null}
          {finished.length > 0 ? (
            <section aria-labelledby="finished-heading">
              <h2 id="finished-heading" className="mb-3 text-lg font-semibold text-slate-900">
                Finished
              </h2>
              {list(finished)}
            </section>
          ) : null}
          <Pagination
            offset={(page - 1) * ROUNDS_PAGE_SIZE}
            pageSize={ROUNDS_PAGE_SIZE}
            total={total}
            shown={rounds.length}
            pageHref={(n) => (n > 1 ? `${href("/awards")}?page=${n}` : href("/awards"))}
            label="Pages of award rounds"
          />
        </div>
      )}
    </>
  );
}

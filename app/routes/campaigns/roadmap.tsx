import { href } from "react-router";
import type { Route } from "./+types/roadmap";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { campaignUrl } from "#app/features/ideas/idea-url.ts";
import { roadmap } from "#app/features/ideas/reports.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { LightbulbIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { CampaignTabs } from "#app/components/ideas/campaign-tabs.tsx";
import { RoadmapBoard } from "#app/components/ideas/roadmap-board.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.campaign.title} · Roadmap · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { campaign, space, columns } = await roadmap(context.db, actor, idParam(params.campaignId));
  return { campaign: { id: campaign.id, title: campaign.title }, space: { slug: space.slug, name: space.name }, columns };
}

export default function Roadmap({ loaderData }: Route.ComponentProps) {
  const { campaign, space, columns } = loaderData;
  const empty = columns.every((c) => c.total === 0);
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Ideas", to: href("/campaigns") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title={campaign.title}
        description="Where every idea stands, most-voted first. Duplicates that were merged are counted on the idea they joined."
      />
      <CampaignTabs campaignId={campaign.id} />
      {empty ? (
        <EmptyState
          icon={<LightbulbIcon />}
          title="No ideas yet"
          action={
            <ButtonLink to={campaignUrl(campaign)} variant="secondary">
              Go to the campaign
            </ButtonLink>
          }
        >
          As ideas come in and the sponsor decides on them, they move across this board.
        </EmptyState>
      ) : (
        <RoadmapBoard campaignId={campaign.id} columns={columns} />
      )}
    </>
  );
}

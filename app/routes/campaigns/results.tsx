import { href } from "react-router";
import type { Route } from "./+types/results";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { campaignResults, DEPARTMENT_GROUP_MIN } from "#app/features/ideas/reports.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { CampaignTabs } from "#app/components/ideas/campaign-tabs.tsx";
import { ParticipationPanel, ScoresTable, TopIdeasTable } from "#app/components/ideas/campaign-results.tsx";
import { FunnelChart } from "#app/components/ideas/funnel-chart.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.campaign.title} · Results · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const results = await campaignResults(context.db, actor, idParam(params.campaignId));
  const { campaign, space, canManage, funnel, topIdeas, participation, scores } = results;
  return {
    campaign: { id: campaign.id, title: campaign.title, criteria: campaign.criteria },
    space: { slug: space.slug, name: space.name },
    canManage,
    funnel,
    topIdeas,
    participation,
    // Private to the sponsor and moderators: null for everyone else, so it never reaches their browser.
    scores,
    groupMin: DEPARTMENT_GROUP_MIN,
  };
}

export default function Results({ loaderData }: Route.ComponentProps) {
  const { campaign, space, canManage, funnel, topIdeas, participation, scores, groupMin } = loaderData;
  const campaignId = String(campaign.id);
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Ideas", to: href("/campaigns") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title={campaign.title}
        description="What became of the ideas, which ones people wanted most, and who took part. The figures are live."
        actions={
          canManage ? (
            // A file download, not a page: the browser must fetch it itself.
            <ButtonLink to={href("/campaigns/:campaignId/ideas.csv", { campaignId })} reloadDocument>
              Download ideas (CSV)
            </ButtonLink>
          ) : null
        }
      />
      <CampaignTabs campaignId={campaign.id} />
      <div className="space-y-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <CardSection title="From idea to done" titleId="funnel" description="An idea counts in every stage it has reached, even if it later moved back or was declined.">
            <FunnelChart funnel={funnel} />
          </CardSection>
          <CardSection title="Participation" titleId="participation">
            <ParticipationPanel participation={participation} groupMin={groupMin} />
          </CardSection>
        </div>
        <CardSection title="Top ideas" titleId="top-ideas" description="The most-voted ideas, whatever their status.">
          <TopIdeasTable ideas={topIdeas} />
        </CardSection>
        {scores ? (
          <CardSection title="Evaluators' scores" titleId="scores" description="Average score from 1 to 5 per criterion for the top ideas. Only the sponsor and moderators see this.">
            <ScoresTable ideas={topIdeas} scores={scores} criteria={campaign.criteria} />
          </CardSection>
        ) : null}
      </div>
    </>
  );
}

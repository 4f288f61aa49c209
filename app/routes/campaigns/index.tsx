import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { campaignList, sponsorableSpaces } from "#app/features/ideas/campaigns.server.ts";
import { campaignUrl } from "#app/features/ideas/idea-url.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { LightbulbIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PhaseBadge } from "#app/components/ideas/phase-badge.tsx";
import { absoluteDate, lastDay } from "#app/lib/time.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Idea campaigns · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const archived = new URL(request.url).searchParams.get("archived") === "1";
  const [campaigns, sponsorable] = await Promise.all([campaignList(context.db, actor, { archived }), sponsorableSpaces(context.db, actor)]);
  return { campaigns, archived, canSponsor: sponsorable.length > 0 };
}

export default function Campaigns({ loaderData }: Route.ComponentProps) {
  const { campaigns, archived, canSponsor } = loaderData;
  return (
    <>
      <PageHeader
        title={archived ? "Archived campaigns" : "Idea campaigns"}
        description="Each campaign asks one question of the company. Give your ideas, vote for the ones you want most, and follow what is decided and why."
        actions={
          canSponsor ? (
            <ButtonLink to={href("/campaigns/new")} variant="primary">
              New campaign
            </ButtonLink>
          ) : null
        }
      />
      {campaigns.length === 0 ? (
        <EmptyState icon={<LightbulbIcon />} title={archived ? "No archived campaigns" : "No campaigns yet"}>
          {archived
            ? "Campaigns that sponsors archive are kept here."
            : canSponsor
              ? "Start the first one: ask the company a question worth answering."
              : "When a moderator starts a campaign, it shows here."}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2">
          {campaigns.map((c) => (
            <Card as="li" key={c.id} className="p-5">
              <div className="flex items-start justify-between gap-3">
                <h2 className="text-base font-semibold text-slate-900">
                  <Link to={campaignUrl(c)} className="hover:underline">
                    {c.title}
                  </Link>
                </h2>
                <PhaseBadge phase={c.phase} />
              </div>
              <p className="mt-1 text-sm text-slate-600">
                In{" "}
                <Link to={href("/spaces/:slug", { slug: c.space.slug })} className="hover:underline">
                  {c.space.name}
                </Link>{" "}
                · sponsored by {c.sponsorName}
              </p>
              <p className="mt-3 text-sm text-slate-600">
                {c.ideaCount === 1 ? "1 idea" : `${c.ideaCount.toLocaleString("en")} ideas`} · {absoluteDate(c.startsAt)} to {absoluteDate(lastDay(c.endsAt))}
              </p>
            </Card>
          ))}
        </ul>
      )}
      <p className="mt-6 text-sm">
        <Link to={archived ? href("/campaigns") : `${href("/campaigns")}?archived=1`} className="font-medium text-brand-700 hover:underline">
          {archived ? "Back to current campaigns" : "Archived campaigns"}
        </Link>
      </p>
    </>
  );
}

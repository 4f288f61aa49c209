import { href } from "react-router";
import type { Route } from "./+types/space-feed";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { kudosFeed } from "#app/features/recognition/feeds.server.ts";
import { kudosFeedParams } from "#app/features/recognition/kudos-schemas.ts";
import { filterValues } from "#app/features/recognition/values.server.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { ValueFilter } from "#app/components/recognition/kudos-filters.tsx";
import { KudosList } from "#app/components/recognition/kudos-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Kudos · ${loaderData.space.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  // A hidden space answers like a missing one, before anything of its feed is read.
  const { space } = await spaceBySlugForActor(context.db, actor, params.slug);
  const url = new URL(request.url);
  const feedParams = { ...kudosFeedParams(url), show: "all" as const, item: undefined };
  const [page, values] = await Promise.all([kudosFeed(context.db, actor, { ...feedParams, spaceId: space.id, page: pageParam(url) }), filterValues(context.db)]);
  return { space: { slug: space.slug, name: space.name, companyWide: space.companyWide }, params: feedParams, page, values, now: Date.now() };
}

/** A space's feed: kudos on things in the space (the company space's: kudos for a person rather than a thing). */
export default function SpaceKudos({ loaderData }: Route.ComponentProps) {
  const { space, params, page, values, now } = loaderData;
  const base = href("/spaces/:slug/kudos", { slug: space.slug });
  const give = (
    <ButtonLink to={href("/kudos/new")} variant="primary">
      Give kudos
    </ButtonLink>
  );
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title={`Kudos in ${space.name}`}
        description={
          space.companyWide ? "Kudos that thank colleagues for their work in general rather than for one thing." : "Kudos for answers, questions, pages, articles and ideas in this space."
        }
        actions={give}
      />
      <RecognitionTabs />
      <ValueFilter base={base} params={params} values={values} />
      <KudosList
        base={base}
        params={params}
        page={page}
        now={now}
        emptyAction={give}
        empty={{ title: "No kudos here yet", text: "Kudos given for something in this space show here. Thank someone from their answer, page or idea with “Give kudos”." }}
      />
    </>
  );
}

import { href } from "react-router";
import type { Route } from "./+types/person";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { kudosFeed } from "#app/features/recognition/feeds.server.ts";
import { kudosFeedParams } from "#app/features/recognition/kudos-schemas.ts";
import { filterValues } from "#app/features/recognition/values.server.ts";
import { profileForViewer } from "#app/features/users/profiles.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { KudosTabs, showTabs, ValueFilter } from "#app/components/recognition/kudos-filters.tsx";
import { KudosList } from "#app/components/recognition/kudos-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Kudos · ${loaderData.person.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { user } = await profileForViewer(context.db, actor, idParam(params.userId));
  const url = new URL(request.url);
  // A person's kudos: received by default, or given; never "all".
  const feedParams = { ...kudosFeedParams(url, "received"), item: undefined };
  if (feedParams.show === "all") feedParams.show = "received";
  const [page, values] = await Promise.all([kudosFeed(context.db, actor, { ...feedParams, personId: user.id, page: pageParam(url) }), filterValues(context.db)]);
  return { person: { id: user.id, name: user.name }, params: feedParams, page, values, isSelf: actor.id === user.id, now: Date.now() };
}

/** A person's kudos, received or given, as the reader may see them. */
export default function PersonKudos({ loaderData }: Route.ComponentProps) {
  const { person, params, page, values, isSelf, now } = loaderData;
  const base = href("/people/:userId/kudos", { userId: String(person.id) });
  const first = person.name.split(/\s+/)[0] ?? person.name;
  const give = isSelf ? undefined : (
    <ButtonLink to={`${href("/kudos/new")}?to=${person.id}`} variant="primary">
      Give {first} kudos
    </ButtonLink>
  );
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Kudos", to: href("/kudos") },
          { label: person.name, to: href("/people/:userId", { userId: String(person.id) }) },
        ]}
        title={`Kudos · ${person.name}`}
        actions={give}
      />
      <RecognitionTabs />
      <KudosTabs
        label={`${person.name}'s kudos`}
        tabs={showTabs(
          base,
          params,
          [
            { show: "received", label: "Received" },
            { show: "given", label: "Given" },
          ],
          "received",
        )}
      />
      <ValueFilter base={base} params={params} values={values} defaultShow="received" />
      <KudosList
        base={base}
        params={params}
        page={page}
        now={now}
        defaultShow="received"
        emptyAction={params.show === "received" ? give : undefined}
        empty={
          params.show === "received"
            ? { title: isSelf ? "No kudos for you yet" : `No kudos for ${first} yet`, text: "Kudos people receive show here, unless they are private." }
            : { title: isSelf ? "You haven't given kudos yet" : `${first} hasn't given kudos yet`, text: "Kudos people give show here, unless they are private." }
        }
      />
    </>
  );
}

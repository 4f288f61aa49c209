import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { kudosFeed, readerPoints } from "#app/features/recognition/feeds.server.ts";
import { kudosFeedParams } from "#app/features/recognition/kudos-schemas.ts";
import { filterValues } from "#app/features/recognition/values.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { KudosTabs, showTabs, ValueFilter } from "#app/components/recognition/kudos-filters.tsx";
import { KudosList } from "#app/components/recognition/kudos-list.tsx";
import { KudosPointsSummary } from "#app/components/recognition/kudos-points-summary.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Kudos · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const params = kudosFeedParams(url);
  const [points, page, values, subjects] = await Promise.all([
    readerPoints(context.db, actor),
    kudosFeed(context.db, actor, { ...params, page: pageParam(url) }),
    filterValues(context.db),
    params.item !== undefined ? describeItems(context.db, actor, [params.item]) : Promise.resolve(null),
  ]);
  // `?item=` comes from a "See all" link on a thing; a thing the reader may not see is never named.
  const subject = params.item !== undefined ? subjects?.get(params.item) : undefined;
  return { params, points, page, values, subject: subject ? { title: subject.title, url: subject.url } : null, now: Date.now() };
}

/** The company feed: every kudos the reader may see, newest first. */
export default function KudosFeed({ loaderData }: Route.ComponentProps) {
  const { params, points, page, values, subject, now } = loaderData;
  const base = href("/kudos");
  const give = (
    <ButtonLink to={href("/kudos/new")} variant="primary">
      Give kudos
    </ButtonLink>
  );
  const tabs = showTabs(base, params, [
    { show: "all", label: "All" },
    { show: "received", label: "Given to me" },
    { show: "given", label: "Given by me" },
  ]);
  if (points.managesPeople) tabs.push({ label: "My team", to: href("/kudos/team"), current: false });
  return (
    <>
      <PageHeader title="Kudos" description="Thanks between colleagues, for the company's values and often for a specific answer, page or idea." actions={give}>
        <KudosPointsSummary points={points} />
      </PageHeader>
      <RecognitionTabs />
      <KudosTabs tabs={tabs} />
      <ValueFilter base={base} params={params} values={values} />
      {subject ? (
        <p className="mb-4 text-sm text-slate-600">
          Kudos for{" "}
          <Link to={subject.url} className="font-medium text-brand-700 hover:underline">
            {subject.title}
          </Link>
          .
        </p>
      ) : null}
      <KudosList
        base={base}
        params={params}
        page={page}
        now={now}
        emptyAction={give}
        empty={
          params.show === "received"
            ? { title: "No kudos for you yet", text: "When colleagues thank you, their kudos show here and reach your inbox." }
            : params.show === "given"
              ? { title: "You haven't given kudos yet", text: "Thank a colleague for an answer, a page, an idea or just for their help." }
              : { title: "No kudos yet: give the first", text: "Thank a colleague for something they did, for one of the company's values." }
        }
      />
    </>
  );
}

import { href } from "react-router";
import type { Route } from "./+types/space-feed";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { articleFeed } from "#app/features/articles/feeds.server.ts";
import { feedParams } from "#app/features/articles/schemas.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { WriteArticleButton } from "#app/components/articles/write-button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { ArticleList, FeedTabs } from "#app/components/articles/article-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Articles · ${loaderData.space.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  // A hidden space answers like a missing one, before anything of its feed is read.
  const { space } = await spaceBySlugForActor(context.db, actor, params.slug);
  const url = new URL(request.url);
  // A space's feed is not filtered by author: that lives on the company feed.
  const state = { ...feedParams(url), author: undefined };
  const page = await articleFeed(context.db, actor, { ...state, spaceId: space.id, page: pageParam(url) });
  return { space: { slug: space.slug, name: space.name }, state, page, now: Date.now() };
}

/** A space's feed: the same list as the company's, kept to one space. */
export default function SpaceArticles({ loaderData }: Route.ComponentProps) {
  const { space, state, page, now } = loaderData;
  const base = href("/spaces/:slug/articles", { slug: space.slug });
  const write = <WriteArticleButton spaceSlug={space.slug} />;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title={`Articles in ${space.name}`}
        actions={write}
      />
      <FeedTabs base={base} state={state} />
      <ArticleList base={base} state={state} page={page} now={now} showSpace={false} writeAction={write} />
    </>
  );
}

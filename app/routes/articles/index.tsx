import { href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { articleFeed, feedAuthor } from "#app/features/articles/feeds.server.ts";
import { feedParams } from "#app/features/articles/schemas.ts";
import { pageParam } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { WriteArticleButton } from "#app/components/articles/write-button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { ArticleList, FeedTabs } from "#app/components/articles/article-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData?.author ? `Articles by ${loaderData.author.name} · Commons` : "Articles · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const params = feedParams(url);
  const author = await feedAuthor(context.db, params.author);
  const state = { ...params, author: author?.id };
  const page = await articleFeed(context.db, actor, { ...state, authorId: author?.id, page: pageParam(url) });
  return { state, author, page, now: Date.now() };
}

/** The company feed: articles from every space the reader may see. */
export default function Articles({ loaderData }: Route.ComponentProps) {
  const { state, author, page, now } = loaderData;
  const write = <WriteArticleButton />;
  return (
    <>
      <PageHeader
        title={author ? `Articles by ${author.name}` : "Articles"}
        description={author ? "Published in the spaces you can see." : "Announcements, how-tos, knowledge and personal posts from every space you can see."}
        actions={
          <>
            <ButtonLink to={href("/articles/drafts")}>Your drafts</ButtonLink>
            {write}
          </>
        }
      />
      <FeedTabs base={href("/articles")} state={state} />
      <ArticleList base={href("/articles")} state={state} page={page} now={now} writeAction={write} />
    </>
  );
}

import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/article";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { articleSlug, articleUrl } from "#app/features/articles/article-url.ts";
import { changePublication, deleteArticle, undeleteArticle } from "#app/features/articles/articles.server.ts";
import { articlePage } from "#app/features/articles/page.server.ts";
import { PublicationSchema } from "#app/features/articles/schemas.ts";
import { countArticleView } from "#app/features/articles/views.server.ts";
import { commentAction } from "#app/features/social/comment-actions.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { plural } from "#app/lib/plural.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge } from "#app/components/badge.tsx";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { CommentList, commentFailureFor } from "#app/components/content/comment-list.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { FlagLink } from "#app/components/qa/flag-link.tsx";
import { PostScore } from "#app/components/qa/post-score.tsx";
import { VoteControls } from "#app/components/qa/vote-controls.tsx";
import { ArticleStatusBadge, ArticleTypeBadge } from "#app/components/articles/type-badge.tsx";
import { PublicationPanel } from "#app/components/articles/publication-panel.tsx";
import { kudosOnRecord } from "#app/features/recognition/feeds.server.ts";
import { KudosStrip } from "#app/components/recognition/kudos-strip.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.article.title} · ${loaderData.space.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await articlePage(context.db, actor, idParam(params.articleId));
  // The id finds the article; an old or missing slug goes to the current URL.
  if (params.slug !== articleSlug(page.article.title)) throw redirect(articleUrl(page.article) + new URL(request.url).search);
  if (page.article.status === "published" && !page.article.deleted) {
    const counted = await countArticleView(context.db, actor.id, page.article.id, new Date());
    // Counted beside the read: show the larger of the two.
    if (counted !== null) page.article.viewCount = Math.max(page.article.viewCount, counted);
  }
  const kudos = await kudosOnRecord(context.db, actor, [page.article.itemId]);
  return { ...page, kudos: kudos[page.article.itemId] ?? null, viewerId: actor.id, now: Date.now(), submissionKey: crypto.randomUUID() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const articleId = idParam(params.articleId);
  const form = await readForm(request);
  // Comments, and deleting and restoring them, as on every kind's page.
  const commented = await commentAction(db, actor, form);
  if (commented) return commented;
  const intent = form.get("intent");
  const here = href("/articles/:articleId/:slug?", { articleId: String(articleId), slug: params.slug });
  if (intent === "delete" || intent === "undelete") {
    await (intent === "delete" ? deleteArticle : undeleteArticle)(db, actor, articleId);
    throw redirect(here);
  }
  if (intent === "publish" || intent === "draft" || intent === "schedule") {
    const parsed = parseForm(PublicationSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => changePublication(db, actor, articleId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent: "publication" as const }, { status: 400 });
    throw redirect(here);
  }
  throw data("Unknown action", { status: 400 });
}

export default function ArticlePage({ loaderData, actionData }: Route.ComponentProps) {
  const { article, author, editor, space, comments, myVote, following, followingAuthor, isAuthor, canEdit, canToggleDeletion, now, submissionKey } = loaderData;
  const published = article.status === "published";
  const live = published && !article.deleted;
  const publicationFailure: FormFailure | null = actionData && !actionData.ok && "intent" in actionData && actionData.intent === "publication" ? actionData : null;
  const id = String(article.id);
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: "Articles", to: href("/articles") },
          { label: space.name, to: href("/spaces/:slug/articles", { slug: space.slug }) },
        ]}
        title={article.title}
        actions={
          <>
            {live ? (
              <FollowButton action={href("/items/:itemId/follow", { itemId: String(article.itemId) })} following={following} description="Comments on this article reach your inbox" />
            ) : null}
            {canEdit ? <ButtonLink to={href("/articles/:articleId/edit", { articleId: id })}>Edit</ButtonLink> : null}
            {canToggleDeletion ? (
              <Form method="post">
                <Button name="intent" value={article.deleted ? "undelete" : "delete"} variant={article.deleted ? "secondary" : "dangerOutline"}>
                  {article.deleted ? "Undelete" : "Delete"}
                </Button>
              </Form>
            ) : null}
          </>
        }
      >
        <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600">
          <ArticleTypeBadge type={article.type} />
          <ArticleStatusBadge status={article.status} />
          {article.deleted ? <Badge tone="red">Deleted</Badge> : null}
          {article.publishedAt ? (
            <span>
              <RelativeTime date={article.publishedAt} now={now} prefix="Published" />
            </span>
          ) : (
            <span>
              <RelativeTime date={article.createdAt} now={now} prefix="Started" />
            </span>
          )}
          {article.lastEditedAt ? (
            <span>
              <RelativeTime date={article.lastEditedAt} now={now} prefix="Edited" />
              {editor ? ` by ${editor.name}` : ""}
            </span>
          ) : null}
          {live ? <span>{plural(article.viewCount, "view", "views")}</span> : null}
          <Link to={href("/articles/:articleId/history", { articleId: id })} className="hover:underline">
            History ({plural(article.revisionCount, "revision", "revisions")})
          </Link>
        </div>
      </PageHeader>

      {article.deleted ? (
        <p role="status" className="mb-6 rounded-xl border border-red-200 bg-red-50 px-5 py-4 text-sm text-red-900">
          This article is deleted: only its author and the space's moderators can see it.
        </p>
      ) : null}
      {!article.deleted && article.status !== "published" ? <PublicationPanel status={article.status} publishAt={article.publishAt} failure={publicationFailure} /> : null}

      <div className="flex gap-5">
        {published ? (
          <div className="shrink-0">
            {live ? (
              <VoteControls itemId={article.itemId} type="article" score={article.score} myVote={myVote} disabledReason={isAuthor ? "You can't vote on your own article." : null} />
            ) : (
              <PostScore score={article.score} />
            )}
          </div>
        ) : null}
        <div className="min-w-0 flex-1">
          <div className="mb-5 flex flex-wrap items-center gap-3">
            <Avatar name={author.name} size="md" />
            <div className="min-w-0">
              <Link to={href("/people/:userId", { userId: String(author.id) })} className="block font-medium text-slate-900 hover:text-brand-700 hover:underline">
                {author.name}
              </Link>
              {author.title ? <p className="text-xs text-slate-500">{author.title}</p> : null}
            </div>
            {isAuthor ? null : (
              <FollowButton
                action={href("/people/:userId/follow", { userId: String(author.id) })}
                following={followingAuthor}
                label={`Follow ${author.name.split(/\s+/)[0] ?? author.name}`}
                description={`Articles ${author.name} publishes reach your inbox`}
              />
            )}
          </div>
          <PostBody html={article.bodyHtml} />
          {article.tags.length > 0 ? (
            <ul className="mt-5 flex flex-wrap gap-1.5" aria-label="Tags">
              {article.tags.map((tag) => (
                <li key={tag}>
                  <Link
                    to={`${href("/articles")}?tag=${encodeURIComponent(tag)}`}
                    className="inline-flex items-center rounded-md bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-200 ring-inset hover:bg-sky-100"
                  >
                    {tag}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          <p className="mt-4 flex flex-wrap items-center gap-3 text-xs text-slate-500">
            <span>
              In{" "}
              <Link to={href("/spaces/:slug", { slug: space.slug })} className="hover:underline">
                {space.name}
              </Link>
            </span>
            <FlagLink target={{ itemId: article.itemId }} authorId={author.id} deleted={article.deleted || !published} label="this article" />
          </p>
          {live ? <KudosStrip itemId={article.itemId} authorId={author.id} kudos={loaderData.kudos ?? undefined} label="article" /> : null}
        </div>
      </div>

      {live ? (
        <section aria-labelledby="comments-heading" className="mt-8 border-t border-slate-200 pt-6">
          <h2 id="comments-heading" className="text-lg font-semibold text-slate-900">
            {plural(article.commentCount, "comment", "comments")}
          </h2>
          <CommentList
            itemId={article.itemId}
            comments={comments}
            now={now}
            submissionKey={submissionKey}
            failure={commentFailureFor(actionData, article.itemId)}
            mentionSpace={space.slug}
            collapsed={false}
            hint="Say what you think, add what you know, or ask the author."
            emptyText="No comments yet."
          />
        </section>
      ) : null}
    </div>
  );
}

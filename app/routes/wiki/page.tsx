import { data, href, redirect } from "react-router";
import type { Route } from "./+types/page";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { commentAction } from "#app/features/social/comment-actions.server.ts";
import { commentsOn } from "#app/features/social/comments.server.ts";
import { deletePage, undeletePage } from "#app/features/wiki/pages.server.ts";
import { newPageUrl, spaceWikiUrl } from "#app/features/wiki/page-url.ts";
import { pageGovernance } from "#app/features/wiki/suggestions.server.ts";
import { pageView } from "#app/features/wiki/view.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { CommentList, commentFailureFor } from "#app/components/content/comment-list.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { TagList } from "#app/components/content/tag-list.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { FlagLink } from "#app/components/qa/flag-link.tsx";
import { GovernancePanel } from "#app/components/wiki/governance-panel.tsx";
import { PageActions } from "#app/components/wiki/page-actions.tsx";
import { DeletedBanner, LastEdited, OwnerList, PageLinkList, TableOfContents } from "#app/components/wiki/page-panels.tsx";
import { PageSidebar } from "#app/components/wiki/page-sidebar.tsx";
import { kudosOnRecord } from "#app/features/recognition/feeds.server.ts";
import { KudosStrip } from "#app/components/recognition/kudos-strip.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.page.title} · ${loaderData.space.name} wiki · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const view = await pageView(context.db, actor, idParam(params.pageId), new Date());
  // The id finds the page; a renamed page's old slug (or none) is a permanent redirect to the current URL.
  if (params.slug !== view.page.slug) throw redirect(view.page.url + new URL(request.url).search, 301);
  // The comments and the governance panel's counts and sources at once.
  const [comments, governance, kudos] = await Promise.all([
    commentsOn(context.db, actor, [view.page.itemId], { canModerate: view.permissions.canModerate }),
    pageGovernance(context.db, actor, { id: view.page.id, spaceId: view.space.id }),
    kudosOnRecord(context.db, actor, [view.page.itemId]),
  ]);
  return { ...view, governance, kudos: kudos[view.page.itemId] ?? null, comments: comments.get(view.page.itemId) ?? [], now: Date.now(), submissionKey: crypto.randomUUID() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const form = await readForm(request);
  // Comments, and deleting and restoring them, as on every kind's page.
  const commented = await commentAction(context.db, actor, form);
  if (commented) return commented;
  const intent = form.get("intent");
  const here = href("/wiki/:pageId/:slug?", { pageId: String(pageId), slug: params.slug });
  if (intent === "delete") {
    await deletePage(context.db, actor, pageId);
    throw redirect(here);
  }
  if (intent === "undelete") {
    // Its title may have been taken meanwhile: the banner says so.
    const restored = await attempt({}, () => undeletePage(context.db, actor, pageId));
    if (!restored.ok) return data({ intent, ...restored }, { status: 400 });
    throw redirect(here);
  }
  throw data("Unknown action", { status: 400 });
}

export default function WikiPage({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, permissions, breadcrumbs, tree, children, backlinks, owners, following, comments, now, submissionKey } = loaderData;
  const deleted = page.deletedAt !== null;
  const undeleteError = actionData && "intent" in actionData && actionData.intent === "undelete" && !actionData.ok ? actionData.formError : undefined;
  return (
    <div className="grid gap-8 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <div className="min-w-0 lg:order-last">
        <PageHeader
          crumbs={[
            { label: space.name, to: href("/spaces/:slug", { slug: encodeURIComponent(space.slug) }) },
            { label: "Wiki", to: spaceWikiUrl(space) },
            ...breadcrumbs.map((b) => ({ label: b.title, to: b.url })),
          ]}
          title={page.title}
          actions={<PageActions page={{ id: page.id, itemId: page.itemId, deleted }} space={space} permissions={permissions} following={following} />}
        >
          <LastEdited page={page} now={now} />
        </PageHeader>
        {deleted ? <DeletedBanner deletedAt={page.deletedAt!} canRestore={permissions.canManage} now={now} error={undeleteError} /> : null}

        {/* @wiki-governance: verification status, owners, "suggest an edit", pending suggestions (the governance panel goes here). */}
        <div className="mb-6">
          <GovernancePanel view={loaderData} />
        </div>

        <TableOfContents toc={page.toc} />
        <article aria-labelledby="page-text-heading">
          <h2 id="page-text-heading" className="sr-only">
            Page text
          </h2>
          <PostBody html={page.bodyHtml} className="[&_:is(h1,h2,h3,h4)]:scroll-mt-24" />
        </article>
        {page.tags.length > 0 ? (
          <div className="mt-6">
            <TagList tags={page.tags} />
          </div>
        ) : null}
        <div className="mt-4 flex justify-end">
          <FlagLink target={{ itemId: page.itemId }} authorId={page.author?.id ?? 0} deleted={deleted} label="this page" />
        </div>
        {deleted ? null : <KudosStrip itemId={page.itemId} authorId={page.author?.id ?? null} kudos={loaderData.kudos ?? undefined} label="page" />}

        <div className="mt-8 grid gap-6 rounded-xl border border-slate-200 bg-white px-5 py-4 sm:grid-cols-3">
          <PageLinkList id="subpages-heading" title="Subpages" pages={children} empty="No subpages." />
          <PageLinkList id="backlinks-heading" title="Linked from" pages={backlinks} empty="No page you can see links here yet." />
          <OwnerList owners={owners} />
        </div>

        {deleted ? null : (
          <section aria-labelledby="comments-heading" className="mt-8">
            <h2 id="comments-heading" className="text-lg font-semibold text-slate-900">
              {comments.filter((c) => !c.deleted).length === 1 ? "1 comment" : `${comments.filter((c) => !c.deleted).length} comments`}
            </h2>
            <CommentList
              itemId={page.itemId}
              comments={comments}
              now={now}
              submissionKey={submissionKey}
              failure={commentFailureFor(actionData, page.itemId)}
              mentionSpace={space.slug}
              collapsed={false}
              hint="Ask about the page or point out what is out of date; @mention its owners to reach them."
              emptyText="No comments yet."
            />
          </section>
        )}
      </div>
      <PageSidebar space={space} wikiUrl={spaceWikiUrl(space)} tree={tree} currentId={page.id} newPageUrl={permissions.canEdit ? newPageUrl(space, { parentId: page.id }) : undefined} />
    </div>
  );
}

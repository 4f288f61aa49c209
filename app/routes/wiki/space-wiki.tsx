import { Link, href } from "react-router";
import type { Route } from "./+types/space-wiki";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { newPageUrl } from "#app/features/wiki/page-url.ts";
import { templatesFor } from "#app/features/wiki/templates.server.ts";
import { spaceWiki, topOfTree } from "#app/features/wiki/view.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PlusIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { PageTree } from "#app/components/wiki/page-tree.tsx";
import { PageListBadge } from "#app/components/wiki/verification-status.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.space.name} wiki · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const wiki = await spaceWiki(context.db, actor, params.slug, new Date());
  const [tree, templates] = await Promise.all([
    topOfTree(context.db, wiki.space.id),
    // The empty wiki invites its first page, from a template.
    wiki.pageCount === 0 ? templatesFor(context.db, actor, wiki.space.id) : Promise.resolve([]),
  ]);
  return {
    ...wiki,
    tree,
    templates: templates.map((t) => ({ id: t.id, name: t.name, description: t.description })),
    // Page owners may add pages to a protected wiki too; the form says so if they may not.
    mayAddPages: !wiki.space.wikiProtected || isModerator(actor, wiki.membership),
    now: Date.now(),
  };
}

export default function SpaceWiki({ loaderData }: Route.ComponentProps) {
  const { space, tree, recent, pageCount, followingWiki, templates, mayAddPages, now } = loaderData;
  const slug = encodeURIComponent(space.slug);
  const newPage = (
    <ButtonLink to={newPageUrl(space)} variant="primary">
      <PlusIcon className="size-4" />
      New page
    </ButtonLink>
  );
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug }) },
        ]}
        title={`${space.name} wiki`}
        description={
          pageCount === 0
            ? "Pages this space keeps: guides, runbooks, policies, answers to the questions people ask often."
            : `${pageCount === 1 ? "1 page" : `${pageCount.toLocaleString("en")} pages`}.`
        }
        actions={
          <>
            <FollowButton
              action={href("/spaces/:slug/wiki/follow", { slug })}
              following={followingWiki}
              label="Follow wiki"
              description={`Every new or changed page in the ${space.name} wiki reaches your inbox`}
            />
            {mayAddPages ? newPage : null}
          </>
        }
      >
        {space.wikiProtected ? (
          <p className="mt-3">
            <Badge tone="amber">Protected</Badge> <span className="text-sm text-slate-600">Changes by anyone but page owners and moderators are suggested edits.</span>
          </p>
        ) : null}
      </PageHeader>

      {pageCount === 0 ? (
        <EmptyState title="This wiki has no pages yet" action={mayAddPages ? newPage : undefined}>
          <p>Write the first page: start blank, or from a template.</p>
          {mayAddPages && templates.length > 0 ? (
            <ul className="mt-4 flex flex-wrap justify-center gap-2" aria-label="Start from a template">
              {templates.map((t) => (
                <li key={t.id}>
                  <Link
                    to={newPageUrl(space, { templateId: t.id })}
                    title={t.description || undefined}
                    className="inline-flex rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50"
                  >
                    {t.name}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <Card as="section" aria-labelledby="tree-heading" className="px-4 py-4">
            <h2 id="tree-heading" className="mb-3 px-1 text-base font-semibold text-slate-900">
              Pages
            </h2>
            <PageTree tree={tree} label={`Pages in the ${space.name} wiki`} />
          </Card>
          <CardSection title="Recently changed" titleId="recent-heading">
            <ul className="divide-y divide-slate-100">
              {recent.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="flex flex-wrap items-center gap-2">
                    <Link to={p.url} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {p.title}
                    </Link>
                    <PageListBadge page={p} />
                  </span>
                  <span className="text-sm text-slate-500">
                    <RelativeTime date={p.updatedAt} now={now} />
                  </span>
                </li>
              ))}
            </ul>
          </CardSection>
        </div>
      )}
      <p className="mt-6 text-sm text-slate-600">
        New pages can start from a{" "}
        <Link to={href("/wiki/templates")} className="font-medium text-brand-700 hover:underline">
          template
        </Link>
        .
      </p>
    </>
  );
}

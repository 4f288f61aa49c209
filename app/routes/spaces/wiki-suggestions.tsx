import { Form, data, href } from "react-router";
import type { Route } from "./+types/wiki-suggestions";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { setSpaceWikiProtection, spaceSuggestionQueue } from "#app/features/wiki/suggestions.server.ts";
import { pageParam, readForm } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Notice } from "#app/components/form.tsx";
import { CheckCircleIcon, LockIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { SuggestionList } from "#app/components/wiki/suggestion-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Suggested edits · ${loaderData.space.name} wiki · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const queue = await spaceSuggestionQueue(context.db, actor, params.slug, { page: pageParam(new URL(request.url)) });
  return { ...queue, now: Date.now() };
}

/** The space's moderators (and admins) protect the whole wiki, or open it up again, from here. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const intent = (await readForm(request)).get("intent");
  if (intent !== "protect-wiki" && intent !== "unprotect-wiki") throw data("Unknown action", { status: 400 });
  await setSpaceWikiProtection(context.db, actor, params.slug, intent === "protect-wiki");
  return { notice: intent === "protect-wiki" ? "The wiki is protected: edits by anyone but page owners and moderators are now suggestions." : "The wiki is open to edits again." };
}

export default function WikiSuggestionQueue({ loaderData, actionData }: Route.ComponentProps) {
  const { space, items, total, offset, pageSize, canProtect, now } = loaderData;
  const base = href("/spaces/:slug/wiki/suggestions", { slug: space.slug });
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
          { label: "Wiki", to: href("/spaces/:slug/wiki", { slug: space.slug }) },
        ]}
        title="Suggested edits"
        description="Edits waiting for the owners of this space's pages, oldest first. Owners and moderators approve them, ask for changes or decline them."
      >
        {space.wikiProtected ? (
          <p className="mt-3">
            <Badge tone="violet" icon={<LockIcon className="size-3.5" />}>
              Protected wiki
            </Badge>
          </p>
        ) : null}
      </PageHeader>
      <Notice message={actionData?.notice} />
      {canProtect ? (
        <Card as="section" aria-labelledby="protect-heading" className="mb-6 flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
          <div className="min-w-0">
            <h2 id="protect-heading" className="font-semibold text-slate-900">
              Protection
            </h2>
            <p className="text-slate-600">
              {space.wikiProtected
                ? "Every page in this wiki takes edits from its owners and moderators only; everyone else suggests edits, and only moderators and page owners add pages."
                : "Anyone who sees the space edits its pages. Protect the wiki to have edits by others reviewed first (a single page can be protected from its own panel)."}
            </p>
          </div>
          <Form method="post">
            <Button name="intent" value={space.wikiProtected ? "unprotect-wiki" : "protect-wiki"} size="sm">
              {space.wikiProtected ? "Lift the wiki's protection" : "Protect the whole wiki"}
            </Button>
          </Form>
        </Card>
      ) : null}
      {items.length === 0 ? (
        <EmptyState icon={<CheckCircleIcon className="size-5" />} title={total === 0 ? "Nothing waiting" : "Nothing on this page of the list"}>
          {total === 0 ? "No suggested edits wait for review in this space's wiki." : "Go back to the first page of the queue."}
        </EmptyState>
      ) : (
        <SuggestionList items={items} showPage now={now} label="Suggested edits waiting for review" />
      )}
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={items.length} pageHref={(n) => `${base}?page=${n}`} label="Pages of the queue" />
    </div>
  );
}

import { href } from "react-router";
import type { Route } from "./+types/suggestions";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { pageSuggestions } from "#app/features/wiki/suggestions.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { SuggestionList } from "#app/components/wiki/suggestion-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Suggested edits: ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const list = await pageSuggestions(context.db, actor, idParam(params.pageId), { page: pageParam(new URL(request.url)) });
  return { ...list, now: Date.now() };
}

/** A page's suggested edits: the ones waiting first, then what became of the others. */
export default function PageSuggestions({ loaderData }: Route.ComponentProps) {
  const { page, space, items, total, offset, pageSize, canReview, now } = loaderData;
  const base = href("/wiki/:pageId/suggestions", { pageId: String(page.id) });
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/wiki", { slug: space.slug }) },
          { label: page.title, to: page.url },
        ]}
        title="Suggested edits"
        description={
          canReview ? "You own or moderate this page: open a suggestion to approve it, ask for changes, or decline it." : "Edits people suggested to this page, and what became of them."
        }
        actions={
          <>
            <ButtonLink to={href("/spaces/:slug/wiki/suggestions", { slug: space.slug })} variant="ghost">
              The space's queue
            </ButtonLink>
            <ButtonLink to={href("/wiki/:pageId/suggest", { pageId: String(page.id) })}>Suggest an edit</ButtonLink>
          </>
        }
      />
      {items.length === 0 ? (
        <EmptyState title={total === 0 ? "No suggested edits yet" : "Nothing on this page of the list"}>
          {total === 0 ? "When someone suggests a change to this page, it waits here for its owners." : "Go back to the first page of the list."}
        </EmptyState>
      ) : (
        <SuggestionList items={items} showPage={false} now={now} label="Suggested edits to this page" />
      )}
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={items.length} pageHref={(n) => `${base}?page=${n}`} label="Pages of suggestions" />
    </div>
  );
}

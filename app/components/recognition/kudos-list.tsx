import { Link } from "react-router";
import { type FeedShow, type KudosFeedParams, kudosFeedHref } from "#app/features/recognition/kudos-schemas.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { StarIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { type KudosCardData, KudosCardView } from "./kudos-card.tsx";

export type KudosPageData = { rows: KudosCardData[]; total: number; offset: number; pageSize: number };

/**
 * A page of kudos cards with its pager, or the empty state that fits the feed: `empty` says what
 * this feed would hold and `emptyAction` what to do (usually "Give kudos").
 */
export function KudosList({
  base,
  params,
  page,
  now,
  empty,
  emptyAction,
  defaultShow = "all",
  headingLevel = 2,
}: {
  base: string;
  params: KudosFeedParams;
  page: KudosPageData;
  now: number;
  empty: { title: string; text: React.ReactNode };
  emptyAction?: React.ReactNode;
  defaultShow?: FeedShow;
  headingLevel?: 2 | 3;
}) {
  const pageHref = (n: number) => kudosFeedHref(base, { ...params, page: n }, defaultShow);
  if (page.rows.length === 0) {
    if (page.total > 0) {
      return (
        <EmptyState title="No more kudos here">
          <Link to={pageHref(1)} className="font-medium text-brand-700 hover:underline">
            Back to the first page
          </Link>
        </EmptyState>
      );
    }
    const filtered = params.value !== undefined || params.item !== undefined;
    return (
      <EmptyState icon={<StarIcon className="size-5" />} title={filtered ? "No kudos match" : empty.title} action={filtered ? undefined : emptyAction}>
        {filtered ? (
          <Link to={kudosFeedHref(base, { show: params.show }, defaultShow)} className="font-medium text-brand-700 hover:underline">
            Show kudos for every value
          </Link>
        ) : (
          empty.text
        )}
      </EmptyState>
    );
  }
  return (
    <>
      <Card>
        <ul className="divide-y divide-slate-100">
          {page.rows.map((k) => (
            <li key={k.id}>
              <KudosCardView kudos={k} now={now} headingLevel={headingLevel} />
            </li>
          ))}
        </ul>
      </Card>
      <Pagination offset={page.offset} pageSize={page.pageSize} total={page.total} shown={page.rows.length} pageHref={pageHref} label="Kudos pages" />
    </>
  );
}

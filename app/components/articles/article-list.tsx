import { Link, href } from "react-router";
import { articleUrl } from "#app/features/articles/article-url.ts";
import type { ArticleRow } from "#app/features/articles/feeds.server.ts";
import { ARTICLE_SORTS, ARTICLE_TYPES, type ArticleSort, type ArticleType, feedHref, SORT_LABELS, TYPE_LABELS } from "#app/features/articles/schemas.ts";
import { plural } from "#app/lib/plural.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PencilIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { ArticleTypeBadge } from "./type-badge.tsx";

/** The tabs, filters, rows and pager that every article feed shares (the company's, a space's, a person's). */

export type FeedState = { sort: ArticleSort; type?: ArticleType | undefined; tag?: string | undefined; author?: number | undefined };
export type ArticleRowData = ArticleRow<Date | string>;

const SORT_DESCRIPTIONS: Record<ArticleSort, string> = {
  newest: "Most recently published first.",
  most_read: "The most read articles first.",
  following: "Articles by the people you follow, newest first.",
};

const tabClass = (current: boolean) =>
  `inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
    current ? "bg-brand-50 text-brand-800 ring-1 ring-brand-200 ring-inset" : "text-slate-700 hover:bg-slate-100"
  }`;

/** Sorts and the type filter as plain links (they work without JavaScript and keep the URL shareable). */
export function FeedTabs({ base, state }: { base: string; state: FeedState }) {
  const types: Array<ArticleType | undefined> = [undefined, ...ARTICLE_TYPES];
  return (
    <div className="mb-4 space-y-2">
      <nav aria-label="Sort articles">
        <ul className="flex flex-wrap gap-1">
          {ARTICLE_SORTS.map((sort) => (
            <li key={sort}>
              <Link to={feedHref(base, { ...state, sort })} aria-current={sort === state.sort ? "page" : undefined} className={tabClass(sort === state.sort)}>
                {SORT_LABELS[sort]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label="Filter by type">
        <ul className="flex flex-wrap gap-1">
          {types.map((type) => (
            <li key={type ?? "all"}>
              <Link to={feedHref(base, { ...state, type })} aria-current={type === state.type ? "page" : undefined} className={tabClass(type === state.type)}>
                {type ? TYPE_LABELS[type] : "All types"}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="text-sm text-slate-600">
        {SORT_DESCRIPTIONS[state.sort]}
        {state.tag ? (
          <>
            {" "}
            Tagged “{state.tag}”.{" "}
            <Link to={feedHref(base, { ...state, tag: undefined })} className="font-medium text-brand-700 hover:underline">
              Show every tag
            </Link>
          </>
        ) : null}
      </p>
    </div>
  );
}

/** One article in a feed: its title and type, the start of its text, tags, author, space and numbers. */
export function ArticleListRow({
  article: a,
  base,
  now,
  showSpace = true,
  headingLevel = 2,
}: {
  article: ArticleRowData;
  base: string;
  now: number;
  showSpace?: boolean;
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="px-5 py-4">
      <div className="flex flex-wrap items-center gap-2">
        <ArticleTypeBadge type={a.type} />
        <H className="min-w-0 text-base font-semibold text-slate-900">
          <Link to={articleUrl(a)} className="break-words hover:text-brand-700 hover:underline">
            {a.title}
          </Link>
        </H>
      </div>
      {a.excerpt ? <p className="mt-1 line-clamp-2 text-sm text-slate-600">{a.excerpt}</p> : null}
      <div className="mt-2 flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        {a.tags.length > 0 ? (
          <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
            {a.tags.map((tag) => (
              <li key={tag}>
                <Link
                  to={feedHref(base, { tag })}
                  className="inline-flex items-center rounded-md bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-200 ring-inset hover:bg-sky-100"
                >
                  {tag}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <span />
        )}
        <p className="text-xs text-slate-600">
          <Link to={href("/people/:userId", { userId: String(a.author.id) })} className="font-medium text-brand-700 hover:underline">
            {a.author.name}
          </Link>
          {showSpace ? (
            <>
              {" in "}
              <Link to={href("/spaces/:slug", { slug: a.space.slug })} className="font-medium text-slate-700 hover:underline">
                {a.space.name}
              </Link>
            </>
          ) : null}{" "}
          <RelativeTime date={a.publishedAt} now={now} prefix="published" />
          {" · "}
          {plural(a.score, "vote", "votes")} · {plural(a.commentCount, "comment", "comments")} · {plural(a.viewCount, "view", "views")}
        </p>
      </div>
    </article>
  );
}

/**
 * A page of articles with its pager, or the empty state that fits the feed. `writeAction` is the
 * "Write an article" button the empty state offers.
 */
export function ArticleList({
  base,
  state,
  page,
  now,
  showSpace = true,
  headingLevel = 2,
  writeAction,
}: {
  base: string;
  state: FeedState;
  page: { rows: ArticleRowData[]; total: number; offset: number; pageSize: number };
  now: number;
  showSpace?: boolean;
  headingLevel?: 2 | 3;
  writeAction?: React.ReactNode;
}) {
  const pageHref = (n: number) => feedHref(base, { ...state, page: n });
  if (page.rows.length === 0) {
    if (page.total > 0) {
      return (
        <EmptyState title="No more articles here">
          <Link to={pageHref(1)} className="font-medium text-brand-700 hover:underline">
            Back to the first page
          </Link>
        </EmptyState>
      );
    }
    if (state.sort === "following") {
      return (
        <EmptyState icon={<PencilIcon className="size-5" />} title="Nothing from people you follow yet">
          Follow colleagues from their profile page: what they publish shows here and reaches your inbox.
        </EmptyState>
      );
    }
    const filtered = state.type || state.tag || state.author;
    return (
      <EmptyState icon={<PencilIcon className="size-5" />} title={filtered ? "No articles match" : "No articles yet: write the first one"} action={writeAction}>
        {filtered ? (
          <Link to={base} className="font-medium text-brand-700 hover:underline">
            Show every article
          </Link>
        ) : (
          "Share an announcement, a how-to, what your team knows or a story of your own."
        )}
      </EmptyState>
    );
  }
  return (
    <>
      <Card>
        <ul className="divide-y divide-slate-100">
          {page.rows.map((a) => (
            <li key={a.id}>
              <ArticleListRow article={a} base={base} now={now} showSpace={showSpace} headingLevel={headingLevel} />
            </li>
          ))}
        </ul>
      </Card>
      <Pagination offset={page.offset} pageSize={page.pageSize} total={page.total} shown={page.rows.length} pageHref={pageHref} label="Article pages" />
    </>
  );
}

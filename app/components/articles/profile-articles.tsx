import { Link, href } from "react-router";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { feedHref } from "#app/features/articles/schemas.ts";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { ArticleTypeBadge } from "./type-badge.tsx";
import type { ArticleRowData } from "./article-list.tsx";

/** A profile's articles: the newest few the viewer may read, and a link to all of them in the feed. */
export function ProfileArticles({ articles, userId, firstName, now }: { articles: { rows: ArticleRowData[]; total: number }; userId: number; firstName: string; now: number }) {
  if (articles.rows.length === 0) return <p className="text-sm text-slate-500">{firstName} hasn't published an article you can read yet.</p>;
  return (
    <>
      <ul className="divide-y divide-slate-100">
        {articles.rows.map((a) => (
          <li key={a.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
            <ArticleTypeBadge type={a.type} />
            <Link to={articleUrl(a)} className="min-w-0 text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
              {a.title}
            </Link>
            <span className="text-xs text-slate-500">
              <RelativeTime date={a.publishedAt} now={now} />
            </span>
          </li>
        ))}
      </ul>
      {articles.total > 0 ? (
        <p className="mt-3 text-sm">
          <Link to={feedHref(href("/articles"), { author: userId })} className="font-medium text-brand-700 hover:underline">
            All articles by {firstName}
          </Link>
        </p>
      ) : null}
    </>
  );
}

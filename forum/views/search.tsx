import { formatDate, threadPath } from "../format.ts";
import type { ForumSearchHit } from "../search.server.ts";
import { EmptyState, PageLinks, TagList } from "./parts.tsx";

export function SearchPage({ q, hits, total, page, pages, unavailable }: { q: string; hits: ForumSearchHit[]; total: number; page: number; pages: number; unavailable: boolean }) {
  return (
    <>
      <h1>{q ? `Search results for “${q}”` : "Search"}</h1>
      <form className="search-form" role="search" action="/search" method="get">
        <label htmlFor="search-page-q">Search questions and answers</label>
        <div className="search-row">
          <input id="search-page-q" type="search" name="q" defaultValue={q} maxLength={200} />
          <button type="submit">Search</button>
        </div>
      </form>
      {unavailable ? (
        <div className="notice" role="status">
          <p>
            Search is unavailable right now. Please try again in a few minutes, or browse the <a href="/topics">topics</a>.
          </p>
        </div>
      ) : !q ? (
        <p>Type a few words to find published questions and answers.</p>
      ) : hits.length === 0 ? (
        <EmptyState title="No results">
          <p>
            Nothing published matches “{q}”. Try other words, or browse the <a href="/topics">topics</a>.
          </p>
        </EmptyState>
      ) : (
        <>
          <p role="status">
            {total} {total === 1 ? "result" : "results"}
          </p>
          <ol className="thread-list">
            {hits.map((hit) => (
              <li key={hit.id} className="thread-row">
                <h2 className="thread-title">
                  <a href={threadPath(hit)}>{hit.title}</a>
                </h2>
                {hit.summary ? <p className="thread-summary">{hit.summary}</p> : null}
                <div className="thread-meta">
                  <span>
                    Published <time dateTime={new Date(hit.publishedAt).toISOString()}>{formatDate(hit.publishedAt)}</time>
                  </span>
                </div>
                <TagList tags={hit.tags} label={`Topics of “${hit.title}”`} />
              </li>
            ))}
          </ol>
          <PageLinks href={(n) => `/search?q=${encodeURIComponent(q)}${n > 1 ? `&page=${n}` : ""}`} page={page} pages={pages} />
        </>
      )}
    </>
  );
}

import type { ReactNode } from "react";
import { formatDate, threadPath, topicPath } from "../format.ts";
import type { ThreadSummary, Topic } from "../threads.server.ts";

/** Pieces several forum pages share: a date, tags, a list of threads, topics, an empty state, paging links. */

export function DateText({ date }: { date: Date | string }) {
  const value = new Date(date);
  return <time dateTime={value.toISOString()}>{formatDate(value)}</time>;
}

export function TagList({ tags, label = "Topics" }: { tags: readonly string[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tags" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag}>
          <a className="tag" href={topicPath(tag)}>
            {tag}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Where a thread in a list came from: a customer asked it here, or our team published it (or it was a live session). */
export const ORIGIN_LABELS: Record<ThreadSummary["origin"], string> = { customer: "Asked by a customer", published: "From our team", session: "From a live session" };

export function ThreadList({ threads, headingLevel = 2 }: { threads: readonly ThreadSummary[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ol className="thread-list">
      {threads.map((thread) => (
        <li key={thread.id} className="thread-row">
          <Heading className="thread-title">
            <a href={threadPath(thread)}>{thread.title}</a>
          </Heading>
          {thread.summary ? <p className="thread-summary">{thread.summary}</p> : null}
          <div className="thread-meta">
            {thread.solved ? <span className="badge badge-solved">Solved</span> : null}
            <span>
              {thread.answerCount} {thread.answerCount === 1 ? "answer" : "answers"}
            </span>
            <span>
              {thread.origin === "customer" ? "Asked" : "Published"} <DateText date={thread.publishedAt} />
            </span>
            <span className="origin">{ORIGIN_LABELS[thread.origin]}</span>
          </div>
          <TagList tags={thread.tags} label={`Topics of “${thread.title}”`} />
        </li>
      ))}
    </ol>
  );
}

export function TopicList({ topics }: { topics: readonly Topic[] }) {
  return (
    <ul className="topic-list">
      {topics.map((topic) => (
        <li key={topic.tag}>
          <a href={topicPath(topic.tag)}>
            <span className="topic-name">{topic.tag}</span> <span className="topic-count">{topic.count}</span>
            <span className="visually-hidden">{topic.count === 1 ? " thread" : " threads"}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** "Older" (and "Back to the newest") links under a keyset-paginated list. */
export function OlderNewer({ basePath, next, paged }: { basePath: string; next: number | null; paged: boolean }) {
  if (next === null && !paged) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      {paged ? <a href={basePath}>Newest</a> : null}
      {next !== null ? (
        <a href={`${basePath}?before=${next}`} rel="next">
          Older threads
        </a>
      ) : null}
    </nav>
  );
}

/** Numbered paging (search results, the topic index): previous, "Page n of m", next. */
export function PageLinks({ href, page, pages }: { href: (page: number) => string; page: number; pages: number }) {
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          Previous
        </a>
      ) : null}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          Next
        </a>
      ) : null}
    </nav>
  );
}

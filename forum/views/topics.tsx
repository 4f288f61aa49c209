import type { ThreadSummary, Topic } from "../threads.server.ts";
import { EmptyState, OlderNewer, PageLinks, ThreadList, TopicList } from "./parts.tsx";

export function TopicsPage({ topics, page, pages }: { topics: Topic[]; page: number; pages: number }) {
  return (
    <>
      <h1>Topics</h1>
      {topics.length === 0 ? (
        <EmptyState title="No topics yet">
          <p>Topics appear with the first published thread.</p>
        </EmptyState>
      ) : (
        <TopicList topics={topics} />
      )}
      <PageLinks href={(n) => (n === 1 ? "/topics" : `/topics?page=${n}`)} page={page} pages={pages} />
    </>
  );
}

export function TopicPage({ tag, basePath, threads, next, paged }: { tag: string; basePath: string; threads: ThreadSummary[]; next: number | null; paged: boolean }) {
  return (
    <>
      <p className="breadcrumb">
        <a href="/topics">Topics</a>
      </p>
      <h1>
        Topic: <span className="topic-name">{tag}</span>
      </h1>
      <p>
        <a href={`${basePath}/feed.xml`}>RSS feed of this topic</a>
      </p>
      {threads.length === 0 ? (
        <EmptyState title="No older threads">
          <a href={basePath}>Back to the newest</a>
        </EmptyState>
      ) : (
        <ThreadList threads={threads} />
      )}
      <OlderNewer basePath={basePath} next={next} paged={paged} />
    </>
  );
}

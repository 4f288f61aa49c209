import type { ThreadSummary, Topic } from "../threads.server.ts";
import { EmptyState, OlderNewer, ThreadList, TopicList } from "./parts.tsx";

export function HomePage({ company, threads, next, paged, topics }: { company: string; threads: ThreadSummary[]; next: number | null; paged: boolean; topics: Topic[] }) {
  return (
    <div className="columns">
      <div className="column-main">
        <h1>{company} Community</h1>
        <p className="lead">
          Answers from {company}&rsquo;s engineers to the questions customers ask most. Can&rsquo;t find yours? <a href="/ask">Ask a question</a> or see{" "}
          <a href="/questions">what other customers asked</a>.
        </p>
        <section aria-labelledby="recent-heading">
          <h2 id="recent-heading" className="section-heading">
            {paged ? "Older threads" : "Recent threads"}
          </h2>
          {threads.length === 0 ? (
            <EmptyState title={paged ? "No older threads" : "Nothing is published yet"}>
              {paged ? <a href="/">Back to the newest</a> : <p>Questions and answers will appear here once they are published.</p>}
            </EmptyState>
          ) : (
            <ThreadList threads={threads} headingLevel={3} />
          )}
          <OlderNewer basePath="/" next={next} paged={paged} />
        </section>
      </div>
      {topics.length > 0 ? (
        <aside className="column-side" aria-labelledby="topics-heading">
          <h2 id="topics-heading" className="section-heading">
            Topics
          </h2>
          <TopicList topics={topics} />
          <p>
            <a href="/topics">All topics</a>
          </p>
        </aside>
      ) : null}
    </div>
  );
}

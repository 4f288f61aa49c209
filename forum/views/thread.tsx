import type { ReactNode } from "react";
import type { Answer, Thread } from "../threads.server.ts";
import { DateText, TagList } from "./parts.tsx";

/**
 * A published thread: the question, its answers (the accepted one first, marked), its topics, and
 * whatever the feedback code shows under it (comments, "helpful"). Bodies are the HTML stored at
 * publication, which the markdown module sanitized then; everything else is text.
 */

function Author({ name, title, named, company }: { name: string; title: string; named: boolean; company: string }) {
  if (!named) return <span className="author">{name}</span>;
  return (
    <span className="author">
      <span className="author-name">{name}</span>
      {title ? <span className="author-title"> · {title}</span> : null} <span className="badge badge-staff">works at {company}</span>
    </span>
  );
}

export function ThreadPage({ thread, answers, company, feedback }: { thread: Thread; answers: Answer[]; company: string; feedback?: ReactNode }) {
  const updated = thread.version > 1 || thread.updatedAt.getTime() - thread.publishedAt.getTime() > 60_000;
  return (
    <>
      <article className="question" aria-labelledby="thread-title">
        <h1 id="thread-title">{thread.title}</h1>
        <p className="byline">
          <Author name={thread.authorName} title={thread.authorTitle} named={thread.authorNamed} company={company} />
        </p>
        <p className="dates">
          Asked <DateText date={thread.askedAt} /> · Published <DateText date={thread.publishedAt} />
          {updated ? (
            <>
              {" "}
              · Updated <DateText date={thread.updatedAt} />
            </>
          ) : null}
        </p>
        <div className="prose" dangerouslySetInnerHTML={{ __html: thread.bodyHtml }} />
        <TagList tags={thread.tags} />
      </article>
      <section className="answers" aria-labelledby="answers-heading">
        <h2 id="answers-heading">
          {answers.length} {answers.length === 1 ? "answer" : "answers"}
        </h2>
        {answers.length === 0 ? <p>No answer has been published for this question yet.</p> : null}
        {answers.map((answer) => (
          <article key={answer.id} id={`answer-${answer.id}`} className={answer.accepted ? "answer answer-accepted" : "answer"} aria-label={`Answer from ${answer.authorName}`}>
            {answer.accepted ? (
              <p className="accepted-label">
                <span aria-hidden="true">✓ </span>Accepted solution
              </p>
            ) : null}
            <p className="byline">
              <Author name={answer.authorName} title={answer.authorTitle} named={answer.authorNamed} company={company} />
              <span className="dates">
                {" "}
                · Answered <DateText date={answer.answeredAt} />
              </span>
            </p>
            <div className="prose" dangerouslySetInnerHTML={{ __html: answer.bodyHtml }} />
          </article>
        ))}
      </section>
      {feedback}
    </>
  );
}

import type { ReactNode } from "react";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { ReportLink } from "../feedback/thread-feedback.tsx";
import type { Answer, Thread } from "../threads.server.ts";
import { DateText, TagList } from "./parts.tsx";

/**
 * A thread: the question, its answers (the accepted one first, marked), its topics, and whatever
 * the feedback code shows under it (comments, "helpful"). Bodies are HTML the markdown module
 * sanitized (at publication, or when the customer posted); everything else is text.
 *
 * A customer's question (origin "customer") shows its asker as a customer, the escalation status
 * the app wrote, "I have this question too", and for its asker "Accept this answer". Employees'
 * answers carry the transparency badge ("works at <Company>"). The signed-in parts never reach an
 * anonymous reader's copy, which the page cache keeps.
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

function EscalationBanner({ thread }: { thread: Thread }) {
  if (thread.escalationState === "escalated") {
    return (
      <div className="notice escalation" role="status">
        <p>
          Escalated to our team
          {thread.escalationUpdatedAt ? (
            <>
              {" "}
              on <DateText date={thread.escalationUpdatedAt} />
            </>
          ) : null}
          . We&rsquo;ll post the outcome here.
        </p>
      </div>
    );
  }
  if (thread.escalationState === "resolved") {
    return (
      <div className="notice escalation" role="status">
        <p className="escalation-outcome">Resolved by our team: {thread.escalationOutcome}</p>
      </div>
    );
  }
  return null;
}

function MeToo({ thread, account, meToo }: { thread: Thread; account: SignedInAccount | null; meToo: { count: number; mine: boolean } }) {
  const label = `${meToo.count} ${meToo.count === 1 ? "customer has" : "customers have"} this question too`;
  if (!account?.verified || account.id === thread.accountId) {
    return (
      <p id="me-too" className="me-too">
        {label}
      </p>
    );
  }
  return (
    <form id="me-too" method="post" action={`/t/${thread.id}/me-too`} className="inline-form me-too">
      <button type="submit" aria-pressed={meToo.mine} className={meToo.mine ? "reaction reaction-on" : "reaction"}>
        {meToo.mine ? <span aria-hidden="true">✓ </span> : null}I have this question too ({meToo.count})
      </button>
    </form>
  );
}

export function ThreadPage({
  thread,
  answers,
  company,
  feedback,
  account = null,
  meToo = null,
}: {
  thread: Thread;
  answers: Answer[];
  company: string;
  feedback?: ReactNode;
  account?: SignedInAccount | null;
  /** A customer's question's "me too" count and whether the reader said it. */
  meToo?: { count: number; mine: boolean } | null;
}) {
  const customer = thread.origin === "customer";
  const pending = thread.moderation === "pending";
  const asker = customer && account !== null && account.id === thread.accountId;
  const updated = thread.version > 1 || thread.updatedAt.getTime() - thread.publishedAt.getTime() > 60_000;
  return (
    <>
      <article className="question" aria-labelledby="thread-title">
        {pending ? (
          <div className="notice" role="status">
            <p>
              <strong>Waiting for a moderator.</strong> Your first question is checked by a person before others see it; only you can see it meanwhile.
            </p>
          </div>
        ) : null}
        {customer ? <EscalationBanner thread={thread} /> : null}
        <h1 id="thread-title">{thread.title}</h1>
        <p className="byline">
          {customer ? (
            <span className="author">
              <span className="author-name">{thread.authorName}</span> <span className="badge">Customer</span>
            </span>
          ) : (
            <Author name={thread.authorName} title={thread.authorTitle} named={thread.authorNamed} company={company} />
          )}
        </p>
        <p className="dates">
          Asked <DateText date={thread.askedAt} />
          {customer ? null : (
            <>
              {" "}
              · Published <DateText date={thread.publishedAt} />
            </>
          )}
          {updated && !customer ? (
            <>
              {" "}
              · Updated <DateText date={thread.updatedAt} />
            </>
          ) : null}
        </p>
        <div className="prose" dangerouslySetInnerHTML={{ __html: thread.bodyHtml }} />
        <TagList tags={thread.tags} />
        {customer && meToo && !pending ? <MeToo thread={thread} account={account} meToo={meToo} /> : null}
        {!pending ? <ReportLink account={account} threadId={thread.id} what="this question" /> : null}
      </article>
      <section className="answers" aria-labelledby="answers-heading">
        <h2 id="answers-heading">
          {answers.length} {answers.length === 1 ? "answer" : "answers"}
        </h2>
        {answers.length === 0 ? <p>{customer ? "No answer yet. Our engineers who know this topic have been asked." : "No answer has been published for this question yet."}</p> : null}
        {answers.map((answer) => (
          <article key={answer.id} id={`answer-${answer.id}`} className={answer.accepted ? "answer answer-accepted" : "answer"} aria-label={`Answer from ${answer.authorName}`}>
            {answer.accepted ? (
              <p className="accepted-label">
                <span aria-hidden="true">✓ </span>
                {customer ? "Solution: accepted by the customer who asked" : "Accepted solution"}
              </p>
            ) : null}
            <p className="byline">
              {/* An answer on a customer's question is an employee speaking in public: always named, always badged. */}
              <Author name={answer.authorName} title={answer.authorTitle} named={customer || answer.authorNamed} company={company} />
              <span className="dates">
                {" "}
                · Answered <DateText date={answer.answeredAt} />
              </span>
            </p>
            {answer.creditName ? <p className="credit">Suggested by {answer.creditName}</p> : null}
            <div className="prose" dangerouslySetInnerHTML={{ __html: answer.bodyHtml }} />
            {asker && !answer.accepted ? (
              <form method="post" action={`/t/${thread.id}/accept`} className="inline-form">
                <input type="hidden" name="answerId" value={answer.id} />
                <button type="submit">
                  Accept this answer<span className="visually-hidden"> from {answer.authorName}</span>
                </button>
              </form>
            ) : null}
            <ReportLink account={account} threadId={thread.id} target={{ answer: answer.id }} what={`the answer from ${answer.authorName}`} />
          </article>
        ))}
      </section>
      {feedback}
    </>
  );
}

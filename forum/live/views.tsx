import type { SignedInAccount } from "../accounts/session.server.ts";
import { threadPath, topicPath } from "../format.ts";
import { EmptyState } from "../views/parts.tsx";
import { ErrorSummary, TextArea } from "../views/form.tsx";
import type { ForumLiveQuestion, ForumLiveSession, ForumLiveStatus } from "./live.server.ts";

/**
 * The forum's live session pages. The question list is one component rendered twice: into the
 * page, and (by the hub, with renderToStaticMarkup) into every event the page's script receives, so
 * the script only swaps HTML the server made and never builds any from what people typed.
 */

export const STATUS_LABELS: Record<ForumLiveStatus, string> = { scheduled: "Upcoming", live: "Live now", ended: "Ended", cancelled: "Cancelled" };

const timeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function When({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{timeFormat.format(date)} UTC</time>;
}

export function sessionPath(id: number): string {
  return `/sessions/${id}`;
}

type ListedSession = ForumLiveSession & { experts: string[] };

function SessionItems({ sessions, label }: { sessions: ListedSession[]; label: string }) {
  return (
    <ul className="thread-list" aria-label={label}>
      {sessions.map((s) => (
        <li key={s.id} className="thread-item">
          <h3 className="thread-title">
            <a href={sessionPath(s.id)}>{s.title}</a>
          </h3>
          <p className="thread-meta">
            <span className="badge">{STATUS_LABELS[s.status]}</span> <When date={s.startsAt} /> · <a href={topicPath(s.topic)}>{s.topic}</a>
            {s.experts.length > 0 ? <> · with {s.experts.join(", ")}</> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function SessionsPage({ current, past, company }: { current: ListedSession[]; past: ListedSession[]; company: string }) {
  return (
    <>
      <h1>Live sessions</h1>
      <p className="lead">{company}&rsquo;s experts answer your questions live. Send yours before a session starts and vote on the ones you want answered first.</p>
      <section aria-labelledby="current-sessions">
        <h2 id="current-sessions">Live now and upcoming</h2>
        {current.length === 0 ? (
          <EmptyState title="No session is planned right now">Come back soon, or read the past sessions below.</EmptyState>
        ) : (
          <SessionItems sessions={current} label="Live now and upcoming" />
        )}
      </section>
      <section aria-labelledby="past-sessions">
        <h2 id="past-sessions">Past sessions</h2>
        {past.length === 0 ? <EmptyState title="No past sessions yet" /> : <SessionItems sessions={past} label="Past sessions" />}
      </section>
    </>
  );
}

/** The questions and their answers: the part of the page that changes live. */
export function QuestionList({ sessionId, questions, open }: { sessionId: number; questions: ForumLiveQuestion[]; open: boolean }) {
  if (questions.length === 0) return <EmptyState title="No questions yet">Questions appear here as customers ask them, most votes first.</EmptyState>;
  return (
    <ol className="live-questions">
      {questions.map((q) => (
        <li key={q.id} id={`question-${q.id}`} className="answer">
          <p className="byline">
            <span className="author-name">{q.authorName}</span> asked · <span className="votes">{q.votes === 1 ? "1 vote" : `${q.votes} votes`}</span>
          </p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: q.bodyHtml }} />
          {open ? (
            <form method="post" action={`${sessionPath(sessionId)}/questions/${q.id}/vote`} className="inline-form">
              <button type="submit" className="reaction">
                Vote<span className="visually-hidden"> for the question from {q.authorName}</span>
              </button>
            </form>
          ) : null}
          {q.answerHtml !== null ? (
            <div className="live-answer" aria-label={`Answer from ${q.answeredByName ?? "an expert"}`}>
              <p className="byline">
                <span className="author">
                  <span className="author-name">{q.answeredByName}</span>
                  {q.answeredByTitle ? <span className="author-title"> · {q.answeredByTitle}</span> : null}
                </span>{" "}
                answered
              </p>
              <div className="prose" dangerouslySetInnerHTML={{ __html: q.answerHtml }} />
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function SessionPage({
  session,
  experts,
  questions,
  account,
  company,
  scriptUrl,
  form,
}: {
  session: ForumLiveSession;
  experts: Array<{ name: string; title: string }>;
  questions: ForumLiveQuestion[];
  account: SignedInAccount | null;
  company: string;
  scriptUrl: string;
  form?: { values?: Record<string, string>; errors?: Record<string, string | undefined> };
}) {
  const path = sessionPath(session.id);
  const open = session.status === "scheduled" || session.status === "live";
  const answered = questions.filter((q) => q.answerHtml !== null).map((q) => q.id);
  return (
    <>
      <p className="breadcrumbs">
        <a href="/sessions">Live sessions</a>
      </p>
      <article className="question" aria-labelledby="session-title">
        <h1 id="session-title">{session.title}</h1>
        <p className="dates">
          <span id="live-status" className="badge">
            {STATUS_LABELS[session.status]}
          </span>{" "}
          <When date={session.startsAt} /> to <When date={session.endsAt} /> · <a href={topicPath(session.topic)}>{session.topic}</a>
        </p>
        {session.descriptionHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: session.descriptionHtml }} /> : null}
        <h2>{experts.length === 1 ? "The expert" : "The experts"}</h2>
        <ul className="experts">
          {experts.map((e) => (
            <li key={e.name}>
              <span className="author-name">{e.name}</span>
              {e.title ? <span className="author-title"> · {e.title}</span> : null} <span className="badge badge-staff">works at {company}</span>
            </li>
          ))}
        </ul>
        {session.threadId ? (
          <p className="notice" role="status">
            This session is over: <a href={threadPath({ id: session.threadId, slug: "thread" })}>read it as a thread</a>.
          </p>
        ) : null}
      </article>
      {open ? <AskForm path={path} account={account} form={form} /> : null}
      <section className="answers" aria-labelledby="questions-heading">
        <h2 id="questions-heading">Questions</h2>
        <p id="live-announcer" className="visually-hidden" role="status" aria-live="polite"></p>
        <div id="live-questions" data-events={`${path}/events`} data-answered={JSON.stringify(answered)}>
          <QuestionList sessionId={session.id} questions={questions} open={open} />
        </div>
      </section>
      {open ? <script src={scriptUrl} defer /> : null}
    </>
  );
}

function AskForm({ path, account, form }: { path: string; account: SignedInAccount | null; form?: { values?: Record<string, string>; errors?: Record<string, string | undefined> } }) {
  if (!account) {
    return (
      <p className="notice">
        <a href={`/signin?redirectTo=${encodeURIComponent(path)}`}>Sign in</a> to ask the experts a question or vote.
      </p>
    );
  }
  return (
    <section aria-labelledby="ask-heading" id="ask">
      <h2 id="ask-heading">Ask the experts</h2>
      <ErrorSummary errors={form?.errors} />
      <form method="post" action={`${path}/questions`} noValidate>
        <TextArea
          label="Your question"
          name="body"
          rows={4}
          maxLength={2000}
          hint="Markdown, up to 2,000 characters. Your name is shown with it."
          defaultValue={form?.values?.body}
          error={form?.errors?.body}
        />
        <button type="submit">Ask</button>
      </form>
    </section>
  );
}

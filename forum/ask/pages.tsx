import { UnverifiedNotice } from "../accounts/pages.tsx";
import { HONEYPOT } from "../accounts/pages.tsx";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { threadPath } from "../format.ts";
import { ErrorSummary, Field, TextArea } from "../views/form.tsx";
import { DateText, EmptyState, TagList } from "../views/parts.tsx";
import { BODY_MAX, type MyQuestion, type QuestionSummary, type QuestionTab, questionStatus, type SimilarThread, TITLE_MAX, TOPICS_MAX } from "./ask.server.ts";

/**
 * The bodies of the ask pages: the question form (with the similar threads under its title), the
 * neutral "Thanks" page, the list of customers' questions and a customer's own. Plain forms: the
 * one script (forum/public/ask.js) only fills the similar threads while the title is typed, and the
 * "Check for similar questions" button does the same without it.
 */

export type AskFormState = { values?: Record<string, string>; errors?: Record<string, string | undefined> };

export function SimilarList({ threads, checked }: { threads: readonly SimilarThread[]; checked: boolean }) {
  return (
    <div id="similar" className="similar" aria-live="polite">
      <div id="similar-found" hidden={threads.length === 0}>
        <h2 className="section-heading">These published answers may already help</h2>
        <ul id="similar-list">
          {threads.map((thread) => (
            <li key={thread.url}>
              <a href={thread.url}>{thread.title}</a>
              {thread.solved ? <span className="badge badge-solved">Solved</span> : null}
            </li>
          ))}
        </ul>
      </div>
      {checked && threads.length === 0 ? <p>No published thread looks like this question yet.</p> : null}
    </div>
  );
}

export function AskPage({ company, state, similar, checked }: { company: string; state?: AskFormState; similar: readonly SimilarThread[]; checked: boolean }) {
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  return (
    <section className="account-card ask" aria-labelledby="ask-title">
      <h1 id="ask-title">Ask a question</h1>
      <p>{company}&rsquo;s engineers answer on this page, in public, under their own names. Don&rsquo;t post passwords, keys or anything private.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/ask" noValidate data-similar-url="/ask/similar">
        <Field
          label="Title"
          name="title"
          required
          maxLength={TITLE_MAX}
          defaultValue={values.title}
          error={errors.title}
          hint={`What do you want to know, in one sentence? Up to ${TITLE_MAX} characters.`}
          autoComplete="off"
        />
        <SimilarList threads={similar} checked={checked} />
        <TextArea
          label="Your question"
          name="body"
          rows={10}
          required
          maxLength={BODY_MAX}
          defaultValue={values.body}
          error={errors.body}
          hint="What are you trying to do, what did you try, what happened? Markdown works: **bold**, `code`, [links](https://example.com)."
        />
        <Field
          label="Topics (optional)"
          name="topics"
          defaultValue={values.topics}
          error={errors.topics}
          hint={`Up to ${TOPICS_MAX}, separated by commas: for example kafka, tls. They help us find the right people.`}
          autoComplete="off"
        />
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor="field-website">Leave this empty</label>
          <input id="field-website" name={HONEYPOT} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <div className="form-actions">
          <button type="submit" name="intent" value="ask">
            Post your question
          </button>{" "}
          <button type="submit" name="intent" value="check" className="link-button" formNoValidate>
            Check for similar questions
          </button>
        </div>
      </form>
    </section>
  );
}

export function AskUnverifiedPage({ account }: { account: SignedInAccount }) {
  return (
    <section className="account-card" aria-labelledby="ask-title">
      <h1 id="ask-title">Ask a question</h1>
      <UnverifiedNotice account={account} returnTo="/ask" />
    </section>
  );
}

/** What a question's poster sees after posting, and what a bot that filled the honeypot sees too. */
export function AskThanksPage() {
  return (
    <section className="account-card" aria-labelledby="thanks-title">
      <h1 id="thanks-title">Thanks, we got it</h1>
      <p>
        Your question is with us. You can follow it under <a href="/my/questions">My questions</a>.
      </p>
      <p>
        <a href="/questions">See the other questions customers asked</a>
      </p>
    </section>
  );
}

const TAB_LABELS: Record<QuestionTab, string> = { all: "All", unanswered: "Unanswered", solved: "Solved" };

export function questionsPath(tab: QuestionTab, before?: number): string {
  const params = new URLSearchParams();
  if (tab !== "all") params.set("tab", tab);
  if (before !== undefined) params.set("before", String(before));
  const query = params.toString();
  return query ? `/questions?${query}` : "/questions";
}

export function QuestionsPage({ tab, questions, next, paged }: { tab: QuestionTab; questions: ReadonlyArray<QuestionSummary & { askedAt: Date }>; next: number | null; paged: boolean }) {
  return (
    <>
      <h1>Questions from customers</h1>
      <p className="lead">
        Asked here by customers and answered by our engineers. <a href="/ask">Ask a question</a>
      </p>
      <nav className="tabs" aria-label="Which questions">
        <ul className="tag-tabs">
          {(Object.keys(TAB_LABELS) as QuestionTab[]).map((t) => (
            <li key={t}>
              <a href={questionsPath(t)} aria-current={t === tab ? "page" : undefined} className={t === tab ? "tag tab-current" : "tag"}>
                {TAB_LABELS[t]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {questions.length === 0 ? (
        <EmptyState title={paged ? "No older questions" : tab === "solved" ? "No solved questions yet" : tab === "unanswered" ? "Every question has an answer" : "No questions yet"}>
          {paged ? (
            <a href={questionsPath(tab)}>Back to the newest</a>
          ) : (
            <p>
              Have one? <a href="/ask">Ask a question</a>
            </p>
          )}
        </EmptyState>
      ) : (
        <ol className="thread-list">
          {questions.map((q) => (
            <li key={q.id} className="thread-row">
              <h2 className="thread-title">
                <a href={threadPath(q)}>{q.title}</a>
              </h2>
              <div className="thread-meta">
                {q.solved ? <span className="badge badge-solved">Solved</span> : null}
                <span>
                  {q.answerCount} {q.answerCount === 1 ? "answer" : "answers"}
                </span>
                <span>
                  {q.meToos} {q.meToos === 1 ? "customer has" : "customers have"} this question too
                </span>
                <span>
                  Asked <DateText date={q.askedAt} />
                </span>
              </div>
              <TagList tags={q.tags} label={`Topics of “${q.title}”`} />
            </li>
          ))}
        </ol>
      )}
      {next !== null || paged ? (
        <nav className="pagination" aria-label="Pages">
          {paged ? <a href={questionsPath(tab)}>Newest</a> : null}
          {next !== null ? (
            <a href={questionsPath(tab, next)} rel="next">
              Older questions
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

export function MyQuestionsPage({ questions, next, paged }: { questions: readonly MyQuestion[]; next: number | null; paged: boolean }) {
  return (
    <>
      <h1>My questions</h1>
      {questions.length === 0 ? (
        <EmptyState title={paged ? "No older questions" : "You have not asked anything yet"}>
          {paged ? (
            <a href="/my/questions">Back to the newest</a>
          ) : (
            <p>
              <a href="/ask">Ask a question</a>: our engineers answer here.
            </p>
          )}
        </EmptyState>
      ) : (
        <ol className="thread-list">
          {questions.map((q) => (
            <li key={q.id} className="thread-row">
              <h2 className="thread-title">{q.moderation === "removed" || q.gone ? q.title : <a href={threadPath(q)}>{q.title}</a>}</h2>
              <div className="thread-meta">
                <span className={q.solved && q.moderation === "visible" ? "badge badge-solved" : "badge"}>{questionStatus(q)}</span>
                <span>
                  Asked <DateText date={q.askedAt} />
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
      {next !== null || paged ? (
        <nav className="pagination" aria-label="Pages">
          {paged ? <a href="/my/questions">Newest</a> : null}
          {next !== null ? (
            <a href={`/my/questions?before=${next}`} rel="next">
              Older questions
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

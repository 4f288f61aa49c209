import { UnverifiedNotice } from "../accounts/pages.tsx";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { DateText } from "../views/parts.tsx";
import { ErrorSummary, fieldId, TextArea } from "../views/form.tsx";
import { COMMENT_MAX, FLAG_NOTE_MAX, FLAG_REASONS, type FeedbackComment, type FlagReason, type ReactionKind, type ThreadFeedbackData } from "./feedback.server.ts";

/**
 * What a thread page shows under the answers: "Helpful" / "Not helpful" on the thread and on each
 * answer, the customers' comments, and the comment form. Plain forms (the forum sends no scripts).
 * An anonymous reader's copy holds nothing of anyone in particular, so the page cache may keep it.
 * Customer names are text; comment bodies are the HTML the markdown module sanitized when they
 * were posted.
 */

const LABELS: Record<ReactionKind, string> = { helpful: "Helpful", not_helpful: "Not helpful" };

export function commentsPath(threadId: number): string {
  return `/t/${threadId}/comments`;
}

/** Where "Show all" leads: every comment of the thread on a page of its own. */
export function allCommentsPath(threadId: number): string {
  return `/t/${threadId}/comments/all`;
}

function signInHref(path: string, fragment: string): string {
  return `/signin?redirectTo=${encodeURIComponent(path + fragment)}`;
}

export function ReactionButtons({
  data,
  account,
  threadId,
  answerId,
  label,
}: {
  data: ThreadFeedbackData;
  account: SignedInAccount | null;
  threadId: number;
  answerId: number;
  /** What the buttons are about, for screen readers ("Was this thread helpful?"). */
  label: string;
}) {
  const counts = data.reactions[answerId] ?? { helpful: 0, not_helpful: 0 };
  const mine = data.mine[answerId];
  if (!account?.verified) {
    return (
      <p className="reaction-counts">
        {counts.helpful} found this helpful · {counts.not_helpful} did not
      </p>
    );
  }
  return (
    <form method="post" action={`/t/${threadId}/reactions`} className="reactions">
      <input type="hidden" name="answerId" value={answerId} />
      <div role="group" aria-label={label} className="reaction-buttons">
        {(Object.keys(LABELS) as ReactionKind[]).map((kind) => (
          <button key={kind} type="submit" name="kind" value={kind} aria-pressed={mine === kind} className={mine === kind ? "reaction reaction-on" : "reaction"}>
            {mine === kind ? <span aria-hidden="true">✓ </span> : null}
            {LABELS[kind]} <span className="reaction-count">{counts[kind]}</span>
          </button>
        ))}
      </div>
    </form>
  );
}

/** Where "Report" leads: the report form for the thread, or one of its answers or comments. */
export function reportPath(threadId: number, target?: { answer?: number; comment?: number }): string {
  const base = `/t/${threadId}/report`;
  if (target?.answer !== undefined) return `${base}?answer=${target.answer}`;
  if (target?.comment !== undefined) return `${base}?comment=${target.comment}`;
  return base;
}

/** "Report", for signed-in customers whose address is proven (anonymous pages never carry it, so they stay cacheable). */
export function ReportLink({ account, threadId, target, what }: { account: SignedInAccount | null; threadId: number; target?: { answer?: number; comment?: number }; what: string }) {
  if (!account?.verified) return null;
  return (
    <a className="report-link" href={reportPath(threadId, target)}>
      Report<span className="visually-hidden"> {what}</span>
    </a>
  );
}

export function CommentList({ comments, account, threadId }: { comments: readonly FeedbackComment[]; account: SignedInAccount | null; threadId: number }) {
  return (
    <ol className="comment-list">
      {comments.map((comment) => (
        <li key={comment.id} id={`comment-${comment.id}`} className="comment">
          <p className="comment-meta">
            <span className="comment-author">{comment.authorName}</span> · <DateText date={comment.createdAt} />
          </p>
          {comment.moderation === "pending" ? (
            <p className="notice" role="status">
              Waiting for a moderator: only you can see this comment until a moderator lets it through.
            </p>
          ) : null}
          <div className="prose comment-body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
          {account && account.id === comment.accountId ? (
            <form method="post" action={`${commentsPath(threadId)}/${comment.id}/delete`} className="inline-form">
              <button type="submit">
                Delete<span className="visually-hidden"> your comment</span>
              </button>
            </form>
          ) : (
            <ReportLink account={account} threadId={threadId} target={{ comment: comment.id }} what={`the comment from ${comment.authorName}`} />
          )}
        </li>
      ))}
    </ol>
  );
}

export function CommentForm({ threadId, values, errors }: { threadId: number; values?: Record<string, string>; errors?: Record<string, string | undefined> }) {
  return (
    <form method="post" action={commentsPath(threadId)} id="comment-form" className="comment-form" noValidate>
      <ErrorSummary errors={errors} />
      <TextArea
        label="Add a comment"
        name="body"
        rows={5}
        required
        maxLength={COMMENT_MAX}
        defaultValue={values?.body}
        error={errors?.body}
        hint={`Public, and read by the people who wrote this thread. Markdown works: **bold**, \`code\`, [links](https://example.com). Up to ${COMMENT_MAX.toLocaleString("en")} characters.`}
      />
      <button type="submit">Post comment</button>
    </form>
  );
}

/** The comment form, or why there is none for this reader. */
function Participation({ account, threadId, canonicalPath }: { account: SignedInAccount | null; threadId: number; canonicalPath: string }) {
  if (!account) {
    return (
      <p className="sign-in-prompt">
        <a href={signInHref(canonicalPath, "#comments")}>Sign in to comment</a> or react, or{" "}
        <a href={`/signup?redirectTo=${encodeURIComponent(canonicalPath + "#comments")}`}>create an account</a>.
      </p>
    );
  }
  if (!account.verified) return <UnverifiedNotice account={account} returnTo={canonicalPath} />;
  return <CommentForm threadId={threadId} />;
}

export function ThreadFeedback({ data, account, threadId, canonicalPath }: { data: ThreadFeedbackData; account: SignedInAccount | null; threadId: number; canonicalPath: string }) {
  const hidden = data.commentCount - data.comments.length;
  return (
    <>
      <section className="feedback" id="feedback" aria-labelledby="feedback-heading">
        <h2 id="feedback-heading">Was this helpful?</h2>
        <ul className="reaction-targets">
          <li id="reactions-0">
            <span className="reaction-target">This thread</span>
            <ReactionButtons data={data} account={account} threadId={threadId} answerId={0} label="Was this thread helpful?" />
          </li>
          {data.answers.map((answer) => (
            <li key={answer.id} id={`reactions-${answer.id}`}>
              <a className="reaction-target" href={`#answer-${answer.id}`}>
                Answer from {answer.authorName}
              </a>
              <ReactionButtons data={data} account={account} threadId={threadId} answerId={answer.id} label={`Was the answer from ${answer.authorName} helpful?`} />
            </li>
          ))}
        </ul>
      </section>
      <section className="comments" id="comments" aria-labelledby="comments-heading">
        <h2 id="comments-heading">
          {data.commentCount} {data.commentCount === 1 ? "comment" : "comments"}
        </h2>
        {data.comments.length === 0 ? <p className="empty">No comments yet.</p> : <CommentList comments={data.comments} account={account} threadId={threadId} />}
        {hidden > 0 ? (
          <p>
            <a href={allCommentsPath(threadId)}>Show all {data.commentCount.toLocaleString("en")} comments</a>
          </p>
        ) : null}
        <Participation account={account} threadId={threadId} canonicalPath={canonicalPath} />
      </section>
    </>
  );
}

/** A comment that came back (refused text, a rate limit): the form again, with what was typed. */
export function CommentFormPage({
  thread,
  values,
  errors,
}: {
  thread: { id: number; title: string; path: string };
  values: Record<string, string>;
  errors: Record<string, string | undefined>;
}) {
  return (
    <section className="account-card" aria-labelledby="comment-page-title">
      <h1 id="comment-page-title">Your comment on “{thread.title}”</h1>
      <CommentForm threadId={thread.id} values={values} errors={errors} />
      <p>
        <a href={thread.path}>Back to the thread</a>
      </p>
    </section>
  );
}

/** Every comment of a thread, when there are more than its page shows. */
export function AllCommentsPage({ thread, data, account }: { thread: { id: number; title: string; path: string }; data: ThreadFeedbackData; account: SignedInAccount | null }) {
  return (
    <section className="comments" aria-labelledby="all-comments-title">
      <h1 id="all-comments-title">Comments on “{thread.title}”</h1>
      <p>
        <a href={thread.path}>Back to the thread</a>
      </p>
      {data.comments.length === 0 ? <p className="empty">No comments yet.</p> : <CommentList comments={data.comments} account={account} threadId={thread.id} />}
    </section>
  );
}

const REASON_LABELS: Record<FlagReason, string> = { spam: "Spam", abuse: "Abusive or rude", off_topic: "Off topic", other: "Something else" };

/** The report form: why (one of four reasons) and an optional note for the moderators. */
export function FlagPage({
  thread,
  target,
  label,
  values,
  errors,
}: {
  thread: { id: number; title: string; path: string };
  target: { answer?: number; comment?: number };
  label: string;
  values?: Record<string, string>;
  errors?: Record<string, string | undefined>;
}) {
  const reasonError = errors?.reason;
  return (
    <section className="account-card" aria-labelledby="report-title">
      <h1 id="report-title">Report {label}</h1>
      <p>
        On “<a href={thread.path}>{thread.title}</a>”. Our moderators read every report; the author is not told who sent it.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action={reportPath(thread.id)} noValidate>
        {target.answer !== undefined ? <input type="hidden" name="answer" value={target.answer} /> : null}
        {target.comment !== undefined ? <input type="hidden" name="comment" value={target.comment} /> : null}
        <fieldset className={reasonError ? "field field-invalid" : "field"} aria-describedby={reasonError ? `${fieldId("reason")}-error` : undefined}>
          <legend>Why are you reporting it?</legend>
          {FLAG_REASONS.map((reason, i) => (
            <div key={reason}>
              <input type="radio" name="reason" value={reason} id={i === 0 ? fieldId("reason") : `${fieldId("reason")}-${reason}`} defaultChecked={values?.reason === reason} required />{" "}
              <label htmlFor={i === 0 ? fieldId("reason") : `${fieldId("reason")}-${reason}`}>{REASON_LABELS[reason]}</label>
            </div>
          ))}
          {reasonError ? (
            <p id={`${fieldId("reason")}-error`} className="field-error">
              {reasonError}
            </p>
          ) : null}
        </fieldset>
        <TextArea
          label="Anything the moderators should know (optional)"
          name="note"
          rows={3}
          maxLength={FLAG_NOTE_MAX}
          defaultValue={values?.note}
          error={errors?.note}
          hint={`Up to ${FLAG_NOTE_MAX} characters. Only moderators read it.`}
        />
        <button type="submit">Send report</button>
      </form>
      <p>
        <a href={thread.path}>Back to the thread</a>
      </p>
    </section>
  );
}

export function FlaggedPage({ thread, already }: { thread: { title: string; path: string }; already: boolean }) {
  return (
    <section className="account-card" aria-labelledby="reported-title">
      <h1 id="reported-title">{already ? "You already reported this" : "Thanks for your report"}</h1>
      <p>{already ? "Your earlier report is with our moderators: there is nothing more to do." : "Our moderators will look at it."}</p>
      <p>
        <a href={thread.path}>Back to “{thread.title}”</a>
      </p>
    </section>
  );
}

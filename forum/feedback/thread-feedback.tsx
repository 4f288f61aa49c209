import { UnverifiedNotice } from "../accounts/pages.tsx";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { DateText } from "../views/parts.tsx";
import { ErrorSummary, TextArea } from "../views/form.tsx";
import { COMMENT_MAX, type FeedbackComment, type ReactionKind, type ThreadFeedbackData } from "./feedback.server.ts";

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

export function CommentList({ comments, account, threadId }: { comments: readonly FeedbackComment[]; account: SignedInAccount | null; threadId: number }) {
  return (
    <ol className="comment-list">
      {comments.map((comment) => (
        <li key={comment.id} id={`comment-${comment.id}`} className="comment">
          <p className="comment-meta">
            <span className="comment-author">{comment.authorName}</span> · <DateText date={comment.createdAt} />
          </p>
          <div className="prose comment-body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
          {account && account.id === comment.accountId ? (
            <form method="post" action={`${commentsPath(threadId)}/${comment.id}/delete`} className="inline-form">
              <button type="submit">
                Delete<span className="visually-hidden"> your comment</span>
              </button>
            </form>
          ) : null}
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

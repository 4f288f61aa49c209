import { useRef } from "react";
import { Form, Link, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { useResetAfterSubmit } from "#app/components/content/use-reset-after-submit.ts";
import type { FormFailure } from "#app/lib/forms.ts";

/** A comment as the page's loader sends it (app/features/social/comments.server.ts's CommentView). */
export type CommentItem = {
  id: number;
  bodyHtml: string;
  createdAt: Date | string;
  deleted: boolean;
  author: { id: number; name: string };
  canDelete: boolean;
  canUndelete: boolean;
  canFlag: boolean;
};

/** The failure a page's action returned for the comment form (app/features/social/comment-actions.server.ts). */
export type CommentFailure = FormFailure & { intent?: unknown; itemId?: unknown };

/** `failure` when it is the comment form's on `itemId`, else null. */
export function commentFailureFor(failure: unknown, itemId: number): FormFailure | null {
  if (!failure || typeof failure !== "object") return null;
  const f = failure as CommentFailure;
  return f.ok === false && f.intent === "comment" && f.itemId === itemId ? f : null;
}

const smallButton = "rounded px-1 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-900";

/**
 * The comments on one item (a question, an answer, an idea) and the form to add one, posting to
 * the page's action (intents "comment", "delete-comment", "undelete-comment"; see
 * comment-actions.server.ts). With `collapsed`, the form sits behind an "Add a comment"
 * disclosure: a <details> element, which opens without JavaScript and opens by itself when the
 * form comes back with an error.
 */
export function CommentList({
  itemId,
  comments,
  now,
  submissionKey,
  failure,
  mentionSpace,
  action,
  collapsed = true,
  hint = "Ask for clarification or suggest an improvement; answers go below.",
  emptyText,
}: {
  itemId: number;
  comments: CommentItem[];
  now: number;
  /** The page's key; each item's form makes its own of it. */
  submissionKey: string;
  failure: FormFailure | null;
  /** The space's slug: mentions suggest only people who may see it. */
  mentionSpace: string;
  /** The page's action URL, when the list is not on the page that handles it. */
  action?: string;
  collapsed?: boolean;
  hint?: string;
  /** Said when there are no comments (nothing by default). */
  emptyText?: string;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  useResetAfterSubmit(
    formRef,
    (data) => data.get("intent") === "comment" && data.get("itemId") === String(itemId),
    failure !== null,
    () => {
      if (detailsRef.current) detailsRef.current.open = false;
    },
  );
  const form = (
    <Form ref={formRef} method="post" action={action} noValidate preventScrollReset className="mt-2 max-w-2xl">
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="submissionKey" value={`${submissionKey}-c${itemId}`} />
      <FormError message={failure?.formError} />
      <MentionField
        label="Comment"
        name="body"
        rows={collapsed ? 2 : 3}
        hint={hint}
        defaultValue={failure?.values.body}
        error={failure?.fieldErrors.body}
        mentionSpace={mentionSpace}
        uploads={false}
      />
      <SubmitButton name="intent" value="comment" variant={collapsed ? "secondary" : "primary"} pendingText="Adding…">
        Add comment
      </SubmitButton>
    </Form>
  );
  return (
    <div className="mt-4 border-t border-slate-100 pt-2">
      {comments.length > 0 ? (
        <ul aria-label="Comments" className="divide-y divide-slate-100 text-sm">
          {comments.map((c) => (
            <li key={c.id} id={`comment-${c.id}`} className={`flex flex-wrap items-baseline gap-x-2 py-2 ${c.deleted ? "rounded bg-red-50/60 px-2 text-slate-500" : "text-slate-700"}`}>
              {c.deleted ? <Badge tone="red">Deleted</Badge> : null}
              <PostBody html={c.bodyHtml} className="prose-commons-inline min-w-0" />
              <span className="text-xs text-slate-500">
                –{" "}
                <Link to={href("/people/:userId", { userId: String(c.author.id) })} className="font-medium text-brand-700 hover:underline">
                  {c.author.name}
                </Link>{" "}
                <RelativeTime date={c.createdAt} now={now} />
              </span>
              {c.canDelete || c.canUndelete ? (
                <Form method="post" action={action} preventScrollReset className="inline">
                  <input type="hidden" name="commentId" value={c.id} />
                  <button type="submit" name="intent" value={c.deleted ? "undelete-comment" : "delete-comment"} className={smallButton}>
                    {c.deleted ? "Undelete" : "Delete"}
                    <span className="sr-only"> comment by {c.author.name}</span>
                  </button>
                </Form>
              ) : c.deleted ? (
                <span className="text-xs text-slate-500">Deleted by a moderator</span>
              ) : null}
              {c.canFlag ? (
                <Link
                  to={href("/comments/:commentId/flag", { commentId: String(c.id) })}
                  className="rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-red-700"
                  rel="nofollow"
                >
                  Flag<span className="sr-only"> comment by {c.author.name}</span>
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      ) : emptyText ? (
        <p className="py-2 text-sm text-slate-600">{emptyText}</p>
      ) : null}
      {collapsed ? (
        <details ref={detailsRef} className="group mt-1" open={failure ? true : undefined}>
          <summary className="inline-block cursor-pointer rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">Add a comment</summary>
          {form}
        </details>
      ) : (
        form
      )}
    </div>
  );
}

import { useRef } from "react";
import { Form, Link, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import type { FormFailure } from "#app/lib/forms.ts";
import { FlagLink } from "./flag-link.tsx";
import { PostBody } from "./post-body.tsx";
import { useResetAfterSubmit } from "./use-reset-after-submit.ts";

export type CommentItem = {
  id: number;
  bodyHtml: string;
  createdAt: Date | string;
  deleted: boolean;
  author: { id: number; name: string };
  canDelete: boolean;
};

/**
 * The comments under a post and, behind an "Add a comment" disclosure, the form to add one.
 * The disclosure is a <details> element: it opens without JavaScript, and opens by itself when
 * the form comes back with an error.
 */
export function CommentList({
  postId,
  comments,
  now,
  submissionKey,
  failure,
}: {
  postId: number;
  comments: CommentItem[];
  now: number;
  submissionKey: string;
  failure: FormFailure | null;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  useResetAfterSubmit(formRef, (data) => data.get("intent") === "comment" && data.get("postId") === String(postId), failure !== null, () => {
    if (detailsRef.current) detailsRef.current.open = false;
  });
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
              {c.canDelete ? (
                <Form method="post" preventScrollReset className="inline">
                  <input type="hidden" name="commentId" value={c.id} />
                  <button
                    type="submit"
                    name="intent"
                    value={c.deleted ? "undelete" : "delete"}
                    className="rounded px-1 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-900"
                  >
                    {c.deleted ? "Undelete" : "Delete"}
                    <span className="sr-only"> comment by {c.author.name}</span>
                  </button>
                </Form>
              ) : c.deleted ? (
                <span className="text-xs text-slate-500">Deleted by a moderator</span>
              ) : null}
              <FlagLink target={{ commentId: c.id }} authorId={c.author.id} deleted={c.deleted} label={`comment by ${c.author.name}`} />
            </li>
          ))}
        </ul>
      ) : null}
      <details ref={detailsRef} className="group mt-1" open={failure ? true : undefined}>
        <summary className="inline-block cursor-pointer rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
          Add a comment
        </summary>
        <Form ref={formRef} method="post" noValidate preventScrollReset className="mt-2 max-w-2xl">
          <input type="hidden" name="postId" value={postId} />
          <input type="hidden" name="submissionKey" value={`${submissionKey}-c${postId}`} />
          <FormError message={failure?.formError} />
          <MentionField
            label="Comment"
            name="body"
            rows={2}
            hint="Ask for clarification or suggest an improvement; answers go below."
            defaultValue={failure?.values.body}
            error={failure?.fieldErrors.body}
          />
          <SubmitButton name="intent" value="comment" variant="secondary" pendingText="Adding…">
            Add comment
          </SubmitButton>
        </Form>
      </details>
    </div>
  );
}

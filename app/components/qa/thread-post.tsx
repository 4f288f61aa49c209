import { Badge } from "#app/components/badge.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import type { FormFailure } from "#app/lib/forms.ts";
import { type CommentItem, CommentList } from "#app/components/content/comment-list.tsx";
import { PostActions, type PostActionsPost } from "./post-actions.tsx";
import { ImportedSource, type PostSource } from "./imported-source.tsx";
import { EditedLink, PostAuthor, type PostPerson } from "./post-author.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";

export type ThreadPostData = PostActionsPost & {
  itemId: number;
  bodyHtml: string;
  createdAt: Date | string;
  lastEditedAt: Date | string | null;
  accepted: boolean;
  author: PostPerson;
  comments: CommentItem[];
  /** Imported posts credit their source, author and licence under the body. */
  source?: PostSource | null;
};

/**
 * One question or answer on the question page, in two columns:
 * - `aside`: the left column, where the score and vote controls go;
 * - the post itself: body, `children` (the question's tags), the action row (with `actions`
 *   appended: flag, accept...), the author card, and the comments with their form.
 * Deleted posts (shown only to moderators and their author) are greyed and labelled.
 */
export function ThreadPost({
  post,
  now,
  shareUrl,
  aside,
  actions,
  submissionKey,
  commentFailure,
  mentionSpace,
  children,
}: {
  post: ThreadPostData;
  now: number;
  shareUrl: string;
  aside: React.ReactNode;
  actions?: React.ReactNode;
  submissionKey: string;
  commentFailure: FormFailure | null;
  /** The space's slug, for mention suggestions in the comment form. */
  mentionSpace: string;
  children?: React.ReactNode;
}) {
  const isQuestion = post.type === "question";
  return (
    <article
      id={isQuestion ? "question" : `answer-${post.id}`}
      aria-label={isQuestion ? "Question" : `Answer by ${post.author.name}`}
      className={`grid scroll-mt-6 grid-cols-[3.5rem_minmax(0,1fr)] gap-4 py-6 ${post.deleted ? "rounded-lg bg-red-50/50 px-3 opacity-80" : ""}`}
    >
      <div className="flex flex-col items-center gap-3">{aside}</div>
      <div className="min-w-0">
        {post.deleted || post.accepted ? (
          <p className="mb-3 flex flex-wrap gap-2">
            {post.deleted ? <Badge tone="red">Deleted</Badge> : null}
            {post.accepted ? (
              <Badge tone="green" icon={<CheckCircleIcon className="size-3.5" />}>
                Accepted answer
              </Badge>
            ) : null}
          </p>
        ) : null}
        <PostBody html={post.bodyHtml} className={post.deleted ? "text-slate-500" : ""} />
        <ImportedSource source={post.source} />
        {children ? <div className="mt-4">{children}</div> : null}
        <div className="mt-5 flex flex-wrap items-end justify-between gap-3">
          <div className="flex flex-col gap-1">
            <PostActions post={post} shareUrl={shareUrl}>
              {actions}
            </PostActions>
            {post.lastEditedAt ? <EditedLink postId={post.id} editedAt={post.lastEditedAt} now={now} /> : null}
          </div>
          <PostAuthor person={post.author} verb={isQuestion ? "asked" : "answered"} date={post.createdAt} now={now} />
        </div>
        <CommentList itemId={post.itemId} comments={post.comments} now={now} submissionKey={submissionKey} failure={commentFailure} mentionSpace={mentionSpace} />
      </div>
    </article>
  );
}

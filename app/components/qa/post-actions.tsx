import { Form, Link, href } from "react-router";

const linkClass = "rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900";

export type PostActionsPost = { id: number; type: "question" | "answer"; deleted: boolean; canEdit: boolean; canDelete: boolean; revisionCount: number };

/**
 * The row of actions under a question or answer: share, edit, history, delete or undelete.
 * Other controls (flag, accept) join the row as `children`, after the built-in ones.
 */
export function PostActions({ post, shareUrl, children }: { post: PostActionsPost; shareUrl: string; children?: React.ReactNode }) {
  const what = post.type === "question" ? "question" : "answer";
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1" role="group" aria-label={`Actions for this ${what}`}>
      <a href={shareUrl} className={linkClass}>
        Share link<span className="sr-only"> to this {what}</span>
      </a>
      {post.canEdit && !post.deleted ? (
        <Link to={href("/posts/:postId/edit", { postId: String(post.id) })} className={linkClass}>
          Edit<span className="sr-only"> this {what}</span>
        </Link>
      ) : null}
      {post.revisionCount > 1 ? (
        <Link to={href("/posts/:postId/revisions", { postId: String(post.id) })} className={linkClass}>
          History<span className="sr-only"> of this {what}</span>
        </Link>
      ) : null}
      {post.canDelete ? (
        <Form method="post" preventScrollReset className="inline">
          <input type="hidden" name="postId" value={post.id} />
          <button type="submit" name="intent" value={post.deleted ? "undelete" : "delete"} className={`${linkClass} ${post.deleted ? "" : "hover:text-red-700"}`}>
            {post.deleted ? "Undelete" : "Delete"}
            <span className="sr-only"> this {what}</span>
          </button>
        </Form>
      ) : post.deleted ? (
        // Only the author sees a deleted post without the button: a moderator deleted it.
        <span className="px-1 text-xs text-slate-500">Deleted by a moderator: only a moderator can restore it</span>
      ) : null}
      {children}
    </div>
  );
}

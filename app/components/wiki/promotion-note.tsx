import { Link, href } from "react-router";

/** Under an answer that became a wiki page the reader can see: where it lives now. */
export function PromotedNote({ page }: { page: { title: string; url: string } | null }) {
  if (!page) return null;
  return (
    <p className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
      This answer is now the wiki page{" "}
      <Link to={page.url} className="font-semibold underline hover:text-sky-700">
        {page.title}
      </Link>
      .
    </p>
  );
}

/** "Promote to wiki" in an answer's action row, for who may promote it (see promotion.server.ts). */
export function PromoteLink({ postId }: { postId: number }) {
  return (
    <Link to={href("/posts/:postId/promote", { postId: String(postId) })} className="rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
      Promote to wiki<span className="sr-only"> (make this answer a wiki page)</span>
    </Link>
  );
}

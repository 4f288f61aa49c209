import { Link, href } from "react-router";
import { useOptionalUser } from "#app/components/use-user.ts";

const linkClass = "rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-red-700";

/**
 * "Flag" in the action row of an item (a question, an answer, an idea) or a comment: a link to its
 * flag page (a plain form, so it works without JavaScript). Hidden on one's own and on deleted
 * items, which cannot be flagged.
 */
export function FlagLink({ target, authorId, deleted, label }: { target: { itemId: number } | { commentId: number }; authorId: number; deleted: boolean; label: string }) {
  const user = useOptionalUser();
  if (deleted || !user || user.id === authorId) return null;
  const to = "itemId" in target ? href("/items/:itemId/flag", { itemId: String(target.itemId) }) : href("/comments/:commentId/flag", { commentId: String(target.commentId) });
  return (
    <Link to={to} className={linkClass} rel="nofollow">
      Flag<span className="sr-only"> {label}</span>
    </Link>
  );
}

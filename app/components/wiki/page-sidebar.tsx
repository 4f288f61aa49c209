import { Link } from "react-router";
import { PageTree, type TreeItem } from "./page-tree.tsx";

/**
 * The wiki's sidebar on a page: the space's tree with the current page marked, then whatever the
 * page adds below it (`children`: panels such as owners or verification).
 */
export function PageSidebar({
  space,
  wikiUrl,
  tree,
  currentId,
  newPageUrl,
  children,
}: {
  space: { name: string };
  wikiUrl: string;
  tree: TreeItem[];
  currentId: number;
  newPageUrl?: string | undefined;
  children?: React.ReactNode;
}) {
  return (
    <aside aria-label="Wiki" className="space-y-6">
      <div>
        <p className="mb-2 px-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <Link to={wikiUrl} className="hover:text-slate-900 hover:underline">
            {space.name} wiki
          </Link>
        </p>
        <PageTree tree={tree} currentId={currentId} label={`Pages in the ${space.name} wiki`} />
        {newPageUrl ? (
          <p className="mt-3 px-1 text-sm">
            <Link to={newPageUrl} className="font-medium text-brand-700 hover:underline">
              Add a subpage
            </Link>
          </p>
        ) : null}
      </div>
      {children}
    </aside>
  );
}

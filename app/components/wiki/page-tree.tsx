import { Link } from "react-router";

/** A page in the tree; `subpages` counts the subpages not loaded with it (the wiki's home lists the top level only). */
export type TreeItem = { id: number; title: string; url: string; children: TreeItem[]; subpages?: number };

/** Whether `id` is in this subtree (so its branch starts open). */
function contains(node: TreeItem, id: number | null): boolean {
  return id !== null && (node.id === id || node.children.some((c) => contains(c, id)));
}

/**
 * A space's pages as nested lists. A page with subpages has a <details> disclosure beside its
 * link: it opens and closes with the keyboard and without JavaScript, and a screen reader hears
 * it as an expandable "Subpages of …" control. The branch holding the current page starts open
 * and its link is marked aria-current="page".
 */
export function PageTree({ tree, currentId = null, label, openAll = false }: { tree: TreeItem[]; currentId?: number | null; label: string; openAll?: boolean }) {
  return (
    <nav aria-label={label}>
      <Branch nodes={tree} currentId={currentId} openAll={openAll} depth={0} />
    </nav>
  );
}

function Branch({ nodes, currentId, openAll, depth }: { nodes: TreeItem[]; currentId: number | null; openAll: boolean; depth: number }) {
  return (
    <ul className={depth === 0 ? "space-y-0.5 text-sm" : "mt-0.5 space-y-0.5 border-l border-slate-200 pl-3"}>
      {nodes.map((node) => {
        const current = node.id === currentId;
        const link = (
          <Link
            to={node.url}
            aria-current={current ? "page" : undefined}
            className={`block rounded-md py-1 pr-2 pl-7 break-words hover:bg-slate-100 hover:text-slate-900 ${current ? "bg-brand-50 font-semibold text-brand-800" : "text-slate-700"}`}
          >
            {node.title}
          </Link>
        );
        return (
          <li key={node.id} className="relative">
            {link}
            {node.children.length === 0 && node.subpages ? (
              <p className="pl-7 text-xs text-slate-500">{node.subpages === 1 ? "1 subpage" : `${node.subpages.toLocaleString("en")} subpages`}</p>
            ) : null}
            {node.children.length > 0 ? (
              <details open={openAll || contains(node, currentId) || undefined} className="group">
                {/* Sits left of the page's link; the <summary> is the disclosure's button. */}
                <summary className="absolute top-1 left-0.5 flex size-6 cursor-pointer list-none items-center justify-center rounded text-slate-500 hover:bg-slate-200 hover:text-slate-900 [&::-webkit-details-marker]:hidden">
                  <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4 transition-transform group-open:rotate-90">
                    <path fillRule="evenodd" d="M7.2 14.8a.75.75 0 0 1 0-1.06L10.94 10 7.2 6.26a.75.75 0 1 1 1.06-1.06l4.27 4.27a.75.75 0 0 1 0 1.06L8.26 14.8a.75.75 0 0 1-1.06 0Z" />
                  </svg>
                  <span className="sr-only">
                    Subpages of {node.title} ({node.children.length})
                  </span>
                </summary>
                <Branch nodes={node.children} currentId={currentId} openAll={openAll} depth={depth + 1} />
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

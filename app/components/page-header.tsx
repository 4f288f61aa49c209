import { Link } from "react-router";
import { ChevronRightIcon } from "./icons.tsx";

export type Crumb = { label: string; to: string };

/** The top of every page: breadcrumbs, the one h1, a line of context, and the page's actions. */
export function PageHeader({
  title,
  description,
  crumbs,
  actions,
  children,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  crumbs?: Crumb[];
  actions?: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div className="mb-8">
      {crumbs && crumbs.length > 0 ? (
        <nav aria-label="Breadcrumb" className="mb-3">
          <ol className="flex flex-wrap items-center gap-1 text-sm text-slate-500">
            {crumbs.map((c) => (
              <li key={c.to} className="flex items-center gap-1">
                <Link to={c.to} className="rounded hover:text-slate-800 hover:underline">
                  {c.label}
                </Link>
                <ChevronRightIcon className="size-3.5 text-slate-400" />
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
          {description ? <div className="mt-2 max-w-3xl text-base text-slate-600">{description}</div> : null}
          {children}
        </div>
        {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}

/** White panels on the slate page: the one surface every page is built from. */
export function Card({
  children,
  className = "",
  as: Tag = "div",
  ...rest
}: { children: React.ReactNode; className?: string; as?: "div" | "section" | "article" | "li" } & React.HTMLAttributes<HTMLElement>) {
  return (
    <Tag className={`rounded-xl border border-slate-200 bg-white shadow-sm shadow-slate-900/[0.03] ${className}`} {...rest}>
      {children}
    </Tag>
  );
}

/** A titled card section; the heading level follows the page outline (h2 by default). */
export function CardSection({
  title,
  titleId,
  description,
  actions,
  level = 2,
  children,
  className = "",
}: {
  title: string;
  titleId?: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  level?: 2 | 3;
  children: React.ReactNode;
  className?: string;
}) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <Card as="section" aria-labelledby={titleId} className={className}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <H id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </H>
          {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </div>
      <div className="px-5 py-4">{children}</div>
    </Card>
  );
}

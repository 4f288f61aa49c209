import { useId } from "react";
import { Link } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { TableHead } from "#app/components/table.tsx";

/**
 * What HR's dashboards (people analytics, recognition insights) build their sections from: a card
 * whose figure holds an optional chart beside its table and a caption under both, a CSV link, and
 * the tables themselves. Every table is a real <table> with headers, always on the page: the charts
 * are drawn for the eye only, so the table is what screen readers and the CSV get.
 */

export const cell = "px-5 py-2";
export const numberCell = "px-5 py-2 text-right tabular-nums";
export const count = (value: number) => value.toLocaleString("en");

/** `about` is what a screen reader hears after the label, where several "Download CSV" links would sound alike. */
export function CsvLink({ to, about, label = "Download CSV" }: { to: string; about: string; label?: string }) {
  // A file download, not a page: the browser fetches it itself.
  return (
    <Link to={to} reloadDocument className="text-sm font-medium text-brand-700 hover:underline">
      {label}
      <span className="sr-only"> of {about}</span>
    </Link>
  );
}

/** What a page's own section passes on: the CSV link and the heading's id come from its table's name. */
export type SectionProps = Omit<React.ComponentProps<typeof FigureSection>, "titleId" | "actions">;

/** One section of a dashboard: a figure with an optional chart beside its table, the caption under both. */
export function FigureSection({
  title,
  titleId,
  description,
  actions,
  chart,
  caption,
  children,
}: {
  title: string;
  titleId: string;
  description: React.ReactNode;
  actions: React.ReactNode;
  chart?: React.ReactNode;
  caption: React.ReactNode;
  children: React.ReactNode;
}) {
  const captionId = useId();
  return (
    <CardSection title={title} titleId={titleId} description={description} actions={actions}>
      <figure aria-labelledby={captionId} className={chart ? "grid gap-6 lg:grid-cols-5" : ""}>
        {chart ? <div className="min-w-0 lg:col-span-3">{chart}</div> : null}
        <div className={chart ? "min-w-0 lg:col-span-2" : "min-w-0"}>{children}</div>
        <figcaption id={captionId} className={`text-sm text-slate-600 ${chart ? "lg:col-span-5" : "mt-3"}`}>
          {caption}
        </figcaption>
      </figure>
    </CardSection>
  );
}

/** A table that may be wider than its column: it scrolls on its own, and takes focus so the keyboard can scroll it. */
export function ScrollRegion({ label, capped = true, children }: { label: string; capped?: boolean; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`overflow-auto rounded-lg border border-slate-200 ${capped ? "max-h-96" : ""}`}>
      {children}
    </div>
  );
}

/**
 * The usual figure table: scrolling region, a caption for screen readers (the figure's own caption
 * is for everyone), the shared header row and the body rows the caller draws. `capped` off shows a
 * short table whole.
 */
export function FigureTable({
  label,
  caption,
  columns,
  capped,
  children,
}: {
  label: string;
  caption: string;
  columns: React.ComponentProps<typeof TableHead>["columns"];
  capped?: boolean;
  children: React.ReactNode;
}) {
  return (
    <ScrollRegion label={label} capped={capped}>
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <TableHead columns={columns} />
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </ScrollRegion>
  );
}

import { Link } from "react-router";
import type { DeadLetter, MeiliStatus, OutboxSummary } from "#app/features/search/admin.server.ts";
import type { OutboxHealth } from "#search/relay.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { AlertIcon, CheckCircleIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";
import { LastErrorCell, QueuePanel, RetryCell, TONE_STYLES } from "./queue-health.tsx";

/** The parts of the admin's search page (app/routes/admin/search.tsx). */

/** How far the relay is behind: the sentence, then the numbers it is made of. */
export function OutboxPanel({ health, summary }: { health: OutboxHealth; summary: OutboxSummary }) {
  return <QueuePanel title="Outbox" titleId="outbox" description="Changes written to the database and waiting to reach the search index." health={health} summary={summary} />;
}

/** Meilisearch's answer: its version and each index's documents, or that it does not answer. */
export function MeiliPanel({ status }: { status: MeiliStatus }) {
  return (
    <CardSection title="Meilisearch" titleId="meilisearch" description="The search engine the app queries; it holds a copy of what can be searched.">
      {status.reachable ? (
        <>
          <p className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${TONE_STYLES.ok}`}>
            <CheckCircleIcon className="mt-0.5" />
            <span>Meilisearch {status.version} is reachable.</span>
          </p>
          <table className="mt-4 min-w-full divide-y divide-slate-200 text-left text-sm">
            <caption className="sr-only">Search indexes</caption>
            <TableHead columns={["Index", { label: "Documents", align: "right" }, "State"]} />
            <tbody className="divide-y divide-slate-100">
              {status.indexes.map((index) => (
                <tr key={index.uid}>
                  <td className="px-5 py-2 font-mono text-xs">{index.uid}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{index.documents.toLocaleString("en")}</td>
                  <td className="px-5 py-2">
                    {!index.exists ? <Badge tone="amber">Missing</Badge> : index.indexing ? <Badge tone="brand">Indexing</Badge> : <Badge tone="green">Idle</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <div className={`rounded-md border px-3 py-2 text-sm ${TONE_STYLES.warning}`}>
          <p className="flex items-start gap-2 font-medium">
            <AlertIcon className="mt-0.5" />
            Meilisearch is not reachable.
          </p>
          <p className="mt-1">Search shows a message instead of results; writes keep queueing in the outbox and reach the index when it is back.</p>
          <p className="mt-1 font-mono text-xs break-words">{status.error}</p>
        </div>
      )}
    </CardSection>
  );
}

/** Dead outbox rows, newest first, each with its own Retry button. */
export function DeadLetterTable({
  dead,
  now,
  pageHref,
}: {
  dead: {
    rows: Array<Omit<DeadLetter, "createdAt"> & { createdAt: Date | string }>;
    total: number;
    offset: number;
    pageSize: number;
  };
  now: number;
  pageHref: (page: number) => string;
}) {
  if (dead.total === 0) {
    return (
      <EmptyState icon={<CheckCircleIcon className="size-5" />} title="No dead letters">
        Every change the relay took on reached the index or is still being tried.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="-mx-5 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Dead letters, newest first</caption>
          <TableHead columns={["Id", "Kind", "Item", { label: "Attempts", align: "right" }, "Last error", "Created", "Action"]} />
          <tbody className="divide-y divide-slate-100">
            {dead.rows.map((row) => (
              <tr key={row.id} className="align-top">
                <td className="px-5 py-3 tabular-nums">{row.id}</td>
                <td className="px-5 py-3">{row.kind}</td>
                <td className="px-5 py-3">
                  {row.item ? (
                    <Link to={row.item.url} className="font-medium text-brand-700 hover:underline">
                      {row.item.label}
                    </Link>
                  ) : (
                    <span className="text-slate-600">
                      #{row.itemId} <span className="text-xs">(gone)</span>
                    </span>
                  )}
                </td>
                <td className="px-5 py-3 text-right tabular-nums">{row.attempts}</td>
                <LastErrorCell error={row.lastError} />
                <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                  <RelativeTime date={row.createdAt} now={now} />
                </td>
                <RetryCell id={row.id} what={`change ${row.id}`} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Dead letter pages" offset={dead.offset} pageSize={dead.pageSize} total={dead.total} shown={dead.rows.length} pageHref={pageHref} />
    </>
  );
}

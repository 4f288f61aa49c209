import { Form } from "react-router";
import type { DeliveryLogRow } from "#app/features/webhooks/deliveries.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";

/**
 * A target's delivery log (a webhook endpoint's, or a chat connection's): each delivery with its
 * status, attempts and last response, every attempt behind a disclosure, Retry on dead ones
 * (posts `intent=retry-delivery` with `deliveryId` to the page's own action).
 */

type Row = Omit<DeliveryLogRow, "createdAt" | "availableAt" | "deliveredAt" | "attemptLog"> & {
  createdAt: Date | string;
  availableAt: Date | string;
  deliveredAt: Date | string | null;
  attemptLog: Array<Omit<DeliveryLogRow["attemptLog"][number], "attemptedAt"> & { attemptedAt: Date | string }>;
};

export function DeliveryStatusBadge({ status, test }: { status: Row["status"]; test: boolean }) {
  const badge = status === "done" ? <Badge tone="green">Delivered</Badge> : status === "dead" ? <Badge tone="red">Failed, gave up</Badge> : <Badge tone="amber">Waiting</Badge>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {badge}
      {test ? <Badge>Test</Badge> : null}
    </span>
  );
}

function AttemptList({ row, now }: { row: Row; now: number }) {
  if (row.attemptLog.length === 0) return <span className="text-slate-500">Not tried yet</span>;
  return (
    <details>
      <summary className="cursor-pointer text-slate-800">
        {row.attemptLog.length} {row.attemptLog.length === 1 ? "attempt" : "attempts"}
      </summary>
      <ol className="mt-2 space-y-2">
        {row.attemptLog.map((a, i) => (
          <li key={a.id} className="rounded-md border border-slate-200 bg-slate-50 p-2 text-xs">
            <p className="font-medium text-slate-800">
              #{i + 1}, <RelativeTime date={a.attemptedAt} now={now} />: {a.statusCode === null ? "no response" : `HTTP ${a.statusCode}`}, {a.durationMs} ms
            </p>
            {a.error ? <p className="mt-1 font-mono break-words text-red-800">{a.error}</p> : null}
            {a.responseExcerpt ? <pre className="mt-1 max-h-32 overflow-auto font-mono break-words whitespace-pre-wrap text-slate-700">{a.responseExcerpt}</pre> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

export function WebhookDeliveryLog({ log, now, pageHref }: { log: { rows: Row[]; total: number; offset: number; pageSize: number }; now: number; pageHref: (page: number) => string }) {
  if (log.total === 0) {
    return <EmptyState title="No deliveries yet">Each event this endpoint takes appears here with every attempt and the receiver&rsquo;s answer. Send a test event to try it.</EmptyState>;
  }
  return (
    <>
      <div className="-mx-5 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Deliveries, newest first</caption>
          <TableHead columns={["Event", "Status", "Attempts", "Last response", "Written", "Action"]} />
          <tbody className="divide-y divide-slate-100">
            {log.rows.map((row) => (
              <tr key={row.id} className="align-top">
                <td className="px-5 py-3">
                  <code className="text-xs text-slate-800">{row.eventType}</code>
                  <p className="mt-0.5 font-mono text-xs text-slate-500">{row.messageId}</p>
                </td>
                <td className="px-5 py-3">
                  <DeliveryStatusBadge status={row.status} test={row.test} />
                  {row.status === "pending" && row.attempts > 0 ? (
                    <p className="mt-1 text-xs text-slate-600">
                      <RelativeTime date={row.availableAt} now={now} prefix="Next try" />
                    </p>
                  ) : null}
                </td>
                <td className="px-5 py-3">
                  <AttemptList row={row} now={now} />
                </td>
                <td className="max-w-xs px-5 py-3">
                  {row.lastStatus !== null ? <span className="tabular-nums">HTTP {row.lastStatus}</span> : <span className="text-slate-500">—</span>}
                  {row.lastError ? <p className="mt-0.5 font-mono text-xs break-words text-slate-600">{row.lastError.slice(0, 120)}</p> : null}
                </td>
                <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                  <RelativeTime date={row.createdAt} now={now} />
                </td>
                <td className="px-5 py-3">
                  {row.status === "dead" ? (
                    <Form method="post">
                      <input type="hidden" name="deliveryId" value={row.id} />
                      <Button name="intent" value="retry-delivery" size="sm">
                        Retry
                        <span className="sr-only">
                          {" "}
                          the {row.eventType} delivery {row.messageId}
                        </span>
                      </Button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Delivery pages" offset={log.offset} pageSize={log.pageSize} total={log.total} shown={log.rows.length} pageHref={pageHref} />
    </>
  );
}

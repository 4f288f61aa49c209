import { Form } from "react-router";
import type { DeliveryLogRow } from "#app/features/webhooks/deliveries.server.ts";
import { EVENT_LABELS, type EventType } from "#app/features/webhooks/events.ts";
import { TEST_EVENT_TYPE } from "#app/features/chat/format.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";

/**
 * A chat connection's delivery log (its page imports it; not a route): each message with its
 * status, the channel's last answer and the attempts behind it, and Retry for a dead one.
 */

type Row = Omit<DeliveryLogRow, "createdAt" | "availableAt" | "deliveredAt" | "attemptLog"> & {
  createdAt: Date | string;
  attemptLog: Array<{ id: number; attemptedAt: Date | string; statusCode: number | null; durationMs: number; error: string | null }>;
};

function eventName(type: string, test: boolean): string {
  if (test || type === TEST_EVENT_TYPE) return "Test message";
  return EVENT_LABELS[type as EventType] ?? type;
}

function DeliveryStatus({ status }: { status: Row["status"] }) {
  if (status === "done") return <Badge tone="green">Delivered</Badge>;
  if (status === "dead") return <Badge tone="red">Gave up</Badge>;
  return <Badge tone="amber">Waiting</Badge>;
}

export function DeliveryTable({
  deliveries,
  now,
  pageHref,
}: {
  deliveries: { rows: Row[]; total: number; offset: number; pageSize: number };
  now: number;
  pageHref: (page: number) => string;
}) {
  if (deliveries.total === 0) {
    return <EmptyState title="Nothing sent yet">Messages appear here as events happen in the space. Send a test message to try the channel now.</EmptyState>;
  }
  return (
    <>
      <div className="-mx-5 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Deliveries to this channel, newest first</caption>
          <TableHead columns={["Event", "Status", { label: "Code", align: "right" }, { label: "Attempts", align: "right" }, "Written"]} />
          <tbody className="divide-y divide-slate-100">
            {deliveries.rows.map((d) => (
              <tr key={d.id} className="align-top">
                <td className="px-5 py-3">
                  {eventName(d.eventType, d.test)}
                  {d.lastError ? (
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-red-800">Last error</summary>
                      <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-slate-700">{d.lastError}</p>
                    </details>
                  ) : null}
                  {d.attemptLog.length > 1 ? (
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-slate-600">Every attempt</summary>
                      <ol className="mt-1 space-y-0.5 text-xs text-slate-700">
                        {d.attemptLog.map((a) => (
                          <li key={a.id}>
                            <RelativeTime date={a.attemptedAt} now={now} />: {a.statusCode ?? "no answer"}, {a.durationMs} ms{a.error ? ` (${a.error})` : ""}
                          </li>
                        ))}
                      </ol>
                    </details>
                  ) : null}
                </td>
                <td className="px-5 py-3">
                  <DeliveryStatus status={d.status} />
                  {d.status === "dead" ? (
                    <Form method="post" className="mt-2">
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <Button name="intent" value="retry" size="sm">
                        Retry<span className="sr-only"> this delivery</span>
                      </Button>
                    </Form>
                  ) : null}
                </td>
                <td className="px-5 py-3 text-right tabular-nums">{d.lastStatus ?? "—"}</td>
                <td className="px-5 py-3 text-right tabular-nums">{d.attempts}</td>
                <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                  <RelativeTime date={d.createdAt} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Delivery pages" offset={deliveries.offset} pageSize={deliveries.pageSize} total={deliveries.total} shown={deliveries.rows.length} pageHref={pageHref} />
    </>
  );
}

import { Link, href } from "react-router";
import type { EndpointSummary } from "#app/features/webhooks/endpoints.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TableHead } from "#app/components/table.tsx";

/** Admin → Integrations → Outgoing webhooks: the endpoints, a page at a time. */

export function EndpointStatus({ enabled, reason }: { enabled: boolean; reason: string | null }) {
  if (enabled) return <Badge tone="green">Enabled</Badge>;
  return (
    <span>
      <Badge tone="red">Disabled</Badge>
      {reason ? <span className="mt-1 block text-xs text-slate-600">{reason}</span> : null}
    </span>
  );
}

export function WebhookEndpointTable({ list, pageHref }: { list: { rows: EndpointSummary[]; total: number; offset: number; pageSize: number }; pageHref: (page: number) => string }) {
  if (list.total === 0) {
    return (
      <EmptyState
        title="No webhook endpoints yet"
        action={
          <ButtonLink to={href("/admin/integrations/webhooks/new")} variant="primary">
            Add an endpoint
          </ButtonLink>
        }
      >
        Add an endpoint to have Commons POST a signed message to your system whenever a question is asked, an answer is accepted, an idea changes status or someone gives kudos.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Webhook endpoints, newest first</caption>
          <TableHead columns={["Endpoint", "Space", "Events", "Status", { label: "Failures in a row", align: "right" }, "Deliveries"]} />
          <tbody className="divide-y divide-slate-100">
            {list.rows.map((e) => (
              <tr key={e.id} className="align-top">
                <td className="max-w-xs px-5 py-3">
                  <Link to={href("/admin/integrations/webhooks/:endpointId", { endpointId: String(e.id) })} className="font-medium break-all text-brand-700 hover:underline">
                    {e.host}
                  </Link>
                  {e.description ? <p className="mt-0.5 text-xs break-words text-slate-600">{e.description}</p> : null}
                </td>
                <td className="px-5 py-3">{e.space ? `${e.space.name}${e.space.visibility === "restricted" ? " (restricted)" : ""}` : "All open spaces"}</td>
                <td className="px-5 py-3">
                  <ul className="space-y-0.5">
                    {e.events.map((type) => (
                      <li key={type}>
                        <code className="text-xs">{type}</code>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="max-w-xs px-5 py-3">
                  <EndpointStatus enabled={e.enabled} reason={e.disabledReason} />
                </td>
                <td className="px-5 py-3 text-right tabular-nums">{e.consecutiveFailures}</td>
                <td className="px-5 py-3 whitespace-nowrap text-slate-700">
                  {e.waiting} waiting{e.dead > 0 ? `, ${e.dead} failed` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Endpoint pages" offset={list.offset} pageSize={list.pageSize} total={list.total} shown={list.rows.length} pageHref={pageHref} />
    </>
  );
}

import { data } from "react-router";
import type { Route } from "./+types/audit-csv";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { auditCsvLines, parseAuditFilters } from "#app/features/audit/log.server.ts";

/**
 * `GET /admin/audit.csv`: the audit log with the page's filters, as CSV, for admins (anyone else:
 * the admin pages' 404). Streamed a batch of entries at a time, so a long log is never held in
 * memory whole. A bad filter answers 400 with the field's message.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const { fieldErrors, filters } = await parseAuditFilters(context.db, new URL(request.url).searchParams);
  const problems = Object.values(fieldErrors);
  if (problems.length > 0) throw data(problems.join(" "), { status: 400 });
  const lines = auditCsvLines(context.db, actor, filters);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // A failure half-way can't change the status any more: the download ends in an error instead of looking complete.
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${day}.csv"`,
      // Who did what to whom: no shared cache keeps it.
      "Cache-Control": "private, no-store",
    },
  });
}

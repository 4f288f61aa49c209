import type { Route } from "./+types/recognition-csv";
import { requireRole } from "#app/features/auth/session.server.ts";
import { INSIGHT_TABLES, type InsightTable, monthsParam } from "#app/features/recognition/insight-params.ts";
import { insightsCsv } from "#app/features/recognition/insights.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";

/**
 * `GET /hr/recognition/flow.csv?months=6`: one table of the insights page as a spreadsheet,
 * folded exactly as the page shows it. HR and admins only (404 for anyone else, as the page);
 * an unknown table is a 404 too.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  const table = INSIGHT_TABLES.find((t) => t === params.table);
  if (!table) throw new NotFoundError();
  const months = monthsParam(new URL(request.url).searchParams.get("months"));
  const { filename, csv } = await insightsCsv(context.db, actor, table satisfies InsightTable, months);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Figures about the company's people: no shared cache keeps them.
      "Cache-Control": "private, no-store",
    },
  });
}

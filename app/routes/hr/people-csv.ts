import type { Route } from "./+types/people-csv";
import { requireRole } from "#app/features/auth/session.server.ts";
import { peopleCsv } from "#app/features/analytics/dashboard.server.ts";
import { PEOPLE_TABLES, weeksParam } from "#app/features/analytics/params.ts";
import { NotFoundError } from "#app/lib/errors.ts";

/**
 * `GET /hr/people/topics.csv?weeks=12`: one table of the people dashboard as a spreadsheet, folded
 * as the page shows it; `shortlist.csv` lists the role holders and is logged for each of them.
 * HR and admins only (404 for anyone else, as the page); an unknown table is a 404 too.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  const table = PEOPLE_TABLES.find((t) => t === params.table);
  if (!table) throw new NotFoundError();
  const weeks = weeksParam(new URL(request.url).searchParams.get("weeks"));
  const { filename, csv } = await peopleCsv(context.db, actor, table, weeks);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Figures about the company's people: no shared cache keeps them.
      "Cache-Control": "private, no-store",
    },
  });
}

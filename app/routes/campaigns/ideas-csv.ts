import type { Route } from "./+types/ideas-csv";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { campaignCsv } from "#app/features/ideas/reports.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { env } from "#app/lib/env.server.ts";

/**
 * `GET /campaigns/12/ideas.csv`: the campaign's ideas as a spreadsheet, for its sponsor and
 * moderators (403 for other readers, 404 where the campaign is hidden or missing). Links in it
 * are absolute, on APP_URL when it is configured.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const origin = env().APP_URL ?? new URL(request.url).origin;
  const { filename, csv } = await campaignCsv(context.db, actor, idParam(params.campaignId), origin);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // A private list of ideas and people: no shared cache keeps it.
      "Cache-Control": "private, no-store",
    },
  });
}

import { readiness } from "#app/lib/readiness.server.ts";
import type { Route } from "./+types/readyz";

export async function loader({ context }: Route.LoaderArgs) {
  const report = await readiness(context.db, context.search);
  return Response.json(report, { status: report.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

import type { Route } from "./+types/export";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { exportOwnData } from "#app/features/users/export.server.ts";

/**
 * `GET /settings/export`: the signed-in employee's own data as a JSON download (the link is on
 * Settings → Profile). Customers and deactivated or signed-out people get what the other settings
 * pages give them (requireEmployee). Each download is written to the audit log.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const now = new Date();
  const exported = await exportOwnData(context.db, actor, now);
  const day = now.toISOString().slice(0, 10);
  return new Response(JSON.stringify(exported, null, 2) + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="commons-my-data-${day}.json"`,
      // A person's whole history: no shared cache keeps it.
      "Cache-Control": "private, no-store",
    },
  });
}

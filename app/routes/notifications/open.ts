import { redirect } from "react-router";
import type { Route } from "./+types/open";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { openNotification } from "#app/features/notifications/inbox.server.ts";
import { idParam } from "#app/lib/ids.ts";

/**
 * Opening a notification from the inbox: marks it read and goes to the answer or comment it is
 * about. A GET on purpose, like counting a view: it is what following a link means, works
 * without JavaScript and can open in a new tab; React Router does not prefetch it (no `prefetch`
 * on the inbox's links). Someone else's notification, or a hidden one, is a 404.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  throw redirect(await openNotification(context.db, actor, idParam(params.notificationId)), { headers: { "Cache-Control": "no-store" } });
}

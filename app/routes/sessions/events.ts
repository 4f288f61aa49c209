import type { Route } from "./+types/events";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { appLiveHub } from "#app/features/live/hub.server.ts";
import { loadSession } from "#app/features/live/sessions.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { liveResponse } from "../../../server/live-hub.ts";

/**
 * `GET /sessions/:sessionId/events`: the session's Server-Sent Events for its page. A resource
 * route streaming a web `Response`: React Router's express adapter writes each chunk as it comes
 * and aborts the request when the reader goes, which is all a stream needs, so no express route of
 * its own. Who may open it is checked once, as for the page (the same 404); then the process's hub
 * sends every reader the same events (server/live-hub.ts).
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { session } = await loadSession(context.db, actor, idParam(params.sessionId));
  const hub = await appLiveHub(context.db);
  const response = liveResponse(hub, session.id, request.signal);
  if (response) return response;
  context.log.warn({ streams: hub.size }, "live: too many open streams; a reader goes without updates");
  return new Response("Too many readers right now: reload the page to see the latest answers.", {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Retry-After": "30" },
  });
}

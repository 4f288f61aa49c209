import type { Route } from "./+types/follow";
import { followAction } from "#app/features/social/follow-route.server.ts";
import { idParam } from "#app/lib/ids.ts";

/**
 * Follow or unfollow a person: `POST /people/12/follow` with `intent=follow|unfollow` (the one
 * follow protocol, follow-route.server.ts). The articles they publish then reach the follower's
 * inbox and their "Following" feed. A missing or hidden profile is a 404.
 */
export function action({ request, context, params }: Route.ActionArgs) {
  return followAction(context, request, { personId: idParam(params.userId) });
}

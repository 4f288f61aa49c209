import type { Route } from "./+types/follow";
import { followAction } from "#app/features/social/follow-route.server.ts";

/**
 * Follow or unfollow a tag: `POST /tags/postgres/follow` with `intent=follow|unfollow` (the one
 * follow protocol, follow-route.server.ts). A tag not used in any space the person may see is a 404.
 */
export function action({ request, context, params }: Route.ActionArgs) {
  return followAction(context, request, { tagName: params.name });
}

import type { Route } from "./+types/follow";
import { followAction } from "#app/features/social/follow-route.server.ts";
import { idParam } from "#app/lib/ids.ts";

/**
 * Follow or unfollow an item of any kind that can be followed (a question, an idea):
 * `POST /items/12/follow` with `intent=follow|unfollow` (the one follow protocol,
 * follow-route.server.ts). Hidden or missing items are a 404.
 */
export function action({ request, context, params }: Route.ActionArgs) {
  return followAction(context, request, { itemId: idParam(params.itemId) });
}

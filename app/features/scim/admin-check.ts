import { NotFoundError } from "#app/lib/errors.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";

/** Every admin function of SCIM re-checks its actor: anyone but an active admin gets the 404 of a missing page. */
export function assertAdmin(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt || actor.role !== "admin") throw new NotFoundError();
}

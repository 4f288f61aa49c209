import type { Db } from "#db/client.server.ts";

export type DestinationCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether Commons may call this URL (SSRF guard): http(s) only, and every address the host resolves
 * to must be public unless an admin allowlisted the host or range. Checked when an endpoint or a
 * connection is saved, and again at each send (DNS can change).
 * STUB: filled in by the webhooks work.
 */
export async function checkDestination(_db: Db, _url: string): Promise<DestinationCheck> {
  return { ok: false, reason: "not implemented" };
}

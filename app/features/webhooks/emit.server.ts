import type { Tx } from "#db/client.server.ts";
import type { CommonsEvent } from "./events.ts";

/**
 * Records an event inside the transaction of the write that caused it: one delivery per webhook
 * endpoint and chat connection that takes it (issue 21). A rolled-back write sends nothing.
 * STUB: filled in by the webhooks work.
 */
export async function emitEvent(_tx: Tx, _event: CommonsEvent): Promise<void> {}

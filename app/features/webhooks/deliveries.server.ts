import type { Db, Tx } from "#db/client.server.ts";

export interface DeliveryInput {
  endpointId?: number | null;
  chatConnectionId?: number | null;
  /** `msg_` + a random id; the same for every target of one event. */
  messageId: string;
  eventType: string;
  payload: unknown;
  test?: boolean;
}

/**
 * Writes deliveries to the outbox in the caller's transaction and wakes the worker at commit.
 * STUB: filled in by the webhooks work.
 */
export async function enqueueDeliveries(_tx: Tx | Db, _deliveries: DeliveryInput[]): Promise<void> {}

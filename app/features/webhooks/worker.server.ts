import type { Db } from "#db/client.server.ts";
import type { Logger } from "../../../server/logger.ts";

/** Delivers webhooks and chat messages from their outbox (issue 21). Returns its stop. */
export function startWebhookWorker(_db: Db, _options: { databaseUrl: string; log: Logger }): () => Promise<void> {
  return async () => {};
}

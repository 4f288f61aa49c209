import type { Db } from "#db/client.server.ts";
import type { Logger } from "../../../server/logger.ts";

/** Mail for notifications, now or in digests (issue 21). Returns its stop. */
export function startMailNotifications(_db: Db, _options: { databaseUrl: string; log: Logger }): () => Promise<void> {
  return async () => {};
}

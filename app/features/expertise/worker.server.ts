import type { Db } from "#db/client.server.ts";
import { startListenWorker, type ListenWorkerLog } from "#db/listen-worker.ts";
import { drainExpertiseOutbox } from "./evidence.server.ts";

/** The channel the outbox triggers NOTIFY (migration 0011). */
export const EXPERTISE_CHANNEL = "expertise";

/**
 * The expertise worker: after each commit that named someone in `expertise_outbox` (and every
 * half minute, for what it missed), rebuilds those people's evidence in batches until the outbox
 * is empty. Requests never wait for it; a person's expertise follows their work within seconds.
 */
export function startExpertiseWorker(db: Db, options: { databaseUrl: string; log: ListenWorkerLog; pollMs?: number }): () => Promise<void> {
  return startListenWorker({
    databaseUrl: options.databaseUrl,
    channel: EXPERTISE_CHANNEL,
    pollMs: options.pollMs ?? 30_000,
    name: "expertise worker",
    log: options.log,
    work: async (stopped) => {
      while (!stopped() && (await drainExpertiseOutbox(db)) > 0) {
        // Another batch, until the outbox is empty.
      }
    },
  });
}

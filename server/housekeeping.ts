import { pruneSignInAttempts } from "../app/features/auth/rate-limit.server.ts";
import { deleteExpiredSessions } from "../app/features/auth/session.server.ts";
import type { Db } from "../db/client.server.ts";
import type { Logger } from "./logger.ts";

const HOUR = 60 * 60 * 1000;

/**
 * Deletes what no request will ever read again: expired sessions and sign-in attempts older than
 * any limit window. Idempotent deletes, so several instances may run it at once. Runs a minute
 * after start, then hourly; a failure is logged and retried on the next round.
 */
export function startHousekeeping(db: Db, log: Logger, everyMs = HOUR): () => void {
  const run = async () => {
    try {
      const sessions = await deleteExpiredSessions(db);
      const attempts = await pruneSignInAttempts(db);
      if (sessions + attempts > 0) log.info({ sessions, attempts }, "housekeeping: deleted expired rows");
    } catch (error) {
      log.warn({ err: error }, "housekeeping failed; it runs again later");
    }
  };
  const first = setTimeout(run, Math.min(60_000, everyMs)).unref();
  const timer = setInterval(run, everyMs).unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

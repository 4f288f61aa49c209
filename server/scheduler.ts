import { publishDueArticles } from "../app/features/articles/articles.server.ts";
import type { Db } from "../db/client.server.ts";
import type { Logger } from "./logger.ts";

const MINUTE = 60 * 1000;

/**
 * Jobs that must happen at a given time rather than on a request: publishing the articles whose
 * scheduled time has come. Runs every minute in every instance; the job claims its rows with
 * FOR UPDATE SKIP LOCKED, so instances share the work and nothing is published twice. A failure
 * is logged and the next round tries again. The timers never keep the process alive.
 */
export function startScheduler(db: Db, log: Logger, everyMs = MINUTE): () => void {
  let running = false;
  const run = async () => {
    // A slow round (a large backlog after downtime) is not overlapped by the next one.
    if (running) return;
    running = true;
    try {
      const published = await publishDueArticles(db, new Date());
      if (published > 0) log.info({ published }, "scheduler: published scheduled articles");
    } catch (error) {
      log.warn({ err: error }, "scheduler: publishing scheduled articles failed; it runs again in a minute");
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, Math.min(5_000, everyMs)).unref();
  const timer = setInterval(run, everyMs).unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

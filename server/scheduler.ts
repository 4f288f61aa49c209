import { publishDueArticles } from "../app/features/articles/articles.server.ts";
import { announceDueRounds } from "../app/features/recognition/awards.server.ts";
import { grantBadges } from "../app/features/recognition/badges.server.ts";
import type { Db } from "../db/client.server.ts";
import type { Logger } from "./logger.ts";

const MINUTE = 60 * 1000;
/** The badge grant job (app/features/recognition/badges.server.ts): often enough that a badge follows its deed. */
const BADGES_EVERY_MS = 10 * MINUTE;

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
    }
    // Award rounds whose results date has passed: announced once, to their nominees.
    try {
      const announced = await announceDueRounds(db, new Date());
      if (announced > 0) log.info({ announced }, "scheduler: announced award results");
    } catch (error) {
      log.warn({ err: error }, "scheduler: announcing award results failed; it runs again in a minute");
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, Math.min(5_000, everyMs)).unref();
  const timer = setInterval(run, everyMs).unref();
  // Badges on their own timer: a re-run grants nothing twice, and instances take turns under its lock.
  let granting = false;
  const grant = async () => {
    if (granting) return;
    granting = true;
    try {
      const { total } = await grantBadges(db, new Date());
      if (total > 0) log.info({ granted: total }, "scheduler: granted badges");
    } catch (error) {
      log.warn({ err: error }, "scheduler: granting badges failed; it runs again in ten minutes");
    } finally {
      granting = false;
    }
  };
  const firstGrant = setTimeout(grant, 15_000).unref();
  const grantTimer = setInterval(grant, BADGES_EVERY_MS).unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
    clearTimeout(firstGrant);
    clearInterval(grantTimer);
  };
}

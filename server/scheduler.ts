import { publishDueArticles } from "../app/features/articles/articles.server.ts";
import { announceDueRounds } from "../app/features/recognition/awards.server.ts";
import { grantBadges } from "../app/features/recognition/badges.server.ts";
import { runDueAnalytics } from "../app/features/analytics/job.server.ts";
// @publishing-expiry
import { expirePublications } from "../app/features/publishing/publishing.server.ts";
import type { Db } from "../db/client.server.ts";
// @live-session-job
import { runLiveSessions } from "../app/features/live/archive.server.ts";
import { routeQuestions } from "../app/features/routing/routing.server.ts";
import { createMeiliClient } from "../search/client.server.ts";
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
  // @routing-job: routing's text part searches Meilisearch (started before the scheduler); without it, topics alone choose.
  const routingSearch = process.env.MEILI_URL ? createMeiliClient(process.env.MEILI_URL, process.env.MEILI_MASTER_KEY) : null;
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
    }
    // @publishing-expiry
    // Published forum threads whose expiry date has come leave the forum and its index (app/features/publishing).
    try {
      const expired = await expirePublications(db, new Date());
      if (expired > 0) log.info({ expired }, "scheduler: withdrew expired forum threads");
    } catch (error) {
      log.warn({ err: error }, "scheduler: withdrawing expired forum threads failed; it runs again in a minute");
    }
    // @live-session-job
    // Live sessions: scheduled ones go live at their start; live ones end an hour after their end
    // time, and ended ones become a thread or question (app/features/live/archive.server.ts).
    try {
      const live = await runLiveSessions(db, new Date());
      if (live.started + live.ended + live.archived > 0) log.info(live, "scheduler: moved live sessions");
    } catch (error) {
      log.warn({ err: error }, "scheduler: moving live sessions failed; it runs again in a minute");
    }
    // @chat-unanswered-job
    // Questions still unanswered after a chat connection's hours: announced once to its channel (app/features/chat).
    try {
      const { sweepUnanswered } = await import("../app/features/chat/unanswered.server.ts");
      const announced = await sweepUnanswered(db, new Date());
      if (announced > 0) log.info({ announced }, "scheduler: queued unanswered questions for chat");
    } catch (error) {
      log.warn({ err: error }, "scheduler: announcing unanswered questions to chat failed; it runs again in a minute");
    }
    // @routing-job: unanswered questions go to their experts, and to the next people past each deadline (app/features/routing).
    try {
      const routed = await routeQuestions(db, routingSearch, new Date(), { onError: (error) => log.warn({ err: error }, "scheduler: routing went on without search") });
      if (routed.started + routed.escalated + routed.toModerators > 0) log.info(routed, "scheduler: routed questions");
    } catch (error) {
      log.warn({ err: error }, "scheduler: routing questions failed; it runs again in a minute");
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
  // @analytics-job
  // The people analytics once a day (app/features/analytics/job.server.ts): checked every ten
  // minutes, it runs in its UTC hour when no run started in the last day, in a worker thread.
  let analysing = false;
  const analyse = async () => {
    if (analysing) return;
    analysing = true;
    try {
      const run = await runDueAnalytics(db, new Date());
      if (run) log.info({ run }, "scheduler: computed the people analytics");
    } catch (error) {
      log.warn({ err: error }, "scheduler: the people analytics failed (the run records why); it runs again tomorrow, or when HR asks");
    } finally {
      analysing = false;
    }
  };
  const analysisTimer = setInterval(analyse, 10 * MINUTE).unref();
  return () => {
    clearInterval(analysisTimer);
    clearTimeout(first);
    clearInterval(timer);
    clearTimeout(firstGrant);
    clearInterval(grantTimer);
  };
}

import { pruneArticleViews } from "../app/features/articles/views.server.ts";
import { pruneSignInAttempts } from "../app/features/auth/rate-limit.server.ts";
import { deleteExpiredSessions } from "../app/features/auth/session.server.ts";
import { prunePendingAccounts } from "../app/features/auth/verification.server.ts";
import { pruneMail } from "../app/features/mail/mailer.server.ts";
import { pruneViews } from "../app/features/qa/question-page.server.ts";
import { lapseAllowances } from "../app/features/recognition/points.server.ts";
import { pruneUploads } from "../app/features/uploads/uploads.server.ts";
import { notifyDueReviews } from "../app/features/wiki/review.server.ts";
import type { Db } from "../db/client.server.ts";
import { pruneOutbox } from "../search/relay.server.ts";
import type { Logger } from "./logger.ts";

const HOUR = 60 * 60 * 1000;

/**
 * Deletes what no request will ever read again: expired sessions, sign-in attempts older than
 * any limit window, question and article views older than the hour in which a view counts once, and search
 * outbox rows indexed more than a day ago, mail sent more than a day ago (its links hold tokens),
 * dead mail a month old, pending accounts nobody proved within a week, and uploads attached to nothing a day after they were uploaded (their files too). Idempotent deletes, so several instances may run it at
 * once. Runs a minute after start, then hourly; a failure is logged and retried on the next round.
 */
export function startHousekeeping(db: Db, log: Logger, everyMs = HOUR): () => void {
  const run = async () => {
    try {
      const sessions = await deleteExpiredSessions(db);
      const attempts = await pruneSignInAttempts(db);
      const views = (await pruneViews(db)) + (await pruneArticleViews(db));
      const outbox = await pruneOutbox(db);
      const mail = await pruneMail(db);
      const pending = await prunePendingAccounts(db);
      const uploads = await pruneUploads(db, new Date());
      if (sessions + attempts + views + outbox + mail + pending + uploads > 0) log.info({ sessions, attempts, views, outbox, mail, pending, uploads }, "housekeeping: deleted expired rows");
      // Not a delete, but hourly is soon enough: the owners of a page past its review date are told once.
      const reviews = await notifyDueReviews(db);
      if (reviews.pages > 0) log.info(reviews, "housekeeping: told owners of pages due for review");
      // Kudos allowances of finished months: what was left lapses, written into the ledger once.
      const lapsed = await lapseAllowances(db);
      if (lapsed > 0) log.info({ months: lapsed }, "housekeeping: unused kudos allowances lapsed");
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

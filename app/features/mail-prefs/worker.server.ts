import type { Db } from "#db/client.server.ts";
import { startListenWorker } from "#db/listen-worker.ts";
import type { Logger } from "../../../server/logger.ts";
import { DIGEST_CADENCES } from "./categories.ts";
import { runDigests } from "./digest.server.ts";
import { mailNotificationsOnce } from "./immediate.server.ts";

/**
 * The LISTEN/NOTIFY channel that wakes the notification mailer: a statement trigger on
 * `notifications` (migration 0014) notifies it once per insert statement, at commit. The poll
 * below is the safety net for a missed notification (a dropped LISTEN connection).
 */
export const NOTIFICATION_MAIL_CHANNEL = "commons_notification_mail";
const POLL_MS = 5_000;
/** Digests are looked for once a minute; a round with nothing due is one query per cadence. */
const DIGEST_CHECK_MS = 60_000;

/**
 * Mail for notifications, now or in digests (issue 21, docs/mail-digests.md), in every instance:
 * the rounds claim their rows with SKIP LOCKED (notifications) or a unique row (digests), so
 * instances share the work without doubling it. Returns its stop, which lets the round in
 * progress finish (a digest run stops between two people).
 */
export function startMailNotifications(db: Db, options: { databaseUrl: string; log: Logger }): () => Promise<void> {
  let lastDigestCheck = 0;
  return startListenWorker({
    databaseUrl: options.databaseUrl,
    channel: NOTIFICATION_MAIL_CHANNEL,
    pollMs: POLL_MS,
    name: "notification mail",
    log: options.log,
    work: async (stopped) => {
      while (!stopped()) {
        const round = await mailNotificationsOnce(db);
        if (round.claimed === 0) break;
      }
      if (Date.now() - lastDigestCheck < DIGEST_CHECK_MS) return;
      lastDigestCheck = Date.now();
      for (const cadence of DIGEST_CADENCES) {
        if (stopped()) return;
        const run = await runDigests(db, cadence, { shouldStop: stopped });
        if (run.mailed + run.empty > 0) options.log.info({ cadence, period: run.period.key, mailed: run.mailed, empty: run.empty }, "digests written");
      }
    },
  });
}

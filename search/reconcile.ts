import { createDb } from "#db/client.server.ts";
import { createMeiliClient } from "./client.server.ts";
import { driftTotal, reconcileIndexes } from "./reconcile.server.ts";
import { startedDirectly } from "../db/script.ts";

/**
 * `npm run search:reconcile`: compares PostgreSQL with the search indexes (ids and versions) and
 * queues every difference for the relay of the running app. Exits 0 when nothing drifted, 2 when
 * something was queued.
 */

if (startedDirectly(import.meta.url)) {
  const { DATABASE_URL, MEILI_URL, MEILI_MASTER_KEY } = process.env;
  if (!DATABASE_URL || !MEILI_URL || !MEILI_MASTER_KEY) {
    console.error("search:reconcile needs DATABASE_URL, MEILI_URL and MEILI_MASTER_KEY");
    process.exit(1);
  }
  const db = createDb(DATABASE_URL, { max: 2 });
  try {
    const report = await reconcileIndexes(db, createMeiliClient(MEILI_URL, MEILI_MASTER_KEY, 60_000));
    for (const [kind, c] of Object.entries(report)) {
      process.stdout.write(`${kind}: ${c.checked} checked, ${c.missing} missing, ${c.stale} stale, ${c.extra} extra, ${c.queued} queued\n`);
    }
    const queued = driftTotal(report);
    process.stdout.write(queued === 0 ? "the indexes match PostgreSQL\n" : `${queued} items queued; the app's relay indexes them\n`);
    if (queued > 0) process.exitCode = 2;
  } catch (error) {
    console.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

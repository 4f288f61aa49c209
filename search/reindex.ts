import { createDb } from "#db/client.server.ts";
import { createMeiliClient } from "./client.server.ts";
import { type ReindexProgress, reindexAll } from "./reindex.server.ts";
import { startedDirectly } from "../db/script.ts";

/**
 * `npm run search:reindex`: rebuilds the search indexes from PostgreSQL into new indexes and
 * swaps them in. The app keeps searching the old indexes until each swap.
 */

/** Requests of a rebuild may wait on a busy server much longer than a search would. */
const REQUEST_TIMEOUT_MS = 60_000;

function progressLine(p: ReindexProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.indexed * 1000) / p.elapsedMs) : 0;
  const seconds = (p.elapsedMs / 1000).toFixed(1);
  return `${p.kind}: ${p.indexed} documents in ${seconds} s (${rate}/s)${p.done ? ", swapped in" : ""}`;
}

if (startedDirectly(import.meta.url)) {
  const { DATABASE_URL, MEILI_URL, MEILI_MASTER_KEY } = process.env;
  if (!DATABASE_URL || !MEILI_URL || !MEILI_MASTER_KEY) {
    console.error("search:reindex needs DATABASE_URL, MEILI_URL and MEILI_MASTER_KEY");
    process.exit(1);
  }
  const db = createDb(DATABASE_URL, { max: 2 });
  const interactive = process.stdout.isTTY;
  try {
    await reindexAll(db, createMeiliClient(MEILI_URL, MEILI_MASTER_KEY, REQUEST_TIMEOUT_MS), {
      onProgress: (p) => {
        if (p.done) process.stdout.write(`${interactive ? "\r" : ""}${progressLine(p)}\n`);
        else if (interactive) process.stdout.write(`\r${progressLine(p)}`);
        // Piped output (CI, logs) gets a line every 10,000 documents instead of a rewritten one.
        else if (p.indexed % 10_000 === 0) process.stdout.write(`${progressLine(p)}\n`);
      },
    });
    process.stdout.write("reindex done; writes made meanwhile are queued for the relay\n");
  } catch (error) {
    console.error(`reindex failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

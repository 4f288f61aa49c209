import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { expertiseBacklog, recomputeAll } from "./evidence.server.ts";

/**
 * Full recomputes started from Admin → Expertise: in the background of the app process, never
 * awaited by the request that starts them (a large company's rebuild takes longer than a page
 * should). One at a time per process; across processes `recomputeAll` takes its own advisory lock,
 * which is also how the page tells that one is running anywhere.
 */

type Log = { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

let running: Promise<void> | null = null;

/** Starts a full recompute unless this process is already running one. */
export function startRecompute(db: Db, log: Log): "started" | "already running" {
  if (running) return "already running";
  const started = Date.now();
  running = recomputeAll(db)
    .then(
      (counts) => log.info({ ...counts, ms: Date.now() - started }, "expertise recomputed"),
      (error: unknown) => log.error({ err: error }, "expertise recompute failed"),
    )
    .finally(() => {
      running = null;
    });
  return "started";
}

/** Resolves when the recompute this process started (if any) has finished: for tests and a clean shutdown. */
export async function recomputeSettled(): Promise<void> {
  await running;
}

/**
 * Whether a full recompute is running (here, or in another instance: `recomputeAll` holds the
 * exclusive advisory lock "expertise-recompute" of evidence.server.ts while it works, so a shared
 * try-lock on it fails), and how many people wait in the expertise outbox.
 */
export async function recomputeStatus(db: Db): Promise<{ running: boolean; backlog: number }> {
  const [lockFree, backlog] = await Promise.all([
    db.transaction(async (tx) => {
      const [row] = await tx.execute<{ free: boolean }>(sql`select pg_try_advisory_xact_lock_shared(hashtext('expertise-recompute')) as free`);
      return row?.free === true;
    }),
    expertiseBacklog(db),
  ]);
  return { running: running !== null || !lockFree, backlog };
}

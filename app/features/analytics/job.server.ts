import path from "node:path";
import { Worker } from "node:worker_threads";
import { desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { projectRoot } from "#db/project-root.ts";
import { analyticsRuns, personRoles } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { type LoadedGraph, loadGraph } from "./graph.server.ts";
import { BETWEENNESS_SAMPLES, BETWEENNESS_SEED, DAILY_RUN_HOUR_UTC, DEFAULT_WINDOW_DAYS, KEEP_RUNS, MAX_WINDOW_DAYS, STALE_RUN_MS } from "./params.ts";
import { assignRoles } from "./roles.ts";
import { type KernelInput, type KernelOutput, graphFigures } from "./sna-kernel.mjs";

/**
 * The SNA job (docs/people-analytics.md): a run row says what window it describes and how it
 * went; PostgreSQL builds the graph (graph.server.ts); a worker thread computes the graph
 * figures (sna-worker.mjs), so the server keeps answering requests; the roles (roles.ts) are
 * stored with the run's id, and the run is marked done with its counts, duration and the
 * worker's peak memory, or failed with the error. Only the newest KEEP_RUNS runs are kept.
 *
 * One run at a time across every instance: a run is claimed under an advisory lock, and a claim
 * is refused while another run is running (one left running by a stopped process is marked
 * failed after STALE_RUN_MS).
 */

export type RunOptions = {
  /** The window is the `windowDays` days up to `now` (the date the results describe). */
  windowDays?: number;
  now?: Date;
  samples?: number;
  seed?: number;
  requestedById?: number | null;
  /** Compute on this thread instead of a worker (the demo seed, inside its transaction). */
  inProcess?: boolean;
};

/** `peakHeapMb` is the worker's; null for a run computed in-process, where the thread's heap is everyone's. */
export type RunSummary = { runId: number; people: number; interactions: number; edges: number; durationMs: number; peakHeapMb: number | null };

/** The worker's old-generation heap limit: the graph lives in typed arrays outside it, so a little goes a long way. */
const WORKER_HEAP_MB = 128;
const WORKER_FILE = path.join(projectRoot(), "app/features/analytics/sna-worker.mjs");
const MB = 1024 * 1024;

/** Claims a run and computes it; refused (InputError) while another runs. */
export async function runPeopleAnalytics(db: Db | Tx, options: RunOptions = {}): Promise<RunSummary> {
  const runId = await claimRun(db, options);
  return completeRun(db, runId, options);
}

/**
 * "Recompute now" on HR's dashboard: the run is claimed before this returns (so a second press is
 * refused at once) and computed in the background, never on the request: the run records a
 * failure, and `onError` hears of it (the route logs it).
 */
export async function startPeopleAnalytics(db: Db, actor: Actor, options: Omit<RunOptions, "requestedById" | "inProcess"> & { onError: (error: unknown) => void }) {
  if (actor.kind !== "employee" || actor.deactivatedAt || (actor.role !== "hr" && actor.role !== "admin")) throw new NotFoundError();
  const { onError, ...run } = options;
  const runId = await claimRun(db, { ...run, requestedById: actor.id });
  completeRun(db, runId, run).catch(onError);
  return { runId };
}

/**
 * The daily run, from the scheduler: in the DAILY_RUN_HOUR_UTC hour, when no run started in the
 * last 20 hours (instances that check in the same hour find the first one's run). Null when not due.
 */
export async function runDueAnalytics(db: Db, now = new Date()): Promise<RunSummary | null> {
  if (now.getUTCHours() !== DAILY_RUN_HOUR_UTC) return null;
  const [recent] = await db
    .select({ id: analyticsRuns.id })
    .from(analyticsRuns)
    .where(sql`${analyticsRuns.startedAt} > ${new Date(now.getTime() - 20 * 3_600_000).toISOString()}::timestamptz`)
    .limit(1);
  if (recent) return null;
  try {
    return await runPeopleAnalytics(db, { now });
  } catch (error) {
    // Another instance claimed it between the check and the claim.
    if (error instanceof InputError) return null;
    throw error;
  }
}

function windowOf(options: RunOptions) {
  const days = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) throw new InputError(`The window is a whole number of days from 1 to ${MAX_WINDOW_DAYS}.`);
  const end = options.now ?? new Date();
  return { start: new Date(end.getTime() - days * 86_400_000), end };
}

async function claimRun(db: Db | Tx, options: RunOptions): Promise<number> {
  const window = windowOf(options);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('commons:people-analytics'))`);
    await tx
      .update(analyticsRuns)
      .set({ status: "failed", error: "Interrupted: the process running it stopped.", finishedAt: sql`now()` })
      .where(sql`${analyticsRuns.status} = 'running' and ${analyticsRuns.startedAt} < now() - ${`${STALE_RUN_MS} milliseconds`}::interval`);
    const [running] = await tx.select({ startedAt: analyticsRuns.startedAt }).from(analyticsRuns).where(eq(analyticsRuns.status, "running")).limit(1);
    if (running) throw new InputError(`A run is already in progress (started ${absoluteTime(running.startedAt)}); its results will show here when it is done.`);
    const [run] = await tx
      .insert(analyticsRuns)
      .values({ windowStart: window.start, windowEnd: window.end, requestedById: options.requestedById ?? null })
      .returning({ id: analyticsRuns.id });
    return run!.id;
  });
}

async function completeRun(db: Db | Tx, runId: number, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  try {
    const graph = await loadGraph(db, windowOf(options));
    const input: KernelInput = {
      n: graph.userIds.length,
      a: graph.a,
      b: graph.b,
      w: graph.w,
      // A copy: the worker takes the arrays it is given, and the roles still need this one.
      department: graph.departmentOf.slice(),
      departments: graph.departmentKeys.length,
      samples: options.samples ?? BETWEENNESS_SAMPLES,
      seed: options.seed ?? BETWEENNESS_SEED,
    };
    const edges = graph.a.length;
    const { peakBytes, ...figures } = options.inProcess ? { ...graphFigures(input), peakBytes: null } : await computeInWorker(input);
    return await storeRoles(db, runId, graph, figures, { edges, started, peakHeapMb: peakBytes === null ? null : Math.ceil(peakBytes / MB) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(analyticsRuns)
      .set({ status: "failed", error: message.slice(0, 1000), durationMs: Math.round(performance.now() - started), finishedAt: sql`now()` })
      .where(eq(analyticsRuns.id, runId));
    throw error;
  }
}

type Figures = KernelOutput & { peakBytes: number };

/** In a worker thread with a heap limit; the input's buffers move to it rather than being copied. */
function computeInWorker(input: KernelInput): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: input,
      transferList: [input.a.buffer, input.b.buffer, input.w.buffer, input.department.buffer] as ArrayBuffer[],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    worker.once("message", (figures: Figures) => {
      settled = true;
      resolve(figures);
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`The analytics worker stopped (exit code ${code}) before it finished.`));
    });
  });
}

/** Roles go in a thousand at a time, the run is marked done and runs beyond the newest KEEP_RUNS are deleted, in one transaction. */
async function storeRoles(db: Db | Tx, runId: number, graph: LoadedGraph, figures: KernelOutput, run: { edges: number; started: number; peakHeapMb: number | null }): Promise<RunSummary> {
  const f = graph.facts;
  const roles = assignRoles({ n: graph.userIds.length, ...figures, ...f, topics: graph.topics });
  const rows = roles.map((r, i) => ({
    runId,
    userId: graph.userIds[i]!,
    department: graph.departments[i]!,
    maven: r.maven,
    connector: r.connector,
    salesman: r.salesman,
    isMaven: r.isMaven ? 1 : 0,
    isConnector: r.isConnector ? 1 : 0,
    isSalesman: r.isSalesman ? 1 : 0,
    profile: r.profile,
    explanation: r.explanation,
  }));
  return db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(personRoles).values(rows.slice(i, i + 1000));
    // The duration covers everything up to the results being written.
    const summary: RunSummary = {
      runId,
      people: rows.length,
      interactions: graph.interactions,
      edges: run.edges,
      durationMs: Math.round(performance.now() - run.started),
      peakHeapMb: run.peakHeapMb,
    };
    await tx
      .update(analyticsRuns)
      .set({
        status: "done",
        people: summary.people,
        interactions: summary.interactions,
        edges: summary.edges,
        durationMs: summary.durationMs,
        peakHeapMb: summary.peakHeapMb,
        finishedAt: sql`now()`,
      })
      .where(eq(analyticsRuns.id, runId));
    const kept = tx.select({ id: analyticsRuns.id }).from(analyticsRuns).orderBy(desc(analyticsRuns.startedAt), desc(analyticsRuns.id)).limit(KEEP_RUNS);
    await tx.delete(analyticsRuns).where(sql`${analyticsRuns.status} <> 'running' and ${analyticsRuns.id} not in (${kept})`);
    return summary;
  });
}

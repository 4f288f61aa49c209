/**
 * The arithmetic of `npm run soak` (bench/soak.ts), apart from the run so that it can be tested on
 * its own (tests/integration/soak.test.ts): reading the app's /metrics, the least-squares slope of
 * the samples, and the verdict that sets the exit code.
 */

/** One reading, every 10 s: memory in MiB, the outboxes' rows, and the requests so far. */
export type SoakSample = {
  /** Seconds since the load started. */
  t: number;
  /** The app's resident memory (process_resident_memory_bytes). */
  rssMiB: number;
  /** V8 heap used at the sample. */
  heapMiB: number;
  /**
   * The lowest heap used of the readings in the last 10 s (one every 2 s): what is left after the
   * garbage collector has run, without forcing it (the app does not expose gc()).
   */
  heapFloorMiB: number;
  /** V8 heap used just after the last full collection: the live set (0 before the first). */
  heapLiveMiB: number;
  /** V8 heap committed (heap_size_total): what the heap takes of RSS. */
  heapTotalMiB: number;
  /** Memory outside the heap held by JS objects (buffers). */
  externalMiB: number;
  searchPending: number;
  mailPending: number;
  searchDead: number;
  mailDead: number;
  /** Requests answered so far, writes among them, and errors (5xx and connection errors). */
  requests: number;
  writes: number;
  errors: number;
};

/** The first two minutes are left out of the slopes: caches, the JIT and the first reconcile fill memory once. */
export const WARMUP_SECONDS = 120;
/**
 * The most the app's memory may grow after the warm-up, for RSS and for the heap's floor. A leak of
 * 10 MiB an hour takes a day to add 240 MiB, about what the app holds in all (its heap limit is
 * 256 MB): it must fail. Below it, 30 minutes of 10-second samples cannot tell a slope from the
 * collector's sawtooth, which moves the heap by several MiB between samples.
 */
export const SLOPE_LIMIT_MIB_PER_HOUR = 10;
/** A slope needs this long after the warm-up to mean anything; a shorter run reports it unjudged. */
export const SLOPE_MIN_WINDOW_SECONDS = 600;
/**
 * An outbox "grew" when its pending rows rise by more than this many an hour after the warm-up and
 * its end holds more than OUTBOX_BACKLOG_ROWS: a few rows pending at any moment are the relay's
 * and the mailer's normal lag (they poll and are woken by NOTIFY), not a backlog.
 */
export const OUTBOX_SLOPE_LIMIT_PER_HOUR = 60;
export const OUTBOX_BACKLOG_ROWS = 20;

/**
 * The least-squares slope of `y` over `x`, in y-units per x-unit, and its standard error (0 when
 * fewer than three points leave no residual to measure). NaN slope for fewer than two distinct x.
 */
export function leastSquares(points: ReadonlyArray<{ x: number; y: number }>): { slope: number; standardError: number } {
  const n = points.length;
  if (n < 2) return { slope: NaN, standardError: NaN };
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) return { slope: NaN, standardError: NaN };
  const slope = sxy / sxx;
  if (n < 3) return { slope, standardError: 0 };
  const intercept = meanY - slope * meanX;
  const residuals = points.reduce((s, p) => s + (p.y - (intercept + slope * p.x)) ** 2, 0);
  return { slope, standardError: Math.sqrt(residuals / (n - 2) / sxx) };
}

/** The slope of one field of the samples after the warm-up, per hour (t is in seconds). */
export function slopePerHour(samples: readonly SoakSample[], field: keyof SoakSample, warmupSeconds = WARMUP_SECONDS): { slope: number; standardError: number; samples: number } {
  const after = samples.filter((s) => s.t >= warmupSeconds);
  const fit = leastSquares(after.map((s) => ({ x: s.t / 3600, y: s[field] })));
  return { ...fit, samples: after.length };
}

export type OutboxFigures = { start: number; middle: number; end: number; slopePerHour: number; deadStart: number; deadEnd: number };

export type SoakVerdict = {
  ok: boolean;
  /** Each reason the run failed, in words. */
  failures: string[];
  /** Seconds of samples after the warm-up. */
  windowSeconds: number;
  /** False when the window is too short for the memory slopes to be judged. */
  slopesJudged: boolean;
  rss: { slope: number; standardError: number };
  heapFloor: { slope: number; standardError: number };
  /** The heap after each full collection: the live set. */
  heapLive: { slope: number; standardError: number };
  heap: { slope: number; standardError: number };
  outbox: { search: OutboxFigures; mail: OutboxFigures };
};

function outboxFigures(samples: readonly SoakSample[], pending: "searchPending" | "mailPending", dead: "searchDead" | "mailDead"): OutboxFigures {
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const middle = samples[Math.floor((samples.length - 1) / 2)]!;
  const slope = slopePerHour(samples, pending).slope;
  return { start: first[pending], middle: middle[pending], end: last[pending], slopePerHour: Number.isNaN(slope) ? 0 : slope, deadStart: first[dead], deadEnd: last[dead] };
}

/**
 * The verdict on a soak: it fails on any error (a 5xx or a connection error, counted by the load
 * and by the app's own request metrics), on any answer that was not what the request expects (a
 * refused write would mean the soak measured something else than it says), on an outbox that grew
 * or gained dead letters, and on a memory slope above the limit when the window is long enough.
 */
export function soakVerdict(samples: readonly SoakSample[], totals: { errors: number; serverErrors: number; unexpected: number }): SoakVerdict {
  if (samples.length === 0) throw new Error("no samples: the soak did not run");
  const failures: string[] = [];
  if (totals.errors > 0) failures.push(`${totals.errors} errors (5xx answers or connection errors) seen by the load`);
  if (totals.serverErrors > 0) failures.push(`${totals.serverErrors} 5xx answers counted by the app's own metrics`);
  if (totals.unexpected > 0) failures.push(`${totals.unexpected} answers other than the one expected (a read not 200, a write refused)`);
  const after = samples.filter((s) => s.t >= WARMUP_SECONDS);
  const windowSeconds = after.length > 1 ? after.at(-1)!.t - after[0]!.t : 0;
  const slopesJudged = windowSeconds >= SLOPE_MIN_WINDOW_SECONDS;
  const rss = slopePerHour(samples, "rssMiB");
  const heapFloor = slopePerHour(samples, "heapFloorMiB");
  const heapLive = slopePerHour(samples, "heapLiveMiB");
  const heap = slopePerHour(samples, "heapMiB");
  if (slopesJudged) {
    if (rss.slope > SLOPE_LIMIT_MIB_PER_HOUR) failures.push(`RSS grew ${rss.slope.toFixed(1)} MiB/h after the warm-up (limit ${SLOPE_LIMIT_MIB_PER_HOUR})`);
    if (heapFloor.slope > SLOPE_LIMIT_MIB_PER_HOUR) failures.push(`the heap's floor grew ${heapFloor.slope.toFixed(1)} MiB/h after the warm-up (limit ${SLOPE_LIMIT_MIB_PER_HOUR})`);
    if (heapLive.slope > SLOPE_LIMIT_MIB_PER_HOUR)
      failures.push(`the heap after full collections grew ${heapLive.slope.toFixed(1)} MiB/h after the warm-up (limit ${SLOPE_LIMIT_MIB_PER_HOUR})`);
  }
  const outbox = { search: outboxFigures(samples, "searchPending", "searchDead"), mail: outboxFigures(samples, "mailPending", "mailDead") };
  for (const [name, o] of Object.entries(outbox)) {
    if (o.slopePerHour > OUTBOX_SLOPE_LIMIT_PER_HOUR && o.end > OUTBOX_BACKLOG_ROWS) {
      failures.push(`the ${name} outbox grew: ${o.start} pending at the start, ${o.middle} in the middle, ${o.end} at the end (${o.slopePerHour.toFixed(0)} rows/h)`);
    }
    if (o.deadEnd > o.deadStart) failures.push(`the ${name} outbox gained ${o.deadEnd - o.deadStart} dead letters`);
  }
  const fit = (f: { slope: number; standardError: number }) => ({ slope: f.slope, standardError: f.standardError });
  return { ok: failures.length === 0, failures, windowSeconds, slopesJudged, rss: fit(rss), heapFloor: fit(heapFloor), heapLive: fit(heapLive), heap: fit(heap), outbox };
}

/**
 * The value of one series of a Prometheus text exposition: `name` with every label of `labels`
 * (other labels ignored), summed over the series that match; undefined when none does (a gauge
 * the scrape left out, or a counter with nothing counted yet).
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map<string, string>();
    for (const label of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) found.set(label[1]!, label[2]!);
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}

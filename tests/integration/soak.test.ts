import { describe, expect, it } from "vitest";
import { leastSquares, metricValue, OUTBOX_BACKLOG_ROWS, SLOPE_LIMIT_MIB_PER_HOUR, type SoakSample, slopePerHour, soakVerdict, WARMUP_SECONDS } from "../../bench/soak-verdict.ts";

// Issue 23: the arithmetic of `npm run soak` (bench/soak.ts). The soak itself is not in npm test:
// no database, no server here.

/** 30 minutes of samples every 10 s; `memory(t)` and `pending(t)` give the values at t seconds. */
function samples(memory: (t: number) => number, pending: (t: number) => number = () => 0, overrides: Partial<SoakSample> = {}): SoakSample[] {
  return Array.from({ length: 181 }, (_, i) => {
    const t = i * 10;
    return {
      t,
      rssMiB: memory(t),
      heapMiB: memory(t) / 2,
      heapFloorMiB: memory(t) / 2,
      heapLiveMiB: memory(t) / 2,
      heapTotalMiB: memory(t) / 2,
      externalMiB: 10,
      searchPending: pending(t),
      mailPending: 0,
      searchDead: 0,
      mailDead: 0,
      requests: i * 80,
      writes: i * 16,
      errors: 0,
      ...overrides,
    };
  });
}

const clean = { errors: 0, serverErrors: 0, unexpected: 0 };

describe("least squares", () => {
  it("finds the slope of a line exactly, with no error", () => {
    const fit = leastSquares([0, 1, 2, 3].map((x) => ({ x, y: 3 * x + 7 })));
    expect(fit.slope).toBeCloseTo(3, 12);
    expect(fit.standardError).toBeCloseTo(0, 12);
  });

  it("finds the slope through symmetric noise, with an error that says so", () => {
    // y = 2x, then +1, -1, +1, -1...: the noise cancels in the slope but not in the residuals.
    const fit = leastSquares(Array.from({ length: 20 }, (_, x) => ({ x, y: 2 * x + (x % 2 === 0 ? 1 : -1) })));
    expect(fit.slope).toBeCloseTo(2, 1);
    expect(fit.standardError).toBeGreaterThan(0);
  });

  it("has no slope without two distinct points", () => {
    expect(leastSquares([]).slope).toBeNaN();
    expect(leastSquares([{ x: 1, y: 2 }]).slope).toBeNaN();
    expect(
      leastSquares([
        { x: 1, y: 2 },
        { x: 1, y: 5 },
      ]).slope,
    ).toBeNaN();
  });

  it("leaves the warm-up out and reports per hour", () => {
    // Memory climbs steeply for the first two minutes, then stays flat at 300 MiB.
    const s = samples((t) => (t < WARMUP_SECONDS ? 100 + t : 300));
    expect(slopePerHour(s, "rssMiB").slope).toBeCloseTo(0, 9);
    expect(slopePerHour(s, "rssMiB", 0).slope).toBeGreaterThan(100);
    // 1 MiB a minute is 60 MiB an hour.
    expect(
      slopePerHour(
        samples((t) => 200 + t / 60),
        "rssMiB",
      ).slope,
    ).toBeCloseTo(60, 6);
  });
});

describe("the soak's verdict", () => {
  it("passes flat memory, no errors and an outbox that keeps up", () => {
    // The collector's sawtooth (±4 MiB) and a few rows pending now and then.
    const v = soakVerdict(
      samples(
        (t) => 250 + ((t / 10) % 4 < 2 ? 4 : -4),
        (t) => (t / 10) % 7,
      ),
      clean,
    );
    expect(v.failures).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.slopesJudged).toBe(true);
    expect(Math.abs(v.rss.slope)).toBeLessThan(SLOPE_LIMIT_MIB_PER_HOUR);
    expect(v.outbox.search).toMatchObject({ start: 0, end: 5 });
  });

  it("fails on memory that grows faster than the limit, RSS and heap alike", () => {
    const leak = SLOPE_LIMIT_MIB_PER_HOUR * 2;
    const v = soakVerdict(
      samples((t) => 250 + (leak * t) / 3600),
      clean,
    );
    expect(v.ok).toBe(false);
    expect(v.rss.slope).toBeCloseTo(leak, 6);
    expect(v.failures.join("\n")).toMatch(/RSS grew 20\.0 MiB\/h/);
    // The heap is half of the RSS here: 10 MiB/h, at the limit, is not above it.
    expect(v.failures.join("\n")).not.toMatch(/heap/);
  });

  it("fails on a live set that grows while RSS and the heap's floor stay flat", () => {
    const v = soakVerdict(
      samples(() => 250, undefined, {}).map((s) => ({ ...s, heapLiveMiB: 100 + (30 * s.t) / 3600 })),
      clean,
    );
    expect(v.heapLive.slope).toBeCloseTo(30, 6);
    expect(v.failures).toEqual(["the heap after full collections grew 30.0 MiB/h after the warm-up (limit 10)"]);
  });

  it("does not judge the memory of a run too short for a slope", () => {
    const short = samples((t) => 250 + t).slice(0, 19); // 3 minutes: one after the warm-up
    const v = soakVerdict(short, clean);
    expect(v.slopesJudged).toBe(false);
    expect(v.rss.slope).toBeGreaterThan(1000);
    expect(v.ok).toBe(true);
  });

  it("fails on any error, 5xx counted by the app, or unexpected answer", () => {
    const flat = samples(() => 250);
    expect(soakVerdict(flat, { ...clean, errors: 1 }).failures).toEqual(["1 errors (5xx answers or connection errors) seen by the load"]);
    expect(soakVerdict(flat, { ...clean, serverErrors: 2 }).ok).toBe(false);
    expect(soakVerdict(flat, { ...clean, unexpected: 1 }).ok).toBe(false);
  });

  it("fails on an outbox whose backlog grows, not on one with a steady lag", () => {
    // One more row pending every minute: 60 an hour, ending at 30.
    const growing = soakVerdict(
      samples(
        () => 250,
        (t) => Math.floor(t / 50),
      ),
      clean,
    );
    expect(growing.ok).toBe(false);
    expect(growing.outbox.search).toMatchObject({ start: 0, middle: 18, end: 36 });
    expect(growing.failures[0]).toMatch(/^the search outbox grew: 0 pending at the start, 18 in the middle, 36 at the end/);
    // Rising as fast but staying under the backlog a relay's lag explains (a short run).
    const short = soakVerdict(
      samples(
        () => 250,
        (t) => Math.floor(t / 50),
      ).slice(0, 60),
      clean,
    );
    expect(short.outbox.search.end).toBeLessThanOrEqual(OUTBOX_BACKLOG_ROWS);
    expect(short.ok).toBe(true);
  });

  it("fails on new dead letters", () => {
    const s = samples(() => 250);
    s.at(-1)!.mailDead = 2;
    expect(soakVerdict(s, clean).failures).toEqual(["the mail outbox gained 2 dead letters"]);
  });

  it("refuses to judge a soak with no samples", () => {
    expect(() => soakVerdict([], clean)).toThrow(/no samples/);
  });
});

describe("reading /metrics", () => {
  const text = [
    "# HELP commons_process_resident_memory_bytes Resident memory size in bytes.",
    "# TYPE commons_process_resident_memory_bytes gauge",
    "commons_process_resident_memory_bytes 262144000",
    'commons_outbox_pending{queue="search"} 3',
    'commons_outbox_pending{queue="mail"} 12',
    'commons_http_request_duration_seconds_count{method="GET",route="/questions/:questionId",status_class="2xx"} 900',
    'commons_http_request_duration_seconds_count{method="GET",route="/questions/:questionId",status_class="5xx"} 2',
    'commons_http_request_duration_seconds_count{method="POST",route="/kudos/new",status_class="5xx"} 1',
    'commons_http_request_duration_seconds_count{method="POST",route="/a \\"quoted\\" route",status_class="5xx"} 1e0',
  ].join("\n");

  it("reads a series, by its labels, summed over the rest", () => {
    expect(metricValue(text, "commons_process_resident_memory_bytes")).toBe(262144000);
    expect(metricValue(text, "commons_outbox_pending", { queue: "mail" })).toBe(12);
    expect(metricValue(text, "commons_http_request_duration_seconds_count", { status_class: "5xx" })).toBe(4);
  });

  it("answers undefined for a series that is not there (not 0: a gauge left out of a scrape is not empty), and never matches a longer name", () => {
    expect(metricValue(text, "commons_outbox_dead", { queue: "mail" })).toBeUndefined();
    expect(metricValue(text, "commons_outbox_pending", { queue: "webhook" })).toBeUndefined();
    expect(metricValue(text, "commons_process_resident_memory")).toBeUndefined();
    expect(metricValue('commons_outbox_pending{queue="search"} 0', "commons_outbox_pending", { queue: "search" })).toBe(0);
  });
});

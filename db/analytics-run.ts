import { parseArgs } from "node:util";
import { createDb } from "./client.server.ts";
import { runPeopleAnalytics } from "#app/features/analytics/job.server.ts";
import { BETWEENNESS_SAMPLES, DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from "#app/features/analytics/params.ts";
import { InputError } from "#app/lib/errors.ts";
import { startedDirectly } from "./script.ts";

/**
 * Runs the people analytics (the SNA job) once, as the scheduler does every night:
 * `npm run analytics:run -- [--window-days 90] [--samples 256]`. Prints the run's figures. Exit
 * codes: 1 the run failed (the run row says why), 2 refused (bad arguments, or a run already in
 * progress).
 */

const USAGE = "usage: npm run analytics:run -- [--window-days <1-3650>] [--samples <n>]";

export function parseAnalyticsArgs(argv: string[]): { windowDays: number; samples: number } {
  const { values } = parseArgs({ args: argv, options: { "window-days": { type: "string" }, samples: { type: "string" } }, strict: true });
  const whole = (name: string, text: string | undefined, fallback: number, max: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > max) throw new InputError(`--${name} needs a whole number from 1 to ${max}, not "${text}"\n${USAGE}`);
    return n;
  };
  return {
    windowDays: whole("window-days", values["window-days"], DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS),
    samples: whole("samples", values.samples, BETWEENNESS_SAMPLES, 100_000),
  };
}

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("analytics:run needs DATABASE_URL");
    process.exit(1);
  }
  let options;
  try {
    options = parseAnalyticsArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const db = createDb(url, { max: 2 });
  try {
    const run = await runPeopleAnalytics(db, options);
    process.stdout.write(
      `run ${run.runId}: ${run.people.toLocaleString("en")} people, ${run.interactions.toLocaleString("en")} interactions, ${run.edges.toLocaleString("en")} pairs, ` +
        `${(run.durationMs / 1000).toFixed(1)} s, worker peak ${run.peakHeapMb ?? "–"} MB\n`,
    );
  } catch (error) {
    console.error(`analytics:run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof InputError ? 2 : 1;
  } finally {
    await db.close();
  }
}

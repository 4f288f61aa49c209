/**
 * The SNA job at scale, for `npm run bench` (docs/people-analytics.md): runs the people analytics
 * once on the bench's database, as the nightly job does (PostgreSQL builds the graph, a worker
 * thread computes it), and returns its figures. The window defaults to the generator's whole
 * history (three years), so 100,000 generated questions give 10,000 people and about 1.6 million
 * interactions.
 */
import { createDb } from "../db/client.server.ts";
import { runPeopleAnalytics } from "../app/features/analytics/job.server.ts";

export type AnalyticsFigures = {
  durationMs: number;
  /** The worker's peak: its heap, the arrays it made and the graph handed to it. */
  peakHeapMb: number;
  /** The whole process's resident memory, at its highest while the job ran (sampled every 50 ms). */
  processPeakRssMb: number;
  people: number;
  interactions: number;
  edges: number;
};

export async function benchAnalytics(databaseUrl: string, options: { windowDays?: number; samples?: number } = {}): Promise<AnalyticsFigures> {
  const db = createDb(databaseUrl, { max: 2 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const run = await runPeopleAnalytics(db, { windowDays: options.windowDays ?? 1200, ...(options.samples ? { samples: options.samples } : {}) });
    return {
      durationMs: run.durationMs,
      peakHeapMb: run.peakHeapMb ?? 0,
      processPeakRssMb: Math.round(peakRss / 2 ** 20),
      people: run.people,
      interactions: run.interactions,
      edges: run.edges,
    };
  } finally {
    clearInterval(sampler);
    await db.close();
  }
}

import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export type PacedResult = { latencies: number[]; errors: number; redirects: number; bytes: number; seconds: number };

/**
 * Open-loop load for the moderate-load rows: GETs `paths` in turn at an even `rate` per second for
 * `seconds`, over at most `connections` keep-alive connections. Each latency runs from the moment
 * the request was due, not from when a connection was free, so waiting behind other requests
 * counts as a reader would feel it. (autocannon's own rate limit sends each second's requests
 * together, which measures bursts, not a steady moderate load.)
 */
export async function paced(
  url: string,
  paths: string[],
  options: { rate: number; seconds: number; connections: number; headers?: Record<string, string>; failed?: (body: string) => boolean },
): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const base = new URL(url);
  const result: PacedResult = { latencies: [], errors: 0, redirects: 0, bytes: 0, seconds: 0 };
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const start = performance.now();
  const inFlight: Array<Promise<void>> = [];
  const one = (path: string, due: number) =>
    new Promise<void>((resolve) => {
      const request = http.get({ agent, host: base.hostname, port: base.port, path, headers: options.headers ?? {} }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          result.latencies.push(performance.now() - due);
          const body = Buffer.concat(chunks);
          result.bytes += body.byteLength;
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) result.redirects++;
          else if (status < 200 || status >= 400 || options.failed?.(body.toString("utf8"))) result.errors++;
          resolve();
        });
        response.on("error", () => {
          result.errors++;
          resolve();
        });
      });
      request.on("error", () => {
        result.errors++;
        resolve();
      });
    });
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(one(paths[i % paths.length]!, due));
  }
  await Promise.all(inFlight);
  result.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return result;
}

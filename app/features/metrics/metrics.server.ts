import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";
import { createDbGauges } from "./gauges.server.ts";
import { registerHeapAfterGc } from "./heap.server.ts";
import { methodLabel, routeLabel, statusClass } from "./route-label.ts";
import { databaseUnavailable, RETRY_AFTER_SECONDS } from "../../../server/route-errors.ts";

/**
 * Prometheus metrics (issue 21, docs/metrics.md): a timer on every request, and the /metrics
 * handler. The metrics live in a registry of their own (not prom-client's global one), so two
 * servers in one process (the tests) never mix their numbers.
 *
 * /metrics is off (404) unless METRICS_TOKEN is set; then it wants `Authorization: Bearer <token>`.
 * It is mounted before the same-origin check and reads no session: Prometheus is not a browser.
 */

export const METRICS_PATH = "/metrics";

/** How long one gauge query may run before it is cancelled and left out of the scrape. */
const QUERY_TIMEOUT_MS = 2_000;

/** Seconds: from a few milliseconds (a cached page) to the 10 s beyond which a request has failed anyway. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsOptions {
  /** Per gauge query (default 2 seconds, well inside Prometheus's default 10 s scrape timeout). */
  queryTimeoutMs?: number;
}

export function createMetrics(deps: ServiceDeps, options: MetricsOptions = {}): { requestTimer: RequestHandler; handler: RequestHandler; registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "commons_" });
  registerHeapAfterGc(registry);

  const duration = new Histogram({
    name: "commons_http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its response, by route pattern (never the raw path), method and status class.",
    labelNames: ["method", "route", "status_class"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const gauges = createDbGauges(deps.db, registry, deps.log, { queryTimeoutMs: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS });
  const expected = deps.env.METRICS_TOKEN ? digest(deps.env.METRICS_TOKEN) : undefined;

  const requestTimer: RequestHandler = (req, res, next) => {
    // The scrapes themselves are not traffic.
    if (req.path === METRICS_PATH) return next();
    // Read now: by the time the response ends, a mounted router may have rewritten req.path.
    const path = req.path;
    const stop = duration.startTimer();
    let recorded = false;
    const record = (status: string) => {
      if (recorded) return;
      recorded = true;
      stop({ method: methodLabel(req.method), route: routeLabel(path, expressRoute(req)), status_class: status });
    };
    res.once("finish", () => record(statusClass(res.statusCode)));
    // A client gone before the end (or a live stream it closed) still counts: as its status when
    // one was sent, as "aborted" when it left before any answer.
    res.once("close", () => record(res.headersSent ? statusClass(res.statusCode) : "aborted"));
    next();
  };

  const handler: RequestHandler = (req, res) => {
    if (!expected) {
      res.status(404).type("text/plain").send("Not found");
      return;
    }
    res.set("Cache-Control", "no-store");
    const presented = bearer(req.get("authorization"));
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("Unauthorized: send Authorization: Bearer <METRICS_TOKEN>.");
      return;
    }
    void scrape().then(
      (text) => void res.type(registry.contentType).send(text),
      (error: unknown) => {
        // The database is away (restarting): a scrape that fails now is worth trying at the next interval.
        if (databaseUnavailable(error)) {
          res.status(503).set("Retry-After", String(RETRY_AFTER_SECONDS)).type("text/plain").send("The database is unreachable just now; the metrics will be back when it is.");
          return;
        }
        deps.log.error({ err: error }, "metrics: the scrape failed");
        res.status(500).type("text/plain").send("The metrics could not be collected; the log says why.");
      },
    );
  };

  async function scrape(): Promise<string> {
    await gauges.refresh();
    return registry.metrics();
  }

  return { requestTimer, handler, registry };
}

/** Hashing both sides first gives timingSafeEqual equal lengths, so a token's length leaks nothing either. */
function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** The pattern of the Express route that answered, when one did (the services' own routers). */
function expressRoute(req: Request): string | undefined {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === "string" ? route.path : undefined;
}

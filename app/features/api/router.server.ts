import { Router } from "express";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";

/** The REST API, /api/v1 (issue 21). Mounted by server/main.ts before the same-origin check: it authenticates with bearer tokens, never cookies. */
export function createApiRouter(_deps: ServiceDeps): Router {
  return Router();
}

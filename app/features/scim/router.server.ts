import { Router } from "express";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";

/** SCIM 2.0, /scim/v2 (issue 21). Mounted by server/main.ts before the same-origin check: it authenticates with bearer tokens, never cookies. */
export function createScimRouter(_deps: ServiceDeps): Router {
  return Router();
}

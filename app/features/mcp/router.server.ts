import { Router } from "express";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";

/** The MCP server, /mcp (issue 21). Mounted by server/main.ts before the same-origin check: it authenticates with bearer tokens, never cookies. */
export function createMcpRouter(_deps: ServiceDeps): Router {
  return Router();
}

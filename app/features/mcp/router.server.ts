import { randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { type Request, type Response, Router } from "express";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";
import { authenticateBearer, consumeRate, createApiRateLimiter } from "#app/features/api-tokens/tokens.server.ts";
import type { Logger } from "../../../server/logger.ts";
import { databaseUnavailable, RETRY_AFTER_SECONDS } from "../../../server/route-errors.ts";
import { createMcpServer } from "./server.server.ts";

/**
 * The MCP server, /mcp (issue 21; docs/mcp.md). Mounted by server/main.ts before the same-origin
 * check: it authenticates with bearer tokens, never cookies.
 *
 * Every request is authenticated before any MCP handling (401 with `WWW-Authenticate` otherwise),
 * then counted against the token's rate limit, shared by every instance through PostgreSQL. The
 * server is stateless: each POST gets a new McpServer and transport (no session id, nothing kept
 * in memory between requests), so any instance answers any call and a restart loses nothing.
 * Answers are plain JSON rather than a stream: no tool sends progress, and proxies handle JSON
 * better. GET (a stream of server-initiated messages) and DELETE (ending a session) have nothing
 * to do here and answer 405, as the transport specification allows.
 */

export type McpRouterOptions = {
  /** Search index name prefix (tests use their own indexes). */
  searchPrefix?: string;
  /** Requests per token per minute (the REST API's figure unless given). */
  requestsPerMinute?: number;
};

/** A JSON-RPC error answered outside MCP handling (no request id is known yet). */
function rpcError(res: Response, status: number, code: number, message: string) {
  res.status(status).json({ jsonrpc: "2.0", error: { code, message }, id: null });
}

/**
 * A header value Node will send: HTTP headers are ASCII, and the token module's messages are
 * written for people ("Settings → API tokens"). The body carries the message as written.
 */
function headerSafe(value: string): string {
  return value.replaceAll("→", "->").replace(/[^\x20-\x7e]/g, "");
}

export function createMcpRouter(deps: ServiceDeps, options: McpRouterOptions = {}): Router {
  const router = Router();
  const limiter = createApiRateLimiter(deps.db, { keyPrefix: "mcp", points: options.requestsPerMinute ?? deps.env?.API_REQUESTS_PER_MINUTE });

  router.all("/", async (req: Request, res: Response) => {
    const requestId: string = typeof res.locals.requestId === "string" ? res.locals.requestId : randomUUID();
    const log: Logger = (res.locals.log as Logger | undefined) ?? deps.log.child({ requestId });
    try {
      await handle(req, res, requestId, log);
    } catch (error) {
      // The database is away (restarting): nothing was done, and the same call is worth sending again.
      if (databaseUnavailable(error)) {
        log.warn({ err: error }, "MCP request refused: the database is unreachable");
        if (!res.headersSent) rpcError(res.set("Retry-After", String(RETRY_AFTER_SECONDS)), 503, -32603, "Commons cannot reach its database just now. Try again in a few seconds.");
        return;
      }
      log.error({ err: error }, "MCP request failed");
      if (!res.headersSent) rpcError(res, 500, -32603, `Internal error (request ${requestId}).`);
    }
  });

  async function handle(req: Request, res: Response, requestId: string, log: Logger) {
    const auth = await authenticateBearer(deps.db, req.get("authorization"));
    if (!auth.ok) {
      res.set("WWW-Authenticate", headerSafe(auth.wwwAuthenticate));
      rpcError(res, auth.status, -32001, auth.error);
      return;
    }

    let rate: Awaited<ReturnType<typeof consumeRate>> | null = null;
    try {
      rate = await consumeRate(limiter, String(auth.token.id));
    } catch (error) {
      // The limiter's store failing must not take the service down with it.
      log.warn({ err: error }, "MCP rate limiter unavailable: the request goes through uncounted");
    }
    if (rate) {
      res.set("RateLimit-Limit", String(rate.limit));
      if (!rate.ok) {
        res.set("Retry-After", String(rate.retryAfterSeconds));
        rpcError(res, 429, -32002, `Too many requests with this token: at most ${rate.limit} a minute. Try again in ${rate.retryAfterSeconds} s.`);
        return;
      }
      res.set("RateLimit-Remaining", String(rate.remaining));
      res.set("RateLimit-Reset", String(rate.resetSeconds));
    }

    if (req.method !== "POST") {
      res.set("Allow", "POST");
      rpcError(res, 405, -32000, "Method not allowed: this MCP server is stateless; send each JSON-RPC message with POST.");
      return;
    }

    const server = createMcpServer({ db: deps.db, search: deps.search, log, user: auth.user, token: auth.token, searchPrefix: options.searchPrefix ?? "", requestId });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    // The transport reads the body itself (a malformed one is its JSON-RPC parse error, a 400).
    await transport.handleRequest(req, res);
  }

  return router;
}

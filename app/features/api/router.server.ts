import { randomUUID } from "node:crypto";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { RateLimiterPostgres } from "rate-limiter-flexible";
import { z } from "zod";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";
import { authenticateBearer, consumeRate, createApiRateLimiter } from "#app/features/api-tokens/tokens.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import type { Logger } from "../../../server/logger.ts";
import { databaseUnavailable, RETRY_AFTER_SECONDS } from "../../../server/route-errors.ts";
import { type AnyEndpoint, ApiError, CursorError } from "./endpoint.server.ts";
import { apiEndpoints } from "./endpoints.server.ts";
import { apiIndex, openApiDocument } from "./openapi.server.ts";

/**
 * The REST API, /api/v1 (issue 21). Mounted by server/main.ts before the same-origin check: it
 * authenticates with bearer tokens, never cookies, so a browser's session opens nothing here.
 *
 * Each endpoint of the list (endpoints.server.ts) is served the same way: the token is checked
 * (401 with `WWW-Authenticate`, 403 for a read token on a write endpoint), the token's rate is
 * counted in PostgreSQL (shared by every instance; 429 with `Retry-After`), params, query and
 * body are parsed with the endpoint's zod schemas (400 with a message per field), the handler runs
 * as the token's owner, and its result is sent through the response schema, so nothing the
 * document does not promise goes out. Every error has one shape: `{ error: { code, message } }`.
 */

export interface ApiRouterOptions {
  /** The endpoints to serve (the app's list by default). */
  endpoints?: readonly AnyEndpoint[];
  /** Requests per token per window, and the window (tests lower them). */
  rateLimit?: { points?: number; durationSeconds?: number };
}

type ErrorCode =
  "invalid_request" | "invalid_json" | "invalid_cursor" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "too_large" | "rate_limited" | "internal" | string;

function sendError(res: Response, status: number, code: ErrorCode, message: string, extra: { fields?: Record<string, string>; requestId?: string } = {}) {
  res.status(status).json({ error: { code, message, ...extra } });
}

/** Zod's issues as one message per field (`title`, `tags`, `limit`); a problem with the whole value is under "". */
function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    fields[key] ??= issue.message;
  }
  return fields;
}

/** PostgreSQL cannot store NUL in text, and no one types it: removed from every string of a request, as the forms do. */
function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\0") ? value.replaceAll("\0", "") : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll("\0", ""), withoutNul(v)]));
  return value;
}

/** "/questions/{id}" → "/questions/:id" (Express's syntax). */
function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

const EMPTY = z.object({});

export function createApiRouter(deps: ServiceDeps, options: ApiRouterOptions = {}): Router {
  const endpoints = options.endpoints ?? apiEndpoints;
  const router = Router();
  // Made on first use: building it reads nothing but the schemas, yet the app's start need not wait for it.
  let limiter: RateLimiterPostgres | undefined;
  const rateLimiter = () =>
    (limiter ??= createApiRateLimiter(deps.db, { points: options.rateLimit?.points ?? deps.env?.API_REQUESTS_PER_MINUTE, durationSeconds: options.rateLimit?.durationSeconds }));

  const requestIdOf = (res: Response): string => (res.locals.requestId as string | undefined) ?? (res.locals.requestId = randomUUID());
  const logOf = (res: Response): Logger => (res.locals.log as Logger | undefined) ?? deps.log;

  router.use(express.json({ limit: "1mb" }));

  // Not secret: what the API serves and how to call it. No token needed.
  router.get("/", (_req, res) => {
    res.set("Cache-Control", "public, max-age=300").json(apiIndex(endpoints));
  });
  router.get("/openapi.json", (_req, res) => {
    res.set("Cache-Control", "public, max-age=300").json(openApiDocument(deps.env.APP_URL));
  });

  for (const endpoint of endpoints) {
    const path = expressPath(endpoint.path);
    router[endpoint.method](path, async (req, res) => {
      res.set("Cache-Control", "no-store");
      const log = logOf(res);
      try {
        const auth = await authenticateBearer(deps.db, req.get("authorization"), endpoint.scope);
        if (!auth.ok) {
          res.set("WWW-Authenticate", auth.wwwAuthenticate);
          sendError(res, auth.status, auth.status === 401 ? "unauthorized" : "forbidden", auth.error);
          return;
        }

        let rate: Awaited<ReturnType<typeof consumeRate>> | null = null;
        try {
          rate = await consumeRate(rateLimiter(), `token:${auth.token.id}`);
        } catch (error) {
          // The limiter's store failing must not take the API down with it: the request goes through.
          log.warn({ err: error }, "api rate limiter unavailable: request let through");
        }
        if (rate && !rate.ok) {
          res.set({ "Retry-After": String(rate.retryAfterSeconds), "RateLimit-Limit": String(rate.limit), "RateLimit-Remaining": "0", "RateLimit-Reset": String(rate.retryAfterSeconds) });
          sendError(res, 429, "rate_limited", `Too many requests for this token: at most ${rate.limit} a minute. Try again in ${rate.retryAfterSeconds} seconds.`);
          return;
        }
        if (rate) res.set({ "RateLimit-Limit": String(rate.limit), "RateLimit-Remaining": String(rate.remaining), "RateLimit-Reset": String(rate.resetSeconds) });

        if (endpoint.body && (req.body === undefined || req.body === null || typeof req.body !== "object" || Array.isArray(req.body))) {
          sendError(res, 400, "invalid_request", "Send the body as a JSON object, with Content-Type: application/json.");
          return;
        }
        const params = (endpoint.params ?? EMPTY).safeParse(withoutNul(req.params));
        const query = (endpoint.query ?? EMPTY).safeParse(withoutNul(req.query));
        const body = endpoint.body ? endpoint.body.safeParse(withoutNul(req.body)) : { success: true as const, data: undefined };
        const failed = [params, query, body].filter((r) => !r.success).map((r) => (r as { error: z.ZodError }).error);
        if (failed.length > 0) {
          const fields = Object.assign({}, ...failed.map(fieldMessages)) as Record<string, string>;
          sendError(res, 400, "invalid_request", "Some of what was sent is not valid: see fields.", { fields });
          return;
        }

        const result = await endpoint.handler(
          { db: deps.db, search: deps.search, log, user: auth.user, scope: auth.token.scope, searchPrefix: deps.searchPrefix ?? "" },
          { params: params.data, query: query.data, body: body.data },
        );
        const sent = endpoint.response.safeParse(result);
        if (!sent.success) throw new Error(`${endpoint.operationId} answered outside its response schema: ${sent.error.message}`);
        res.status(endpoint.status ?? 200).json(sent.data);
      } catch (error) {
        answerError(res, error, log, requestIdOf(res));
      }
    });
  }

  // A known path with another method: 405, naming the ones it takes.
  const methodsByPath = new Map<string, string[]>();
  for (const endpoint of endpoints) methodsByPath.set(endpoint.path, [...(methodsByPath.get(endpoint.path) ?? []), endpoint.method.toUpperCase()]);
  for (const [path, methods] of methodsByPath) {
    router.all(expressPath(path), (_req, res) => {
      res.set("Allow", [...new Set([...methods, ...(methods.includes("GET") ? ["HEAD"] : [])])].join(", "));
      sendError(res, 405, "method_not_allowed", `This path takes ${methods.join(", ")} only.`);
    });
  }

  router.use((req, res) => {
    sendError(res, 404, "not_found", `There is no ${req.method} ${req.baseUrl}${req.path} in this API: see ${req.baseUrl}/openapi.json.`);
  });

  // What reaches here comes from the JSON body parser, or from a bug.
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string } | null)?.type;
    if (type === "entity.parse.failed") return sendError(res, 400, "invalid_json", "The body is not valid JSON.");
    // Issue 23 (found by the fuzzer): a path param with a malformed %-escape (`/questions/%C0%AF`), which Express cannot decode.
    if (error instanceof URIError) return sendError(res, 400, "invalid_request", "The path is not valid: one of its %-escapes does not decode.");
    if (type === "entity.too.large") return sendError(res, 413, "too_large", "The body is over 1 MB.");
    if (type === "encoding.unsupported" || type === "charset.unsupported") return sendError(res, 415, "unsupported_media_type", "Send the body as UTF-8 JSON.");
    answerError(res, error, logOf(res), requestIdOf(res));
  });

  return router;
}

/** The answer for an error a handler threw: the typed ones as their status, anything else a logged 500 without details. */
function answerError(res: Response, error: unknown, log: Logger, requestId: string) {
  if (res.headersSent) {
    log.error({ err: error }, "api error after the answer started");
    return;
  }
  if (error instanceof InputError) {
    const fields = Object.fromEntries(Object.entries(error.fieldErrors).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    return sendError(res, 400, "invalid_request", error.message, Object.keys(fields).length > 0 ? { fields } : {});
  }
  if (error instanceof CursorError) return sendError(res, 400, "invalid_cursor", error.message);
  if (error instanceof NotFoundError) return sendError(res, 404, "not_found", "Not found.");
  if (error instanceof ForbiddenError) return sendError(res, 403, "forbidden", error.message);
  if (error instanceof ApiError) return sendError(res, error.status, error.code, error.message);
  // The database is away (restarting): nothing was done, and the same request is worth sending again.
  if (databaseUnavailable(error)) {
    log.warn({ err: error, requestId }, "api request refused: the database is unreachable");
    res.set("Retry-After", String(RETRY_AFTER_SECONDS));
    return sendError(res, 503, "unavailable", "Commons cannot reach its database just now. Try again in a few seconds.");
  }
  log.error({ err: error, requestId }, "api request failed");
  sendError(res, 500, "internal", "Something went wrong on our side. Quote this request id if you report it.", { requestId });
}

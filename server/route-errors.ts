import { data, type ServerBuild } from "react-router";
import { errorResponse } from "../app/lib/errors.ts";

/**
 * The React Router build with every route's loader and action answering a NotFoundError or a
 * ForbiddenError that escapes it as a 404 or a 403 (app/lib/errors.ts): features throw the typed
 * errors, callers catch them with `instanceof`, and the one error boundary renders the status with
 * the message. An error that says the database cannot be reached (it is restarting, or gone)
 * answers 503 with Retry-After, which the error boundary shows as "back in a moment". React Router
 * itself answers any other Error with a 500.
 */
export function withTypedErrors(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const { loader, action } = route.module;
    routes[id] = {
      ...route,
      module: { ...route.module, ...(loader ? { loader: converting(loader) } : {}), ...(action ? { action: converting(action) } : {}) },
    };
  }
  return { ...build, routes };
}

function converting<F extends (...args: never[]) => unknown>(handler: F): F {
  const wrapped = async (...args: Parameters<F>) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw errorResponse(error) ?? unavailableResponse(error) ?? error;
    }
  };
  return wrapped as unknown as F;
}

/** How long a client should wait before trying again while the database is away: a restart of the embedded one takes a few seconds. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Errors that say the database cannot be reached, as postgres.js reports them: the connection was
 * refused, closed or timed out (a server that died or is restarting; ENOENT is the Unix socket of
 * one that is not running), or PostgreSQL is shutting down or still recovering (SQLSTATE 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, and class 08, connection
 * exceptions). Not a bug in the request: the same request is worth trying again later.
 */
const DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOENT", "EPIPE", "ETIMEDOUT"]);

function unreachable(error: Error): boolean {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof code !== "string") return false;
  if (DRIVER_CODES.has(code)) return true;
  // The server's own answers: only from PostgreSQL, so another library's "08…" is not mistaken for one.
  if (error.name === "PostgresError") return code.startsWith("57P0") || code.startsWith("08");
  // A socket's errors, not a file's: a missing upload (ENOENT from open) is no outage.
  return SOCKET_CODES.has(code) && (syscall === "connect" || syscall === "read" || syscall === "write");
}

/**
 * Whether `error` says the database is unreachable. Drizzle wraps the driver's error in a
 * DrizzleQueryError (the query and its params, the driver's error as the cause): that one is
 * looked through, nothing else is, so a search that failed to connect to Meilisearch is not taken
 * for the database.
 */
export function databaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    if (unreachable(current)) return true;
    if (!("query" in current && "params" in current)) return false;
    current = current.cause;
  }
  return false;
}

/** The 503 for a route whose database is away, or undefined for any other error. */
function unavailableResponse(error: unknown) {
  if (!databaseUnavailable(error)) return undefined;
  return data("Commons cannot reach its database just now.", { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } });
}

import { randomBytes, randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { requestContext } from "../app/lib/request-context.server.ts";
import type { Logger } from "./logger.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Gives every request an id (kept from X-Request-Id when sane), a child logger, and one access log line. */
export function requestLogging(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.locals.log = log.child({ requestId });
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) res.locals.log.error(line, "request failed");
      else res.locals.log.info(line, "request");
    });
    // What runs for this request can ask for its id (the audit log does) without being handed it.
    requestContext.run({ requestId }, next);
  };
}

/** The origin this app is served from: APP_URL when configured, else the request's own host. */
export function expectedOrigin(req: Request, appUrl: string | undefined): string {
  if (appUrl) return new URL(appUrl).origin;
  return `${req.protocol}://${req.get("host")}`;
}

/**
 * Every state-changing request must come from our own pages: browsers send Origin on every
 * non-GET request, so a missing or foreign Origin is refused before anything runs.
 */
export function sameOriginOnly(appUrl: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    if (origin && origin === expectedOrigin(req, appUrl)) return next();
    res.status(403).type("text/plain").send("Forbidden: this request did not come from a Commons page (cross-origin or missing Origin header).");
  };
}

/**
 * A NUL byte in a URL is never part of a real link, and PostgreSQL cannot store it in text: refuse
 * it up front with a 400 rather than let it reach a query. (Form bodies are cleaned in readForm.)
 */
export function refuseNulInUrl(req: Request, res: Response, next: NextFunction) {
  if (req.originalUrl.includes("%00")) {
    res.status(400).type("text/plain").send("Bad request: the address contains a NUL character.");
    return;
  }
  next();
}

/**
 * Baseline security headers for every response. In production a Content-Security-Policy allows
 * only our own scripts plus the inline ones React Router renders, which carry this request's nonce
 * (res.locals.cspNonce, handed to the app through the load context). Development skips the policy:
 * Vite injects its own inline scripts and a websocket.
 */
export function securityHeaders(options: { csp: boolean }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    if (options.csp) {
      res.setHeader(
        "Content-Security-Policy",
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'`,
          // Inline style attributes only; no inline <style> is needed, but attributes are harmless.
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "font-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "frame-ancestors 'none'",
        ].join("; "),
      );
    }
    next();
  };
}

/**
 * The most a request body may carry: forms are a few kilobytes (an answer's markdown tops out far
 * below this). A route that takes uploads will get a larger limit of its own.
 */
export const FORM_BODY_LIMIT = 1024 * 1024;

/**
 * Refuses request bodies over `maxBytes` with a 413 before anything reads them: at once when
 * Content-Length says so, and otherwise (chunked bodies have no length) by counting bytes as they
 * arrive, so the app's body reader never holds more than the limit. React Router reads the body
 * itself through a "data" listener on the request; ours goes in front of it when it is added, so
 * a body nobody reads is never pulled in, and a body over the limit ends in an error rather than
 * a truncated body that would parse as a complete one.
 */
export function limitRequestBody(maxBytes: number | ((req: Request) => number) = FORM_BODY_LIMIT) {
  return (req: Request, res: Response, next: NextFunction) => {
    // React Router hands GET and HEAD bodies to no one.
    if (req.method === "GET" || req.method === "HEAD") return next();
    const limit = typeof maxBytes === "function" ? maxBytes(req) : maxBytes;
    const declared = Number(req.get("content-length"));
    if (Number.isFinite(declared) && declared > limit) {
      refuseTooLarge(req, res, limit);
      return;
    }
    let received = 0;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return;
      req.off("data", count);
      refuseTooLarge(req, res, limit);
      // The reader gets an error, not an end: what it has so far must not pass for the whole form.
      if (req.listenerCount("error") > 0) req.emit("error", new PayloadTooLargeError(limit));
    };
    const watch = (event: string | symbol) => {
      if (event !== "data") return;
      req.off("newListener", watch);
      req.prependListener("data", count);
    };
    req.on("newListener", watch);
    next();
  };
}

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

/**
 * The 413 itself, in the form the caller reads: JSON for /api and JSON clients, a small page for
 * browsers, plain text otherwise. The connection closes after it, so the rest of the body is not read.
 */
function refuseTooLarge(req: Request, res: Response, limit: number) {
  if (res.headersSent) return;
  const message = `This request is too large: Commons accepts at most ${formatBytes(limit)} per form. Shorten the text and try again.`;
  res.status(413).set("Connection", "close");
  res.locals.log?.warn({ method: req.method, path: req.path, limit }, "request body over the limit: refused");
  const wantsJson = req.path.startsWith("/api/") || req.accepts(["html", "json"]) === "json";
  if (wantsJson) res.json({ error: message });
  else if (req.accepts("html")) res.type("html").send(tooLargePage(message));
  else res.type("text/plain").send(message);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function tooLargePage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Request too large · Commons</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<main>
<h1>Request too large</h1>
<p>${message}</p>
<p>Use your browser's Back button to return to your form: it usually keeps what you typed. <a href="/">Commons home</a></p>
</main>
</body>
</html>`;
}

/**
 * The last handler of the app: an error that escapes every route (Express's own, such as a
 * malformed %-escape in a path, which it cannot decode into the route's params) answers with its
 * 4xx status, or a 500, in one plain line. Never Express's default page, which shows the stack
 * trace outside production (issue 23: found by the fuzzer).
 */
export function answerUnhandledErrors(log: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const message = status === 400 ? "Bad request: the address or the body could not be read." : "The request was refused.";
      res.status(status).type("text/plain").send(message);
      return;
    }
    ((res.locals.log as Logger | undefined) ?? log).error({ err: error, path: req.path }, "unhandled error");
    res.status(500).type("text/plain").send("Something went wrong on our side. Try again in a moment.");
  };
}

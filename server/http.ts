import { randomBytes, randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
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
    next();
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

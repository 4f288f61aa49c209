import { createServer, type Server } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import { createDb } from "#db/client.server.ts";
import { FORM_BODY_LIMIT, limitRequestBody, refuseNulInUrl, requestLogging, sameOriginOnly } from "../server/http.ts";
import { accountRouter, SESSION_COOKIE, sessionMiddleware } from "./accounts/index.ts";
import { askRouter, ViewCounter } from "./ask/index.ts";
import { assets } from "./assets.ts";
import { PageCache, pageCacheMiddleware } from "./cache.ts";
import type { ForumContext } from "./context.ts";
import type { ForumEnv } from "./env.ts";
import { feedbackRouter } from "./feedback/index.ts";
import type { Logger } from "./logger.ts";
import { badRequest, notFound, pageRouter, serverError } from "./pages.tsx";
// @live
import { createForumLiveHub, liveRouter } from "./live/index.ts";
// @share
import { shareRouter } from "./share/router.ts";
import { canRead } from "./threads.server.ts";

/**
 * The public forum's server: a small express app apart from the internal one (decision 013). It
 * connects as `commons_forum`, a PostgreSQL role that can read the published tables and write the
 * customer-side ones and nothing else, so a bug here cannot show what the forum was never given.
 * Pages are React rendered to static HTML; the one script (the ask form's similar threads) is an
 * extra that every page works without.
 */

export const NOTIFY_CHANNEL = "commons_forum";

export interface RunningForum {
  url: string;
  /** The port it listens on (useful when FORUM_PORT was 0). */
  port: number;
  /** The page cache, for tests and the logs. */
  cache: PageCache;
  stop: () => Promise<void>;
}

const sessionCookiePattern = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`);

/**
 * The forum's security headers. The policy allows no inline script: the pages are plain HTML with
 * plain forms, the JSON-LD block is data (which `script-src` does not stop), and the only script
 * is our own file (forum/public/ask.js), which asks this site for similar threads (`connect-src`).
 * Inline style attributes stay allowed for published bodies (math rendering sets them); they
 * cannot run code.
 */
function forumSecurityHeaders(https: boolean) {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader("Content-Security-Policy", policy);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (https) res.setHeader("Strict-Transport-Security", "max-age=15552000");
    next();
  };
}

export async function startForum({ env, log }: { env: ForumEnv; log: Logger }): Promise<RunningForum> {
  const db = createDb(env.FORUM_DATABASE_URL, { socketPath: env.FORUM_DATABASE_SOCKET });
  const stops: Array<() => Promise<void>> = [() => db.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, "forum: error while stopping"));
    stops.length = 0;
  };

  try {
    const cache = new PageCache();
    const ctx: ForumContext = {
      db,
      env,
      log,
      company: env.COMPANY_NAME,
      baseUrl: env.FORUM_URL,
      invalidate: (threadId) => {
        cache.clear();
        log.debug({ threadId: threadId ?? null }, "forum: page cache cleared");
      },
    };

    // Publishing, republishing and withdrawing a thread NOTIFY this channel from the app's
    // transaction (the payload is the thread's id). A reconnect may have missed some: clear then too.
    const listener = await db.$client.listen(
      NOTIFY_CHANNEL,
      (payload) => ctx.invalidate(Number(payload) || undefined),
      () => cache.clear(),
    );
    stops.push(() => listener.unlisten());
    // @live
    // Live sessions' Server-Sent Events (forum/live): one LISTEN on commons_live for every reader.
    const live = createForumLiveHub(db, (error) => log.warn({ err: error }, "forum live: could not load a session's state"));
    await live.start();
    stops.push(() => live.stop());

    const { css, js, icon } = assets();
    const app = express();
    app.disable("x-powered-by");
    // ETags are the page cache's own (a hash of what it stores); express would hash every page again.
    app.set("etag", false);
    app.set("trust proxy", env.TRUST_PROXY);
    app.use(requestLogging(log));
    app.use(forumSecurityHeaders(env.FORUM_URL.startsWith("https://")));
    app.use(limitRequestBody(FORM_BODY_LIMIT));
    app.use(refuseNulInUrl);
    app.use(sameOriginOnly(env.FORUM_URL));

    app.get(css.url, (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.type(css.type).send(css.body);
    });
    app.get(js.url, (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.type(js.type).send(js.body);
    });
    app.get(icon.url, (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=86400");
      res.type(icon.type).send(icon.body);
    });
    // As the app's: /healthz says the process serves, /readyz that its database answers (as the forum's role).
    app.get("/healthz", (_req, res) => {
      res.setHeader("Cache-Control", "no-store");
      res.json({ status: "ok" });
    });
    app.get("/readyz", async (_req, res) => {
      res.setHeader("Cache-Control", "no-store");
      try {
        await canRead(db);
        res.json({ status: "ready", database: "ok" });
      } catch (error) {
        log.warn({ err: error }, "forum: not ready (database)");
        res.status(503).json({ status: "not ready", database: "unreachable" });
      }
    });

    // @share
    // Personal share links (forum/share): redirected and counted before the cache and the session, never cached or tied to one.
    app.use(shareRouter(ctx));
    // Thread page views are counted before the cache answers, so cached pages count too.
    const views = new ViewCounter(db, log);
    views.start();
    stops.push(() => views.stop());
    app.use(views.middleware());
    // Anonymous readers are answered from the cache before anything else runs.
    app.use(pageCacheMiddleware(cache, (req) => sessionCookiePattern.test(req.headers.cookie ?? "")));
    app.use(sessionMiddleware(ctx));
    // @live
    app.use(liveRouter(ctx, live));
    app.use(accountRouter(ctx));
    app.use(feedbackRouter(ctx));
    app.use(askRouter(ctx));
    app.use(pageRouter(ctx));
    app.use((req: Request, res: Response) => notFound(req, res, ctx));
    // Errors never show a stack: they go to the log with the request's id.
    app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
      const status = typeof error === "object" && error !== null && "status" in error ? Number((error as { status: unknown }).status) : 500;
      if (res.headersSent) {
        res.end();
        return;
      }
      if (status >= 400 && status < 500) {
        badRequest(req, res, ctx, "The request could not be read. Go back and try again.");
        return;
      }
      ((res.locals.log as Logger | undefined) ?? log).error({ err: error, method: req.method, path: req.path }, "forum: request failed");
      serverError(req, res, ctx);
    });

    const server: Server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(env.FORUM_PORT, env.HOST, () => resolve());
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.FORUM_PORT;
    return { url: env.FORUM_URL, port, cache, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

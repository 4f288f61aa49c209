import express, { type Request, type Response, type Router } from "express";
import { eq, sql } from "drizzle-orm";
import { shareClicks, shareLinks } from "#db/schema/index.ts";
import { SHARE_CODE_PATTERN } from "#app/features/share/codes.ts";
import { utcDay } from "#app/features/share/days.ts";
import type { ForumContext } from "../context.ts";
import type { Logger } from "../logger.ts";
import { notFound } from "../pages.tsx";

/**
 * Employees' personal share links (docs/sharing.md): `GET /s/<code>` sends the reader on to the
 * thread or article and adds one to a counter of (code, UTC day, referring site's host). Nothing
 * else about the click is kept: no path or query of the referrer, no address, user agent or
 * cookie; no session is looked up or made. The forum's role may read only a link's code and
 * target, never whose link it is. It is mounted before the page cache and the session middleware,
 * and the access log line (server/http.ts) holds the method, path, status and time only.
 */

/** Hostnames are at most 253 characters; anything longer is not a real referrer. */
const HOST_MAX = 253;

/** The referring site's host, lower-cased: "" when there is none, it can't be read, or it is the forum itself. */
export function referrerHost(referer: string | undefined, ownHost: string): string {
  if (!referer) return "";
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return "";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "";
  const host = url.hostname.toLowerCase();
  if (host === "" || host.length > HOST_MAX || host === ownHost) return "";
  return host;
}

export function shareRouter(ctx: ForumContext): Router {
  const router = express.Router();
  const ownHost = new URL(ctx.baseUrl).hostname.toLowerCase();

  // Express answers HEAD with this handler too: a HEAD (a link preview's probe) is redirected but not counted.
  router.get("/s/:code", async (req: Request, res: Response) => {
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    const code = typeof req.params.code === "string" ? req.params.code : "";
    if (!SHARE_CODE_PATTERN.test(code)) return notFound(req, res, ctx);
    const [link] = await ctx.db.select({ code: shareLinks.code, target: shareLinks.target }).from(shareLinks).where(eq(shareLinks.code, code));
    const location = link ? destination(link.target, ctx.baseUrl) : null;
    if (!link || !location) return notFound(req, res, ctx);
    if (req.method === "GET") await countClick(ctx, code, referrerHost(req.get("referer"), ownHost), res.locals.log as Logger | undefined);
    res.redirect(302, location);
  });

  return router;
}

/** A forum path goes to the forum; an article's https address as it is. Anything else is no link (never an open redirect to another scheme). */
function destination(target: string, baseUrl: string): string | null {
  if (target.startsWith("/") && !target.startsWith("//")) return baseUrl + target;
  if (target.startsWith("https://")) return target;
  return null;
}

/**
 * One more click for (code, today in UTC, host). It is awaited, so the count is written when the
 * reader arrives, but a failure is only logged: the redirect goes out whatever happens here.
 */
async function countClick(ctx: ForumContext, code: string, host: string, log: Logger | undefined): Promise<void> {
  try {
    await ctx.db
      .insert(shareClicks)
      .values({ code, day: utcDay(new Date()), referrerHost: host, clicks: 1 })
      .onConflictDoUpdate({ target: [shareClicks.code, shareClicks.day, shareClicks.referrerHost], set: { clicks: sql`${shareClicks.clicks} + 1` } });
  } catch (error) {
    (log ?? ctx.log).warn({ err: error }, "forum: a share link's click could not be counted");
  }
}

import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * The forum's page cache. A public page is the same for every anonymous reader, so it is rendered
 * once and kept here: the thread page, the lists, the feeds and the sitemap. An entry lives 60
 * seconds at most, and never past the nearest `expires_at` of what it shows, so an expiring thread
 * disappears on time without any job running. Publishing, republishing and withdrawing send
 * `NOTIFY commons_forum`, which empties the cache (publishing is rare: all of it is simplest);
 * a customer's comment empties it in-process through `ForumContext.invalidate`.
 *
 * A reader with the session cookie never touches it: their pages carry their own name and forms.
 */

export const MAX_AGE_SECONDS = 60;

interface Entry {
  type: string;
  body: Buffer;
  etag: string;
  /** Epoch ms after which the entry is not served. */
  expires: number;
}

export class PageCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  /** Bumped by every clear: a render that began before it must not store what it read. */
  generation = 0;

  constructor(
    readonly maxEntries = 2000,
    readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get size() {
    return this.entries.size;
  }

  get(key: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.delete(key);
      return undefined;
    }
    // Most recently used last: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry) {
    if (entry.body.length > this.maxBytes / 8) return;
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
    this.generation++;
  }

  private delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}

interface CacheLocals {
  cache: PageCache;
  /** Set for an anonymous GET: the key the response may be stored under, and the cache's generation then. */
  key?: string;
  generation?: number;
}

function etagOf(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/**
 * Browsers and proxies may keep a public page but must ask again each time (`no-cache`): the answer
 * is a 304 from memory when nothing changed, and an unpublished or expired thread is gone for them
 * at once too. A `max-age` would let a browser show a withdrawn thread for as long as it lasted.
 */
function publicCacheControl(): string {
  return "public, no-cache";
}

function matches(req: Request, etag: string): boolean {
  const header = req.get("if-none-match");
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag || tag === "*");
}

/**
 * In front of the pages: answers an anonymous GET from the cache when it can (a 304 when the
 * reader's ETag still matches), and otherwise notes the key the page may be stored under.
 * `hasSession` says whether the request carries the forum's session cookie.
 */
export function pageCacheMiddleware(cache: PageCache, hasSession: (req: Request) => boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const locals: CacheLocals = { cache };
    res.locals.pageCache = locals;
    if ((req.method !== "GET" && req.method !== "HEAD") || hasSession(req)) return next();
    const key = req.originalUrl;
    const now = Date.now();
    const entry = cache.get(key, now);
    if (!entry) {
      locals.key = key;
      locals.generation = cache.generation;
      return next();
    }
    res.setHeader("X-Forum-Cache", "hit");
    writeCached(req, res, entry);
  };
}

function writeCached(req: Request, res: Response, entry: Entry) {
  res.setHeader("Cache-Control", publicCacheControl());
  res.setHeader("ETag", entry.etag);
  res.setHeader("Vary", "Cookie");
  if (matches(req, entry.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type(entry.type).send(entry.body);
}

/**
 * Sends a page. `cacheable` pages (public, the same for every anonymous reader) are stored for the
 * next anonymous reader when this request may fill the cache, with `expiresAt` (the nearest end of
 * a thread the page shows) bounding their life. Everything else is `private, no-store`: a signed-in
 * reader's pages, forms, search results, error pages.
 */
export function sendBody(req: Request, res: Response, options: { status?: number; type: string; body: string; cacheable?: boolean; expiresAt?: Date | null }) {
  const status = options.status ?? 200;
  const locals = res.locals.pageCache as CacheLocals | undefined;
  const body = Buffer.from(options.body, "utf8");
  if (!(options.cacheable && status === 200 && locals?.key !== undefined)) {
    res.setHeader("Cache-Control", "private, no-store");
    res.status(status).type(options.type).send(body);
    return;
  }
  const now = Date.now();
  const until = options.expiresAt ? options.expiresAt.getTime() : Infinity;
  const entry: Entry = { type: options.type, body, etag: etagOf(body), expires: Math.min(now + MAX_AGE_SECONDS * 1000, until) };
  // A NOTIFY that came in while the page was read may describe a change this render missed.
  if (locals.generation === locals.cache.generation && entry.expires > now) locals.cache.set(locals.key!, entry);
  res.setHeader("X-Forum-Cache", "miss");
  writeCached(req, res, entry);
}

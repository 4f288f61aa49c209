import express, { type Request, type Response, type Router } from "express";
import { idParam } from "#app/lib/ids.ts";
import { meTooState } from "./ask/index.ts";
import type { ForumContext } from "./context.ts";
import { threadFeedback, ThreadFeedback } from "./feedback/index.ts";
import { jsonForScript, threadPath, topicPath } from "./format.ts";
import { currentAccount, sendPage } from "./render.tsx";
import { searchForum, FORUM_SEARCH_PAGE_SIZE } from "./search.server.ts";
import { qaPageData, robotsTxt, rssFeed, sitemap } from "./seo.ts";
import { sendBody } from "./cache.ts";
import { FEED_SIZE, nextExpiry, recentThreads, sitemapThreads, threadAnswers, threadById, topicCount, topics } from "./threads.server.ts";
import { HomePage } from "./views/home.tsx";
import { SearchPage } from "./views/search.tsx";
import { BadRequestPage, GonePage, NotFoundPage, ServerErrorPage } from "./views/status.tsx";
import { ThreadPage } from "./views/thread.tsx";
import { TopicPage, TopicsPage } from "./views/topics.tsx";

/**
 * The forum's reading pages: home, topics, threads, search, the feeds, the sitemap and robots.txt.
 * Everything public is `cacheable`: rendered once for anonymous readers and served from the page
 * cache (forum/cache.ts) until it changes, expires or a minute has passed.
 */

const SIDEBAR_TOPICS = 20;
const TOPICS_PER_PAGE = 100;
/** Meilisearch counts no further (the forum index's maxTotalHits). */
const MAX_SEARCH_HITS = 1000;
const RSS_TYPE = "application/rss+xml; charset=utf-8";

/** A query parameter as one string; repeated parameters (`?a=1&a=2`) count as bad input. */
function queryValue(req: Request, name: string): string | undefined | null {
  const value = req.query[name];
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : null;
}

/** `?before=<thread id>`: undefined when absent, NaN when not an id. */
function cursorParam(req: Request): number | undefined {
  const value = queryValue(req, "before");
  return value === undefined ? undefined : idParam(value);
}

/** `?page=<n>` from 1: NaN when not a page number. */
function pageParam(req: Request): number {
  const value = queryValue(req, "page");
  if (value === undefined) return 1;
  if (value === null || !/^\d{1,4}$/.test(value) || Number(value) < 1) return Number.NaN;
  return Number(value);
}

function earliest(...dates: Array<Date | null | undefined>): Date | null {
  const times = dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

export function notFound(req: Request, res: Response, ctx: ForumContext) {
  sendPage(req, res, ctx, { title: "Page not found", status: 404, noindex: true, body: <NotFoundPage /> });
}

export function badRequest(req: Request, res: Response, ctx: ForumContext, message: string) {
  sendPage(req, res, ctx, { title: "Not a valid address", status: 400, noindex: true, body: <BadRequestPage message={message} /> });
}

/** The 500 page; plain text if even the layout fails to render. */
export function serverError(req: Request, res: Response, ctx: ForumContext) {
  try {
    sendPage(req, res, ctx, { title: "Something went wrong", status: 500, noindex: true, body: <ServerErrorPage /> });
  } catch {
    res.status(500).type("text/plain").send("Something went wrong.");
  }
}

export function pageRouter(ctx: ForumContext): Router {
  const router = express.Router();
  const site = `${ctx.company} Community`;

  router.get("/", async (req, res) => {
    const before = cursorParam(req);
    if (Number.isNaN(before)) return badRequest(req, res, ctx, "The page link is not valid. Start again from the newest threads.");
    const [{ threads, next }, sidebar, expiry] = await Promise.all([recentThreads(ctx.db, { before }), topics(ctx.db, { limit: SIDEBAR_TOPICS }), nextExpiry(ctx.db)]);
    sendPage(req, res, ctx, {
      title: site,
      description: `Questions and answers from ${ctx.company}'s engineers, published for customers.`,
      canonicalPath: "/",
      noindex: before !== undefined,
      head: <link rel="alternate" type="application/rss+xml" title={`${site}: newest threads`} href="/feed.xml" />,
      cacheable: true,
      expiresAt: expiry,
      body: <HomePage company={ctx.company} threads={threads} next={next} paged={before !== undefined} topics={sidebar} />,
    });
  });

  router.get("/topics", async (req, res) => {
    const page = pageParam(req);
    if (Number.isNaN(page)) return badRequest(req, res, ctx, "The page number is not valid.");
    const [rows, count, expiry] = await Promise.all([topics(ctx.db, { limit: TOPICS_PER_PAGE, offset: (page - 1) * TOPICS_PER_PAGE, byName: true }), topicCount(ctx.db), nextExpiry(ctx.db)]);
    const pages = Math.max(1, Math.ceil(count / TOPICS_PER_PAGE));
    if (page > pages) return notFound(req, res, ctx);
    sendPage(req, res, ctx, {
      title: "Topics",
      description: `Every topic of the ${site}, with how many threads each has.`,
      canonicalPath: page === 1 ? "/topics" : `/topics?page=${page}`,
      cacheable: true,
      expiresAt: expiry,
      body: <TopicsPage topics={rows} page={page} pages={pages} />,
    });
  });

  router.get("/topics/:tag", async (req, res) => {
    const tag = req.params.tag;
    const before = cursorParam(req);
    if (Number.isNaN(before)) return badRequest(req, res, ctx, "The page link is not valid. Start again from the topic's newest threads.");
    const [{ threads, next }, expiry] = await Promise.all([recentThreads(ctx.db, { tag, before }), nextExpiry(ctx.db)]);
    // A topic is there while a live thread has it.
    if (threads.length === 0 && before === undefined) return notFound(req, res, ctx);
    const path = topicPath(tag);
    sendPage(req, res, ctx, {
      title: `${tag} questions`,
      description: `Questions and answers about ${tag} from ${ctx.company}'s engineers.`,
      canonicalPath: path,
      noindex: before !== undefined,
      head: <link rel="alternate" type="application/rss+xml" title={`${site}: ${tag}`} href={`${path}/feed.xml`} />,
      cacheable: true,
      expiresAt: earliest(expiry, ...threads.map((t) => t.expiresAt)),
      body: <TopicPage tag={tag} basePath={path} threads={threads} next={next} paged={before !== undefined} />,
    });
  });

  router.get("/feed.xml", async (req, res) => {
    const [{ threads }, expiry] = await Promise.all([recentThreads(ctx.db, { limit: FEED_SIZE }), nextExpiry(ctx.db)]);
    const body = rssFeed({ baseUrl: ctx.baseUrl, title: site, description: `The newest threads of the ${site}.`, path: "/", selfPath: "/feed.xml", threads });
    sendBody(req, res, { type: RSS_TYPE, body, cacheable: true, expiresAt: expiry });
  });

  router.get("/topics/:tag/feed.xml", async (req, res) => {
    const tag = req.params.tag;
    const [{ threads }, expiry] = await Promise.all([recentThreads(ctx.db, { tag, limit: FEED_SIZE }), nextExpiry(ctx.db)]);
    if (threads.length === 0) return notFound(req, res, ctx);
    const path = topicPath(tag);
    const body = rssFeed({ baseUrl: ctx.baseUrl, title: `${site}: ${tag}`, description: `The newest threads about ${tag}.`, path, selfPath: `${path}/feed.xml`, threads });
    sendBody(req, res, { type: RSS_TYPE, body, cacheable: true, expiresAt: expiry });
  });

  router.get("/t/:id{/:slug}", async (req, res) => {
    const id = idParam(req.params.id);
    if (Number.isNaN(id)) return notFound(req, res, ctx);
    const thread = await threadById(ctx.db, id);
    if (!thread) return notFound(req, res, ctx);
    // A question a moderator removed is gone like a withdrawn thread.
    if (!thread.isLive || thread.moderation === "removed") {
      return sendPage(req, res, ctx, { title: "No longer published", status: 410, noindex: true, body: <GonePage /> });
    }
    const account = currentAccount(res);
    // A new account's first question waits for a moderator: only its asker sees it meanwhile.
    const pending = thread.moderation === "pending";
    if (pending && (account === null || account.id !== thread.accountId)) return notFound(req, res, ctx);
    const canonicalPath = threadPath(thread);
    if (req.params.slug !== thread.slug) {
      const query = req.originalUrl.indexOf("?");
      return res.redirect(301, canonicalPath + (query >= 0 ? req.originalUrl.slice(query) : ""));
    }
    const customer = thread.origin === "customer";
    const [answers, feedback, meToo] = await Promise.all([
      threadAnswers(ctx.db, thread.id),
      threadFeedback(ctx.db, thread.id, account?.id ?? null),
      customer ? meTooState(ctx.db, thread.id, account?.id ?? null) : null,
    ]);
    sendPage(req, res, ctx, {
      title: thread.title,
      description: thread.summary || thread.title,
      canonicalPath,
      ogType: "article",
      noindex: pending,
      head: pending ? undefined : <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(qaPageData(ctx.baseUrl, ctx.company, thread, answers)) }} />,
      cacheable: !pending,
      expiresAt: thread.expiresAt,
      body: (
        <ThreadPage
          thread={thread}
          answers={answers}
          company={ctx.company}
          account={account}
          meToo={meToo}
          feedback={pending ? null : <ThreadFeedback data={feedback} account={account} threadId={thread.id} canonicalPath={canonicalPath} />}
        />
      ),
    });
  });

  router.get("/search", async (req, res) => {
    const q = queryValue(req, "q");
    const page = pageParam(req);
    if (q === null || Number.isNaN(page)) return badRequest(req, res, ctx, "The search address is not valid. Search again from the box above.");
    const query = (q ?? "").trim().slice(0, 200);
    const result = query
      ? await searchForum(ctx.db, { meiliUrl: ctx.env.MEILI_URL, onError: (error) => ctx.log.warn({ err: error }, "forum search failed") }, query, { page })
      : { hits: [], total: 0, unavailable: !ctx.env.MEILI_URL };
    const pages = Math.max(1, Math.ceil(Math.min(result.total, MAX_SEARCH_HITS) / FORUM_SEARCH_PAGE_SIZE));
    sendPage(req, res, ctx, {
      title: query ? `Search: ${query}` : "Search",
      description: `Search the ${site}.`,
      canonicalPath: "/search",
      noindex: true,
      body: <SearchPage q={query} hits={result.hits} total={result.total} page={page} pages={pages} unavailable={result.unavailable} />,
    });
  });

  router.get("/sitemap.xml", async (req, res) => {
    const [threads, expiry] = await Promise.all([sitemapThreads(ctx.db), nextExpiry(ctx.db)]);
    sendBody(req, res, { type: "application/xml; charset=utf-8", body: sitemap(ctx.baseUrl, threads), cacheable: true, expiresAt: expiry });
  });

  router.get("/robots.txt", (req, res) => {
    sendBody(req, res, { type: "text/plain; charset=utf-8", body: robotsTxt(ctx.baseUrl), cacheable: true });
  });

  return router;
}

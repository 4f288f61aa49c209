import type { NextFunction, Request, Response } from "express";
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import type { Logger } from "../logger.ts";

/**
 * Thread page views, for the forum dashboard's "deflection" (views of solved threads against new
 * questions). A view is a thread page answered 200 or 304, from the page cache or not; it is added
 * up in memory per thread and written every ten seconds (and at stop) as one upsert into
 * `forum_thread_views`, per thread and UTC day. Nothing about the reader is kept: not even that
 * there was one reader rather than two.
 */

export const FLUSH_INTERVAL_MS = 10_000;
const THREAD_PAGE = /^\/t\/(\d{1,10})\/[^/]+$/;

export class ViewCounter {
  private counts = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  count(threadId: number) {
    if (!Number.isSafeInteger(threadId) || threadId <= 0 || threadId > 2_147_483_647) return;
    this.counts.set(threadId, (this.counts.get(threadId) ?? 0) + 1);
  }

  /** In front of the page cache, so a page answered from it counts too. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.method === "GET") {
        const match = THREAD_PAGE.exec(req.path);
        if (match) res.on("finish", () => (res.statusCode === 200 || res.statusCode === 304 ? this.count(Number(match[1])) : undefined));
      }
      next();
    };
  }

  start() {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    // A pending flush never keeps the process alive.
    this.timer.unref();
  }

  /** Writes what was counted since the last flush; a failed write is logged and those views are lost. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write() {
    if (this.counts.size === 0) return;
    const counts = this.counts;
    this.counts = new Map();
    const ids = [...counts.keys()];
    const views = ids.map((id) => counts.get(id)!);
    try {
      // Joined to forum_threads: a thread deleted meanwhile is skipped rather than failing the rest.
      await this.db.execute(sql`
        insert into forum_thread_views (thread_id, day, views)
        select v.id, (now() at time zone 'utc')::date, v.n
        from unnest(${`{${ids.join(",")}}`}::int[], ${`{${views.join(",")}}`}::int[]) as v(id, n)
        join forum_threads t on t.id = v.id
        on conflict (thread_id, day) do update set views = forum_thread_views.views + excluded.views`);
    } catch (error) {
      this.log.warn({ err: error, threads: ids.length }, "forum: page views not written");
    }
  }
}

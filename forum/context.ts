import type { Db } from "#db/client.server.ts";
import type { ForumEnv } from "./env.ts";
import type { Logger } from "./logger.ts";

/**
 * What every part of the forum is handed: its own database (connected as `commons_forum`, which can
 * read only the published tables and write the customer-side ones), its configuration, and the one
 * way to say that a thread's pages changed. Built once in `startForum`.
 */
export interface ForumContext {
  db: Db;
  env: ForumEnv;
  log: Logger;
  /** The company's name as customers see it ("Northwind"). */
  company: string;
  /** FORUM_URL without a trailing slash: canonical links are this plus a path. */
  baseUrl: string;
  /** Drops cached pages after a change (a comment, a reaction); without an id, all of them. */
  invalidate(threadId?: number): void;
}

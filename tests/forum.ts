import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { parseForumEnv } from "#forum/env.ts";
import { createForumLogger } from "#forum/logger.ts";
import { type RunningForum, startForum } from "#forum/main.ts";
import { freePort } from "../server/processes.ts";

/** Roles belong to the whole cluster and test files run in parallel: every file gives it this same password. */
const FORUM_TEST_PASSWORD = "forum-test-password";

/** Lets `commons_forum` sign in and returns the test database's URL as that role (the forum's own connection). */
export async function forumRoleUrl(t: { readonly db: Db; readonly url: string }): Promise<string> {
  await t.db.execute(sql.raw(`alter role commons_forum with login password '${FORUM_TEST_PASSWORD}'`));
  const url = new URL(t.url);
  url.username = "commons_forum";
  url.password = FORUM_TEST_PASSWORD;
  return url.toString();
}

/** The forum, in this process, on a free port, connected as its role. `publicUrl` is its FORUM_URL (the port's address by default). */
export async function startTestForum(t: { readonly db: Db; readonly url: string }, options: { publicUrl?: string } = {}): Promise<{ forum: RunningForum; base: string }> {
  const databaseUrl = await forumRoleUrl(t);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const env = parseForumEnv({ FORUM_DATABASE_URL: databaseUrl, FORUM_PORT: String(port), FORUM_URL: options.publicUrl ?? base, HOST: "127.0.0.1", LOG_LEVEL: "silent", NODE_ENV: "test" });
  return { forum: await startForum({ env, log: createForumLogger("silent") }), base };
}

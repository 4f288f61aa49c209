import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { ConfigError } from "./app/lib/env.server.ts";
import { FORUM_SETTINGS, parseForumEnv } from "./forum/env.ts";
import { createForumLogger } from "./forum/logger.ts";
import { startForum } from "./forum/main.ts";
import { stopOnSignals } from "./server/signals.ts";

// The public forum on its own: `npm run start:forum`, the docker-compose `forum` service, and the
// child process `npm start` runs (server/forum-process.ts), which talks to it over IPC.

// The only settings the forum takes (FORUM_SETTINGS: its schema's keys), from .env as from the
// environment: never the app's secrets.

const child = typeof process.send === "function";
const source: Record<string, string | undefined> = {};
// Run by `npm start`, the environment was built for the forum already. Run apart, a .env beside
// package.json is read (variables already set win), but only the forum's own lines are taken from it.
if (!child && existsSync(".env")) {
  const file = parseEnv(readFileSync(".env", "utf8"));
  for (const name of FORUM_SETTINGS) source[name] = file[name];
}
for (const name of FORUM_SETTINGS) if (process.env[name] !== undefined) source[name] = process.env[name];

try {
  const env = parseForumEnv(source);
  const log = createForumLogger(env.LOG_LEVEL);
  const forum = await startForum({ env, log });
  stopOnSignals(async () => {
    await forum.stop();
  });
  if (child) {
    process.send!({ type: "ready", url: forum.url, port: forum.port });
    // The app that started us is gone (even by kill -9): don't outlive it holding the port.
    process.on("disconnect", () => {
      log.warn("forum: the app that started it is gone; stopping");
      void forum.stop().finally(() => process.exit(0));
    });
  } else {
    process.stdout.write(`\n  Commons forum is running at ${forum.url}\n\n  Press Ctrl-C to stop.\n\n`);
  }
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`The Commons forum could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

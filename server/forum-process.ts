import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Env } from "../app/lib/env.server.ts";
import type { Db } from "../db/client.server.ts";
import { projectRoot } from "../db/project-root.ts";
import type { Logger } from "./logger.ts";

/**
 * The public forum beside the app, for `npm start` (decision 013). The forum is a process of its
 * own with an environment built from nothing: its database URL as `commons_forum` (a role that
 * can read only the published tables), the Meilisearch address, where to listen. The app's
 * DATABASE_URL and the Meilisearch master key never reach it, so nothing the forum runs can use them.
 *
 * Each start gives the role a password: FORUM_DB_PASSWORD, or a fresh random one handed to the
 * child and known to nobody else. If the forum dies it is started again, with a growing pause.
 */

export interface ForumProcess {
  url: string;
  stop: () => Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const PASSWORD = /^[A-Za-z0-9_-]+$/;
/** A forum that ran this long before it died had its backoff earned back. */
const HEALTHY_RUN_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

/** The port the forum gets: FORUM_PORT, or 3001 when the servers are embedded; none otherwise. */
export function forumPort(env: Env, embedded: boolean): number | undefined {
  return env.FORUM_PORT ?? (embedded ? 3001 : undefined);
}

/** The app's database URL with the forum's role and password in it. */
export function forumDatabaseUrl(databaseUrl: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = "commons_forum";
  url.password = password;
  return url.toString();
}

/** Lets `commons_forum` sign in, with `password`. ALTER ROLE takes no parameters: the password's alphabet keeps it a plain literal. */
export async function enableForumRole(db: Db, password: string): Promise<void> {
  if (!PASSWORD.test(password)) throw new Error("the forum's database password must be letters, digits, _ or -");
  await db.execute(sql.raw(`alter role commons_forum with login password '${password}'`));
}

/**
 * The entry to fork: next to the running bundle (build/start/server.js → build/start/forum.js)
 * under `npm start`; from the sources through tsx otherwise (`npm run dev`, tests).
 */
/** The forum's heap limit (MB): its page cache holds at most 32 MB. */
const FORUM_MAX_HEAP_MB = 96;

function forumEntry(): { file: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  // Heap limits of its own, as `npm start` gives the app one: under thousands of cached pages a
  // second V8 otherwise lets the heap grow before collecting. Measured at ~4,000 req/s on the thread
  // page: 316 MiB peak with the defaults, 152 MiB with these, and no fewer requests served.
  if (self.endsWith(".js")) return { file: path.join(path.dirname(self), "forum.js"), execArgv: [`--max-old-space-size=${FORUM_MAX_HEAP_MB}`, "--max-semi-space-size=4"] };
  return { file: path.join(projectRoot(import.meta.url), "forum.ts"), execArgv: ["--import", "tsx"] };
}

/**
 * The forum child's whole environment, written from nothing: its database URL as its own role, the
 * search address and the forum's own settings. Never DATABASE_URL or the Meilisearch master key.
 */
export function forumChildEnv(env: Env, options: { port: number; databaseUrl: string; databaseSocket: string | undefined; meiliUrl: string; password: string }): Record<string, string> {
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: env.NODE_ENV === "development" ? "development" : "production",
    FORUM_DATABASE_URL: forumDatabaseUrl(options.databaseUrl, options.password),
    MEILI_URL: options.meiliUrl,
    HOST: env.HOST,
    FORUM_PORT: String(options.port),
    FORUM_URL: (env.FORUM_URL ?? `http://localhost:${options.port}`).replace(/\/+$/, ""),
    COMPANY_NAME: env.COMPANY_NAME,
    LOG_LEVEL: env.LOG_LEVEL,
    FORUM_QUESTIONS_PER_HOUR: String(env.FORUM_QUESTIONS_PER_HOUR),
    TRUST_PROXY: String(env.TRUST_PROXY),
  };
  if (options.databaseSocket) childEnv.FORUM_DATABASE_SOCKET = options.databaseSocket;
  return childEnv;
}

export async function startForumProcess(options: {
  db: Db;
  env: Env;
  port: number;
  databaseUrl: string;
  databaseSocket: string | undefined;
  meiliUrl: string;
  log: Logger;
}): Promise<ForumProcess> {
  const { env, log } = options;
  const password = env.FORUM_DB_PASSWORD ?? randomBytes(24).toString("base64url");
  await enableForumRole(options.db, password);
  const childEnv = forumChildEnv(env, { ...options, password });
  const url = childEnv.FORUM_URL!;
  const entry = forumEntry();

  let child: ChildProcess | undefined;
  let stopping = false;
  let backoff = 1_000;
  let restartTimer: NodeJS.Timeout | undefined;

  /** Forks the forum and resolves once it says it listens; rejects with its last words if it exits first. */
  const spawnForum = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const started = Date.now();
      // Its JSON log lines go straight to our stdout, beside the app's (marked "service":"forum"):
      // passing them through this process would cost the app CPU at every forum request. Anything
      // on its stderr is a problem worth a line of the app's log, and the reason a start failed.
      const forked = fork(entry.file, [], { cwd: projectRoot(import.meta.url), env: childEnv, execArgv: entry.execArgv, stdio: ["ignore", "inherit", "pipe", "ipc"] });
      let ready = false;
      let lastError = "";
      createInterface({ input: forked.stderr! }).on("line", (line) => {
        if (line.trim() === "") return;
        lastError = line;
        log.warn({ forum: line }, "forum: stderr");
      });
      const timer = setTimeout(() => {
        forked.kill("SIGKILL");
        reject(new Error(`the public forum did not start within ${READY_TIMEOUT_MS / 1000} s`));
      }, READY_TIMEOUT_MS);
      forked.on("message", (message: { type?: string }) => {
        if (message?.type !== "ready" || ready) return;
        ready = true;
        clearTimeout(timer);
        resolve(forked);
      });
      forked.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (!ready) {
          reject(new Error(`the public forum exited before it was ready (${signal ?? `code ${code}`})${lastError ? `: ${lastError}` : ""}`));
          return;
        }
        if (stopping) return;
        // Code 0: it was told to stop (Ctrl-C reaches the whole process group), and so are we, probably.
        if (code === 0) log.info("forum: the public forum stopped; starting it again unless Commons stops too");
        else log.error({ code, signal }, "forum: the public forum stopped unexpectedly; starting it again");
        if (Date.now() - started > HEALTHY_RUN_MS) backoff = 1_000;
        scheduleRestart();
      });
    });

  const scheduleRestart = () => {
    const delay = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    restartTimer = setTimeout(() => {
      if (stopping) return;
      spawnForum().then(
        (forked) => {
          child = forked;
          log.info({ url }, "forum: started again");
        },
        (error: unknown) => {
          log.error({ err: error }, "forum: could not start again");
          if (!stopping) scheduleRestart();
        },
      );
    }, delay);
    restartTimer.unref();
  };

  child = await spawnForum();
  log.info({ url, port: options.port }, "forum: public forum started");

  return {
    url,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      running.kill("SIGTERM");
      const grace = setTimeout(() => running.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    },
  };
}

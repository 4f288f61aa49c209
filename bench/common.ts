/** What the bench's scripts (run.ts, start-memory.ts) share: running a command, starting Commons, signing in. */
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { startNodeOptions } from "../server/processes.ts";
import { DEMO_PASSWORD } from "../db/seed-info.ts";

/** Runs a command to its end, and throws with everything it printed when it fails. */
export async function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${out}`);
}

/** Signs a generated or demo employee in with the demo password; returns the session cookie. */
export async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("commons_session="));
  if (!cookie) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return cookie.split(";")[0]!;
}

/**
 * Starts a bundled Commons server (`bundle`) as `npm start` does (its Node options, production) with
 * `env`, and waits for its banner; `output()` is everything it has printed so far.
 */
export async function startServer(bundle: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [...startNodeOptions(), bundle], { env: { ...env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!out.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Commons did not start:\n${out}`);
    await sleep(20);
  }
  return { child, output: () => out };
}

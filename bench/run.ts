/**
 * `npm run bench`: starts Commons as `npm start` does (production build, embedded PostgreSQL and
 * Meilisearch, demo data) in a throwaway data directory, then measures on loopback:
 * - cold start (new cluster, migrations, demo seed) and warm start, to "ready";
 * - throughput and latency of the pages that exist, signed in as a demo user, with autocannon;
 * - peak memory (VmHWM) of the app process, PostgreSQL (all its processes) and Meilisearch.
 * Prints a table and writes it to bench/results/. Figures, never assertions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "../db/seed-info.ts";
import { freePort } from "../server/processes.ts";
import { benchMarkdown } from "./markdown.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

type Started = { child: ChildProcess; ms: number; url: string };

async function startApp(dataDir: string, port: number): Promise<Started> {
  const started = performance.now();
  // node --import tsx keeps the app in one process, so its memory is the memory we read.
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 120_000;
  while (!out.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Commons did not start:\n${out}`);
    await sleep(20);
  }
  return { child, ms: performance.now() - started, url: `http://localhost:${port}` };
}

async function stopApp(app: Started): Promise<void> {
  const exited = new Promise((resolve) => app.child.once("exit", resolve));
  app.child.kill("SIGINT");
  await exited;
}

function kib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

/** Peak and current resident memory (MiB) of processes whose command line matches. */
function memoryOf(match: (cmd: string, pid: number) => boolean): { peak: number; now: number; count: number } {
  let peak = 0;
  let now = 0;
  let count = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (!match(cmd, Number(entry))) continue;
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      peak += kib(status, "VmHWM");
      now += kib(status, "VmRSS");
      count++;
    } catch {
      continue; // the process ended while we looked
    }
  }
  return { peak: Math.round(peak / 1024), now: Math.round(now / 1024), count };
}

async function signIn(url: string, email: string): Promise<string> {
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

type Row = { name: string; rps: number; p50: number; p95: number; p99: number; errors: number; bytes: number };

async function load(name: string, url: string, options: { cookie?: string; method?: "GET" | "POST"; body?: string; headers?: Record<string, string>; connections?: number } = {}): Promise<Row> {
  const result = await autocannon({
    url,
    method: options.method ?? "GET",
    duration: SECONDS,
    connections: options.connections ?? CONNECTIONS,
    headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    ...(options.body ? { body: options.body } : {}),
  });
  // A redirect is a success here (sign-in answers 302); 4xx and 5xx are not.
  const errors = result.errors + result.timeouts + result["4xx"] + result["5xx"];
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: result.latency.p97_5, // autocannon reports 97.5; labelled as such below
    p99: result.latency.p99,
    errors,
    bytes: Math.round(result.throughput.average / Math.max(1, result.requests.average)),
  };
}

const root = await mkdtemp(path.join(os.tmpdir(), "commons-bench-"));
const port = await freePort();
const lines: string[] = [];
const log = (line = "") => {
  lines.push(line);
  process.stdout.write(line + "\n");
};

try {
  const cold = await startApp(root, port);
  await stopApp(cold);
  const app = await startApp(root, port);
  const serverPid = app.child.pid!;
  const cookie = await signIn(app.url, DEMO_SIGN_INS[0].email);

  const rows: Row[] = [];
  rows.push(await load("GET /healthz (no database)", `${app.url}/healthz`));
  rows.push(await load("GET /sign-in (anonymous page)", `${app.url}/sign-in`));
  rows.push(await load("GET / (home, signed in)", `${app.url}/`, { cookie }));
  rows.push(await load("GET /spaces", `${app.url}/spaces`, { cookie }));
  rows.push(await load("GET /spaces/engineering", `${app.url}/spaces/engineering`, { cookie }));
  rows.push(await load("GET /people/1 (profile with reputation)", `${app.url}/people/1`, { cookie }));
  rows.push(await load("GET /admin/users (admin list)", `${app.url}/admin/users`, { cookie }));
  // Q&A: the most voted question of the demo data, found the way a reader would (the top list).
  const top = await (await fetch(`${app.url}/questions?sort=top&period=all`, { headers: { cookie } })).text();
  const questionPath = /href="(\/questions\/\d+\/[a-z0-9-]+)"/.exec(top)?.[1];
  if (!questionPath) throw new Error("no question found in the top list");
  rows.push(await load("GET /questions (newest)", `${app.url}/questions`, { cookie }));
  rows.push(await load("GET /questions?sort=unanswered", `${app.url}/questions?sort=unanswered`, { cookie }));
  rows.push(await load(`GET ${questionPath.replace(/\/[a-z0-9-]+$/, "/…")} (question page)`, `${app.url}${questionPath}`, { cookie }));
  rows.push(await load("GET /tags/postgres (tag page)", `${app.url}/tags/postgres`, { cookie }));
  rows.push(await load("GET /tags (tag index)", `${app.url}/tags`, { cookie }));
  rows.push(await load("GET /questions/ask (ask form)", `${app.url}/questions/ask`, { cookie }));
  rows.push(await load("GET /notifications (inbox)", `${app.url}/notifications`, { cookie }));
  rows.push(await load("GET /api/tags?q=p (autocomplete JSON)", `${app.url}/api/tags?q=p`, { cookie }));
  rows.push(
    await load("POST /sign-in (argon2id verify)", `${app.url}/sign-in`, {
      method: "POST",
      connections: 2,
      headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: DEMO_SIGN_INS[1].email, password: DEMO_PASSWORD }).toString(),
    }),
  );

  const appMemory = memoryOf((_cmd, pid) => pid === serverPid);
  const pgMemory = memoryOf((cmd) => cmd.includes(path.join(root, "postgres")) || cmd.startsWith("postgres: "));
  const meiliMemory = memoryOf((cmd) => cmd.includes(path.join(root, "meili")));
  await stopApp(app);

  log(`# Commons benchmark, ${new Date().toISOString()}`);
  log();
  log(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`);
  log(`Load: autocannon, ${CONNECTIONS} connections (2 for sign-in), ${SECONDS} s per row, loopback, production build, demo data.`);
  log();
  log(`Start to ready: cold (new cluster + migrations + demo seed) ${(cold.ms / 1000).toFixed(1)} s; warm ${(app.ms / 1000).toFixed(1)} s.`);
  log();
  log("| request | req/s | p50 ms | p97.5 ms | p99 ms | errors | bytes/resp |");
  log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.bytes} |`);
  log();
  log("| memory (MiB) | peak (VmHWM) | at the end (RSS) |");
  log("| --- | ---: | ---: |");
  log(`| app (node) | ${appMemory.peak} | ${appMemory.now} |`);
  log(`| PostgreSQL (${pgMemory.count} processes, shared pages counted per process) | ${pgMemory.peak} | ${pgMemory.now} |`);
  log(`| Meilisearch | ${meiliMemory.peak} | ${meiliMemory.now} |`);
  log();
  for (const line of benchMarkdown()) log(line);

  await mkdir("bench/results", { recursive: true });
  const file = path.join("bench/results", `${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}.md`);
  await writeFile(file, lines.join("\n") + "\n");
  process.stdout.write(`\nwritten to ${file}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}

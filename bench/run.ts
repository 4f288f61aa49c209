/**
 * `npm run bench`: starts Commons as `npm start` does (production build, embedded PostgreSQL and
 * Meilisearch, demo data) in a throwaway data directory, then measures on loopback:
 * - cold start (new cluster, migrations, demo seed) and warm start, to "ready";
 * - throughput and latency of the pages that exist, signed in as a demo user, with autocannon;
 * - peak memory (VmHWM) of the app process, PostgreSQL (all its processes) and Meilisearch;
 * - search (bench/search.ts): the search routes, the search service in-process, the time from a
 *   write to being searchable, full reindex throughput of the demo data, and of a generated set of
 *   BENCH_QUESTIONS questions (default 100,000; 0 skips it) in a PostgreSQL and Meilisearch of its
 *   own, with the search routes measured again against it.
 * Prints a table and writes it to bench/results/. Figures, never assertions.
 *
 * Environment: BENCH_SECONDS (per row, default 10), BENCH_CONNECTIONS (default 10), BENCH_QUESTIONS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { createDb } from "../db/client.server.ts";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "../db/seed-info.ts";
import { createMeiliClient } from "../search/client.server.ts";
import { freePort } from "../server/processes.ts";
import { benchMarkdown } from "./markdown.ts";
import {
  embeddedServices,
  INSTANT_QUERIES,
  largeSet,
  loadSearchService,
  measureReindex,
  measureWriteToSearchable,
  type ReindexFigures,
  SEARCH_QUERIES,
  type ServiceRow,
} from "./search.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 100_000);

type Started = { child: ChildProcess; ms: number; url: string };

async function startApp(dataDir: string, port: number, env: Record<string, string> = {}): Promise<Started> {
  const started = performance.now();
  // node --import tsx keeps the app in one process, so its memory is the memory we read.
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn", ...env },
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

type LoadOptions = {
  cookie?: string;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  /** GET these paths in turn (each connection cycles through them) instead of `url`'s own. */
  paths?: string[];
};

async function load(name: string, url: string, options: LoadOptions = {}): Promise<Row> {
  const result = await autocannon({
    url,
    method: options.method ?? "GET",
    duration: SECONDS,
    connections: options.connections ?? CONNECTIONS,
    headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    ...(options.body ? { body: options.body } : {}),
    ...(options.paths ? { requests: options.paths.map((p) => ({ method: "GET" as const, path: p })) } : {}),
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

/** A route another change adds may not exist yet: its row says so instead of counting 404s. */
async function routeExists(url: string, cookie: string): Promise<boolean> {
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await response.arrayBuffer();
  return response.status !== 404;
}

const missing = (name: string): Row => ({ name: `${name}: route not there yet`, rps: NaN, p50: NaN, p95: NaN, p99: NaN, errors: NaN, bytes: NaN });

/** The search routes, rotating through realistic queries, as `email` (a member who sees a restricted space). */
async function searchRows(url: string, cookie: string, label: string): Promise<Row[]> {
  const page = SEARCH_QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`);
  const instant = INSTANT_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}`);
  const name = (what: string, n: number) => `${what} (${n} queries in turn${label})`;
  return [
    (await routeExists(`${url}${page[0]}`, cookie)) ? await load(name("GET /search?q=…", page.length), url, { cookie, paths: page }) : missing("GET /search?q=…"),
    (await routeExists(`${url}${instant[0]}`, cookie))
      ? await load(name("GET /api/search?q=… (instant JSON)", instant.length), url, { cookie, paths: instant })
      : missing("GET /api/search?q=…"),
  ];
}

async function serviceRows(services: { databaseUrl: string; meiliUrl: string; meiliKey: string }, email: string, label: string): Promise<ServiceRow[]> {
  const db = createDb(services.databaseUrl, { max: CONNECTIONS });
  // The app's client: the same 2 s bound on every request.
  const client = createMeiliClient(services.meiliUrl, services.meiliKey);
  try {
    const common = { db, client, email, seconds: SECONDS, concurrency: CONNECTIONS };
    return [
      await loadSearchService({ ...common, name: `search page: search() (${SEARCH_QUERIES.length} queries${label})`, queries: SEARCH_QUERIES }),
      await loadSearchService({ ...common, name: `instant: search(), 5 hits, no facets (${INSTANT_QUERIES.length} queries${label})`, queries: INSTANT_QUERIES, instant: true }),
    ];
  } finally {
    await db.close();
  }
}

const reindexLine = (r: ReindexFigures) =>
  `questions ${r.question.documents.toLocaleString("en")} in ${r.question.seconds.toFixed(1)} s (${r.question.perSecond.toLocaleString("en")} docs/s), ` +
  `people ${r.person.documents.toLocaleString("en")} in ${r.person.seconds.toFixed(1)} s (${r.person.perSecond.toLocaleString("en")} docs/s); ` +
  `all ${r.total.documents.toLocaleString("en")} in ${r.total.seconds.toFixed(1)} s (${r.total.perSecond.toLocaleString("en")} docs/s)`;

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
  // Search as a member who sees one restricted space (the filter every search carries).
  const searcher = DEMO_SIGN_INS[3].email;
  rows.push(...(await searchRows(app.url, await signIn(app.url, searcher), "")));
  rows.push(
    await load("POST /sign-in (argon2id verify)", `${app.url}/sign-in`, {
      method: "POST",
      connections: 2,
      headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: DEMO_SIGN_INS[1].email, password: DEMO_PASSWORD }).toString(),
    }),
  );

  // Search, against the app's own PostgreSQL and Meilisearch (read from its data directory).
  const services = await embeddedServices(root);
  const demoService = await serviceRows(services, searcher, "");
  const benchDb = createDb(services.databaseUrl, { max: 4 });
  const meili = createMeiliClient(services.meiliUrl, services.meiliKey, 60_000);
  let writes: Awaited<ReturnType<typeof measureWriteToSearchable>>;
  const demoReindex: ReindexFigures[] = [];
  try {
    // The signed-in admin edits accepted answers; the app's relay indexes them.
    writes = await measureWriteToSearchable({ appUrl: app.url, cookie, db: benchDb, client: meili });
    // Tiny data: fixed costs (create, settings, swap) dominate; the median of three rebuilds.
    for (let i = 0; i < 3; i++) demoReindex.push(await measureReindex(benchDb, meili));
  } finally {
    await benchDb.close();
  }
  demoReindex.sort((a, b) => a.total.seconds - b.total.seconds);

  const appMemory = memoryOf((_cmd, pid) => pid === serverPid);
  const pgMemory = memoryOf((cmd) => cmd.includes(path.join(root, "postgres")) || cmd.startsWith("postgres: "));
  const meiliMemory = memoryOf((cmd) => cmd.includes(path.join(root, "meili")));
  await stopApp(app);

  // The generated set, in a PostgreSQL and Meilisearch of its own; the app started against them.
  let large: { set: Awaited<ReturnType<typeof largeSet>>; rows: Row[]; service: ServiceRow[] } | undefined;
  if (QUESTIONS > 0) {
    const set = await largeSet(path.join(root, "large"), QUESTIONS, (line) => process.stdout.write(`${line}\n`));
    try {
      const label = `, ${QUESTIONS.toLocaleString("en")} questions`;
      const largeApp = await startApp(path.join(root, "large-app"), port, {
        DATABASE_URL: set.databaseUrl,
        MEILI_URL: set.meiliUrl,
        MEILI_MASTER_KEY: set.meiliKey,
        DEMO_SEED: "never",
      });
      let largeRows: Row[];
      try {
        largeRows = await searchRows(largeApp.url, await signIn(largeApp.url, set.generation.signInEmail), label);
      } finally {
        await stopApp(largeApp);
      }
      large = { set, rows: largeRows, service: await serviceRows(set, set.generation.signInEmail, label) };
    } finally {
      await set.stop();
    }
  }

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
  log("Search rows: a member of one restricted space, queries from the demo content in turn (bench/search.ts).");
  log();
  log("| memory (MiB) | peak (VmHWM) | at the end (RSS) |");
  log("| --- | ---: | ---: |");
  log(`| app (node) | ${appMemory.peak} | ${appMemory.now} |`);
  log(`| PostgreSQL (${pgMemory.count} processes, shared pages counted per process) | ${pgMemory.peak} | ${pgMemory.now} |`);
  log(`| Meilisearch | ${meiliMemory.peak} | ${meiliMemory.now} |`);
  log();
  log("## Search");
  log();
  const median = demoReindex[1] ?? demoReindex[0]!;
  log(`Full reindex of the demo data (reindexAll, as npm run search:reindex; median of 3): ${reindexLine(median)}.`);
  log();
  log(
    `Write to searchable: an accepted answer edited through the edit form (POST, as the admin), the app's relay indexing it, ` +
      `Meilisearch searched every 10 ms for the new word; from the edit's response (committed) until found.`,
  );
  log();
  log("| writes | n | p50 ms | p95 ms | max ms | not found in 30 s |");
  log("| --- | ---: | ---: | ---: | ---: | ---: |");
  log(`| spaced: one every ${writes.intervalMs} ms | ${writes.spaced.n} | ${writes.spaced.p50} | ${writes.spaced.p95} | ${writes.spaced.max} | ${writes.spaced.missed} |`);
  log(`| burst: ${writes.burst.n + writes.burst.missed} at once | ${writes.burst.n} | ${writes.burst.p50} | ${writes.burst.p95} | ${writes.burst.max} | ${writes.burst.missed} |`);
  log(`| (the edit request itself, POST to response) | ${writes.save.n} | ${writes.save.p50} | ${writes.save.p95} | ${writes.save.max} | |`);
  log();
  const serviceTable = (list: ServiceRow[]) => {
    log(`| search service in-process (${CONNECTIONS} at a time, ${SECONDS} s; no HTTP, no rendering) | calls/s | p50 ms | p95 ms | p99 ms | unavailable |`);
    log("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const r of list) log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} |`);
    log();
  };
  serviceTable(demoService);
  if (large) {
    const { set } = large;
    const g = set.generation;
    log(`### Generated set: ${g.questions.toLocaleString("en")} questions`);
    log();
    log(
      `Generated (bench/generate-questions.ts): ${g.questions.toLocaleString("en")} questions, ${g.answers.toLocaleString("en")} answers, ` +
        `${g.users.toLocaleString("en")} people, ${g.tags} tags, ${g.spaces} spaces in ${(g.insertMs / 1000).toFixed(1)} s ` +
        `(${Math.round((g.questions * 1000) / g.insertMs).toLocaleString("en")} questions/s), then vacuum analyze ${(g.analyzeMs / 1000).toFixed(1)} s; ` +
        `database ${set.databaseMiB.toLocaleString("en")} MiB.`,
    );
    log();
    log(`Full reindex: ${reindexLine(set.reindex)}.`);
    log();
    log(`Meilisearch: peak memory (VmHWM) ${set.meiliPeakMiB.toLocaleString("en")} MiB from its start through the reindex; ${set.meiliDatabaseMiB.toLocaleString("en")} MiB on disk after it.`);
    log();
    log("| request | req/s | p50 ms | p97.5 ms | p99 ms | errors | bytes/resp |");
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of large.rows) log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.bytes} |`);
    log();
    serviceTable(large.service);
  }
  for (const line of benchMarkdown()) log(line);

  await mkdir("bench/results", { recursive: true });
  const file = path.join("bench/results", `${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}.md`);
  await writeFile(file, lines.join("\n") + "\n");
  process.stdout.write(`\nwritten to ${file}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}

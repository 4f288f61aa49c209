/**
 * `npm run bench:memory`: the memory of `npm start` itself, the embedded default (issue 22).
 *
 * Builds the production app (as `npm run build`, into a directory of its own), then runs the bundled
 * server the way `npm start` does (its heap limit, no DATABASE_URL, MEILI_URL or SMTP_URL: embedded
 * PostgreSQL, Meilisearch and mail server, the public forum as a child process) in a throwaway
 * DATA_DIR, twice:
 * 1. the demo company, seeded on first start as `npm start` does;
 * 2. a company of BENCH_QUESTIONS questions (default 100,000): a first start makes the cluster and
 *    its tables, the generator (db/generate, as bench/search.ts `largeSet`) fills it with that start
 *    stopped, a full reindex builds the indexes (as `npm run search:reindex`), and Commons starts again.
 * Each time, once it is ready, two readers browse a fixed mix of pages for BENCH_BROWSE_SECONDS
 * (default 60), and the memory is sampled every 500 ms from the start (bench/memory.ts): the app,
 * the forum, PostgreSQL counted once (Pss), Meilisearch's anonymous and file-backed pages, and
 * the total at once. Writes its tables to bench/results/<time>-memory.md.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { hashPassword } from "#app/features/auth/password.server.ts";
import { EnvSchema } from "#app/lib/env.server.ts";
import { createDb } from "#db/client.server.ts";
import { startEmbeddedPostgres } from "#db/embedded.ts";
import { users } from "#db/schema/index.ts";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "#db/seed-info.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { startEmbeddedMeili } from "#search/embedded.ts";
import { freePort } from "../server/processes.ts";
import { run, signIn, startServer } from "./common.ts";
import { generateDataSet } from "./dataset.ts";
import { childrenOf, commandLine, type MemoryFigures, memoryTable, meiliMemorySettings, startMemorySampler, type Watched } from "./memory.ts";
import { measureReindex, postmasterPid } from "./search.ts";

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 100_000);
const BROWSE_SECONDS = Number(process.env.BENCH_BROWSE_SECONDS ?? 60);
/** Its own build, where `npm run build` (which empties build/) cannot remove it meanwhile. Removed at the end. */
const BUILD_DIR = "node_modules/.cache/commons-memory-build";
const SERVER_BUNDLE = `${BUILD_DIR}/start/server.js`;

const progress = (line: string) => process.stdout.write(`  ${line}\n`);

/** The environment without any Commons setting (as the launcher tests start it), so the defaults apply. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(EnvSchema.shape)) delete env[key];
  delete env.NODE_OPTIONS;
  return env;
}

type Commons = { child: ChildProcess; url: string; forumUrl: string; stop: () => Promise<void> };

/** Starts the bundled server as `npm start` does, in `dataDir`, and waits until it serves. */
async function startCommons(dataDir: string, env: Record<string, string> = {}): Promise<Commons> {
  const port = await freePort();
  const forumPort = await freePort();
  const { child } = await startServer(
    SERVER_BUNDLE,
    { ...cleanEnv(), DATA_DIR: dataDir, PORT: String(port), FORUM_PORT: String(forumPort), LOG_LEVEL: "warn", COMMONS_BUILD_DIR: BUILD_DIR, ...env },
    300_000,
  );
  return {
    child,
    url: `http://localhost:${port}`,
    forumUrl: `http://localhost:${forumPort}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    },
  };
}

/** The processes `npm start` runs, found from its pid files and its children. */
function processesOf(commons: Commons, dataDir: string): Watched {
  const app = commons.child.pid!;
  const meiliPidFile = path.join(dataDir, "meili", "meilisearch.pid");
  return {
    app,
    forum: childrenOf(app).filter((pid) => commandLine(pid).includes("forum.js")),
    postmaster: postmasterPid(dataDir),
    meili: existsSync(meiliPidFile) ? Number(readFileSync(meiliPidFile, "utf8").trim()) : undefined,
  };
}

/**
 * The fixed mix a reader browses: the home page, the lists, tags, search, the idea, wiki, article and
 * kudos pages, and the question, tag and profile pages linked from the lists (the first ten of each).
 */
async function browsePaths(url: string, cookie: string): Promise<string[]> {
  const html = async (p: string) => (await fetch(`${url}${p}`, { headers: { cookie } })).text();
  const links = (text: string, pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((m) => m[1]!))].slice(0, 10);
  const list = await html("/questions");
  const tags = await html("/tags");
  return [
    "/",
    "/questions",
    "/questions?sort=unanswered",
    "/tags",
    "/search?q=deploy",
    "/search?q=vpn",
    "/campaigns",
    "/wiki",
    "/articles",
    "/kudos",
    "/experts",
    ...links(list, /href="(\/questions\/\d+\/[^"?#]+)"/g),
    ...links(list, /href="(\/people\/\d+)"/g),
    ...links(tags, /href="(\/tags\/[^"/?#]+)"/g),
  ];
}

/** Two readers GET `paths` in turn for BROWSE_SECONDS; returns the requests answered, and those not 200. */
async function browse(url: string, forumUrl: string, cookie: string, paths: string[]): Promise<{ requests: number; errors: number }> {
  const end = Date.now() + BROWSE_SECONDS * 1000;
  let requests = 0;
  let errors = 0;
  let next = 0;
  const reader = async () => {
    while (Date.now() < end) {
      const i = next++;
      // Every tenth request reads the public forum's front page, signed out.
      const target = i % 10 === 9 ? `${forumUrl}/` : `${url}${paths[i % paths.length]}`;
      try {
        const response = await fetch(target, { headers: target.startsWith(url) ? { cookie } : {}, redirect: "manual" });
        await response.arrayBuffer();
        requests++;
        if (response.status !== 200) errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all([reader(), reader()]);
  return { requests, errors };
}

type Measured = { label: string; memory: MemoryFigures; browsed: { requests: number; errors: number }; pages: number; meiliCap: string; readyMs: number };

/** Starts Commons in `dataDir`, browses as `email`, stops it; the memory from spawn to stop. */
async function measure(label: string, dataDir: string, email: string): Promise<Measured> {
  const watched: Watched = {};
  const sampler = startMemorySampler(() => watched);
  sampler.phase("start");
  const started = performance.now();
  progress(`${label}: starting Commons as npm start does…`);
  // Watch the processes from as early as their pid files exist.
  const watch = setInterval(() => {
    try {
      Object.assign(watched, { postmaster: postmasterPid(dataDir) });
    } catch {
      // not started yet
    }
  }, 200);
  const commons = await startCommons(dataDir);
  clearInterval(watch);
  const readyMs = performance.now() - started;
  try {
    Object.assign(watched, processesOf(commons, dataDir));
    const meiliCap = watched.meili ? meiliMemorySettings(watched.meili) : "?";
    const cookie = await signIn(commons.url, email);
    const paths = await browsePaths(commons.url, cookie);
    sampler.phase("browsing");
    progress(`${label}: browsing ${paths.length} pages and the forum for ${BROWSE_SECONDS} s…`);
    const browsed = await browse(commons.url, commons.forumUrl, cookie, paths);
    const memory = sampler.figures();
    return { label, memory, browsed, pages: paths.length, meiliCap, readyMs };
  } finally {
    sampler.stop();
    await commons.stop();
  }
}

const root = await mkdtemp(path.join(os.tmpdir(), "commons-memory-"));
// As root, PostgreSQL runs as the postgres user (db/embedded.ts), which must be able to pass through.
await chmod(root, 0o711);
const runStarted = performance.now();
try {
  progress(`building the production app and the server bundle into ${BUILD_DIR}…`);
  await run("npx", ["react-router", "build"], { NODE_ENV: "production", COMMONS_BUILD_DIR: BUILD_DIR });
  await run(process.execPath, ["scripts/build-server.mjs", SERVER_BUNDLE], {});

  const results: Measured[] = [];
  // 1. The demo company: the first start seeds it.
  const demoDir = path.join(root, "demo");
  await mkdir(demoDir, { recursive: true });
  const member = DEMO_SIGN_INS.find((s) => s.what.startsWith("member"))!.email;
  results.push(await measure("demo company", demoDir, member));

  // 2. The generated company: a first start makes the cluster and the tables (no demo), then the
  // generator and a full reindex with Commons stopped, then Commons again.
  const largeDir = path.join(root, "large");
  await mkdir(largeDir, { recursive: true });
  progress(`${QUESTIONS.toLocaleString("en")} questions: a first start, to make the database…`);
  await (await startCommons(largeDir, { DEMO_SEED: "never" })).stop();
  const pg = await startEmbeddedPostgres({ dataDir: largeDir });
  let signInEmail: string;
  let generated: string;
  try {
    const databaseUrl = pg.url("commons");
    const generation = await generateDataSet(databaseUrl, QUESTIONS, progress);
    signInEmail = generation.signInEmail;
    const meili = await startEmbeddedMeili({ dataDir: largeDir });
    const db = createDb(databaseUrl, { max: 4 });
    try {
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(DEMO_PASSWORD) })
        .where(eq(users.email, signInEmail));
      const reindex = await measureReindex(db, createMeiliClient(meili.url, meili.masterKey, 60_000), progress);
      generated = `${generation.questions.toLocaleString("en")} questions, ${generation.users.toLocaleString("en")} people (generated in ${(generation.ms / 1000).toFixed(0)} s, reindexed at ${reindex.total.perSecond.toLocaleString("en")} docs/s with Commons stopped)`;
    } finally {
      await db.close();
      await meili.stop();
    }
  } finally {
    await pg.stop();
  }
  results.push(await measure(`${QUESTIONS.toLocaleString("en")} questions`, largeDir, signInEmail));

  const lines: string[] = [];
  const log = (line = "") => {
    lines.push(line);
    process.stdout.write(line + "\n");
  };
  log(`# npm start's own memory, ${new Date().toISOString()}`);
  log();
  log(
    `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. The bundled server run as npm start runs it (embedded PostgreSQL, Meilisearch and mail server, the forum as a child process), ` +
      `in a throwaway DATA_DIR; two readers browse a fixed mix of pages (and the forum's front page) for ${BROWSE_SECONDS} s once it is ready; memory sampled every 500 ms from its start. ` +
      `The reindex of the generated company ran with Commons stopped (its Meilisearch peak is in npm run bench's memory table). The run took ${((performance.now() - runStarted) / 60_000).toFixed(1)} min.`,
  );
  log();
  log("| company | total at once, peak (MiB) | app | forum | PostgreSQL (Pss, once) | Meilisearch RssAnon | Meilisearch RssFile | ready in | pages browsed (requests, not 200) |");
  log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const r of results) {
    const m = r.memory;
    log(
      `| ${r.label} | **${m.total.peak.toLocaleString("en")}** | ${m.app.hwm} | ${m.forum.hwm} | ${m.postgres.pssPeak.toLocaleString("en")} | ${m.meili.anonPeak.toLocaleString("en")} | ${m.meili.filePeak.toLocaleString("en")} | ${(r.readyMs / 1000).toFixed(1)} s | ${r.pages} (${r.browsed.requests}, ${r.browsed.errors}) |`,
    );
  }
  log();
  log(`Generated company: ${generated!}. Meilisearch's indexing memory cap as npm start runs it: ${results[0]!.meiliCap}.`);
  for (const r of results) {
    log();
    log(`## ${r.label}`);
    log();
    for (const line of memoryTable(r.memory, `npm start with the ${r.label}, from its start to the end of browsing`)) log(line);
  }
  await mkdir("bench/results", { recursive: true });
  const file = path.join("bench/results", `${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}-memory.md`);
  await writeFile(file, lines.join("\n") + "\n");
  process.stdout.write(`\nwritten to ${file}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
  await rm(BUILD_DIR, { recursive: true, force: true });
}

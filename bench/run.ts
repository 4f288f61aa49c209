/**
 * `npm run bench`: Commons at scale, measured on loopback (figures, never assertions).
 *
 * 1. Builds the production app with the bare page (COMMONS_BENCH_ROUTES=1, see app/routes.ts) into
 *    a directory of its own (BUILD_DIR); `npm run build`'s build/ is left as it is.
 * 2. In a throwaway directory, starts a PostgreSQL and a Meilisearch of their own, generates
 *    BENCH_QUESTIONS questions (default 100,000; bench/dataset.ts) and rebuilds the search indexes
 *    from them, timed (full reindex documents per second).
 * 3. Starts the app (`server.ts`, production) against them, then: write to searchable (edits through
 *    the edit form as a generated admin until a search finds them), and, once the app is quiet,
 *    each page with autocannon for BENCH_SECONDS at BENCH_CONNECTIONS, signed in as a generated
 *    member: question page (typical questions in turn), lists, tag page, profile, search, ask page
 *    and similar questions, the largest open idea campaign's page (trending, and top filtered by
 *    status), idea pages, its roadmap and results, and the bare page of the question page's size
 *    as the ceiling; last, votes: vote/unvote POSTs as a fetcher sends them, by the member on
 *    ideas of an open campaign without a budget (writes per second). Every response's latency is
 *    recorded, so p50/p95/p99 are exact.
 * 4. Peak memory (VmHWM) of the app, PostgreSQL (postmaster and its children) and Meilisearch over
 *    the whole run; what PostgreSQL spent per request of each page and on which statements
 *    (pg_stat_statements); the search service in-process; markdown rendering.
 * Prints a table with issue 5's targets beside the figures (the idea rows as figures only: there
 * are no targets for them) and writes it to bench/results/.
 *
 * Environment: BENCH_QUESTIONS (default 100000), BENCH_SECONDS (per row, default 10),
 * BENCH_CONNECTIONS (default 4), BENCH_ONLY (words: measure only the rows whose names hold one).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { issueToken } from "../app/features/auth/tokens.server.ts";
import { articleUrl } from "../app/features/articles/article-url.ts";
import { questionUrl } from "../app/features/qa/question-url.ts";
import { wikiPageUrl } from "../app/features/wiki/page-url.ts";
import { createDb, type Db } from "../db/client.server.ts";
import { users } from "../db/schema/index.ts";
import { DEMO_PASSWORD } from "../db/seed-info.ts";
import { GENERATED_CUSTOMER_EMAIL } from "../db/generate/forum.ts";
import { createMeiliClient } from "../search/client.server.ts";
import { freePort, startNodeOptions } from "../server/processes.ts";
import { benchAnalytics } from "./analytics.ts";
import { integrationTargets, mcpSearchBody } from "./integrations.ts";
import { benchMarkdown } from "./markdown.ts";
import { paced } from "./paced.ts";
import { INSTANT_QUERIES, largeSet, loadSearchService, measureWriteToSearchable, type ReindexFigures, SEARCH_QUERIES, type ServiceRow } from "./search.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Moderate load: 4 requests in flight on 2 cores keeps both busy (one request renders while another
 * waits on PostgreSQL or Meilisearch) without a queue that would make latency mostly waiting time.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 100_000);
/**
 * BENCH_ONLY=<words,...>: measure only the rows whose name contains one of the words (case-insensitive),
 * beside the bare page, and report just those rows and the memory (no targets table, no search service
 * or analytics sections). For re-measuring a page while working on it; a full run reports the targets.
 */
const ONLY = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((word) => word.trim().toLowerCase())
  .filter(Boolean);
const measured = (name: string) => ONLY.length === 0 || name.startsWith("bare page") || ONLY.some((word) => name.toLowerCase().includes(word));
/**
 * The bench's own build: under node_modules/.cache, which every tool and `git` already ignore and
 * where another build (which empties build/) cannot remove it while the bench runs. Removed at the end.
 */
const BUILD_DIR = "node_modules/.cache/commons-bench-build";
/** The bundled server.ts (scripts/build-server.mjs), beside the bench's app build. */
const SERVER_BUNDLE = `${BUILD_DIR}/start/server.js`;
/** Question pages, profiles and titles rotated through, so one cached row does not flatter. */
const ROTATE = 50;

const root = await mkdtemp(path.join(os.tmpdir(), "commons-bench-"));
// As root, PostgreSQL runs as the postgres user (db/embedded.ts), which must be able to pass through.
await chmod(root, 0o711);
const lines: string[] = [];
const log = (line = "") => {
  lines.push(line);
  process.stdout.write(line + "\n");
};
const progress = (line: string) => process.stdout.write(`  ${line}\n`);

async function build(): Promise<void> {
  progress(`building the production app with the bench routes, and the server bundle, into ${BUILD_DIR}…`);
  await run("npx", ["react-router", "build"], { NODE_ENV: "production", COMMONS_BENCH_ROUTES: "1", COMMONS_BUILD_DIR: BUILD_DIR });
  await run(process.execPath, ["scripts/build-server.mjs", SERVER_BUNDLE], {});
}

async function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${out}`);
}

type Started = { child: ChildProcess; ms: number; url: string; stopping: boolean };

async function startApp(dataDir: string, port: number, env: Record<string, string>): Promise<Started> {
  const started = performance.now();
  // What `npm start` runs (package.json): the bundled server with its default heap limit, one
  // process, so its memory is the memory we read.
  const child = spawn(process.execPath, [...startNodeOptions(), SERVER_BUNDLE], {
    env: { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn", COMMONS_BUILD_DIR: BUILD_DIR, ...env },
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
  // Warnings and errors from here on go to the bench's output, and an early exit is said.
  const banner = out.length;
  const app: Started = { child, ms: performance.now() - started, url: `http://localhost:${port}`, stopping: false };
  child.once("exit", (code, signal) => {
    if (!app.stopping) process.stderr.write(`Commons exited (${code ?? signal}) before the bench stopped it:\n${out.slice(banner)}\n`);
  });
  return app;
}

async function stopApp(app: Started): Promise<void> {
  if (app.child.exitCode !== null) return;
  const exited = new Promise((resolve) => app.child.once("exit", resolve));
  app.stopping = true;
  app.child.kill("SIGINT");
  await exited;
}

function kib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

/** Peak (VmHWM) and current (VmRSS) resident memory in MiB of the processes `pids`, summed. */
function memoryOf(pids: number[]): { peak: number; now: number; count: number } {
  let peak = 0;
  let now = 0;
  let count = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      peak += kib(status, "VmHWM");
      now += kib(status, "VmRSS");
      count++;
    } catch {
      continue; // the process ended while we looked
    }
  }
  return { peak: Math.round(peak / 1024), now: Math.round(now / 1024), count };
}

/** A process and its children (PostgreSQL's postmaster and its backends). */
/** A process's command line, words joined by spaces ("" when it is gone). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

function withChildren(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the parenthesised command name, is the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) pids.push(Number(entry));
    } catch {
      continue;
    }
  }
  return pids;
}

/** CPU seconds (user + system) each process has used so far; one that ended is left out. */
function cpuSeconds(pids: number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      continue;
    }
  }
  return used;
}

/** Waits until the processes `pids()` names together use under a tenth of a core for a whole second (at most `maxMs`). */
async function quiet(pids: () => number[], maxMs = 90_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const before = cpuSeconds(pids());
    await sleep(1000);
    let used = 0;
    for (const [pid, seconds] of cpuSeconds([...before.keys()])) used += seconds - before.get(pid)!;
    if (used < 0.1) return;
  }
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

/** Signs a generated customer in to the public forum (its own accounts and cookie). */
async function forumSignIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/signin`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("commons_forum_session="));
  if (!cookie) throw new Error(`forum sign-in as ${email} failed: ${response.status}`);
  return cookie.split(";")[0]!;
}

type Row = {
  name: string;
  connections: number;
  /** Requests per second the load tool held the row to (moderate load), or undefined for "as fast as it answers". */
  rate?: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx/3xx answers, connection errors, timeouts and bodies `failed` rejects. */
  errors: number;
  redirects: number;
  bytes: number;
  /** Responses recorded. */
  requests: number;
  /** Requests per second as a share of the bare page's at the same concurrency. */
  ratio?: number;
  sql?: SqlCost;
  /** POSTs that change data (votes): no ratio to the bare page. */
  write?: boolean;
};

/** What PostgreSQL spent per request during a row (pg_stat_statements), and its costliest statements. */
type SqlCost = { ms: number; statements: number; top: Array<{ query: string; ms: number; calls: number }> };

async function sqlCost(stats: postgres.Sql, requests: number): Promise<SqlCost> {
  const rows = await stats<{ query: string; calls: string; total: number }[]>`
    select query, calls::text as calls, total_exec_time as total from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
    order by total_exec_time desc`;
  const per = (n: number) => n / Math.max(1, requests);
  return {
    ms: per(rows.reduce((sum, r) => sum + r.total, 0)),
    statements: per(rows.reduce((sum, r) => sum + Number(r.calls), 0)),
    top: rows
      .filter((r) => per(r.total) >= 0.05)
      .slice(0, 3)
      .map((r) => ({ query: r.query.replace(/\s+/g, " ").trim(), ms: per(r.total), calls: per(Number(r.calls)) })),
  };
}

/** The `q`-quantile of sorted values, by the nearest-rank method. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * GETs `paths` in turn (each connection cycles through them) for SECONDS, recording every
 * response's latency. `failed` looks at a body and says whether it is a failure a 200 carries
 * (the similar-questions JSON says "unavailable" with a 200).
 */
/**
 * The most requests a second a moderate-load row asks for. bench/paced.ts paces with timers in this
 * process and reads every response itself: at the forum's ~3,000 req/s (half its cached throughput)
 * the tool, not the page, set the latency (p50 21 ms at half the rate that gave 0.4 ms at full
 * load). Every app page stays far below this.
 */
const MODERATE_MAX_RATE = 400;

async function load(
  name: string,
  url: string,
  paths: string[],
  options: { cookie?: string; connections?: number; rate?: number; failed?: (body: string) => boolean; url?: string; headers?: Record<string, string> } = {},
): Promise<Row> {
  // Another server than the app (the public forum): its own address.
  url = options.url ?? url;
  const connections = options.connections ?? CONNECTIONS;
  // The first path must answer 200 as this member, or the row would measure an error page.
  const headers = { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
  const check = await fetch(`${url}${paths[0]}`, { headers, redirect: "manual" });
  const checkBody = await check.text();
  if (check.status !== 200 || options.failed?.(checkBody)) throw new Error(`${name}: GET ${paths[0]} answered ${check.status}: ${checkBody.slice(0, 300)}`);
  if (options.rate) {
    // Moderate load: an even arrival rate (bench/paced.ts), not autocannon's bursts.
    const r = await paced(url, paths, { rate: options.rate, seconds: SECONDS, connections, headers, failed: options.failed });
    r.latencies.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      name,
      connections,
      rate: options.rate,
      rps: Math.round((r.latencies.length / r.seconds) * 10) / 10,
      p50: round(quantile(r.latencies, 0.5)),
      p95: round(quantile(r.latencies, 0.95)),
      p99: round(quantile(r.latencies, 0.99)),
      errors: r.errors,
      redirects: r.redirects,
      bytes: Math.round(r.bytes / Math.max(1, r.latencies.length)),
      requests: r.latencies.length,
    };
  }
  return cannon(
    name,
    url,
    connections,
    headers,
    paths.map((path) => ({ method: "GET", path })),
    { failed: options.failed },
  );
}

/**
 * autocannon for SECONDS: each connection cycles through `requests`, every response's latency
 * recorded. Errors: answers other than 2xx/3xx (`onlyStatus`: other than that status, redirects included),
 * connection errors, timeouts and bodies `failed` rejects.
 */
async function cannon(
  name: string,
  url: string,
  connections: number,
  headers: Record<string, string>,
  requests: Array<{ method: "GET" | "POST"; path: string; body?: string }>,
  options: { failed?: ((body: string) => boolean) | undefined; onlyStatus?: number } = {},
): Promise<Row> {
  const latencies: number[] = [];
  let failedBodies = 0;
  let bytes = 0;
  let redirects = 0;
  let bad = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        duration: SECONDS,
        connections,
        headers,
        requests: requests.map((r) => ({
          ...r,
          ...(options.failed ? { onResponse: (_status: number, body: string) => void (options.failed!(body) && failedBodies++) } : {}),
        })),
      },
      (error, finished) => (error ? reject(error as Error) : resolve(finished)),
    );
    instance.on("response", (_client, statusCode, resBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += resBytes;
      if (options.onlyStatus !== undefined) {
        if (statusCode !== options.onlyStatus) bad++;
      } else if (statusCode >= 300 && statusCode < 400) redirects++;
      else if (statusCode < 200 || statusCode >= 400) bad++;
    });
  });
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    name,
    connections,
    rps: Math.round((latencies.length / result.duration) * 10) / 10,
    p50: round(quantile(latencies, 0.5)),
    p95: round(quantile(latencies, 0.95)),
    p99: round(quantile(latencies, 0.99)),
    errors: bad + failedBodies + result.errors + result.timeouts,
    redirects,
    bytes: Math.round(bytes / Math.max(1, latencies.length)),
    requests: latencies.length,
  };
}

type FormPost = { path: string; body: string };

/**
 * Writes: POSTs form bodies in turn, as `cookie`, with the Origin and content type a browser
 * sends. Each one is sent once beforehand and must answer `expect` (200; a form that redirects on
 * success, 302), so the row measures writes that happen (a refused vote is a 400); during the row any
 * other answer counts as an error.
 */
async function loadPosts(name: string, url: string, posts: FormPost[], options: { cookie: string; connections?: number; expect?: number }): Promise<Row> {
  const headers = { cookie: options.cookie, origin: url, "content-type": "application/x-www-form-urlencoded" };
  const expected = options.expect ?? 200;
  for (const post of posts) {
    const response = await fetch(`${url}${post.path}`, { method: "POST", headers, body: post.body, redirect: "manual" });
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${name}: POST ${post.path} (${post.body}) answered ${response.status}: ${text.slice(0, 300)}`);
  }
  const row = await cannon(
    name,
    url,
    options.connections ?? CONNECTIONS,
    headers,
    posts.map((p) => ({ method: "POST", ...p })),
    { onlyStatus: expected },
  );
  return { ...row, write: true };
}

/** What the rows rotate through, chosen from the generated data as a reader would meet it. */
async function pickTargets(db: Db, memberEmail: string) {
  // Typical questions: several answers, with comments when the data has any, in open spaces; spread over the ids.
  const questions = await db.execute<{ id: number; title: string; answer_count: number; comments: number }>(sql`
    select q.id, q.title, q.answer_count,
      q.comment_count + coalesce((select sum(a.comment_count) from posts a where a.parent_id = q.id and a.deleted_at is null), 0)::int as comments
    from posts q join spaces s on s.id = q.space_id
    where q.type = 'question' and q.deleted_at is null and s.visibility = 'open' and q.answer_count between 3 and 6
    order by (q.comment_count > 0) desc, md5(q.id::text) limit ${ROTATE}`);
  if (questions.length === 0) throw new Error("no question with 3 to 6 answers in an open space");
  // A common tag: the most used in an open space.
  const [tag] = await db.execute<{ name: string; questions: number }>(sql`
    select t.name, sum(st.question_count)::int as questions from space_tags st join tags t on t.id = st.tag_id
    join spaces s on s.id = st.space_id where s.visibility = 'open' group by t.name order by questions desc, t.name limit 1`);
  // Active answerers: the people with the most answers.
  const people = await db.execute<{ id: number; answers: number }>(sql`
    select author_id as id, count(*)::int as answers from posts where type = 'answer' and deleted_at is null
    group by author_id order by answers desc, author_id limit ${ROTATE}`);
  // Issue 18: questions still open to answers (no accepted answer), whose page suggests experts; the busiest open space's routing.
  const openQuestions = await db.execute<{ id: number; title: string }>(sql`
    select q.id, q.title from posts q join spaces s on s.id = q.space_id
    where q.type = 'question' and q.deleted_at is null and s.visibility = 'open' and q.accepted_answer_id is null and q.answer_count between 1 and 3
    order by md5(q.id::text || 'experts') limit ${ROTATE}`);
  const [me] = await db.execute<{ id: number }>(sql`select id from users where email = ${memberEmail}`);
  const [routingSpace] = await db.execute<{ slug: string; questions: number }>(sql`
    select s.slug, count(*)::int as questions from posts q join spaces s on s.id = q.space_id
    where q.type = 'question' and q.deleted_at is null and s.visibility = 'open' group by s.slug order by questions desc, s.slug limit 1`);
  // Titles to look up as if typed on the ask page: other questions' titles, which have neighbours.
  const titles = await db.execute<{ title: string }>(sql`
    select title from posts where type = 'question' and deleted_at is null order by md5(id::text || 'ask') limit ${ROTATE}`);
  // Idea campaigns: the largest open campaign the member sees (ideas not merged away) for its pages;
  // votes go to the largest open one without a vote budget, so that none is refused.
  const open = await db.execute<{ id: number; budget: number | null; ideas: number }>(sql`
    select c.id, c.vote_budget as budget, (select count(*) from ideas i where i.campaign_id = c.id and i.status <> 'merged')::int as ideas
    from campaigns c join spaces s on s.id = c.space_id
    where s.visibility = 'open' and c.archived_at is null and c.closed_at is null and c.starts_at <= now() and c.ends_at > now()
    order by ideas desc, c.id`);
  const campaign = open[0];
  const voting = open.find((c) => c.budget === null);
  if (!campaign || !voting) throw new Error("no open campaign in an open space (and none without a vote budget): the data set has no idea campaigns");
  // The campaign's most common status (merged aside), for the list sorted by votes and filtered by status.
  const [status] = await db.execute<{ status: string; ideas: number }>(sql`
    select status, count(*)::int as ideas from ideas where campaign_id = ${campaign.id} and status <> 'merged'
    group by status order by ideas desc, status limit 1`);
  // Idea pages: ideas of that campaign with comments and a status history.
  const ideaPages = await db.execute<{ id: number; comments: number; events: number }>(sql`
    select i.id, i.comment_count as comments, (select count(*) from idea_events e where e.idea_id = i.id)::int as events
    from ideas i where i.campaign_id = ${campaign.id} and i.comment_count > 0
      and exists (select 1 from idea_events e where e.idea_id = i.id and e.kind = 'status')
    order by md5(i.id::text) limit ${ROTATE}`);
  if (ideaPages.length === 0) throw new Error(`campaign ${campaign.id} has no idea with comments and a status history`);
  // Votes: ideas that take them (votes.server.ts VOTABLE), not owned by the member.
  const votable = await db.execute<{ id: number; itemId: number }>(sql`
    select i.id, i.item_id as "itemId" from ideas i
    where i.campaign_id = ${voting.id} and i.status in ('submitted', 'under_review', 'accepted', 'in_progress')
      and not exists (select 1 from idea_owners o join users u on u.id = o.user_id where o.idea_id = i.id and o.state = 'accepted' and u.email = ${memberEmail})
    order by md5(i.id::text || 'vote') limit ${ROTATE}`);
  if (votable.length === 0) throw new Error(`campaign ${voting.id} has no idea the member can vote for`);
  // An edited question's history (generated posts have at most one edit), as an admin reads it with the redaction forms.
  const [history] = await db.execute<{ id: number; revisions: number }>(sql`
    select p.id, p.revision_count as revisions from posts p join spaces s on s.id = p.space_id
    where p.type = 'question' and p.deleted_at is null and s.visibility = 'open' and p.revision_count >= 2
    order by p.revision_count desc, md5(p.id::text) limit 1`);
  if (!history) throw new Error("no edited question in an open space");
  // Mailed links as their reader opens them: a password reset and an address confirmation (the
  // loaders only look the token up; the rows end well within the reset link's hour).
  const [member] = await db.select({ id: users.id }).from(users).where(eq(users.email, memberEmail));
  const resetToken = await issueToken(db, member!.id, "reset_password");
  const verifyToken = await issueToken(db, member!.id, "verify_email");
  // Issue 15's shared flag form, for answers by others in open spaces (an item of any kind flags alike).
  const flaggable = await db.execute<{ itemId: number }>(sql`
    select a.item_id as "itemId" from posts a join posts q on q.id = a.parent_id join spaces s on s.id = a.space_id
    where a.type = 'answer' and a.deleted_at is null and q.deleted_at is null and s.visibility = 'open' and a.author_id <> ${member!.id}
    order by md5(a.id::text || 'flag') limit ${ROTATE}`);
  if (flaggable.length === 0) throw new Error("no answer in an open space to flag");
  // Issue 16: wiki pages in open spaces (subpages, so breadcrumbs and the sidebar tree have depth), their histories, a space's wiki, articles.
  const wikiPages = await db.execute<{ id: number; slug: string; revisions: number; comments: number }>(sql`
    select w.id, w.slug, w.revision_count as revisions, w.comment_count as comments from wiki_pages w join spaces s on s.id = w.space_id
    where w.deleted_at is null and s.visibility = 'open' and w.parent_id is not null
    order by (w.revision_count >= 2) desc, md5(w.id::text || 'page') limit ${ROTATE}`);
  if (wikiPages.length === 0) throw new Error("no wiki subpage in an open space: the data set has no wiki");
  const [wikiSpace] = await db.execute<{ slug: string; pages: number }>(sql`
    select s.slug, count(*)::int as pages from wiki_pages w join spaces s on s.id = w.space_id
    where w.deleted_at is null and s.visibility = 'open' group by s.slug order by pages desc, s.slug limit 1`);
  const articlePages = await db.execute<{ id: number; title: string }>(sql`
    select a.id, a.title from articles a join spaces s on s.id = a.space_id
    where a.status = 'published' and a.deleted_at is null and s.visibility = 'open' order by md5(a.id::text || 'article') limit ${ROTATE}`);
  if (articlePages.length === 0) throw new Error("no published article in an open space");
  // Issue 17: public kudos in spaces the member sees (their pages), the people holding the most badges (profiles),
  // the most-held badge, the finished award round, a space's kudos feed, and whom the give row thanks.
  const kudosPages = await db.execute<{ id: number }>(sql`
    select k.id from kudos k join spaces s on s.id = k.space_id
    where not k.private and k.deleted_at is null and s.visibility = 'open'
    order by (k.add_on_count > 0) desc, md5(k.id::text) limit ${ROTATE}`);
  if (kudosPages.length === 0) throw new Error("no public kudos in an open space: the data set has no recognition");
  const badgeHolders = await db.execute<{ id: number; awards: number }>(sql`
    select id, (gold_badges + silver_badges + bronze_badges)::int as awards from users
    where kind = 'employee' and deactivated_at is null order by awards desc, id limit ${ROTATE}`);
  const [badge] = await db.execute<{ id: number; holders: number }>(sql`select id, holder_count as holders from badges order by holder_count desc, id limit 1`);
  if (!badge) throw new Error("no badges: the data set's badge job did not run");
  const [round] = await db.execute<{ id: number; nominations: number }>(sql`select id, nomination_count as nominations from award_rounds order by id limit 1`);
  if (!round) throw new Error("no award round in the data set");
  const [kudosSpace] = await db.execute<{ slug: string; kudos: number }>(sql`
    select s.slug, count(*)::int as kudos from kudos k join spaces s on s.id = k.space_id
    where s.visibility = 'open' and not s.company_wide and k.deleted_at is null group by s.slug order by kudos desc, s.slug limit 1`);
  const [thanked] = await db.execute<{ email: string }>(sql`
    select email from users where kind = 'employee' and deactivated_at is null and email <> ${memberEmail} order by id limit 1`);
  const [value] = await db.execute<{ id: number }>(sql`select id from company_values where archived_at is null order by position, id limit 1`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  // Issue 19: published forum threads, the ones with the most answers first (the largest pages).
  const forumThreads = await db.execute<{ id: number; slug: string }>(sql`
    select id, slug from forum_threads where withdrawn_at is null order by answer_count desc, id limit ${ROTATE}`);
  if (forumThreads.length === 0) throw new Error("no published forum threads: the data set predates issue 19");
  // Issue 20: customers' questions (the queue's pages), the most answered first.
  const customerThreads = await db.execute<{ id: number }>(sql`
    select id from forum_threads where origin = 'customer' and moderation = 'visible' order by answer_count desc, id limit ${ROTATE}`);
  if (customerThreads.length === 0) throw new Error("no customer questions on the forum: the data set predates issue 20");
  return {
    queueThreadPaths: customerThreads.map((t) => `/forum/queue/${t.id}`),
    forumThreadPaths: forumThreads.map((t) => `/t/${t.id}/${t.slug}`),
    kudosPaths: kudosPages.map((k) => `/kudos/${k.id}`),
    badgeProfilePaths: badgeHolders.map((p) => `/people/${p.id}`),
    badgeProfileAwards: median(badgeHolders.map((p) => Number(p.awards))),
    badge: { id: Number(badge.id), holders: Number(badge.holders) },
    round: { id: Number(round.id), nominations: Number(round.nominations) },
    kudosSpace: kudosSpace ?? { slug: "company", kudos: 0 },
    // Kudos with 0 points: the give is the same work (kudos, receivers, gift, ledger, notifications, outbox) and never runs out of allowance.
    gives: Array.from({ length: 4 }, (_, i) => ({
      path: "/kudos/new",
      body: new URLSearchParams({ receivers: thanked!.email, valueId: String(value!.id), pointsEach: "0", message: `Thank you for the help with the release, round ${i + 1}.` }).toString(),
    })),
    wikiPagePaths: wikiPages.map((w) => wikiPageUrl(w)),
    wikiHistoryPaths: wikiPages.map((w) => `/wiki/${w.id}/history`),
    wikiRevisions: median(wikiPages.map((w) => Number(w.revisions))),
    wikiSpace: wikiSpace!,
    articlePaths: articlePages.map((a) => articleUrl({ id: Number(a.id), title: a.title })),
    flagPaths: flaggable.map((f) => `/items/${f.itemId}/flag`),
    historyPath: `/posts/${history.id}/revisions`,
    historyRevisions: Number(history.revisions),
    resetPath: `/reset-password/${resetToken}`,
    verifyPath: `/verify-email/${verifyToken}`,
    questionPaths: questions.map((q) => questionUrl({ id: Number(q.id), title: q.title })),
    openQuestionPaths: openQuestions.map((q) => questionUrl({ id: Number(q.id), title: q.title })),
    expertQueries: titles.slice(0, 5).map((t) => t.title),
    routingSpace: routingSpace!,
    ownExpertisePath: `/people/${me!.id}/expertise`,
    questionAnswers: median(questions.map((q) => Number(q.answer_count))),
    questionComments: median(questions.map((q) => Number(q.comments))),
    tag: tag!,
    profilePaths: people.map((p) => `/people/${p.id}`),
    profileAnswers: median(people.map((p) => Number(p.answers))),
    similarPaths: titles.map((t) => `/api/similar-questions?title=${encodeURIComponent(t.title)}`),
    campaign: { id: Number(campaign.id), ideas: Number(campaign.ideas), budget: campaign.budget },
    campaignStatus: status!,
    ideaPaths: ideaPages.map((i) => `/ideas/${i.id}`),
    ideaComments: median(ideaPages.map((i) => Number(i.comments))),
    ideaEvents: median(ideaPages.map((i) => Number(i.events))),
    votingCampaign: { id: Number(voting.id), ideas: Number(voting.ideas) },
    // What a fetcher posts (useFetcher adds the .data suffix of single fetch, the form its _fetcher=1): vote, then take it back, idea after idea.
    votes: votable.flatMap((i) => (["up", "none"] as const).map((value) => ({ path: `/items/${i.itemId}/vote.data`, body: new URLSearchParams({ value, _fetcher: "1" }).toString() }))),
  };
}

/** The bare page's `bytes` parameter that makes it `target` bytes long, from its size at 0 and at `target`. */
async function barePath(url: string, target: number): Promise<string> {
  const size = async (bytes: number) => (await (await fetch(`${url}/bench/bare?bytes=${bytes}`)).arrayBuffer()).byteLength;
  const empty = await size(0);
  const perByte = ((await size(target)) - empty) / target;
  return `/bench/bare?bytes=${Math.max(0, Math.round((target - empty) / perByte))}`;
}

/** The commit measured, and whether the working tree differed from it. */
function codeVersion(): string {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
  try {
    const changed = git("status", "--porcelain", "--untracked-files=no").split("\n").filter(Boolean).length;
    return `commit ${git("rev-parse", "--short", "HEAD")}${changed ? `, with ${changed} files changed in the working tree` : ""}`;
  } catch {
    return "not a git checkout";
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString("en") : "–");

try {
  await build();
  const port = await freePort();
  const forumPort = await freePort();
  const set = await largeSet(path.join(root, "large"), QUESTIONS, progress);
  let app: Started | undefined;
  try {
    app = await startApp(path.join(root, "app"), port, {
      DATABASE_URL: set.databaseUrl,
      // As npm start does with its embedded PostgreSQL: the app's pool over the Unix socket.
      ...(set.databaseSocket ? { DATABASE_SOCKET: set.databaseSocket } : {}),
      MEILI_URL: set.meiliUrl,
      MEILI_MASTER_KEY: set.meiliKey,
      DEMO_SEED: "never",
      // The public forum, as npm start runs it: a child process of the app on its own port.
      FORUM_PORT: String(forumPort),
      // The posting row asks thousands of questions as one customer from one address: the spam
      // limit (5 an hour) would answer 429 after the fifth. The limiter still runs on every post.
      FORUM_QUESTIONS_PER_HOUR: "10000",
      // The API and MCP rows call thousands of times a minute with one token: the per-token limit
      // (600 a minute) would answer 429. The limiter still counts every call in PostgreSQL.
      API_REQUESTS_PER_MINUTE: "1000000",
    });
    const appSince = performance.now() - app.ms;
    const appPid = app.child.pid!;
    const postmaster = Number(readFileSync(path.join(root, "large", "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    const member = await signIn(app.url, set.generation.signInEmail);
    const admin = await signIn(app.url, set.adminEmail);
    const db = createDb(set.databaseUrl, { max: 4 });
    let targets: Awaited<ReturnType<typeof pickTargets>>;
    let integrations: Awaited<ReturnType<typeof integrationTargets>>;
    let writes: Awaited<ReturnType<typeof measureWriteToSearchable>> | undefined;
    try {
      targets = await pickTargets(db, set.generation.signInEmail);
      integrations = await integrationTargets(db, set.generation.signInEmail, set.adminEmail);
      // While the app is fresh: its relay indexes the edits, as it would any other write.
      progress("write to searchable…");
      writes = ONLY.length > 0 ? undefined : await measureWriteToSearchable({ appUrl: app.url, cookie: admin, db, client: createMeiliClient(set.meiliUrl, set.meiliKey, 60_000) });
    } finally {
      await db.close();
    }
    // The app's first reconcile runs a minute after it starts: let it pass, and the relay settle.
    await sleep(Math.max(0, 65_000 - (performance.now() - appSince)));
    const busy = [appPid, set.meiliPid, postmaster];
    const settle = () => quiet(() => busy.flatMap((pid) => (pid === postmaster ? withChildren(pid) : [pid])));

    const rows: Row[] = [];
    const stats = postgres(set.databaseUrl, { max: 1, onnotice: () => {} });
    const row = async (name: string, paths: string[], options: Parameters<typeof load>[3] = {}) => {
      if (!measured(name)) return undefined;
      await settle();
      progress(`${name}…`);
      await stats`select pg_stat_statements_reset()`;
      const r = await load(name, app!.url, paths, { cookie: member, ...options });
      // load() checks the first path once before measuring: one more request for PostgreSQL.
      r.sql = await sqlCost(stats, r.requests + 1);
      rows.push(r);
      return r;
    };
    const writeRow = async (name: string, posts: FormPost[], expect = 200, connections = CONNECTIONS) => {
      if (!measured(name)) return undefined;
      await settle();
      progress(`${name}…`);
      await stats`select pg_stat_statements_reset()`;
      const r = await loadPosts(name, app!.url, posts, { cookie: member, connections, expect });
      // loadPosts sent each request once before measuring.
      r.sql = await sqlCost(stats, r.requests + posts.length);
      rows.push(r);
      return r;
    };
    // Moderate load: the same page held to half the throughput it reached (at most MODERATE_MAX_RATE), so requests rarely queue
    // behind each other; the latency targets are read here, the throughput ratio from the full rows.
    const pair = async (name: string, paths: string[], options: Parameters<typeof load>[3] = {}) => {
      const full = await row(name, paths, options);
      if (!full) return undefined;
      const half = Math.max(1, Math.round(full.rps / 2));
      const rate = Math.min(MODERATE_MAX_RATE, half);
      await row(`${name}, at half that (${rate} req/s${rate < half ? `, the most the paced tool holds` : ""})`, paths, { ...options, rate });
      return full;
    };
    // The question page first: its size sets the bare page's.
    const questionSize =
      (await Promise.all(targets.questionPaths.slice(0, 10).map(async (p) => (await (await fetch(`${app!.url}${p}`, { headers: { cookie: member } })).arrayBuffer()).byteLength))).reduce(
        (a, b) => a + b,
        0,
      ) / 10;
    const bare = [await barePath(app.url, Math.round(questionSize))];
    const bareRow = (await row("bare page, same HTML size (ceiling: no loader, no session)", bare, { cookie: undefined }))!;
    const questionName = `question page (${targets.questionPaths.length} in turn, median ${targets.questionAnswers} answers, ${targets.questionComments} comments)`;
    await pair(questionName, targets.questionPaths);
    await pair("question list, newest", ["/questions"]);
    await pair("question list, unanswered", ["/questions?sort=unanswered"]);
    await pair(`tag page (/tags/${targets.tag.name}, ${fmt(targets.tag.questions)} questions)`, [`/tags/${encodeURIComponent(targets.tag.name)}`]);
    await pair(`user profile (${targets.profilePaths.length} most active answerers in turn, median ${targets.profileAnswers} answers)`, targets.profilePaths);
    await pair(
      `search page (${SEARCH_QUERIES.length} queries in turn)`,
      SEARCH_QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`),
    );
    await pair(
      `/api/search, header box JSON (${INSTANT_QUERIES.length} queries in turn)`,
      INSTANT_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}`),
    );
    await pair("ask-a-question page", ["/questions/ask"]);
    await pair(`/api/similar-questions (${targets.similarPaths.length} titles in turn)`, targets.similarPaths, { failed: (body) => !body.includes('"status":"ok"') });
    // Idea campaigns: the largest open campaign's pages, then an idea page, its roadmap and results.
    const c = targets.campaign;
    const campaignPath = `/campaigns/${c.id}`;
    const campaignName = `campaign page, trending (${campaignPath}, ${fmt(c.ideas)} ideas${c.budget === null ? "" : `, budget ${c.budget}`})`;
    await pair(campaignName, [campaignPath]);
    const topName = `campaign page, top, status ${targets.campaignStatus.status} (${fmt(targets.campaignStatus.ideas)} ideas)`;
    await pair(topName, [`${campaignPath}?sort=top&status=${targets.campaignStatus.status}`]);
    const ideaName = `idea page (${targets.ideaPaths.length} in turn, median ${targets.ideaComments} comments, ${targets.ideaEvents} timeline events)`;
    await pair(ideaName, targets.ideaPaths);
    await pair("campaign roadmap", [`${campaignPath}/roadmap`]);
    await pair("campaign results", [`${campaignPath}/results`]);
    // Issue 14's pages: the signed-out pages of mailed links, a history as a moderator sees it, Admin → Mail.
    await pair("forgot-password page (signed out)", ["/forgot-password"], { cookie: undefined });
    await pair("ask-for-a-new-confirmation-link page (signed out)", ["/verify-email"], { cookie: undefined });
    await pair("reset-password page, from the mailed link (signed out)", [targets.resetPath], { cookie: undefined });
    await pair("confirm-address page, from the mailed link (signed out)", [targets.verifyPath], { cookie: undefined });
    await pair(`revision history as an admin, with redaction forms (${targets.historyRevisions} revisions)`, [targets.historyPath], { cookie: admin });
    await pair("Admin → Mail (outbox health, dead letters)", ["/admin/mail"], { cookie: admin });
    // Issue 15: the one flag form every kind of content shares.
    await pair(`flag form for an answer (/items/:itemId/flag, ${targets.flagPaths.length} in turn)`, targets.flagPaths);
    // Issue 16: a wiki page (breadcrumbs, the sidebar's tree, table of contents, links filtered for the reader), its history, a space's wiki, the article feed and an article.
    await pair(`wiki page (${targets.wikiPagePaths.length} subpages in turn)`, targets.wikiPagePaths);
    await pair(`wiki page history (${targets.wikiHistoryPaths.length} in turn, median ${targets.wikiRevisions} revisions)`, targets.wikiHistoryPaths);
    await pair(`space wiki (/spaces/${targets.wikiSpace.slug}/wiki, ${fmt(targets.wikiSpace.pages)} pages)`, [`/spaces/${targets.wikiSpace.slug}/wiki`]);
    await pair("article feed, newest (/articles)", ["/articles"]);
    await pair(`article page (${targets.articlePaths.length} in turn)`, targets.articlePaths);
    // The wiki's other screens a member opens: its front door, pages due for review, a space's suggestion queue and
    // article feed, and the new-page form (its parent picker lists the space's pages).
    await pair("wiki front door (/wiki)", ["/wiki"]);
    await pair("pages to review (/wiki/review)", ["/wiki/review"]);
    await pair(`suggested edits queue (/spaces/${targets.wikiSpace.slug}/wiki/suggestions)`, [`/spaces/${targets.wikiSpace.slug}/wiki/suggestions`]);
    await pair(`new wiki page form (/spaces/${targets.wikiSpace.slug}/wiki/new)`, [`/spaces/${targets.wikiSpace.slug}/wiki/new`]);
    await pair(`space article feed (/spaces/${targets.wikiSpace.slug}/articles)`, [`/spaces/${targets.wikiSpace.slug}/articles`]);
    // Issue 17: recognition's pages, a profile with badges and kudos, and giving kudos (a write).
    await pair("kudos feed, company (/kudos)", ["/kudos"]);
    await pair(`kudos page (${targets.kudosPaths.length} public kudos in turn)`, targets.kudosPaths);
    await pair("give-kudos form (/kudos/new)", ["/kudos/new"]);
    await pair("my points (/kudos/points)", ["/kudos/points"]);
    await pair(`space kudos feed (/spaces/${targets.kudosSpace.slug}/kudos, ${fmt(targets.kudosSpace.kudos)} kudos)`, [`/spaces/${targets.kudosSpace.slug}/kudos`]);
    await pair(
      `a person's kudos (${targets.profilePaths.length} active answerers in turn)`,
      targets.profilePaths.map((p) => `${p}/kudos`),
    );
    await pair(`profile with badges (${targets.badgeProfilePaths.length} top badge holders in turn, median ${targets.badgeProfileAwards} badges)`, targets.badgeProfilePaths);
    await pair("badges (/badges)", ["/badges"]);
    await pair(`badge page (/badges/${targets.badge.id}, ${fmt(targets.badge.holders)} holders)`, [`/badges/${targets.badge.id}`]);
    await pair("award rounds (/awards)", ["/awards"]);
    await pair(`award round, results (/awards/${targets.round.id}, ${targets.round.nominations} nominations)`, [`/awards/${targets.round.id}`]);
    await pair("rewards catalogue (/rewards)", ["/rewards"]);
    await pair("my redemptions (/rewards/mine)", ["/rewards/mine"]);
    await pair("rewards queue as HR (/rewards/manage, as an admin)", ["/rewards/manage"], { cookie: admin });
    await pair("recognition insights as HR (/hr/recognition, 12 months, as an admin)", ["/hr/recognition"], { cookie: admin });
    await pair("Admin → Recognition (values and allowances)", ["/admin/recognition"], { cookie: admin });
    await writeRow("give kudos (POST /kudos/new, 0 points, answered by a redirect to the kudos)", targets.gives, 302);
    // Issue 18: expert discovery. The question page streams its suggested experts (topic, text and recent parts).
    await pair(`question page without an accepted answer, with suggested experts (${targets.openQuestionPaths.length} in turn)`, targets.openQuestionPaths);
    await pair(`experts page by topic (/experts?topic=${targets.tag.name})`, [`/experts?topic=${encodeURIComponent(targets.tag.name)}`]);
    await pair(
      `experts page, free text (${targets.expertQueries.length} titles in turn)`,
      targets.expertQueries.map((q) => `/experts?q=${encodeURIComponent(q)}`),
    );
    await pair("experts coverage as a moderator (/experts/coverage, as an admin)", ["/experts/coverage"], { cookie: admin });
    await pair(`routing dashboard (/spaces/${targets.routingSpace.slug}/routing, ${fmt(targets.routingSpace.questions)} questions)`, [`/spaces/${targets.routingSpace.slug}/routing`]);
    await pair("people analytics as HR (/hr/people, as an admin)", ["/hr/people"], { cookie: admin });
    await pair("your expertise, explained (/people/:id/expertise, the member's own)", [targets.ownExpertisePath]);
    await pair("Admin → Expertise", ["/admin/expertise"], { cookie: admin });
    // Issue 19: the public forum's thread page, signed out, from the forum's own process (its page cache).
    await pair(`public forum thread page, signed out (${targets.forumThreadPaths.length} threads in turn, from the forum process)`, targets.forumThreadPaths, {
      cookie: undefined,
      url: `http://localhost:${forumPort}`,
    });
    // Issue 20: the forum's list of customers' questions (signed out, cached like the thread page), the
    // forum desk's pages inside, and a customer posting a question (a write on the forum: the insert,
    // the rate limiter's counters, and the app's intake routing each question as it arrives).
    const forumUrl = `http://localhost:${forumPort}`;
    await pair("public forum question list, signed out (/questions, from the forum process)", ["/questions"], { cookie: undefined, url: forumUrl });
    await pair("forum desk: customer questions (/forum/queue)", ["/forum/queue?tab=open"]);
    await pair(`forum desk: a customer question (${targets.queueThreadPaths.length} in turn, as a member)`, targets.queueThreadPaths);
    await pair("forum desk: escalations (/forum/escalations, as an admin)", ["/forum/escalations"], { cookie: admin });
    await pair("forum desk: dashboard (/forum/dashboard, 30 days, as an admin)", ["/forum/dashboard"], { cookie: admin });
    await pair("forum desk: moderation queue (/forum/moderation, as an admin)", ["/forum/moderation"], { cookie: admin });
    await pair("forum desk: responders and SLAs (/forum/responders)", ["/forum/responders"]);
    await pair("Admin → Forum (escalation rules)", ["/admin/forum"], { cookie: admin });
    await pair("live sessions (/sessions)", ["/sessions"]);
    await pair("share kits and my reach (/share)", ["/share"]);
    {
      const customer = await forumSignIn(forumUrl, GENERATED_CUSTOMER_EMAIL);
      // A signed-in customer's pages are never served from the forum's page cache.
      await pair("public forum ask page, signed in (/ask)", ["/ask"], { cookie: customer, url: forumUrl });
      await pair(`public forum: my questions, signed in (/my/questions)`, ["/my/questions"], { cookie: customer, url: forumUrl });
      const asks: FormPost[] = SEARCH_QUERIES.map((q, i) => ({
        path: "/ask",
        body: new URLSearchParams({
          title: `How do I ${q} with the product, case ${i + 1}?`,
          body: `We are trying to ${q} and the documented steps stop halfway. What should we check first?`,
          topics: "",
        }).toString(),
      }));
      const postName = "post a question on the public forum (POST /ask as a customer, answered by a redirect to the thread)";
      if (measured(postName)) {
        await settle();
        progress("posting a question on the forum…");
        await stats`select pg_stat_statements_reset()`;
        const r = await loadPosts(postName, forumUrl, asks, {
          cookie: customer,
          expect: 303,
        });
        r.sql = await sqlCost(stats, r.requests + asks.length);
        rows.push(r);
      }
    }
    // Issue 21: the REST API and the MCP server with a personal access token, SCIM with the admins'
    // token, and the pages of mail settings, tokens, the API reference and Admin → Integrations.
    {
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const api = bearer(integrations.apiToken);
      await pair("REST API: GET /api/v1/questions?limit=20 with a token (JSON)", ["/api/v1/questions?limit=20"], { cookie: undefined, headers: api });
      await pair(
        `REST API: GET /api/v1/questions/{id} with a token (${targets.questionPaths.length} in turn)`,
        targets.questionPaths.map((p) => `/api/v1/questions/${p.split("/")[2]}`),
        { cookie: undefined, headers: api },
      );
      const mcpName = `MCP: tools/call search with a token (${SEARCH_QUERIES.length} queries in turn)`;
      if (measured(mcpName)) {
        const headers = { ...api, "content-type": "application/json", accept: "application/json, text/event-stream" };
        const calls = SEARCH_QUERIES.map((q, i) => ({ path: "/mcp", body: mcpSearchBody(q, i + 1) }));
        const check = await fetch(`${app.url}/mcp`, { method: "POST", headers, body: calls[0]!.body });
        const checkBody = await check.text();
        if (check.status !== 200 || checkBody.includes('"isError":true')) throw new Error(`${mcpName}: answered ${check.status}: ${checkBody.slice(0, 300)}`);
        await settle();
        progress(`${mcpName}…`);
        await stats`select pg_stat_statements_reset()`;
        const r = await cannon(
          mcpName,
          app.url,
          CONNECTIONS,
          headers,
          calls.map((c) => ({ method: "POST", ...c })),
          { onlyStatus: 200, failed: (body) => body.includes('"isError":true') },
        );
        r.sql = await sqlCost(stats, r.requests + 1);
        rows.push(r);
      }
      await pair(
        `SCIM: GET /scim/v2/Users?filter=userName eq (the member, as an identity provider asks)`,
        [`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${integrations.memberEmail}"`)}`],
        {
          cookie: undefined,
          headers: bearer(integrations.scimToken),
        },
      );
      await pair("mail settings (/settings/notifications)", ["/settings/notifications"]);
      await pair("API tokens (/settings/tokens)", ["/settings/tokens"]);
      await pair("API reference (/developers/api, from the OpenAPI document)", ["/developers/api"]);
      await pair("unsubscribe page, from a mail's link (signed out)", [integrations.unsubscribePath], { cookie: undefined });
      await pair("Admin → Integrations", ["/admin/integrations"], { cookie: admin });
      await pair("Admin → Integrations → Webhooks", ["/admin/integrations/webhooks"], { cookie: admin });
      await pair("Admin → Integrations → a webhook endpoint and its delivery log", [integrations.endpointPath], { cookie: admin });
      await pair("Admin → Integrations → Outbound allowlist", ["/admin/integrations/outbound"], { cookie: admin });
      await pair("Admin → Integrations → Chat", ["/admin/integrations/chat"], { cookie: admin });
      await pair("Admin → Integrations → a chat connection", [integrations.chatPath], { cookie: admin });
      await pair("Admin → Integrations → SCIM", ["/admin/integrations/scim"], { cookie: admin });
      await pair("Admin → Integrations → SCIM rules", ["/admin/integrations/scim/rules"], { cookie: admin });
      await pair("Admin → Integrations → SCIM groups", ["/admin/integrations/scim/groups"], { cookie: admin });
    }
    const bareOne = (await row("bare page, 1 connection", bare, { cookie: undefined, connections: 1 }))!;
    await row(`${questionName}, 1 connection`, targets.questionPaths, { connections: 1 });
    // Votes last: the relay indexes each one's idea, which must not weigh on the pages' rows.
    const voteName = `voting: vote/unvote toggles (POST, ${targets.votes.length / 2} ideas in turn, /campaigns/${targets.votingCampaign.id}, one member)`;
    await writeRow(voteName, targets.votes);
    await writeRow(`${voteName}, 1 connection`, targets.votes, 200, 1);
    for (const r of rows) r.ratio = r.rps / (r.connections === 1 ? bareOne.rps : bareRow.rps);
    await stats.end({ timeout: 5 });

    const appMemory = memoryOf([appPid]);
    // The public forum runs as a child process of the app (server/forum-process.ts).
    const forumPids = withChildren(appPid).filter((pid) => pid !== appPid && commandLine(pid).includes("forum.js"));
    const forumMemory = memoryOf(forumPids);
    const pgMemory = memoryOf(withChildren(postmaster));
    const meiliMemory = memoryOf([set.meiliPid]);
    await stopApp(app);

    const service: ServiceRow[] = [];
    if (ONLY.length === 0) {
      const serviceDb = createDb(set.databaseUrl, { max: CONNECTIONS });
      try {
        const client = createMeiliClient(set.meiliUrl, set.meiliKey);
        const common = { db: serviceDb, client, email: set.generation.signInEmail, seconds: SECONDS, concurrency: CONNECTIONS };
        service.push(await loadSearchService({ ...common, name: `search page: search() (${SEARCH_QUERIES.length} queries)`, queries: SEARCH_QUERIES }));
        service.push(await loadSearchService({ ...common, name: `instant: search(), 5 hits, no facets (${INSTANT_QUERIES.length} queries)`, queries: INSTANT_QUERIES, instant: true }));
      } finally {
        await serviceDb.close();
      }
    }
    // Issue 18: the people analytics job (the SNA) on this data, with the app stopped, as the nightly run does it.
    const analytics = ONLY.length > 0 ? undefined : await benchAnalytics(set.databaseUrl);

    // The report.
    const g = set.generation;
    const byName = (start: string, connections = CONNECTIONS) => rows.find((r) => r.name.startsWith(start) && r.connections === connections && r.rate === undefined)!;
    const moderate = (start: string) => rows.find((r) => r.name.startsWith(start) && r.rate !== undefined)!;
    const reindex: ReindexFigures = set.reindex;
    const met = (ok: boolean) => (ok ? "met" : "not met");
    log(`# Commons benchmark, ${new Date().toISOString()}`);
    log();
    log(`Code: ${codeVersion()}.`);
    log(
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; app, PostgreSQL, Meilisearch and the load tool share it.`,
    );
    log(
      `Data: ${g.source}: ${fmt(g.questions)} questions, ${fmt(g.answers)} answers, ${fmt(g.users)} people, ${fmt(g.votes)} votes, ` +
        `${fmt(g.comments)} comments, ${fmt(g.tags)} tags, ${g.spaces} spaces, ${fmt(g.campaigns)} idea campaigns with ${fmt(g.ideas)} ideas, ` +
        `${fmt(g.ideaVotes)} idea votes, ${fmt(g.ideaComments)} idea comments, ${fmt(g.pages)} wiki pages and ${fmt(g.articles)} articles; generated in ${(g.ms / 1000).toFixed(1)} s (vacuum analyze included); ` +
        `database ${fmt(set.databaseMiB)} MiB.`,
    );
    log(
      `Load: autocannon on loopback against the production build (with the bench's bare page), ${CONNECTIONS} connections as fast as the app answers (full load), then the same page at an even half ` +
        `of the throughput it reached (moderate load, bench/paced.ts: latency counted from when each request was due), and 1 connection for the rows that say so, ${SECONDS} s per row, signed in as a generated member (the bare page without a cookie). ` +
        `Latencies: every response's, exact percentiles. Errors: answers other than 2xx/3xx, connection errors, timeouts. App ready in ${(app.ms / 1000).toFixed(1)} s.`,
    );
    log();
    log("| page | conn. | req/s | × bare | p50 ms | p95 ms | p99 ms | errors | bytes/resp | SQL ms/req |");
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of rows) {
      const errors = `${r.errors}${r.redirects ? ` (+${r.redirects} redirects)` : ""}`;
      log(
        `| ${r.name} | ${r.connections} | ${r.rps} | ${r.rate === undefined && !r.write ? r.ratio!.toFixed(2) : "–"} | ${r.p50} | ${r.p95} | ${r.p99} | ${errors} | ${fmt(r.bytes)} | ${r.sql?.ms.toFixed(1) ?? "–"} |`,
      );
    }
    log();
    log("SQL ms/req: PostgreSQL's execution time per request (pg_stat_statements, below); the rest of a request is the app (Node) and waiting.");
    log();
    log(
      "Voting rows: POST /items/:itemId/vote.data (what the vote button's fetcher sends) with value=up, then value=none, idea after idea, as the same member: " +
        "a member's votes in a campaign take turns on their campaign_voters row (docs/decisions/007-idea-campaigns.md), so this is one person's write rate, not the app's. " +
        "Any answer but 200 counts as an error (a refused vote is a 400). The relay indexing each vote's idea runs alongside and is in the SQL figure.",
    );
    log();
    // BENCH_ONLY: the rows asked for and the memory; the targets need every row.
    if (ONLY.length > 0) log(`Partial run: BENCH_ONLY=${ONLY.join(",")} (the rows whose names contain these words, beside the bare page). No targets are judged from it.`);
    if (writes && analytics) {
      // Latency targets at moderate load (each page held to half its own throughput), the throughput
      // ratio at full load.
      const q = byName("question page");
      const qm = moderate("question page");
      const lists = [moderate("question list, newest"), moderate("question list, unanswered"), moderate("tag page")];
      const searches = [moderate("search page"), moderate("/api/search")];
      const writeP95 = writes.spaced.p95;
      // Idea campaigns: figures only, issue 5 sets no targets for them.
      const ideaFigure = (start: string): [string, string, null] => {
        const m = moderate(start);
        const full = byName(start);
        return [`${start} p50 / p95 (at ${m.rate} req/s); throughput`, `${m.p50} / ${m.p95} ms; ${full.ratio!.toFixed(2)} × bare (${full.rps} req/s)`, null];
      };
      const forum = byName("public forum thread page");
      const forumModerate = moderate("public forum thread page");
      const votes = byName("voting:");
      const votesOne = byName("voting:", 1);
      const targetRows: Array<[string, string, boolean | null]> = [
        [`question page p50 ≤ 10 ms (at ${qm.rate} req/s)`, `${qm.p50} ms`, qm.p50 <= 10],
        [`question page p95 ≤ 30 ms (at ${qm.rate} req/s)`, `${qm.p95} ms`, qm.p95 <= 30],
        ["question page ≥ 0.5 × bare page throughput", `${q.ratio!.toFixed(2)} × (${q.rps} / ${bareRow.rps} req/s)`, q.ratio! >= 0.5],
        ...lists.map((r): [string, string, boolean] => [`${r.name.replace(/, at half that.*$/, "").replace(/ \(.*$/, "")} p95 ≤ 40 ms (at ${r.rate} req/s)`, `${r.p95} ms`, r.p95 <= 40]),
        ...searches.map((r): [string, string, boolean] => [`${r.name.replace(/, at half that.*$/, "").replace(/ \(.*$/, "")} p95 ≤ 50 ms (at ${r.rate} req/s)`, `${r.p95} ms`, r.p95 <= 50]),
        ["an edit searchable within 1 s (p95)", `${fmt(writeP95)} ms (${writes.spaced.missed} not found in 30 s)`, writeP95 <= 1000 && writes.spaced.missed === 0],
        ["full reindex ≥ 1,000 documents/s", `${fmt(reindex.total.perSecond)} docs/s`, reindex.total.perSecond >= 1000],
        ["app memory < 300 MB at load (peak RSS)", `${fmt(appMemory.peak)} MiB`, appMemory.peak * 1.048576 < 300],
        ["public forum thread page, signed out ≥ 2 × bare page throughput (issue 19)", `${forum.ratio!.toFixed(2)} × (${forum.rps} / ${bareRow.rps} req/s)`, forum.ratio! >= 2],
        [`public forum thread page p95 ≤ 20 ms (at ${forumModerate.rate} req/s)`, `${forumModerate.p95} ms`, forumModerate.p95 <= 20],
        ideaFigure("campaign page, trending"),
        ideaFigure("campaign page, top"),
        ideaFigure("idea page"),
        ideaFigure("campaign roadmap"),
        ideaFigure("campaign results"),
        [
          `votes (vote/unvote POSTs by one member; ${CONNECTIONS} connections, and 1): writes/s, p50 / p95`,
          `${votes.rps} /s, ${votes.p50} / ${votes.p95} ms; ${votesOne.rps} /s, ${votesOne.p50} / ${votesOne.p95} ms${votes.errors + votesOne.errors > 0 ? `; ${votes.errors + votesOne.errors} errors` : ""}`,
          null,
        ],
      ];
      log(`| target (issue 5; latencies at moderate load: ${CONNECTIONS} connections held to half the page's throughput) | measured | |`);
      log("| --- | ---: | --- |");
      for (const [what, value, ok] of targetRows) log(`| ${what} | ${value} | ${ok === null ? "no target" : met(ok)} |`);
      log();
    }
    log("| memory (MiB), app start to the end of the page rows | peak (VmHWM) | at the end (RSS) |");
    log("| --- | ---: | ---: |");
    log(`| app (node) | ${fmt(appMemory.peak)} | ${fmt(appMemory.now)} |`);
    log(`| public forum (node, ${forumMemory.count} process, a child of the app) | ${fmt(forumMemory.peak)} | ${fmt(forumMemory.now)} |`);
    log(`| PostgreSQL (${pgMemory.count} processes, shared buffers counted per process) | ${fmt(pgMemory.peak)} | ${fmt(pgMemory.now)} |`);
    log(`| Meilisearch (its peak includes the full reindex) | ${fmt(meiliMemory.peak)} | ${fmt(meiliMemory.now)} |`);
    log();
    log("## Where PostgreSQL's time goes");
    log();
    log(
      "pg_stat_statements during each row (reset before it), divided by the row's requests: execution time only (no network, " +
        "no waiting for a connection). The three statements with the most time, as PostgreSQL normalises them.",
    );
    log();
    const code = (text: string) => `\`${(text.length > 240 ? `${text.slice(0, 240)}…` : text).replaceAll("`", "'")}\``;
    for (const r of rows) {
      if (!r.sql || r.connections === 1) continue;
      log(`- **${r.name}**: ${r.sql.ms.toFixed(1)} ms in ${r.sql.statements.toFixed(1)} statements per request`);
      for (const t of r.sql.top) log(`  - ${t.ms.toFixed(1)} ms, ${t.calls.toFixed(1)}×: ${code(t.query)}`);
    }
    log();
    if (writes && analytics) {
      log("## Search");
      log();
      const rate = (r: ReindexFigures[keyof ReindexFigures]) => `${fmt(r.documents)} in ${r.seconds.toFixed(1)} s (${fmt(r.perSecond)} docs/s)`;
      log(`Full reindex (reindexAll, as npm run search:reindex): questions ${rate(reindex.question)}, people ${rate(reindex.person)}; all ${rate(reindex.total)}.`);
      log(`Meilisearch: peak memory through the reindex ${fmt(set.meiliPeakMiB)} MiB; ${fmt(set.meiliDatabaseMiB)} MiB on disk after it.`);
      log();
      log(
        "Write to searchable: an accepted answer edited through the edit form (POST, as a generated admin), the app's relay indexing it, " +
          "Meilisearch searched every 10 ms for the new word; from the edit's response (committed) until found.",
      );
      log();
      log("| writes | n | p50 ms | p95 ms | max ms | not found in 30 s |");
      log("| --- | ---: | ---: | ---: | ---: | ---: |");
      log(`| spaced: one every ${writes.intervalMs} ms | ${writes.spaced.n} | ${writes.spaced.p50} | ${writes.spaced.p95} | ${writes.spaced.max} | ${writes.spaced.missed} |`);
      log(`| burst: ${writes.burst.n + writes.burst.missed} at once | ${writes.burst.n} | ${writes.burst.p50} | ${writes.burst.p95} | ${writes.burst.max} | ${writes.burst.missed} |`);
      log(`| (the edit request itself, POST to response) | ${writes.save.n} | ${writes.save.p50} | ${writes.save.p95} | ${writes.save.max} | |`);
      log();
      log(`| search service in-process (${CONNECTIONS} at a time, ${SECONDS} s; no HTTP, no rendering) | calls/s | p50 ms | p95 ms | p99 ms | unavailable |`);
      log("| --- | ---: | ---: | ---: | ---: | ---: |");
      for (const r of service) log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} |`);
      log();
      log("## People analytics");
      log();
      log(
        `The SNA job (app/features/analytics, as the nightly run): ${fmt(analytics.people)} people, ${fmt(analytics.interactions)} interactions, ${fmt(analytics.edges)} pairs over the whole history; ` +
          `${(analytics.durationMs / 1000).toFixed(1)} s; the worker thread's peak ${fmt(analytics.peakHeapMb)} MB; the bench process's peak resident memory while it ran ${fmt(analytics.processPeakRssMb)} MiB.`,
      );
      log();
    }
    for (const line of benchMarkdown()) log(line);

    await mkdir("bench/results", { recursive: true });
    const file = path.join("bench/results", `${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}.md`);
    await writeFile(file, lines.join("\n") + "\n");
    process.stdout.write(`\nwritten to ${file}\n`);
  } finally {
    if (app) await stopApp(app);
    await set.stop();
  }
} finally {
  await rm(root, { recursive: true, force: true });
  await rm(BUILD_DIR, { recursive: true, force: true });
}

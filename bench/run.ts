/**
 * `npm run bench`: Commons at scale, measured on loopback (figures, never assertions).
 *
 * 1. Builds the production app with the bare page (COMMONS_BENCH_ROUTES=1, see app/routes.ts) into
 *    a directory of its own (BUILD_DIR); `npm run build`'s build/ is left as it is.
 * 2. In a throwaway directory, starts a PostgreSQL and a Meilisearch of their own, generates
 *    BENCH_QUESTIONS questions (default 100,000; bench/dataset.ts) and rebuilds the search indexes
 *    from them, timed (full reindex documents per second).
 * 3. Starts the app (`server.ts`, production) against them, waits for its first reconcile, then:
 *    write to searchable (edits through the edit form as a generated admin until a search finds
 *    them), alone and while one member's idea votes keep the relay busy; then each page with
 *    autocannon for BENCH_SECONDS at BENCH_CONNECTIONS, signed in as a generated member (or an
 *    admin for the pages only they open). Every page's full-load row is preceded by a bare-page row
 *    at the same connections and duration, and its ratio is to that neighbour: the machine's speed
 *    moves within a run and between runs (305 to 184 req/s for the bare page between two days),
 *    and a page judged against its neighbour is judged in the same conditions. The target pages
 *    run BENCH_REPEAT times (bare, full load, moderate load each time) and are judged on the
 *    median. Votes (vote/unvote POSTs as a fetcher sends them) come last. Every response's latency
 *    is recorded, so p50/p95/p99 are exact.
 * 4. Memory, sampled every 500 ms from the data generation to the end (bench/memory.ts): the app's
 *    and the forum's peaks, PostgreSQL counted once (Pss), Meilisearch's anonymous and file-backed
 *    pages apart, and the total at once; what PostgreSQL spent per request of each page and on which
 *    statements (pg_stat_statements); the search service in-process; markdown rendering; and which
 *    page routes of app/routes.ts no row measured (bench/pages.ts).
 * Prints a table with issue 22's targets (and issue 5's that still stand) beside the figures and
 * writes it to bench/results/, with how long the run took.
 *
 * Environment: BENCH_QUESTIONS (default 100000), BENCH_SECONDS (per row, default 10),
 * BENCH_CONNECTIONS (default 4), BENCH_REPEAT (runs of each target row, default 3), BENCH_ONLY
 * (words: measure only the rows whose names hold one, each beside its bare neighbour; "searchable"
 * names the edit-to-searchable rows).
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { eq, type SQL, sql } from "drizzle-orm";
import postgres from "postgres";
import { issueToken } from "../app/features/auth/tokens.server.ts";
import { articleUrl } from "../app/features/articles/article-url.ts";
import { questionUrl } from "../app/features/qa/question-url.ts";
import { PROMOTE_MIN_SCORE } from "../app/features/wiki/governance-schemas.ts";
import { wikiPageUrl } from "../app/features/wiki/page-url.ts";
import { createDb, type Db } from "../db/client.server.ts";
import { users } from "../db/schema/index.ts";
import { DEMO_PASSWORD } from "../db/seed-info.ts";
import { GENERATED_CUSTOMER_EMAIL } from "../db/generate/forum.ts";
import { createMeiliClient } from "../search/client.server.ts";
import { freePort } from "../server/processes.ts";
import { benchAnalytics } from "./analytics.ts";
import { integrationTargets, mcpSearchBody } from "./integrations.ts";
import { benchMarkdown } from "./markdown.ts";
import { childrenOf, commandLine, meiliMemorySettings, memoryTable, startMemorySampler, type Watched } from "./memory.ts";
import { paced } from "./paced.ts";
import { run, signIn, startServer } from "./common.ts";
import { pageCoverage } from "./pages.ts";
import { INSTANT_QUERIES, largeSet, loadSearchService, measureWriteToSearchable, postmasterPid, type ReindexFigures, SEARCH_QUERIES, type ServiceRow, type WriteFigures } from "./search.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Moderate load: 4 requests in flight on 2 cores keeps both busy (one request renders while another
 * waits on PostgreSQL or Meilisearch) without a queue that would make latency mostly waiting time.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 100_000);
/**
 * How many times the target rows run (issue 22's targets table, and issue 5's lists and forum):
 * each run is a bare row, the page at full load and the page at moderate load. The targets are
 * judged on the median, and the spread (min–max) is printed beside it. Other pages run once, to keep
 * a 100,000-question run within about an hour.
 */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
/** Loops posting idea votes while the edit-to-searchable rows run "while votes are being indexed". */
const VOTE_LOOPS = 2;
/**
 * BENCH_ONLY=<words,...>: measure only the rows whose name contains one of the words (case-insensitive),
 * each beside its bare neighbour (target rows BENCH_REPEAT times), and report just those rows, the
 * targets they give and the memory (no search service or analytics sections). For re-measuring a
 * page while working on it; a full run reports every target.
 */
const ONLY = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((word) => word.trim().toLowerCase())
  .filter(Boolean);
const measured = (name: string) => ONLY.length === 0 || ONLY.some((word) => name.toLowerCase().includes(word));
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

type Started = { child: ChildProcess; ms: number; url: string; stopping: boolean };

async function startApp(dataDir: string, port: number, env: Record<string, string>): Promise<Started> {
  const started = performance.now();
  // What `npm start` runs (package.json): the bundled server with its default heap limit, one
  // process, so its memory is the memory we read.
  const { child, output } = await startServer(SERVER_BUNDLE, { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn", COMMONS_BUILD_DIR: BUILD_DIR, ...env }, 120_000);
  // Warnings and errors from here on go to the bench's output, and an early exit is said.
  const banner = output().length;
  const app: Started = { child, ms: performance.now() - started, url: `http://localhost:${port}`, stopping: false };
  child.once("exit", (code, signal) => {
    if (!app.stopping) process.stderr.write(`Commons exited (${code ?? signal}) before the bench stopped it:\n${output().slice(banner)}\n`);
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

/** A process and its children (PostgreSQL's postmaster and its backends). */
const withChildren = (pid: number): number[] => [pid, ...childrenOf(pid)];

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
  /** Requests per second as a share of the bare page's, measured right before this row at the same connections and duration. */
  ratio?: number;
  /** That neighbour bare row's requests per second. */
  bare?: number;
  /** The row's name without its run number and load: the repetitions and the moderate row of a page share it. */
  group?: string;
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

/** The median of `values` (the mean of the middle two for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "median (min–max)" of the runs' figures, or the one figure; `digits` after the point. */
function spreadText(values: number[], unit: string, digits = 1): string {
  const round = (n: number) => Number(n.toFixed(digits)).toLocaleString("en");
  if (values.length === 1) return `${round(values[0]!)}${unit}`;
  return `${round(median(values))}${unit} (${round(Math.min(...values))}–${round(Math.max(...values))})`;
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

type LoadOptions = { cookie?: string | undefined; connections?: number; rate?: number; failed?: (body: string) => boolean; url?: string; headers?: Record<string, string> };

const headersOf = (options: LoadOptions) => ({ ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers });

/** A row whose page does not answer 200 to its reader: listed as not measured, and the run goes on. */
class NotMeasurable extends Error {}

/** The first path must answer 200 as this reader, or the row would measure an error page. */
async function checkFirst(name: string, url: string, paths: string[], options: LoadOptions): Promise<void> {
  const check = await fetch(`${options.url ?? url}${paths[0]}`, { headers: headersOf(options), redirect: "manual" });
  const checkBody = await check.text();
  if (check.status !== 200 || options.failed?.(checkBody)) throw new NotMeasurable(`GET ${paths[0]} answered ${check.status}: ${checkBody.slice(0, 200).replace(/\s+/g, " ")}`);
}

async function load(name: string, url: string, paths: string[], options: LoadOptions = {}): Promise<Row> {
  // Another server than the app (the public forum): its own address.
  url = options.url ?? url;
  const connections = options.connections ?? CONNECTIONS;
  const headers = headersOf(options);
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

/**
 * Ids for the rows issue 22 added (every page since issue 5), each chosen from the generated data. A
 * kind the data set has none of gives no paths (the row is listed as not measured, with why); a query
 * that fails does the same rather than end an hour-long run. Closes `db`.
 */
async function pickPageTargets(db: Db, memberEmail: string) {
  const ids = async (query: SQL): Promise<number[]> => {
    try {
      return (await db.execute<{ id: number }>(query)).map((r) => Number(r.id));
    } catch (error) {
      progress(`bench: a row's target query failed (${error instanceof Error ? error.message : String(error)})`);
      return [];
    }
  };
  try {
    const [me] = await ids(sql`select id from users where email = ${memberEmail}`);
    const answers = await ids(sql`
      select a.id from posts a join spaces s on s.id = a.space_id
      where a.type = 'answer' and a.deleted_at is null and s.visibility = 'open' order by md5(a.id::text || 'edit') limit 10`);
    // Only an accepted answer, or one with enough score, may be promoted to the wiki (else 403).
    const promotable = await ids(sql`
      select a.id from posts a join posts q on q.id = a.parent_id join spaces s on s.id = a.space_id
      where a.type = 'answer' and a.deleted_at is null and q.deleted_at is null and s.visibility = 'open'
        and (q.accepted_answer_id = a.id or a.score >= ${PROMOTE_MIN_SCORE})
      order by md5(a.id::text || 'promote') limit 10`);
    const comments = await ids(sql`
      select c.id from comments c join items i on i.id = c.item_id join posts p on p.item_id = i.id join spaces s on s.id = p.space_id
      where c.deleted_at is null and p.deleted_at is null and s.visibility = 'open' and c.author_id <> ${me ?? 0}
      order by md5(c.id::text || 'flag') limit 10`);
    const suggestions = await db.execute<{ id: number; page_id: number }>(sql`select id, page_id from wiki_suggestions order by md5(id::text) limit 10`).catch(() => []);
    const templates = await ids(sql`select id from wiki_templates order by id limit 10`);
    const articles = await ids(sql`
      select a.id from articles a join spaces s on s.id = a.space_id
      where a.status = 'published' and a.deleted_at is null and s.visibility = 'open' order by md5(a.id::text || 'history') limit 10`);
    const publications = await ids(sql`select id from publications order by id desc limit 10`);
    const escalations = await ids(sql`select id from forum_escalations order by id desc limit 10`);
    const sessions = await ids(sql`select id from live_sessions order by id desc limit 10`);
    const kits = await ids(sql`select id from share_kits where archived_at is null order by id desc limit 10`);
    return {
      answerEditPaths: answers.map((id) => `/posts/${id}/edit`),
      promotePaths: promotable.map((id) => `/posts/${id}/promote`),
      commentFlagPaths: comments.map((id) => `/comments/${id}/flag`),
      suggestionPaths: suggestions.map((r) => `/wiki/${r.page_id}/suggestions/${r.id}`),
      templatePaths: templates.map((id) => `/wiki/templates/${id}`),
      articleIds: articles,
      publicationPaths: publications.map((id) => `/publications/${id}`),
      escalationPaths: escalations.map((id) => `/forum/escalations/${id}`),
      sessionPaths: sessions.map((id) => `/sessions/${id}`),
      kitPaths: kits.map((id) => `/share/kits/${id}`),
    };
  } finally {
    await db.close();
  }
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

const runStarted = performance.now();
/** How long each part of the run took, for the report. */
const took: Array<[string, number]> = [];
const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await work();
  } finally {
    took.push([what, performance.now() - started]);
  }
};
/** The processes the memory sampler reads, filled in as they start. */
const watched: Watched = {};
const sampler = startMemorySampler(() => watched);

try {
  sampler.phase("build");
  await timed("build", build);
  const port = await freePort();
  const forumPort = await freePort();
  const set = await timed("data generation and full reindex", () =>
    largeSet(path.join(root, "large"), QUESTIONS, progress, {
      started: (pids) => {
        watched.postmaster = pids.postmaster;
        watched.meili = pids.meili;
      },
      phase: (name) => sampler.phase(name),
    }),
  );
  const meiliCap = meiliMemorySettings(set.meiliPid);
  let app: Started | undefined;
  const rowsStarted = performance.now();
  try {
    sampler.phase("app start and write to searchable");
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
    const postmaster = postmasterPid(path.join(root, "large"));
    watched.app = appPid;
    // The public forum runs as a child process of the app (server/forum-process.ts).
    watched.forum = childrenOf(appPid).filter((pid) => commandLine(pid).includes("forum.js"));
    const member = await signIn(app.url, set.generation.signInEmail);
    const admin = await signIn(app.url, set.adminEmail);
    const db = createDb(set.databaseUrl, { max: 4 });
    let targets: Awaited<ReturnType<typeof pickTargets>>;
    let integrations: Awaited<ReturnType<typeof integrationTargets>>;
    try {
      targets = await pickTargets(db, set.generation.signInEmail);
      integrations = await integrationTargets(db, set.generation.signInEmail, set.adminEmail);
    } finally {
      await db.close();
    }
    const busy = [appPid, set.meiliPid, postmaster];
    const settle = () => quiet(() => busy.flatMap((pid) => (pid === postmaster ? withChildren(pid) : [pid])));
    // The app's first reconcile runs a minute after it starts: let it pass, and the relay settle,
    // before anything is measured (it would weigh on whichever row it met).
    await sleep(Math.max(0, 65_000 - (performance.now() - appSince)));
    await settle();

    // Write to searchable: alone, then while one member's idea votes keep the relay busy, in turn,
    // BENCH_REPEAT times each (each measurement with words of its own).
    const writes: { alone: WriteFigures[]; votes: WriteFigures[] } = { alone: [], votes: [] };
    if (measured("an edit searchable")) {
      const writeDb = createDb(set.databaseUrl, { max: 4 });
      try {
        const client = createMeiliClient(set.meiliUrl, set.meiliKey, 60_000);
        for (let i = 1; i <= REPEAT; i++) {
          await settle();
          progress(`write to searchable, alone (run ${i}/${REPEAT})…`);
          writes.alone.push(await measureWriteToSearchable({ appUrl: app.url, cookie: admin, db: writeDb, client, seed: 1000 + i }));
          await settle();
          progress(`write to searchable, while votes are indexed (run ${i}/${REPEAT})…`);
          writes.votes.push(
            await measureWriteToSearchable({
              appUrl: app.url,
              cookie: admin,
              db: writeDb,
              client,
              seed: 2000 + i,
              votes: { cookie: member, posts: targets.votes, connections: VOTE_LOOPS },
            }),
          );
        }
      } finally {
        await writeDb.close();
      }
    }

    sampler.phase("page rows");
    // The forum's process, in case it was not up yet when the app said it was ready.
    watched.forum = childrenOf(appPid).filter((pid) => commandLine(pid).includes("forum.js"));
    const rows: Row[] = [];
    /** Every bare row, for the spread over the run. */
    const bares: Row[] = [];
    /** Rows whose page did not answer 200 to its reader, and why: the run goes on without them. */
    const notMeasured: Array<{ name: string; why: string }> = [];
    /** Every path a row asked for, app and forum apart, for the page-route check (bench/pages.ts). */
    const requested: string[] = [];
    const stats = postgres(set.databaseUrl, { max: 1, onnotice: () => {} });
    // The question page first: its size sets the bare page's.
    const questionSize =
      (await Promise.all(targets.questionPaths.slice(0, 10).map(async (p) => (await (await fetch(`${app!.url}${p}`, { headers: { cookie: member } })).arrayBuffer()).byteLength))).reduce(
        (a, b) => a + b,
        0,
      ) / 10;
    const bare = [await barePath(app.url, Math.round(questionSize))];
    /** A bare-page row (no loader, no session, the question page's HTML size) at `connections`, measured as the page rows are. */
    const bareRow = async (connections: number) => {
      await settle();
      progress(`  bare page, ${connections} connection${connections === 1 ? "" : "s"}…`);
      const r = await load("bare page", app!.url, bare, { connections });
      bares.push(r);
      return r;
    };
    /**
     * One row: at full load (no `rate`) a bare row at the same connections first, and the page's ratio
     * to it; at moderate load (`rate`) the page alone. `group` is the page's name without run number or load.
     */
    const row = async (name: string, paths: string[], options: LoadOptions = {}, group = name) => {
      if (!measured(group)) return undefined;
      const opts = { cookie: member, ...options };
      try {
        await checkFirst(name, app!.url, paths, opts);
      } catch (error) {
        if (!(error instanceof NotMeasurable)) throw error;
        progress(`${name}: not measured (${error.message})`);
        notMeasured.push({ name: group, why: error.message });
        return undefined;
      }
      if (!opts.url) requested.push(...paths);
      const neighbour = options.rate === undefined ? await bareRow(opts.connections ?? CONNECTIONS) : undefined;
      // The bare page leaves nothing behind (no loader, no session, no writes): the page follows it at once.
      if (!neighbour) await settle();
      progress(`${name}…`);
      await stats`select pg_stat_statements_reset()`;
      const r = await load(name, app!.url, paths, opts);
      // checkFirst asked for the first path once before measuring: one more request for PostgreSQL.
      r.sql = await sqlCost(stats, r.requests + 1);
      r.group = group;
      if (neighbour) {
        r.bare = neighbour.rps;
        r.ratio = r.rps / neighbour.rps;
      }
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
      r.group = name;
      requested.push(...posts.map((p) => p.path.replace(/\.data$/, "")));
      rows.push(r);
      return r;
    };
    /**
     * A page: at full load beside its bare neighbour, then held to half the throughput it reached (at
     * most MODERATE_MAX_RATE) so requests rarely queue behind each other; the latency targets are read
     * at moderate load, the throughput ratio at full load. `target`: BENCH_REPEAT runs of both.
     * `moderate: false`: the full-load row only (the pages with no latency target added for issue 22's
     * every-page check, to keep the run within an hour).
     */
    const pair = async (name: string, paths: string[], options: LoadOptions = {}, how: { target?: boolean; moderate?: boolean } = {}) => {
      if (!measured(name)) return undefined;
      const runs = how.target ? REPEAT : 1;
      let first: Row | undefined;
      for (let i = 1; i <= runs; i++) {
        const suffix = runs > 1 ? ` [run ${i}/${runs}]` : "";
        const full = await row(`${name}${suffix}`, paths, options, name);
        if (!full) return undefined;
        first ??= full;
        if (how.moderate === false) continue;
        const half = Math.max(1, Math.round(full.rps / 2));
        const rate = Math.min(MODERATE_MAX_RATE, half);
        await row(`${name}, at half that (${rate} req/s${rate < half ? `, the most the paced tool holds` : ""})${suffix}`, paths, { ...options, rate }, name);
      }
      return first;
    };
    /** A page row whose path could not be chosen from the generated data: listed as not measured, with why. */
    const pairOr = async (name: string, paths: string[] | undefined, why: string, options: LoadOptions = {}) => {
      if (!measured(name)) return;
      if (!paths || paths.length === 0) notMeasured.push({ name, why });
      else await pair(name, paths, options, { moderate: false });
    };
    const target = { target: true };
    const questionName = `question page (${targets.questionPaths.length} in turn, median ${targets.questionAnswers} answers, ${targets.questionComments} comments)`;
    await pair(questionName, targets.questionPaths, {}, target);
    await pair("question list, newest", ["/questions"], {}, target);
    await pair("question list, unanswered", ["/questions?sort=unanswered"], {}, target);
    await pair(`tag page (/tags/${targets.tag.name}, ${fmt(targets.tag.questions)} questions)`, [`/tags/${encodeURIComponent(targets.tag.name)}`], {}, target);
    await pair(`user profile (${targets.profilePaths.length} most active answerers in turn, median ${targets.profileAnswers} answers)`, targets.profilePaths, {}, target);
    await pair(
      `search page (${SEARCH_QUERIES.length} queries in turn)`,
      SEARCH_QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`),
      {},
      target,
    );
    await pair(
      `/api/search, header box JSON (${INSTANT_QUERIES.length} queries in turn)`,
      INSTANT_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}`),
      {},
      target,
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
    await pair(
      `public forum thread page, signed out (${targets.forumThreadPaths.length} threads in turn, from the forum process)`,
      targets.forumThreadPaths,
      {
        cookie: undefined,
        url: `http://localhost:${forumPort}`,
      },
      target,
    );
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
        const neighbour = await bareRow(CONNECTIONS);
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
        r.group = mcpName;
        r.bare = neighbour.rps;
        r.ratio = r.rps / neighbour.rps;
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
    // Issue 22: every page route since issue 5 has a row (bench/pages.ts keeps it so). The full-load
    // row only, beside its bare neighbour: these pages have no latency target.
    {
      const t = await pickPageTargets(createDb(set.databaseUrl, { max: 1 }), set.generation.signInEmail);
      const none = (what: string) => `the generated data has no ${what}`;
      const asAdmin = { cookie: admin };
      await pair("home page (/)", ["/"], {}, { moderate: false });
      await pair("spaces (/spaces)", ["/spaces"], {}, { moderate: false });
      await pair(`a space (/spaces/${targets.routingSpace.slug})`, [`/spaces/${targets.routingSpace.slug}`], {}, { moderate: false });
      await pair(`a space's members (/spaces/${targets.routingSpace.slug}/members, as an admin)`, [`/spaces/${targets.routingSpace.slug}/members`], asAdmin, { moderate: false });
      await pair("tags (/tags)", ["/tags"], {}, { moderate: false });
      await pair(`tag SMEs (/tags/${targets.tag.name}/smes)`, [`/tags/${encodeURIComponent(targets.tag.name)}/smes`], {}, { moderate: false });
      await pair(`tag edit form (/tags/${targets.tag.name}/edit, as an admin)`, [`/tags/${encodeURIComponent(targets.tag.name)}/edit`], asAdmin, { moderate: false });
      await pair("notifications (/notifications)", ["/notifications"], {}, { moderate: false });
      await pair("moderation queue (/moderation, as an admin)", ["/moderation"], asAdmin, { moderate: false });
      await pair("sign-in page (signed out)", ["/sign-in"], { cookie: undefined }, { moderate: false });
      await pair("sign-up page (signed out)", ["/sign-up"], { cookie: undefined }, { moderate: false });
      await pair("profile settings (/settings/profile)", ["/settings/profile"], {}, { moderate: false });
      await pair("password settings (/settings/password)", ["/settings/password"], {}, { moderate: false });
      await pair("expertise settings (/settings/expertise)", ["/settings/expertise"], {}, { moderate: false });
      await pair("my anonymous questions (/questions/anonymous)", ["/questions/anonymous"], {}, { moderate: false });
      await pair(
        `ask-this-person form (/questions/:id/experts/ask, ${targets.openQuestionPaths.length} in turn)`,
        targets.openQuestionPaths.map((p) => `/questions/${p.split("/")[2]}/experts/ask`),
        {},
        { moderate: false },
      );
      await pair(
        `close form (/questions/:id/close, as an admin)`,
        targets.questionPaths.slice(0, 10).map((p) => `/questions/${p.split("/")[2]}/close`),
        asAdmin,
        { moderate: false },
      );
      await pairOr("answer edit form (/posts/:id/edit, as an admin)", t.answerEditPaths, none("answers"), asAdmin);
      await pairOr("promote an answer to the wiki (/posts/:id/promote, as an admin)", t.promotePaths, none("accepted or well-scored answers"), asAdmin);
      await pairOr("flag form for a comment (/comments/:id/flag)", t.commentFlagPaths, none("comments by others in open spaces"));
      await pair("idea campaigns (/campaigns)", ["/campaigns"], {}, { moderate: false });
      await pair("new campaign form (/campaigns/new, as an admin)", ["/campaigns/new"], asAdmin, { moderate: false });
      await pair(`submit-an-idea form (/campaigns/${targets.campaign.id}/submit)`, [`/campaigns/${targets.campaign.id}/submit`], {}, { moderate: false });
      await pair(
        "idea history (/ideas/:id/history)",
        targets.ideaPaths.map((p) => `${p}/history`),
        {},
        { moderate: false },
      );
      await pair(
        "idea edit form (/ideas/:id/edit, as an admin)",
        targets.ideaPaths.map((p) => `${p}/edit`),
        asAdmin,
        { moderate: false },
      );
      const wikiIds = targets.wikiHistoryPaths.map((p) => p.split("/")[2]!);
      await pair(
        "wiki page owners (/wiki/:id/owners)",
        wikiIds.map((id) => `/wiki/${id}/owners`),
        {},
        { moderate: false },
      );
      await pair(
        "wiki page verify form (/wiki/:id/verify, as an admin)",
        wikiIds.map((id) => `/wiki/${id}/verify`),
        asAdmin,
        { moderate: false },
      );
      await pair(
        "suggest-an-edit form (/wiki/:id/suggest)",
        wikiIds.map((id) => `/wiki/${id}/suggest`),
        {},
        { moderate: false },
      );
      await pair(
        "a wiki page's suggestions (/wiki/:id/suggestions)",
        wikiIds.map((id) => `/wiki/${id}/suggestions`),
        {},
        { moderate: false },
      );
      await pairOr("a suggested edit (/wiki/:id/suggestions/:id, as an admin)", t.suggestionPaths, none("wiki suggestions"), asAdmin);
      await pair(
        "wiki page edit form (/wiki/:id/edit, as an admin)",
        wikiIds.map((id) => `/wiki/${id}/edit`),
        asAdmin,
        { moderate: false },
      );
      await pair(
        "wiki page move form (/wiki/:id/move, as an admin)",
        wikiIds.map((id) => `/wiki/${id}/move`),
        asAdmin,
        { moderate: false },
      );
      await pair("wiki templates (/wiki/templates, as an admin)", ["/wiki/templates"], asAdmin, { moderate: false });
      await pair("new wiki template form (/wiki/templates/new, as an admin)", ["/wiki/templates/new"], asAdmin, { moderate: false });
      await pairOr("a wiki template (/wiki/templates/:id, as an admin)", t.templatePaths, none("wiki templates"), asAdmin);
      await pair("new article form (/articles/new)", ["/articles/new"], {}, { moderate: false });
      await pair("my article drafts (/articles/drafts)", ["/articles/drafts"], {}, { moderate: false });
      await pair(
        "article edit form (/articles/:id/edit, as an admin)",
        t.articleIds.map((id) => `/articles/${id}/edit`),
        asAdmin,
        { moderate: false },
      );
      await pair(
        "article history (/articles/:id/history)",
        t.articleIds.map((id) => `/articles/${id}/history`),
        {},
        { moderate: false },
      );
      await pair("team kudos (/kudos/team)", ["/kudos/team"], {}, { moderate: false });
      await pair("new badge form (/badges/new, as an admin)", ["/badges/new"], asAdmin, { moderate: false });
      await pair("new award round form (/awards/new, as an admin)", ["/awards/new"], asAdmin, { moderate: false });
      await pair(`award round edit form (/awards/${targets.round.id}/edit, as an admin)`, [`/awards/${targets.round.id}/edit`], asAdmin, { moderate: false });
      await pair(
        "people analytics, a person (/hr/people/:id, as an admin)",
        targets.profilePaths.slice(0, 10).map((p) => `/hr${p}`),
        asAdmin,
        { moderate: false },
      );
      await pair("forum publications (/publications)", ["/publications"], {}, { moderate: false });
      await pair("publication feedback (/publications/feedback)", ["/publications/feedback"], {}, { moderate: false });
      await pairOr("a publication (/publications/:id, as an admin)", t.publicationPaths, none("publications"), asAdmin);
      await pairOr("forum desk: an escalation (/forum/escalations/:id, as an admin)", t.escalationPaths, none("forum escalations"), asAdmin);
      await pair("new live session form (/sessions/new, as an admin)", ["/sessions/new"], asAdmin, { moderate: false });
      await pairOr("a live session (/sessions/:id)", t.sessionPaths, none("live sessions"));
      await pair("share curators (/share/curators, as an admin)", ["/share/curators"], asAdmin, { moderate: false });
      await pair("new share kit form (/share/kits/new, as an admin)", ["/share/kits/new"], asAdmin, { moderate: false });
      await pairOr("a share kit (/share/kits/:id)", t.kitPaths, none("share kits"));
      await pair("Admin → Users", ["/admin/users"], asAdmin, { moderate: false });
      await pair(
        "Admin → a user",
        targets.profilePaths.slice(0, 10).map((p) => `/admin/users/${p.split("/")[2]}`),
        asAdmin,
        { moderate: false },
      );
      await pair("Admin → Spaces", ["/admin/spaces"], asAdmin, { moderate: false });
      await pair(`Admin → a space (/admin/spaces/${targets.routingSpace.slug})`, [`/admin/spaces/${targets.routingSpace.slug}`], asAdmin, { moderate: false });
      await pair("Admin → Reputation", ["/admin/reputation"], asAdmin, { moderate: false });
      await pair("Admin → Search", ["/admin/search"], asAdmin, { moderate: false });
      await pair("Admin → Publishing", ["/admin/publishing"], asAdmin, { moderate: false });
      await pair("Admin → Integrations → new webhook form", ["/admin/integrations/webhooks/new"], asAdmin, { moderate: false });
      await pair("Admin → Integrations → new chat connection form", ["/admin/integrations/chat/new"], asAdmin, { moderate: false });
      // @bench-audit-row (issue 23): the newest page, and one filtered by action (the generated company logs its idea decisions). Its CSV is a resource route (no page), so no row.
      await pair("Admin → Audit log (/admin/audit, unfiltered and by action)", ["/admin/audit", "/admin/audit?action=idea.status_changed"], asAdmin, { moderate: false });
    }
    await row(`${questionName}, 1 connection`, targets.questionPaths, { connections: 1 }, `${questionName}, 1 connection`);
    // Votes last: the relay indexes each one's idea, which must not weigh on the pages' rows.
    const voteName = `voting: vote/unvote toggles (POST, ${targets.votes.length / 2} ideas in turn, /campaigns/${targets.votingCampaign.id}, one member)`;
    await writeRow(voteName, targets.votes);
    await writeRow(`${voteName}, 1 connection`, targets.votes, 200, 1);
    await stats.end({ timeout: 5 });
    const memory = sampler.figures();
    await stopApp(app);
    const rowsMs = performance.now() - rowsStarted;
    took.push(["app rows (write to searchable, pages, votes)", rowsMs]);
    const rowCount = rows.length + bares.length;

    const service: ServiceRow[] = [];
    const analyticsStarted = performance.now();
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
    if (ONLY.length === 0) took.push(["search service and people analytics", performance.now() - analyticsStarted]);
    sampler.stop();

    // The report.
    const g = set.generation;
    /** The full-load rows of a page (every run), and its moderate-load rows. */
    const fulls = (start: string, connections = CONNECTIONS) => rows.filter((r) => r.group?.startsWith(start) && r.connections === connections && r.rate === undefined);
    const moderates = (start: string) => rows.filter((r) => r.group?.startsWith(start) && r.rate !== undefined);
    const reindex: ReindexFigures = set.reindex;
    const met = (ok: boolean) => (ok ? "met" : "not met");
    const bareFull = bares.filter((r) => r.connections === CONNECTIONS).map((r) => r.rps);
    const bareOne = bares.filter((r) => r.connections === 1).map((r) => r.rps);
    const minMedianMax = (values: number[]) => (values.length === 0 ? "–" : `min ${Math.min(...values)}, median ${median(values)}, max ${Math.max(...values)}`);
    const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
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
    log(
      `Bare page: each full-load row is preceded by a bare-page row at the same connections for the same ${SECONDS} s, and "× bare" is the page's throughput over that neighbour's ("bare beside"). ` +
        `Over this run the bare page gave ${minMedianMax(bareFull)} req/s at ${CONNECTIONS} connections (${bareFull.length} rows)` +
        `${bareOne.length > 0 ? ` and ${minMedianMax(bareOne)} req/s at 1 connection (${bareOne.length})` : ""}: how much the machine moved while it ran.`,
    );
    log(
      `Repetitions: the target rows (question page, question lists, tag page, user profile, search page, /api/search, the public forum thread page, and the edit-to-searchable rows) ran ${REPEAT} times each, ` +
        `each run with its own bare neighbour; the targets below are their medians, with the spread (min–max). Every other page ran once, its ratio from its own neighbour.`,
    );
    log(
      `Time: the run took ${minutes(performance.now() - runStarted)} (${took.map(([what, ms]) => `${what} ${minutes(ms)}`).join(", ")}); ${rowCount} load rows (${bares.length} of them bare) at ${SECONDS} s each.`,
    );
    log();
    log("| page | conn. | req/s | bare beside | × bare | p50 ms | p95 ms | p99 ms | errors | bytes/resp | SQL ms/req |");
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of rows) {
      const errors = `${r.errors}${r.redirects ? ` (+${r.redirects} redirects)` : ""}`;
      log(
        `| ${r.name} | ${r.connections} | ${r.rps} | ${r.bare ?? "–"} | ${r.ratio === undefined ? "–" : r.ratio.toFixed(2)} | ${r.p50} | ${r.p95} | ${r.p99} | ${errors} | ${fmt(r.bytes)} | ${r.sql?.ms.toFixed(1) ?? "–"} |`,
      );
    }
    log();
    log("SQL ms/req: PostgreSQL's execution time per request (pg_stat_statements, below); the rest of a request is the app (Node) and waiting.");
    log();
    if (notMeasured.length > 0) {
      log("Not measured (the page did not answer 200 to its reader, or the data has nothing to show):");
      log();
      for (const n of notMeasured) log(`- ${n.name}: ${n.why}`);
      log();
    }
    log(
      "Voting rows: POST /items/:itemId/vote.data (what the vote button's fetcher sends) with value=up, then value=none, idea after idea, as the same member: " +
        "a member's votes in a campaign take turns on their campaign_voters row (docs/decisions/007-idea-campaigns.md), so this is one person's write rate, not the app's. " +
        "Any answer but 200 counts as an error (a refused vote is a 400). The relay indexing each vote's idea runs alongside and is in the SQL figure.",
    );
    log();
    if (ONLY.length > 0)
      log(`Partial run: BENCH_ONLY=${ONLY.join(",")} (the rows whose names contain these words, each beside its bare neighbour). Targets are judged only from the rows measured.`);
    log();
    // The targets: each line from every run of its rows (median, spread), or left out when its rows were not measured.
    type Target = [what: string, value: string, ok: boolean | null];
    const targetRows: Target[] = [];
    const ratioTarget = (what: string, start: string, min: number) => {
      const runs = fulls(start);
      if (runs.length === 0) return;
      const ratio = median(runs.map((r) => r.ratio!));
      targetRows.push([
        `${what} ≥ ${min} × bare page throughput`,
        `${spreadText(
          runs.map((r) => r.ratio!),
          " ×",
          2,
        )}; ${median(runs.map((r) => r.rps))} / ${median(runs.map((r) => r.bare!))} req/s`,
        ratio >= min,
      ]);
    };
    const latencyTarget = (what: string, start: string, key: "p50" | "p95", max: number) => {
      const runs = moderates(start);
      if (runs.length === 0) return;
      const value = median(runs.map((r) => r[key]));
      targetRows.push([
        `${what} ${key} ≤ ${max} ms (at ${spreadText(
          runs.map((r) => r.rate!),
          " req/s",
        )})`,
        `${spreadText(
          runs.map((r) => r[key]),
          " ms",
        )}`,
        value <= max,
      ]);
    };
    ratioTarget("question page", "question page (", 0.5);
    latencyTarget("question page", "question page (", "p50", 10);
    latencyTarget("question page", "question page (", "p95", 30);
    latencyTarget("tag page", "tag page", "p95", 40);
    ratioTarget("user profile", "user profile", 0.35);
    latencyTarget("search page", "search page", "p95", 50);
    const writeTarget = (what: string, runs: WriteFigures[]) => {
      if (runs.length === 0) return;
      const p95 = median(runs.map((w) => w.spaced.p95));
      const missed = runs.reduce((n, w) => n + w.spaced.missed, 0);
      targetRows.push([
        `an edit searchable, p95 ≤ 500 ms, ${what} (spaced edits)`,
        `${spreadText(
          runs.map((w) => w.spaced.p95),
          " ms",
        )}${missed ? `; ${missed} not found in 30 s` : ""}`,
        p95 <= 500 && missed === 0,
      ]);
    };
    writeTarget("alone", writes.alone);
    writeTarget("while votes are being indexed", writes.votes);
    const meiliAnonLimit = 1.5e9 / 2 ** 20; // 1.5 GB, in MiB
    targetRows.push([
      `full reindex ≥ 1,500 documents/s with Meilisearch's memory capped (cap: ${meiliCap})`,
      `${fmt(reindex.total.perSecond)} docs/s`,
      reindex.total.perSecond >= 1500 && meiliCap !== "none",
    ]);
    targetRows.push([
      "Meilisearch anonymous memory (RssAnon) peak ≤ 1.5 GB, reindex included; file-backed pages (RssFile) apart",
      `${fmt(memory.meili.anonPeak)} MiB (RssFile peak ${fmt(memory.meili.filePeak)} MiB)`,
      memory.meili.anonPeak <= meiliAnonLimit,
    ]);
    targetRows.push(["app peak memory < 300 MiB (VmHWM)", `${fmt(memory.app.hwm)} MiB`, memory.app.hwm < 300]);
    targetRows.push(["the embedded default's total at once (app + forum + PostgreSQL Pss + Meilisearch RSS), peak", `${fmt(memory.total.peak)} MiB (during ${memory.total.phase})`, null]);
    // Issue 5's lines that still stand.
    latencyTarget("question list, newest", "question list, newest", "p95", 40);
    latencyTarget("question list, unanswered", "question list, unanswered", "p95", 40);
    latencyTarget("/api/search, header box JSON", "/api/search", "p95", 50);
    ratioTarget("public forum thread page, signed out (issue 19)", "public forum thread page", 2);
    latencyTarget("public forum thread page", "public forum thread page", "p95", 20);
    // Idea campaigns: figures only, issue 5 sets no targets for them.
    for (const start of ["campaign page, trending", "campaign page, top", "idea page", "campaign roadmap", "campaign results"]) {
      const m = moderates(start)[0];
      const full = fulls(start)[0];
      if (m && full) targetRows.push([`${start} p50 / p95 (at ${m.rate} req/s); throughput`, `${m.p50} / ${m.p95} ms; ${full.ratio!.toFixed(2)} × bare (${full.rps} req/s)`, null]);
    }
    const votes = fulls("voting:")[0];
    const votesOne = fulls("voting:", 1)[0];
    if (votes && votesOne) {
      targetRows.push([
        `votes (vote/unvote POSTs by one member; ${CONNECTIONS} connections, and 1): writes/s, p50 / p95`,
        `${votes.rps} /s, ${votes.p50} / ${votes.p95} ms; ${votesOne.rps} /s, ${votesOne.p50} / ${votesOne.p95} ms${votes.errors + votesOne.errors > 0 ? `; ${votes.errors + votesOne.errors} errors` : ""}`,
        null,
      ]);
    }
    log(
      `| target (issue 22, and issue 5's that stand; latencies at moderate load: ${CONNECTIONS} connections held to half the page's throughput; median of the runs, spread in brackets) | measured | |`,
    );
    log("| --- | ---: | --- |");
    for (const [what, value, ok] of targetRows) log(`| ${what} | ${value} | ${ok === null ? "no target" : met(ok)} |`);
    log();
    for (const line of memoryTable(memory, "from the data generation to the end of the rows")) log(line);
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
    log("## Search");
    log();
    const rate = (r: ReindexFigures[keyof ReindexFigures]) => `${fmt(r.documents)} in ${r.seconds.toFixed(1)} s (${fmt(r.perSecond)} docs/s)`;
    log(`Full reindex (reindexAll, as npm run search:reindex): questions ${rate(reindex.question)}, people ${rate(reindex.person)}; all ${rate(reindex.total)}.`);
    log(
      `Meilisearch (indexing memory cap: ${meiliCap}): peak resident memory through the reindex ${fmt(set.meiliPeakMiB)} MiB (VmHWM: anonymous and file-backed together); ${fmt(set.meiliDatabaseMiB)} MiB on disk after it.`,
    );
    log();
    if (writes.alone.length + writes.votes.length > 0) {
      log(
        "Write to searchable: an accepted answer edited through the edit form (POST, as a generated admin), the app's relay indexing it, " +
          "Meilisearch searched every 10 ms for the new word; from the edit's response (committed) until found. Measured after the app's first reconcile, " +
          `alone and while ${VOTE_LOOPS} loops post the member's idea vote/unvote toggles (as the voting row) from a second before the first edit to the end of the burst, in turn, ${REPEAT} times each.`,
      );
      log();
      log("| writes | run | n | p50 ms | p95 ms | max ms | not found in 30 s | votes meanwhile: posted / idea rows indexed / idea rows pending at each edit (p50, max) |");
      log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
      const writeLines = (label: string, runs: WriteFigures[]) =>
        runs.forEach((w, i) => {
          const v = w.votes
            ? `${fmt(w.votes.sent)}${w.votes.errors ? ` (+${w.votes.errors} refused)` : ""} / ${fmt(w.votes.indexed)} / ${w.votes.pendingAtEdit.p50}, ${w.votes.pendingAtEdit.max}`
            : "–";
          log(`| ${label}, spaced: one every ${w.intervalMs} ms | ${i + 1} | ${w.spaced.n} | ${w.spaced.p50} | ${w.spaced.p95} | ${w.spaced.max} | ${w.spaced.missed} | ${v} |`);
          log(`| ${label}, burst: ${w.burst.n + w.burst.missed} at once | ${i + 1} | ${w.burst.n} | ${w.burst.p50} | ${w.burst.p95} | ${w.burst.max} | ${w.burst.missed} | |`);
          log(`| ${label}, the edit request itself (POST to response) | ${i + 1} | ${w.save.n} | ${w.save.p50} | ${w.save.p95} | ${w.save.max} | | |`);
        });
      writeLines("alone", writes.alone);
      writeLines("while votes are indexed", writes.votes);
      log();
    }
    if (service.length > 0) {
      log(`| search service in-process (${CONNECTIONS} at a time, ${SECONDS} s; no HTTP, no rendering) | calls/s | p50 ms | p95 ms | p99 ms | unavailable |`);
      log("| --- | ---: | ---: | ---: | ---: | ---: |");
      for (const r of service) log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} |`);
      log();
    }
    if (analytics) {
      log("## People analytics");
      log();
      log(
        `The SNA job (app/features/analytics, as the nightly run): ${fmt(analytics.people)} people, ${fmt(analytics.interactions)} interactions, ${fmt(analytics.edges)} pairs over the whole history; ` +
          `${(analytics.durationMs / 1000).toFixed(1)} s; the worker thread's peak ${fmt(analytics.peakHeapMb)} MB; the bench process's peak resident memory while it ran ${fmt(analytics.processPeakRssMb)} MiB.`,
      );
      log();
    }
    log("## Every page has a row");
    log();
    for (const line of pageCoverage(requested, ONLY.length > 0)) log(line);
    log();
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
  sampler.stop();
  await rm(root, { recursive: true, force: true });
  await rm(BUILD_DIR, { recursive: true, force: true });
}

/**
 * `npm run soak`: Commons under a steady mixed load for half an hour (issue 23), to show that its
 * memory stays flat, that nothing fails and that the outboxes keep up.
 *
 * 1. Builds the production app and the server bundle into a directory of its own (as the bench).
 * 2. In a throwaway directory, starts a PostgreSQL and a Meilisearch of their own, generates
 *    SOAK_QUESTIONS questions (default 20,000; bench/dataset.ts, as `npm run bench`) and indexes them.
 * 3. Gives SOAK_PEOPLE generated employees (default 40) the demo password, starts the bundled app
 *    as `npm start` does (its heap limit; mail goes to the embedded MailDev it starts), with /metrics
 *    on, and signs them all in.
 * 4. For SOAK_MINUTES (default 30), at SOAK_RATE requests a second (default 8, an even rate, never
 *    more than 16 in flight), each request by one of those people, drawn from a fixed mix: question
 *    pages, the question lists, tag pages, search, profiles and the home page (four in five), and
 *    writes (one in five): answers, comments, votes (up, then taken back later), kudos (0 points)
 *    and edits of the answers the soak wrote.
 * 5. Every 2 s it reads the app's /metrics; every 10 s it keeps a sample: RSS, heap used and the
 *    heap's floor over those 10 s, the search and mail outboxes' pending rows and dead letters, and
 *    the requests, writes and errors so far.
 * At the end it prints and writes bench/results/soak-<time>.md (bench/soak-verdict.ts): the memory
 * slopes after a 2-minute warm-up, the outboxes at the start, middle and end, and the verdict. It
 * exits 1 on any error, an outbox that grew, or a slope above SLOPE_LIMIT_MIB_PER_HOUR.
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { hashPassword } from "../app/features/auth/password.server.ts";
import { questionUrl } from "../app/features/qa/question-url.ts";
import { createDb } from "../db/client.server.ts";
import { DEMO_PASSWORD } from "../db/seed-info.ts";
import { freePort } from "../server/processes.ts";
import { random } from "../db/generate/random.ts";
import { run, signIn, startServer } from "./common.ts";
import { largeSet, SEARCH_QUERIES } from "./search.ts";
import {
  metricValue,
  OUTBOX_BACKLOG_ROWS,
  OUTBOX_SLOPE_LIMIT_PER_HOUR,
  SLOPE_LIMIT_MIB_PER_HOUR,
  SLOPE_MIN_WINDOW_SECONDS,
  type SoakSample,
  soakVerdict,
  WARMUP_SECONDS,
} from "./soak-verdict.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const QUESTIONS = Number(process.env.SOAK_QUESTIONS ?? 20_000);
/** Moderate: about a fifth of what the question page serves flat out on 2 cores (~40 req/s), so the app keeps up with room to spare. */
const RATE = Number(process.env.SOAK_RATE ?? 8);
const PEOPLE = Number(process.env.SOAK_PEOPLE ?? 40);
/** More in flight than this means the app has fallen behind: the tick is skipped and counted, not queued without end. */
const MAX_IN_FLIGHT = 16;
const SAMPLE_SECONDS = 10;
const SCRAPE_SECONDS = 2;
/** Its own build, where `npm run build` (which empties build/) cannot remove it meanwhile. Removed at the end. */
const BUILD_DIR = "node_modules/.cache/commons-soak-build";
const SERVER_BUNDLE = `${BUILD_DIR}/start/server.js`;
const METRICS_TOKEN = randomUUID();
const MIB = 2 ** 20;

const progress = (line: string) => process.stdout.write(`  ${line}\n`);

// The generator's deterministic random numbers, so two soaks of the same size send the same mix.
const rand = random(23);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

type Person = { id: number; email: string; cookie: string; answers: number[]; votedUp: number[] };
type Question = { path: string; itemId: number; answerItemIds: number[]; authorIds: number[] };

/** What the load reads and writes, from the generated data: open spaces only, so every person sees it. */
async function pickTargets(databaseUrl: string) {
  const db = createDb(databaseUrl, { max: 2 });
  try {
    // Active employees who are plain members: the people of the soak.
    const people = await db.execute<{ id: number; email: string }>(sql`
      select id, email from users where kind = 'employee' and role = 'member' and deactivated_at is null
      order by md5(id::text || 'soak') limit ${PEOPLE}`);
    if (people.length < 2) throw new Error("the generated data has fewer than two active members");
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db.execute(sql`update users set password_hash = ${passwordHash} where id in ${sql.raw(`(${people.map((p) => Number(p.id)).join(",")})`)}`);
    const questions = await db.execute<{ id: number; title: string; item_id: number; answers: number[] | null; authors: number[] | null }>(sql`
      select q.id, q.title, q.item_id,
        (select array_agg(a.item_id) from posts a where a.parent_id = q.id and a.deleted_at is null) as answers,
        (select array_agg(a.author_id) from posts a where a.parent_id = q.id and a.deleted_at is null) || array[q.author_id] as authors
      from posts q join spaces s on s.id = q.space_id
      where q.type = 'question' and q.deleted_at is null and q.closed_at is null and s.visibility = 'open'
      order by md5(q.id::text || 'soak') limit 200`);
    if (questions.length === 0) throw new Error("no open question in an open space");
    // Answers to vote on, by nobody in the soak (one's own post takes no vote).
    const ids = people.map((p) => Number(p.id));
    const votable = await db.execute<{ item_id: number }>(sql`
      select a.item_id from posts a join spaces s on s.id = a.space_id
      where a.type = 'answer' and a.deleted_at is null and s.visibility = 'open' and a.author_id not in ${sql.raw(`(${ids.join(",")})`)}
      order by md5(a.id::text || 'soak') limit 400`);
    const tags = await db.execute<{ name: string }>(sql`select name from tags order by md5(name) limit 40`);
    const profiles = await db.execute<{ id: number }>(sql`
      select id from users where kind = 'employee' and deactivated_at is null order by md5(id::text || 'profile') limit 100`);
    const [value] = await db.execute<{ id: number }>(sql`select id from company_values where archived_at is null order by position, id limit 1`);
    if (!value) throw new Error("the generated data has no company value to give kudos for");
    return {
      people: people.map((p) => ({ id: Number(p.id), email: p.email })),
      questions: questions.map((q): Question => ({
        path: questionUrl({ id: Number(q.id), title: q.title }),
        itemId: Number(q.item_id),
        answerItemIds: (q.answers ?? []).map(Number),
        authorIds: (q.authors ?? []).map(Number),
      })),
      votable: votable.map((v) => Number(v.item_id)),
      tagPaths: tags.map((t) => `/tags/${encodeURIComponent(t.name)}`),
      profilePaths: profiles.map((p) => `/people/${p.id}`),
      valueId: Number(value.id),
    };
  } finally {
    await db.close();
  }
}

type Targets = Awaited<ReturnType<typeof pickTargets>>;

/** One request of the mix: a read (GET, wants 200) or a write (form POST, wants `expect`). */
type SoakRequest = { kind: string; method: "GET" | "POST"; path: string; body?: Record<string, string>; expect: number; then?: (response: Response) => void };

const READS: Array<[number, (t: Targets) => SoakRequest]> = [
  [30, (t) => ({ kind: "question page", method: "GET", path: pick(t.questions).path, expect: 200 })],
  [10, () => ({ kind: "question list", method: "GET", path: pick(["/questions", "/questions?sort=active", "/questions?sort=unanswered", "/questions?sort=top"]), expect: 200 })],
  [4, () => ({ kind: "home", method: "GET", path: "/", expect: 200 })],
  [2, () => ({ kind: "tags", method: "GET", path: "/tags", expect: 200 })],
  [10, (t) => ({ kind: "tag page", method: "GET", path: pick(t.tagPaths), expect: 200 })],
  [14, () => ({ kind: "search", method: "GET", path: `/search?q=${encodeURIComponent(pick(SEARCH_QUERIES))}`, expect: 200 })],
  [10, (t) => ({ kind: "profile", method: "GET", path: pick(t.profilePaths), expect: 200 })],
];

let written = 0;
/** The writes of the mix, as the person's browser would post them. */
function write(t: Targets, person: Person): SoakRequest {
  const n = ++written;
  const roll = rand() * 20;
  // An edit of one of the soak's own answers (a person may always edit their own).
  if (roll < 4 && person.answers.length > 0) {
    const answer = pick(person.answers);
    return {
      kind: "edit",
      method: "POST",
      path: `/posts/${answer}/edit`,
      body: { intent: "edit", body: `Edited during the soak (${n}): the runbook step that restarts the worker, then the check that it is back.`, comment: `soak edit ${n}` },
      expect: 302,
    };
  }
  // A vote taken back: the data keeps its size.
  if (roll < 7 && person.votedUp.length > 0) {
    const itemId = person.votedUp.shift()!;
    return { kind: "vote", method: "POST", path: `/items/${itemId}/vote.data`, body: { value: "none", _fetcher: "1" }, expect: 200 };
  }
  if (roll < 10) {
    const itemId = pick(t.votable);
    if (!person.votedUp.includes(itemId)) {
      person.votedUp.push(itemId);
      return { kind: "vote", method: "POST", path: `/items/${itemId}/vote.data`, body: { value: "up", _fetcher: "1" }, expect: 200 };
    }
  }
  if (roll < 12) {
    const receiver = pick(t.people.filter((p) => p.id !== person.id));
    return {
      kind: "kudos",
      method: "POST",
      path: "/kudos/new",
      body: { receivers: receiver.email, valueId: String(t.valueId), pointsEach: "0", message: `Thank you for the help with the release (soak ${n}).` },
      expect: 302,
    };
  }
  const question = pick(t.questions);
  if (roll < 16) {
    const itemId = pick([question.itemId, ...question.answerItemIds]);
    return {
      kind: "comment",
      method: "POST",
      path: question.path,
      body: { intent: "comment", itemId: String(itemId), body: `A comment from the soak, number ${n}.`, submissionKey: randomUUID() },
      expect: 302,
    };
  }
  return {
    kind: "answer",
    method: "POST",
    path: question.path,
    body: { intent: "answer", body: `An answer from the soak, number ${n}: restart the worker, then check the queue drains.`, submissionKey: randomUUID() },
    expect: 302,
    // The redirect names the new answer (#answer-<id>): the person may edit it later.
    then: (response) => {
      const id = /#answer-(\d+)$/.exec(response.headers.get("location") ?? "")?.[1];
      if (id) person.answers.push(Number(id));
    },
  };
}

const readWeight = READS.reduce((s, [w]) => s + w, 0);
/** Four reads in five, one write. */
function next(t: Targets, people: Person[]): { person: Person; request: SoakRequest; write: boolean } {
  const person = pick(people);
  if (rand() < 0.2) return { person, request: write(t, person), write: true };
  let roll = rand() * readWeight;
  for (const [weight, make] of READS) {
    roll -= weight;
    if (roll < 0) return { person, request: make(t), write: false };
  }
  return { person, request: READS[0]![1](t), write: false };
}

type Counts = {
  requests: number;
  writes: number;
  errors: number;
  unexpected: number;
  skipped: number;
  byKind: Map<string, { n: number; latencies: number[]; unexpected: number; errors: number }>;
  firstProblems: string[];
};

async function send(url: string, person: Person, request: SoakRequest, counts: Counts, isWrite: boolean): Promise<void> {
  const kind = counts.byKind.get(request.kind) ?? { n: 0, latencies: [], unexpected: 0, errors: 0 };
  counts.byKind.set(request.kind, kind);
  const started = performance.now();
  const note = (what: string) => counts.firstProblems.length < 10 && counts.firstProblems.push(`${request.method} ${request.path}: ${what}`);
  try {
    const response = await fetch(`${url}${request.path}`, {
      method: request.method,
      redirect: "manual",
      headers: request.method === "POST" ? { cookie: person.cookie, origin: url, "content-type": "application/x-www-form-urlencoded" } : { cookie: person.cookie },
      ...(request.body ? { body: new URLSearchParams(request.body).toString() } : {}),
    });
    const text = await response.text();
    kind.latencies.push(performance.now() - started);
    kind.n++;
    counts.requests++;
    if (isWrite) counts.writes++;
    if (response.status >= 500) {
      counts.errors++;
      kind.errors++;
      note(`${response.status} ${text.slice(0, 200).replace(/\s+/g, " ")}`);
    } else if (response.status !== request.expect) {
      counts.unexpected++;
      kind.unexpected++;
      note(`${response.status} (wanted ${request.expect}) ${text.slice(0, 200).replace(/\s+/g, " ")}`);
    } else request.then?.(response);
  } catch (error) {
    counts.errors++;
    kind.errors++;
    note(`connection error: ${(error as Error).message}`);
  }
}

/** One read of /metrics: the sample's readings, and the 5xx the app counted so far. */
type Scrape = Pick<SoakSample, "rssMiB" | "heapMiB" | "heapLiveMiB" | "heapTotalMiB" | "externalMiB" | "searchPending" | "mailPending" | "searchDead" | "mailDead"> & { server5xx: number };

/**
 * The app's /metrics. A gauge whose query did not answer in time is left out of a scrape (its log
 * says so): it keeps its value from `previous` rather than read as 0.
 */
async function scrape(url: string, previous?: Scrape): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const value = (key: keyof Scrape, name: string, labels: Record<string, string> = {}, scale = 1) => {
    const found = metricValue(text, name, labels);
    return found === undefined ? (previous?.[key] ?? 0) : found / scale;
  };
  return {
    rssMiB: value("rssMiB", "commons_process_resident_memory_bytes", {}, MIB),
    heapMiB: value("heapMiB", "commons_nodejs_heap_size_used_bytes", {}, MIB),
    // Absent until the first full collection: 0 until then (the warm-up is not judged).
    heapLiveMiB: value("heapLiveMiB", "commons_nodejs_heap_used_after_major_gc_bytes", {}, MIB),
    heapTotalMiB: value("heapTotalMiB", "commons_nodejs_heap_size_total_bytes", {}, MIB),
    externalMiB: value("externalMiB", "commons_nodejs_external_memory_bytes", {}, MIB),
    searchPending: value("searchPending", "commons_outbox_pending", { queue: "search" }),
    mailPending: value("mailPending", "commons_outbox_pending", { queue: "mail" }),
    searchDead: value("searchDead", "commons_outbox_dead", { queue: "search" }),
    mailDead: value("mailDead", "commons_outbox_dead", { queue: "mail" }),
    // No 5xx answered yet: the counter has no such series.
    server5xx: metricValue(text, "commons_http_request_duration_seconds_count", { status_class: "5xx" }) ?? 0,
  };
}

/** The load and the sampler together for MINUTES; returns the samples and the counts. */
async function soak(url: string, targets: Targets, people: Person[]) {
  const counts: Counts = { requests: 0, writes: 0, errors: 0, unexpected: 0, skipped: 0, byKind: new Map(), firstProblems: [] };
  const samples: SoakSample[] = [];
  const first = await scrape(url);
  const start = performance.now();
  const end = start + MINUTES * 60_000;
  let scrapes: Scrape[] = [first];
  let last = first;
  let scrapeFailures = 0;
  const take = () => {
    const t = (performance.now() - start) / 1000;
    samples.push({
      t,
      rssMiB: last.rssMiB,
      heapMiB: last.heapMiB,
      heapFloorMiB: Math.min(last.heapMiB, ...scrapes.map((s) => s.heapMiB)),
      heapLiveMiB: last.heapLiveMiB,
      heapTotalMiB: last.heapTotalMiB,
      externalMiB: last.externalMiB,
      searchPending: last.searchPending,
      mailPending: last.mailPending,
      searchDead: last.searchDead,
      mailDead: last.mailDead,
      requests: counts.requests,
      writes: counts.writes,
      errors: counts.errors,
    });
    scrapes = [];
    const s = samples.at(-1)!;
    progress(
      `${(t / 60).toFixed(1)} min: ${counts.requests} requests (${counts.writes} writes), ${counts.errors} errors, ${counts.unexpected} unexpected; ` +
        `RSS ${s.rssMiB.toFixed(0)} MiB, heap ${s.heapMiB.toFixed(0)} (floor ${s.heapFloorMiB.toFixed(0)}, after the last full collection ${s.heapLiveMiB.toFixed(0)}, committed ${s.heapTotalMiB.toFixed(0)}), external ${s.externalMiB.toFixed(0)}; pending: search ${s.searchPending}, mail ${s.mailPending}`,
    );
  };
  take();
  // /metrics every 2 s (a slow scrape delays the next, never the samples), a sample every 10 s by the clock.
  const sampling = setInterval(take, SAMPLE_SECONDS * 1000);
  const scraper = (async () => {
    while (performance.now() < end) {
      const started = performance.now();
      try {
        last = await scrape(url, last);
        scrapes.push(last);
      } catch {
        // The app not answering its metrics is an error like any other.
        scrapeFailures++;
      }
      await sleep(Math.max(0, Math.min(end - performance.now(), SCRAPE_SECONDS * 1000 - (performance.now() - started))));
    }
  })();
  // The load: an even rate, each request due at its time.
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / RATE;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= MAX_IN_FLIGHT) {
      counts.skipped++;
      continue;
    }
    const { person, request, write } = next(targets, people);
    const sent = send(url, person, request, counts, write).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
  await scraper;
  clearInterval(sampling);
  last = await scrape(url, last);
  scrapes.push(last);
  take();
  return { samples, counts, server5xx: last.server5xx - first.server5xx, scrapeFailures, seconds: (performance.now() - start) / 1000 };
}

/**
 * The app's log lines at warn and above (it runs with LOG_LEVEL=warn), grouped by message and
 * error, most frequent first: what failed, and how often, without pages of JSON.
 */
function logSummary(output: string): Array<{ count: number; level: string; what: string }> {
  const groups = new Map<string, { count: number; level: string; what: string }>();
  for (const line of output.split("\n")) {
    if (!line.trim()) continue;
    let what = line.slice(0, 200);
    let level = "?";
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string }; query?: string };
      level = entry.level === undefined ? "?" : entry.level >= 50 ? "error" : "warn";
      what = [entry.msg, entry.query ? `(${entry.query})` : "", entry.err?.message ? `: ${entry.err.message}` : ""].join("").slice(0, 300);
    } catch {
      // not JSON: kept as it is
    }
    const group = groups.get(`${level} ${what}`) ?? { count: 0, level, what };
    group.count++;
    groups.set(`${level} ${what}`, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function main(): Promise<number> {
  const root = await mkdtemp(path.join(os.tmpdir(), "commons-soak-"));
  // As root, PostgreSQL runs as the postgres user (db/embedded.ts), which must be able to pass through.
  await chmod(root, 0o711);
  const lines: string[] = [];
  const log = (line = "") => {
    lines.push(line);
    process.stdout.write(line + "\n");
  };
  let child: ChildProcess | undefined;
  let stopSet: (() => Promise<void>) | undefined;
  try {
    progress(`building the production app and the server bundle into ${BUILD_DIR}…`);
    await run("npx", ["react-router", "build"], { NODE_ENV: "production", COMMONS_BUILD_DIR: BUILD_DIR });
    await run(process.execPath, ["scripts/build-server.mjs", SERVER_BUNDLE], {});
    const set = await largeSet(path.join(root, "large"), QUESTIONS, progress);
    stopSet = set.stop;
    const targets = await pickTargets(set.databaseUrl);
    const port = await freePort();
    const url = `http://localhost:${port}`;
    progress("starting Commons as npm start does…");
    let stopping = false;
    const started = await startServer(
      SERVER_BUNDLE,
      {
        ...process.env,
        DATA_DIR: path.join(root, "app"),
        PORT: String(port),
        LOG_LEVEL: "warn",
        COMMONS_BUILD_DIR: BUILD_DIR,
        DATABASE_URL: set.databaseUrl,
        ...(set.databaseSocket ? { DATABASE_SOCKET: set.databaseSocket } : {}),
        MEILI_URL: set.meiliUrl,
        MEILI_MASTER_KEY: set.meiliKey,
        DEMO_SEED: "never",
        METRICS_TOKEN,
      },
      120_000,
    );
    child = started.child;
    const banner = started.output().length;
    child.once("exit", (code, signal) => {
      if (!stopping) process.stderr.write(`Commons exited (${code ?? signal}) before the soak stopped it:\n${started.output().slice(banner)}\n`);
    });
    const people: Person[] = [];
    for (const p of targets.people) people.push({ ...p, cookie: await signIn(url, p.email), answers: [], votedUp: [] });
    progress(`${people.length} people signed in; ${MINUTES} minutes at ${RATE} requests a second…`);
    const result = await soak(url, targets, people);
    const verdict = soakVerdict(result.samples, { errors: result.counts.errors + result.scrapeFailures, serverErrors: result.server5xx, unexpected: result.counts.unexpected });
    const output = started.output().slice(banner).trim();
    stopping = true;

    const fmt = (n: number) => n.toLocaleString("en");
    const mib = (f: { slope: number; standardError: number }) => (Number.isNaN(f.slope) ? "–" : `${f.slope.toFixed(1)} ± ${f.standardError.toFixed(1)} MiB/h`);
    const first = result.samples[0]!;
    const end = result.samples.at(-1)!;
    log(`# Soak: ${MINUTES} minutes of mixed reads and writes`);
    log();
    log(
      `Data: ${fmt(set.generation.questions)} questions, ${fmt(set.generation.answers)} answers, ${fmt(set.generation.users)} people (db/generate, as npm run bench). ` +
        `Load: ${RATE} requests a second by ${people.length} signed-in members, four in five reads, one in five writes; at most ${MAX_IN_FLIGHT} in flight. ` +
        `The app: the bundled server as npm start runs it (heap limit ${process.env.COMMONS_MAX_HEAP_MB ?? 256} MB), mail to its embedded MailDev. Node ${process.version}, ${os.cpus().length} cores.`,
    );
    log();
    log("| | |");
    log("| --- | ---: |");
    log(`| duration | ${(result.seconds / 60).toFixed(1)} min |`);
    log(`| requests answered | ${fmt(result.counts.requests)} (${(result.counts.requests / result.seconds).toFixed(1)}/s) |`);
    log(`| writes among them | ${fmt(result.counts.writes)} |`);
    log(`| errors (5xx or connection errors; /metrics not answering) | ${fmt(result.counts.errors + result.scrapeFailures)} |`);
    log(`| 5xx counted by the app's own metrics | ${fmt(result.server5xx)} |`);
    log(`| answers other than expected (a read not 200, a write refused) | ${fmt(result.counts.unexpected)} |`);
    log(`| ticks skipped (${MAX_IN_FLIGHT} requests already in flight: the app behind) | ${fmt(result.counts.skipped)} |`);
    log(`| RSS: start, end (MiB) | ${first.rssMiB.toFixed(0)}, ${end.rssMiB.toFixed(0)} |`);
    log(`| **RSS slope after the ${WARMUP_SECONDS / 60}-minute warm-up** | **${mib(verdict.rss)}** |`);
    log(`| heap used, floor of each 10 s: start, end (MiB) | ${first.heapFloorMiB.toFixed(0)}, ${end.heapFloorMiB.toFixed(0)} |`);
    log(`| **heap floor slope after the warm-up** | **${mib(verdict.heapFloor)}** |`);
    log(
      `| heap after the last full collection: first after the warm-up, end (MiB) | ${(result.samples.find((s) => s.t >= WARMUP_SECONDS) ?? end).heapLiveMiB.toFixed(0)}, ${end.heapLiveMiB.toFixed(0)} |`,
    );
    log(`| **heap after full collections (the live set), slope after the warm-up** | **${mib(verdict.heapLive)}** |`);
    log(`| heap used at each sample, slope after the warm-up | ${mib(verdict.heap)} |`);
    for (const [name, o] of Object.entries(verdict.outbox)) {
      log(`| ${name} outbox pending: start / middle / end | ${o.start} / ${o.middle} / ${o.end} (${o.slopePerHour.toFixed(1)} rows/h) |`);
      log(`| ${name} outbox dead letters: start, end | ${o.deadStart}, ${o.deadEnd} |`);
    }
    log();
    log(
      `Memory is the app's own /metrics (process_resident_memory_bytes, nodejs_heap_size_used_bytes, nodejs_heap_used_after_major_gc_bytes), read every ${SCRAPE_SECONDS} s and kept every ${SAMPLE_SECONDS} s (${result.samples.length} samples). ` +
        `The heap's floor is the lowest heap used of the readings in each 10 s: what the collector leaves, without forcing a collection (the app exposes no gc()). ` +
        `The heap after full collections is the heap used just after the last mark-compact collection, read from a gc observer in the app: the live set, which a leak grows. ` +
        `Slopes are least squares over the samples after the first ${WARMUP_SECONDS / 60} minutes (caches, the JIT and the first reconcile fill memory once), ± one standard error. ` +
        `Limits: ${SLOPE_LIMIT_MIB_PER_HOUR} MiB/h for RSS, the heap's floor and the heap after full collections (a leak that fast adds the app's whole heap limit in a day; below it, half an hour cannot tell a slope from the collector's sawtooth), judged when at least ${SLOPE_MIN_WINDOW_SECONDS / 60} minutes follow the warm-up; ` +
        `an outbox grew when its pending rows rise over ${OUTBOX_SLOPE_LIMIT_PER_HOUR} an hour and end above ${OUTBOX_BACKLOG_ROWS} (a few pending at any moment are the relay's normal lag), or it gained dead letters.`,
    );
    log();
    log("| request | n | p50 ms | p95 ms | unexpected | errors |");
    log("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const [kind, k] of [...result.counts.byKind].sort((a, b) => b[1].n - a[1].n)) {
      log(`| ${kind} | ${fmt(k.n)} | ${quantile(k.latencies, 0.5).toFixed(0)} | ${quantile(k.latencies, 0.95).toFixed(0)} | ${k.unexpected} | ${k.errors} |`);
    }
    log();
    log("| minute | requests | writes | errors | RSS MiB | heap MiB | heap floor MiB | heap after full GC MiB | heap committed MiB | external MiB | search pending | mail pending |");
    log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const s of result.samples.filter((s, i, all) => i % 6 === 0 || i === all.length - 1)) {
      log(
        `| ${(s.t / 60).toFixed(1)} | ${fmt(s.requests)} | ${fmt(s.writes)} | ${s.errors} | ${s.rssMiB.toFixed(0)} | ${s.heapMiB.toFixed(0)} | ${s.heapFloorMiB.toFixed(0)} | ${s.heapLiveMiB.toFixed(0)} | ${s.heapTotalMiB.toFixed(0)} | ${s.externalMiB.toFixed(0)} | ${s.searchPending} | ${s.mailPending} |`,
      );
    }
    log();
    if (result.counts.firstProblems.length > 0) {
      log("First problems seen:");
      for (const p of result.counts.firstProblems) log(`- ${p}`);
      log();
    }
    if (output) {
      log("The app's warnings and errors (LOG_LEVEL=warn), by message:");
      log();
      log("| times | level | message |");
      log("| ---: | --- | --- |");
      for (const g of logSummary(output).slice(0, 20)) log(`| ${fmt(g.count)} | ${g.level} | ${g.what.replaceAll("|", "\\|").replace(/\s+/g, " ")} |`);
      log();
    }
    if (!verdict.slopesJudged)
      log(`The memory slopes are not judged: ${(verdict.windowSeconds / 60).toFixed(1)} minutes follow the warm-up, under the ${SLOPE_MIN_WINDOW_SECONDS / 60} a slope needs.`);
    log(verdict.ok ? "**Verdict: pass.**" : `**Verdict: FAIL.** ${verdict.failures.join("; ")}.`);
    await mkdir("bench/results", { recursive: true });
    const file = path.join("bench/results", `soak-${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}.md`);
    await writeFile(file, lines.join("\n") + "\n");
    process.stdout.write(`\nwritten to ${file}\n`);
    return verdict.ok ? 0 : 1;
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    }
    await stopSet?.();
    await rm(root, { recursive: true, force: true });
    await rm(BUILD_DIR, { recursive: true, force: true });
  }
}

// Exit with the verdict's code, whatever the embedded servers' handlers left in process.exitCode.
process.exit(await main());

/**
 * The search benchmarks and the bench's data set, run by bench/run.ts (figures, never assertions):
 * - the data set (`largeSet`): a PostgreSQL and a Meilisearch of their own, a generated company
 *   (bench/dataset.ts) and a timed full reindex (`reindexAll`, what `npm run search:reindex` runs),
 *   with Meilisearch's peak memory;
 * - the time from a write to being searchable: edits through the app's edit form, the app's relay
 *   indexing them, Meilisearch polled every 10 ms until the new word is found;
 * - the search service itself, in this process (no HTTP, no rendering), beside the HTTP rows that
 *   run.ts measures with autocannon.
 * Meilisearch runs as the embedded default starts it (search/embedded.ts); MEILI_MAX_INDEXING_MEMORY
 * (e.g. 1GiB) in the environment reaches it too, to compare. What capped it is reported.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import postgres from "postgres";
import { hashPassword } from "#app/features/auth/password.server.ts";
import { searchParams } from "#app/features/search/search-params.ts";
import { search } from "#app/features/search/search.server.ts";
import { createDb, type Db } from "#db/client.server.ts";
import { startEmbeddedPostgres } from "#db/embedded.ts";
import { ensureDatabase, runMigrations } from "#db/migrate.ts";
import { users } from "#db/schema/index.ts";
import { DEMO_PASSWORD } from "#db/seed-info.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { startEmbeddedMeili } from "#search/embedded.ts";
import { type IndexedKind, indexName } from "#search/indexes.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { type DataSet, generateDataSet } from "./dataset.ts";

/** What people type into the search box in the demo company (its content is what the generated set is built from). */
export const SEARCH_QUERIES = [
  "postgres index",
  "vpn",
  "expenses receipt",
  "kubernetes",
  "on-call rota",
  "discount approval",
  "sso",
  "invoice",
  "learning budget",
  "deploy staging",
  "flaky tests",
  "webhook retries",
  "refund",
  "travel insurance",
  "secrets rotation",
  "two-factor reset",
  "parental leave",
  "kubernets", // a typo
  "laptop",
  "how do I export customer data",
];

/** The header's instant search sees what is typed, a few letters at a time (debounced). */
export const INSTANT_QUERIES = SEARCH_QUERIES.flatMap((q) => [...new Set([q.slice(0, 3), q.slice(0, 5), q])]);

export type Summary = { n: number; p50: number; p95: number; max: number };

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { n: sorted.length, p50: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(sorted.at(-1) ?? NaN) };
}

export type Services = { databaseUrl: string; databaseSocket?: string | undefined; meiliUrl: string; meiliKey: string; meiliPid: number };

async function withSql<T>(databaseUrl: string, run: (q: postgres.Sql) => Promise<T>): Promise<T> {
  const q = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    return await run(q);
  } finally {
    await q.end({ timeout: 5 });
  }
}

/** The embedded PostgreSQL's postmaster, from its pid file under `dataDir`. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
}

/** Peak resident memory (VmHWM) of one process, in MiB. */
export function peakMiB(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

export type ReindexFigures = Record<IndexedKind, { documents: number; seconds: number; perSecond: number }> & {
  total: { documents: number; seconds: number; perSecond: number };
};

const rate = (documents: number, ms: number) => ({ documents, seconds: ms / 1000, perSecond: Math.round((documents * 1000) / ms) });

/** One full rebuild of every index (into new indexes, swapped in), timed per kind. */
export async function measureReindex(db: Db, client: Meilisearch, log: (line: string) => void = () => {}): Promise<ReindexFigures> {
  const started = performance.now();
  let logged = 0;
  const result = await reindexAll(db, client, {
    onProgress: (p) => {
      if (p.indexed - logged >= 20_000 || p.done) {
        logged = p.done ? 0 : p.indexed;
        log(`reindex: ${p.kind} ${p.indexed.toLocaleString("en")} documents in ${(p.elapsedMs / 1000).toFixed(1)} s${p.done ? ", swapped in" : ""}`);
      }
    },
  });
  const ms = performance.now() - started;
  return {
    question: rate(result.question.documents, result.question.ms),
    person: rate(result.person.documents, result.person.ms),
    idea: rate(result.idea.documents, result.idea.ms),
    wiki_page: rate(result.wiki_page.documents, result.wiki_page.ms),
    article: rate(result.article.documents, result.article.ms),
    recognition: rate(result.recognition.documents, result.recognition.ms),
    // Issue 19, forum search: the forum's index is rebuilt with the others.
    forum_thread: rate(result.forum_thread.documents, result.forum_thread.ms),
    total: rate(
      Object.values(result).reduce((n, kind) => n + kind.documents, 0),
      ms,
    ),
  };
}

/** A word no text contains: ten letters from a seeded generator. */
function markers(seed: number): () => string {
  let a = seed;
  return () => {
    let word = "zq";
    for (let i = 0; i < 8; i++) {
      a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0;
      word += String.fromCharCode(97 + ((a >>> 16) % 26));
    }
    return word;
  };
}

type Target = { answerId: number; questionId: number; body: string };

async function editAnswer(appUrl: string, cookie: string, target: Target, word: string): Promise<void> {
  // The marker goes first: answers are cut to their first 3,000 characters in the question's document.
  const response = await fetch(`${appUrl}/posts/${target.answerId}/edit`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, Origin: appUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "edit", body: `Bench marker ${word}.\n\n${target.body}`, comment: "bench" }),
  });
  if (response.status !== 302 && response.status !== 303) throw new Error(`editing answer ${target.answerId}: ${response.status} ${(await response.text()).slice(0, 200)}`);
}

type Watch = { target: Target; word: string; deadline: number; done: (at: number | null) => void; fail: (error: unknown) => void };

/**
 * One loop searches for every word still awaited, in one multi-search request every 10 ms (a loop
 * per edit would load Meilisearch with hundreds of searches a second and slow the indexing it measures).
 */
function poller(client: Meilisearch) {
  const watching = new Set<Watch>();
  let running: Promise<void> | undefined;
  const loop = async () => {
    while (watching.size > 0) {
      const list = [...watching];
      let results;
      try {
        ({ results } = await client.multiSearch({
          queries: list.map((w) => ({ indexUid: indexName("question"), q: w.word, attributesToRetrieve: ["id", "answers"], limit: 5 })),
        }));
      } catch (error) {
        // A failed search is a failed measurement, not a word not found.
        for (const w of watching) w.fail(error);
        watching.clear();
        break;
      }
      const now = performance.now();
      list.forEach((w, i) => {
        const hits = (results[i]?.hits ?? []) as unknown as Array<{ id: number; answers: string[] }>;
        // Typo tolerance may find an older marker: only the exact new text counts.
        const found = hits.some((h) => h.id === w.target.questionId && h.answers.some((a) => a.includes(w.word)));
        if (found || now > w.deadline) {
          watching.delete(w);
          w.done(found ? now : null);
        }
      });
      await sleep(10);
    }
    running = undefined;
  };
  /** The time a search first found `word` in the target's question, or null after the deadline. */
  return (target: Target, word: string, deadline: number) =>
    new Promise<number | null>((done, fail) => {
      watching.add({ target, word, deadline, done, fail });
      running ??= loop();
    });
}

/**
 * The background of the "while votes are being indexed" measurement: idea votes (vote, then unvote,
 * idea after idea, as the voting row posts them) from `connections` loops for the whole measurement,
 * so that the relay's queue holds idea rows when each edit arrives.
 */
export type VoteBackground = { cookie: string; posts: Array<{ path: string; body: string }>; connections: number };

export type WriteFigures = {
  spaced: Summary & { missed: number };
  burst: Summary & { missed: number };
  save: Summary;
  intervalMs: number;
  /** With a vote background: votes posted (and refused), idea rows the relay indexed meanwhile, idea rows pending as each edit was saved. */
  votes?: { sent: number; errors: number; indexed: number; pendingAtEdit: Summary };
};

/** Posts `background.posts` in turn from `connections` loops until `stop()`; counts answers and refusals. */
function voteLoops(appUrl: string, background: VoteBackground) {
  let running = true;
  let sent = 0;
  let errors = 0;
  let next = 0;
  const headers = { cookie: background.cookie, origin: appUrl, "content-type": "application/x-www-form-urlencoded" };
  const loop = async () => {
    while (running) {
      const post = background.posts[next++ % background.posts.length]!;
      try {
        const response = await fetch(`${appUrl}${post.path}`, { method: "POST", headers, body: post.body, redirect: "manual" });
        await response.arrayBuffer();
        if (response.status === 200) sent++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  const loops = Array.from({ length: background.connections }, loop);
  return async () => {
    running = false;
    await Promise.all(loops);
    return { sent, errors };
  };
}

/**
 * Edits accepted answers (the first 500 by id) through the app's edit form (as a signed-in moderator or
 * admin), each with a new word, and measures from the edit's response (committed) until a search
 * finds the word. An accepted answer always rides in its question's document. `edits` edits are
 * spaced `intervalMs` apart (they overlap when indexing is slower), then `burst` go at once.
 */
export async function measureWriteToSearchable(options: {
  appUrl: string;
  cookie: string;
  db: Db;
  client: Meilisearch;
  edits?: number;
  intervalMs?: number;
  burst?: number;
  timeoutMs?: number;
  /** Seeds the new words: each measurement of a run needs its own, or it would find the last one's. */
  seed?: number;
  votes?: VoteBackground;
}): Promise<WriteFigures> {
  const { appUrl, cookie, db, client } = options;
  const edits = options.edits ?? 100;
  const intervalMs = options.intervalMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const rows = await db.execute<{ answer_id: number; question_id: number; body: string }>(sql`
    select a.id as answer_id, q.id as question_id, a.body from posts q join posts a on a.id = q.accepted_answer_id
    where q.type = 'question' and q.deleted_at is null and a.deleted_at is null order by a.id limit 500`);
  const targets: Target[] = rows.map((r) => ({ answerId: Number(r.answer_id), questionId: Number(r.question_id), body: r.body }));
  if (targets.length === 0) throw new Error("no accepted answers to edit");
  const burst = Math.min(options.burst ?? 20, targets.length);
  const word = markers(options.seed ?? 4242);
  const saves: number[] = [];
  const pending: number[] = [];
  const foundAt = poller(client);
  const pendingIdeas = async () => {
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where kind = 'idea' and status = 'pending'`);
    pending.push(Number(row?.n ?? 0));
  };

  const one = async (target: Target): Promise<number | null> => {
    const marker = word();
    const sent = performance.now();
    await editAnswer(appUrl, cookie, target, marker);
    const saved = performance.now();
    saves.push(saved - sent);
    if (options.votes) void pendingIdeas().catch(() => {});
    const found = await foundAt(target, marker, saved + timeoutMs);
    return found === null ? null : found - saved;
  };
  const figures = (results: (number | null)[]) => ({
    ...summarize(results.filter((r): r is number => r !== null)),
    missed: results.filter((r) => r === null).length,
  });

  const [{ since } = { since: "" }] = await db.execute<{ since: string }>(sql`select now()::text as since`);
  const stopVotes = options.votes ? voteLoops(appUrl, options.votes) : undefined;
  // Let the votes queue up before the first edit.
  if (stopVotes) await sleep(1000);
  const spaced: Promise<number | null>[] = [];
  const start = performance.now();
  for (let i = 0; i < edits; i++) {
    spaced.push(one(targets[i % targets.length]!));
    await sleep(Math.max(0, start + (i + 1) * intervalMs - performance.now()));
  }
  const spacedResults = await Promise.all(spaced);
  await sleep(1000);
  const burstResults = await Promise.all(targets.slice(0, burst).map(one));
  const result: WriteFigures = { spaced: figures(spacedResults), burst: figures(burstResults), save: summarize(saves), intervalMs };
  if (stopVotes) {
    const { sent, errors } = await stopVotes();
    const [row] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from outbox where kind = 'idea' and status = 'done' and processed_at >= ${since}::timestamptz`);
    result.votes = { sent, errors, indexed: Number(row?.n ?? 0), pendingAtEdit: summarize(pending) };
  }
  return result;
}

export type ServiceRow = { name: string; rps: number; p50: number; p95: number; p99: number; errors: number };

/**
 * `search()` of app/features/search/search.server.ts called directly, `concurrency` at a time for
 * `seconds`, rotating through `queries`: what the routes cost minus HTTP and rendering.
 */
export async function loadSearchService(options: {
  name: string;
  db: Db;
  client: Meilisearch;
  email: string;
  queries: string[];
  seconds: number;
  concurrency: number;
  instant?: boolean;
}): Promise<ServiceRow> {
  const [actor] = await options.db.select().from(users).where(eq(users.email, options.email));
  if (!actor) throw new Error(`no user ${options.email}`);
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const q = options.queries[next++ % options.queries.length]!;
      const params = searchParams(new URLSearchParams({ q }));
      const started = performance.now();
      // The instant results: fewer hits, no facets (as the header's JSON route asks).
      const outcome = await search(options.db, options.client, actor, params, options.instant ? { hitsPerPage: 5, facets: false, people: 3 } : {});
      times.push(performance.now() - started);
      if (outcome.status !== "ok") errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = times.sort((a, b) => a - b);
  const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(1));
  return { name: options.name, rps: Math.round(times.length / seconds), p50: at(0.5), p95: at(0.95), p99: at(0.99), errors };
}

export type LargeSet = Services & {
  generation: DataSet;
  /** An admin of the generated company, who can sign in with the demo password (to edit answers). */
  adminEmail: string;
  databaseMiB: number;
  reindex: ReindexFigures;
  meiliPeakMiB: number;
  meiliDatabaseMiB: number;
  stop: () => Promise<void>;
};

/**
 * Starts a PostgreSQL and a Meilisearch of its own under `dataDir`, generates `questions`
 * questions into it (bench/dataset.ts), and rebuilds the search indexes from it, timed. The
 * generated member the bench reads as and the first admin can sign in with the demo password.
 * Leaves both running for the app to be started against them.
 */
export async function largeSet(
  dataDir: string,
  questions: number,
  log: (line: string) => void,
  hooks: { started?: (pids: { postmaster: number; meili: number }) => void; phase?: (name: string) => void } = {},
): Promise<LargeSet> {
  // pg_stat_statements, for the statements each page costs (run.ts): loaded at start, so a restart.
  const first = await startEmbeddedPostgres({ dataDir, log });
  try {
    const admin = postgres(first.url("postgres"), { max: 1, onnotice: () => {} });
    await admin`alter system set shared_preload_libraries = 'pg_stat_statements'`;
    await admin.end({ timeout: 5 });
  } finally {
    await first.stop();
  }
  const pg = await startEmbeddedPostgres({ dataDir, port: first.port, log });
  const stops = [() => pg.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const meili = await startEmbeddedMeili({ dataDir, log });
    stops.push(() => meili.stop());
    hooks.started?.({ postmaster: postmasterPid(dataDir), meili: meili.pid });
    hooks.phase?.("data generation");
    const databaseUrl = pg.url("commons");
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl);
    await withSql(databaseUrl, (q) => q`create extension if not exists pg_stat_statements`);
    const generation = await generateDataSet(databaseUrl, questions, log);
    const db = createDb(databaseUrl, { max: 4 });
    try {
      // The bench signs in as the generated member and as the first admin, with the demo password.
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      await db.update(users).set({ passwordHash }).where(eq(users.email, generation.signInEmail));
      const [admin] = await db.execute<{ email: string }>(sql`
        update users set password_hash = ${passwordHash}
        where id = (select id from users where role = 'admin' and deactivated_at is null order by id limit 1) returning email`);
      if (!admin) throw new Error("the generated data has no admin");
      const [size] = await db.execute<{ bytes: string }>(sql`select pg_database_size(current_database())::text as bytes`);
      // A rebuild's requests wait on a busy server far longer than a search would (as search:reindex allows).
      const client = createMeiliClient(meili.url, meili.masterKey, 60_000);
      hooks.phase?.("full reindex");
      const reindex = await measureReindex(db, client, log);
      const stats = await client.getStats();
      return {
        databaseUrl,
        databaseSocket: pg.socketPath,
        meiliUrl: meili.url,
        meiliKey: meili.masterKey,
        meiliPid: meili.pid,
        generation,
        adminEmail: admin.email,
        databaseMiB: Math.round(Number(size!.bytes) / 2 ** 20),
        reindex,
        meiliPeakMiB: peakMiB(meili.pid),
        meiliDatabaseMiB: Math.round(stats.databaseSize / 2 ** 20),
        stop,
      };
    } finally {
      await db.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

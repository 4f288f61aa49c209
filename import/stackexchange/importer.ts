import { existsSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { importRuns, posts, spaces } from "#db/schema/index.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { hostFromFolder } from "./mapping.ts";
import { type FileCounts, Progress, type ProgressOutput } from "./progress.ts";
import { type Context, type DumpFile, eachBatch, FILES, type ImportProblem, problemKey } from "./run.ts";
import { writeUsers } from "./people.ts";
import { linkAnswers, writeComments, writePosts, writeTags } from "./posts.ts";
import { importHistory } from "./history.ts";
import { importVotes, importPostLinks } from "./votes-links.ts";

/**
 * Imports a Stack Exchange data dump into one space. Files are streamed line by line and written in
 * batches, each batch one transaction that also moves the run's checkpoint, so an interrupted run
 * resumes after the last batch it wrote. Everything is upserted by its source key, so a re-run
 * updates instead of duplicating. Order: Users, Tags, Posts (questions, answers, tag excerpts), a
 * fix-up pass over Posts.xml (answers that came before their question, accepted answers),
 * Comments, Votes, PostHistory (revisions, close reasons), PostLinks (duplicates), Badges
 * (counted), then the counters. Each step lives in a file of its own: run.ts (batches, problems,
 * checkpoints), people.ts, posts.ts, votes-links.ts, history.ts.
 */

export { ImportStopped, type ImportProblem } from "./run.ts";

const REQUIRED: DumpFile[] = ["Users.xml", "Posts.xml"];

export type ImportOptions = {
  /** The dump folder (Posts.xml, Users.xml, ...). */
  folder: string;
  /** The space's slug or name. */
  space: string;
  /** The site ("beer.stackexchange.com"); defaults from the folder's name. */
  source?: string | undefined;
  /** Rows per statement and transaction. */
  batchSize?: number;
  /** Where progress and problems go (stderr in the CLI); null for silence. */
  output?: ProgressOutput | null;
  startedById?: number | null;
  /** Stops the run (as if interrupted) once this many rows have been written: for resume tests. */
  stopAfterRows?: number;
};

export type ImportResult = {
  runId: number;
  source: string;
  spaceId: number;
  resumed: boolean;
  counts: Record<string, FileCounts | number>;
  problems: ImportProblem[];
  problemCount: number;
  seconds: number;
};

/** The space named does not exist; `spaces` lists the ones that do. */
export class SpaceNotFoundError extends Error {
  override name = "SpaceNotFoundError";
  constructor(
    readonly space: string,
    readonly spaces: Array<{ slug: string; name: string }>,
  ) {
    super(`There is no space "${space}".`);
  }
}

/** The dump or its arguments cannot be imported (a missing file, no source host). */
export class ImportInputError extends Error {
  override name = "ImportInputError";
}

export async function importStackExchange(db: Db, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const folder = path.resolve(options.folder);
  const host = (options.source ?? hostFromFolder(folder) ?? "").toLowerCase();
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(host)) {
    throw new ImportInputError(`Cannot tell which site "${path.basename(folder)}" comes from: name it with --source (e.g. --source beer.stackexchange.com).`);
  }
  for (const file of REQUIRED) {
    if (!existsSync(path.join(folder, file))) throw new ImportInputError(`${file} is missing from ${options.folder}: a Stack Exchange dump has at least Posts.xml and Users.xml.`);
  }
  const space = await findSpace(db, options.space);
  // One run of a source into a space at a time: a second one would resume the same run row.
  const lock = await db.$client.reserve();
  try {
    const [held] = await lock<Array<{ ok: boolean }>>`select pg_try_advisory_lock(hashtext(${`import:${host}`}), ${space.id}) as ok`;
    if (!held?.ok) throw new ImportInputError(`Another import of ${host} into ${space.slug} is running: wait for it to finish.`);
    try {
      return await runImport(db, options, { folder, host, space, started });
    } finally {
      await lock`select pg_advisory_unlock(hashtext(${`import:${host}`}), ${space.id})`;
    }
  } finally {
    lock.release();
  }
}

async function runImport(
  db: Db,
  options: ImportOptions,
  { folder, host, space, started }: { folder: string; host: string; space: { id: number; slug: string }; started: number },
): Promise<ImportResult> {
  const run = await openRun(db, host, space.id, options.startedById ?? null);
  const ctx: Context = {
    db,
    host,
    spaceId: space.id,
    spaceSlug: space.slug,
    runId: run.id,
    folder,
    batchSize: options.batchSize ?? 500,
    progress: new Progress(options.output === undefined ? process.stderr : options.output),
    counts: run.counts,
    checkpoint: run.checkpoint,
    problems: run.problems,
    problemCount: typeof run.counts.problems === "number" ? run.counts.problems : run.problems.length,
    written: 0,
    stopAfterRows: options.stopAfterRows,
    tagTexts: new Map(),
    // A resumed run reads some files again: what it reported before is not reported twice.
    reported: new Set(run.problems.map(problemKey)),
  };
  if (run.resumed) ctx.progress.line(`resuming import run ${run.id} of ${host} into ${space.slug} from its checkpoint`);
  try {
    await eachBatch(ctx, "Users.xml", { resumable: true }, (tx, rows) => writeUsers(tx, ctx, rows));
    await eachBatch(ctx, "Tags.xml", { resumable: false }, (tx, rows) => writeTags(tx, ctx, rows));
    await eachBatch(ctx, "Posts.xml", { resumable: true }, (tx, rows) => writePosts(tx, ctx, rows, { final: false }));
    // Before comments and history, so those of an answer that came before its question find it.
    await linkAnswers(ctx);
    await eachBatch(ctx, "Comments.xml", { resumable: true }, (tx, rows) => writeComments(tx, ctx, rows));
    await importVotes(ctx);
    await importHistory(ctx);
    await importPostLinks(ctx);
    await eachBatch(ctx, "Badges.xml", { resumable: false }, async (_tx, rows) => rows.length);
    await recount(ctx);
    ctx.counts.seconds = Math.round((performance.now() - started) / 100) / 10;
    await db.update(importRuns).set({ status: "done", counts: ctx.counts, problems: ctx.problems, finishedAt: new Date(), error: null }).where(eq(importRuns.id, ctx.runId));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.update(importRuns).set({ status: "failed", error: message, counts: ctx.counts, problems: ctx.problems }).where(eq(importRuns.id, ctx.runId));
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.progress.line(summary(ctx, seconds));
  return { runId: ctx.runId, source: host, spaceId: space.id, resumed: run.resumed, counts: ctx.counts, problems: ctx.problems, problemCount: ctx.problemCount, seconds };
}

async function findSpace(db: Db, wanted: string) {
  const [space] = await db
    .select({ id: spaces.id, slug: spaces.slug, name: spaces.name })
    .from(spaces)
    .where(sql`${spaces.slug} = ${wanted.trim().toLowerCase()} or lower(${spaces.name}) = ${wanted.trim().toLowerCase()}`)
    .limit(1);
  if (space) return space;
  const all = await db.select({ slug: spaces.slug, name: spaces.name }).from(spaces).orderBy(spaces.slug);
  throw new SpaceNotFoundError(wanted, all);
}

/** The unfinished run of this source into this space (to resume), or a new one. */
async function openRun(db: Db, host: string, spaceId: number, startedById: number | null) {
  const [previous] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.kind, "stackexchange"), eq(importRuns.source, host), eq(importRuns.spaceId, spaceId)))
    .orderBy(sql`${importRuns.startedAt} desc, ${importRuns.id} desc`)
    .limit(1);
  if (previous && previous.status !== "done") {
    await db.update(importRuns).set({ status: "running", error: null }).where(eq(importRuns.id, previous.id));
    return {
      id: previous.id,
      resumed: true,
      counts: previous.counts as Record<string, FileCounts | number>,
      checkpoint: previous.checkpoint as Record<string, number>,
      problems: previous.problems as ImportProblem[],
    };
  }
  const [run] = await db.insert(importRuns).values({ kind: "stackexchange", source: host, spaceId, startedById }).returning({ id: importRuns.id });
  return { id: run!.id, resumed: false, counts: {}, checkpoint: {}, problems: [] as ImportProblem[] };
}

/** At the end: counters set from what was written, and every imported question queued for search with its final state. */
async function recount(ctx: Context): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const inSpace = and(eq(posts.spaceId, ctx.spaceId), sql`${posts.importKey} like ${`${ctx.host}/posts/%`}`);
    await tx.execute(sql`
      update posts q set answer_count = c.n
      from (select q2.id, (select count(*)::int from posts a where a.parent_id = q2.id and a.deleted_at is null) as n
            from posts q2 where q2.space_id = ${ctx.spaceId} and q2.type = 'question' and q2.import_key like ${`${ctx.host}/posts/%`}) c
      where q.id = c.id and q.answer_count <> c.n`);
    await tx.execute(sql`
      update posts p set comment_count = c.n
      from (select p2.id, (select count(*)::int from comments k where k.item_id = p2.item_id and k.deleted_at is null) as n
            from posts p2 where p2.space_id = ${ctx.spaceId} and p2.import_key like ${`${ctx.host}/posts/%`}) c
      where p.id = c.id and p.comment_count <> c.n`);
    // The space's tag counts, exact: every live question of the space, imported or not.
    await tx.execute(sql`
      insert into space_tags (space_id, tag_id, question_count)
      select ${ctx.spaceId}::int, qt.tag_id, count(*)::int
      from question_tags qt join posts p on p.id = qt.post_id
      where p.space_id = ${ctx.spaceId} and p.type = 'question' and p.deleted_at is null
      group by qt.tag_id
      on conflict (space_id, tag_id) do update set question_count = excluded.question_count`);
    await tx.execute(sql`
      update space_tags s set question_count = 0
      where s.space_id = ${ctx.spaceId} and not exists (
        select 1 from question_tags qt join posts p on p.id = qt.post_id
        where qt.tag_id = s.tag_id and p.space_id = ${ctx.spaceId} and p.type = 'question' and p.deleted_at is null)`);
    const questions = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(inSpace, eq(posts.type, "question")));
    for (let n = 0; n < questions.length; n += 5_000)
      await enqueueIndexing(
        tx,
        "question",
        questions.slice(n, n + 5_000).map((q) => q.id),
        { priority: 1 },
      );
  });
}

function summary(ctx: Context, seconds: number): string {
  const lines = [`imported ${ctx.host} into the space ${ctx.spaceSlug} in ${seconds.toFixed(1)} s (import run ${ctx.runId})`];
  for (const file of FILES) {
    const c = ctx.counts[file];
    if (typeof c !== "object") continue;
    lines.push(
      `  ${file.padEnd(16)} ${String(c.read).padStart(8)} read ${String(c.written).padStart(8)} written ${String(c.skipped).padStart(6)} skipped ${String(c.bad).padStart(4)} malformed`,
    );
  }
  lines.push(
    `  accepted answers: ${ctx.counts.acceptedAnswers ?? 0}; problems: ${ctx.problemCount}${ctx.problemCount > ctx.problems.length ? ` (the first ${ctx.problems.length} kept on the run)` : ""}`,
  );
  const badges = ctx.counts["Badges.xml"];
  if (typeof badges === "object") lines.push(`  badges: ${badges.written} counted, not imported (Commons has no badges yet)`);
  return lines.join("\n");
}

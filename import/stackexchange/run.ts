import { existsSync } from "node:fs";
import path from "node:path";
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { importRuns } from "#db/schema/index.ts";
import type { FileCounts, Progress } from "./progress.ts";
import { readRows, type Row } from "./reader.ts";

/**
 * What every step of an import shares: the run's context, problem reports, per-file counts, and
 * reading a file in batches, each batch one transaction that moves the run's checkpoint.
 */

export const FILES = ["Users.xml", "Tags.xml", "Posts.xml", "Comments.xml", "Votes.xml", "PostHistory.xml", "PostLinks.xml", "Badges.xml"] as const;
export type DumpFile = (typeof FILES)[number];
/** Problems kept on the run row; later ones are counted and printed but not stored. */
const PROBLEMS_KEPT = 500;

export type ImportProblem = { file: string; line: number | null; message: string };

/** The run was stopped on purpose (`stopAfterRows`); the next run resumes it. */
export class ImportStopped extends Error {
  override name = "ImportStopped";
}

export type Context = {
  db: Db;
  host: string;
  spaceId: number;
  spaceSlug: string;
  runId: number;
  folder: string;
  batchSize: number;
  progress: Progress;
  counts: Record<string, FileCounts | number>;
  checkpoint: Record<string, number>;
  problems: ImportProblem[];
  problemCount: number;
  written: number;
  stopAfterRows: number | undefined;
  /** Tags.xml: excerpt and wiki post ids → tag name (one entry per tag, small). */
  tagTexts: Map<number, { tag: string; kind: "excerpt" | "wiki" }>;
  reported: Set<string>;
};

export function problemKey(problem: ImportProblem): string {
  return `${problem.file}:${problem.line}:${problem.message}`;
}

export function report(ctx: Context, problem: ImportProblem): void {
  // The fix-up pass reads Posts.xml again: a row is reported once per run.
  const key = problemKey(problem);
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  ctx.problemCount += 1;
  ctx.counts.problems = ctx.problemCount;
  if (ctx.problems.length < PROBLEMS_KEPT) ctx.problems.push(problem);
  ctx.progress.line(`skipped: ${problem.file}${problem.line !== null ? ` line ${problem.line}` : ""}: ${problem.message}`);
}

export function fileCounts(ctx: Context, file: string): FileCounts {
  const existing = ctx.counts[file];
  if (typeof existing === "object") return existing;
  const fresh = { read: 0, written: 0, skipped: 0, bad: 0 };
  ctx.counts[file] = fresh;
  return fresh;
}

/**
 * Starts a pass that reads `file` whole: its path and its counts from zero, or null (said on the
 * progress line with `missing`) when the dump has no such file.
 */
export function startFile(ctx: Context, file: string, missing = "not in the dump, nothing to import"): { full: string; counts: FileCounts } | null {
  const full = path.join(ctx.folder, file);
  if (!existsSync(full)) {
    ctx.progress.line(`${file}: ${missing}`);
    return null;
  }
  const counts = fileCounts(ctx, file);
  Object.assign(counts, { read: 0, written: 0, skipped: 0, bad: 0 });
  ctx.progress.start(file);
  return { full, counts };
}

/**
 * The well-formed rows of a file read whole, counting every line read and reporting (and counting)
 * each malformed one with its line, as every pass reports them.
 */
export async function* goodRows(ctx: Context, file: string, full: string, counts: FileCounts): AsyncGenerator<Row> {
  for await (const item of readRows(full)) {
    counts.read += 1;
    if (item.kind === "bad") {
      counts.bad += 1;
      report(ctx, { file, line: item.line, message: `malformed row: ${item.error}` });
      continue;
    }
    yield item;
  }
}

/**
 * Streams `file` in batches. Malformed lines are reported and left out of the batch. With
 * `resumable`, lines up to the run's checkpoint are skipped and each batch's transaction moves the
 * checkpoint to its last line; other files are small or derived and are simply read again.
 * `write` returns how many rows it wrote.
 */
export async function eachBatch(ctx: Context, file: DumpFile, opts: { resumable: boolean }, write: (tx: Tx, rows: Row[]) => Promise<number>): Promise<void> {
  const full = path.join(ctx.folder, file);
  if (!existsSync(full)) {
    ctx.progress.line(`${file}: not in the dump, nothing to import`);
    return;
  }
  const done = opts.resumable ? (ctx.checkpoint[file] ?? 0) : 0;
  const counts = fileCounts(ctx, file);
  if (!opts.resumable) Object.assign(counts, { read: 0, written: 0, skipped: 0, bad: 0 });
  ctx.progress.start(file);
  let batch: Row[] = [];
  let lastLine = done;
  const flush = async () => {
    // A resumable file moves its checkpoint even past a stretch of malformed lines.
    if (batch.length === 0 && (!opts.resumable || lastLine <= (ctx.checkpoint[file] ?? 0))) return;
    const rows = lastPerId(ctx, file, batch);
    batch = [];
    const written = await ctx.db.transaction(async (tx) => {
      const n = rows.length > 0 ? await write(tx, rows) : 0;
      if (opts.resumable) {
        counts.written += n;
        counts.skipped = counts.read - counts.bad - counts.written;
        await tx
          .update(importRuns)
          .set({ checkpoint: sql`${importRuns.checkpoint} || ${JSON.stringify({ [file]: lastLine })}::jsonb`, counts: ctx.counts, problems: ctx.problems })
          .where(eq(importRuns.id, ctx.runId));
      }
      return n;
    });
    if (opts.resumable) ctx.checkpoint[file] = lastLine;
    else counts.written += written;
    ctx.written += written;
    ctx.progress.update(counts);
    if (ctx.stopAfterRows !== undefined && ctx.written >= ctx.stopAfterRows) throw new ImportStopped(`stopped after ${ctx.written} rows, as asked`);
  };
  for await (const item of readRows(full)) {
    if (item.line <= done) continue;
    counts.read += 1;
    lastLine = item.line;
    if (item.kind === "bad") {
      counts.bad += 1;
      report(ctx, { file, line: item.line, message: `malformed row: ${item.error}` });
    } else batch.push(item);
    if (batch.length >= ctx.batchSize) await flush();
  }
  await flush();
  if (!opts.resumable) counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}

/** `(values ($1, $2), ...)` for joins in batched updates; cast the columns where they are used. */
export function valuesList(rows: unknown[][]): SQL {
  return sql`(values ${sql.join(
    rows.map(
      (r) =>
        sql`(${sql.join(
          r.map((v) => sql`${v}`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  )})`;
}

/**
 * One row per Id in a batch, the later one winning (as it would across batches): one upsert
 * statement cannot touch the same row twice, and a repeated Id in a broken dump must not fail the
 * batch on every resume. The earlier rows are reported.
 */
function lastPerId(ctx: Context, file: string, rows: Row[]): Row[] {
  const last = new Map<string, Row>();
  for (const row of rows) {
    const id = row.attrs.Id;
    if (id === undefined) continue;
    const earlier = last.get(id);
    if (earlier) report(ctx, { file, line: earlier.line, message: `Id ${id} appears again on line ${row.line}; the later row is used` });
    last.set(id, row);
  }
  if (last.size === rows.filter((r) => r.attrs.Id !== undefined).length) return rows;
  return rows.filter((r) => r.attrs.Id === undefined || last.get(r.attrs.Id) === r);
}

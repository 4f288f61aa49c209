import { existsSync } from "node:fs";
import path from "node:path";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, importedProfiles, importRuns, postRevisions, posts, questionTags, reputationEvents, spaces, tags, users } from "#db/schema/index.ts";
import { lockUsers } from "#app/features/reputation/ledger.server.ts";
import { TAG_DESCRIPTION_MAX } from "#app/features/qa/tag-schema.ts";
import { MarkdownError, renderMarkdown } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import {
  closeReasonFor,
  DEFAULT_LICENSE,
  hostFromFolder,
  htmlToBio,
  htmlToMarkdown,
  keys,
  normalizeTagName,
  parseTagList,
  placeholderEmail,
  plainLine,
  urls,
} from "./mapping.ts";
import { type FileCounts, Progress, type ProgressOutput } from "./progress.ts";
import { dateAttr, intAttr, readRows, type Row } from "./reader.ts";

/**
 * Imports a Stack Exchange data dump into one space. Files are streamed line by line and written in
 * batches, each batch one transaction that also moves the run's checkpoint, so an interrupted run
 * resumes after the last batch it wrote. Everything is upserted by its source key, so a re-run
 * updates instead of duplicating. Order: Users, Tags, Posts (questions, answers, tag excerpts), a
 * fix-up pass over Posts.xml (answers that came before their question, accepted answers),
 * Comments, Votes, PostHistory (revisions, close reasons), PostLinks (duplicates), Badges
 * (counted), then the counters.
 */

export const FILES = ["Users.xml", "Tags.xml", "Posts.xml", "Comments.xml", "Votes.xml", "PostHistory.xml", "PostLinks.xml", "Badges.xml"] as const;
export type DumpFile = (typeof FILES)[number];
const REQUIRED: DumpFile[] = ["Users.xml", "Posts.xml"];
/** Problems kept on the run row; later ones are counted and printed but not stored. */
const PROBLEMS_KEPT = 500;

export type ImportProblem = { file: string; line: number | null; message: string };

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

/** The run was stopped on purpose (`stopAfterRows`); the next run resumes it. */
export class ImportStopped extends Error {
  override name = "ImportStopped";
}

type Context = {
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
    await db
      .update(importRuns)
      .set({ status: "done", counts: ctx.counts, problems: ctx.problems, finishedAt: new Date(), error: null })
      .where(eq(importRuns.id, ctx.runId));
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

function problemKey(problem: ImportProblem): string {
  return `${problem.file}:${problem.line}:${problem.message}`;
}

function report(ctx: Context, problem: ImportProblem): void {
  // The fix-up pass reads Posts.xml again: a row is reported once per run.
  const key = problemKey(problem);
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  ctx.problemCount += 1;
  ctx.counts.problems = ctx.problemCount;
  if (ctx.problems.length < PROBLEMS_KEPT) ctx.problems.push(problem);
  ctx.progress.line(`skipped: ${problem.file}${problem.line !== null ? ` line ${problem.line}` : ""}: ${problem.message}`);
}

function fileCounts(ctx: Context, file: string): FileCounts {
  const existing = ctx.counts[file];
  if (typeof existing === "object") return existing;
  const fresh = { read: 0, written: 0, skipped: 0, bad: 0 };
  ctx.counts[file] = fresh;
  return fresh;
}

/**
 * Streams `file` in batches. Malformed lines are reported and left out of the batch. With
 * `resumable`, lines up to the run's checkpoint are skipped and each batch's transaction moves the
 * checkpoint to its last line; other files are small or derived and are simply read again.
 * `write` returns how many rows it wrote.
 */
async function eachBatch(ctx: Context, file: DumpFile, opts: { resumable: boolean }, write: (tx: Tx, rows: Row[]) => Promise<number>): Promise<void> {
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
    const rows = batch;
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

// ---- users -------------------------------------------------------------------------------------

type ProfileRef = { userId: number; displayName: string };

async function writeUsers(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const items: Array<{ key: string; id: number; name: string; location: string; bio: string; createdAt: Date | null; reputation: number }> = [];
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id");
    if (id === null) {
      report(ctx, { file: "Users.xml", line: row.line, message: "the row has no Id" });
      continue;
    }
    const name = plainLine(row.attrs.DisplayName, 100) || `user${id}`;
    items.push({
      key: keys.user(ctx.host, id),
      id,
      name,
      location: plainLine(row.attrs.Location, 100),
      bio: htmlToBio(row.attrs.AboutMe),
      createdAt: dateAttr(row.attrs, "CreationDate"),
      reputation: intAttr(row.attrs, "Reputation") ?? 0,
    });
  }
  if (items.length === 0) return 0;
  const existing = await tx
    .select({ key: importedProfiles.importKey, userId: importedProfiles.userId, claimedAt: importedProfiles.claimedAt, reputation: importedProfiles.sourceReputation })
    .from(importedProfiles)
    .where(
      inArray(
        importedProfiles.importKey,
        items.map((i) => i.key),
      ),
    );
  const byKey = new Map(existing.map((e) => [e.key, e]));
  // A claimed profile's person is a real account now: their name and bio are theirs to keep.
  const unclaimed = items.filter((i) => !byKey.get(i.key)?.claimedAt);
  const userIds = new Map<string, number>();
  if (unclaimed.length > 0) {
    const written = await tx
      .insert(users)
      .values(
        unclaimed.map((i) => ({
          email: placeholderEmail(ctx.host, { id: i.id }),
          passwordHash: null,
          name: i.name,
          location: i.location,
          bio: i.bio,
          kind: "employee" as const,
          ...(i.createdAt ? { createdAt: i.createdAt } : {}),
        })),
      )
      .onConflictDoUpdate({
        target: users.email,
        set: { name: sql`excluded.name`, location: sql`excluded.location`, bio: sql`excluded.bio`, createdAt: sql`excluded.created_at`, updatedAt: sql`now()` },
      })
      .returning({ id: users.id, email: users.email });
    const byEmail = new Map(written.map((w) => [w.email, w.id]));
    for (const i of unclaimed) userIds.set(i.key, byEmail.get(placeholderEmail(ctx.host, { id: i.id }))!);
  }
  for (const i of items) {
    const claimed = byKey.get(i.key);
    if (claimed?.claimedAt) userIds.set(i.key, claimed.userId);
  }
  await tx
    .insert(importedProfiles)
    .values(
      items.map((i) => ({
        importKey: i.key,
        userId: userIds.get(i.key)!,
        source: ctx.host,
        sourceUrl: urls.user(ctx.host, i.id),
        displayName: i.name,
        sourceReputation: i.reputation,
      })),
    )
    .onConflictDoUpdate({
      target: importedProfiles.importKey,
      set: { displayName: sql`excluded.display_name`, sourceUrl: sql`excluded.source_url`, sourceReputation: sql`excluded.source_reputation` },
    });
  // Reputation: one "imported" event for the difference from what earlier runs brought in.
  const deltas = new Map<number, number>();
  const events: Array<typeof reputationEvents.$inferInsert> = [];
  for (const i of items) {
    const delta = i.reputation - (byKey.get(i.key)?.reputation ?? 0);
    if (delta === 0) continue;
    const userId = userIds.get(i.key)!;
    events.push({ userId, delta, reason: "imported", spaceId: ctx.spaceId, tagIds: [] });
    deltas.set(userId, (deltas.get(userId) ?? 0) + delta);
  }
  if (events.length > 0) {
    await lockUsers(tx, [...deltas.keys()]);
    await tx.insert(reputationEvents).values(events);
    await tx.execute(sql`
      update users u set reputation = u.reputation + v.delta::int
      from ${valuesList([...deltas].map(([id, delta]) => [id, delta]))} as v(id, delta)
      where u.id = v.id::int`);
  }
  await enqueueIndexing(tx, "person", userIds.values());
  return items.length;
}

/** `(values ($1, $2), ...)` for joins in batched updates; cast the columns where they are used. */
function valuesList(rows: unknown[][]): SQL {
  return sql`(values ${sql.join(
    rows.map((r) => sql`(${sql.join(
      r.map((v) => sql`${v}`),
      sql`, `,
    )})`),
    sql`, `,
  )})`;
}

/**
 * Profiles for posts and comments whose account is gone: one per display name the dump still
 * shows, and one "deleted user" for those with no name at all. They never hold reputation.
 */
async function ensurePlaceholders(tx: Tx, ctx: Context, names: Set<string | null>): Promise<Map<string | null, ProfileRef & { key: string }>> {
  const result = new Map<string | null, ProfileRef & { key: string }>();
  if (names.size === 0) return result;
  const wanted = [...names].map((name) => {
    const clean = name === null ? "" : plainLine(name, 100);
    return clean === ""
      ? { name, key: keys.deletedUser(ctx.host), email: placeholderEmail(ctx.host, "deleted"), displayName: "deleted user" }
      : { name, key: keys.namedUser(ctx.host, clean), email: placeholderEmail(ctx.host, { name: clean }), displayName: clean };
  });
  const existing = await tx
    .select({ key: importedProfiles.importKey, userId: importedProfiles.userId, displayName: importedProfiles.displayName })
    .from(importedProfiles)
    .where(
      inArray(
        importedProfiles.importKey,
        wanted.map((w) => w.key),
      ),
    );
  const found = new Map(existing.map((e) => [e.key, e]));
  const missing = [...new Map(wanted.filter((w) => !found.has(w.key)).map((w) => [w.key, w])).values()];
  if (missing.length > 0) {
    const created = await tx
      .insert(users)
      .values(missing.map((w) => ({ email: w.email, passwordHash: null, name: w.displayName, kind: "employee" as const })))
      .onConflictDoUpdate({ target: users.email, set: { name: sql`excluded.name` } })
      .returning({ id: users.id, email: users.email });
    const byEmail = new Map(created.map((c) => [c.email, c.id]));
    await tx
      .insert(importedProfiles)
      .values(missing.map((w) => ({ importKey: w.key, userId: byEmail.get(w.email)!, source: ctx.host, sourceUrl: urls.site(ctx.host), displayName: w.displayName })))
      .onConflictDoNothing();
    for (const w of missing) found.set(w.key, { key: w.key, userId: byEmail.get(w.email)!, displayName: w.displayName });
    await enqueueIndexing(tx, "person", byEmail.values());
  }
  for (const w of wanted) result.set(w.name, found.get(w.key)!);
  return result;
}

/**
 * The profiles of these people (by Stack Exchange user id, with the name the row shows when the
 * account is gone): imported ones by key, placeholders for the rest.
 */
async function resolvePeople(tx: Tx, ctx: Context, refs: Array<{ userId: number | null; displayName: string | undefined }>) {
  const ids = [...new Set(refs.map((r) => r.userId).filter((id): id is number => id !== null))];
  const found =
    ids.length === 0
      ? []
      : await tx
          .select({ key: importedProfiles.importKey, userId: importedProfiles.userId, displayName: importedProfiles.displayName })
          .from(importedProfiles)
          .where(
            inArray(
              importedProfiles.importKey,
              ids.map((id) => keys.user(ctx.host, id)),
            ),
          );
  const byKey = new Map(found.map((f) => [f.key, f]));
  const orphans = new Set<string | null>();
  for (const r of refs) if (r.userId === null || !byKey.has(keys.user(ctx.host, r.userId))) orphans.add(r.displayName?.trim() || null);
  const placeholders = await ensurePlaceholders(tx, ctx, orphans);
  return (r: { userId: number | null; displayName: string | undefined }): ProfileRef => {
    if (r.userId !== null) {
      const hit = byKey.get(keys.user(ctx.host, r.userId));
      if (hit) return hit;
    }
    return placeholders.get(r.displayName?.trim() || null)!;
  };
}

// ---- tags --------------------------------------------------------------------------------------

async function writeTags(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const names: string[] = [];
  for (const row of rows) {
    const raw = row.attrs.TagName;
    const name = raw === undefined ? null : normalizeTagName(raw);
    if (name === null) {
      report(ctx, { file: "Tags.xml", line: row.line, message: `the tag "${raw ?? ""}" cannot be mapped to a tag name here (lower-case letters, digits and + # . -, at most 35)` });
      continue;
    }
    names.push(name);
    const excerpt = intAttr(row.attrs, "ExcerptPostId");
    const wiki = intAttr(row.attrs, "WikiPostId");
    if (excerpt !== null) ctx.tagTexts.set(excerpt, { tag: name, kind: "excerpt" });
    if (wiki !== null) ctx.tagTexts.set(wiki, { tag: name, kind: "wiki" });
  }
  if (names.length > 0) await tx.insert(tags).values(names.map((name) => ({ name }))).onConflictDoNothing();
  return names.length;
}

/** A tag's description: paragraphs up to the limit, rendered; null when empty or unrenderable. */
function tagDescription(markdown: string): { description: string; descriptionHtml: string } | null {
  let text = markdown.trim();
  if (text === "") return null;
  if (text.length > TAG_DESCRIPTION_MAX) {
    const paragraphs = text.split(/\n{2,}/);
    text = "";
    for (const p of paragraphs) {
      if (text.length + p.length + 2 > TAG_DESCRIPTION_MAX) break;
      text = text ? `${text}\n\n${p}` : p;
    }
    if (text === "") return null;
  }
  try {
    return { description: text, descriptionHtml: renderMarkdown(text) };
  } catch (error) {
    if (error instanceof MarkdownError) return null;
    throw error;
  }
}

/**
 * Writes tag descriptions: the excerpt (PostTypeId 4) when it says something, else the wiki body
 * (PostTypeId 5) for a tag whose description is still empty.
 */
async function writeTagTexts(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  let written = 0;
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id")!;
    const target = ctx.tagTexts.get(id);
    if (!target) continue;
    const text = tagDescription(htmlToMarkdown(row.attrs.Body ?? ""));
    if (!text) continue;
    const where = target.kind === "excerpt" ? eq(tags.name, target.tag) : and(eq(tags.name, target.tag), eq(tags.description, ""));
    await tx
      .update(tags)
      .set({ ...text, updatedAt: new Date() })
      .where(where);
    written += 1;
  }
  return written;
}

// ---- posts -------------------------------------------------------------------------------------

type PostItem = {
  row: Row;
  id: number;
  type: "question" | "answer";
  parentSourceId: number | null;
  title: string | null;
  body: string;
  bodyHtml: string;
  tagNames: string[];
};

async function writePosts(tx: Tx, ctx: Context, rows: Row[], opts: { final: boolean }): Promise<number> {
  const items: PostItem[] = [];
  const tagRows: Row[] = [];
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id");
    const typeId = intAttr(row.attrs, "PostTypeId");
    if (id === null || typeId === null) {
      report(ctx, { file: "Posts.xml", line: row.line, message: "the row has no Id or PostTypeId" });
      continue;
    }
    if (typeId === 4 || typeId === 5) {
      tagRows.push(row);
      continue;
    }
    if (typeId !== 1 && typeId !== 2) continue;
    const type = typeId === 1 ? "question" : "answer";
    const parentSourceId = type === "answer" ? intAttr(row.attrs, "ParentId") : null;
    if (type === "answer" && parentSourceId === null) {
      report(ctx, { file: "Posts.xml", line: row.line, message: `answer ${id} has no ParentId` });
      continue;
    }
    const title = type === "question" ? plainLine(row.attrs.Title, 300) : null;
    if (type === "question" && !title) {
      report(ctx, { file: "Posts.xml", line: row.line, message: `question ${id} has no title` });
      continue;
    }
    const body = htmlToMarkdown(row.attrs.Body ?? "");
    let bodyHtml: string;
    try {
      bodyHtml = renderMarkdown(body);
    } catch (error) {
      if (!(error instanceof MarkdownError)) throw error;
      report(ctx, { file: "Posts.xml", line: row.line, message: `post ${id}: ${error.message}` });
      continue;
    }
    const tagNames: string[] = [];
    for (const raw of parseTagList(row.attrs.Tags)) {
      const name = normalizeTagName(raw);
      if (name === null) report(ctx, { file: "Posts.xml", line: row.line, message: `question ${id}: the tag "${raw}" cannot be mapped; left off` });
      else if (!tagNames.includes(name)) tagNames.push(name);
    }
    items.push({ row, id, type, parentSourceId, title, body, bodyHtml, tagNames });
  }
  let written = await writeTagTexts(tx, ctx, tagRows);
  if (items.length === 0) return written;

  // Answers whose question is not written yet wait for the fix-up pass.
  const parentKeys = [...new Set(items.filter((i) => i.parentSourceId !== null).map((i) => keys.post(ctx.host, i.parentSourceId!)))];
  const parents =
    parentKeys.length === 0
      ? []
      : await tx
          .select({ id: posts.id, key: posts.importKey })
          .from(posts)
          .where(and(inArray(posts.importKey, parentKeys), eq(posts.type, "question")));
  const parentIds = new Map(parents.map((p) => [p.key!, p.id]));
  // Questions of this same batch are written first, so an answer right behind its question finds it.
  const questions = items.filter((i) => i.type === "question");
  const answers = items.filter((i) => i.type === "answer");
  const people = await resolvePeople(
    tx,
    ctx,
    items.flatMap((i) => [
      { userId: intAttr(i.row.attrs, "OwnerUserId"), displayName: i.row.attrs.OwnerDisplayName },
      ...(i.row.attrs.LastEditorUserId !== undefined || i.row.attrs.LastEditorDisplayName !== undefined
        ? [{ userId: intAttr(i.row.attrs, "LastEditorUserId"), displayName: i.row.attrs.LastEditorDisplayName }]
        : []),
    ]),
  );
  const allTagNames = [...new Set(questions.flatMap((q) => q.tagNames))];
  const tagIds = new Map<string, number>();
  if (allTagNames.length > 0) {
    await tx
      .insert(tags)
      .values(allTagNames.map((name) => ({ name })))
      .onConflictDoNothing();
    for (const t of await tx.select({ id: tags.id, name: tags.name }).from(tags).where(inArray(tags.name, allTagNames))) tagIds.set(t.name, t.id);
  }

  const writeGroup = async (group: PostItem[]) => {
    const values = group.map((i) => {
      const a = i.row.attrs;
      const owner = people({ userId: intAttr(a, "OwnerUserId"), displayName: a.OwnerDisplayName });
      const editor =
        a.LastEditorUserId !== undefined || a.LastEditorDisplayName !== undefined
          ? people({ userId: intAttr(a, "LastEditorUserId"), displayName: a.LastEditorDisplayName })
          : null;
      const created = dateAttr(a, "CreationDate") ?? new Date();
      const closedAt = i.type === "question" ? dateAttr(a, "ClosedDate") : null;
      return {
        type: i.type,
        spaceId: ctx.spaceId,
        parentId: i.parentSourceId === null ? null : parentIds.get(keys.post(ctx.host, i.parentSourceId))!,
        authorId: owner.userId,
        title: i.title,
        body: i.body,
        bodyHtml: i.bodyHtml,
        tags: i.tagNames,
        score: intAttr(a, "Score") ?? 0,
        viewCount: intAttr(a, "ViewCount") ?? 0,
        closedAt,
        closeReason: closedAt ? closeReasonFor(null) : null,
        createdAt: created,
        lastActivityAt: dateAttr(a, "LastActivityDate") ?? created,
        lastEditedAt: dateAttr(a, "LastEditDate"),
        lastEditorId: editor?.userId ?? null,
        importKey: keys.post(ctx.host, i.id),
        sourceUrl: i.type === "question" ? urls.question(ctx.host, i.id) : urls.answer(ctx.host, i.id),
        sourceAuthor: owner.displayName,
        sourceLicense: a.ContentLicense?.trim() || DEFAULT_LICENSE,
      };
    });
    const out = await tx
      .insert(posts)
      .values(values)
      .onConflictDoUpdate({
        target: posts.importKey,
        set: {
          spaceId: sql`excluded.space_id`,
          parentId: sql`excluded.parent_id`,
          authorId: sql`excluded.author_id`,
          title: sql`excluded.title`,
          body: sql`excluded.body`,
          bodyHtml: sql`excluded.body_html`,
          tags: sql`excluded.tags`,
          score: sql`excluded.score`,
          viewCount: sql`excluded.view_count`,
          closedAt: sql`excluded.closed_at`,
          // A reason set by a later pass (PostHistory, PostLinks) stays while the question stays closed.
          closeReason: sql`case when excluded.closed_at is null then null else coalesce(${posts.closeReason}, excluded.close_reason) end`,
          createdAt: sql`excluded.created_at`,
          lastActivityAt: sql`excluded.last_activity_at`,
          lastEditedAt: sql`excluded.last_edited_at`,
          lastEditorId: sql`excluded.last_editor_id`,
          sourceUrl: sql`excluded.source_url`,
          sourceAuthor: sql`excluded.source_author`,
          sourceLicense: sql`excluded.source_license`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: posts.id, key: posts.importKey, parentId: posts.parentId });
    const ids = new Map(out.map((o) => [o.key!, o]));
    for (const i of group) if (i.type === "question") parentIds.set(keys.post(ctx.host, i.id), ids.get(keys.post(ctx.host, i.id))!.id);
    // Revision 1 holds the current text (see decision 005); the question's tags in its order.
    await tx
      .insert(postRevisions)
      .values(
        group.map((i, n) => ({
          postId: ids.get(keys.post(ctx.host, i.id))!.id,
          number: 1,
          kind: "create" as const,
          editorId: values[n]!.authorId,
          title: i.title,
          body: i.body,
          tags: i.tagNames,
          createdAt: values[n]!.createdAt,
        })),
      )
      .onConflictDoUpdate({
        target: [postRevisions.postId, postRevisions.number],
        set: { editorId: sql`excluded.editor_id`, title: sql`excluded.title`, body: sql`excluded.body`, tags: sql`excluded.tags`, createdAt: sql`excluded.created_at` },
      });
    return out;
  };

  const writtenQuestions = questions.length > 0 ? await writeGroup(questions) : [];
  if (writtenQuestions.length > 0) {
    const questionIds = writtenQuestions.map((q) => q.id);
    await tx.delete(questionTags).where(inArray(questionTags.postId, questionIds));
    const links = questions.flatMap((q) => {
      const postId = parentIds.get(keys.post(ctx.host, q.id))!;
      return q.tagNames.map((name) => ({ postId, tagId: tagIds.get(name)! }));
    });
    if (links.length > 0) await tx.insert(questionTags).values(links).onConflictDoNothing();
  }
  const ready = answers.filter((a) => parentIds.has(keys.post(ctx.host, a.parentSourceId!)));
  for (const a of answers) {
    if (ready.includes(a)) continue;
    if (opts.final) report(ctx, { file: "Posts.xml", line: a.row.line, message: `answer ${a.id}: its question ${a.parentSourceId} is not in the dump or was skipped` });
  }
  const writtenAnswers = ready.length > 0 ? await writeGroup(ready) : [];
  await enqueueIndexing(tx, "question", [...writtenQuestions.map((q) => q.id), ...writtenAnswers.map((a) => a.parentId!)]);
  written += writtenQuestions.length + writtenAnswers.length;
  return written;
}

// ---- comments ----------------------------------------------------------------------------------

async function writeComments(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const items: Array<{ row: Row; id: number; postSourceId: number; body: string; bodyHtml: string }> = [];
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id");
    const postSourceId = intAttr(row.attrs, "PostId");
    if (id === null || postSourceId === null) {
      report(ctx, { file: "Comments.xml", line: row.line, message: "the row has no Id or PostId" });
      continue;
    }
    const body = (row.attrs.Text ?? "").trim();
    if (body === "") {
      report(ctx, { file: "Comments.xml", line: row.line, message: `comment ${id} is empty` });
      continue;
    }
    try {
      items.push({ row, id, postSourceId, body, bodyHtml: renderMarkdown(body) });
    } catch (error) {
      if (!(error instanceof MarkdownError)) throw error;
      report(ctx, { file: "Comments.xml", line: row.line, message: `comment ${id}: ${error.message}` });
    }
  }
  if (items.length === 0) return 0;
  const targets = await tx
    .select({ id: posts.id, key: posts.importKey, spaceId: posts.spaceId })
    .from(posts)
    .where(inArray(posts.importKey, [...new Set(items.map((i) => keys.post(ctx.host, i.postSourceId)))]));
  const byKey = new Map(targets.map((t) => [t.key!, t]));
  // Comments on tag wikis and on posts that were skipped have nothing to hang on (counted as skipped).
  const kept = items.filter((i) => byKey.has(keys.post(ctx.host, i.postSourceId)));
  if (kept.length === 0) return 0;
  const people = await resolvePeople(
    tx,
    ctx,
    kept.map((i) => ({ userId: intAttr(i.row.attrs, "UserId"), displayName: i.row.attrs.UserDisplayName })),
  );
  await tx
    .insert(comments)
    .values(
      kept.map((i) => {
        const post = byKey.get(keys.post(ctx.host, i.postSourceId))!;
        return {
          postId: post.id,
          spaceId: post.spaceId,
          authorId: people({ userId: intAttr(i.row.attrs, "UserId"), displayName: i.row.attrs.UserDisplayName }).userId,
          body: i.body,
          bodyHtml: i.bodyHtml,
          importKey: keys.comment(ctx.host, i.id),
          createdAt: dateAttr(i.row.attrs, "CreationDate") ?? new Date(),
        };
      }),
    )
    .onConflictDoUpdate({
      target: comments.importKey,
      set: {
        postId: sql`excluded.post_id`,
        spaceId: sql`excluded.space_id`,
        authorId: sql`excluded.author_id`,
        body: sql`excluded.body`,
        bodyHtml: sql`excluded.body_html`,
        createdAt: sql`excluded.created_at`,
        updatedAt: sql`now()`,
      },
    });
  return kept.length;
}

// ---- votes, close reasons, duplicate links -----------------------------------------------------

/**
 * Up- and downvote counts per post from Votes.xml (VoteTypeId 2 and 3). Counted per batch into a
 * temporary table and set in one statement at the end, in one transaction: memory stays bounded
 * and the counts are absolute, so a re-run sets the same numbers. Scores stay as Posts.xml says.
 */
async function importVotes(ctx: Context): Promise<void> {
  const file = "Votes.xml";
  const full = path.join(ctx.folder, file);
  if (!existsSync(full)) {
    ctx.progress.line(`${file}: not in the dump, nothing to import`);
    return;
  }
  const counts = fileCounts(ctx, file);
  Object.assign(counts, { read: 0, written: 0, skipped: 0, bad: 0 });
  ctx.progress.start(file);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`create temporary table import_votes (key text not null, up int not null, down int not null) on commit drop`);
    let batch = new Map<number, [number, number]>();
    const flush = async () => {
      if (batch.size === 0) return;
      const rows = [...batch].map(([postId, [up, down]]) => [keys.post(ctx.host, postId), up, down]);
      batch = new Map();
      await tx.execute(sql`insert into import_votes (key, up, down) select v.k, v.u::int, v.d::int from ${valuesList(rows)} as v(k, u, d)`);
    };
    for await (const item of readRows(full)) {
      counts.read += 1;
      if (item.kind === "bad") {
        counts.bad += 1;
        report(ctx, { file, line: item.line, message: `malformed row: ${item.error}` });
        continue;
      }
      const type = intAttr(item.attrs, "VoteTypeId");
      const postId = intAttr(item.attrs, "PostId");
      if ((type !== 2 && type !== 3) || postId === null) continue;
      const entry = batch.get(postId) ?? [0, 0];
      entry[type === 2 ? 0 : 1] += 1;
      batch.set(postId, entry);
      counts.written += 1;
      if (batch.size >= ctx.batchSize * 4) await flush();
      ctx.progress.update(counts);
    }
    await flush();
    // Statistics for the planner: the counts join the posts by key through its unique index.
    await tx.execute(sql`analyze import_votes`);
    await tx.execute(sql`
      update posts p set upvote_count = v.up, downvote_count = v.down
      from (select key, sum(up)::int as up, sum(down)::int as down from import_votes group by key) v
      where p.import_key = v.key and p.space_id = ${ctx.spaceId}
        and (p.upvote_count, p.downvote_count) is distinct from (v.up, v.down)`);
    // Posts with no votes in the file have none.
    await tx.execute(sql`
      update posts p set upvote_count = 0, downvote_count = 0
      where p.space_id = ${ctx.spaceId} and p.import_key like ${`${ctx.host}/posts/%`}
        and (p.upvote_count <> 0 or p.downvote_count <> 0)
        and not exists (select 1 from import_votes v where v.key = p.import_key)`);
  });
  counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}

/** PostHistory type 10 (closed) carries the close reason id in Comment; the last one wins. */
async function writeCloseReasons(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const closes = rows
    .filter((r) => intAttr(r.attrs, "PostHistoryTypeId") === 10 && intAttr(r.attrs, "PostId") !== null)
    .map((r) => [keys.post(ctx.host, intAttr(r.attrs, "PostId")!), closeReasonFor(intAttr(r.attrs, "Comment"))]);
  if (closes.length === 0) return 0;
  // Later rows of the same post win: keep the last reason per post in this batch.
  const last = new Map(closes.map(([key, reason]) => [key!, reason!]));
  await tx.execute(sql`
    update posts p set close_reason = v.reason::close_reason
    from ${valuesList([...last])} as v(key, reason)
    where p.import_key = v.key and p.closed_at is not null and p.close_reason is distinct from v.reason::close_reason`);
  return last.size;
}

/** PostHistory types that make a revision: 1-3 the original, 4-6 edits, 7-9 rollbacks (title, body, tags). */
const REVISION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);

type RevisionState = { title: string | null; body: string; tags: string[] };

/**
 * PostHistory.xml: the edit history as revisions (rows grouped by RevisionGUID, numbered in file
 * order per post; PostHistory text is already markdown) and close reasons. A batch ends between
 * two revisions, and each is one transaction. A revision repeats the fields it did not change from
 * the one before, read from the database for the first revision of a post in a batch (it was
 * written by an earlier batch, or by an earlier run with the same content). Only a counter per post
 * stays in memory. The file is read again in full on a resumed run; upserts make that harmless.
 */
async function importHistory(ctx: Context): Promise<void> {
  const file = "PostHistory.xml";
  const full = path.join(ctx.folder, file);
  if (!existsSync(full)) {
    ctx.progress.line(`${file}: not in the dump; each post keeps the one revision holding its current text`);
    return;
  }
  const counts = fileCounts(ctx, file);
  Object.assign(counts, { read: 0, written: 0, skipped: 0, bad: 0 });
  ctx.progress.start(file);
  const numbers = new Map<number, number>();
  let batch: Row[] = [];
  let lastGuid = "";
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    counts.written += await ctx.db.transaction(async (tx) => (await writeCloseReasons(tx, ctx, rows)) + (await writeRevisions(tx, ctx, rows, numbers)));
    ctx.progress.update(counts);
  };
  for await (const item of readRows(full)) {
    counts.read += 1;
    if (item.kind === "bad") {
      counts.bad += 1;
      report(ctx, { file, line: item.line, message: `malformed row: ${item.error}` });
      continue;
    }
    const guid = item.attrs.RevisionGUID ?? `row-${item.line}`;
    if (batch.length >= ctx.batchSize && guid !== lastGuid) await flush();
    lastGuid = guid;
    batch.push(item);
  }
  await flush();
  // The newest revision of every imported post holds its current text, as after an edit here.
  await ctx.db.execute(sql`
    update post_revisions r set title = p.title, body = p.body, tags = p.tags
    from posts p
    where r.post_id = p.id and r.number = p.revision_count and p.space_id = ${ctx.spaceId} and p.import_key like ${`${ctx.host}/posts/%`}
      and (r.title, r.body, r.tags) is distinct from (p.title, p.body, p.tags)`);
  counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}

async function writeRevisions(tx: Tx, ctx: Context, rows: Row[], numbers: Map<number, number>): Promise<number> {
  // Group the revision rows by GUID, in file order.
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const type = intAttr(row.attrs, "PostHistoryTypeId");
    if (type === null || !REVISION_TYPES.has(type) || intAttr(row.attrs, "PostId") === null) continue;
    const guid = row.attrs.RevisionGUID ?? `row-${row.line}`;
    const group = groups.get(guid);
    if (group) group.push(row);
    else groups.set(guid, [row]);
  }
  if (groups.size === 0) return 0;
  const sourceIds = [...new Set([...groups.values()].map((g) => intAttr(g[0]!.attrs, "PostId")!))];
  const targets = await tx
    .select({ id: posts.id, key: posts.importKey, type: posts.type })
    .from(posts)
    .where(
      inArray(
        posts.importKey,
        sourceIds.map((id) => keys.post(ctx.host, id)),
      ),
    );
  const byKey = new Map(targets.map((t) => [t.key!, t]));
  // The state before this batch: the revision the previous batch (or run) left as the latest.
  const previous = new Map<number, RevisionState>();
  const wantedPrevious = sourceIds.filter((id) => (numbers.get(id) ?? 0) > 0 && byKey.has(keys.post(ctx.host, id)));
  if (wantedPrevious.length > 0) {
    const rowsBefore = await tx.execute<{ post_id: number; title: string | null; body: string; tags: string[] }>(sql`
      select r.post_id, r.title, r.body, r.tags from post_revisions r
      join ${valuesList(wantedPrevious.map((id) => [byKey.get(keys.post(ctx.host, id))!.id, numbers.get(id)!]))} as v(post_id, number)
        on r.post_id = v.post_id::int and r.number = v.number::int`);
    for (const r of rowsBefore) previous.set(r.post_id, { title: r.title, body: r.body, tags: r.tags });
  }
  const people = await resolvePeople(
    tx,
    ctx,
    [...groups.values()].map((g) => ({ userId: intAttr(g[0]!.attrs, "UserId"), displayName: g[0]!.attrs.UserDisplayName })),
  );
  const values: Array<typeof postRevisions.$inferInsert> = [];
  for (const group of groups.values()) {
    const sourceId = intAttr(group[0]!.attrs, "PostId")!;
    const post = byKey.get(keys.post(ctx.host, sourceId));
    if (!post) continue;
    const types = group.map((r) => intAttr(r.attrs, "PostHistoryTypeId")!);
    const state: RevisionState = previous.get(post.id) ?? { title: post.type === "question" ? "" : null, body: "", tags: [] };
    for (const row of group) {
      const type = intAttr(row.attrs, "PostHistoryTypeId")!;
      const text = row.attrs.Text ?? "";
      if (type === 1 || type === 4 || type === 7) state.title = post.type === "question" ? plainLine(text, 300) : null;
      else if (type === 2 || type === 5 || type === 8) state.body = text.replace(/\r\n?/g, "\n");
      else state.tags = [...new Set(parseTagList(text).map(normalizeTagName).filter((t): t is string => t !== null))];
    }
    const number = (numbers.get(sourceId) ?? 0) + 1;
    numbers.set(sourceId, number);
    previous.set(post.id, { ...state, tags: [...state.tags] });
    const kind = types.some((t) => t <= 3) ? "create" : types.some((t) => t >= 7) ? "rollback" : "edit";
    const comment = kind === "rollback" ? "Rolled back to an earlier revision." : kind === "edit" ? plainLine(group[0]!.attrs.Comment, 300) : "";
    values.push({
      postId: post.id,
      number,
      kind,
      editorId: people({ userId: intAttr(group[0]!.attrs, "UserId"), displayName: group[0]!.attrs.UserDisplayName }).userId,
      title: post.type === "question" ? state.title || null : null,
      body: state.body,
      tags: post.type === "question" ? state.tags : [],
      comment,
      createdAt: dateAttr(group[0]!.attrs, "CreationDate") ?? new Date(),
    });
  }
  if (values.length === 0) return 0;
  await tx
    .insert(postRevisions)
    .values(values)
    .onConflictDoUpdate({
      target: [postRevisions.postId, postRevisions.number],
      set: {
        kind: sql`excluded.kind`,
        editorId: sql`excluded.editor_id`,
        title: sql`excluded.title`,
        body: sql`excluded.body`,
        tags: sql`excluded.tags`,
        comment: sql`excluded.comment`,
        createdAt: sql`excluded.created_at`,
      },
    });
  // The post's count follows the highest number written so far.
  await tx.execute(sql`
    update posts p set revision_count = v.n::int
    from ${valuesList([...new Map(values.map((v) => [v.postId, v.number])).entries()])} as v(post_id, n)
    where p.id = v.post_id::int and p.revision_count <> v.n::int`);
  return values.length;
}

/** Duplicate links (LinkTypeId 3): the question points at its original; a closed one is closed as a duplicate. */
async function importPostLinks(ctx: Context): Promise<void> {
  const file = "PostLinks.xml";
  const full = path.join(ctx.folder, file);
  if (!existsSync(full)) {
    ctx.progress.line(`${file}: not in the dump, nothing to import`);
    return;
  }
  const counts = fileCounts(ctx, file);
  Object.assign(counts, { read: 0, written: 0, skipped: 0, bad: 0 });
  ctx.progress.start(file);
  await ctx.db.transaction(async (tx) => {
    const links: Array<{ line: number; from: number; to: number }> = [];
    const flush = async () => {
      if (links.length === 0) return;
      const batch = links.splice(0);
      const found = await tx.execute<{ key: string }>(sql`
        update posts p set duplicate_of_id = o.id,
          close_reason = case when p.closed_at is null then p.close_reason else 'duplicate'::close_reason end
        from ${valuesList(batch.map((l) => [keys.post(ctx.host, l.from), keys.post(ctx.host, l.to)]))} as v(dup, original)
        join posts o on o.import_key = v.original
        where p.import_key = v.dup and p.type = 'question' and o.type = 'question' and p.id <> o.id
        returning p.import_key as key`);
      const done = new Set(found.map((f) => f.key));
      for (const l of batch) {
        if (done.has(keys.post(ctx.host, l.from))) counts.written += 1;
        else report(ctx, { file, line: l.line, message: `duplicate link from ${l.from} to ${l.to}: one of the two questions is not imported` });
      }
    };
    for await (const item of readRows(full)) {
      counts.read += 1;
      if (item.kind === "bad") {
        counts.bad += 1;
        report(ctx, { file, line: item.line, message: `malformed row: ${item.error}` });
        continue;
      }
      const from = intAttr(item.attrs, "PostId");
      const to = intAttr(item.attrs, "RelatedPostId");
      if (intAttr(item.attrs, "LinkTypeId") !== 3 || from === null || to === null) continue;
      links.push({ line: item.line, from, to });
      if (links.length >= ctx.batchSize) await flush();
    }
    await flush();
  });
  counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}

// ---- fix-up and counters -----------------------------------------------------------------------

/**
 * Right after Posts.xml, Posts.xml once more (attributes only, nothing rendered): answers that
 * came before their question are written now, and accepted answers (which usually come after
 * their question) are linked. Comments and history, read next, find every post.
 */
async function linkAnswers(ctx: Context): Promise<void> {
  const file = "Posts.xml";
  const full = path.join(ctx.folder, file);
  ctx.progress.start("fix-up (answers, accepted answers)");
  const counts = { read: 0, written: 0, skipped: 0, bad: 0 };
  let late: Row[] = [];
  let accepts: Array<[string, string]> = [];
  let acceptedTotal = 0;
  const flushLate = async (rows: Row[]) => {
    const keysOf = rows.map((r) => keys.post(ctx.host, intAttr(r.attrs, "Id")!));
    const present = new Set((await ctx.db.select({ key: posts.importKey }).from(posts).where(inArray(posts.importKey, keysOf))).map((p) => p.key));
    const missing = rows.filter((r, n) => !present.has(keysOf[n]!));
    if (missing.length > 0) counts.written += await ctx.db.transaction((tx) => writePosts(tx, ctx, missing, { final: true }));
  };
  const flushAccepts = async (pairs: Array<[string, string]>) => {
    const updated = await ctx.db.execute<{ id: number }>(sql`
      update posts q set accepted_answer_id = a.id
      from ${valuesList(pairs)} as v(question, answer)
      join posts a on a.import_key = v.answer
      where q.import_key = v.question and a.parent_id = q.id
      returning q.id`);
    acceptedTotal += updated.length;
  };
  for await (const item of readRows(full)) {
    if (item.kind === "bad") continue;
    counts.read += 1;
    const typeId = intAttr(item.attrs, "PostTypeId");
    const id = intAttr(item.attrs, "Id");
    if (id === null) continue;
    if (typeId === 2) late.push(item);
    const accepted = typeId === 1 ? intAttr(item.attrs, "AcceptedAnswerId") : null;
    if (accepted !== null) accepts.push([keys.post(ctx.host, id), keys.post(ctx.host, accepted)]);
    if (late.length >= ctx.batchSize) {
      await flushLate(late);
      late = [];
    }
    if (accepts.length >= ctx.batchSize) {
      // Answers of these questions may still be in `late`: write them first.
      await flushLate(late);
      late = [];
      await flushAccepts(accepts);
      accepts = [];
    }
    ctx.progress.update(counts);
  }
  if (late.length > 0) await flushLate(late);
  if (accepts.length > 0) await flushAccepts(accepts);
  ctx.counts.acceptedAnswers = acceptedTotal;
  ctx.counts.lateAnswers = counts.written;
  ctx.progress.finish(counts);
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
      from (select p2.id, (select count(*)::int from comments k where k.post_id = p2.id and k.deleted_at is null) as n
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
    const questions = await tx.select({ id: posts.id }).from(posts).where(and(inSpace, eq(posts.type, "question")));
    for (let n = 0; n < questions.length; n += 5_000)
      await enqueueIndexing(
        tx,
        "question",
        questions.slice(n, n + 5_000).map((q) => q.id),
      );
  });
}

function summary(ctx: Context, seconds: number): string {
  const lines = [`imported ${ctx.host} into the space ${ctx.spaceSlug} in ${seconds.toFixed(1)} s (import run ${ctx.runId})`];
  for (const file of FILES) {
    const c = ctx.counts[file];
    if (typeof c !== "object") continue;
    lines.push(`  ${file.padEnd(16)} ${String(c.read).padStart(8)} read ${String(c.written).padStart(8)} written ${String(c.skipped).padStart(6)} skipped ${String(c.bad).padStart(4)} malformed`);
  }
  lines.push(`  accepted answers: ${ctx.counts.acceptedAnswers ?? 0}; problems: ${ctx.problemCount}${ctx.problemCount > ctx.problems.length ? ` (the first ${ctx.problems.length} kept on the run)` : ""}`);
  const badges = ctx.counts["Badges.xml"];
  if (typeof badges === "object") lines.push(`  badges: ${badges.written} counted, not imported (Commons has no badges yet)`);
  return lines.join("\n");
}

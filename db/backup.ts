import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform, type Writable } from "node:stream";
import { createGzip } from "node:zlib";
import postgres from "postgres";
import { ConfigError, parseEnv } from "#app/lib/env.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "./embedded.ts";
import { MIGRATIONS_FOLDER } from "./migrate.ts";
import { projectRoot } from "./project-root.ts";
import { startedDirectly } from "./script.ts";

/**
 * `npm run backup [-- archive.tar.gz]`: one .tar.gz holding everything Commons keeps that can't be
 * rebuilt: the database, the uploads' bytes, and manifest.json (versions and row counts).
 *
 * The database part is a logical dump that needs no PostgreSQL client tools: every table of the
 * public schema is copied out with COPY, in PostgreSQL's text format, inside one REPEATABLE READ
 * transaction, so all tables come from one snapshot. The schema itself is not in the archive: it
 * is what the migrations make, and the manifest names the last one applied. `npm run restore`
 * migrates an empty database to that level, loads the rows, then migrates to the current level.
 * (pg_dump would need a client at least as new as the server; the embedded PostgreSQL package
 * ships none.)
 *
 * The uploads are copied after the dump. Files are written before their rows and rows deleted
 * before their files (app/features/uploads/uploads.server.ts), so a row in the dump has its file
 * unless the pruning of abandoned, never-attached uploads removed it in between; a file without a
 * row (uploaded after the snapshot) is harmless: nothing links to it.
 */

export const ARCHIVE_FORMAT = "commons-backup";
export const ARCHIVE_FORMAT_VERSION = 1;

export interface BackupManifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  commonsVersion: string;
  createdAt: string;
  /** The last migration applied to the database dumped: its tag ("0019_audit_log") and index in the journal. */
  migration: { tag: string; index: number };
  postgresVersion: string;
  meilisearchVersion: string | null;
  /** The main kinds of content, for people reading the manifest. */
  counts: Record<string, number>;
  /** Every table dumped, with its file in the archive, its columns in file order and its rows. */
  tables: Array<{ name: string; file: string; columns: string[]; rows: number }>;
  /** The sequences' positions, so new rows after a restore don't collide with restored ids. */
  sequences: Array<{ name: string; value: string; isCalled: boolean }>;
  uploads: { files: number; bytes: number };
}

// ---------------------------------------------------------------------------------------------
// A small tar writer (POSIX ustar), enough for regular files with short names.

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** The 512-byte ustar header of a regular file. Sizes past 8 GiB use the base-256 form GNU tar reads. */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(BLOCK);
  const nameBytes = Buffer.from(name, "utf8");
  if (nameBytes.length > 100) throw new Error(`tar: name too long: ${name}`);
  nameBytes.copy(header, 0);
  header.write(octal(0o644, 8), 100, "ascii");
  header.write(octal(0, 8), 108, "ascii");
  header.write(octal(0, 8), 116, "ascii");
  if (size < 8 ** 11) header.write(octal(size, 12), 124, "ascii");
  else {
    header[124] = 0x80;
    header.writeBigUInt64BE(BigInt(size), 128);
  }
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, "ascii");
  header.write("        ", 148, "ascii");
  header.write("0", 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148, "ascii");
  return header;
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

/** Appends one file to a tar stream; false when the file was gone by then (an upload pruned meanwhile). */
async function appendFile(out: Writable, name: string, file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  try {
    const info = await handle.stat();
    await write(out, tarHeader(name, info.size, info.mtime));
    // Read exactly the size written in the header, whatever happens to the file meanwhile.
    let left = info.size;
    const buffer = Buffer.alloc(1024 * 1024);
    while (left > 0) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, left), null);
      if (bytesRead === 0) throw new Error(`tar: ${file} shrank while it was archived`);
      await write(out, Buffer.from(buffer.subarray(0, bytesRead)));
      left -= bytesRead;
    }
    const padding = (BLOCK - (info.size % BLOCK)) % BLOCK;
    if (padding > 0) await write(out, Buffer.alloc(padding));
    return true;
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Where the database is.

/** The embedded PostgreSQL's credentials (db/embedded.ts). */
const EMBEDDED_CREDENTIALS = "commons:commons";

/**
 * The database to back up: DATABASE_URL; else the embedded PostgreSQL that npm start runs on
 * DATA_DIR (its port is the fourth line of postmaster.pid); else that PostgreSQL, started here.
 */
export async function connectForScript(env: { DATABASE_URL?: string | undefined; DATA_DIR: string }, log: (line: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, stop: async () => {} };
  const running = await runningEmbeddedPostgres(env.DATA_DIR);
  if (running) {
    const lines = (await readFile(path.resolve(env.DATA_DIR, "postgres", "postmaster.pid"), "utf8")).split("\n");
    const port = Number.parseInt(lines[3] ?? "", 10);
    if (!Number.isInteger(port)) throw new Error(`the embedded PostgreSQL in ${env.DATA_DIR} is running (pid ${running}) but its port could not be read`);
    log(`using the embedded PostgreSQL that is running on ${env.DATA_DIR} (pid ${running})`);
    return { url: `postgres://${EMBEDDED_CREDENTIALS}@127.0.0.1:${port}/commons`, stop: async () => {} };
  }
  if (!existsSync(path.resolve(env.DATA_DIR, "postgres", "PG_VERSION"))) throw new Error(`there is no database in ${env.DATA_DIR} (and DATABASE_URL is not set)`);
  const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, log });
  return { url: pg.url("commons"), stop: () => pg.stop() };
}

// ---------------------------------------------------------------------------------------------
// The dump.

/** Counts newlines as bytes pass: a COPY text row is one line (newlines inside values are escaped). */
function lineCounter(): Transform & { lines: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let at = chunk.indexOf(10);
      while (at !== -1) {
        counter.lines++;
        at = chunk.indexOf(10, at + 1);
      }
      done(null, chunk);
    },
  }) as Transform & { lines: number };
  counter.lines = 0;
  return counter;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string }>;
}

export async function readJournal(folder = MIGRATIONS_FOLDER): Promise<Journal> {
  return JSON.parse(await readFile(path.join(folder, "meta", "_journal.json"), "utf8")) as Journal;
}

/** The last migration applied to the database behind `sql`, as the journal names it; null for a database never migrated. */
export async function migrationLevel(sql: postgres.Sql | postgres.TransactionSql): Promise<{ tag: string; index: number } | null> {
  const [table] = await sql`select to_regclass('drizzle.__drizzle_migrations') as name`;
  if (!table?.name) return null;
  const [last] = await sql<Array<{ created_at: string }>>`select created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`;
  if (!last) return null;
  const journal = await readJournal();
  const entry = journal.entries.find((e) => String(e.when) === last.created_at);
  // A database migrated by a newer Commons than this one: its level is not in our journal.
  if (!entry) throw new Error(`the database was migrated by a newer Commons (migration ${last.created_at} is not in this version's journal)`);
  return { tag: entry.tag, index: entry.idx };
}

/** Dumps every table of the public schema into `dir`, from one snapshot. */
async function dumpDatabase(sql: postgres.Sql, dir: string, log: (line: string) => void) {
  await mkdir(path.join(dir, "database"), { recursive: true });
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    const migration = await migrationLevel(tx);
    if (!migration) throw new Error("the database has never been migrated: nothing to back up");
    const [version] = await tx<Array<{ server_version: string }>>`show server_version`;
    const tableRows = await tx<Array<{ name: string; columns: string[] }>>`
      select c.relname as name,
             array_agg(a.attname::text order by a.attnum) as columns
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      group by c.relname
      order by c.relname`;
    const tables: BackupManifest["tables"] = [];
    for (const table of tableRows) {
      const file = `database/${table.name}.copy`;
      const counter = lineCounter();
      const source = await tx.unsafe(`copy ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(", ")}) to stdout`).readable();
      await pipeline(source, counter, createWriteStream(path.join(dir, file)));
      tables.push({ name: table.name, file, columns: table.columns, rows: counter.lines });
    }
    const sequences = (
      await tx<Array<{ name: string; value: string | null; is_called: boolean }>>`
        select sequencename as name, last_value::text as value, last_value is not null as is_called
        from pg_sequences where schemaname = 'public' order by sequencename`
    ).map((s) => ({ name: s.name, value: s.value ?? "1", isCalled: s.is_called }));
    const rows = new Map(tables.map((t) => [t.name, t.rows]));
    const [posts] = await tx<Array<{ questions: number; answers: number }>>`
      select count(*) filter (where type = 'question')::int as questions, count(*) filter (where type = 'answer')::int as answers from posts`;
    const counts: Record<string, number> = {
      users: rows.get("users") ?? 0,
      spaces: rows.get("spaces") ?? 0,
      questions: posts?.questions ?? 0,
      answers: posts?.answers ?? 0,
      comments: rows.get("comments") ?? 0,
      votes: rows.get("votes") ?? 0,
      ideas: rows.get("ideas") ?? 0,
      wiki_pages: rows.get("wiki_pages") ?? 0,
      articles: rows.get("articles") ?? 0,
      kudos: rows.get("kudos") ?? 0,
      uploads: rows.get("uploads") ?? 0,
      audit_log: rows.get("audit_log") ?? 0,
    };
    const total = tables.reduce((sum, t) => sum + t.rows, 0);
    log(`database: ${tables.length} tables, ${total} rows, at migration ${migration.tag} (PostgreSQL ${version!.server_version})`);
    return { migration, postgresVersion: version!.server_version, tables, sequences, counts };
  });
}

/** Every upload file under `root` (relative paths), skipping the temporary files of writes in progress. */
async function listUploads(root: string): Promise<Array<{ relative: string; size: number }>> {
  if (!existsSync(root)) return [];
  const found: Array<{ relative: string; size: number }> = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith(".tmp")) continue;
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, full).split(path.sep).join("/");
    found.push({ relative, size: (await stat(full)).size });
  }
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}

async function meilisearchVersion(meili: { url: string; key: string } | undefined): Promise<string | null> {
  if (meili) {
    try {
      return (await createMeiliClient(meili.url, meili.key, 5_000).getVersion()).pkgVersion;
    } catch {
      // Not reachable: the manifest says so with null; search is rebuilt from the database anyway.
      return null;
    }
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * Writes the archive to `output` (through `output.partial`, renamed at the end, so a failed backup
 * never leaves a file that looks whole) and returns its manifest and size.
 */
export async function createBackup(options: {
  databaseUrl: string;
  uploadsDir: string;
  output: string;
  meili?: { url: string; key: string } | undefined;
  log?: (line: string) => void;
}): Promise<{ manifest: BackupManifest; bytes: number }> {
  const log = options.log ?? (() => {});
  const output = path.resolve(options.output);
  await mkdir(path.dirname(output), { recursive: true });
  // Stage the dump beside the archive, not in /tmp: it is as big as the data.
  const stage = path.join(path.dirname(output), `.commons-backup-${randomBytes(6).toString("hex")}`);
  const partial = `${output}.partial`;
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    log("dumping the database (one snapshot)");
    const dump = await dumpDatabase(sql, stage, log);
    const files = await listUploads(options.uploadsDir);
    const uploadBytes = files.reduce((sum, f) => sum + f.size, 0);
    log(`uploads: ${files.length} files, ${formatBytes(uploadBytes)}`);
    const { version } = JSON.parse(await readFile(path.join(projectRoot(), "package.json"), "utf8")) as { version: string };
    const manifest: BackupManifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      commonsVersion: version,
      createdAt: new Date().toISOString(),
      migration: dump.migration,
      postgresVersion: dump.postgresVersion,
      meilisearchVersion: await meilisearchVersion(options.meili),
      counts: dump.counts,
      tables: dump.tables,
      sequences: dump.sequences,
      uploads: { files: files.length, bytes: uploadBytes },
    };
    await writeFile(path.join(stage, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");

    log(`writing ${path.basename(output)}`);
    const gzip = createGzip({ level: 6 });
    const done = pipeline(gzip, createWriteStream(partial));
    // The manifest first: restore reads it before anything else.
    await appendFile(gzip, "manifest.json", path.join(stage, "manifest.json"));
    for (const table of dump.tables) await appendFile(gzip, table.file, path.join(stage, table.file));
    let missing = 0;
    for (const file of files) if (!(await appendFile(gzip, `uploads/${file.relative}`, path.join(options.uploadsDir, file.relative)))) missing++;
    if (missing > 0) log(`uploads: ${missing} ${missing === 1 ? "file was" : "files were"} deleted while the backup ran (pruned abandoned uploads)`);
    gzip.end(Buffer.alloc(BLOCK * 2));
    await done;
    await rename(partial, output);
    const bytes = (await stat(output)).size;
    log(`backup written: ${output} (${formatBytes(bytes)})`);
    return { manifest, bytes };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
    await rm(stage, { recursive: true, force: true });
  }
}

function defaultOutput(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
  return path.join("backups", `commons-${stamp}.tar.gz`);
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length > 1 || argv[0] === "--help") {
    console.error("usage: npm run backup [-- path/to/archive.tar.gz]  (default backups/commons-<time>.tar.gz)");
    return 2;
  }
  const log = (line: string) => process.stdout.write(`backup: ${line}\n`);
  let stop = async () => {};
  try {
    const env = parseEnv(process.env);
    const connection = await connectForScript(env, log);
    stop = connection.stop;
    const meili = env.MEILI_URL && env.MEILI_MASTER_KEY ? { url: env.MEILI_URL, key: env.MEILI_MASTER_KEY } : undefined;
    await createBackup({ databaseUrl: connection.url, uploadsDir: path.resolve(env.DATA_DIR, "uploads"), output: argv[0] ?? defaultOutput(), meili, log });
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await stop();
  }
}

if (startedDirectly(import.meta.url)) {
  const code = await main(process.argv.slice(2));
  // The embedded PostgreSQL package's exit hook ends the process with 0 on its way out: exit with our code ourselves.
  process.exit(code);
}

import { randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { cp, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Meilisearch } from "meilisearch";
import postgres from "postgres";
import { ConfigError, parseEnv } from "#app/lib/env.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { startEmbeddedMeili } from "#search/embedded.ts";
import { applyIndexSettings } from "#search/indexes.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, type BackupManifest, formatBytes, migrationLevel, readJournal } from "./backup.ts";
import { createDb } from "./client.server.ts";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "./embedded.ts";
import { ensureDatabase, MIGRATIONS_FOLDER, runMigrations } from "./migrate.ts";
import { startedDirectly } from "./script.ts";

/**
 * `npm run restore -- archive.tar.gz`: brings a backup (db/backup.ts) back into an empty target,
 * the embedded PostgreSQL of an empty DATA_DIR or an empty database at DATABASE_URL. It migrates
 * the database to the archive's level, loads every table in one transaction (with triggers off,
 * as pg_restore does, so the rows come back as they were and nothing is derived twice), checks each
 * table's count against the manifest before committing, migrates to this version's level, puts the
 * uploads back and rebuilds the search indexes.
 */

/** The target holds data already: restore never mixes an archive into existing rows. */
export class RestoreRefused extends Error {}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

// ---------------------------------------------------------------------------------------------
// A small tar reader, for the archives db/backup.ts writes.

function tarSize(header: Buffer): number {
  if ((header[124]! & 0x80) !== 0) return Number(header.readBigUInt64BE(128));
  return Number.parseInt(header.toString("ascii", 124, 136).replace(/\0.*$/, "").trim() || "0", 8);
}

function tarName(header: Buffer): string {
  const name = header.toString("utf8", 0, 100).replace(/\0.*$/s, "");
  const prefix = header.toString("utf8", 345, 500).replace(/\0.*$/s, "");
  return prefix ? `${prefix}/${name}` : name;
}

/** Only the parts an archive of ours holds, and never a path that climbs out of the target. */
function safeEntry(name: string): boolean {
  if (name.startsWith("/") || name.split("/").some((part) => part === ".." || part === "")) return false;
  return name === "manifest.json" || /^database\/[A-Za-z0-9_]+\.copy$/.test(name) || /^uploads\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(name);
}

/** Extracts the archive's regular files into `dest`. */
export async function extractArchive(archive: string, dest: string): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let current: { handle: Awaited<ReturnType<typeof open>>; left: number; padding: number } | null = null;
  let skip = 0;
  let ended = false;
  const gunzip = createReadStream(archive).pipe(createGunzip());
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (!ended) {
      if (current) {
        if (current.left > 0) {
          if (pending.length === 0) break;
          const part = pending.subarray(0, Math.min(current.left, pending.length));
          await current.handle.write(part);
          current.left -= part.length;
          pending = pending.subarray(part.length);
          continue;
        }
        await current.handle.close();
        skip = current.padding;
        current = null;
      }
      if (skip > 0) {
        const n = Math.min(skip, pending.length);
        skip -= n;
        pending = pending.subarray(n);
        if (skip > 0) break;
      }
      if (pending.length < 512) break;
      const header = pending.subarray(0, 512);
      pending = pending.subarray(512);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const name = tarName(header);
      const size = tarSize(header);
      const type = String.fromCharCode(header[156]!);
      const padding = (512 - (size % 512)) % 512;
      if (type === "5") continue;
      if ((type !== "0" && type !== "\0") || !safeEntry(name)) throw new RestoreRefused(`the archive holds an entry Commons does not write: ${JSON.stringify(name)}`);
      const file = path.join(dest, ...name.split("/"));
      await mkdir(path.dirname(file), { recursive: true });
      current = { handle: await open(file, "wx"), left: size, padding };
    }
  }
  if (current) {
    await current.handle.close();
    if (current.left > 0) throw new Error("the archive ends in the middle of a file: it is incomplete");
  }
  if (!ended) throw new Error("the archive has no end marker: it is incomplete");
}

// ---------------------------------------------------------------------------------------------

/**
 * The tables whose rows make a database "not empty". Not every table: some migrations write
 * default rows (a kudos allowance, say), so a database that was only migrated holds a few rows and
 * is still a fine target; those rows are replaced by the archive's.
 */
const CONTENT_TABLES = ["users", "spaces", "posts", "ideas", "wiki_pages", "articles", "kudos", "uploads", "audit_log"];

/** Throws RestoreRefused when the database holds people or content. */
async function refuseNonEmpty(sql: postgres.Sql, where: string): Promise<void> {
  for (const name of CONTENT_TABLES) {
    const [table] = await sql`select to_regclass(${`public.${name}`}) is not null as present`;
    if (!table?.present) continue;
    const [row] = await sql.unsafe(`select exists (select 1 from ${quoteIdent(name)}) as any`);
    if (row?.any) throw new RestoreRefused(`restore: ${where} is not empty (table ${name} has rows); restore only into an empty database.`);
  }
}

/** How long PostgreSQL may take to confirm a table's rows once they are all sent. */
const COPY_CONFIRM_MS = 120_000;

/**
 * Loads one table's file with COPY FROM STDIN. postgres.js never finishes the stream when the
 * server refuses the rows after the last of them was sent (the error arrives once the stream has
 * let go of its connection), so a silence after the end turns into an error instead of a hang.
 */
async function copyIn(tx: postgres.TransactionSql, table: BackupManifest["tables"][number], file: string): Promise<void> {
  const target = await tx.unsafe(`copy ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(", ")}) from stdin`).writable();
  const source = createReadStream(file);
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    source.on("end", () => {
      timer = setTimeout(() => reject(new Error(`PostgreSQL did not confirm the rows of table ${table.name}: the archive's data does not fit this database`)), COPY_CONFIRM_MS);
    });
  });
  try {
    await Promise.race([pipeline(source, target), silence]);
  } finally {
    clearTimeout(timer);
  }
}

/** Migrates to exactly `level` (a journal index): a copy of the migrations folder whose journal stops there. */
async function migrateTo(url: string, level: number, workDir: string): Promise<void> {
  const folder = path.join(workDir, "migrations");
  await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journal = await readJournal();
  journal.entries = journal.entries.filter((e) => e.idx <= level);
  await writeFile(path.join(folder, "meta", "_journal.json"), JSON.stringify(journal));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client: sql }), { migrationsFolder: folder });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function readManifest(file: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(file, "utf8")) as BackupManifest;
  } catch {
    throw new RestoreRefused("restore: the archive has no readable manifest.json: it is not a Commons backup");
  }
  if (manifest.format !== ARCHIVE_FORMAT || manifest.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw new RestoreRefused(`restore: the archive is not a Commons backup this version can read (format ${String(manifest.format)} ${String(manifest.formatVersion)})`);
  }
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Rows per table after the restore, each equal to the manifest's. */
  counts: Record<string, number>;
  uploads: number;
  migratedFrom: string | null;
}

/**
 * Restores `archive` into the empty database at `databaseUrl` and the empty `uploadsDir`, then
 * rebuilds the search indexes on `search` (when given). `workDir` holds the extracted archive
 * for the duration (on the uploads' file system, so they are moved, not copied).
 */
export async function restoreBackup(options: {
  archive: string;
  databaseUrl: string;
  uploadsDir: string;
  search?: { client: Meilisearch; prefix?: string } | undefined;
  log?: (line: string) => void;
}): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  if (!existsSync(options.archive)) throw new RestoreRefused(`restore: no such archive: ${options.archive}`);
  if (existsSync(options.uploadsDir) && (await readdir(options.uploadsDir)).length > 0) {
    throw new RestoreRefused(`restore: ${options.uploadsDir} already holds uploads; restore only into an empty data directory.`);
  }
  await ensureDatabase(options.databaseUrl);
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const work = path.join(path.dirname(path.resolve(options.uploadsDir)), `.commons-restore-${randomBytes(6).toString("hex")}`);
  try {
    await refuseNonEmpty(sql, "the target database");
    const journal = await readJournal();
    const current = await migrationLevel(sql);

    log(`reading ${path.basename(options.archive)}`);
    await extractArchive(options.archive, work);
    const manifest = await readManifest(path.join(work, "manifest.json"));
    const latest = journal.entries.at(-1)!;
    const archived = journal.entries.find((e) => e.tag === manifest.migration.tag);
    if (!archived) throw new RestoreRefused(`restore: the archive was made by a newer Commons (migration ${manifest.migration.tag}); install that version or newer first.`);
    if (current && current.index > archived.idx) {
      throw new RestoreRefused(`restore: the target database is already at migration ${current.tag}, past the archive's ${archived.tag}; restore into a database that was never migrated.`);
    }
    log(`archive of ${manifest.createdAt}, Commons ${manifest.commonsVersion}, migration ${archived.tag}`);

    log(`migrating the empty database to ${archived.tag}`);
    await migrateTo(options.databaseUrl, archived.idx, work);
    log("loading the tables (one transaction)");
    const counts: Record<string, number> = {};
    await sql.begin(async (tx) => {
      // Rows come back as they were: no trigger derives anything again, no foreign key is checked
      // mid-load (the snapshot was consistent). Needs a superuser, as pg_restore's --disable-triggers does.
      await tx`set local session_replication_role = replica`;
      // Some migrations write default rows (a kudos allowance, say); the archive holds the ones in use.
      for (const table of manifest.tables) await tx.unsafe(`delete from ${quoteIdent(table.name)}`);
      for (const table of manifest.tables) await copyIn(tx, table, path.join(work, ...table.file.split("/")));
      for (const s of manifest.sequences) await tx`select setval(${`public.${quoteIdent(s.name)}`}::regclass, ${s.value}::bigint, ${s.isCalled})`;
      for (const table of manifest.tables) {
        const [row] = await tx.unsafe(`select count(*)::bigint as n from ${quoteIdent(table.name)}`);
        counts[table.name] = Number(row!.n);
        if (counts[table.name] !== table.rows) throw new Error(`table ${table.name} has ${counts[table.name]} rows after loading, the manifest says ${table.rows}: nothing was restored`);
      }
    });
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    log(`database: ${manifest.tables.length} tables, ${rows} rows, every count as in the manifest`);
    const migratedFrom = archived.idx < latest.idx ? archived.tag : null;
    if (migratedFrom) {
      log(`migrating from ${archived.tag} to ${latest.tag}`);
      await runMigrations(options.databaseUrl);
    }

    let uploads = 0;
    const extracted = path.join(work, "uploads");
    if (existsSync(extracted)) {
      uploads = (await readdir(extracted, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
      await rm(options.uploadsDir, { recursive: true, force: true });
      await rename(extracted, options.uploadsDir);
    }
    log(`uploads: ${uploads} files put back (${formatBytes(manifest.uploads.bytes)})`);

    if (options.search) {
      const db = createDb(options.databaseUrl, { max: 2 });
      try {
        await applyIndexSettings(options.search.client, options.search.prefix ?? "");
        const result = await reindexAll(db, options.search.client, { prefix: options.search.prefix ?? "" });
        log(
          `search: rebuilt (${Object.entries(result)
            .map(([kind, r]) => `${kind} ${r.documents}`)
            .join(", ")})`,
        );
      } finally {
        await db.close();
      }
    } else log("search: not rebuilt here (no Meilisearch); run npm run search:reindex");
    return { manifest, counts, uploads, migratedFrom };
  } finally {
    await sql.end({ timeout: 5 });
    await rm(work, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] === "--help") {
    console.error("usage: npm run restore -- path/to/archive.tar.gz  (into an empty DATA_DIR, or an empty database at DATABASE_URL)");
    return 2;
  }
  const log = (line: string) => process.stdout.write(`restore: ${line}\n`);
  const stops: Array<() => Promise<void>> = [];
  try {
    const env = parseEnv(process.env);
    const archive = path.resolve(argv[0]!);
    if (!existsSync(archive)) throw new RestoreRefused(`restore: no such archive: ${argv[0]}`);
    let url = env.DATABASE_URL;
    if (!url) {
      const running = await runningEmbeddedPostgres(env.DATA_DIR);
      if (running) throw new RestoreRefused(`restore: the embedded PostgreSQL in ${env.DATA_DIR} is running (pid ${running}): restore into an empty DATA_DIR, with npm start stopped.`);
      const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, log });
      stops.push(() => pg.stop());
      url = pg.url("commons");
    }
    let search: { client: Meilisearch } | undefined;
    if (env.MEILI_URL && env.MEILI_MASTER_KEY) search = { client: createMeiliClient(env.MEILI_URL, env.MEILI_MASTER_KEY, 60_000) };
    else {
      const meili = await startEmbeddedMeili({ dataDir: env.DATA_DIR, log });
      stops.push(() => meili.stop());
      search = { client: createMeiliClient(meili.url, meili.masterKey, 60_000) };
    }
    await restoreBackup({ archive, databaseUrl: url, uploadsDir: path.resolve(env.DATA_DIR, "uploads"), search, log });
    log("done: start Commons as usual");
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof RestoreRefused) {
      console.error(error.message);
      return 2;
    }
    console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

if (startedDirectly(import.meta.url)) {
  const code = await main(process.argv.slice(2));
  // The embedded PostgreSQL package's exit hook ends the process with 0 on its way out: exit with our code ourselves.
  process.exit(code);
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** Creates the database named in `url` when it does not exist yet (embedded start, tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Applies the committed migrations. drizzle's migrator takes an advisory lock-free path, so two
 * instances starting together serialize on our own advisory lock instead.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(hashtext('commons:migrate'))`;
    await migrate(drizzle({ client: sql }), { migrationsFolder: MIGRATIONS_FOLDER });
    await sql`select pg_advisory_unlock(hashtext('commons:migrate'))`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("db:migrate needs DATABASE_URL (npm start migrates the embedded database by itself)");
    process.exit(1);
  }
  await ensureDatabase(url);
  await runMigrations(url);
  console.log("migrations applied");
}

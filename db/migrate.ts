import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { projectRoot } from "./project-root.ts";
import { startedDirectly } from "./script.ts";

export const MIGRATIONS_FOLDER = path.join(projectRoot(), "db", "migrations");

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

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("db:migrate needs DATABASE_URL (npm start migrates the embedded database by itself)");
    process.exit(1);
  }
  await ensureDatabase(url);
  await runMigrations(url);
  console.log("migrations applied");
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ConfigError, parseEnv } from "#app/lib/env.server.ts";
import { createDb } from "#db/client.server.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "#db/embedded.ts";
import { ensureDatabase, runMigrations } from "#db/migrate.ts";
import { DEMO_PASSWORD } from "#db/seed-info.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { type EmbeddedMeili, startEmbeddedMeili } from "#search/embedded.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { generateCompany } from "./index.ts";
import { startedDirectly } from "../script.ts";

/**
 * `npm run data:generate -- --questions 100000 [--seed 42] [--reset]`
 *
 * Writes into DATABASE_URL, or else into the embedded PostgreSQL under DATA_DIR that `npm start`
 * uses (stop `npm start` first). A database that already has people or posts is refused (exit 2)
 * unless --reset, which empties every table of the app first. Afterwards the search indexes are
 * rebuilt from the new data, in MEILI_URL or the embedded Meilisearch under DATA_DIR. Progress
 * goes to stderr, the summary to stdout.
 */

const USAGE = "usage: npm run data:generate -- --questions <n> [--seed <n>] [--reset]";

/** Exit codes: 1 something failed, 2 refused (bad arguments or a database that is not empty). */
class Refused extends Error {}

function parseCli(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { questions: { type: "string" }, seed: { type: "string" }, reset: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
      strict: true,
    });
  } catch (error) {
    throw new Refused(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return null;
  const number = (name: string, text: string | undefined, fallback?: number) => {
    if (text === undefined && fallback !== undefined) return fallback;
    const n = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
      throw new Refused(`--${name} needs a whole number above 0${text === undefined ? "" : `, not "${text}"`}\n${USAGE}`);
    return n;
  };
  return { questions: number("questions", values.questions), seed: number("seed", values.seed, 42), reset: values.reset };
}

/** A PostgreSQL of `npm start` still running on this data directory must not be stopped under it. */
async function refuseRunningServer(dataDir: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path.resolve(dataDir, "postgres", "postmaster.pid"), "utf8");
  } catch {
    return;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new Refused(`the embedded PostgreSQL in ${dataDir} is running (pid ${pid}): stop npm start first, or set DATABASE_URL`);
}

/**
 * Empties every table of the app (not the migration history), ids starting again from 1. The
 * audit log too: its entries name people by id, and the ids start again. It is append-only for the
 * app (migration 0019: triggers refuse TRUNCATE), so the one session that empties a whole company
 * runs as a replica, where ordinary triggers don't fire; that takes a superuser (the embedded
 * PostgreSQL's role is one), and anyone else is told so.
 */
async function resetDatabase(url: string, log: (line: string) => void): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
    log(`reset: emptying ${tables.length} tables (people, spaces, posts, votes, sessions, settings, the audit log and the rest)`);
    if (tables.length > 0) {
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe("set local session_replication_role = replica");
          await tx.unsafe(`truncate ${tables.map((t) => `"${t.name}"`).join(", ")} restart identity cascade`);
        });
      } catch (error) {
        if ((error as { code?: string }).code === "42501") throw new Refused("--reset empties the append-only audit log too, which takes a superuser: nothing was changed");
        throw error;
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function contents(url: string): Promise<{ users: number; posts: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ users: number; posts: number }[]>`select (select count(*) from users)::int as users, (select count(*) from posts)::int as posts`;
    return row!;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function firstAdmin(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ email: string }[]>`select email from users where role = 'admin' and kind = 'employee' order by id limit 1`;
    return row?.email ?? "(no admin)";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function main(argv: string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(line + "\n");
  const stops: Array<() => Promise<void>> = [];
  try {
    const options = parseCli(argv);
    if (!options) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const env = parseEnv(process.env);
    let url = env.DATABASE_URL;
    if (!url) {
      await refuseRunningServer(env.DATA_DIR);
      const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, log });
      stops.push(() => pg.stop());
      url = pg.url("commons");
      log(`generate: into the embedded PostgreSQL in ${env.DATA_DIR}`);
    }
    await ensureDatabase(url);
    await runMigrations(url);
    const before = await contents(url);
    if (before.users > 0 || before.posts > 0) {
      if (!options.reset) {
        throw new Refused(
          `the database already has ${before.users.toLocaleString("en")} people and ${before.posts.toLocaleString("en")} posts: ` +
            "nothing was written. Pass --reset to empty it first (this deletes everything in it).",
        );
      }
      await resetDatabase(url, log);
    }

    const result = await generateCompany(url, { questions: options.questions, seed: options.seed, log });
    const seconds = result.ms / 1000;
    const admin = await firstAdmin(url);

    // Search: rebuild the indexes from the new data (the relay only sees writes made through the app).
    let meiliUrl = env.MEILI_URL;
    let meiliKey = env.MEILI_MASTER_KEY;
    if (!meiliUrl) {
      try {
        const meili: EmbeddedMeili = await startEmbeddedMeili({ dataDir: env.DATA_DIR, log });
        stops.push(() => meili.stop());
        meiliUrl = meili.url;
        meiliKey = meili.masterKey;
      } catch (error) {
        log(`search: no embedded Meilisearch (${error instanceof Error ? error.message : String(error)}); run npm run search:reindex against yours`);
      }
    }
    let searchNote = "search indexes not rebuilt";
    if (meiliUrl) {
      const db = createDb(url, { max: 2 });
      try {
        const reindexed = await reindexAll(db, createMeiliClient(meiliUrl, meiliKey, 60_000), {
          onProgress: (p) => {
            if (p.done || p.indexed % 10_000 === 0) {
              const rate = p.elapsedMs > 0 ? Math.round((p.indexed * 1000) / p.elapsedMs) : 0;
              log(`search: ${p.kind} ${p.indexed.toLocaleString("en")} documents in ${(p.elapsedMs / 1000).toFixed(1)} s (${rate}/s)${p.done ? ", swapped in" : ""}`);
            }
          },
        });
        searchNote = `search indexes rebuilt (${Object.entries(reindexed)
          .map(([kind, r]) => `${r.documents.toLocaleString("en")} ${kind}`)
          .join(", ")})`;
      } catch (error) {
        log(`search: the reindex failed (${error instanceof Error ? error.message : String(error)}); run npm run search:reindex once Meilisearch is up`);
      } finally {
        await db.close();
      }
    }

    // The generator's own peak (PostgreSQL and Meilisearch are processes of their own).
    log(`generate: peak memory of this process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    process.stdout.write(
      [
        `Generated ${result.users.toLocaleString("en")} people, ${result.spaces} spaces, ${result.tags} tags, ` +
          `${result.questions.toLocaleString("en")} questions, ${result.answers.toLocaleString("en")} answers, ` +
          `${result.comments.toLocaleString("en")} comments and ${result.votes.toLocaleString("en")} votes, ` +
          `${result.campaigns} idea campaigns with ${result.ideas.toLocaleString("en")} ideas, ${result.ideaVotes.toLocaleString("en")} idea votes and ` +
          `${result.ideaComments.toLocaleString("en")} idea comments, ${result.pages.toLocaleString("en")} wiki pages with ${result.suggestions.toLocaleString("en")} suggested edits and ` +
          `${result.articles.toLocaleString("en")} articles in ${seconds.toFixed(1)} s (seed ${options.seed}); ${searchNote}.`,
        `Sign in as ${result.signInEmail} (a member) or ${admin} (an admin), password ${DEMO_PASSWORD}: every generated employee has it.`,
        "",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (error instanceof Refused) {
      log(`data:generate: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      log(error.message);
      return 1;
    }
    log(`data:generate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`while stopping: ${String(error)}`));
  }
}

if (startedDirectly(import.meta.url)) {
  const code = await main(process.argv.slice(2));
  // The embedded PostgreSQL package's exit hook ends the process with 0 on its way out, whatever
  // exitCode says (a refused database came out as success): everything is closed by now.
  process.exit(code);
}

import { parseArgs } from "node:util";
import { ConfigError, parseEnv } from "#app/lib/env.server.ts";
import { createDb } from "#db/client.server.ts";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "#db/embedded.ts";
import { ensureDatabase, runMigrations } from "#db/migrate.ts";
import { ImportInputError, importStackExchange, SpaceNotFoundError } from "./importer.ts";
import { startedDirectly } from "../../db/script.ts";

/**
 * `npm run import:stackexchange -- <folder> --space <slug-or-name> [--source <host>]`: imports a
 * Stack Exchange data dump into an existing space, in DATABASE_URL or else the embedded PostgreSQL
 * under DATA_DIR that `npm start` uses (stop it first). Search catches up through the outbox when
 * Commons runs. Progress and problems go to stderr. Exit codes:
 * 0 done, 1 the import failed (it resumes from its checkpoint when run again), 2 bad arguments or
 * a space that does not exist.
 */

const USAGE = "usage: npm run import:stackexchange -- <dump folder> --space <slug or name> [--source <site host>] [--batch-size <rows>]";

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { space: { type: "string" }, source: { type: "string" }, "batch-size": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.space) {
    console.error(USAGE);
    return 2;
  }
  const batchSize = values["batch-size"] === undefined ? undefined : Number(values["batch-size"]);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5_000)) {
    console.error("--batch-size must be a whole number from 1 to 5000");
    return 2;
  }
  const stops: Array<() => Promise<void>> = [];
  let url: string;
  try {
    const env = parseEnv(process.env);
    if (env.DATABASE_URL) url = env.DATABASE_URL;
    else {
      const running = await runningEmbeddedPostgres(env.DATA_DIR);
      if (running) {
        console.error(`The embedded PostgreSQL in ${env.DATA_DIR} is running (pid ${running}): stop npm start first, or set DATABASE_URL.`);
        return 2;
      }
      const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, log: (line) => process.stderr.write(`${line}\n`) });
      stops.push(() => pg.stop());
      url = pg.url("commons");
      await ensureDatabase(url);
      await runMigrations(url);
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  // One connection holds the run's lock, one writes.
  const db = createDb(url, { max: 3 });
  try {
    const result = await importStackExchange(db, {
      folder: positionals[0]!,
      space: values.space,
      source: values.source,
      ...(batchSize !== undefined ? { batchSize } : {}),
      output: process.stderr,
    });
    if (result.problemCount > 0) console.error(`${result.problemCount} rows were skipped; see import_runs.problems of run ${result.runId}`);
    return 0;
  } catch (error) {
    if (error instanceof SpaceNotFoundError) {
      const list = error.spaces.map((s) => `  ${s.slug} (${s.name})`).join("\n");
      console.error(`${error.message} Create it first, or use one of these:\n${list || "  (there are no spaces yet)"}`);
      return 2;
    }
    if (error instanceof ImportInputError) {
      console.error(error.message);
      return 2;
    }
    console.error(`import failed: ${error instanceof Error ? error.message : String(error)}\nRun the same command again to resume from the last batch written.`);
    return 1;
  } finally {
    await db.close();
    for (const stop of stops.reverse()) await stop();
  }
}

if (startedDirectly(import.meta.url)) {
  const code = await main(process.argv.slice(2));
  // The embedded PostgreSQL package's exit hook ends the process with 0 on its way out, whatever
  // exitCode says: everything is closed by now, so exit with the code ourselves.
  process.exit(code);
}

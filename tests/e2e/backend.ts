import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Meilisearch } from "meilisearch";
import { createDb, type Db } from "../../db/client.server.ts";
import { createMeiliClient } from "../../search/client.server.ts";

/**
 * The end-to-end server's database and search, for the few journeys that must move time (a
 * routing deadline passing): they run the app's own job with a later clock against the same
 * servers, instead of waiting hours or adding a test-only route to the app. serve.ts writes the
 * file when the server is up and removes it when it stops.
 */
export function e2eBackendFile(port: number | string): string {
  return path.join(os.tmpdir(), `commons-e2e-backend-${port}.json`);
}

export async function e2eBackend(): Promise<{ db: Db; search: Meilisearch; close: () => Promise<void> }> {
  const { databaseUrl, meiliUrl, meiliKey } = JSON.parse(await written(e2eBackendFile(process.env.E2E_PORT!))) as { databaseUrl: string; meiliUrl: string; meiliKey?: string };
  const db = createDb(databaseUrl, { max: 2 });
  return { db, search: createMeiliClient(meiliUrl, meiliKey), close: () => db.close() };
}

/** The file's text, waiting for serve.ts to write it: the server answers before it has (the first spec may get there first). */
async function written(file: string, deadline = Date.now() + 60_000): Promise<string> {
  for (;;) {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

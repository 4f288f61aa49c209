import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import postgres from "postgres";
import { createDb, type Db } from "#db/client.server.ts";

/**
 * A fresh, migrated database for the calling test file, copied from the template that the
 * global setup prepared. Call at the top level of a test file:
 *
 *   const t = setupTestDb();
 *   test("...", async () => { await t.db.select()... });
 */
export function setupTestDb(): { readonly db: Db; readonly url: string } {
  const state: { db?: Db; url?: string } = {};
  const name = `t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const serverUrl = inject("postgresUrl");

  beforeAll(async () => {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${name} template ${inject("templateDb")}`);
    } finally {
      await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    state.url = url.toString();
    // The app reads DATABASE_URL in a few places (e.g. scripts); point it at this file's database.
    process.env.DATABASE_URL = state.url;
    state.db = createDb(state.url, { max: 5 });
  });

  afterAll(async () => {
    await state.db?.close();
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  });

  return {
    get db() {
      if (!state.db) throw new Error("setupTestDb: the database is created in beforeAll; use it inside tests");
      return state.db;
    },
    get url() {
      return state.url!;
    },
  };
}

/** Meilisearch of this run, for tests that need search. */
export function testMeili(): { url: string; key: string } {
  return { url: inject("meiliUrl"), key: inject("meiliKey") };
}

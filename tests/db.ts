import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import type { Meilisearch } from "meilisearch";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDb, type Db } from "#db/client.server.ts";
import * as schema from "#db/schema/index.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { applyIndexSettings, INDEX_NAMES, type IndexedKind, indexName } from "#search/indexes.ts";
import { closedPort } from "./helpers.ts";

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

/**
 * This file's own search indexes on the run's Meilisearch: a random prefix, the settings applied
 * before the tests and the indexes deleted after them. Use inside tests (the client is made in beforeAll).
 */
export function setupSearchIndexes(letter = "t"): { readonly prefix: string; readonly client: Meilisearch } {
  const prefix = `${letter}${randomUUID().replaceAll("-", "").slice(0, 10)}_`;
  let client: Meilisearch | undefined;
  beforeAll(async () => {
    const { url, key } = testMeili();
    client = createMeiliClient(url, key, 10_000);
    await applyIndexSettings(client, prefix);
  });
  afterAll(async () => {
    for (const kind of Object.keys(INDEX_NAMES) as IndexedKind[]) await client?.deleteIndexIfExists(indexName(kind, prefix));
  });
  return {
    prefix,
    get client() {
      if (!client) throw new Error("setupSearchIndexes: the client is made in beforeAll; use it inside tests");
      return client;
    },
  };
}

/**
 * A Meilisearch that is down: a client on a loopback port nothing listens on, to hand the routes
 * as `context.search` (routeContext(db, unreachable.client)). Use inside tests (made in beforeAll).
 */
export function useUnreachableMeili(): { readonly url: string; readonly client: Meilisearch } {
  let url = "";
  let client: Meilisearch | undefined;
  beforeAll(async () => {
    url = `http://127.0.0.1:${await closedPort()}`;
    client = createMeiliClient(url, "unreachable-meilisearch-key");
  });
  return {
    get url() {
      return url;
    },
    get client() {
      if (!client) throw new Error("useUnreachableMeili: the client is made in beforeAll; use it inside tests");
      return client;
    },
  };
}

/**
 * A second handle on a file's test database that counts every statement it sends, for the
 * query-count guards: read or reset `queries` around the call being counted. Opened on first use,
 * closed after the file's tests.
 */
export function countingDb(t: { readonly url: string }): { readonly db: Db; queries: number } {
  const state: { db?: Db; client?: postgres.Sql; queries: number } = { queries: 0 };
  afterAll(async () => {
    await state.client?.end({ timeout: 5 });
  });
  return {
    get db() {
      if (!state.db) {
        state.client = postgres(t.url, { max: 2, onnotice: () => {} });
        state.db = drizzle({ client: state.client, schema, casing: "snake_case", logger: { logQuery: () => void state.queries++ } }) as unknown as Db;
      }
      return state.db;
    },
    get queries() {
      return state.queries;
    },
    set queries(n: number) {
      state.queries = n;
    },
  };
}

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Db = ReturnType<typeof createDb>;
/** A transaction handle; features accept `Db | Tx` where they may run inside a caller's transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** `socketPath`: reach the server `url` names over its Unix socket instead (the embedded PostgreSQL's). */
export function createDb(url: string, options: { max?: number; socketPath?: string | undefined } = {}) {
  const client = postgres(url, {
    ...(options.socketPath ? { path: options.socketPath } : {}),
    max: options.max ?? 10,
    onnotice: () => {},
    // Keep idle connections from piling up in tests that create many databases.
    idle_timeout: 30,
    // Prepared statements live per connection; a connection is replaced every half hour, which
    // bounds how many one backend holds.
    max_lifetime: 60 * 30,
  });
  const db = drizzle({ client: preparing(client), schema, casing: "snake_case" });
  return Object.assign(db, { close: () => client.end({ timeout: 5 }) });
}

type Sql = postgres.Sql | postgres.TransactionSql;
type Unsafe = postgres.Sql["unsafe"];

/** Statement texts seen once, per process; a text seen again is prepared. Emptied when it fills. */
const seenOnce = new Set<string>();
const SEEN_LIMIT = 10_000;

/**
 * A statement drizzle sends the second time is sent as a named prepared statement. drizzle asks
 * postgres.js for unnamed statements unless a query is given a name, and an unnamed statement
 * with parameters costs two round trips (describe, then execute) and a fresh parse and plan each
 * time: half of PostgreSQL's time on a question page was planning. Prepared, a statement is parsed
 * once per connection, runs in one round trip, and PostgreSQL settles on a plan after five runs
 * (plan_cache_mode auto: a generic plan only where it costs no more than the custom ones).
 * A text runs unprepared the first time it is seen: statements with ids written into their text
 * (the relay's and notifications' id lists) are never repeated, and preparing them would only
 * fill every connection's statement cache, in postgres.js and in its PostgreSQL backend.
 * Transactions and savepoints hand drizzle the same wrapper.
 */
export function preparing<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        const unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          (target.unsafe as Unsafe)(query, params as never, { ...options, prepare: options?.prepare === true || seenBefore(query) });
        return unsafe;
      }
      if (property === "begin" || property === "savepoint") {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const callback = args[last] as (tx: postgres.TransactionSql) => unknown;
          return open.apply(target, [...args.slice(0, last), (tx: postgres.TransactionSql) => callback(preparing(tx))]);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/** Whether `query` was sent before (and so is worth preparing); remembers it otherwise. */
export function seenBefore(query: string): boolean {
  if (seenOnce.has(query)) return true;
  if (seenOnce.size >= SEEN_LIMIT) seenOnce.clear();
  seenOnce.add(query);
  return false;
}

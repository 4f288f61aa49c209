import { hash } from "node:crypto";
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

/**
 * What is known of each statement shape, per process, keyed by a digest of the shape: the digest of
 * the one text seen once, the text itself once it was seen again (and is prepared), or VARIES once
 * a second text of the shape came. Digests, not texts: statements with ids written into them
 * (`= any(array[4,8,15])`) each make a shape of their own and are never sent again, and keeping
 * their texts (a suggested-experts statement is 5 KB) grew the heap by tens of MiB an hour before
 * the memo filled (issue 23's soak). Emptied when it fills.
 */
const VARIES = Symbol("varies");
type Known = string | { prepared: string } | typeof VARIES;
const shapes = new Map<string, Known>();
const SHAPES_LIMIT = 10_000;
/** The texts worth preparing (at most one per shape): the fast path of the statements the app sends again and again. */
const preparedTexts = new Set<string>();

/** 20 bytes of SHA-1 in base64: no two statements of one process share one by chance. */
const digest = (text: string): string => hash("sha1", text, "base64");

/**
 * A statement drizzle sends the second time is sent as a named prepared statement. drizzle asks
 * postgres.js for unnamed statements unless a query is given a name, and an unnamed statement
 * with parameters costs two round trips (describe, then execute) and a fresh parse and plan each
 * time: half of PostgreSQL's time on a question page was planning. Prepared, a statement is parsed
 * once per connection, runs in one round trip, and PostgreSQL settles on a plan after five runs
 * (plan_cache_mode auto: a generic plan only where it costs no more than the custom ones).
 * A text runs unprepared the first time it is seen: statements with ids written into their text
 * (the relay's and notifications' id lists) are never repeated, and preparing them would only
 * fill every connection's statement cache, in postgres.js and in its PostgreSQL backend. Nor is a
 * statement prepared whose lists of parameters vary in length (`in ($1, $2, …)` from inArray, a
 * multi-row insert): each length is a text of its own, and a statement with several such lists
 * has more texts than the caches could ever hold. Preparing them grew every connection's cache
 * without end, the soak's memory slope (issue 23); they run unprepared, as before preparing.
 * Transactions and savepoints hand drizzle the same wrapper.
 */
export function preparing<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        const unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          (target.unsafe as Unsafe)(query, params as never, { ...options, prepare: options?.prepare === true || worthPreparing(query) });
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

/**
 * A statement's text with its parameters' numbers dropped and each list of parameters (and each
 * list of such rows, as a multi-row insert writes) collapsed to one mark: the texts an inArray or
 * a multi-row insert makes for different lengths have one shape.
 */
export function statementShape(query: string): string {
  const item = String.raw`(?:\$(?:::[\w\[\]]+)?|default)`;
  const list = new RegExp(String.raw`${item}(?:\s*,\s*${item})+`, "g");
  const rows = /\(\$…\)(?:\s*,\s*\(\$…\))+/g;
  return query
    .replace(/\$\d+/g, "$")
    .replace(list, "$…")
    .replace(/\(\$(?:::[\w[\]]+)?\)/g, "($…)")
    .replace(rows, "($…)");
}

/**
 * Whether `query` is worth preparing: the same text was sent before, and no other text of its shape
 * (statementShape) was. Remembers it otherwise.
 */
export function worthPreparing(query: string): boolean {
  if (preparedTexts.has(query)) return true;
  const shape = digest(statementShape(query));
  const known = shapes.get(shape);
  if (known === undefined) {
    if (shapes.size >= SHAPES_LIMIT) {
      shapes.clear();
      preparedTexts.clear();
    }
    shapes.set(shape, digest(query));
    return false;
  }
  if (known === VARIES) return false;
  if (typeof known === "string" && known === digest(query)) {
    shapes.set(shape, { prepared: query });
    preparedTexts.add(query);
    return true;
  }
  // A second text of this shape: neither it nor the first is prepared from now on.
  if (typeof known === "object") preparedTexts.delete(known.prepared);
  shapes.set(shape, VARIES);
  return false;
}

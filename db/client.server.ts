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
  });
  const db = drizzle({ client, schema, casing: "snake_case" });
  return Object.assign(db, { close: () => client.end({ timeout: 5 }) });
}

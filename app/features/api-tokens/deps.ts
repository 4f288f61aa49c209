import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import type { Env } from "#app/lib/env.server.ts";
import type { Logger } from "../../../server/logger.ts";

/**
 * What the Express-mounted services of issue 21 (the REST API, the MCP server, SCIM, metrics) and
 * its workers are given by server/main.ts: the same database and search clients the app's
 * requests use.
 */
export interface ServiceDeps {
  db: Db;
  /** The Meilisearch client requests search with (short timeout). */
  search: Meilisearch;
  log: Logger;
  env: Env;
  /** The search indexes' name prefix; unset in the app (""). Tests give each file indexes of its own. */
  searchPrefix?: string;
}

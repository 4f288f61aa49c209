import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import type { SessionUser } from "#app/features/auth/session.server.ts";
import type { ApiScope } from "#app/features/api-tokens/tokens.server.ts";
import type { Logger } from "../../../server/logger.ts";

/**
 * What every MCP tool call runs with: the token's owner (an active employee, checked by the
 * router before any MCP handling), the token's scope, and the app's own clients. A tool acts as
 * `user` through the app's feature functions, so it sees exactly what that person sees.
 */
export interface McpContext {
  db: Db;
  search: Meilisearch;
  log: Logger;
  user: SessionUser;
  token: { id: number; scope: ApiScope; name: string };
  /** Search index name prefix ("" in the app; tests use their own indexes). */
  searchPrefix: string;
  requestId: string;
}

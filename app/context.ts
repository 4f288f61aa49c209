import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import type { Logger } from "../server/logger.ts";

// server/main.ts hands every request these; loaders and actions read them from `context`.
declare module "react-router" {
  interface AppLoadContext {
    db: Db;
    /** The Meilisearch client (master key, 2 s timeout): server-side only, like `db`. */
    search: Meilisearch;
    log: Logger;
    requestId: string;
    /** The client's IP (honours TRUST_PROXY); sign-in attempts are rate limited per client. */
    clientAddress: string;
    /** This response's Content-Security-Policy nonce, for the inline scripts React Router renders. */
    cspNonce: string;
  }
}

export {};

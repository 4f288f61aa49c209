import { Meilisearch } from "meilisearch";

/** How long a search may take before the page says search is unavailable. */
export const SEARCH_TIMEOUT_MS = 2000;

let shared: Meilisearch | undefined;

/**
 * A Meilisearch client with the master key: server-side only, never sent to the browser. Reads
 * MEILI_URL / MEILI_MASTER_KEY at first use (server/main.ts sets them when it starts the embedded
 * server); requests time out after SEARCH_TIMEOUT_MS so a slow or down Meilisearch fails fast.
 */
export function meiliClient(): Meilisearch {
  if (!shared) {
    const host = process.env.MEILI_URL;
    if (!host) throw new Error("MEILI_URL is not set: Meilisearch has not been started or configured");
    shared = createMeiliClient(host, process.env.MEILI_MASTER_KEY);
  }
  return shared;
}

export function createMeiliClient(host: string, apiKey: string | undefined, timeout = SEARCH_TIMEOUT_MS): Meilisearch {
  return new Meilisearch({ host, apiKey, timeout });
}

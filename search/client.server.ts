import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { type EnqueuedTask, Meilisearch, MeilisearchApiError, type Task } from "meilisearch";

/** How long a search may take before the page says search is unavailable. */
export const SEARCH_TIMEOUT_MS = 2000;

/**
 * A Meilisearch client with the master key: server-side only, never sent to the browser. The app
 * makes one at start (server/main.ts) and hands it to loaders and actions as `context.search`;
 * its requests time out after SEARCH_TIMEOUT_MS so a slow or down Meilisearch fails fast.
 */
export function createMeiliClient(host: string, apiKey: string | undefined, timeout = SEARCH_TIMEOUT_MS): Meilisearch {
  return new Meilisearch({ host, apiKey, timeout, httpClient: nodeHttpClient });
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * The client's requests through node:http on keep-alive connections instead of fetch: every answer
 * Meilisearch gave Node's fetch arrived about 40 ms late on loopback (a delayed-acknowledgement
 * stall), the same request through node:http in about 2 ms. Answers outside 2xx become the
 * client's own MeilisearchApiError (the client wraps what this throws in a MeilisearchRequestError:
 * see meiliErrorCode), and the client's timeout signal aborts the request.
 */
function nodeHttpClient(input: string | URL | Request, init?: RequestInit): Promise<unknown> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const body = typeof init?.body === "string" ? init.body : undefined;
  const headers: Record<string, string> = Object.fromEntries(new Headers(init?.headers));
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      { method: init?.method ?? "GET", headers, agent: secure ? agents.https : agents.http, ...(init?.signal ? { signal: init.signal } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch (error) {
            reject(error as Error);
            return;
          }
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(parsed);
          else reject(new MeilisearchApiError(new Response(null, { status, statusText: response.statusMessage ?? "" }), parsed as ConstructorParameters<typeof MeilisearchApiError>[1]));
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Waits for a Meilisearch task (by uid, or the promise an enqueueing call returns) to leave the
 * queue, polling every `intervalMs`, and fails after `timeoutMs`. The client's own waitForTask
 * leaves one abort listener on its timeout signal per poll (Node then warns of a leak after ten
 * polls: meilisearch-js issue 1930); each poll here is a request of its own.
 */
export async function settled(client: Meilisearch, task: number | Promise<EnqueuedTask>, options: { timeoutMs: number; intervalMs?: number }): Promise<Task> {
  const uid = typeof task === "number" ? task : (await task).taskUid;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const current = await client.tasks.getTask(uid);
    if (current.status !== "enqueued" && current.status !== "processing") return current;
    if (Date.now() > deadline) throw new Error(`Meilisearch task ${uid} was still ${current.status} after ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 50);
  }
}

type Caused = { cause?: unknown; code?: unknown; message?: unknown; name?: unknown };

/** The Meilisearch error code ("index_not_found") an error carries, however deep the client wrapped it. */
export function meiliErrorCode(error: unknown): string | undefined {
  for (let e = error as Caused | undefined, depth = 0; e && depth < 4; e = e.cause as Caused | undefined, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

/** "Name: message" of an error and of what it wraps, for logs and the dead-letter list. */
export function meiliErrorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as Caused | undefined, depth = 0; e && depth < 4; e = e.cause as Caused | undefined, depth++) {
    if (typeof e.message !== "string") continue;
    // Meilisearch's own answer repeats the message of the error made from it: say it once.
    if (parts.at(-1)?.endsWith(e.message)) continue;
    parts.push(typeof e.name === "string" ? `${e.name}: ${e.message}` : e.message);
  }
  return parts.length > 0 ? parts.join(" ← ") : String(error);
}

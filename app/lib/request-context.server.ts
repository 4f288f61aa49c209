import { AsyncLocalStorage } from "node:async_hooks";

/** What every piece of code running for one request may want to know about it. */
export interface RequestContext {
  requestId: string;
}

/**
 * The request a piece of code is running for, without passing it down every call (issue 23: the
 * audit log names the request of each entry, so an entry can be matched with the access log).
 * One store per process, kept on globalThis: the server (server/http.ts) and the app's bundle
 * (build/server/index.js) each load their own copy of this module, and both must see the same one.
 */
const KEY = Symbol.for("commons.request-context");
const shared = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestContext> };
export const requestContext: AsyncLocalStorage<RequestContext> = (shared[KEY] ??= new AsyncLocalStorage<RequestContext>());

/** The id of the request this code runs for, or null outside a request (a job, a script). */
export function currentRequestId(): string | null {
  return requestContext.getStore()?.requestId ?? null;
}

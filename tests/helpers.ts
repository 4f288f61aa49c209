import { createServer, type AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { AppLoadContext } from "react-router";
import { expect, inject, vi } from "vitest";
import type { Db } from "#db/client.server.ts";
import { posts, users } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { errorResponse, InputError } from "#app/lib/errors.ts";
import { createMeiliClient } from "#search/client.server.ts";

/** Small helpers the integration tests share: what a call threw, and rows read back after it. */

/** What `promise` threw; fails the test when it resolved instead. */
export async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/**
 * What the server answers for `error`, thrown by a loader or action called directly: a NotFoundError
 * or ForbiddenError becomes its `data(message, { status })`, as server/route-errors.ts makes it.
 */
export function answered(error: unknown): unknown {
  return errorResponse(error) ?? error;
}

/** The status of the `data(..., { status })` (or typed error) `promise` threw, or null when it resolved or threw something else. */
export async function thrownStatus(promise: Promise<unknown>): Promise<number | null> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return (answered(error) as { init?: { status?: number } } | null)?.init?.status ?? null;
}

/** The InputError (a message for the form) `promise` rejected with; anything else fails the test. */
export async function rejects(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/** A post (question or answer) as stored now. */
export async function storedPost(db: Db, id: number) {
  const [row] = await db.select().from(posts).where(eq(posts.id, id));
  return row!;
}

/** A user's reputation as stored now. */
export async function reputationOf(db: Db, userId: number): Promise<number> {
  const [row] = await db.select({ reputation: users.reputation }).from(users).where(eq(users.id, userId));
  return row!.reputation;
}

/** A request to `path` the way the browser of `user` (or of no one) sends it: with a fresh session cookie. */
export async function requestAs(db: Db, user: { id: number } | null, path: string): Promise<Request> {
  const headers = new Headers();
  if (user) headers.set("cookie", `${SESSION_COOKIE}=${(await createSession(db, user.id)).token}`);
  return new Request(`http://localhost${path}`, { headers });
}

/**
 * The context a route's loader or action gets from the server, with a logger whose `warn` a test
 * can read. `search` is the run's Meilisearch unless a test passes another (useUnreachableMeili).
 */
export function routeContext(db: Db, search: Meilisearch = createMeiliClient(inject("meiliUrl"), inject("meiliKey"))) {
  const warn = vi.fn();
  const context = { db, search, requestId: "test-request", log: { warn, info: vi.fn(), error: vi.fn() }, clientAddress: "127.0.0.1" } as unknown as AppLoadContext;
  return { context, warn };
}

/** A form POST to `path` from the browser of `user`: a fresh session cookie, the app's own Origin, urlencoded `fields`. */
export async function postAs(db: Db, user: { id: number }, path: string, fields: Record<string, string>): Promise<Request> {
  return (await browserOf(db, user)).post(path, fields);
}

/**
 * The browser of `user` over many requests: one session, as a cookie kept between them (a
 * payload loop need not make a session per request). `get` and `post` build what `requestAs`
 * and `postAs` build.
 */
export async function browserOf(db: Db, user: { id: number }) {
  const cookie = `${SESSION_COOKIE}=${(await createSession(db, user.id)).token}`;
  return {
    get: (path: string) => new Request(`http://localhost${path}`, { headers: { cookie } }),
    post: (path: string, fields: Record<string, string>) =>
      new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { cookie, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      }),
  };
}

/** A route's loader or action. */
export type RouteHandler = (args: never) => unknown;

/** What a route loader or action answered (or threw as `data(...)`): its data and status. */
export type RouteReply = { data?: Record<string, unknown>; init?: { status?: number } | null } & Record<string, unknown>;

/** Calls a route's loader or action as React Router does, with `request`, `params` and the server's context for `t.db`. */
export function routeCaller(t: { readonly db: Db }) {
  return (handler: RouteHandler, request: Request, params: Record<string, string> = {}) =>
    Promise.resolve(handler({ request, context: routeContext(t.db).context, params } as never)) as Promise<RouteReply>;
}

/** Where `error` redirects to, when it is a redirect Response; null otherwise. */
export function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

/** Where the redirect `promise` threw goes; fails the test when it threw no redirect. */
export async function redirected(promise: Promise<unknown>): Promise<string> {
  const target = redirectTarget(await thrown(promise));
  expect(target, "expected a redirect").not.toBeNull();
  return target!;
}

/** A loopback port nothing listens on: one the system just handed out and took back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  return port;
}

import { data, href, redirect } from "react-router";
import type { Db } from "#db/client.server.ts";
import { getAuth, type Auth, type SessionUser } from "#app/features/auth/session.server.ts";
import { initials } from "#app/lib/initials.ts";

/**
 * Who is asking, once per request. The root loader, the app layout and the page loader all run
 * for the same request; validating the session once keeps them consistent (a sliding-expiry
 * refresh seen by one loader is the one whose cookie the root loader sends) and saves queries.
 * The rules are those of session.server.ts's requireUser/requireRole; this only memoizes them.
 */
const authByRequest = new WeakMap<Request, Promise<Auth>>();

export function currentAuth(db: Db, request: Request): Promise<Auth> {
  let auth = authByRequest.get(request);
  if (!auth) {
    auth = getAuth(db, request);
    authByRequest.set(request, auth);
  }
  return auth;
}

/** Any signed-in account, customers included; others go to sign-in and come back afterwards. */
export async function requireSignedIn(db: Db, request: Request): Promise<SessionUser> {
  const auth = await currentAuth(db, request);
  if (!auth.user) {
    const url = new URL(request.url);
    const headers = auth.setCookie ? { "Set-Cookie": auth.setCookie } : undefined;
    throw redirect(`${href("/sign-in")}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`, { headers });
  }
  return auth.user;
}

/**
 * A signed-in employee. Customer accounts have nothing inside the employee app: they are sent to
 * the home page, which tells them so and offers sign-out.
 */
export async function requireActor(db: Db, request: Request): Promise<SessionUser> {
  const user = await requireSignedIn(db, request);
  if (user.kind !== "employee") throw redirect(href("/"));
  return user;
}

/** An admin; anyone else gets the same 404 as a page that does not exist. */
export async function requireAdmin(db: Db, request: Request): Promise<SessionUser> {
  const user = await requireActor(db, request);
  if (user.role !== "admin") throw data(null, { status: 404 });
  return user;
}

export type UserSummary = { id: number; name: string; role: SessionUser["role"]; kind: SessionUser["kind"]; initials: string };

export function userSummary(user: SessionUser): UserSummary {
  return { id: user.id, name: user.name, role: user.role, kind: user.kind, initials: initials(user.name) };
}

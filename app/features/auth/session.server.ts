import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt, ne, or } from "drizzle-orm";
import { href, redirect } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { sessions, users } from "#db/schema/index.ts";
import { readCookie } from "#app/lib/cookies.ts";
import { env } from "#app/lib/env.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";

/**
 * Sessions as the Lucia guide prescribes: a random token travels in an HttpOnly cookie; the
 * database keeps only its SHA-256 as the session id, so a leaked table cannot be replayed.
 * Expiry slides with use (SESSION_IDLE_DAYS) inside an absolute lifetime (SESSION_MAX_DAYS).
 */

export const SESSION_COOKIE = "commons_session";
const DAY = 24 * 60 * 60 * 1000;

export type SessionUser = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export function sessionPolicy(): SessionPolicy {
  const e = env();
  return { idleMs: e.SESSION_IDLE_DAYS * DAY, maxMs: e.SESSION_MAX_DAYS * DAY };
}

export async function createSession(
  db: Db | Tx,
  userId: number,
  options: { userAgent?: string; policy?: SessionPolicy; now?: Date; ssoAuthenticatedAt?: Date | null } = {},
): Promise<{ token: string; session: Session }> {
  const policy = options.policy ?? sessionPolicy();
  const now = options.now ?? new Date();
  const token = generateSessionToken();
  const [session] = await db
    .insert(sessions)
    .values({
      id: sessionIdFromToken(token),
      userId,
      expiresAt: new Date(now.getTime() + Math.min(policy.idleMs, policy.maxMs)),
      absoluteExpiresAt: new Date(now.getTime() + policy.maxMs),
      userAgent: (options.userAgent ?? "").slice(0, 300),
      createdAt: now,
      ssoAuthenticatedAt: options.ssoAuthenticatedAt ?? null,
    })
    .returning();
  return { token, session: session! };
}

export type SessionValidation = { session: Session; user: SessionUser; fresh: boolean } | { session: null; user: null; fresh: false };

/**
 * Looks the token up; deletes it when expired or its user is deactivated; extends the idle expiry
 * when half of it has passed (`fresh` tells the caller to re-send the cookie).
 */
export async function validateSessionToken(db: Db, token: string, options: { policy?: SessionPolicy; now?: Date } = {}): Promise<SessionValidation> {
  const none = { session: null, user: null, fresh: false } as const;
  if (!/^[a-z2-7]{32}$/.test(token)) return none;
  const policy = options.policy ?? sessionPolicy();
  const now = options.now ?? new Date();
  const id = sessionIdFromToken(token);
  const rows = await db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(sessions.userId, users.id)).where(eq(sessions.id, id)).limit(1);
  const row = rows[0];
  if (!row) return none;
  const { session, user } = row;
  // A pending account (address not proven) never gets a session; this guards any that slipped through.
  if (now >= session.expiresAt || now >= session.absoluteExpiresAt || user.deactivatedAt || !user.emailVerifiedAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return none;
  }
  let fresh = false;
  if (session.expiresAt.getTime() - now.getTime() < policy.idleMs / 2) {
    const expiresAt = new Date(Math.min(now.getTime() + policy.idleMs, session.absoluteExpiresAt.getTime()));
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    session.expiresAt = expiresAt;
    fresh = true;
  }
  return { session, user, fresh };
}

export async function invalidateSession(db: Db | Tx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs a user out everywhere (deactivation, password change), optionally keeping one session. */
export async function invalidateUserSessions(db: Db | Tx, userId: number, options: { except?: string } = {}): Promise<void> {
  const mine = eq(sessions.userId, userId);
  await db.delete(sessions).where(options.except ? and(mine, ne(sessions.id, options.except)) : mine);
}

/**
 * Sign-in rotation: the session in the request's cookie (whoever it belonged to) ends and a new
 * one starts, so a token planted before sign-in is never promoted to a signed-in session.
 */
export async function rotateSession(
  db: Db | Tx,
  userId: number,
  options: { currentToken?: string | null; userAgent?: string; policy?: SessionPolicy; now?: Date; ssoAuthenticatedAt?: Date | null } = {},
): Promise<{ token: string; session: Session }> {
  const { currentToken, ...rest } = options;
  if (currentToken) await invalidateSession(db, sessionIdFromToken(currentToken));
  return createSession(db, userId, rest);
}

/** Deletes expired sessions; cheap enough to run now and then from a background job. */
export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.absoluteExpiresAt, now)))
    .returning({ id: sessions.id });
  return deleted.length;
}

// ---- cookies -------------------------------------------------------------------------------

/** Whether cookies for this request need `Secure` (everything but plain-HTTP localhost). */
export function isSecure(request: Request): boolean {
  const appUrl = env().APP_URL;
  const url = new URL(appUrl ?? request.url);
  // Secure everywhere except plain-HTTP localhost, where browsers would drop the cookie.
  return url.protocol === "https:" || !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/**
 * The cookie lives until the session's absolute expiry (pass `session.absoluteExpiresAt`); the
 * sliding idle expiry is enforced in the database. A loader that cannot forward a refreshed
 * cookie (`requireUser` returns only the user) therefore never signs anyone out early.
 */
export function sessionCookie(request: Request, token: string, expiresAt: Date): string {
  const parts = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookie(request: Request): string {
  const parts = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export function readSessionToken(request: Request): string | null {
  return readCookie(request, SESSION_COOKIE);
}

// ---- request helpers -----------------------------------------------------------------------

export type Auth = { user: SessionUser; session: Session; setCookie: string | null } | { user: null; session: null; setCookie: string | null };

/** What the auth helpers need of a loader's `context`: server/main.ts makes one per HTTP request. */
export type RequestContext = { db: Db };

/**
 * Who is asking, validated once per request: the root loader, the app layout and the page loader
 * all run for the same request, and must agree (a sliding-expiry refresh seen by one is the one
 * whose cookie the root sends) without each paying for the lookup. React Router hands each loader
 * its own Request object, so the memo is keyed by the request's load context, which they share.
 */
const authByContext = new WeakMap<RequestContext, Promise<Auth>>();

/** The signed-in user of this request, if any. `setCookie` is set when the cookie must be refreshed or cleared. */
export function getAuth(context: RequestContext, request: Request): Promise<Auth> {
  let auth = authByContext.get(context);
  if (!auth) {
    auth = lookUpAuth(context.db, request);
    authByContext.set(context, auth);
  }
  return auth;
}

async function lookUpAuth(db: Db, request: Request): Promise<Auth> {
  const token = readSessionToken(request);
  if (!token) return { user: null, session: null, setCookie: null };
  const result = await validateSessionToken(db, token);
  if (!result.session) return { user: null, session: null, setCookie: clearSessionCookie(request) };
  return {
    user: result.user,
    session: result.session,
    setCookie: result.fresh ? sessionCookie(request, token, result.session.absoluteExpiresAt) : null,
  };
}

/** Redirects to sign-in (remembering where the user was going) unless someone is signed in. */
export async function requireUser(context: RequestContext, request: Request): Promise<SessionUser> {
  const auth = await getAuth(context, request);
  if (!auth.user) {
    const url = new URL(request.url);
    const headers = auth.setCookie ? { "Set-Cookie": auth.setCookie } : undefined;
    throw redirect(`${href("/sign-in")}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`, { headers });
  }
  return auth.user;
}

/**
 * A signed-in employee. Customer accounts have nothing inside the employee app (they only ever
 * reach the public forum): they are sent to the home page, which tells them so and offers sign-out.
 */
export async function requireEmployee(context: RequestContext, request: Request): Promise<SessionUser> {
  const user = await requireUser(context, request);
  if (user.kind !== "employee") throw redirect(href("/"));
  return user;
}

/** A signed-in employee with one of `roles`; anyone else sees the same 404 as for a missing page. */
export async function requireRole(context: RequestContext, request: Request, roles: ReadonlyArray<SessionUser["role"]>): Promise<SessionUser> {
  const user = await requireEmployee(context, request);
  if (!roles.includes(user.role)) throw new NotFoundError();
  return user;
}

export function requireAdmin(context: RequestContext, request: Request): Promise<SessionUser> {
  return requireRole(context, request, ["admin"]);
}

/**
 * A JSON endpoint for the app's own scripts (autocomplete and the like): `respond` runs only for a
 * signed-in, active employee and its result is sent as JSON, cached privately for a short while.
 * Anyone else gets a 401 JSON body rather than the sign-in redirect a page gets, since the caller is
 * a `fetch`. A refreshed or cleared session cookie goes out either way.
 */
export async function employeeJson(context: RequestContext, request: Request, respond: (user: SessionUser) => Promise<unknown>): Promise<Response> {
  const auth = await getAuth(context, request);
  const headers = new Headers({ "Cache-Control": "private, max-age=30", Vary: "Cookie" });
  if (auth.setCookie) headers.append("Set-Cookie", auth.setCookie);
  if (!auth.user || auth.user.kind !== "employee" || auth.user.deactivatedAt) {
    headers.set("Cache-Control", "no-store");
    return Response.json({ error: "Sign in with an employee account." }, { status: 401, headers });
  }
  return Response.json(await respond(auth.user), { headers });
}

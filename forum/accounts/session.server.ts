import { eq, lt, or } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumAccounts, forumSessions } from "#db/schema/index.ts";
import { generateSessionToken, sessionIdFromToken } from "#app/features/auth/session.server.ts";

/**
 * Customer sessions, shaped like the app's (decision 002) but kept in the forum's own tables and
 * cookie: a random token in the `commons_forum_session` cookie, only its SHA-256 in
 * `forum_sessions`. The idle expiry slides with use inside an absolute lifetime. The cookie lives
 * until the absolute expiry; the sliding one is enforced here, in the database.
 */

export const SESSION_COOKIE = "commons_forum_session";

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 14 * DAY;
export const SESSION_MAX_MS = 60 * DAY;
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export type ForumSession = typeof forumSessions.$inferSelect;
export type ForumAccountRow = typeof forumAccounts.$inferSelect;

/** What every page knows of the customer signed in (`res.locals.account`). */
export interface SignedInAccount {
  id: number;
  name: string;
  email: string;
  verified: boolean;
}

export function signedInAccount(row: Pick<ForumAccountRow, "id" | "name" | "email" | "verifiedAt">): SignedInAccount {
  return { id: row.id, name: row.name, email: row.email, verified: row.verifiedAt !== null };
}

export { generateSessionToken as generateToken, sessionIdFromToken as hashToken };

export async function createForumSession(db: Db | Tx, accountId: number, now = new Date()): Promise<{ token: string; session: ForumSession }> {
  const token = generateSessionToken();
  const [session] = await db
    .insert(forumSessions)
    .values({
      id: sessionIdFromToken(token),
      accountId,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      absoluteExpiresAt: new Date(now.getTime() + SESSION_MAX_MS),
      createdAt: now,
    })
    .returning();
  // Now and then, forget sessions nobody can use any more (the forum has no housekeeping of its own).
  if (Math.random() < 0.05) await deleteExpiredForumSessions(db, now);
  return { token, session: session! };
}

/**
 * Sign-in rotation: the browser's session, whoever it belonged to, ends and a new one starts, so a
 * token planted before sign-in is never promoted to a signed-in one.
 */
export async function rotateForumSession(db: Db | Tx, accountId: number, currentToken: string | null, now = new Date()) {
  if (currentToken && TOKEN_SHAPE.test(currentToken)) await db.delete(forumSessions).where(eq(forumSessions.id, sessionIdFromToken(currentToken)));
  return createForumSession(db, accountId, now);
}

/**
 * The account a cookie's token signs in, or null. An expired session, or one whose account was
 * deactivated since, is deleted. Past half its idle time a session's expiry slides forward.
 */
export async function validateForumSession(db: Db, token: string, now = new Date()): Promise<{ account: ForumAccountRow; session: ForumSession } | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const id = sessionIdFromToken(token);
  const [row] = await db
    .select({ session: forumSessions, account: forumAccounts })
    .from(forumSessions)
    .innerJoin(forumAccounts, eq(forumSessions.accountId, forumAccounts.id))
    .where(eq(forumSessions.id, id))
    .limit(1);
  if (!row) return null;
  const { session, account } = row;
  if (now >= session.expiresAt || now >= session.absoluteExpiresAt || account.deactivatedAt) {
    await db.delete(forumSessions).where(eq(forumSessions.id, id));
    return null;
  }
  if (session.expiresAt.getTime() - now.getTime() < SESSION_IDLE_MS / 2) {
    const expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, session.absoluteExpiresAt.getTime()));
    await db.update(forumSessions).set({ expiresAt }).where(eq(forumSessions.id, id));
    session.expiresAt = expiresAt;
  }
  return { account, session };
}

export async function deleteForumSession(db: Db | Tx, token: string): Promise<void> {
  if (TOKEN_SHAPE.test(token)) await db.delete(forumSessions).where(eq(forumSessions.id, sessionIdFromToken(token)));
}

/** Signs an account out everywhere (a new password, a replaced sign-up). */
export async function deleteAccountSessions(db: Db | Tx, accountId: number): Promise<void> {
  await db.delete(forumSessions).where(eq(forumSessions.accountId, accountId));
}

export async function deleteExpiredForumSessions(db: Db | Tx, now = new Date()): Promise<void> {
  await db.delete(forumSessions).where(or(lt(forumSessions.expiresAt, now), lt(forumSessions.absoluteExpiresAt, now)));
}

// ---- cookies -------------------------------------------------------------------------------

/** `Secure` everywhere but plain-HTTP localhost, where browsers would drop the cookie. */
export function secureCookies(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === "https:" || !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export function sessionCookie(baseUrl: string, token: string, expiresAt: Date): string {
  const parts = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`];
  if (secureCookies(baseUrl)) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookie(baseUrl: string): string {
  const parts = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secureCookies(baseUrl)) parts.push("Secure");
  return parts.join("; ");
}

/** The session token of a request's Cookie header, or null. */
export function readSessionToken(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === SESSION_COOKIE) return rest.join("=") || null;
  }
  return null;
}

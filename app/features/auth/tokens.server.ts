import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { authTokens } from "#db/schema/index.ts";
import { generateSessionToken, sessionIdFromToken } from "./session.server.ts";

/**
 * Single-use links sent by mail. The link carries a random token (160 bits, like a session's);
 * the database keeps only its SHA-256, so a leaked table opens nothing. A new link voids the
 * previous ones of the same purpose: only the latest mail works.
 */

export type TokenPurpose = "verify_email" | "reset_password";

const HOUR = 60 * 60 * 1000;
/** How long a link works. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * HOUR,
  reset_password: HOUR,
};

/** A token's shape: anything else is not looked up at all. */
export const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

export async function issueToken(tx: Db | Tx, userId: number, purpose: TokenPurpose, now = new Date()): Promise<string> {
  await voidTokens(tx, userId, purpose);
  const token = generateSessionToken();
  await tx.insert(authTokens).values({
    userId,
    purpose,
    tokenHash: sessionIdFromToken(token),
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
    createdAt: now,
  });
  return token;
}

/** Deletes the user's links of this purpose that are still unused. */
export async function voidTokens(tx: Db | Tx, userId: number, purpose: TokenPurpose): Promise<void> {
  await tx.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)));
}

const usable = (token: string, purpose: TokenPurpose, now: Date) =>
  and(eq(authTokens.tokenHash, sessionIdFromToken(token)), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt), gt(authTokens.expiresAt, now));

/** The user a still-usable link belongs to, without using it (the page that shows the form). */
export async function peekToken(db: Db | Tx, token: string, purpose: TokenPurpose, now = new Date()): Promise<number | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select({ userId: authTokens.userId })
    .from(authTokens)
    .where(usable(token, purpose, now))
    .limit(1);
  return row?.userId ?? null;
}

/**
 * Uses a link up: one statement marks it used only if it still is usable, so of two requests
 * with the same link exactly one gets the user. Null for a used, expired, voided or unknown link.
 */
export async function consumeToken(tx: Db | Tx, token: string, purpose: TokenPurpose, now = new Date()): Promise<number | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(usable(token, purpose, now))
    .returning({ userId: authTokens.userId });
  return row?.userId ?? null;
}

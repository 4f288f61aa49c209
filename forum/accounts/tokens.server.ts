import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumTokens } from "#db/schema/index.ts";
import { generateToken, hashToken } from "./session.server.ts";

/**
 * The forum's single-use mailed links, like the app's: the link carries a random token, the table
 * only its SHA-256 (as the row's id). A new link voids the earlier unused ones of its purpose.
 */

export type TokenPurpose = "verify_email" | "reset_password";

const HOUR = 60 * 60 * 1000;
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = { verify_email: 24 * HOUR, reset_password: HOUR };
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export async function issueToken(tx: Db | Tx, accountId: number, purpose: TokenPurpose, now = new Date()): Promise<string> {
  await voidTokens(tx, accountId, purpose);
  // Links nobody used and nobody can use any more go as well (the forum has no housekeeping of its own).
  await tx.delete(forumTokens).where(and(eq(forumTokens.accountId, accountId), lt(forumTokens.expiresAt, now)));
  const token = generateToken();
  await tx.insert(forumTokens).values({ id: hashToken(token), accountId, purpose, expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]), createdAt: now });
  return token;
}

export async function voidTokens(tx: Db | Tx, accountId: number, purpose: TokenPurpose): Promise<void> {
  await tx.delete(forumTokens).where(and(eq(forumTokens.accountId, accountId), eq(forumTokens.purpose, purpose), isNull(forumTokens.usedAt)));
}

const usable = (token: string, purpose: TokenPurpose, now: Date) =>
  and(eq(forumTokens.id, hashToken(token)), eq(forumTokens.purpose, purpose), isNull(forumTokens.usedAt), gt(forumTokens.expiresAt, now));

/** The account a still-usable link is for, without using it (the page that shows the button or form). */
export async function peekToken(db: Db | Tx, token: string, purpose: TokenPurpose, now = new Date()): Promise<number | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select({ accountId: forumTokens.accountId })
    .from(forumTokens)
    .where(usable(token, purpose, now))
    .limit(1);
  return row?.accountId ?? null;
}

/** Uses a link up in one statement: of two requests with the same link, exactly one gets the account. */
export async function consumeToken(tx: Db | Tx, token: string, purpose: TokenPurpose, now = new Date()): Promise<number | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await tx
    .update(forumTokens)
    .set({ usedAt: now })
    .where(usable(token, purpose, now))
    .returning({ accountId: forumTokens.accountId });
  return row?.accountId ?? null;
}

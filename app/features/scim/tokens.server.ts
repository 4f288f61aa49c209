import { createHash, randomBytes } from "node:crypto";
import { desc, eq, isNull, and } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { scimTokens, users } from "#db/schema/index.ts";
import { isRowId } from "#app/lib/ids.ts";
import { InputError } from "#app/lib/errors.ts";
import { assertAdmin } from "./admin-check.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";

/**
 * The bearer tokens an identity provider's SCIM client sends. They are not personal access tokens:
 * they act for no person, only for the provisioning protocol, so they have their own prefix
 * (`scim_`), their own table and their own page (Admin → Integrations → SCIM). Only the SHA-256 is
 * stored; the token is shown once, when an admin makes it.
 */

export const SCIM_TOKEN_PREFIX = "scim_";
const TOKEN_PATTERN = /^scim_[A-Za-z0-9_-]{43}$/;
/** A token's last-used date is written at most once a minute. */
const LAST_USED_EVERY_MS = 60_000;
/** Live tokens at once: one or two per identity provider is the norm. */
export const MAX_SCIM_TOKENS = 10;

export type ScimToken = typeof scimTokens.$inferSelect;

export function hashScimToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Makes a token; the caller shows `token` once and never again. */
export async function createScimToken(db: Db, actor: Actor, name: string, now = new Date()): Promise<{ token: string; row: ScimToken }> {
  assertAdmin(actor);
  const live = await db.$count(scimTokens, isNull(scimTokens.revokedAt));
  if (live >= MAX_SCIM_TOKENS) throw InputError.field("name", `There are already ${MAX_SCIM_TOKENS} active tokens: revoke one you no longer use first.`);
  const token = SCIM_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(scimTokens)
    .values({ name, tokenHash: hashScimToken(token), prefix: token.slice(0, SCIM_TOKEN_PREFIX.length + 4), createdBy: actor.id, createdAt: now })
    .returning();
  return { token, row: row! };
}

/** Every token, newest first, revoked ones included (they show as revoked), with who made it. */
export async function listScimTokens(db: Db, actor: Actor) {
  assertAdmin(actor);
  return db
    .select({
      id: scimTokens.id,
      name: scimTokens.name,
      prefix: scimTokens.prefix,
      createdAt: scimTokens.createdAt,
      lastUsedAt: scimTokens.lastUsedAt,
      revokedAt: scimTokens.revokedAt,
      createdBy: users.name,
    })
    .from(scimTokens)
    .leftJoin(users, eq(users.id, scimTokens.createdBy))
    .orderBy(desc(scimTokens.id));
}

/** Revokes a live token; the identity provider's next call is refused. */
export async function revokeScimToken(db: Db, actor: Actor, tokenId: number, now = new Date()): Promise<void> {
  assertAdmin(actor);
  if (!isRowId(tokenId)) throw new InputError("That token no longer exists.");
  const rows = await db
    .update(scimTokens)
    .set({ revokedAt: now })
    .where(and(eq(scimTokens.id, tokenId), isNull(scimTokens.revokedAt)))
    .returning({ id: scimTokens.id });
  if (rows.length === 0) throw new InputError("That token is already revoked.");
}

export type ScimAuth = { ok: true; tokenId: number } | { ok: false; detail: string };

/**
 * Whether `Authorization: Bearer <token>` holds a live SCIM token. A personal access token
 * (`cmn_…`) is refused like any other unknown token: it never reaches provisioning.
 */
export async function authenticateScimToken(db: Db, authorization: string | undefined, now = new Date()): Promise<ScimAuth> {
  if (!authorization) return { ok: false, detail: "Send a SCIM token: Authorization: Bearer <token> (an admin makes one in Admin → Integrations → SCIM)." };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { ok: false, detail: "The Authorization header must be: Bearer <token>." };
  const token = match[1]!;
  if (!TOKEN_PATTERN.test(token)) return { ok: false, detail: "This is not a Commons SCIM token." };
  const [row] = await db
    .select()
    .from(scimTokens)
    .where(eq(scimTokens.tokenHash, hashScimToken(token)))
    .limit(1);
  if (!row) return { ok: false, detail: "This token is unknown." };
  if (row.revokedAt) return { ok: false, detail: "This token was revoked." };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.update(scimTokens).set({ lastUsedAt: now }).where(eq(scimTokens.id, row.id));
  }
  return { ok: true, tokenId: row.id };
}

import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Db, Tx } from "#db/client.server.ts";
import { apiTokens, users } from "#db/schema/index.ts";
import type { SessionUser } from "#app/features/auth/session.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { MAX_TOKENS_PER_USER, TOKEN_EXPIRY_CHOICES } from "./schemas.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * Personal access tokens (issue 21): what the REST API (`/api/v1`) and the MCP server (`/mcp`)
 * authenticate with. A token is `cmn_` and 32 random bytes in base64url; the database keeps its
 * SHA-256 only, so a leaked table opens nothing, and the token is shown once, when it is made.
 * A token acts as its owner, with its owner's visibility, and never more than its scope: `read`
 * reads, `write` also writes. Deactivating the owner stops every token at once, since each use
 * reads the owner.
 */

export type ApiScope = "read" | "write";
export type ApiToken = typeof apiTokens.$inferSelect;

export const TOKEN_PREFIX = "cmn_";
/** A token's shape: anything else is refused without a lookup. */
const TOKEN_PATTERN = /^cmn_[A-Za-z0-9_-]{43}$/;
/** The expiries offered in settings, in days (besides "never", for a service that runs until revoked). */
export const TOKEN_EXPIRY_DAYS: readonly number[] = TOKEN_EXPIRY_CHOICES.filter((choice) => choice !== "never").map(Number);
/** How often a token's last-used date is written: at most once a minute per token. */
const LAST_USED_EVERY_MS = 60_000;
export { MAX_TOKENS_PER_USER } from "./schemas.ts";

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface CreatedToken {
  /** The token itself: shown once. */
  token: string;
  row: ApiToken;
}

export async function createApiToken(db: Db | Tx, userId: number, input: { name: string; scope: ApiScope; expiresInDays: number | null }, now = new Date()): Promise<CreatedToken> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name: input.name,
      scope: input.scope,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 4),
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
      createdAt: now,
    })
    .returning();
  return { token, row: row! };
}

/**
 * Makes a token for an active employee from the settings page, refusing (an InputError on `name`)
 * once they hold MAX_TOKENS_PER_USER live ones. The owner's row is locked for the count and the
 * insert, so two creations at once cannot both take the last place.
 */
export async function createTokenForUser(
  db: Db,
  user: Pick<SessionUser, "id" | "kind" | "deactivatedAt">,
  input: { name: string; scope: ApiScope; expiresInDays: number | null },
  now = new Date(),
): Promise<CreatedToken> {
  if (user.kind !== "employee" || user.deactivatedAt) throw new InputError("Only employees can make API tokens.");
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
    if ((await countLiveTokens(tx, user.id, now)) >= MAX_TOKENS_PER_USER) {
      throw InputError.field("name", `You already have ${MAX_TOKENS_PER_USER} live tokens, the most one person may hold: revoke one you no longer use first.`);
    }
    const created = await createApiToken(tx, user.id, input, now);
    const details = { name: input.name, scope: input.scope, prefix: created.row.prefix };
    await recordAudit(tx, { actorId: user.id, action: "token.created", subjectUserId: user.id, target: { type: "token", id: created.row.id }, details });
    return created;
  });
}

export const TOKENS_PAGE_SIZE = 25;

/** A person's tokens, newest first, revoked and expired ones included (they show as such), a page at a time. */
export async function listApiTokens(db: Db, userId: number, page = 1): Promise<{ tokens: ApiToken[]; total: number; offset: number; pageSize: number }> {
  const offset = (Math.max(1, Math.min(page, 10_000)) - 1) * TOKENS_PAGE_SIZE;
  const [tokens, total] = await Promise.all([
    db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.id)).limit(TOKENS_PAGE_SIZE).offset(offset),
    db.$count(apiTokens, eq(apiTokens.userId, userId)),
  ]);
  return { tokens, total, offset, pageSize: TOKENS_PAGE_SIZE };
}

/** How many live (unrevoked, unexpired) tokens a person holds. */
export async function countLiveTokens(db: Db | Tx, userId: number, now = new Date()): Promise<number> {
  return db.$count(apiTokens, and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), sql`(${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > ${now.toISOString()})`));
}

/** One of the person's own tokens (live or not), or null when they have no token with this id. */
export async function apiTokenOf(db: Db, userId: number, tokenId: number): Promise<ApiToken | null> {
  if (!Number.isSafeInteger(tokenId) || tokenId < 1 || tokenId > 2_147_483_647) return null;
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
  return row ?? null;
}

/** Revokes one of the person's own tokens; false when there is no such live token of theirs. */
export async function revokeApiToken(db: Db, userId: number, tokenId: number, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix });
    const [row] = rows;
    if (row)
      await recordAudit(tx, { actorId: userId, action: "token.revoked", subjectUserId: userId, target: { type: "token", id: row.id }, details: { name: row.name, prefix: row.prefix } });
    return rows.length > 0;
  });
}

export type BearerAuth = { ok: true; user: SessionUser; token: Pick<ApiToken, "id" | "scope" | "name"> } | { ok: false; status: 401 | 403; error: string; wwwAuthenticate: string };

const refuse = (error: string, code: "invalid_request" | "invalid_token" = "invalid_token"): BearerAuth => ({
  ok: false,
  status: 401,
  error,
  wwwAuthenticate: `Bearer realm="commons", error="${code}", error_description="${headerText(error)}"`,
});

/** A header value may hold visible ASCII only (RFC 6750 says as much of error_description): the message without its arrows and quotes. */
function headerText(text: string): string {
  return text.replaceAll("→", ">").replace(/[^\x20-\x7e]|["\\]/g, "");
}

/**
 * Who a request's `Authorization: Bearer <token>` header speaks for. Refused (401, with the
 * `WWW-Authenticate` header RFC 6750 asks for) when the header is missing or malformed, or the
 * token is unknown, revoked or expired, or its owner is deactivated or not an employee.
 * `needs: "write"` with a read token is a 403.
 */
export async function authenticateBearer(db: Db, authorization: string | undefined | null, needs: ApiScope = "read", now = new Date()): Promise<BearerAuth> {
  if (!authorization) return refuse("Send a personal access token: Authorization: Bearer <token> (make one in Settings → API tokens).", "invalid_request");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return refuse("The Authorization header must be: Bearer <token>.", "invalid_request");
  const token = match[1]!;
  if (!TOKEN_PATTERN.test(token)) return refuse("This is not a Commons token.");
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashApiToken(token)))
    .limit(1);
  if (!row) return refuse("This token is unknown.");
  if (row.token.revokedAt) return refuse("This token was revoked.");
  if (row.token.expiresAt && row.token.expiresAt <= now) return refuse("This token has expired.");
  if (row.user.deactivatedAt || row.user.kind !== "employee") return refuse("This token's account can no longer use Commons.");
  if (needs === "write" && row.token.scope !== "write") {
    return {
      ok: false,
      status: 403,
      error: "This token may only read: make a token with the write scope.",
      wwwAuthenticate: `Bearer realm="commons", error="insufficient_scope", scope="write"`,
    };
  }
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    // Not awaited by the answer's timing only in spirit: a failed write here must not fail the call.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(eq(apiTokens.id, row.token.id))
      .catch(() => undefined);
  }
  return { ok: true, user: row.user, token: { id: row.token.id, scope: row.token.scope, name: row.token.name } };
}

// ---- rate limits ---------------------------------------------------------------------------

/** Requests per token per minute, shared by every instance (the limiter's rows are in PostgreSQL). */
export const API_REQUESTS_PER_MINUTE = 600;

/**
 * rate-limiter-flexible's PostgreSQL store, over our postgres.js client: the library sends
 * `{ text, values }` and reads `rows` and `rowCount`, which is all this adapter answers. Its table,
 * `api_rate_limits`, is made by our migrations (tableCreated), not by the library.
 */
export function createApiRateLimiter(db: Db, options: { points?: number; durationSeconds?: number; keyPrefix?: string } = {}) {
  const client = db.$client;
  const storeClient = {
    query: async ({ text, values }: { text: string; values?: unknown[] }) => {
      const rows = await client.unsafe(text, (values ?? []) as never[]);
      return { rows: [...rows], rowCount: rows.length };
    },
  };
  return new RateLimiterPostgres({
    storeClient,
    storeType: "pool",
    tableName: "api_rate_limits",
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: options.keyPrefix ?? "api",
    points: options.points ?? API_REQUESTS_PER_MINUTE,
    duration: options.durationSeconds ?? 60,
  });
}

export type RateDecision = { ok: true; remaining: number; resetSeconds: number; limit: number } | { ok: false; retryAfterSeconds: number; limit: number };

/** Counts one request for `key`; a store that fails lets the request through (logged by the caller). */
export async function consumeRate(limiter: RateLimiterPostgres, key: string): Promise<RateDecision> {
  try {
    const res = await limiter.consume(key);
    return { ok: true, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000), limit: limiter.points };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)), limit: limiter.points };
    throw error;
  }
}

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { appSecrets, users } from "#db/schema/index.ts";
import { env } from "#app/lib/env.server.ts";
import { type Category, CATEGORY_INFO, type DigestCadence, digestCategories, isCategory } from "./categories.ts";
import { preferencesOf, setCadence } from "./preferences.server.ts";

/**
 * One-click unsubscribe (RFC 8058). Every notification and digest mail carries
 *
 *   List-Unsubscribe: <APP_URL/unsubscribe/TOKEN>
 *   List-Unsubscribe-Post: List-Unsubscribe=One-Click
 *
 * TOKEN names a person and what the mail was about (a category, or a digest: "daily", "weekly")
 * and carries an HMAC-SHA256 of both, so the link works without signing in and changes only that.
 * The key is made once per installation and kept in `app_secrets`, shared by every instance; it is
 * never derived from configuration, so no setting can leak it. Tokens do not expire: a mail from
 * last year must still be able to stop the next one.
 */

const KEY_NAME = "unsubscribe-hmac";

/** What a link turns off: one category, or every category a digest of that cadence carries. */
export type UnsubscribeScope = Category | DigestCadence;

function isScope(value: string): value is UnsubscribeScope {
  return isCategory(value) || value === "daily" || value === "weekly";
}

/** The key, made by whichever instance needs it first (insert … on conflict do nothing, then read). */
export async function unsubscribeKey(db: Db | Tx): Promise<Buffer> {
  return (await readOrMakeKey(db)).key;
}

/** The key, and whether the caller's own transaction wrote it (made now, not yet committed). */
async function readOrMakeKey(db: Db | Tx): Promise<{ key: Buffer; uncommitted: boolean }> {
  const read = () =>
    db
      .select({ value: appSecrets.value, mine: sql<boolean>`coalesce(${appSecrets}.xmin = xid(pg_current_xact_id_if_assigned()), false)` })
      .from(appSecrets)
      .where(eq(appSecrets.name, KEY_NAME));
  let [row] = await read();
  if (!row) {
    await db
      .insert(appSecrets)
      .values({ name: KEY_NAME, value: randomBytes(32).toString("base64url") })
      .onConflictDoNothing();
    [row] = await read();
  }
  return { key: Buffer.from(row!.value, "base64url"), uncommitted: row!.mine };
}

/** How long an instance signs with the key it read; see `signingKey`. */
const SIGNING_KEY_TTL_MS = 10 * 60_000;
let signing: { key: Buffer; until: number } | null = null;

/**
 * The key for signing links in mail, read once per instance and kept for ten minutes: every
 * notification mail carries links, and the key only ever changes when someone replaces it in the
 * database by hand. Reading a link (`readUnsubscribeToken`) always reads the stored key, so a
 * replaced key refuses the old links at once; mail signed in the minutes after a replacement
 * carries links that are refused, as after any rotation. A key that was never made is made here
 * as in `unsubscribeKey`, and kept from the next read on.
 */
export async function signingKey(db: Db | Tx, now = Date.now()): Promise<Buffer> {
  if (signing && signing.until > now) return signing.key;
  const { key, uncommitted } = await readOrMakeKey(db);
  // A key the caller's transaction has just made is not kept: that transaction may still roll back.
  signing = uncommitted ? null : { key, until: now + SIGNING_KEY_TTL_MS };
  return key;
}

function signature(key: Buffer, userId: number, scope: UnsubscribeScope): Buffer {
  return createHmac("sha256", key).update(`unsubscribe:${userId}:${scope}`).digest();
}

/** `12.answers.<signature>`: readable, and safe in a URL path. */
export function unsubscribeToken(key: Buffer, userId: number, scope: UnsubscribeScope): string {
  return `${userId}.${scope}.${signature(key, userId, scope).toString("base64url")}`;
}

const TOKEN = /^([1-9]\d{0,9})\.([a-z_]{1,20})\.([A-Za-z0-9_-]{43})$/;

/** The person and scope a token names, or null for anything forged, cut short or malformed. */
export async function readUnsubscribeToken(db: Db | Tx, token: string): Promise<{ userId: number; scope: UnsubscribeScope } | null> {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  const scope = m[2]!;
  if (userId > 2_147_483_647 || !isScope(scope)) return null;
  const given = Buffer.from(m[3]!, "base64url");
  const expected = signature(await unsubscribeKey(db), userId, scope);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { userId, scope } : null;
}

/** On APP_URL, like every link in a mail (app/features/auth/mails.server.ts says why). */
export function unsubscribeUrl(token: string): string {
  const e = env();
  return new URL(href("/unsubscribe/:token", { token }), e.APP_URL ?? `http://localhost:${e.PORT}`).href;
}

/** The footer link of every notification and digest mail. */
export function mailSettingsLink(): { label: string; url: string } {
  const e = env();
  return { label: "Choose which mail Commons sends you", url: new URL(href("/settings/notifications"), e.APP_URL ?? `http://localhost:${e.PORT}`).href };
}

/** The headers of RFC 8058 for one person's mail about `scope`. */
export function unsubscribeHeaders(key: Buffer, userId: number, scope: UnsubscribeScope): Record<string, string> {
  return {
    "List-Unsubscribe": `<${unsubscribeUrl(unsubscribeToken(key, userId, scope))}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/** What the unsubscribe page says a link stops: "Answers to my questions", or the digest's categories. */
export async function describeScope(db: Db | Tx, userId: number, scope: UnsubscribeScope): Promise<{ title: string; categories: string[] }> {
  if (isCategory(scope)) return { title: CATEGORY_INFO[scope].label, categories: [CATEGORY_INFO[scope].label] };
  const prefs = await preferencesOf(db, userId);
  return { title: `the ${scope} digest`, categories: digestCategories(prefs, scope).map((c) => CATEGORY_INFO[c].label) };
}

/**
 * Applies a link: its category (or each category its digest carries) is set to "never". Nothing
 * else changes; doing it twice changes nothing more. Returns null for a bad token, else the labels
 * of what was turned off now (empty when it already was).
 */
export async function unsubscribe(db: Db, token: string): Promise<{ stopped: string[] } | null> {
  return db.transaction(async (tx) => {
    const read = await readUnsubscribeToken(tx, token);
    if (!read) return null;
    // A person deleted since: nothing to change, and the same answer as for a done unsubscribe.
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, read.userId)).for("update");
    if (!user) return { stopped: [] };
    const prefs = await preferencesOf(tx, read.userId);
    const categories = isCategory(read.scope) ? (prefs[read.scope] === "never" ? [] : [read.scope]) : digestCategories(prefs, read.scope);
    await setCadence(tx, read.userId, categories, "never");
    return { stopped: categories.map((c) => CATEGORY_INFO[c].label) };
  });
}

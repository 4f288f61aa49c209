import * as oidc from "openid-client";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server.ts";
import { oidcAccounts, users } from "#db/schema/index.ts";
import { readCookie } from "#app/lib/cookies.ts";
import { env } from "#app/lib/env.server.ts";
import { uniqueViolation } from "#db/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { safeRedirect } from "./schemas.ts";
import { isSecure, type SessionUser } from "./session.server.ts";

/**
 * Company SSO through OpenID Connect (authorization code flow with PKCE, state and nonce).
 * Accounts are found by issuer + subject only. A first login creates an employee account; an
 * address that already has an account is never linked by email: the owner links SSO from
 * settings after signing in with their password.
 */

export interface SsoSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  label: string;
}

export function ssoSettings(): SsoSettings | null {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID) return null;
  return { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, label: e.OIDC_LABEL };
}

/** The identity provider could not be reached or is misconfigured: nothing the user did wrong. */
export class SsoUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SsoUnavailableError";
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const DISCOVERY_TIMEOUT_SECONDS = 5;

let cached: { key: string; config: Promise<oidc.Configuration> } | null = null;

/**
 * The discovered provider configuration, cached for the life of the process. A failed discovery
 * is not cached, so the next sign-in tries again once the provider is back.
 */
export function ssoConfiguration(settings: SsoSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer}\n${settings.clientId}`;
  if (cached?.key === key) return cached.config;
  const config = discover(settings).catch((error: unknown) => {
    if (cached?.config === config) cached = null;
    throw error instanceof SsoUnavailableError ? error : new SsoUnavailableError(`OpenID discovery failed for ${settings.issuer}`, { cause: error });
  });
  cached = { key, config };
  return config;
}

async function discover(settings: SsoSettings): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === "http:";
  // Plain HTTP only for a provider on this machine (development and tests).
  if (insecure && !LOCAL_HOSTS.has(issuer.hostname)) throw new SsoUnavailableError(`OIDC_ISSUER must use https (got ${settings.issuer})`);
  const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
  return oidc.discovery(issuer, settings.clientId, undefined, auth, {
    timeout: DISCOVERY_TIMEOUT_SECONDS,
    execute: insecure ? [oidc.allowInsecureRequests] : [],
  });
}

/** Forgets the cached configuration (tests). */
export function resetSsoConfiguration(): void {
  cached = null;
}

// ---- the browser's half of the flow: a short-lived cookie ----------------------------------

export const SSO_STATE_COOKIE = "commons_sso";
const SSO_STATE_PATH = "/auth/sso";
const SSO_STATE_MAX_AGE = 10 * 60;

const SsoStateSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  redirectTo: z.string().transform((v) => safeRedirect(v)),
  mode: z.enum(["sign-in", "link"]),
});
export type SsoState = z.output<typeof SsoStateSchema>;

export function ssoStateCookie(request: Request, state: SsoState): string {
  const value = Buffer.from(JSON.stringify(state)).toString("base64url");
  const parts = [`${SSO_STATE_COOKIE}=${value}`, `Path=${SSO_STATE_PATH}`, "HttpOnly", "SameSite=Lax", `Max-Age=${SSO_STATE_MAX_AGE}`];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export function clearSsoStateCookie(request: Request): string {
  const parts = [`${SSO_STATE_COOKIE}=`, `Path=${SSO_STATE_PATH}`, "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export function readSsoState(request: Request): SsoState | null {
  const value = readCookie(request, SSO_STATE_COOKIE);
  if (!value) return null;
  try {
    const parsed = SsoStateSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Where the provider sends the browser back: always on APP_URL when it is configured. */
export function ssoRedirectUri(request: Request): URL {
  const base = env().APP_URL ?? new URL(request.url).origin;
  return new URL("/auth/sso/callback", base);
}

export async function startSso(config: oidc.Configuration, options: { redirectUri: URL; redirectTo: string; mode: SsoState["mode"] }): Promise<{ url: URL; state: SsoState }> {
  const state: SsoState = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
    redirectTo: options.redirectTo,
    mode: options.mode,
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri.href,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(state.codeVerifier),
    code_challenge_method: "S256",
    state: state.state,
    nonce: state.nonce,
  });
  return { url, state };
}

export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean | null;
  name: string | null;
}

export type SsoErrorCode =
  "sso-failed" | "sso-unavailable" | "sso-cancelled" | "sso-email-taken" | "sso-deactivated" | "sso-no-email" | "sso-email-unverified" | "sso-linked-elsewhere" | "sso-already-linked";

export type SsoFinish = { ok: true; identity: SsoIdentity } | { ok: false; code: SsoErrorCode; reason: string };

/**
 * Checks the provider's answer (state, PKCE, ID token signature, audience and nonce) and reads
 * who signed in. Claims missing from the ID token come from the UserInfo endpoint (many
 * providers put only `sub` in the ID token).
 */
export async function finishSso(config: oidc.Configuration, currentUrl: URL, expected: SsoState): Promise<SsoFinish> {
  const idpError = currentUrl.searchParams.get("error");
  if (idpError) {
    const description = currentUrl.searchParams.get("error_description") ?? "";
    return { ok: false, code: idpError === "access_denied" ? "sso-cancelled" : "sso-failed", reason: `provider error ${idpError}: ${description}`.trim() };
  }
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      pkceCodeVerifier: expected.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) return { ok: false, code: "sso-failed", reason: "no ID token in the token response" };
    let email = stringClaim(claims.email);
    let name = stringClaim(claims.name);
    let emailVerified = typeof claims.email_verified === "boolean" ? claims.email_verified : null;
    if (!email || !name) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      email ??= stringClaim(info.email);
      name ??= stringClaim(info.name);
      if (emailVerified === null && typeof info.email_verified === "boolean") emailVerified = info.email_verified;
    }
    return { ok: true, identity: { issuer: claims.iss, subject: claims.sub, email, emailVerified, name } };
  } catch (error) {
    if (error instanceof TypeError || (error instanceof DOMException && ["TimeoutError", "AbortError"].includes(error.name))) {
      return { ok: false, code: "sso-unavailable", reason: `provider unreachable: ${describe(error)}` };
    }
    if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError || error instanceof oidc.ClientError) {
      return { ok: false, code: "sso-failed", reason: describe(error) };
    }
    throw error;
  }
}

function stringClaim(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${error.message}` : error.message;
}

// ---- accounts ------------------------------------------------------------------------------

export type SsoUserResult = { ok: true; user: SessionUser; created: boolean } | { ok: false; code: "sso-email-taken" | "sso-deactivated" | "sso-no-email" | "sso-email-unverified" };

async function findLinkedUser(db: Db, issuer: string, subject: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ user: users })
    .from(oidcAccounts)
    .innerJoin(users, eq(users.id, oidcAccounts.userId))
    .where(and(eq(oidcAccounts.issuer, issuer), eq(oidcAccounts.subject, subject)))
    .limit(1);
  return row?.user ?? null;
}

/** Maps a verified identity to a Commons account: the linked one, or a new employee on first login. */
export async function resolveSsoUser(db: Db, identity: SsoIdentity): Promise<SsoUserResult> {
  // The same person's first login can finish several times at once (tabs, retries): whenever the
  // account seems to exist already, look for the link first, so every one of them signs in to it.
  const linkedAccount = async (): Promise<SsoUserResult | null> => {
    const linked = await findLinkedUser(db, identity.issuer, identity.subject);
    if (!linked) return null;
    return linked.deactivatedAt ? { ok: false, code: "sso-deactivated" } : { ok: true, user: linked, created: false };
  };
  const existing = await linkedAccount();
  if (existing) return existing;

  if (!identity.email) return { ok: false, code: "sso-no-email" };
  if (identity.emailVerified === false) return { ok: false, code: "sso-email-unverified" };
  const email = identity.email.toLowerCase();
  const [taken] = await db.select({ id: users.id, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.email, email)).limit(1);
  // Never link by email: whoever controls that address at the provider is not proven to own this account.
  // A pending password account proved nothing either, so it gives way to the provider's word.
  if (taken?.emailVerifiedAt) return (await linkedAccount()) ?? { ok: false, code: "sso-email-taken" };

  const name = (identity.name ?? email.slice(0, email.indexOf("@"))).slice(0, 100);
  try {
    const user = await db.transaction(async (tx) => {
      // Only while still pending: proven in the meantime, the insert below finds the address taken.
      if (taken) await tx.delete(users).where(and(eq(users.id, taken.id), isNull(users.emailVerifiedAt)));
      const [created] = await tx.insert(users).values({ email, name, passwordHash: null, kind: "employee", role: "member" }).returning();
      await tx.insert(oidcAccounts).values({ userId: created!.id, issuer: identity.issuer, subject: identity.subject });
      await enqueueIndexing(tx, "person", [created!.id]);
      return created!;
    });
    return { ok: true, user, created: true };
  } catch (error) {
    // A concurrent first login committed the same email or subject first.
    const constraint = uniqueViolation(error);
    if (constraint === "users_email_key" || constraint === "oidc_accounts_issuer_subject_key") {
      const winner = await linkedAccount();
      if (winner) return winner;
      if (constraint === "users_email_key") return { ok: false, code: "sso-email-taken" };
    }
    throw error;
  }
}

export type SsoLinkResult = { ok: true } | { ok: false; code: "sso-linked-elsewhere" | "sso-already-linked" };

/** Links a provider identity to a signed-in user (started from settings, so the user proved who they are). */
export async function linkSsoAccount(db: Db, userId: number, identity: Pick<SsoIdentity, "issuer" | "subject">): Promise<SsoLinkResult> {
  const linked = await findLinkedUser(db, identity.issuer, identity.subject);
  if (linked) return linked.id === userId ? { ok: true } : { ok: false, code: "sso-linked-elsewhere" };
  const [other] = await db
    .select({ id: oidcAccounts.id })
    .from(oidcAccounts)
    .where(and(eq(oidcAccounts.userId, userId), eq(oidcAccounts.issuer, identity.issuer)))
    .limit(1);
  if (other) return { ok: false, code: "sso-already-linked" };
  try {
    await db.insert(oidcAccounts).values({ userId, issuer: identity.issuer, subject: identity.subject });
    return { ok: true };
  } catch (error) {
    if (uniqueViolation(error) === "oidc_accounts_issuer_subject_key") return { ok: false, code: "sso-linked-elsewhere" };
    throw error;
  }
}

export async function hasSsoLink(db: Db, userId: number): Promise<boolean> {
  const [row] = await db.select({ id: oidcAccounts.id }).from(oidcAccounts).where(eq(oidcAccounts.userId, userId)).limit(1);
  return Boolean(row);
}

const MESSAGES: Record<SsoErrorCode, (label: string) => string> = {
  "sso-failed": (label) => `Signing in with ${label} did not complete. Please try again.`,
  "sso-unavailable": (label) => `${label} cannot be reached right now. Try again in a few minutes, or sign in with your password.`,
  "sso-cancelled": (label) => `Signing in with ${label} was cancelled.`,
  "sso-email-taken": () => "An account with this email already exists. Sign in with your password and link SSO from settings.",
  "sso-deactivated": () => "This account is deactivated. Ask an administrator.",
  "sso-no-email": (label) => `${label} did not share an email address for your account. Ask an administrator.`,
  "sso-email-unverified": (label) => `${label} has not verified your email address yet. Ask an administrator.`,
  "sso-linked-elsewhere": (label) => `That ${label} account is already linked to another Commons account.`,
  "sso-already-linked": (label) => `Your account is already linked to a different ${label} account.`,
};

/** The message for an `?error=` code on the sign-in or settings page; null for anything unknown. */
export function ssoErrorMessage(code: string | null, label: string): string | null {
  if (!code || !Object.hasOwn(MESSAGES, code)) return null;
  return MESSAGES[code as SsoErrorCode](label);
}

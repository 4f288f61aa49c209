import { createServer } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  finishSso,
  linkSsoAccount,
  resetSsoConfiguration,
  resolveSsoUser,
  ssoConfiguration,
  SsoUnavailableError,
  startSso,
  type SsoIdentity,
  type SsoSettings,
} from "#app/features/auth/sso.server.ts";
import { oidcAccounts, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { startOidcProvider } from "#tests/e2e/oidc-provider.ts";
import { createUser } from "#tests/factories/index.ts";

const t = setupTestDb();
const ISSUER = "https://login.northwind.example";
let n = 0;
const identity = (overrides: Partial<SsoIdentity> = {}): SsoIdentity => {
  const i = ++n;
  return { issuer: ISSUER, subject: `subject-${i}-${Date.now()}`, email: `sso.person${i}.${Date.now()}@northwind.example`, emailVerified: true, name: `Sso Person ${i}`, ...overrides };
};

describe("mapping a provider identity to an account", () => {
  test("the first login creates an employee without a password; the next finds the same account", async () => {
    const who = identity({ email: `Mixed.Case.${Date.now()}@Northwind.Example` });
    const first = await resolveSsoUser(t.db, who);
    if (!first.ok) throw new Error(first.code);
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({ email: who.email!.toLowerCase(), name: who.name, passwordHash: null, kind: "employee", role: "member" });
    const links = await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, first.user.id));
    expect(links).toMatchObject([{ issuer: ISSUER, subject: who.subject }]);

    // Next time the provider may report another name or email: the subject decides.
    const second = await resolveSsoUser(t.db, { ...who, email: "changed@northwind.example", name: "Renamed" });
    expect(second).toMatchObject({ ok: true, created: false, user: { id: first.user.id } });
  });

  test("an email that already has an account is never linked by email alone", async () => {
    const owner = await createUser(t.db);
    const result = await resolveSsoUser(t.db, identity({ email: owner.email.toUpperCase() }));
    expect(result).toEqual({ ok: false, code: "sso-email-taken" });
    expect(await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, owner.id))).toHaveLength(0);
    expect(await t.db.select().from(users).where(eq(users.email, owner.email))).toHaveLength(1);
  });

  test("the same subject at another issuer is someone else", async () => {
    const who = identity();
    const here = await resolveSsoUser(t.db, who);
    const there = await resolveSsoUser(t.db, { ...who, issuer: "https://other-idp.example", email: `other.${Date.now()}@northwind.example` });
    expect(here.ok && there.ok && here.user.id !== there.user.id).toBe(true);
  });

  test("a deactivated account is refused", async () => {
    const who = identity();
    const first = await resolveSsoUser(t.db, who);
    if (!first.ok) throw new Error(first.code);
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, first.user.id));
    expect(await resolveSsoUser(t.db, who)).toEqual({ ok: false, code: "sso-deactivated" });
  });

  test("a first login needs an email the provider has not marked unverified", async () => {
    expect(await resolveSsoUser(t.db, identity({ email: null }))).toEqual({ ok: false, code: "sso-no-email" });
    expect(await resolveSsoUser(t.db, identity({ emailVerified: false }))).toEqual({ ok: false, code: "sso-email-unverified" });
    // Providers that say nothing about verification (emailVerified null) are trusted: the IdP is the company's.
    expect((await resolveSsoUser(t.db, identity({ emailVerified: null }))).ok).toBe(true);
  });

  test("first logins racing each other make one account, and every one of them signs in to it", async () => {
    // Several tabs finishing the same first login at once: whichever insert loses (on the email or
    // on the subject) must find the winner's account, never report the email as taken.
    for (let round = 0; round < 5; round++) {
      const who = identity();
      const results = await Promise.all(Array.from({ length: 8 }, () => resolveSsoUser(t.db, who)));
      const ids = new Set(results.map((r) => (r.ok ? r.user.id : r.code)));
      expect([...ids]).toHaveLength(1);
      expect(results.every((r) => r.ok)).toBe(true);
    }
  });

  test("a signed-in user links the identity; it then signs them in, and cannot be linked twice", async () => {
    const owner = await createUser(t.db);
    const who = identity({ email: owner.email });
    expect(await linkSsoAccount(t.db, owner.id, who)).toEqual({ ok: true });
    expect(await linkSsoAccount(t.db, owner.id, who)).toEqual({ ok: true });
    expect(await resolveSsoUser(t.db, who)).toMatchObject({ ok: true, created: false, user: { id: owner.id } });

    const someoneElse = await createUser(t.db);
    expect(await linkSsoAccount(t.db, someoneElse.id, who)).toEqual({ ok: false, code: "sso-linked-elsewhere" });
    expect(await linkSsoAccount(t.db, owner.id, identity())).toEqual({ ok: false, code: "sso-already-linked" });
    const links = await t.db
      .select()
      .from(oidcAccounts)
      .where(and(eq(oidcAccounts.issuer, ISSUER), eq(oidcAccounts.subject, who.subject)));
    expect(links).toHaveLength(1);
  });
});

// ---- the protocol, against a real OpenID provider ----------------------------------------------

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

const REDIRECT_URI = new URL("http://localhost:3999/auth/sso/callback");

/** Plays the browser at the provider's development login and consent pages; returns the callback URL. */
async function signInAtProvider(authorizationUrl: URL, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl.href;
  let init: { method: string; body?: URLSearchParams } = { method: "GET" };
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(REDIRECT_URI.href)) return new URL(url);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(url, { ...init, redirect: "manual", headers: { cookie } });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const [name = "", ...value] = pair.split("=");
      jar.set(name.trim(), value.join("="));
    }
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get("location")!, url).href;
      init = { method: "GET" };
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected page at ${url} (${response.status}): ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? "consent";
    init = { method: "POST", body: new URLSearchParams(prompt === "login" ? { prompt, login, password: "anything" } : { prompt }) };
    url = new URL(action.replaceAll("&amp;", "&"), url).href;
  }
  throw new Error("too many steps at the provider");
}

describe("OpenID Connect with a real provider", () => {
  let port: number;
  let settings: SsoSettings;
  let provider: { issuer: string; stop: () => Promise<void> } | undefined;

  beforeAll(async () => {
    port = await freePort();
    settings = { issuer: `http://127.0.0.1:${port}`, clientId: "commons-test", clientSecret: "commons-test-secret", label: "Test SSO" };
  });
  afterAll(async () => {
    resetSsoConfiguration();
    await provider?.stop();
  });

  test("discovery fails clearly while the provider is down, and is retried once it is up", async () => {
    resetSsoConfiguration();
    await expect(ssoConfiguration(settings)).rejects.toBeInstanceOf(SsoUnavailableError);
    provider = await startOidcProvider({ port, clientId: settings.clientId, clientSecret: settings.clientSecret!, redirectUri: REDIRECT_URI.href });
    const config = await ssoConfiguration(settings);
    expect(config.serverMetadata().issuer).toBe(settings.issuer);
    expect(await ssoConfiguration(settings)).toBe(config);
  });

  test("an http issuer is only accepted on this machine", async () => {
    const remote = { ...settings, issuer: "http://login.northwind.example" };
    await expect(ssoConfiguration(remote)).rejects.toThrow("OIDC_ISSUER must use https");
    resetSsoConfiguration();
  });

  test("code flow with PKCE: the authorization request and a good answer", async () => {
    const config = await ssoConfiguration(settings);
    const { url, state } = await startSso(config, { redirectUri: REDIRECT_URI, redirectTo: "/spaces", mode: "sign-in" });
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "commons-test",
      redirect_uri: REDIRECT_URI.href,
      scope: "openid email profile",
      code_challenge_method: "S256",
      state: state.state,
      nonce: state.nonce,
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const callback = await signInAtProvider(url, "sso.tester");
    const finished = await finishSso(config, callback, state);
    // This provider puts only `sub` in the ID token; email and name come from UserInfo.
    expect(finished).toEqual({
      ok: true,
      identity: { issuer: settings.issuer, subject: "sso.tester", email: "sso.tester@northwind.example", emailVerified: true, name: "Sso Tester" },
    });
  });

  test.each([
    ["a state from another flow", { state: "someone-elses-state" }],
    ["a nonce from another flow", { nonce: "someone-elses-nonce" }],
    ["another PKCE verifier", { codeVerifier: "x".repeat(43) }],
  ])("%s is refused", async (_, tampered) => {
    const config = await ssoConfiguration(settings);
    const { url, state } = await startSso(config, { redirectUri: REDIRECT_URI, redirectTo: "/", mode: "sign-in" });
    const callback = await signInAtProvider(url, "sso.tester");
    const finished = await finishSso(config, callback, { ...state, ...tampered });
    expect(finished).toMatchObject({ ok: false, code: "sso-failed" });
  });

  test("a cancelled login at the provider reads as cancelled", async () => {
    const config = await ssoConfiguration(settings);
    const callback = new URL(REDIRECT_URI);
    callback.search = new URLSearchParams({ error: "access_denied", error_description: "End-User aborted interaction", state: "s" }).toString();
    const finished = await finishSso(config, callback, { state: "s", nonce: "n", codeVerifier: "v".repeat(43), redirectTo: "/", mode: "sign-in" });
    expect(finished).toMatchObject({ ok: false, code: "sso-cancelled" });
  });
});

import { readFileSync } from "node:fs";
import { asc, eq, inArray } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { describe, expect, test } from "vitest";
import { domainMessage, signUp } from "#app/features/auth/accounts.server.ts";
import { appUrl, resetPasswordMail, signUpAttemptMail, verifyEmailMail } from "#app/features/auth/mails.server.ts";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { SignUpSchema } from "#app/features/auth/schemas.ts";
import { sessionIdFromToken } from "#app/features/auth/session.server.ts";
import { peekToken } from "#app/features/auth/tokens.server.ts";
import { action as signUpAction } from "#app/routes/auth/sign-up.tsx";
import { authTokens, mailOutbox, sessions, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";
import { routeContext } from "#tests/helpers.ts";

const t = setupTestDb();
const HOUR = 3_600_000;
const PASSWORD = "analytical engine notes";
const options = { allowedDomains: ["northwind.example"] };
let n = 0;
const email = (domain = "northwind.example") => `new.person${++n}-${Date.now()}@${domain}`;
/** Each test signs up from its own address, so per-client counts do not leak between tests. */
const client = () => ({ ...options, clientAddress: `10.1.0.${++n}` });

const mailsTo = (to: string) => t.db.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(asc(mailOutbox.id));
const linkToken = (text: string, path: string) => new RegExp(`${path}/([a-z2-7]{32})\\b`).exec(text)?.[1] ?? null;

type Reply = { data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } } & Record<string, unknown>;

function signUpRequest(fields: Record<string, string>, url = "http://localhost/sign-up", headers: Record<string, string> = {}) {
  return new Request(url, {
    method: "POST",
    headers: { origin: new URL(url).origin, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ redirectTo: "/", ...fields }),
  });
}

/** What the sign-up page answered: its status and the data it shows. */
async function postSignUp(fields: Record<string, string>, url?: string, headers?: Record<string, string>) {
  const reply = (await signUpAction({ request: signUpRequest(fields, url, headers), context: routeContext(t.db).context, params: {} } as never)) as Reply;
  // A bare object is a 200; data() carries its own status.
  return "data" in reply && "init" in reply ? { status: reply.init?.status ?? 200, body: reply.data } : { status: 200, body: reply as Record<string, unknown> };
}

describe("a password sign-up proves the address first", () => {
  test("it makes a pending account with no session, and mails a single-use link (hashed, 24 hours)", async () => {
    const address = email();
    const before = Date.now();
    const result = await signUp(t.db, { name: "Ada Lovelace", email: address.toUpperCase(), password: PASSWORD }, client());
    expect(result).toMatchObject({ ok: true, outcome: "created" });
    const [user] = await t.db.select().from(users).where(eq(users.email, address));
    expect(user).toMatchObject({ name: "Ada Lovelace", kind: "employee", role: "member", emailVerifiedAt: null, deactivatedAt: null });
    expect(await verifyPassword(user!.passwordHash!, PASSWORD)).toBe(true);
    // Before, a sign-up was an employee session at once.
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user!.id))).toHaveLength(0);

    const [mail, ...more] = await mailsTo(address);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ template: "verify-email", userId: user!.id, subject: "Commons: confirm your address" });
    expect(mail!.text).toContain("You are receiving this because someone signed up to Commons with this address.");
    const token = linkToken(mail!.text, "/verify-email");
    expect(mail!.text).toContain(appUrl(`/verify-email/${token}`));
    expect(mail!.html).toContain(`/verify-email/${token}`);
    // Only the token's SHA-256 is stored.
    const [row, ...others] = await t.db.select().from(authTokens).where(eq(authTokens.userId, user!.id));
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({ purpose: "verify_email", tokenHash: sessionIdFromToken(token!), usedAt: null });
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.expiresAt.getTime() - before).toBeGreaterThanOrEqual(24 * HOUR - 1000);
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(24 * HOUR);
  });

  test("the page answers the same for a new, a pending and a proven address, and sets no cookie", async () => {
    const proven = await createUser(t.db, { email: email() });
    const pending = email();
    await signUp(t.db, { name: "First", email: pending, password: PASSWORD }, client());
    const fresh = email();
    const answers = [];
    for (const address of [fresh, pending, proven.email]) {
      const reply = await postSignUp({ name: "Someone", email: address, password: PASSWORD });
      answers.push({ ...reply, body: { ...reply.body, sent: reply.body?.sent === address ? "<address>" : reply.body?.sent } });
    }
    expect(answers).toEqual(Array.from({ length: 3 }, () => ({ status: 200, body: { sent: "<address>" } })));
    // The proven owner was told; nothing about their account changed.
    const [owner] = await t.db.select().from(users).where(eq(users.id, proven.id));
    expect(owner).toMatchObject({ name: proven.name, passwordHash: proven.passwordHash });
    expect((await mailsTo(proven.email)).map((m) => m.template)).toEqual(["sign-up-attempt"]);
  });

  test("an address that already has a proven account: its owner gets a mail saying someone tried, nothing else happens", async () => {
    const owner = await createUser(t.db, { email: email() });
    const result = await signUp(t.db, { name: "Impostor", email: `  ${owner.email.toUpperCase()} `, password: PASSWORD }, client());
    expect(result).toMatchObject({ ok: true, outcome: "exists", userId: owner.id });
    expect(await t.db.select().from(users).where(eq(users.email, owner.email))).toEqual([owner]);
    expect(await t.db.select().from(authTokens).where(eq(authTokens.userId, owner.id))).toHaveLength(0);
    const [mail, ...more] = await mailsTo(owner.email);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ template: "sign-up-attempt", userId: owner.id });
    expect(mail!.text).toContain("Someone tried to create a Commons account with this address.");
    expect(mail!.text).toContain(appUrl("/sign-in"));
    expect(mail!.text).toContain(appUrl("/forgot-password"));
    expect(mail!.text).not.toContain("Impostor");
  });

  test("a pending account is replaced: new name and password, the earlier link stops working, a new one is mailed", async () => {
    const address = email();
    await signUp(t.db, { name: "Squatter", email: address, password: "squatters own passphrase" }, client());
    const firstToken = linkToken((await mailsTo(address))[0]!.text, "/verify-email")!;
    const result = await signUp(t.db, { name: "Real Owner", email: address, password: PASSWORD }, client());
    expect(result).toMatchObject({ ok: true, outcome: "replaced" });
    const rows = await t.db.select().from(users).where(eq(users.email, address));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "Real Owner", emailVerifiedAt: null });
    expect(await verifyPassword(rows[0]!.passwordHash!, PASSWORD)).toBe(true);
    expect(await verifyPassword(rows[0]!.passwordHash!, "squatters own passphrase")).toBe(false);
    const mails = await mailsTo(address);
    expect(mails.map((m) => m.template)).toEqual(["verify-email", "verify-email"]);
    const secondToken = linkToken(mails[1]!.text, "/verify-email")!;
    expect(await peekToken(t.db, firstToken, "verify_email")).toBeNull();
    expect(await peekToken(t.db, secondToken, "verify_email")).toBe(rows[0]!.id);
  });

  test("a deactivated account cannot come back by signing up again, and gets no mail", async () => {
    const gone = await createUser(t.db, { email: email() }, "deactivated");
    const result = await signUp(t.db, { name: "Again", email: gone.email, password: PASSWORD }, client());
    expect(result).toMatchObject({ ok: true, outcome: "ignored" });
    expect((await t.db.select().from(users).where(eq(users.id, gone.id)))[0]).toEqual(gone);
    expect(await mailsTo(gone.email)).toHaveLength(0);
  });

  test("the link is built on the configured address, never on the request's Host header", async () => {
    const address = email();
    const reply = await postSignUp({ name: "Host Forger", email: address, password: PASSWORD }, "http://evil.example/sign-up", {
      host: "evil.example",
      "x-forwarded-host": "evil.example",
    });
    expect(reply.status).toBe(200);
    const [mail] = await mailsTo(address);
    expect(mail!.text).not.toContain("evil.example");
    expect(mail!.html).not.toContain("evil.example");
    const token = linkToken(mail!.text, "/verify-email");
    expect(mail!.text).toContain(`${appUrl("/verify-email")}/${token}`);
    expect(appUrl("/")).toBe(process.env.APP_URL ? new URL("/", process.env.APP_URL).href : `http://localhost:${process.env.PORT ?? 3000}/`);
  });

  test("only the configured domains may sign up ('*' allows any)", async () => {
    const outsider = email("gmail.example");
    const refused = await signUp(t.db, { name: "Outsider", email: outsider, password: PASSWORD }, client());
    expect(refused).toEqual({ ok: false, fieldErrors: { email: "Sign-ups are limited to addresses at northwind.example" } });
    // A subdomain is a different domain.
    expect((await signUp(t.db, { name: "Sub", email: email("evil.northwind.example"), password: PASSWORD }, client())).ok).toBe(false);
    expect(domainMessage(["northwind.example", "contoso.example", "fabrikam.example"])).toBe("Sign-ups are limited to addresses at northwind.example, contoso.example or fabrikam.example");
    const anyDomain = await signUp(t.db, { name: "Anyone", email: outsider, password: PASSWORD }, { ...client(), allowedDomains: ["*"] });
    expect(anyDomain.ok).toBe(true);
    // A refused domain is not sent a mail.
    expect((await mailsTo(outsider)).map((m) => m.template)).toEqual(["verify-email"]);
  });

  test("bad email and weak passwords come back as field messages (the form's schema), with the typed values", async () => {
    const parse = (input: Record<string, string>) => {
      const result = SignUpSchema.safeParse({ name: "Ada", email: "ada@northwind.example", password: PASSWORD, redirectTo: "/", ...input });
      return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    };
    expect(parse({ email: "ada@" })).toEqual({ email: "Enter a valid email address, like name@example.com" });
    expect(parse({ password: "short" })).toEqual({ password: "Use at least 12 characters" });
    expect(parse({ password: "password1234" })).toEqual({ password: "This password is too common. Try a short phrase of a few unrelated words." });
    expect(parse({ password: "ADA@northwind.example" })).toEqual({ password: "Your password cannot be your email address" });
    const reply = await postSignUp({ name: "Ada", email: "ada@", password: "short" });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ values: { name: "Ada", email: "ada@" }, fieldErrors: { email: expect.any(String), password: expect.any(String) } });
    expect(reply.body?.values).not.toHaveProperty("password");
  });
});

describe("sign-up rate limits", () => {
  test("per address: the sixth sign-up within the hour is refused with the wait, and sends nothing", async () => {
    const address = email();
    for (let i = 0; i < 5; i++) {
      expect(await signUp(t.db, { name: `Try ${i}`, email: address, password: PASSWORD }, client())).toMatchObject({ ok: true });
    }
    const refused = await signUp(t.db, { name: "Once more", email: address.toUpperCase(), password: PASSWORD }, client());
    expect(refused).toEqual({
      ok: false,
      reason: "rate-limited",
      status: 429,
      retryAfterMinutes: 60,
      message: "Too many requests for this address or from your network. Try again in 60 minutes.",
    });
    expect(await mailsTo(address)).toHaveLength(5);
  });

  test("per client: one client cannot mail address after address", async () => {
    const from = { ...options, clientAddress: "10.9.0.1", limits: { perAddress: 5, perClient: 3, windowMinutes: 60 } };
    const addresses = [email(), email(), email(), email()];
    const results = [];
    for (const address of addresses) results.push(await signUp(t.db, { name: "Spray", email: address, password: PASSWORD }, from));
    expect(results.map((r) => (r.ok ? "ok" : "reason" in r ? r.reason : "fields"))).toEqual(["ok", "ok", "ok", "rate-limited"]);
    expect(await t.db.select().from(mailOutbox).where(inArray(mailOutbox.to, addresses))).toHaveLength(3);
    // Another client is not affected.
    expect((await signUp(t.db, { name: "Other", email: addresses[3]!, password: PASSWORD }, { ...from, clientAddress: "10.9.0.2" })).ok).toBe(true);
  });

  test("the page says so with a 429 and keeps what was typed", async () => {
    const address = email();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await postSignUp({ name: "Keeps Trying", email: address, password: PASSWORD })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await postSignUp({ name: "Keeps Trying", email: address, password: PASSWORD });
    expect(refused).toMatchObject({ status: 429, body: { formError: expect.stringMatching(/^Too many requests/), values: { name: "Keeps Trying", email: address } } });
  });
});

// ---- what a mail says stays text ------------------------------------------------------------

const payloads = JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;
const LAYOUT = new Set(["html", "head", "meta", "title", "body", "table", "tbody", "tr", "td", "p", "a"]);

describe("names in mails are text", () => {
  test("every XSS payload as an account's name comes out inert in the mails that greet it", () => {
    const window = new JSDOM("").window;
    for (const { payload } of payloads) {
      const to = { id: 1, email: "owner@northwind.example", name: payload };
      for (const mail of [signUpAttemptMail(to), resetPasswordMail(to, "a".repeat(32))]) {
        const doc = new window.DOMParser().parseFromString(mail.html, "text/html");
        const elements = [...doc.querySelectorAll("*")];
        expect(
          elements.filter((el) => !LAYOUT.has(el.localName)).map((el) => el.localName),
          payload,
        ).toEqual([]);
        expect(
          elements.flatMap((el) => [...el.attributes].map((a) => a.name)).filter((a) => a.startsWith("on")),
          payload,
        ).toEqual([]);
        expect([...doc.querySelectorAll("a")].map((a) => new URL(a.getAttribute("href")!).origin)).toEqual([new URL(appUrl("/")).origin]);
        // The parser turns line breaks into "\n" and drops some control characters; the words are all there.
        // eslint-disable-next-line no-control-regex -- control characters are what is being normalised
        const words = (text: string) => text.replace(/[\u0000-\u001f]+/g, " ").replace(/\s+/g, " ");
        expect(words(doc.body.textContent ?? "")).toContain(words(`Hello ${payload},`));
      }
    }
  });

  test("the confirmation mail does not carry the name typed at sign-up: it goes to an address nobody has proven", async () => {
    const address = email();
    await signUp(t.db, { name: "Click https://evil.example now", email: address, password: PASSWORD }, client());
    const [mail] = await mailsTo(address);
    expect(mail!.text).not.toContain("evil.example");
    expect(mail!.html).not.toContain("evil.example");
    expect(verifyEmailMail({ id: 1, email: address, name: "<b>x</b>" }, "a".repeat(32)).html).not.toContain("<b>x</b>");
  });
});

import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { forumAccounts, forumSessions, forumTokens, mailOutbox } from "#db/schema/index.ts";
import { hashPassword } from "#app/features/auth/password.server.ts";
import { LIMITS, takeAttempt } from "#forum/accounts/rate-limit.server.ts";
import { SESSION_COOKIE, secureCookies } from "#forum/accounts/session.server.ts";
import type { RunningForum } from "#forum/main.ts";
import { setupTestDb } from "#tests/db.ts";
import { parseScreen } from "#tests/xss-render.ts";
import { startTestForum } from "#tests/forum.ts";

/**
 * Customer accounts on the public forum, through its HTTP interface: the forum runs in-process,
 * connected as its own PostgreSQL role (so every statement here is one that role may run), and
 * the mails are read from the outbox with the app's role.
 */

const t = setupTestDb();
const PASSWORD = "correct horse battery staple";
let forum: RunningForum;
let base: string;

beforeAll(async () => {
  ({ forum, base } = await startTestForum(t));
});
afterAll(async () => {
  await forum?.stop();
});

// ---- a small browser -----------------------------------------------------------------------

type Answer = { status: number; location: string | null; html: string; cookies: string[] };

async function send(path: string, init: { method?: string; form?: Record<string, string>; cookie?: string | null; origin?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
  const origin = init.origin === undefined ? base : init.origin;
  if (init.form && origin) headers.origin = origin;
  const response = await fetch(base + path, {
    method: init.method ?? (init.form ? "POST" : "GET"),
    headers,
    body: init.form ? new URLSearchParams(init.form).toString() : null,
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), html: await response.text(), cookies: response.headers.getSetCookie() };
}

/** The session cookie a response set, as a Cookie header ("" when it cleared it, null when it set none). */
function sessionFrom(answer: Answer): string | null {
  const set = answer.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!set) return null;
  const value = set.split(";")[0]!;
  return value === `${SESSION_COOKIE}=` ? "" : value;
}

/** The name in the header of a page (the layout shows who is signed in), or null when signed out. */
async function signedInAs(cookie: string | null): Promise<string | null> {
  const page = await send("/forgot", { cookie });
  return parseScreen(page.html).querySelector(".account-name")?.textContent ?? null;
}

function mainText(html: string): string {
  return parseScreen(html).querySelector("main")?.textContent?.replace(/\s+/g, " ").trim() ?? "";
}

async function mailsTo(email: string) {
  return t.db.select().from(mailOutbox).where(eq(mailOutbox.to, email)).orderBy(desc(mailOutbox.id));
}

function linkToken(text: string, path: "verify" | "reset"): string {
  const match = new RegExp(`${path}\\?token=([a-z2-7]{32})`).exec(text);
  if (!match) throw new Error(`no ${path} link in the mail`);
  return match[1]!;
}

async function accountRow(email: string) {
  const [row] = await t.db.select().from(forumAccounts).where(eq(forumAccounts.email, email));
  return row;
}

/** A proven account made directly (with the app's role), for the tests that are not about signing up. */
async function provenAccount(email: string, name = "Casey Customer") {
  const [row] = await t.db
    .insert(forumAccounts)
    .values({ email, name, passwordHash: await hashPassword(PASSWORD), verifiedAt: new Date() })
    .returning();
  return row!;
}

async function signIn(email: string, password = PASSWORD, cookie: string | null = null): Promise<Answer> {
  return send("/signin", { form: { email, password, redirectTo: "/topics" }, cookie });
}

// ---- the tests -----------------------------------------------------------------------------

describe("signing up", () => {
  test("sign-up mails a link; the link's page shows a button, the button proves the address and signs in", async () => {
    const email = "dana@customer.example";
    const signUp = await send("/signup", { form: { name: "Dana Customer", email: "Dana@Customer.example", password: PASSWORD, website: "", redirectTo: "/" } });
    expect(signUp.status).toBe(200);
    expect(mainText(signUp.html)).toContain("Check your mail");
    expect(sessionFrom(signUp)).toBeNull();
    const account = await accountRow(email);
    expect(account).toMatchObject({ name: "Dana Customer", verifiedAt: null });
    expect(account!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const [mail] = await mailsTo(email);
    expect(mail).toMatchObject({ template: "forum-verify-email", userId: null, status: "pending" });
    expect(mail!.text).toContain(`${base}/verify?token=`);
    const token = linkToken(mail!.text, "verify");

    // Opening the link (a mail scanner does too) uses nothing up.
    const opened = await send(`/verify?token=${token}`);
    expect(opened.status).toBe(200);
    expect(parseScreen(opened.html).querySelector<HTMLInputElement>("form[action='/verify'] input[name=token]")?.value).toBe(token);
    expect((await accountRow(email))!.verifiedAt).toBeNull();

    const confirmed = await send("/verify", { form: { token } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe("/verified");
    const cookie = sessionFrom(confirmed);
    expect(cookie).toBeTruthy();
    expect((await accountRow(email))!.verifiedAt).not.toBeNull();
    expect(await signedInAs(cookie)).toBe("Dana Customer");

    // The cookie: HttpOnly, SameSite=Lax, the whole site, until the session's absolute end; not
    // Secure on plain-HTTP localhost (browsers would drop it), Secure anywhere else.
    const set = confirmed.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(set).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(set).not.toContain("Secure");
    const expires = new Date(/Expires=([^;]+)/.exec(set)![1]!).getTime();
    expect(Math.abs(expires - (Date.now() + 60 * 86_400_000))).toBeLessThan(120_000);
    const [session] = await t.db.select().from(forumSessions).where(eq(forumSessions.accountId, account!.id));
    expect(Math.abs(session!.expiresAt.getTime() - (Date.now() + 14 * 86_400_000))).toBeLessThan(120_000);
    expect(secureCookies("https://community.northwind.example")).toBe(true);
    expect(secureCookies("http://127.0.0.1:3001")).toBe(false);

    // A used link is one clear page, for good.
    expect((await send(`/verify?token=${token}`)).status).toBe(410);
    expect((await send("/verify", { form: { token } })).status).toBe(410);
  });

  test("an address that has an account gets the same answer, and its owner a mail; nothing changes", async () => {
    const owner = await provenAccount("erin@customer.example", "Erin Owner");
    const fresh = await send("/signup", { form: { name: "Someone New", email: "new.person@customer.example", password: PASSWORD, website: "" } });
    const taken = await send("/signup", { form: { name: "Someone Else", email: "erin@customer.example", password: "another long passphrase", website: "" } });
    expect(taken.status).toBe(fresh.status);
    expect(mainText(taken.html).replace("erin@customer.example", "X")).toBe(mainText(fresh.html).replace("new.person@customer.example", "X"));
    const [mail] = await mailsTo("erin@customer.example");
    expect(mail).toMatchObject({ template: "forum-sign-up-attempt", userId: null });
    expect(mail!.text).toContain(`${base}/signin`);
    expect(await accountRow("erin@customer.example")).toEqual(owner);
    expect((await signIn("erin@customer.example")).status).toBe(303);
  });

  test("a filled honeypot is answered like a person and writes nothing", async () => {
    const answer = await send("/signup", { form: { name: "Bot", email: "bot@spam.example", password: PASSWORD, website: "https://spam.example" } });
    expect(answer.status).toBe(200);
    expect(mainText(answer.html)).toContain("Check your mail");
    expect(await accountRow("bot@spam.example")).toBeUndefined();
    expect(await mailsTo("bot@spam.example")).toEqual([]);
  });

  test("bad input comes back with the messages and what was typed, never the password", async () => {
    const answer = await send("/signup", { form: { name: "Fran <b>Typed</b>", email: "not-an-address", password: "short", website: "", redirectTo: "/t/1/x" } });
    expect(answer.status).toBe(400);
    const page = parseScreen(answer.html);
    expect(page.querySelector<HTMLInputElement>("#field-name")?.value).toBe("Fran <b>Typed</b>");
    expect(page.querySelector<HTMLInputElement>("#field-email")?.value).toBe("not-an-address");
    expect(page.querySelector("#field-email")?.getAttribute("aria-invalid")).toBe("true");
    expect(page.querySelector<HTMLInputElement>("#field-password")?.value).toBe("");
    expect([...page.querySelectorAll("input")].some((input) => (input as HTMLInputElement).value === "short")).toBe(false);
    expect(page.querySelector("#field-password-error")?.textContent).toContain("at least 12 characters");
    expect(page.querySelector<HTMLInputElement>("input[name=redirectTo]")?.value).toBe("/t/1/x");
    expect(await accountRow("not-an-address")).toBeUndefined();

    const signIn = await send("/signin", { form: { email: "", password: "" } });
    expect(signIn.status).toBe(400);
    expect(parseScreen(signIn.html).querySelector(".error-summary")?.textContent).toContain("Enter your email address");
  });
});

describe("signing in and out", () => {
  test("an account whose address is not proven yet signs in; a new link voids the old one", async () => {
    await send("/signup", { form: { name: "Gale Pending", email: "gale@customer.example", password: PASSWORD, website: "" } });
    const first = linkToken((await mailsTo("gale@customer.example"))[0]!.text, "verify");
    const signedIn = await signIn("gale@customer.example");
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/topics");
    const cookie = sessionFrom(signedIn);
    expect(await signedInAs(cookie)).toBe("Gale Pending");

    const resent = await send("/verify/resend", { form: { redirectTo: "/" }, cookie });
    expect(resent.status).toBe(200);
    const mails = await mailsTo("gale@customer.example");
    expect(mails.map((m) => m.template)).toEqual(["forum-verify-email", "forum-verify-email"]);
    expect((await send(`/verify?token=${first}`)).status).toBe(410);
    expect((await send(`/verify?token=${linkToken(mails[0]!.text, "verify")}`)).status).toBe(200);
  });

  test("the sixth try for one account within 15 minutes is refused with when to try again, the right password too", async () => {
    await provenAccount("hana@customer.example");
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn("hana@customer.example", `wrong password number ${i}`);
      expect(wrong.status).toBe(400);
      expect(mainText(wrong.html)).toContain("Email or password is wrong");
    }
    const refused = await signIn("hana@customer.example");
    expect(refused.status).toBe(429);
    expect(mainText(refused.html)).toMatch(/Too many sign-in attempts\. Try again in 1[45] minutes\./);
    expect(sessionFrom(refused)).toBeNull();
  });

  test("the fixed window: a client's 31st attempt is refused, and a new window starts once it has ended", async () => {
    const limit = LIMITS.signInPerClient("203.0.113.7");
    const now = new Date();
    const results = [];
    for (let i = 0; i < 31; i++) results.push(await takeAttempt(t.db, [limit], now));
    expect(results.filter((r) => r.limited)).toHaveLength(1);
    expect(results[30]).toMatchObject({ limited: true, retryAfterMinutes: 15 });
    expect(await takeAttempt(t.db, [limit], new Date(now.getTime() + 14 * 60_000))).toMatchObject({ limited: true, retryAfterMinutes: 1 });
    expect(await takeAttempt(t.db, [limit], new Date(now.getTime() + 15 * 60_000))).toEqual({ limited: false });
  });

  test("sign-in rotates the browser's session; sign-out ends it and clears the cookie", async () => {
    const account = await provenAccount("ivo@customer.example", "Ivo Customer");
    const first = sessionFrom(await signIn("ivo@customer.example"))!;
    const second = sessionFrom(await signIn("ivo@customer.example", PASSWORD, first))!;
    expect(second).not.toBe(first);
    expect(await signedInAs(first)).toBeNull();
    expect(await signedInAs(second)).toBe("Ivo Customer");

    const out = await send("/signout", { form: {}, cookie: second });
    expect(out.status).toBe(303);
    expect(sessionFrom(out)).toBe("");
    expect(out.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toContain("Max-Age=0");
    expect(await t.db.select().from(forumSessions).where(eq(forumSessions.accountId, account.id))).toEqual([]);
    // The old cookie signs no one in, and is cleared.
    const after = await send("/forgot", { cookie: second });
    expect(sessionFrom(after)).toBe("");
    expect(await signedInAs(second)).toBeNull();
  });

  test("a deactivated account is signed out at once and told so only after the right password", async () => {
    const account = await provenAccount("jo@customer.example", "Jo Customer");
    const cookie = sessionFrom(await signIn("jo@customer.example"))!;
    await t.db.update(forumAccounts).set({ deactivatedAt: new Date() }).where(eq(forumAccounts.id, account.id));
    expect(await signedInAs(cookie)).toBeNull();
    const wrong = await signIn("jo@customer.example", "not the password at all");
    expect(mainText(wrong.html)).toContain("Email or password is wrong");
    const right = await signIn("jo@customer.example");
    expect(right.status).toBe(403);
    expect(mainText(right.html)).toContain("This account is deactivated.");
    expect(sessionFrom(right)).toBeNull();
    // Nor does it get a reset link.
    await send("/forgot", { form: { email: "jo@customer.example" } });
    expect(await mailsTo("jo@customer.example")).toEqual([]);
  });

  test("a POST without this site's Origin is refused before anything runs", async () => {
    await provenAccount("kim@customer.example");
    for (const origin of [null, "https://evil.example"]) {
      const answer = await send("/signin", { form: { email: "kim@customer.example", password: PASSWORD }, origin });
      expect(answer.status).toBe(403);
      expect(sessionFrom(answer)).toBeNull();
    }
    const before = await t.db.execute(sql`select count(*)::int as n from forum_accounts`);
    expect((await send("/signup", { form: { name: "X", email: "x@customer.example", password: PASSWORD, website: "" }, origin: null })).status).toBe(403);
    expect(await t.db.execute(sql`select count(*)::int as n from forum_accounts`)).toEqual(before);
  });
});

describe("forgot password", () => {
  test("the same answer for any address; the link sets a new password, ends every session and signs this browser in", async () => {
    const account = await provenAccount("lee@customer.example", "Lee Customer");
    const laptop = sessionFrom(await signIn("lee@customer.example"))!;
    const phone = sessionFrom(await signIn("lee@customer.example"))!;

    const unknown = await send("/forgot", { form: { email: "nobody@customer.example" } });
    const known = await send("/forgot", { form: { email: "lee@customer.example" } });
    expect(known.status).toBe(200);
    expect(mainText(known.html).replace("lee@", "X@")).toBe(mainText(unknown.html).replace("nobody@", "X@"));
    expect(await mailsTo("nobody@customer.example")).toEqual([]);
    const [mail] = await mailsTo("lee@customer.example");
    expect(mail).toMatchObject({ template: "forum-reset-password", userId: null });
    const token = linkToken(mail!.text, "reset");

    expect((await send(`/reset?token=${token}`)).status).toBe(200);
    // A refused password leaves the link working.
    const weak = await send("/reset", { form: { token, newPassword: "password1234" } });
    expect(weak.status).toBe(400);
    expect(parseScreen(weak.html).querySelector("#field-newPassword-error")?.textContent).toContain("too common");

    const reset = await send("/reset", { form: { token, newPassword: "a brand new passphrase" } });
    expect(reset.status).toBe(303);
    const fresh = sessionFrom(reset)!;
    expect(await signedInAs(fresh)).toBe("Lee Customer");
    expect(await signedInAs(laptop)).toBeNull();
    expect(await signedInAs(phone)).toBeNull();
    expect(await t.db.select().from(forumSessions).where(eq(forumSessions.accountId, account.id))).toHaveLength(1);
    expect((await signIn("lee@customer.example")).status).toBe(400);
    expect((await signIn("lee@customer.example", "a brand new passphrase")).status).toBe(303);
    // Used once, the link is gone.
    expect((await send("/reset", { form: { token, newPassword: "yet another passphrase" } })).status).toBe(410);
    const [used] = await t.db
      .select()
      .from(forumTokens)
      .where(and(eq(forumTokens.accountId, account.id), eq(forumTokens.purpose, "reset_password")));
    expect(used!.usedAt).not.toBeNull();
  });
});

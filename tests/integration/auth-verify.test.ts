import { asc, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { signIn, signUp } from "#app/features/auth/accounts.server.ts";
import { createSession, validateSessionToken } from "#app/features/auth/session.server.ts";
import { resolveSsoUser } from "#app/features/auth/sso.server.ts";
import { confirmEmail, resendVerification } from "#app/features/auth/verification.server.ts";
import { mentionCandidates, mentionedUserIds } from "#app/features/notifications/mentions.server.ts";
import { addSpaceMember } from "#app/features/spaces/spaces.server.ts";
import { action as signInAction } from "#app/routes/auth/sign-in.tsx";
import { action as resendAction } from "#app/routes/auth/verify-email.tsx";
import { action as confirmAction, loader as confirmLoader } from "#app/routes/auth/verify-email-token.tsx";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { mailOutbox, oidcAccounts, sessions, spaceMembers, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { rejects, requestAs, routeContext, thrownStatus } from "#tests/helpers.ts";

const t = setupTestDb();
const HOUR = 3_600_000;
const PASSWORD = "analytical engine notes";
let n = 0;
const email = () => `pending.person${++n}-${Date.now()}@northwind.example`;
const from = () => ({ allowedDomains: ["northwind.example"], clientAddress: `10.2.0.${++n}` });

const mailsTo = (to: string) => t.db.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(asc(mailOutbox.id));
const linkToken = (text: string) => /\/verify-email\/([a-z2-7]{32})\b/.exec(text)?.[1] ?? "";

/** A pending account made through the real sign-up, with the token its mail carries. */
async function pendingAccount(name = "Pending Person") {
  const address = email();
  const result = await signUp(t.db, { name, email: address, password: PASSWORD }, from());
  if (!result.ok || !result.userId) throw new Error("sign-up failed");
  const [user] = await t.db.select().from(users).where(eq(users.id, result.userId));
  const mails = await mailsTo(address);
  return { user: user!, token: linkToken(mails.at(-1)!.text) };
}

type Reply = { data?: Record<string, unknown>; init?: { status?: number } };
const context = () => routeContext(t.db).context;
const post = (path: string, fields: Record<string, string> = {}, cookie?: string) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields),
  });

/** The redirect an action threw, or fails the test. */
async function redirected(promise: Promise<unknown>): Promise<Response> {
  const thrown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Response);
  return thrown as Response;
}

describe("opening the link", () => {
  test("proves the address, uses the link up and signs the person in on the home page", async () => {
    const { user, token } = await pendingAccount();
    // Opening the page (a GET, as a mail scanner does too) shows a button and uses nothing.
    const page = (await confirmLoader({ request: new Request(`http://localhost/verify-email/${token}`), params: { token }, context: context() } as never)) as Reply;
    expect(page).toMatchObject({ data: { valid: true }, init: { status: 200 } });
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.emailVerifiedAt).toBeNull();

    const response = await redirected(confirmAction({ request: post(`/verify-email/${token}`), params: { token }, context: context() } as never));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    const cookie = /commons_session=([a-z2-7]{32})/.exec(response.headers.get("set-cookie") ?? "")?.[1];
    expect((await validateSessionToken(t.db, cookie!)).user?.id).toBe(user.id);
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.emailVerifiedAt).toBeInstanceOf(Date);

    // A second use: a clear page (410) with a way to a new link, no session.
    const again = (await confirmAction({ request: post(`/verify-email/${token}`), params: { token }, context: context() } as never)) as Reply;
    expect(again.init?.status).toBe(410);
    const reopened = (await confirmLoader({ request: new Request(`http://localhost/verify-email/${token}`), params: { token }, context: context() } as never)) as Reply;
    expect(reopened).toMatchObject({ data: { valid: false }, init: { status: 410 } });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
  });

  test("signing in through the link ends the session the browser had (rotation)", async () => {
    const { user, token } = await pendingAccount();
    const other = await createUser(t.db);
    const before = await createSession(t.db, other.id);
    const result = await confirmEmail(t.db, token, { currentToken: before.token });
    expect(result).toMatchObject({ ok: true, user: { id: user.id } });
    expect(await t.db.select().from(sessions).where(eq(sessions.id, before.session.id))).toHaveLength(0);
  });

  test("an expired, unknown or malformed link is refused", async () => {
    const { user, token } = await pendingAccount();
    expect(await confirmEmail(t.db, token, {}, { now: new Date(Date.now() + 24 * HOUR + 60_000) })).toEqual({ ok: false, reason: "invalid" });
    expect(await confirmEmail(t.db, "a".repeat(32))).toEqual({ ok: false, reason: "invalid" });
    expect(await confirmEmail(t.db, "../../etc/passwd")).toEqual({ ok: false, reason: "invalid" });
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.emailVerifiedAt).toBeNull();
    // Within the day it still works.
    expect((await confirmEmail(t.db, token, {}, { now: new Date(Date.now() + 23 * HOUR) })).ok).toBe(true);
  });

  test("a deactivated account's link signs no one in", async () => {
    const { user, token } = await pendingAccount();
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id));
    const reply = (await confirmAction({ request: post(`/verify-email/${token}`), params: { token }, context: context() } as never)) as Reply;
    expect(reply).toMatchObject({ init: { status: 403 }, data: { error: "This account is deactivated. Ask an administrator." } });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });
});

describe("a pending account can do nothing", () => {
  test("it cannot sign in: the right password is told to confirm first (with a button for a new link), a wrong one is just wrong", async () => {
    const { user } = await pendingAccount();
    const right = await signIn(t.db, { email: user.email, password: PASSWORD }, { address: "10.2.1.1" });
    expect(right).toEqual({ ok: false, reason: "pending", status: 403, email: user.email, message: `Confirm your address first: we sent a link to ${user.email}.` });
    const wrong = await signIn(t.db, { email: user.email, password: "not the password at all" }, { address: "10.2.1.1" });
    expect(wrong).toMatchObject({ ok: false, reason: "wrong-credentials", message: "Email or password is wrong" });

    const reply = (await signInAction({ request: post("/sign-in", { email: user.email, password: PASSWORD, redirectTo: "/" }), context: context(), params: {} } as never)) as Reply;
    expect(reply).toMatchObject({ init: { status: 403 }, data: { pendingEmail: user.email, formError: `Confirm your address first: we sent a link to ${user.email}.` } });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });

  test("a session for it, however made, is not accepted", async () => {
    const { user } = await pendingAccount();
    const { token } = await createSession(t.db, user.id);
    expect((await validateSessionToken(t.db, token)).user).toBeNull();
  });

  test("it answers to no @mention, is offered to no one, cannot be added to a space by email, and has no profile", async () => {
    const { user, token } = await pendingAccount("Cfo Impostor");
    const handle = user.email.split("@")[0]!;
    const colleague = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db, { moderators: [moderator] }, "restricted");

    expect(await mentionedUserIds(t.db, `Thanks @${handle} and @${user.email}`)).toEqual([]);
    expect(await mentionCandidates(t.db, colleague, { query: "Cfo Impostor" })).toEqual([]);
    const refused = await rejects(addSpaceMember(t.db, moderator, space.id, { email: user.email }));
    expect(refused.fieldErrors).toEqual({ email: "No active employee has this email address" });
    expect(await t.db.select().from(spaceMembers).where(eq(spaceMembers.userId, user.id))).toHaveLength(0);
    const profile = profileLoader({ request: await requestAs(t.db, colleague, `/people/${user.id}`), params: { userId: String(user.id) }, context: context() } as never);
    expect(await thrownStatus(profile)).toBe(404);

    // Once the address is proven, each of these works: the checks above are about being pending.
    expect((await confirmEmail(t.db, token)).ok).toBe(true);
    expect(await mentionedUserIds(t.db, `Thanks @${handle}`)).toEqual([user.id]);
    expect((await mentionCandidates(t.db, colleague, { query: "Cfo Impostor" })).map((c) => c.id)).toEqual([user.id]);
    expect((await addSpaceMember(t.db, moderator, space.id, { email: user.email })).id).toBe(user.id);
    const shown = (await profileLoader({ request: await requestAs(t.db, colleague, `/people/${user.id}`), params: { userId: String(user.id) }, context: context() } as never)) as {
      user: { id: number };
    };
    expect(shown.user.id).toBe(user.id);
  });

  test("a pending account does not make a proven colleague's short handle ambiguous", async () => {
    const proven = await createUser(t.db, { email: `dup.handle.${Date.now()}@northwind.example` });
    await t.db.insert(users).values({ email: proven.email.replace("@northwind.example", "@contoso.example"), name: "Squatter", emailVerifiedAt: null });
    expect(await mentionedUserIds(t.db, `@${proven.email.split("@")[0]}`)).toEqual([proven.id]);
  });
});

describe("a new link on request", () => {
  test("mails a new link to a pending account (the old one stops working); the answer is the same for any address", async () => {
    const { user, token } = await pendingAccount();
    const proven = await createUser(t.db);
    expect(await resendVerification(t.db, user.email.toUpperCase(), { clientAddress: "10.2.2.1" })).toEqual({ ok: true, sent: true });
    expect(await resendVerification(t.db, proven.email, { clientAddress: "10.2.2.1" })).toEqual({ ok: true, sent: false });
    const mails = await mailsTo(user.email);
    expect(mails.map((m) => m.template)).toEqual(["verify-email", "verify-email"]);
    expect(await mailsTo(proven.email)).toHaveLength(0);
    expect(await confirmEmail(t.db, token)).toEqual({ ok: false, reason: "invalid" });
    expect((await confirmEmail(t.db, linkToken(mails[1]!.text))).ok).toBe(true);

    // The page: same status and words whoever the address belongs to.
    const answers = [];
    for (const address of [proven.email, "nobody.at.all@northwind.example"]) {
      const reply = (await resendAction({ request: post("/verify-email", { email: address }), context: context(), params: {} } as never)) as Record<string, unknown>;
      answers.push(reply.sent === address ? "same" : reply);
    }
    expect(answers).toEqual(["same", "same"]);
  });

  test("is rate-limited per address and per client", async () => {
    const { user } = await pendingAccount();
    const limits = { perAddress: 2, perClient: 3, windowMinutes: 60 };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await resendVerification(t.db, user.email, { clientAddress: `10.2.3.${i}`, limits }));
    expect(results.map((r) => (r.ok ? "sent" : r.status))).toEqual(["sent", "sent", 429]);
    expect(await mailsTo(user.email)).toHaveLength(3);

    const client = { clientAddress: "10.2.4.1", limits };
    const spray = [];
    for (let i = 0; i < 4; i++) spray.push(await resendVerification(t.db, `someone${i}.${Date.now()}@northwind.example`, client));
    expect(spray.map((r) => (r.ok ? "ok" : r.message))).toEqual(["ok", "ok", "ok", "Too many requests for this address or from your network. Try again in 60 minutes."]);
  });
});

describe("company SSO and pending accounts", () => {
  test("an SSO first login for a pending account's address removes it and makes the SSO account", async () => {
    const { user, token } = await pendingAccount();
    const result = await resolveSsoUser(t.db, { issuer: "https://login.northwind.example", subject: `sub-${Date.now()}`, email: user.email, emailVerified: true, name: "Real Person" });
    if (!result.ok) throw new Error(result.code);
    expect(result).toMatchObject({ created: true, user: { email: user.email, name: "Real Person", passwordHash: null } });
    expect(result.user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await t.db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
    expect(await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, result.user.id))).toHaveLength(1);
    // The squatter's link and password are gone with the account.
    expect(await confirmEmail(t.db, token)).toEqual({ ok: false, reason: "invalid" });
    expect((await signIn(t.db, { email: user.email, password: PASSWORD }, { address: "10.2.5.1" })).ok).toBe(false);
  });

  test("a proven password account keeps today's rule: never linked by email", async () => {
    const owner = await createUser(t.db);
    const result = await resolveSsoUser(t.db, { issuer: "https://login.northwind.example", subject: `sub-${Date.now()}-b`, email: owner.email, emailVerified: true, name: "X" });
    expect(result).toEqual({ ok: false, code: "sso-email-taken" });
    expect(await t.db.select().from(users).where(eq(users.id, owner.id))).toHaveLength(1);
  });
});

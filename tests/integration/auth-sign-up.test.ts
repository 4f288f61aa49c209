import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { domainMessage, signUp } from "#app/features/auth/accounts.server.ts";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { AUTH_MESSAGES, SignUpSchema } from "#app/features/auth/schemas.ts";
import { createSession, validateSessionToken } from "#app/features/auth/session.server.ts";
import { sessions, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";

const t = setupTestDb();
const DAY = 86_400_000;
const policy = { idleMs: 14 * DAY, maxMs: 60 * DAY };
const options = { allowedDomains: ["northwind.example"], policy };
let n = 0;
const email = (domain = "northwind.example") => `new.person${++n}-${Date.now()}@${domain}`;

describe("sign-up", () => {
  test("creates an employee member with an argon2id hash and a signed-in session", async () => {
    const address = email();
    const result = await signUp(t.db, { name: "Ada Lovelace", email: address.toUpperCase(), password: "analytical engine notes" }, options);
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    expect(result.user).toMatchObject({ email: address, name: "Ada Lovelace", kind: "employee", role: "member", deactivatedAt: null });
    expect(result.user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(result.user.passwordHash!, "analytical engine notes")).toBe(true);
    expect((await validateSessionToken(t.db, result.token, { policy })).user?.id).toBe(result.user.id);
  });

  test("an email that already has an account is refused, whatever its case", async () => {
    const existing = await createUser(t.db, { email: email() });
    const result = await signUp(t.db, { name: "Someone", email: `  ${existing.email.toUpperCase()} `, password: "analytical engine notes" }, options);
    expect(result).toEqual({ ok: false, fieldErrors: { email: AUTH_MESSAGES.emailTaken } });
    expect(await t.db.select().from(users).where(eq(users.email, existing.email))).toHaveLength(1);
  });

  test("a deactivated account cannot come back by signing up again", async () => {
    const gone = await createUser(t.db, { email: email() }, "deactivated");
    const result = await signUp(t.db, { name: "Again", email: gone.email, password: "analytical engine notes" }, options);
    expect(result.ok).toBe(false);
    expect((await t.db.select().from(users).where(eq(users.id, gone.id)))[0]?.deactivatedAt).not.toBeNull();
  });

  test("only the configured domains may sign up ('*' allows any)", async () => {
    const outsider = email("gmail.example");
    const refused = await signUp(t.db, { name: "Outsider", email: outsider, password: "analytical engine notes" }, options);
    expect(refused).toEqual({ ok: false, fieldErrors: { email: "Sign-ups are limited to addresses at northwind.example" } });
    // A subdomain is a different domain.
    expect((await signUp(t.db, { name: "Sub", email: email("evil.northwind.example"), password: "analytical engine notes" }, options)).ok).toBe(false);
    expect(domainMessage(["northwind.example", "contoso.example", "fabrikam.example"])).toBe(
      "Sign-ups are limited to addresses at northwind.example, contoso.example or fabrikam.example",
    );
    const anyDomain = await signUp(t.db, { name: "Anyone", email: outsider, password: "analytical engine notes" }, { ...options, allowedDomains: ["*"] });
    expect(anyDomain.ok).toBe(true);
  });

  test("bad email and weak passwords come back as field messages (the form's schema)", () => {
    const parse = (input: Record<string, string>) => {
      const result = SignUpSchema.safeParse({ name: "Ada", email: "ada@northwind.example", password: "analytical engine notes", ...input });
      return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    };
    expect(parse({ email: "ada@" })).toEqual({ email: "Enter a valid email address, like name@example.com" });
    expect(parse({ password: "short" })).toEqual({ password: "Use at least 12 characters" });
    expect(parse({ password: "password1234" })).toEqual({ password: "This password is too common. Try a short phrase of a few unrelated words." });
    expect(parse({ password: "ADA@northwind.example" })).toEqual({ password: "Your password cannot be your email address" });
  });

  test("signing up ends the session the browser had before (rotation)", async () => {
    const other = await createUser(t.db);
    const before = await createSession(t.db, other.id, { policy });
    const result = await signUp(t.db, { name: "Rotated", email: email(), password: "analytical engine notes" }, { ...options, currentToken: before.token });
    expect(result.ok).toBe(true);
    expect(await t.db.select().from(sessions).where(eq(sessions.id, before.session.id))).toHaveLength(0);
  });
});

import { describe, expect, test } from "vitest";
import { signIn } from "#app/features/auth/accounts.server.ts";
import { resolveSsoUser } from "#app/features/auth/sso.server.ts";
import { AUTH_MESSAGES } from "#app/features/auth/schemas.ts";
import { oidcAccounts } from "#db/schema/index.ts";
import { eq } from "drizzle-orm";
import { setupTestDb } from "#tests/db.ts";
import { createImportedProfile } from "#tests/factories/imports.ts";

const t = setupTestDb();
const limits = { perAccount: 50, perClient: 50, windowMinutes: 15 };

describe("imported profiles cannot sign in", () => {
  test("with a password: the same answer as a wrong password, whatever is typed", async () => {
    const { user } = await createImportedProfile(t.db);
    expect(user.passwordHash).toBeNull();
    for (const password of ["", "commons-demo", "correct horse battery staple", user.email]) {
      const result = await signIn(t.db, { email: user.email, password }, { address: "10.9.0.1" }, { limits });
      expect(result).toEqual({ ok: false, reason: "wrong-credentials", status: 400, message: AUTH_MESSAGES.wrongCredentials });
    }
  });

  test("through SSO: an identity with the profile's address is never linked to it", async () => {
    const { user } = await createImportedProfile(t.db);
    const result = await resolveSsoUser(t.db, { issuer: "https://sso.northwind.example", subject: "imported-1", email: user.email, emailVerified: true, name: user.name });
    expect(result).toEqual({ ok: false, code: "sso-email-taken" });
    expect(await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, user.id))).toHaveLength(0);
  });
});

import { eq, like } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { changePassword, signIn, signUp } from "#app/features/auth/accounts.server.ts";
import { accountKey, passwordCheckKey } from "#app/features/auth/rate-limit.server.ts";
import { action as signInAction } from "#app/routes/auth/sign-in.tsx";
import { mailOutbox, sessions, signInAttempts } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";
import { routeContext } from "#tests/helpers.ts";

/**
 * The limits hold under a burst: an attempt is counted before the slow argon2 check, atomically,
 * so parallel requests cannot all read "under the limit" first. Before, 50 parallel wrong
 * passwords were all checked (the count was read before the hash and written after it).
 */

const t = setupTestDb();
const limits = { perAccount: 5, perClient: 1000, windowMinutes: 15 };

const attemptsFor = (key: string) => t.db.select().from(signInAttempts).where(eq(signInAttempts.key, key));

describe("a burst of parallel attempts", () => {
  test("50 parallel wrong passwords for one account: at most the limit are checked, the rest get 429", async () => {
    const user = await createUser(t.db);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(t.db, { email: user.email, password: `wrong guess number ${i}` }, { address: "10.4.0.1" }, { limits })));
    const reasons = results.map((r) => (r.ok ? "signed-in" : r.reason));
    expect(reasons.filter((r) => r === "wrong-credentials")).toHaveLength(limits.perAccount);
    expect(reasons.filter((r) => r === "rate-limited")).toHaveLength(50 - limits.perAccount);
    expect(results.filter((r) => !r.ok && r.status === 429)).toHaveLength(50 - limits.perAccount);
    // Each checked password left exactly one attempt; refusals left none.
    expect(await attemptsFor(accountKey(user.email))).toHaveLength(limits.perAccount);
    // And the right password is refused now too.
    expect(await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address: "10.4.0.2" }, { limits })).toMatchObject({ status: 429 });
  });

  test("through the sign-in page: 50 parallel posts answer 400 at most the limit's times, 429 otherwise", async () => {
    const user = await createUser(t.db);
    // The page reads its limits from the environment (SIGNIN_LIMIT_PER_ACCOUNT, 5 by default).
    const perAccount = Number(process.env.SIGNIN_LIMIT_PER_ACCOUNT ?? 5);
    const post = (i: number) =>
      new Request("http://localhost/sign-in", {
        method: "POST",
        headers: { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: user.email, password: `wrong guess number ${i}`, redirectTo: "/" }),
      });
    const context = { ...routeContext(t.db).context, clientAddress: "10.4.1.1" };
    const replies = (await Promise.all(Array.from({ length: 50 }, (_, i) => signInAction({ request: post(i), context, params: {} } as never)))) as Array<{
      init?: { status?: number };
    }>;
    const statuses = replies.map((r) => r.init?.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(perAccount);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - perAccount);
  });

  test("a success is no failure: it takes its attempt back and forgives the account's failures", async () => {
    const user = await createUser(t.db);
    await signIn(t.db, { email: user.email, password: "one wrong guess" }, { address: "10.4.2.1" }, { limits });
    expect(await attemptsFor(accountKey(user.email))).toHaveLength(1);
    expect((await signIn(t.db, { email: user.email, password: DEFAULT_PASSWORD }, { address: "10.4.2.1" }, { limits })).ok).toBe(true);
    expect(await attemptsFor(accountKey(user.email))).toHaveLength(0);
    // The client's count keeps only the failure, not the success.
    expect(await attemptsFor("client:10.4.2.1")).toHaveLength(1);
  });

  test("parallel wrong current passwords on the settings page: at most the limit are checked", async () => {
    const user = await createUser(t.db);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        changePassword(t.db, user.id, { currentPassword: `wrong current ${i}`, newPassword: "lantern meadow quietly" }, { clientAddress: "10.4.3.1", limits }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.status === 400)).toHaveLength(limits.perAccount);
    expect(results.filter((r) => !r.ok && r.status === 429)).toHaveLength(30 - limits.perAccount);
    expect(await attemptsFor(passwordCheckKey(user.id))).toHaveLength(limits.perAccount);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });

  test("parallel sign-ups for one address: at most the limit send a mail", async () => {
    const address = `burst.${Date.now()}@northwind.example`;
    const mailLimits = { perAddress: 3, perClient: 1000, windowMinutes: 60 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signUp(t.db, { name: `Burst ${i}`, email: address, password: "analytical engine notes" }, { allowedDomains: ["*"], clientAddress: `10.4.4.${i}`, limits: mailLimits }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && "status" in r && r.status === 429)).toHaveLength(17);
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.to, address))).toHaveLength(3);
    expect(
      await t.db
        .select()
        .from(signInAttempts)
        .where(like(signInAttempts.key, `signup-address:${address}`)),
    ).toHaveLength(3);
  });
});

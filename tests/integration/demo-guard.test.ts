import { and, count, eq, isNull, like } from "drizzle-orm";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { hashPassword, verifyPassword } from "#app/features/auth/password.server.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { demoOnNetworkProblem, isLoopbackHost, main, removeDemoAccounts } from "#db/demo-remove.ts";
import { forumAccounts, outbox, posts, sessions, users } from "#db/schema/index.ts";
import { DEMO_CUSTOMER_EMAIL } from "#db/seed-forum-community.ts";
import { seedDemo } from "#db/seed.ts";
import { DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SIGN_INS } from "#db/seed-info.ts";
import { createUser } from "#tests/factories/index.ts";
import { setupTestDb } from "#tests/db.ts";

/**
 * The demo company's password is public: on a network, a start with demo accounts that still
 * have it stops with one line, and `npm run demo:remove` takes them out, keeping their content.
 */

const t = setupTestDb();
const network = { HOST: "0.0.0.0", DEMO_ON_NETWORK: "refuse" as const };
let admin: { id: number };
let ownPassword: { id: number };
let elsewhere: { id: number };

beforeAll(async () => {
  await seedDemo(t.db);
  const [row] = await t.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_SIGN_INS[0]!.email));
  admin = row!;
  await createSession(t.db, admin.id);
  // A demo-domain account with a password of its own, and an account outside the demo domain with
  // the demo password (even the seed's very hash): neither is a demo sign-in.
  ownPassword = await createUser(t.db, { email: `own.password@${DEMO_DOMAIN}`, passwordHash: await hashPassword("a password of my own") });
  elsewhere = await createUser(t.db, { email: "someone@elsewhere.example", password: DEMO_PASSWORD });
}, 120_000);

describe("which HOST is loopback", () => {
  test.each(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"])("%s is", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  test.each(["0.0.0.0", "::", "192.168.1.10", "10.0.0.5", "commons.example.com", "128.0.0.1", "127.example.com"])("%s is not", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("the start on a network with the demo company", () => {
  test("on loopback the demo is fine", async () => {
    expect(await demoOnNetworkProblem(t.db, { ...network, HOST: "127.0.0.1" })).toBeNull();
    expect(await demoOnNetworkProblem(t.db, { ...network, HOST: "localhost" })).toBeNull();
  });

  test("beyond loopback it is one line naming demo:remove and the setting that accepts the risk", async () => {
    const problem = await demoOnNetworkProblem(t.db, network);
    expect(problem).not.toBeNull();
    expect(problem).not.toContain("\n");
    expect(problem).toContain("HOST=0.0.0.0");
    expect(problem).toContain("41 demo accounts");
    expect(problem).toContain("npm run demo:remove");
    expect(problem).toContain("DEMO_ON_NETWORK=accept");
    // The password itself is not repeated into logs.
    expect(problem).not.toContain(DEMO_PASSWORD);
  });

  test("DEMO_ON_NETWORK=accept lets it start", async () => {
    expect(await demoOnNetworkProblem(t.db, { HOST: "0.0.0.0", DEMO_ON_NETWORK: "accept" })).toBeNull();
  });
});

describe("npm run demo:remove", () => {
  test("deactivates the accounts with the demo password, clears it, ends their sessions, keeps their content; then the start may go on", async () => {
    const postsBefore = (await t.db.select({ n: count() }).from(posts))[0]!.n;
    expect(await t.db.$count(sessions, eq(sessions.userId, admin.id))).toBe(1);
    const queuedBefore = await t.db.$count(outbox, and(eq(outbox.kind, "person"), eq(outbox.itemId, admin.id)));

    const output = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const code = await main();
    const printed = output.mock.calls.map((c) => String(c[0])).join("");
    output.mockRestore();

    expect(code).toBe(0);
    // 40 employees and the demo's customer on the public forum (issue 20).
    expect(printed).toMatch(/^demo:remove: deactivated 41 demo accounts/);
    for (const who of DEMO_SIGN_INS) expect(printed).toContain(who.email);
    expect(printed).toContain(DEMO_CUSTOMER_EMAIL);
    const [customer] = await t.db.select().from(forumAccounts).where(eq(forumAccounts.email, DEMO_CUSTOMER_EMAIL));
    expect(customer!.deactivatedAt).not.toBeNull();
    expect(customer!.passwordHash).toBe("!");
    // Amara was the demo's only admin.
    expect(printed).toContain("No active admin is left");

    const demo = await t.db.select().from(users).where(eq(users.email, DEMO_SIGN_INS[0]!.email));
    expect(demo[0]!.deactivatedAt).not.toBeNull();
    expect(demo[0]!.passwordHash).toBeNull();
    expect(await t.db.$count(sessions, eq(sessions.userId, admin.id))).toBe(0);
    // Only the account with a password of its own is left active at the demo domain.
    expect(await t.db.$count(users, and(like(users.email, `%@${DEMO_DOMAIN}`), isNull(users.deactivatedAt)))).toBe(1);
    // Their questions and answers stay.
    expect((await t.db.select({ n: count() }).from(posts))[0]!.n).toBe(postsBefore);
    // People search learns they are deactivated.
    expect(await t.db.$count(outbox, and(eq(outbox.kind, "person"), eq(outbox.itemId, admin.id)))).toBe(queuedBefore + 1);

    // Not the account with a password of its own, nor one outside the demo domain.
    const [own] = await t.db.select().from(users).where(eq(users.id, ownPassword.id));
    expect(own!.deactivatedAt).toBeNull();
    expect(await verifyPassword(own!.passwordHash!, "a password of my own")).toBe(true);
    const [other] = await t.db.select().from(users).where(eq(users.id, elsewhere.id));
    expect(other!.deactivatedAt).toBeNull();

    expect(await demoOnNetworkProblem(t.db, network)).toBeNull();
  });

  test("a second run changes nothing and says so", async () => {
    const result = await removeDemoAccounts(t.db);
    expect(result.deactivated).toEqual([]);
  });
});

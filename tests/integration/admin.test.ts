import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { users } from "#db/schema/index.ts";
import { createSession, validateSessionToken } from "#app/features/auth/session.server.ts";
import { adminUserDetail, adminUserList, changeRole, deactivateUser, reactivateUser } from "#app/features/users/admin-users.server.ts";
import { parseUserFilters } from "#app/features/users/user-filters.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";

const t = setupTestDb();
const filters = (query: string) => parseUserFilters(new URLSearchParams(query));

describe("changing roles", () => {
  test("an admin changes someone's role", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const person = await createUser(t.db);
    const result = await changeRole(t.db, admin, person.id, "moderator");
    expect(result).toMatchObject({ changed: true, role: "moderator" });
    const [row] = await t.db.select({ role: users.role }).from(users).where(eq(users.id, person.id));
    expect(row?.role).toBe("moderator");
  });

  test("non-admins are refused with a 404, whatever their other role", async () => {
    const person = await createUser(t.db);
    for (const actor of [await createUser(t.db), await createUser(t.db, {}, "hr"), await createUser(t.db, {}, "moderator")]) {
      await expect(changeRole(t.db, actor, person.id, "admin")).rejects.toThrow(NotFoundError);
      await expect(changeRole(t.db, actor, actor.id, "admin")).rejects.toThrow(NotFoundError);
    }
    // A deactivated admin's stale actor object does not work either.
    const gone = await createUser(t.db, {}, "admin", "deactivated");
    await expect(changeRole(t.db, gone, person.id, "admin")).rejects.toThrow(NotFoundError);
  });

  test("the last active admin cannot demote themselves; with a second admin they can", async () => {
    // Demote every other admin first so this test's admin really is the last one.
    await t.db.update(users).set({ role: "member" }).where(eq(users.role, "admin"));
    const only = await createUser(t.db, {}, "admin");
    await createUser(t.db, {}, "admin", "deactivated"); // deactivated admins do not count
    const error = await changeRole(t.db, only, only.id, "member").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).formError).toBe("You're the last active admin. Make someone else an admin before changing your own role.");

    const second = await createUser(t.db);
    await changeRole(t.db, only, second.id, "admin");
    await expect(changeRole(t.db, only, only.id, "member")).resolves.toMatchObject({ changed: true });
  });

  test("customers cannot hold employee roles", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const customer = await createUser(t.db, {}, "customer");
    await expect(changeRole(t.db, admin, customer.id, "moderator")).rejects.toBeInstanceOf(InputError);
  });
});

describe("deactivating and reactivating", () => {
  test("deactivation revokes every session of the account at once", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const person = await createUser(t.db);
    const a = await createSession(t.db, person.id);
    const b = await createSession(t.db, person.id);
    expect((await adminUserDetail(t.db, admin, person.id)).activeSessions).toBe(2);

    await deactivateUser(t.db, admin, person.id);
    expect((await validateSessionToken(t.db, a.token)).user).toBeNull();
    expect((await validateSessionToken(t.db, b.token)).user).toBeNull();
    const detail = await adminUserDetail(t.db, admin, person.id);
    expect(detail.user.deactivatedAt).toBeInstanceOf(Date);
    expect(detail.activeSessions).toBe(0);
  });

  test("an admin cannot deactivate themselves", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const error = await deactivateUser(t.db, admin, admin.id).catch((e: unknown) => e);
    expect((error as InputError).formError).toMatch(/can't deactivate your own account/);
  });

  test("reactivation lets the account sign in again", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const person = await createUser(t.db, {}, "deactivated");
    await reactivateUser(t.db, admin, person.id);
    const { token } = await createSession(t.db, person.id);
    expect((await validateSessionToken(t.db, token)).user?.id).toBe(person.id);
  });

  test("non-admins cannot deactivate or reactivate", async () => {
    const member = await createUser(t.db);
    const person = await createUser(t.db);
    await expect(deactivateUser(t.db, member, person.id)).rejects.toThrow(NotFoundError);
    await expect(reactivateUser(t.db, member, person.id)).rejects.toThrow(NotFoundError);
    await expect(adminUserDetail(t.db, member, person.id)).rejects.toThrow(NotFoundError);
  });
});

describe("admin user search", () => {
  test("searches name, email and department case-insensitively, with filters and pages of 25", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const tag = `zq${Date.now().toString(36)}`;
    await createUser(t.db, { name: `Ada ${tag.toUpperCase()}` });
    await createUser(t.db, { email: `${tag}.b@northwind.example` });
    await createUser(t.db, { department: `Dept ${tag}` }, "hr");
    await createUser(t.db, { name: `Gone ${tag}` }, "deactivated");
    await createUser(t.db, { name: "Unrelated" });

    expect((await adminUserList(t.db, admin, filters(`q=${tag}`))).total).toBe(4);
    expect((await adminUserList(t.db, admin, filters(`q=${tag}&role=hr`))).users.map((u) => u.role)).toEqual(["hr"]);
    expect((await adminUserList(t.db, admin, filters(`q=${tag}&status=active`))).total).toBe(3);
    expect((await adminUserList(t.db, admin, filters(`q=${tag}&status=deactivated`))).users[0]?.name).toBe(`Gone ${tag}`);
    // Wildcards typed by the user are literal.
    expect((await adminUserList(t.db, admin, filters("q=%25"))).total).toBe(0);

    for (let i = 0; i < 27; i++) await createUser(t.db, { name: `Paged ${tag} ${String(i).padStart(2, "0")}` });
    const first = await adminUserList(t.db, admin, filters(`q=paged ${tag}`));
    expect(first.users).toHaveLength(25);
    expect(first.total).toBe(27);
    const second = await adminUserList(t.db, admin, filters(`q=paged ${tag}&page=2`));
    expect(second.users.map((u) => u.name)).toEqual([`Paged ${tag} 25`, `Paged ${tag} 26`]);
    const beyond = await adminUserList(t.db, admin, filters(`q=paged ${tag}&page=9`));
    expect(beyond).toMatchObject({ users: [], total: 27 });
  });

  test("bad filter values fall back to defaults instead of failing", () => {
    expect(filters("role=emperor&status=zombie&page=-3")).toEqual({ q: "", role: undefined, status: "all", page: 1 });
  });

  test("non-admins cannot list users", async () => {
    const hr = await createUser(t.db, {}, "hr");
    await expect(adminUserList(t.db, hr, filters(""))).rejects.toThrow(NotFoundError);
  });
});

import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { scimGroupRules, scimGroups, scimRuleGrants, spaceMembers, users } from "#db/schema/index.ts";
import { createScimRule, deleteScimRule } from "#app/features/scim/rules.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { startScim, type ScimServer } from "#tests/fixtures/scim/harness.ts";

/**
 * Group rules: what membership of a provisioned group gives (a space with a role, a site role),
 * and that leaving takes back only what a rule gave and no other rule still gives.
 */
const t = setupTestDb();
let scim: ScimServer;
let admin: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  scim = await startScim(t.db);
  admin = await createUser(t.db, { name: "Rule Maker" }, "admin");
});
afterAll(() => scim.close());

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
let serial = 0;

async function provision(name = "Pat Person"): Promise<number> {
  serial++;
  const reply = await scim.request("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: `person${serial}.${Date.now()}@northwind.example`,
    displayName: name,
  });
  expect(reply.status).toBe(201);
  return Number(reply.body.id);
}
async function group(displayName: string, members: number[] = []): Promise<number> {
  const reply = await scim.request("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, members: members.map((m) => ({ value: String(m) })) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return Number(reply.body.id);
}
async function addMember(groupId: number, userId: number) {
  const reply = await scim.request("PATCH", `/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: String(userId) }] }] });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}
async function removeMember(groupId: number, userId: number) {
  const reply = await scim.request("PATCH", `/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: "remove", path: `members[value eq "${userId}"]` }] });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}
const membership = async (spaceId: number, userId: number) =>
  (
    await t.db
      .select({ role: spaceMembers.role })
      .from(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, userId)))
  )[0]?.role ?? null;
const roleOf = async (userId: number) => (await t.db.select({ role: users.role }).from(users).where(eq(users.id, userId)))[0]!.role;

describe("space rules", () => {
  test("a member added to Eng joins the rule's restricted space and leaves it when removed", async () => {
    const space = await createSpace(t.db, {}, "restricted");
    await createScimRule(t.db, admin, { groupName: "Eng", target: { kind: "space", spaceId: space.id, spaceRole: "member" } });
    const person = await provision();
    const eng = await group("Eng");
    expect(await membership(space.id, person)).toBeNull();
    await addMember(eng, person);
    expect(await membership(space.id, person)).toBe("member");
    await removeMember(eng, person);
    expect(await membership(space.id, person)).toBeNull();
    expect(await t.db.select().from(scimRuleGrants).where(eq(scimRuleGrants.userId, person))).toEqual([]);
  });

  test("a membership an admin gave by hand stays when the person leaves the group", async () => {
    const space = await createSpace(t.db, {}, "restricted");
    await createScimRule(t.db, admin, { groupName: "Handpicked", target: { kind: "space", spaceId: space.id, spaceRole: "moderator" } });
    const person = await provision();
    await t.db.insert(spaceMembers).values({ spaceId: space.id, userId: person, role: "member" });
    const handpicked = await group("Handpicked", [person]);
    // Neither promoted nor recorded as the rule's.
    expect(await membership(space.id, person)).toBe("member");
    await removeMember(handpicked, person);
    expect(await membership(space.id, person)).toBe("member");
  });

  test("two groups giving the same space: leaving one keeps it; the role is the highest any rule gives", async () => {
    const space = await createSpace(t.db, {}, "restricted");
    await createScimRule(t.db, admin, { groupName: "Readers", target: { kind: "space", spaceId: space.id, spaceRole: "member" } });
    await createScimRule(t.db, admin, { groupName: "Editors", target: { kind: "space", spaceId: space.id, spaceRole: "moderator" } });
    const person = await provision();
    const readers = await group("Readers", [person]);
    expect(await membership(space.id, person)).toBe("member");
    const editors = await group("Editors", [person]);
    expect(await membership(space.id, person)).toBe("moderator");
    await removeMember(editors, person);
    expect(await membership(space.id, person)).toBe("member");
    await removeMember(readers, person);
    expect(await membership(space.id, person)).toBeNull();
  });

  test("a rule made after the group applies at once; deleting the rule or the group takes back what it gave", async () => {
    const space = await createSpace(t.db, {}, "restricted");
    const [a, b] = [await provision(), await provision()];
    const sales = await group("Sales", [a, b]);
    const { id: ruleId, applied } = await createScimRule(t.db, admin, { groupName: "sales", target: { kind: "space", spaceId: space.id, spaceRole: "member" } });
    expect(applied).toBe(2);
    expect([await membership(space.id, a), await membership(space.id, b)]).toEqual(["member", "member"]);
    await deleteScimRule(t.db, admin, ruleId);
    expect([await membership(space.id, a), await membership(space.id, b)]).toEqual([null, null]);

    await createScimRule(t.db, admin, { groupName: "Sales", target: { kind: "space", spaceId: space.id, spaceRole: "member" } });
    expect(await membership(space.id, a)).toBe("member");
    expect((await scim.request("DELETE", `/Groups/${sales}`)).status).toBe(204);
    expect([await membership(space.id, a), await membership(space.id, b)]).toEqual([null, null]);
  });

  test("the same rule twice is refused with a field message", async () => {
    const space = await createSpace(t.db);
    await createScimRule(t.db, admin, { groupName: "Twice", target: { kind: "space", spaceId: space.id, spaceRole: "member" } });
    const error = await rejects(createScimRule(t.db, admin, { groupName: "TWICE", target: { kind: "space", spaceId: space.id, spaceRole: "member" } }));
    expect(error.fieldErrors.groupName).toMatch(/already/);
  });

  test("only admins manage rules: anyone else gets the 404 of a missing page", async () => {
    const member = await createUser(t.db);
    const space = await createSpace(t.db);
    await expect(createScimRule(t.db, member, { groupName: "X", target: { kind: "space", spaceId: space.id, spaceRole: "member" } })).rejects.toMatchObject({ name: "NotFoundError" });
  });
});

describe("site-role rules", () => {
  test("a moderator rule raises members, and leaving the group brings them back; a role given by hand is untouched", async () => {
    await createScimRule(t.db, admin, { groupName: "Mods", target: { kind: "site", siteRole: "moderator" } });
    const [plain, hr] = [await provision(), await provision()];
    await t.db.update(users).set({ role: "hr" }).where(eq(users.id, hr));
    const mods = await group("Mods", [plain, hr]);
    expect(await roleOf(plain)).toBe("moderator");
    expect(await roleOf(hr)).toBe("hr");
    await removeMember(mods, plain);
    await removeMember(mods, hr);
    expect(await roleOf(plain)).toBe("member");
    expect(await roleOf(hr)).toBe("hr");
  });

  test("an admin rule makes admins; the last active admin is never demoted by leaving", async () => {
    const person = await provision();
    const { id: ruleId } = await createScimRule(t.db, admin, { groupName: "Root", target: { kind: "site", siteRole: "admin" } });
    const root = await group("Root", [person]);
    expect(await roleOf(person)).toBe("admin");
    // Every other admin steps down: the rule's admin is now the only one.
    await t.db
      .update(users)
      .set({ role: "member" })
      .where(and(eq(users.role, "admin"), ne(users.id, person)));
    await removeMember(root, person);
    expect(await roleOf(person)).toBe("admin");
    expect(scim.logged.some((line) => /last active admin/.test(line.msg))).toBe(true);
    scim.logged.length = 0;
    // The grant stays, so the rule can't be deleted from under the last admin either.
    const refused = await rejects(deleteScimRule(t.db, admin, ruleId));
    expect(refused.message).toMatch(/last active admin/);
    expect(await t.db.select().from(scimGroupRules).where(eq(scimGroupRules.id, ruleId))).toHaveLength(1);
    expect(await t.db.select().from(scimGroups).where(eq(scimGroups.id, root))).toHaveLength(1);
  });
});

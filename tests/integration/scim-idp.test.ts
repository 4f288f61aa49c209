import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { outbox, scimGroupMembers, scimGroups, scimUsers, sessions, spaceMembers, users } from "#db/schema/index.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { createScimRule } from "#app/features/scim/rules.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { loadSteps, sequence, startScim, type ScimServer } from "#tests/fixtures/scim/harness.ts";

/**
 * Provisioning sequences shaped like Okta's and Entra's (tests/fixtures/scim/okta.json and
 * entra.json), with the database checked after each step.
 */
const t = setupTestDb();
let scim: ScimServer;

beforeAll(async () => {
  scim = await startScim(t.db);
});
afterAll(() => scim.close());

const account = async (id: number) => (await t.db.select().from(users).where(eq(users.id, id)))[0]!;
const sessionCount = async (id: number) => (await t.db.select().from(sessions).where(eq(sessions.userId, id))).length;
const membership = async (spaceId: number, userId: number) =>
  (
    await t.db
      .select()
      .from(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, userId)))
  )[0] ?? null;

describe("an Okta-style sequence", () => {
  test("look-up, create, deactivate (sessions end), reactivate, group push with a rule on a restricted space", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const secret = await createSpace(t.db, { name: "Engineering private" }, "restricted");
    await createScimRule(t.db, admin, { groupName: "eng", target: { kind: "space", spaceId: secret.id, spaceRole: "member" } });
    const okta = sequence(scim, loadSteps("./okta.json"));

    await okta.run("look up");
    await okta.run("create");
    const id = Number(okta.vars.user);
    expect(await account(id)).toMatchObject({ email: "olivia.okta@northwind.example", name: "Olivia Okta", passwordHash: null, kind: "employee", deactivatedAt: null });
    expect(await t.db.select().from(scimUsers).where(eq(scimUsers.userId, id))).toMatchObject([{ userName: "olivia.okta@northwind.example", externalId: "00u1ab2cd3EfGhIjK4x7" }]);
    // The people index hears of the new person.
    expect(
      await t.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, "person"), eq(outbox.itemId, id))),
    ).not.toEqual([]);
    await okta.run("get");

    await createSession(t.db, id);
    await createSession(t.db, id);
    expect(await sessionCount(id)).toBe(2);
    await okta.run("deactivate");
    expect((await account(id)).deactivatedAt).not.toBeNull();
    expect(await sessionCount(id)).toBe(0);
    await okta.run("reactivate");
    expect((await account(id)).deactivatedAt).toBeNull();

    await okta.run("push group");
    const groupId = Number(okta.vars.group);
    expect(await t.db.select().from(scimGroups).where(eq(scimGroups.id, groupId))).toMatchObject([{ displayName: "Eng" }]);
    await okta.run("add member");
    expect(await t.db.select().from(scimGroupMembers)).toEqual([{ groupId, userId: id }]);
    // The rule names "eng": group names match whatever their case.
    expect(await membership(secret.id, id)).toMatchObject({ role: "member" });
    await okta.run("remove member");
    expect(await t.db.select().from(scimGroupMembers)).toEqual([]);
    expect(await membership(secret.id, id)).toBeNull();

    await okta.run("add member");
    expect(await membership(secret.id, id)).not.toBeNull();
    // Renamed, the group no longer matches the rule: what the rule gave goes.
    await okta.run("rename group");
    expect(await membership(secret.id, id)).toBeNull();
    await okta.run("delete group");
    expect(await t.db.select().from(scimGroups)).toEqual([]);
    expect(scim.logged).toEqual([]);
  });

  test("an address that already has an account is linked, not refused; a customer's is refused", async () => {
    const local = await createUser(t.db, { email: "lena.local@northwind.example", name: "Lena Local", password: "correct horse battery staple" }, "deactivated");
    const linked = await scim.request("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "lena.local@northwind.example",
      name: { givenName: "Lena", familyName: "Local-Smith" },
    });
    expect(linked.status).toBe(201);
    expect(linked.body.id).toBe(String(local.id));
    expect(await account(local.id)).toMatchObject({ name: "Lena Local-Smith", deactivatedAt: null });
    // Her password stays: linking changes who manages the account, not how she signs in.
    expect((await account(local.id)).passwordHash).not.toBeNull();

    await createUser(t.db, { email: "carl@customer.example" }, "customer");
    const refused = await scim.request("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "carl@customer.example" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ scimType: "uniqueness", detail: expect.stringContaining("customer") });
  });
});

describe("an Entra-style sequence", () => {
  test('capitalised ops, sub-attribute paths, the string "False", and membership checks by filter', async () => {
    const entra = sequence(scim, loadSteps("./entra.json"));
    await entra.run("look up");
    await entra.run("create");
    const id = Number(entra.vars.user);
    expect(await account(id)).toMatchObject({ name: "Ezra Entra", title: "Analyst", department: "Finance" });
    await entra.run("find by externalId");
    await entra.run("update attributes");
    expect(await account(id)).toMatchObject({ name: "Ezekiel Entra", email: "ezekiel.entra@northwind.example", title: "Lead Analyst", department: "Research" });
    await entra.run("find by email");

    await createSession(t.db, id);
    await entra.run("disable");
    expect((await account(id)).deactivatedAt).not.toBeNull();
    expect(await sessionCount(id)).toBe(0);
    await entra.run("enable");
    expect((await account(id)).deactivatedAt).toBeNull();

    await entra.run("create group");
    const groupId = Number(entra.vars.group);
    await entra.run("find group");
    await entra.run("add member");
    expect(await t.db.select().from(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId))).toEqual([{ groupId, userId: id }]);
    await entra.run("check membership");
    await entra.run("remove member");
    expect(await t.db.select().from(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId))).toEqual([]);
    await entra.run("membership gone");

    await entra.run("delete user");
    expect((await account(id)).deactivatedAt).not.toBeNull();
    expect(scim.logged).toEqual([]);
  });

  test("a string other than true or false for active is refused, and nothing changes", async () => {
    const created = await scim.request("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ivy.invalid@northwind.example" });
    const reply = await scim.request("PATCH", `/Users/${created.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: "title", value: "Changed" },
        { op: "Replace", path: "active", value: "Nope" },
      ],
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidValue" });
    expect(await account(Number(created.body.id))).toMatchObject({ title: "", deactivatedAt: null });
  });
});

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { scimGroupMembers, scimGroups, scimUsers, sessions, users } from "#db/schema/index.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { loadSteps, sequence, startScim, type ScimServer } from "#tests/fixtures/scim/harness.ts";

/**
 * The RFC 7644 examples replayed against the real router (tests/fixtures/scim/rfc7644.json), and
 * what the service provider says about itself.
 */
const t = setupTestDb();
let scim: ScimServer;

beforeAll(async () => {
  scim = await startScim(t.db);
});
afterAll(() => scim.close());

describe("the RFC 7644 examples", () => {
  test("create, get, filter, replace, patch and delete answer as the RFC shows, and the database follows", async () => {
    const rfc = sequence(scim, loadSteps("./rfc7644.json"));
    await rfc.run("3.3 create user");
    const id = Number(rfc.vars.bjensen);
    const [created] = await t.db.select().from(users).where(eq(users.id, id));
    expect(created).toMatchObject({ email: "bjensen@northwind.example", name: "Ms. Barbara J Jensen III", kind: "employee", role: "member", passwordHash: null, deactivatedAt: null });
    expect(created!.emailVerifiedAt).not.toBeNull();
    expect(await t.db.select().from(scimUsers).where(eq(scimUsers.userId, id))).toMatchObject([{ userName: "bjensen@northwind.example", externalId: "bjensen" }]);

    for (const step of ["3.3 create the same userName again", "3.4.1 get user", "3.4.2 filter by userName, some attributes", "3.4.2 filter that matches nobody", "3.4.2.4 pagination"]) {
      await rfc.run(step);
    }
    const listed = await scim.request("GET", `/Users?attributes=userName&filter=${encodeURIComponent('userName eq "bjensen@northwind.example"')}`);
    // attributes=userName: the id (always returned) and the userName, nothing else.
    expect(Object.keys(listed.body.Resources[0]).sort()).toEqual(["id", "userName"]);

    await rfc.run("3.5.1 replace user");
    await rfc.run("group for the patch examples");
    await rfc.run("3.5.2.1 add a member");
    expect(await t.db.select().from(scimGroupMembers)).toEqual([{ groupId: Number(rfc.vars.group), userId: id }]);
    await rfc.run("3.5.2.1 add attributes without a path");
    await rfc.run("3.5.2.2 remove one member");
    expect(await t.db.select().from(scimGroupMembers)).toEqual([]);
    await rfc.run("3.5.2.3 replace all members");
    await rfc.run("3.5.2.2 remove all members");
    expect(await t.db.select().from(scimGroupMembers)).toEqual([]);
    await rfc.run("3.5.2.3 replace attributes without a path");
    await rfc.run("3.5.2.3 replace a single attribute");
    const [patched] = await t.db.select().from(users).where(eq(users.id, id));
    expect(patched).toMatchObject({ email: "barbara.jensen@northwind.example", title: "Tour Guide" });

    await createSession(t.db, id);
    await rfc.run("3.6 delete user");
    await rfc.run("3.6 the deleted user is gone");
    // Deleted in SCIM, deactivated in Commons: the account, its name and its content stay.
    const [gone] = await t.db.select().from(users).where(eq(users.id, id));
    expect(gone!.deactivatedAt).not.toBeNull();
    expect(gone!.name).toBe("Ms. Barbara J Jensen III");
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, id))).toEqual([]);
    expect(await t.db.select().from(scimUsers).where(eq(scimUsers.userId, id))).toEqual([]);
    expect(await t.db.select().from(scimGroups)).toHaveLength(1);
    expect(scim.logged).toEqual([]);
  });

  test("the service provider describes itself: configuration, resource types, schemas", async () => {
    const config = await scim.request("GET", "/ServiceProviderConfig");
    expect(config.status).toBe(200);
    expect(config.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
    const types = await scim.request("GET", "/ResourceTypes");
    expect(types.body.Resources.map((r: { name: string }) => r.name).sort()).toEqual(["Group", "User"]);
    const user = types.body.Resources.find((r: { name: string }) => r.name === "User");
    expect(user.schemaExtensions).toEqual([{ schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false }]);
    expect((await scim.request("GET", "/ResourceTypes/User")).body).toMatchObject({ endpoint: "/Users" });
    const schemas = await scim.request("GET", "/Schemas");
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]),
    );
    expect((await scim.request("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")).status).toBe(200);
    expect((await scim.request("GET", "/Schemas/urn:nothing")).status).toBe(404);
  });
});

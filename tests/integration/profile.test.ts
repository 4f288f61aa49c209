import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { users } from "#db/schema/index.ts";
import { profileForViewer, teamOf, updateOwnProfile } from "#app/features/users/profiles.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

const base = { name: "Pat Example", title: "Engineer", department: "Engineering", location: "Berlin", bio: "", managerId: "" };

describe("updating your own profile", () => {
  test("saves plain text exactly as typed (trimmed), markup included", async () => {
    const me = await createUser(t.db);
    const boss = await createUser(t.db);
    await updateOwnProfile(t.db, me, { ...base, bio: "  I <b>like</b> <script>alert(1)</script> Postgres.\r\nSecond line  ", managerId: String(boss.id) });
    const [row] = await t.db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ name: "Pat Example", bio: "I <b>like</b> <script>alert(1)</script> Postgres.\nSecond line", managerId: boss.id });
  });

  test("a bio over 500 characters is refused with a field message", async () => {
    const me = await createUser(t.db);
    const error = await rejects(updateOwnProfile(t.db, me, { ...base, bio: "x".repeat(501) }));
    expect(error.fieldErrors.bio).toBe("Keep your bio to 500 characters");
    await expect(updateOwnProfile(t.db, me, { ...base, bio: "x".repeat(500) })).resolves.toBeTruthy();
  });

  test("you cannot be your own manager", async () => {
    const me = await createUser(t.db);
    const error = await rejects(updateOwnProfile(t.db, me, { ...base, managerId: String(me.id) }));
    expect(error.fieldErrors.managerId).toBe("You can't be your own manager");
  });

  test("a manager who reports to you, however far down, would make a loop", async () => {
    const me = await createUser(t.db);
    const report = await createUser(t.db, { managerId: me.id, name: "Rita Report" });
    const grandReport = await createUser(t.db, { managerId: report.id, name: "Gus Grand" });
    for (const candidate of [report, grandReport]) {
      const error = await rejects(updateOwnProfile(t.db, me, { ...base, managerId: String(candidate.id) }));
      expect(error.fieldErrors.managerId).toBe(`${candidate.name} reports to you (directly or through others), so they can't be your manager`);
    }
  });

  test("the manager must be an active employee", async () => {
    const me = await createUser(t.db);
    for (const candidate of [await createUser(t.db, {}, "deactivated"), await createUser(t.db, {}, "customer")]) {
      const error = await rejects(updateOwnProfile(t.db, me, { ...base, managerId: String(candidate.id) }));
      expect(error.fieldErrors.managerId).toBe("Choose an active colleague as your manager");
    }
    const error = await rejects(updateOwnProfile(t.db, me, { ...base, managerId: "999999" }));
    expect(error.fieldErrors.managerId).toBeDefined();
  });

  test("names are required and single-line", async () => {
    const me = await createUser(t.db);
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, name: "   " }))).fieldErrors.name).toBe("Enter your name");
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, title: "two\nlines" }))).fieldErrors.title).toMatch(/single line/);
  });
});

describe("reading profiles", () => {
  test("shows manager, reports and only the spaces the viewer may see", async () => {
    const viewer = await createUser(t.db);
    const boss = await createUser(t.db, { name: "Boss" });
    const person = await createUser(t.db, { managerId: boss.id });
    const report = await createUser(t.db, { managerId: person.id });
    const open = await createSpace(t.db, { members: [person] });
    const secret = await createSpace(t.db, { members: [person] }, "restricted");
    const profile = await profileForViewer(t.db, viewer, person.id);
    expect(profile.manager).toMatchObject({ id: boss.id, name: "Boss" });
    expect(profile.reports.map((r) => r.id)).toEqual([report.id]);
    expect(profile.spaces.map((s) => s.slug)).toEqual([open.slug]);
    expect(profile.spaces.map((s) => s.slug)).not.toContain(secret.slug);
  });

  test("customers and missing people answer 404; deactivated people are shown as such", async () => {
    const viewer = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    await expect(profileForViewer(t.db, viewer, customer.id)).rejects.toThrow(NotFoundError);
    await expect(profileForViewer(t.db, viewer, 2_000_000_000)).rejects.toThrow(NotFoundError);
    await expect(profileForViewer(t.db, viewer, Number.NaN)).rejects.toThrow(NotFoundError);
    expect((await profileForViewer(t.db, viewer, gone.id)).user.deactivatedAt).toBeInstanceOf(Date);
    // A customer viewer sees no profiles at all.
    await expect(profileForViewer(t.db, customer, viewer.id)).rejects.toThrow(NotFoundError);
  });

  test("the home page's team: manager, peers and reports", async () => {
    const boss = await createUser(t.db);
    const me = await createUser(t.db, { managerId: boss.id });
    const peer = await createUser(t.db, { managerId: boss.id });
    const report = await createUser(t.db, { managerId: me.id });
    const team = await teamOf(t.db, me);
    expect(team.manager?.id).toBe(boss.id);
    expect(team.peers.map((p) => p.id)).toEqual([peer.id]);
    expect(team.reports.map((p) => p.id)).toEqual([report.id]);
  });
});

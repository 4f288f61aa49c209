import { describe, expect, test } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { spaceMembers, spaces } from "#db/schema/index.ts";
import { canManageSpace, canSeeSpace, inVisibleSpace, spaceBySlugForActor, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { visibleSpaces } from "#app/features/spaces/spaces.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { thrown } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

async function world() {
  const member = await createUser(t.db);
  const outsider = await createUser(t.db);
  const moderator = await createUser(t.db);
  const admin = await createUser(t.db, {}, "admin");
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const open = await createSpace(t.db, { moderators: [moderator] });
  const restricted = await createSpace(t.db, { members: [member, customer, gone], moderators: [moderator] }, "restricted");
  return { member, outsider, moderator, admin, customer, gone, open, restricted };
}

async function visibleIds(actor: Parameters<typeof visibleSpacesCondition>[0], ids: number[]) {
  const rows = await t.db
    .select({ id: spaces.id })
    .from(spaces)
    .where(and(visibleSpacesCondition(actor), sql`${spaces.id} in ${ids}`));
  return rows.map((r) => r.id).sort();
}

describe("visibility", () => {
  test("a member of a restricted space sees it, in lists and by slug", async () => {
    const w = await world();
    expect(await visibleIds(w.member, [w.open.id, w.restricted.id])).toEqual([w.open.id, w.restricted.id].sort());
    const found = await spaceBySlugForActor(t.db, w.member, w.restricted.slug);
    expect(found.space.id).toBe(w.restricted.id);
    expect(found.membership).toEqual({ role: "member" });
    const listed = await visibleSpaces(t.db, w.member);
    expect(listed.map((s) => s.slug)).toContain(w.restricted.slug);
  });

  test("a non-member does not see a restricted space, and its slug answers exactly like a missing one", async () => {
    const w = await world();
    expect(await visibleIds(w.outsider, [w.open.id, w.restricted.id])).toEqual([w.open.id]);
    const listed = await visibleSpaces(t.db, w.outsider);
    expect(listed.map((s) => s.slug)).not.toContain(w.restricted.slug);
    expect(listed.map((s) => s.slug)).toContain(w.open.slug);

    const hidden = await thrown(spaceBySlugForActor(t.db, w.outsider, w.restricted.slug));
    const missing = await thrown(spaceBySlugForActor(t.db, w.outsider, "no-such-space"));
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toEqual(missing);
  });

  test("admins see every space", async () => {
    const w = await world();
    expect(await visibleIds(w.admin, [w.open.id, w.restricted.id])).toEqual([w.open.id, w.restricted.id].sort());
    const found = await spaceBySlugForActor(t.db, w.admin, w.restricted.slug);
    expect(found.membership).toBeNull();
    expect(canManageSpace(w.admin, found.space, found.membership)).toBe(true);
  });

  test("customers and deactivated accounts see no space, even one they are listed in", async () => {
    const w = await world();
    for (const actor of [w.customer, w.gone]) {
      expect(await visibleIds(actor, [w.open.id, w.restricted.id])).toEqual([]);
      expect(await visibleSpaces(t.db, actor)).toEqual([]);
      await expect(spaceBySlugForActor(t.db, actor, w.open.slug)).rejects.toThrow(NotFoundError);
      await expect(spaceBySlugForActor(t.db, actor, w.restricted.slug)).rejects.toThrow(NotFoundError);
    }
  });

  test("space moderators and admins manage a space; members and other roles do not", async () => {
    const w = await world();
    const hr = await createUser(t.db, {}, "hr");
    const siteModerator = await createUser(t.db, {}, "moderator");
    expect(canManageSpace(w.moderator, w.restricted, { role: "moderator" })).toBe(true);
    expect(canManageSpace(w.member, w.restricted, { role: "member" })).toBe(false);
    expect(canManageSpace(hr, w.open, null)).toBe(false);
    expect(canManageSpace(siteModerator, w.open, null)).toBe(false);
    expect(canManageSpace(w.gone, w.restricted, { role: "moderator" })).toBe(false);
    expect(canSeeSpace(hr, w.restricted, null)).toBe(false);
  });

  test("inVisibleSpace filters rows by their space_id column with the same rules", async () => {
    const w = await world();
    // space_members rows stand in for any content table with a space_id.
    const rowsFor = async (actor: typeof w.member) =>
      (
        await t.db
          .selectDistinct({ spaceId: spaceMembers.spaceId })
          .from(spaceMembers)
          .where(and(inVisibleSpace(actor, spaceMembers.spaceId), sql`${spaceMembers.spaceId} in ${[w.open.id, w.restricted.id]}`))
      )
        .map((r) => r.spaceId)
        .sort();
    expect(await rowsFor(w.outsider)).toEqual([w.open.id]);
    expect(await rowsFor(w.member)).toEqual([w.open.id, w.restricted.id].sort());
    expect(await rowsFor(w.admin)).toEqual([w.open.id, w.restricted.id].sort());
    expect(await rowsFor(w.customer)).toEqual([]);
  });

  test("leaving a restricted space takes it away at once", async () => {
    const w = await world();
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, w.restricted.id), eq(spaceMembers.userId, w.member.id)));
    await expect(spaceBySlugForActor(t.db, w.member, w.restricted.slug)).rejects.toThrow(NotFoundError);
  });
});

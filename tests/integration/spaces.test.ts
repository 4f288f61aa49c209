import { describe, expect, test } from "vitest";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "#db/schema/index.ts";
import type { Db } from "#db/client.server.ts";
import {
  addSpace,
  addSpaceMember,
  homeSpaces,
  joinSpace,
  leaveSpace,
  removeSpaceMember,
  setSpaceMemberRole,
  spaceForManager,
  spaceOverview,
  updateSpace,
  spaceChoices,
  visibleSpaces,
} from "#app/features/spaces/spaces.server.ts";
import { SpaceSchema } from "#app/features/spaces/space-schema.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

/** A second client on the same database that counts the statements it sends. */
function countingDb() {
  const client = postgres(t.url, { max: 1, onnotice: () => {} });
  const counter = { queries: 0 };
  const db = drizzle({ client, schema, casing: "snake_case", logger: { logQuery: () => void counter.queries++ } });
  return { db: Object.assign(db, { close: () => client.end() }) as unknown as Db, counter, close: () => client.end() };
}

const input = (attrs: Partial<Record<"name" | "slug" | "description" | "visibility", string>>) => SpaceSchema.parse({ visibility: "open", ...attrs });

describe("listing spaces", () => {
  test("the list carries member counts and the actor's role in one query, however many spaces", async () => {
    const me = await createUser(t.db);
    const people = await Promise.all(Array.from({ length: 4 }, () => createUser(t.db)));
    const gone = await createUser(t.db, {}, "deactivated");
    const a = await createSpace(t.db, { name: "Alpha", members: [me, ...people], moderators: [] });
    const b = await createSpace(t.db, { name: "Beta", members: [people[0]!, gone] });
    for (let i = 0; i < 8; i++) await createSpace(t.db, { members: [people[i % 4]!] });

    const counting = countingDb();
    try {
      const list = await visibleSpaces(counting.db, me);
      expect(counting.counter.queries).toBe(1);
      const byId = new Map(list.map((s) => [s.id, s]));
      expect(byId.get(a.id)).toMatchObject({ memberCount: 5, myRole: "member" });
      // Deactivated members are not counted.
      expect(byId.get(b.id)).toMatchObject({ memberCount: 1, myRole: null });
    } finally {
      await counting.close();
    }
  });

  test("the ask form's choice of spaces: the same spaces in the same order as the list, without counts", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    for (const who of [member, outsider]) {
      const choices = await spaceChoices(t.db, who);
      expect(choices.map((c) => c.slug)).toEqual((await visibleSpaces(t.db, who)).map((s) => s.slug));
      expect(choices.some((c) => c.slug === secret.slug)).toBe(who === member);
    }
  });

  test("home splits the spaces I belong to from the open ones I have not joined", async () => {
    const me = await createUser(t.db);
    const mine = await createSpace(t.db, { members: [me] }, "restricted");
    const open = await createSpace(t.db);
    const hidden = await createSpace(t.db, {}, "restricted");
    const home = await homeSpaces(t.db, me);
    expect(home.mine.map((s) => s.id)).toEqual([mine.id]);
    expect(home.otherOpen.map((s) => s.id)).toContain(open.id);
    expect([...home.mine, ...home.otherOpen].map((s) => s.id)).not.toContain(hidden.id);
  });

  test("a restricted space's page lists its members; an open one lists only moderators", async () => {
    const mod = await createUser(t.db, { name: "Zed Moderator" });
    const member = await createUser(t.db, { name: "Amy Member" });
    const restricted = await createSpace(t.db, { members: [member], moderators: [mod] }, "restricted");
    const open = await createSpace(t.db, { members: [member], moderators: [mod] });

    const r = await spaceOverview(t.db, member, restricted.slug);
    expect(r.memberCount).toBe(2);
    // The page and the lists agree on the count, whatever the ids happen to be.
    const crowd = await Promise.all(Array.from({ length: 7 }, () => createUser(t.db)));
    const big = await createSpace(t.db, { members: crowd }, "restricted");
    expect((await spaceOverview(t.db, crowd[0]!, big.slug)).memberCount).toBe(7);
    expect((await visibleSpaces(t.db, crowd[0]!)).find((s) => s.id === big.id)?.memberCount).toBe(7);
    expect(r.moderators.map((p) => p.id)).toEqual([mod.id]);
    expect(r.members.map((p) => p.id)).toEqual([mod.id, member.id]);
    expect(r.canManage).toBe(false);

    const o = await spaceOverview(t.db, mod, open.slug);
    expect(o.members).toEqual([]);
    expect(o.moderators.map((p) => p.id)).toEqual([mod.id]);
    expect(o.canManage).toBe(true);
  });
});

describe("creating and editing spaces", () => {
  test("admins create spaces; the slug is suggested from the name", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const space = await addSpace(t.db, admin, input({ name: "Café Crème & Friends" }));
    expect(space.slug).toBe("cafe-creme-friends");
  });

  test("a taken slug is a field error", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const existing = await createSpace(t.db);
    const error = await addSpace(t.db, admin, input({ name: "Another", slug: existing.slug })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).fieldErrors.slug).toMatch(/already uses/);
    const other = await createSpace(t.db);
    await expect(updateSpace(t.db, admin, other.id, input({ name: "Renamed", slug: existing.slug }))).rejects.toBeInstanceOf(InputError);
  });

  test("bad slugs are refused by the schema", () => {
    for (const slug of ["Has Spaces", "-leading", "double--hyphen", "ü", "a"]) {
      const result = SpaceSchema.safeParse({ name: "Fine name", slug, visibility: "open" });
      expect(result.success, slug).toBe(false);
    }
  });

  test("only admins create or edit spaces", async () => {
    const mod = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [mod] });
    await expect(addSpace(t.db, mod, input({ name: "Mine now" }))).rejects.toThrow(NotFoundError);
    await expect(updateSpace(t.db, mod, space.id, input({ name: "Mine now" }))).rejects.toThrow(NotFoundError);
  });
});

describe("managing members", () => {
  test("admins and the space's moderators add, promote and remove members", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const mod = await createUser(t.db);
    const newcomer = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [mod] }, "restricted");

    await addSpaceMember(t.db, mod, space.id, { email: newcomer.email.toUpperCase() });
    expect((await spaceOverview(t.db, newcomer, space.slug)).membership).toEqual({ role: "member" });

    await setSpaceMemberRole(t.db, admin, space.id, newcomer.id, "moderator");
    expect((await spaceOverview(t.db, newcomer, space.slug)).canManage).toBe(true);

    await removeSpaceMember(t.db, mod, space.id, newcomer.id);
    await expect(spaceOverview(t.db, newcomer, space.slug)).rejects.toThrow(NotFoundError);
  });

  test("members, outsiders and site roles without a space role cannot manage it", async () => {
    const member = await createUser(t.db);
    const hr = await createUser(t.db, {}, "hr");
    const someone = await createUser(t.db);
    const space = await createSpace(t.db, { members: [member] }, "restricted");
    for (const actor of [member, hr]) {
      await expect(addSpaceMember(t.db, actor, space.id, { email: someone.email })).rejects.toThrow(NotFoundError);
      await expect(removeSpaceMember(t.db, actor, space.id, member.id)).rejects.toThrow(NotFoundError);
      await expect(spaceForManager(t.db, actor, space.slug)).rejects.toThrow(NotFoundError);
    }
  });

  test("adding someone who is not an active employee, or already a member, is a field error", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const member = await createUser(t.db);
    const space = await createSpace(t.db, { members: [member] });
    for (const email of ["nobody@northwind.example", customer.email, gone.email]) {
      const error = await addSpaceMember(t.db, admin, space.id, { email }).catch((e: unknown) => e);
      expect((error as InputError).fieldErrors.email).toBe("No active employee has this email address");
    }
    const again = await addSpaceMember(t.db, admin, space.id, { email: member.email }).catch((e: unknown) => e);
    expect((again as InputError).fieldErrors.email).toMatch(/already a member/);
  });

  test("the manager view pages through every member with emails", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const members = await Promise.all(Array.from({ length: 3 }, () => createUser(t.db)));
    const space = await createSpace(t.db, { members });
    const view = await spaceForManager(t.db, admin, space.slug);
    expect(view.total).toBe(3);
    expect(view.members.map((m) => m.email).sort()).toEqual(members.map((m) => m.email).sort());
    expect(view.canAdminister).toBe(true);
  });
});

describe("joining and leaving", () => {
  test("anyone joins an open space, which then counts among their own; leaving undoes it", async () => {
    const me = await createUser(t.db);
    const open = await createSpace(t.db, { name: "Open to all" });
    await joinSpace(t.db, me, open.slug);
    await joinSpace(t.db, me, open.slug); // twice is still once
    expect((await homeSpaces(t.db, me)).mine.map((s) => s.slug)).toEqual([open.slug]);
    expect((await spaceOverview(t.db, me, open.slug)).memberCount).toBe(1);
    expect(await leaveSpace(t.db, me, open.slug)).toEqual({ stillVisible: true });
    expect((await homeSpaces(t.db, me)).mine).toEqual([]);
  });

  test("a restricted space cannot be joined: to a non-member it does not exist", async () => {
    const me = await createUser(t.db);
    const hidden = await createSpace(t.db, {}, "restricted");
    await expect(joinSpace(t.db, me, hidden.slug)).rejects.toThrow(NotFoundError);
  });

  test("a moderator cannot leave by a click; a member of a restricted space leaves and loses access", async () => {
    const mod = await createUser(t.db);
    const member = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [mod], members: [member] }, "restricted");
    await expect(leaveSpace(t.db, mod, space.slug)).rejects.toBeInstanceOf(InputError);
    expect(await leaveSpace(t.db, member, space.slug)).toEqual({ stillVisible: false });
    await expect(spaceOverview(t.db, member, space.slug)).rejects.toThrow(NotFoundError);
    expect((await spaceOverview(t.db, mod, space.slug)).membership?.role).toBe("moderator");
  });
});

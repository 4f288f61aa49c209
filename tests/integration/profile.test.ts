import { eq } from "drizzle-orm";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { RouterProvider, createMemoryRouter } from "react-router";
import { describe, expect, test } from "vitest";
import { users } from "#db/schema/index.ts";
import { ownProfile, profileForViewer, teamOf, updateOwnProfile } from "#app/features/users/profiles.server.ts";
import EditProfile, { action as profileAction, loader as profileLoader } from "#app/routes/settings/profile.tsx";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { browserOf, postAs, rejects, requestAs, routeContext } from "#tests/helpers.ts";
import { executable, parseScreen, payloads } from "#tests/xss-render.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

const base = { name: "Pat Example", title: "Engineer", department: "Engineering", location: "Berlin", bio: "", manager: "" };

/** The handle a factory-made person goes by: the part of their address before the @. */
const handleOf = (person: { email: string }) => person.email.split("@")[0]!;

const managerOf = async (person: { id: number }) => (await t.db.select({ managerId: users.managerId }).from(users).where(eq(users.id, person.id)))[0]!.managerId;

const NO_ONE = /^No one active goes by @/;

describe("updating your own profile", () => {
  test("saves plain text exactly as typed (trimmed), markup included", async () => {
    const me = await createUser(t.db);
    const boss = await createUser(t.db);
    await updateOwnProfile(t.db, me, { ...base, bio: "  I <b>like</b> <script>alert(1)</script> Postgres.\r\nSecond line  ", manager: `@${handleOf(boss)}` });
    const [row] = await t.db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ name: "Pat Example", bio: "I <b>like</b> <script>alert(1)</script> Postgres.\nSecond line", managerId: boss.id });
  });

  test("a bio over 500 characters is refused with a field message", async () => {
    const me = await createUser(t.db);
    const error = await rejects(updateOwnProfile(t.db, me, { ...base, bio: "x".repeat(501) }));
    expect(error.fieldErrors.bio).toBe("Keep your bio to 500 characters");
    await expect(updateOwnProfile(t.db, me, { ...base, bio: "x".repeat(500) })).resolves.toBeTruthy();
  });

  test("the manager is named by handle: any case, the @ optional, blank space around ignored", async () => {
    const me = await createUser(t.db);
    const boss = await createUser(t.db);
    for (const typed of [`@${handleOf(boss)}`, handleOf(boss).toUpperCase(), `  @${handleOf(boss)}  `, boss.email]) {
      await updateOwnProfile(t.db, me, { ...base, manager: "" });
      expect(await managerOf(me)).toBeNull();
      await updateOwnProfile(t.db, me, { ...base, manager: typed });
      expect(await managerOf(me), typed).toBe(boss.id);
    }
  });

  test("an empty field removes the manager", async () => {
    const boss = await createUser(t.db);
    const me = await createUser(t.db, { managerId: boss.id });
    await updateOwnProfile(t.db, me, { ...base, manager: "   " });
    expect(await managerOf(me)).toBeNull();
  });

  test("you cannot be your own manager", async () => {
    const me = await createUser(t.db);
    const error = await rejects(updateOwnProfile(t.db, me, { ...base, manager: `@${handleOf(me)}` }));
    expect(error.fieldErrors.manager).toBe("You can't be your own manager");
  });

  test("a manager who reports to you, however far down, would make a loop", async () => {
    const me = await createUser(t.db);
    const report = await createUser(t.db, { managerId: me.id, name: "Rita Report" });
    const grandReport = await createUser(t.db, { managerId: report.id, name: "Gus Grand" });
    for (const candidate of [report, grandReport]) {
      const error = await rejects(updateOwnProfile(t.db, me, { ...base, manager: `@${handleOf(candidate)}` }));
      expect(error.fieldErrors.manager).toBe(`${candidate.name} reports to you (directly or through others), so they can't be your manager`);
    }
    expect(await managerOf(me)).toBeNull();
  });

  test("the manager must be an active employee: unknown, deactivated, customer and unverified handles are refused alike", async () => {
    const boss = await createUser(t.db);
    const me = await createUser(t.db, { managerId: boss.id });
    const candidates = [
      await createUser(t.db, {}, "deactivated"),
      await createUser(t.db, {}, "customer"),
      await createUser(t.db, { emailVerifiedAt: null }),
      { email: "nobody.here@northwind.example" },
    ];
    for (const candidate of candidates) {
      const error = await rejects(updateOwnProfile(t.db, me, { ...base, manager: `@${handleOf(candidate)}` }));
      expect(error.fieldErrors.manager, candidate.email).toMatch(NO_ONE);
      expect(error.fieldErrors.manager).toContain(`@${handleOf(candidate)}`);
    }
    // Nothing changed.
    expect(await managerOf(me)).toBe(boss.id);
  });

  test("a handle two people share names neither; their whole address does", async () => {
    const me = await createUser(t.db);
    const here = await createUser(t.db, { email: "sam.shared@northwind.example" });
    await createUser(t.db, { email: "sam.shared@contoso.example" });
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, manager: "@sam.shared" }))).fieldErrors.manager).toMatch(NO_ONE);
    await updateOwnProfile(t.db, me, { ...base, manager: "@sam.shared@northwind.example" });
    expect(await managerOf(me)).toBe(here.id);
    // The form shows the whole address back, so saving it unchanged keeps them.
    expect((await ownProfile(t.db, me)).manager).toBe("@sam.shared@northwind.example");
  });

  test("the form shows the manager as a handle; saving it unchanged keeps them even after they left", async () => {
    const boss = await createUser(t.db);
    const me = await createUser(t.db, { managerId: boss.id });
    expect((await ownProfile(t.db, me)).manager).toBe(`@${handleOf(boss)}`);
    expect((await ownProfile(t.db, boss)).manager).toBe("");
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, boss.id));
    const shown = (await ownProfile(t.db, me)).manager;
    await updateOwnProfile(t.db, me, { ...base, bio: "Still here.", manager: shown });
    expect(await managerOf(me)).toBe(boss.id);
    // Choosing them anew is refused like any deactivated person (the field names someone else first).
    const other = await createUser(t.db);
    await updateOwnProfile(t.db, me, { ...base, manager: `@${handleOf(other)}` });
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, manager: shown }))).fieldErrors.manager).toMatch(NO_ONE);
  });

  test("names are required and single-line", async () => {
    const me = await createUser(t.db);
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, name: "   " }))).fieldErrors.name).toBe("Enter your name");
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, title: "two\nlines" }))).fieldErrors.title).toMatch(/single line/);
    expect((await rejects(updateOwnProfile(t.db, me, { ...base, manager: "@ada\nlovelace" }))).fieldErrors.manager).toMatch(/single line/);
  });
});

describe("the profile settings page", () => {
  type Reply = { data?: { ok: boolean; fieldErrors?: Record<string, string>; values?: Record<string, string> }; init?: { status?: number }; ok?: boolean };
  const form = { intent: "save-profile", name: "Pat Example", title: "Engineer", department: "Engineering", location: "Berlin", bio: "Hello." };
  const save = async (user: { id: number }, fields: Record<string, string>) =>
    (await profileAction({ request: await postAs(t.db, user, "/settings/profile", fields), context: routeContext(t.db).context, params: {} } as never)) as Reply;

  test("the loader reads the profile only, with the manager as a handle", async () => {
    const boss = await createUser(t.db);
    const me = await createUser(t.db, { managerId: boss.id, name: "Lou Loader" });
    const page = await profileLoader({ request: await requestAs(t.db, me, "/settings/profile"), context: routeContext(t.db).context, params: {} } as never);
    expect(Object.keys(page).sort()).toEqual(["profile", "userId"]);
    expect(page.profile).toMatchObject({ name: "Lou Loader", manager: `@${handleOf(boss)}` });
  });

  test("setting and clearing the manager through the form", async () => {
    const boss = await createUser(t.db);
    const me = await createUser(t.db);
    expect(await save(me, { ...form, manager: `@${handleOf(boss).toUpperCase()} ` })).toMatchObject({ ok: true });
    expect(await managerOf(me)).toBe(boss.id);
    expect(await save(me, { ...form, manager: "" })).toMatchObject({ ok: true });
    expect(await managerOf(me)).toBeNull();
  });

  test("each refusal comes back as an error on Manager with everything typed kept", async () => {
    const me = await createUser(t.db);
    const report = await createUser(t.db, { managerId: me.id, name: "Rae Report" });
    const refused = [
      { manager: "@nobody.at.all", error: NO_ONE },
      { manager: `@${handleOf(me)}`, error: /your own manager/ },
      { manager: `@${handleOf(await createUser(t.db, {}, "deactivated"))}`, error: NO_ONE },
      { manager: `@${handleOf(await createUser(t.db, {}, "customer"))}`, error: NO_ONE },
      { manager: `@${handleOf(report)}`, error: /Rae Report reports to you/ },
    ];
    for (const { manager, error } of refused) {
      const fields = { ...form, bio: `Typed for ${manager}`, location: "Lisbon", manager };
      const reply = await save(me, fields);
      expect(reply.init?.status, manager).toBe(400);
      expect(reply.data?.fieldErrors?.manager, manager).toMatch(error);
      expect(reply.data?.values, manager).toMatchObject(fields);
    }
    const [row] = await t.db.select({ bio: users.bio, managerId: users.managerId }).from(users).where(eq(users.id, me.id));
    expect(row).toEqual({ bio: "", managerId: null });
  });
});

describe("every XSS payload typed as the manager", () => {
  /** The settings page as the app renders it after a failed save: the loader's profile and the action's reply. */
  function renderForm(loaderData: unknown, actionData: unknown): string {
    const Page = () => createElement(EditProfile as ComponentType<never>, { loaderData, actionData, params: {}, matches: [] } as never);
    const router = createMemoryRouter([{ path: "*", Component: Page }], { initialEntries: ["/settings/profile"] });
    return renderToStaticMarkup(createElement(RouterProvider, { router }));
  }

  test("comes back as a field error shown as text, the typed text kept in the field", async () => {
    const me = await createUser(t.db, { name: "Xena Manager" });
    const browser = await browserOf(t.db, me);
    const { context } = routeContext(t.db);
    const loaderData = await profileLoader({ request: browser.get("/settings/profile"), context, params: {} } as never);
    let refused = 0;
    for (const { payload } of payloads) {
      const reply = (await profileAction({
        request: browser.post("/settings/profile", { intent: "save-profile", name: "Xena Manager", manager: payload }),
        context,
        params: {},
      } as never)) as {
        data?: { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> };
      };
      // A payload that is only blank space clears the manager: nothing to show.
      if (!reply.data) continue;
      refused++;
      const message = reply.data.fieldErrors.manager!;
      expect(message, payload).toBeDefined();
      const screen = renderForm(loaderData, reply.data);
      expect(executable(screen), payload).toEqual([]);
      const page = parseScreen(screen);
      expect(page.querySelector<HTMLInputElement>('input[name="manager"]')?.getAttribute("value"), payload).toBe(payload.replace(/\r\n?/g, "\n"));
      expect(page.textContent, payload).toContain(message.replace(/\r\n?/g, "\n"));
    }
    expect(refused).toBeGreaterThan(200);
    expect(await managerOf(me)).toBeNull();
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

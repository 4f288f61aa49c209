import { count, eq, isNull } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { wikiTemplates } from "#db/schema/index.ts";
import { DEFAULT_TEMPLATES, ensureDefaultTemplates, templatesFor } from "#app/features/wiki/templates.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { action as editAction, loader as editLoader } from "#app/routes/wiki/template-edit.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/wiki/template-new.tsx";
import { action as listAction, loader as listLoader } from "#app/routes/wiki/templates.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

/**
 * Page templates: the four defaults, written once; who manages which (admins and site moderators
 * the site-wide ones, a space's moderators their space's); what a space's wiki offers; and the
 * templates routes for each kind of actor.
 */
const t = setupTestDb();

type Reply = { data?: Record<string, unknown>; init?: { status?: number } } & Record<string, unknown>;
type Handler = (args: never) => unknown;
const run = (fn: Handler, request: Request, params: Record<string, string> = {}) => Promise.resolve(fn({ request, context: routeContext(t.db).context, params } as never)) as Promise<Reply>;

async function redirectTo(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

const template = (fields: Partial<Record<string, string>> = {}) => ({
  space: "",
  name: "Decision record",
  description: "Why we chose what we chose.",
  body: "## Context\n\n## Decision",
  ...fields,
});

async function templateCount() {
  const [row] = await t.db.select({ n: count() }).from(wikiTemplates);
  return row!.n;
}

describe("the default templates", () => {
  test("are written once, when there are no site-wide templates, however many ask at once", async () => {
    const results = await Promise.all([ensureDefaultTemplates(t.db), ensureDefaultTemplates(t.db), ensureDefaultTemplates(t.db)]);
    expect(results.sort()).toEqual([0, 0, 4]);
    expect(await ensureDefaultTemplates(t.db)).toBe(0);
    const rows = await t.db.select({ name: wikiTemplates.name, body: wikiTemplates.body }).from(wikiTemplates).where(isNull(wikiTemplates.spaceId)).orderBy(wikiTemplates.name);
    expect(rows.map((r) => r.name)).toEqual(["FAQ", "How-to", "Policy", "Runbook"]);
    expect(rows.map((r) => r.body)).toEqual([...DEFAULT_TEMPLATES].sort((a, b) => a.name.localeCompare(b.name)).map((d) => d.body));
  });

  test("a space's wiki offers the site-wide templates and its own, never another space's or a hidden one's", async () => {
    const moderator = await createUser(t.db);
    const reader = await createUser(t.db);
    const open = await createSpace(t.db, { moderators: [moderator] });
    const other = await createSpace(t.db, { moderators: [moderator] });
    const secret = await createSpace(t.db, { moderators: [moderator] }, "restricted");
    for (const space of [open, other, secret]) {
      await redirectTo(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ space: space.slug, name: `Only for ${space.name}` }))));
    }
    const offered = (await templatesFor(t.db, reader, open.id)).map((x) => x.name);
    expect(offered).toEqual(["FAQ", "How-to", "Policy", "Runbook", `Only for ${open.name}`]);
    // A reader who can't see the restricted space is offered only the site-wide ones there.
    expect((await templatesFor(t.db, reader, secret.id)).map((x) => x.name)).toEqual(["FAQ", "How-to", "Policy", "Runbook"]);
    expect((await templatesFor(t.db, moderator, secret.id)).map((x) => x.name)).toContain(`Only for ${secret.name}`);
  });
});

describe("who manages templates", () => {
  test("a member reads the list but can't add, edit or delete a template; nothing is written", async () => {
    const member = await createUser(t.db);
    const space = await createSpace(t.db, { members: [member] });
    await ensureDefaultTemplates(t.db);
    const before = await templateCount();
    const list = await run(listLoader, await requestAs(t.db, member, "/wiki/templates"));
    expect(list.scopes).toEqual({ siteWide: false, spaces: [] });
    expect((list.templates as Array<{ canManage: boolean }>).every((x) => !x.canManage)).toBe(true);
    expect(await thrown(run(newLoader, await requestAs(t.db, member, "/wiki/templates/new")))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(newAction, await postAs(t.db, member, "/wiki/templates/new", template())))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(newAction, await postAs(t.db, member, "/wiki/templates/new", template({ space: space.slug }))))).toBeInstanceOf(ForbiddenError);
    const [siteWide] = await t.db.select({ id: wikiTemplates.id }).from(wikiTemplates).where(isNull(wikiTemplates.spaceId)).limit(1);
    const id = String(siteWide!.id);
    expect(await thrown(run(editLoader, await requestAs(t.db, member, `/wiki/templates/${id}`), { templateId: id }))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(editAction, await postAs(t.db, member, `/wiki/templates/${id}`, { intent: "save", ...template() }), { templateId: id }))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(listAction, await postAs(t.db, member, "/wiki/templates", { intent: "delete", templateId: id })))).toBeInstanceOf(ForbiddenError);
    expect(await templateCount()).toBe(before);
  });

  test("a space's moderator manages their space's templates only", async () => {
    const moderator = await createUser(t.db);
    const mine = await createSpace(t.db, { moderators: [moderator] });
    const theirs = await createSpace(t.db);
    const secret = await createSpace(t.db, {}, "restricted");
    await ensureDefaultTemplates(t.db);
    const form = await run(newLoader, await requestAs(t.db, moderator, `/wiki/templates/new?space=${mine.slug}`));
    expect(form).toMatchObject({ scopes: { siteWide: false, spaces: [{ slug: mine.slug, name: mine.name }] }, preselected: mine.slug });

    expect(await redirectTo(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ space: mine.slug }))))).toBe("/wiki/templates");
    const [created] = await t.db.select().from(wikiTemplates).where(eq(wikiTemplates.spaceId, mine.id));
    expect(created).toMatchObject({ name: "Decision record", createdById: moderator.id });
    const before = await templateCount();
    expect(await thrown(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ name: "Site-wide try" }))))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ space: theirs.slug }))))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ space: secret.slug }))))).toBeInstanceOf(NotFoundError);
    expect(await templateCount()).toBe(before);

    // Editing their own: a name taken in the same place is a field error, the text kept.
    const id = String(created!.id);
    expect(await run(editLoader, await requestAs(t.db, moderator, `/wiki/templates/${id}`), { templateId: id })).toMatchObject({
      template: { name: "Decision record", space: { slug: mine.slug } },
    });
    await redirectTo(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ space: mine.slug, name: "Retrospective" }))));
    const taken = await run(editAction, await postAs(t.db, moderator, `/wiki/templates/${id}`, { intent: "save", ...template({ name: "retrospective", body: "Kept text" }) }), {
      templateId: id,
    });
    expect(taken.init?.status).toBe(400);
    expect((taken.data as { fieldErrors: Record<string, string>; values: Record<string, string> }).fieldErrors.name).toMatch(/already/);
    expect((taken.data as { values: Record<string, string> }).values.body).toBe("Kept text");
    const bad = await run(editAction, await postAs(t.db, moderator, `/wiki/templates/${id}`, { intent: "save", name: "", description: "", body: "" }), { templateId: id });
    expect(Object.keys((bad.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["body", "name"]);
    expect(await redirectTo(run(editAction, await postAs(t.db, moderator, `/wiki/templates/${id}`, { intent: "save", ...template({ name: "ADR" }) }), { templateId: id }))).toBe(
      "/wiki/templates",
    );
    expect((await t.db.select({ name: wikiTemplates.name }).from(wikiTemplates).where(eq(wikiTemplates.id, created!.id)))[0]!.name).toBe("ADR");

    // A site-wide template is not theirs to change.
    const [siteWide] = await t.db.select({ id: wikiTemplates.id }).from(wikiTemplates).where(isNull(wikiTemplates.spaceId)).limit(1);
    expect(await thrown(run(editLoader, await requestAs(t.db, moderator, `/wiki/templates/${siteWide!.id}`), { templateId: String(siteWide!.id) }))).toBeInstanceOf(ForbiddenError);

    const list = await run(listLoader, await requestAs(t.db, moderator, "/wiki/templates"));
    const names = (list.templates as Array<{ name: string; canManage: boolean; space: { slug: string } | null }>).map((x) => [x.name, x.space?.slug ?? null, x.canManage]);
    expect(names).toEqual([
      ["FAQ", null, false],
      ["How-to", null, false],
      ["Policy", null, false],
      ["Runbook", null, false],
      ["ADR", mine.slug, true],
      ["Retrospective", mine.slug, true],
    ]);
    expect(await redirectTo(run(editAction, await postAs(t.db, moderator, `/wiki/templates/${id}`, { intent: "delete" }), { templateId: id }))).toBe("/wiki/templates?deleted=1");
    expect(await t.db.select().from(wikiTemplates).where(eq(wikiTemplates.id, created!.id))).toEqual([]);
  });

  test("admins and site moderators manage the site-wide templates; the same name may be used in another place", async () => {
    const siteModerator = await createUser(t.db, {}, "moderator");
    const admin = await createUser(t.db, {}, "admin");
    const space = await createSpace(t.db);
    expect(await redirectTo(run(newAction, await postAs(t.db, siteModerator, "/wiki/templates/new", template({ name: "Postmortem" }))))).toBe("/wiki/templates");
    const dup = await run(newAction, await postAs(t.db, admin, "/wiki/templates/new", template({ name: "postmortem" })));
    expect((dup.data as { fieldErrors: Record<string, string> }).fieldErrors.name).toMatch(/already/);
    expect(await redirectTo(run(newAction, await postAs(t.db, admin, "/wiki/templates/new", template({ name: "Postmortem", space: space.slug }))))).toBe("/wiki/templates");
    const [row] = await t.db.select().from(wikiTemplates).where(eq(wikiTemplates.name, "Postmortem")).orderBy(wikiTemplates.id).limit(1);
    expect(await run(editLoader, await requestAs(t.db, admin, `/wiki/templates/${row!.id}`), { templateId: String(row!.id) })).toMatchObject({ template: { space: null } });
    expect(await redirectTo(run(listAction, await postAs(t.db, admin, "/wiki/templates", { intent: "delete", templateId: String(row!.id) })))).toBe("/wiki/templates?deleted=1");
    const form = await run(newLoader, await requestAs(t.db, admin, "/wiki/templates/new"));
    expect((form.scopes as { siteWide: boolean }).siteWide).toBe(true);
  });

  test("a template of a restricted space is a 404 to outsiders; customers and deactivated accounts never reach the templates", async () => {
    const moderator = await createUser(t.db);
    const outsider = await createUser(t.db, {}, "moderator");
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const secret = await createSpace(t.db, { moderators: [moderator, gone] }, "restricted");
    await redirectTo(run(newAction, await postAs(t.db, moderator, "/wiki/templates/new", template({ space: secret.slug, name: "Secret runbook" }))));
    const [row] = await t.db.select().from(wikiTemplates).where(eq(wikiTemplates.spaceId, secret.id));
    const id = String(row!.id);
    const before = await templateCount();
    // Even a site moderator outside the restricted space: the same 404 as a missing template.
    expect(await thrown(run(editLoader, await requestAs(t.db, outsider, `/wiki/templates/${id}`), { templateId: id }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(run(editAction, await postAs(t.db, outsider, `/wiki/templates/${id}`, { intent: "delete" }), { templateId: id }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(run(editLoader, await requestAs(t.db, outsider, "/wiki/templates/2000000000"), { templateId: "2000000000" }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(run(editLoader, await requestAs(t.db, outsider, "/wiki/templates/abc"), { templateId: "abc" }))).toBeInstanceOf(NotFoundError);
    const list = await run(listLoader, await requestAs(t.db, outsider, "/wiki/templates"));
    expect((list.templates as Array<{ name: string }>).map((x) => x.name)).not.toContain("Secret runbook");

    const routes: Array<[Handler, string, Record<string, string> | null, Record<string, string>]> = [
      [listLoader, "/wiki/templates", null, {}],
      [listAction, "/wiki/templates", { intent: "delete", templateId: id }, {}],
      [newLoader, "/wiki/templates/new", null, {}],
      [newAction, "/wiki/templates/new", template({ space: secret.slug }), {}],
      [editLoader, `/wiki/templates/${id}`, null, { templateId: id }],
      [editAction, `/wiki/templates/${id}`, { intent: "delete" }, { templateId: id }],
    ];
    for (const [handler, path, fields, params] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(await redirectTo(run(handler, asCustomer, params)), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(await redirectTo(run(handler, asGone, params)), path).toMatch(/^\/sign-in/);
    }
    expect(await templateCount()).toBe(before);
  });
});

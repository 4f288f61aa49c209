import type { ComponentType } from "react";
import { count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { shareCurators, shareKitItems, shareKits, shareLeaderboardOptIns, shareLinks } from "#db/schema/index.ts";
import { addArticleItem, createKit, getMyLink } from "#app/features/share/kits.server.ts";
import { ArticleItemSchema, KitSchema } from "#app/features/share/schemas.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { action as curatorsAction, loader as curatorsLoader } from "#app/routes/share/curators.tsx";
import ShareIndex, { action as indexAction, loader as indexLoader } from "#app/routes/share/index.tsx";
import KitRoute, { action as kitAction, loader as kitLoader } from "#app/routes/share/kit.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/share/new-kit.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";
import { answered, postAs, redirectTarget, requestAs, routeCaller, thrown, type RouteReply } from "#tests/helpers.ts";
import { executable, parseScreen, payloads, problems, refusedOrStored, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * The share pages through their loaders and actions: who may see and do what, forms that come
 * back with their errors and typed values, and every XSS payload through a kit's title and
 * description and an item's title and suggested text, stored and rendered.
 */

const t = setupTestDb();
const run = routeCaller(t);

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let member: User;
let customer: User;
let gone: User;
let kitId: number;
let itemId: number;

const kitParams = () => ({ kitId: String(kitId) });
const kitPath = () => `/share/kits/${kitId}`;

async function writes() {
  const [kits] = await t.db.select({ n: count() }).from(shareKits);
  const [items] = await t.db.select({ n: count() }).from(shareKitItems);
  const [links] = await t.db.select({ n: count() }).from(shareLinks);
  const [curators] = await t.db.select({ n: count() }).from(shareCurators);
  const [optIns] = await t.db.select({ n: count() }).from(shareLeaderboardOptIns);
  const [changed] = await t.db.execute<{ at: string }>(sql`select coalesce(max(updated_at)::text, '') as at from share_kits`);
  return { kits: kits!.n, items: items!.n, links: links!.n, curators: curators!.n, optIns: optIns!.n, changed: changed!.at };
}

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  member = await createUser(t.db, { name: "Max Member" });
  customer = await createUser(t.db, {}, "customer");
  gone = await createUser(t.db, {}, "deactivated");
  kitId = (await createKit(t.db, admin, { title: "Spring launch", description: "" })).id;
  itemId = (await addArticleItem(t.db, admin, kitId, { url: "https://blog.example.com/spring", title: "Spring post", suggestedText: "Read this" })).id;
});

describe("who sees and does what", () => {
  test("a member sees the kits and a kit, gets a link, and joins the leaderboard; a missing or malformed kit is a 404", async () => {
    const index = (await run(indexLoader, await requestAs(t.db, member, "/share"))) as unknown as { curate: boolean; kits: { kits: Array<{ id: number }> } };
    expect(index.curate).toBe(false);
    expect(index.kits.kits.map((k) => k.id)).toContain(kitId);
    expect(await run(kitAction, await postAs(t.db, member, kitPath(), { intent: "link", itemId: String(itemId) }), kitParams())).toMatchObject({ ok: true });
    const page = (await run(kitLoader, await requestAs(t.db, member, kitPath()), kitParams())) as unknown as { canCurate: boolean; items: Array<{ myLink: string | null }> };
    expect(page.canCurate).toBe(false);
    expect(page.items[0]!.myLink).toMatch(/\/s\/[0-9A-Za-z]{16}$/);
    await run(indexAction, await postAs(t.db, member, "/share", { intent: "join" }));
    expect(await t.db.select().from(shareLeaderboardOptIns).where(eq(shareLeaderboardOptIns.userId, member.id))).toHaveLength(1);
    await run(indexAction, await postAs(t.db, member, "/share", { intent: "leave" }));
    expect(await t.db.select().from(shareLeaderboardOptIns).where(eq(shareLeaderboardOptIns.userId, member.id))).toHaveLength(0);

    for (const id of ["999999", "abc", "99999999999"]) {
      expect(await thrown(run(kitLoader, await requestAs(t.db, member, `/share/kits/${id}`), { kitId: id }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(run(kitAction, await postAs(t.db, member, `/share/kits/${id}`, { intent: "link", itemId: String(itemId) }), { kitId: id }))).toBeInstanceOf(NotFoundError);
    }
    // An item of another kit is no item of this one.
    const other = await createKit(t.db, admin, { title: "Other", description: "" });
    expect(await thrown(run(kitAction, await postAs(t.db, member, `/share/kits/${other.id}`, { intent: "link", itemId: String(itemId) }), { kitId: String(other.id) }))).toBeInstanceOf(
      NotFoundError,
    );
  });

  test("a non-curator may not create, edit or archive kits (403) and writes nothing; the curators page is a 404 to them", async () => {
    const before = await writes();
    expect(await thrown(run(newLoader, await requestAs(t.db, member, "/share/kits/new")))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(run(newAction, await postAs(t.db, member, "/share/kits/new", { title: "Mine", description: "" })))).toBeInstanceOf(ForbiddenError);
    const refused: Array<Record<string, string>> = [
      { intent: "add-article", url: "https://example.com/x", title: "X", suggestedText: "" },
      { intent: "add-thread", thread: "1", suggestedText: "" },
      { intent: "add-article", url: "http://bad", title: "", suggestedText: "" },
      { intent: "edit-text", itemId: String(itemId), suggestedText: "Changed" },
      { intent: "remove-item", itemId: String(itemId) },
      { intent: "edit-kit", title: "Renamed", description: "" },
      { intent: "archive" },
    ];
    for (const fields of refused) {
      const error = await thrown(run(kitAction, await postAs(t.db, member, kitPath(), fields), kitParams()));
      expect(error, fields.intent).toBeInstanceOf(ForbiddenError);
      expect((answered(error) as RouteReply).init?.status).toBe(403);
    }
    expect(await thrown(run(curatorsLoader, await requestAs(t.db, member, "/share/curators")))).toBeInstanceOf(NotFoundError);
    expect(await thrown(run(curatorsAction, await postAs(t.db, member, "/share/curators", { intent: "add", person: member.email })))).toBeInstanceOf(NotFoundError);
    expect(await writes()).toEqual(before);
  });

  test("a named curator curates; removed, they no longer can", async () => {
    const carla = await createUser(t.db, { name: "Carla Comms" });
    const added = await run(curatorsAction, await postAs(t.db, admin, "/share/curators", { intent: "add", person: `@${carla.email.split("@")[0]}` }));
    expect(added).toMatchObject({ ok: true, notice: "Carla Comms now curates share kits." });
    const created = await redirectTarget(await thrown(run(newAction, await postAs(t.db, carla, "/share/kits/new", { title: "Carla's kit", description: "" }))));
    expect(created).toMatch(/^\/share\/kits\/\d+$/);
    await run(curatorsAction, await postAs(t.db, admin, "/share/curators", { intent: "remove", userId: String(carla.id) }));
    expect(await thrown(run(newLoader, await requestAs(t.db, carla, "/share/kits/new")))).toBeInstanceOf(ForbiddenError);
  });

  test("a customer is sent home and a deactivated account to sign-in, from every page and form, writing nothing", async () => {
    const before = await writes();
    for (const [user, target] of [
      [customer, /^\/$/],
      [gone, /^\/sign-in\?redirectTo=/],
    ] as const) {
      const pages: Array<[(args: never) => unknown, string, Record<string, string>]> = [
        [indexLoader, "/share", {}],
        [newLoader, "/share/kits/new", {}],
        [kitLoader, kitPath(), kitParams()],
        [curatorsLoader, "/share/curators", {}],
      ];
      for (const [loader, path, p] of pages) expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, user, path), p))), path).toMatch(target);
      const forms: Array<[(args: never) => unknown, string, Record<string, string>, Record<string, string>]> = [
        [indexAction, "/share", { intent: "join" }, {}],
        [newAction, "/share/kits/new", { title: "Kit", description: "" }, {}],
        [kitAction, kitPath(), { intent: "link", itemId: String(itemId) }, kitParams()],
        [curatorsAction, "/share/curators", { intent: "add", person: member.email }, {}],
      ];
      for (const [action, path, fields, p] of forms) expect(redirectTarget(await thrown(run(action, await postAs(t.db, user, path, fields), p))), path).toMatch(target);
    }
    expect(await writes()).toEqual(before);
  });
});

describe("bad input", () => {
  test("forms come back with field errors and what was typed (400), and write nothing", async () => {
    const before = await writes();
    const longText = "x".repeat(501);
    const newKit = await run(newAction, await postAs(t.db, admin, "/share/kits/new", { title: "", description: "d".repeat(2001) }));
    expect(newKit.init?.status).toBe(400);
    expect(newKit.data).toMatchObject({ fieldErrors: { title: "Give the title.", description: "The description is at most 2,000 characters." }, values: { description: "d".repeat(2001) } });

    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ intent: "add-article", url: "http://blog.example.com/x", title: "Typed title", suggestedText: "Typed text" }, "url", /Only https/],
      [{ intent: "add-article", url: "https://blog.example.com/x", title: "", suggestedText: "" }, "title", /Give the title/],
      [{ intent: "add-article", url: "https://blog.example.com/y", title: "Long", suggestedText: longText }, "suggestedText", /at most 500/],
      [{ intent: "add-thread", thread: "https://elsewhere.example/t/1", suggestedText: "Typed" }, "thread", /address on the forum/],
      [{ intent: "add-thread", thread: "424242", suggestedText: "" }, "thread", /No thread the forum shows/],
      [{ intent: "edit-text", itemId: String(itemId), suggestedText: longText }, "suggestedText", /at most 500/],
      [{ intent: "edit-kit", title: "t".repeat(121), description: "" }, "title", /at most 120/],
    ];
    for (const [fields, field, message] of cases) {
      const reply = await run(kitAction, await postAs(t.db, admin, kitPath(), fields), kitParams());
      expect(reply.init?.status, JSON.stringify(fields)).toBe(400);
      const body = reply.data as { intent: string; fieldErrors: Record<string, string>; values: Record<string, string> };
      expect(body.intent).toBe(fields.intent);
      expect(body.fieldErrors[field]).toMatch(message);
      expect(body.values).toMatchObject(fields);
    }
    // A bad item id is a 400 with a message, an unknown intent a 400, never a 500.
    expect((await run(kitAction, await postAs(t.db, admin, kitPath(), { intent: "remove-item", itemId: "x" }), kitParams())).init?.status).toBe(400);
    expect(answered(await thrown(run(kitAction, await postAs(t.db, admin, kitPath(), { intent: "nope" }), kitParams())))).toMatchObject({ init: { status: 400 } });
    const curator = await run(curatorsAction, await postAs(t.db, admin, "/share/curators", { intent: "add", person: "@no.such.person" }));
    expect(curator.init?.status).toBe(400);
    expect(curator.data).toMatchObject({ fieldErrors: { person: expect.stringMatching(/No one active/) }, values: { person: "@no.such.person" } });
    expect(await writes()).toEqual(before);
  });
});

describe("every XSS payload through a kit comes out inert", () => {
  test("kit titles and descriptions, item titles and suggested text: stored as text, rendered with nothing that runs", { timeout: 180_000 }, async () => {
    const reader = { id: member.id, name: member.name, role: "member" };
    const kits: number[] = [];
    let titled = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const asTitle = KitSchema.safeParse({ title: payload.slice(0, 120), description: payload.slice(0, 2000) });
      const plain = KitSchema.parse({ title: `Payload kit ${i}`, description: "" });
      let kit = asTitle.success ? await refusedOrStored(() => createKit(t.db, admin, asTitle.data)) : null;
      if (kit) titled++;
      kit ??= await createKit(t.db, admin, asTitle.success ? { ...plain, description: "" } : plain);
      const item = ArticleItemSchema.safeParse({ url: `https://payload.example.com/${i}`, title: payload.slice(0, 200), suggestedText: payload.slice(0, 500) });
      const stored = item.success ? await refusedOrStored(() => addArticleItem(t.db, admin, kit.id, item.data)) : null;
      const added = stored ?? (await addArticleItem(t.db, admin, kit.id, { url: `https://payload.example.com/${i}`, title: `Item ${i}`, suggestedText: payload.slice(0, 500).trim() }));
      await getMyLink(t.db, member, kit.id, added.id);
      kits.push(kit.id);
    }
    expect(titled).toBeGreaterThan(150);

    const rows = await t.db.select().from(shareKits);
    for (const row of rows) {
      expect(rendersAsText(row.title), row.title).toBe(true);
      if (row.description) expect(problems(renderMarkdown(row.description)), row.description).toEqual([]);
    }
    for (const item of await t.db.select().from(shareKitItems)) {
      expect(rendersAsText(item.title), item.title).toBe(true);
      expect(rendersAsText(item.suggestedText), item.suggestedText).toBe(true);
    }

    for (const id of kits) {
      const data = await run(kitLoader, await requestAs(t.db, member, `/share/kits/${id}`), { kitId: String(id) });
      const html = renderRoute(KitRoute as ComponentType<never>, data, reader);
      expect(executable(html), String(id)).toEqual([]);
      const screen = parseScreen(html);
      const shown = data as unknown as { kit: { title: string }; items: Array<{ suggestedText: string }> };
      expect(screen.querySelector("h1")?.textContent).toBe(shown.kit.title);
      const text = shown.items[0]!.suggestedText;
      if (text) expect(screen.querySelector("p.whitespace-pre-line")?.textContent).toBe(text);
    }
    for (let page = 1; page <= Math.ceil(rows.length / 20); page++) {
      const data = await run(indexLoader, await requestAs(t.db, member, `/share?page=${page}`));
      expect(executable(renderRoute(ShareIndex as ComponentType<never>, data, reader))).toEqual([]);
    }
  });
});

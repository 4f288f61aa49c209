import { eq, inArray } from "drizzle-orm";
import type { ComponentType } from "react";
import { beforeAll, describe, expect, test } from "vitest";
import { wikiPages, wikiTemplates } from "#db/schema/index.ts";
import { createPage } from "#app/features/wiki/pages.server.ts";
import { NewPageSchema, NewTemplateSchema } from "#app/features/wiki/schemas.ts";
import { createTemplate } from "#app/features/wiki/templates.server.ts";
import { action as previewAction } from "#app/routes/api/preview.ts";
import WikiPageRoute, { loader as pageLoader } from "#app/routes/wiki/page.tsx";
import TemplatesRoute, { loader as templatesLoader } from "#app/routes/wiki/templates.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, requestAs, routeContext } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, problems, refusedOrStored, renderRoute, rendersAsText, sample } from "#tests/xss-render.ts";

/**
 * Every DOMPurify payload through the wiki's text fields: a page's title and text, a template's
 * name, description and text (and a page written from it), and the live preview. What is stored
 * (and what the preview answers) holds only the markdown module's allowlist plus the wiki's
 * heading anchors; titles and names stay text; and the page and the templates list, rendered by
 * their route components from their loaders' data, hold nothing that runs.
 *
 * The whole corpus goes through the write path that renders a page's text (the wiki's markdown,
 * with its links and heading anchors). What comes after it takes the sample (tests/xss-render.ts):
 * the page component inserts that stored HTML as it is and shows the title as text, a template's
 * text becomes a page through the same write path, and the preview calls the same renderer, so
 * all 223 there proved nothing more and took most of this file's 29 s.
 */
// A wiki page's stored text may also carry ids on its headings: the table of contents' anchors.
const anchors = { headingAnchors: true };

const t = setupTestDb();
let admin: Awaited<ReturnType<typeof createUser>>;
let space: Awaited<ReturnType<typeof createSpace>>;
// The payload pages are spread over a few wikis, so each rendered page's sidebar tree stays small.
let spaces: Array<Awaited<ReturnType<typeof createSpace>>>;
// The admin's pages rendered as a member's browser would show them (no admin controls).
let reader: { id: number; name: string; role: string };
/** The pages the first test wrote from the sample's payloads. */
const samplePages = new Set<number>();

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Xena Admin" }, "admin");
  space = await createSpace(t.db, { slug: "wiki-xss" });
  reader = { ...admin, role: "member" };
  spaces = [space];
  for (let i = 1; i < 8; i++) spaces.push(await createSpace(t.db, { slug: `wiki-xss-${i}` }));
});

describe("every XSS payload through the wiki comes out inert", () => {
  test("a page's title and text are stored inert", { timeout: 120_000 }, async () => {
    let payloadTitles = 0;
    let stored = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const body = payload.trim() ? payload : `${payload}padded`;
      const titled = NewPageSchema.shape.title.safeParse(payload);
      const input = (title: string) => NewPageSchema.parse({ title, body, tags: "", parentId: "" });
      // A title the form accepts is tried as typed; taken or refused, the text still goes in under a plain one.
      const wiki = spaces[i % spaces.length]!.slug;
      let result = titled.success ? await refusedOrStored(() => createPage(t.db, admin, wiki, input(payload))) : null;
      if (result) payloadTitles++;
      result ??= await refusedOrStored(() => createPage(t.db, admin, wiki, input(`Payload page ${i}`)));
      if (result) stored++;
      if (result && sample.some((p) => p.payload === payload)) samplePages.add(result.id);
    }
    expect(stored).toBeGreaterThan(200);
    expect(payloadTitles).toBeGreaterThan(20);
    const rows = await t.db
      .select()
      .from(wikiPages)
      .where(
        inArray(
          wikiPages.spaceId,
          spaces.map((s) => s.id),
        ),
      );
    for (const row of rows) {
      expect(problems(row.bodyHtml, anchors), row.body).toEqual([]);
      expect(rendersAsText(row.title), row.title).toBe(true);
      for (const entry of row.toc) expect(rendersAsText(entry.text)).toBe(true);
    }
  });

  test("the page as people see it (its route's loader and component) runs nothing", async () => {
    const rows = await t.db
      .select()
      .from(wikiPages)
      .where(inArray(wikiPages.id, [...samplePages]));
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) {
      const data = await pageLoader({
        request: await requestAs(t.db, admin, `/wiki/${row.id}/${row.slug}`),
        context: routeContext(t.db).context,
        params: { pageId: String(row.id), slug: row.slug },
      } as never);
      const html = renderRoute(WikiPageRoute as ComponentType<never>, data, reader);
      expect(executable(html), row.body).toEqual([]);
      const doc = parseScreen(html);
      expect(doc.querySelector("h1")?.textContent).toBe(row.title);
      const body = doc.querySelector("article .prose-commons");
      expect(body, "the page's text is on the page").not.toBeNull();
      expect(problems(body!.innerHTML, anchors), row.body).toEqual([]);
    }
  });

  test("a template's name, description and text, and a page written from it", async () => {
    let named = 0;
    const ids: number[] = [];
    for (const [i, { payload }] of sample.entries()) {
      const fields = (name: string) => ({ space: "", name, description: payload.slice(0, 200), body: payload.trim() ? payload : `${payload}padded` });
      const asNamed = NewTemplateSchema.safeParse(fields(payload));
      let result = asNamed.success ? await refusedOrStored(() => createTemplate(t.db, admin, asNamed.data)) : null;
      if (result) named++;
      const plain = NewTemplateSchema.safeParse(fields(`Payload template ${i}`));
      if (!result && plain.success) result = await refusedOrStored(() => createTemplate(t.db, admin, plain.data));
      if (result) ids.push(result.id);
    }
    expect(ids.length).toBeGreaterThan(15);
    expect(named).toBeGreaterThan(5);
    const templateSpace = await createSpace(t.db);
    const rows = await t.db.select().from(wikiTemplates);
    for (const [i, row] of rows.entries()) {
      expect(rendersAsText(row.name), row.name).toBe(true);
      expect(rendersAsText(row.description), row.description).toBe(true);
      // The new page form starts from the template's text as it is.
      const page = await refusedOrStored(() => createPage(t.db, admin, templateSpace.slug, NewPageSchema.parse({ title: `From template ${i}`, body: row.body, tags: "" })));
      if (!page) continue;
      const [stored] = await t.db.select({ bodyHtml: wikiPages.bodyHtml }).from(wikiPages).where(eq(wikiPages.id, page.id));
      expect(problems(stored!.bodyHtml, anchors), row.body).toEqual([]);
    }
    // The templates list, every page of it, shows names, descriptions and texts as text.
    for (let page = 1; page <= Math.ceil(rows.length / 50); page++) {
      const data = await templatesLoader({ request: await requestAs(t.db, admin, `/wiki/templates?page=${page}`), context: routeContext(t.db).context, params: {} } as never);
      const html = renderRoute(TemplatesRoute as ComponentType<never>, data, reader);
      expect(executable(html), `templates page ${page}`).toEqual([]);
    }
  });

  test("the live preview answers inert HTML", async () => {
    let rendered = 0;
    for (const { payload } of sample) {
      const response = (await previewAction({
        request: await postAs(t.db, admin, "/api/preview", { text: payload, space: space.slug }),
        context: routeContext(t.db).context,
        params: {},
      } as never)) as Response;
      const body = (await response.json()) as { html?: string };
      if (response.status !== 200) continue;
      rendered++;
      expect(problems(body.html!, anchors), payload).toEqual([]);
    }
    expect(rendered).toBeGreaterThan(15);
  });
});

describe("the checkers themselves", () => {
  test("find what they are meant to find", () => {
    expect(problems('<h2 id="h-setup">Setup</h2><p><a href="/wiki/1/x" rel="nofollow">x</a></p>', anchors)).toEqual([]);
    expect(problems('<p id="h-setup">x</p>', anchors)).toContain("attribute id on <p>");
    expect(problems('<span class="evil">x</span>', anchors)).toContain("element <span> (http://www.w3.org/1999/xhtml)");
    expect(problems('<h2 id="main">x</h2>', anchors)).toContain("attribute id on <h2>");
    expect(problems("<img src=x onerror=alert(1)>", anchors)).toContain("handler onerror on <img>");
    expect(executable('<a href="javascript:alert(1)">x</a>')).toEqual(["href on <a>"]);
    expect(executable("<div onclick=alert(1)></div>")).toEqual(["handler onclick on <div>"]);
    expect(executable('<svg viewBox="0 0 1 1"><path d="M0 0"></path></svg><a href="/wiki">ok</a>')).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import type { AppLoadContext } from "react-router";
import { describe, expect, test } from "vitest";
import { tags, users } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { recordReputation } from "#app/features/reputation/ledger.server.ts";
import { DEFAULT_REPUTATION_RULES, saveReputationRules } from "#app/features/reputation/rules.server.ts";
import { TAGS_PAGE_SIZE, tagIndex, tagPage, tagSuggestions, updateTagDescription } from "#app/features/qa/tags.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { removeSpaceMember } from "#app/features/spaces/spaces.server.ts";
import { loader as apiTagsLoader } from "#app/routes/api/tags.ts";
import { action as editAction, loader as editLoader } from "#app/routes/tags/edit.tsx";
import { action as followAction } from "#app/routes/tags/follow.ts";
import { loader as indexLoader } from "#app/routes/tags/index.tsx";
import { loader as tagLoader } from "#app/routes/tags/tag.tsx";
import { setupTestDb } from "#tests/db.ts";
import { answered, requestAs, routeContext, thrownStatus } from "#tests/helpers.ts";
import { createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

let unique = 0;
const freshTag = (stem: string) => `${stem}-${++unique}-${Math.random().toString(36).slice(2, 7)}`;

/** Reputation paid in a space, through the ledger as votes and accepts pay it. */
async function earn(user: { id: number }, space: { id: number }, delta: number) {
  await t.db.transaction((tx) => recordReputation(tx, { userId: user.id, reason: "imported", delta, actorId: null, itemId: null, spaceId: space.id, tagIds: [], countsTowardCap: false }));
}

async function storedTag(name: string) {
  const [row] = await t.db.select().from(tags).where(eq(tags.name, name));
  return row!;
}

describe("editing a tag's description", () => {
  test("moderators, admins and people with the create-tag privilege may; others get a 403 and nothing changes", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const name = freshTag("perm");
    await createQuestion(t.db, { author: asker, space, tags: [name] });

    const newcomer = await createUser(t.db);
    await earn(newcomer, space, DEFAULT_REPUTATION_RULES.thresholds.createTag - 1);
    expect(await thrownStatus(updateTagDescription(t.db, newcomer, name, { description: "Mine now" }))).toBe(403);
    expect((await storedTag(name)).description).toBe("");

    const experienced = await createUser(t.db);
    await earn(experienced, space, DEFAULT_REPUTATION_RULES.thresholds.createTag);
    const moderator = await createUser(t.db, {}, "moderator");
    const admin = await createUser(t.db, {}, "admin");
    for (const [who, text] of [
      [experienced, "By reputation"],
      [moderator, "By a moderator"],
      [admin, "By an admin"],
    ] as const) {
      const saved = await updateTagDescription(t.db, who, name, { description: text });
      expect(saved).toEqual({ name, description: text, descriptionHtml: `<p>${text}</p>\n` });
      expect((await storedTag(name)).description).toBe(text);
    }

    // The threshold is configurable: lowering it lets the newcomer in.
    await saveReputationRules(t.db, admin, { ...DEFAULT_REPUTATION_RULES, thresholds: { ...DEFAULT_REPUTATION_RULES.thresholds, createTag: 1 } });
    try {
      const lowRep = await createUser(t.db);
      await earn(lowRep, space, 1);
      expect((await updateTagDescription(t.db, lowRep, name, { description: "Lower bar" })).description).toBe("Lower bar");
      expect((await tagPage(t.db, lowRep, name)).canEdit).toBe(true);
      expect((await tagPage(t.db, await createUser(t.db), name)).canEdit).toBe(false);
    } finally {
      await saveReputationRules(t.db, admin, DEFAULT_REPUTATION_RULES);
    }
  });

  test("a tag only used in a space the editor cannot see answers 404, even to a site moderator", async () => {
    const member = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    const name = freshTag("secret");
    await createQuestion(t.db, { author: member, space: secret, tags: [name] });
    const moderator = await createUser(t.db, {}, "moderator");
    expect(await thrownStatus(updateTagDescription(t.db, moderator, name, { description: "Peek" }))).toBe(404);
    expect(await thrownStatus(updateTagDescription(t.db, moderator, "never-existed-tag", { description: "Peek" }))).toBe(404);
    const admin = await createUser(t.db, {}, "admin");
    expect((await updateTagDescription(t.db, admin, name, { description: "Seen by admins" })).description).toBe("Seen by admins");
  });

  test("markdown is rendered and sanitized; the excerpt is plain text; an empty description removes it", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const name = freshTag("md");
    await createQuestion(t.db, { author: asker, space, tags: [name] });
    const admin = await createUser(t.db, {}, "admin");
    const saved = await updateTagDescription(t.db, admin, name, { description: "Use for **Postgres** backups & <restores>.\r\n\r\nSee [the runbook](https://wiki.example/db)." });
    expect(saved.descriptionHtml).toBe(
      '<p>Use for <strong>Postgres</strong> backups &amp; .</p>\n<p>See <a href="https://wiki.example/db" rel="nofollow noopener noreferrer">the runbook</a>.</p>\n',
    );
    expect(saved.description).toBe("Use for **Postgres** backups & <restores>.\n\nSee [the runbook](https://wiki.example/db).");
    const [suggestion] = await tagSuggestions(t.db, asker, { q: name });
    expect(suggestion!.excerpt).toBe("Use for Postgres backups & . See the runbook .");
    expect((await tagIndex(t.db, asker, { q: name, sort: "name", page: 1 })).tags[0]!.excerpt).toBe(suggestion!.excerpt);
    expect((await tagPage(t.db, asker, name)).tag.descriptionHtml).toBe(saved.descriptionHtml);

    const cleared = await updateTagDescription(t.db, admin, name, { description: "   " });
    expect(cleared).toEqual({ name, description: "", descriptionHtml: "" });
  });

  test("text over the limits comes back as a field error, and nothing is stored", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const name = freshTag("limits");
    await createQuestion(t.db, { author: asker, space, tags: [name] });
    const admin = await createUser(t.db, {}, "admin");
    for (const description of ["x".repeat(5001), ">".repeat(2048)]) {
      const error = await updateTagDescription(t.db, admin, name, { description }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).fieldErrors.description).toBeTruthy();
    }
    expect((await storedTag(name)).description).toBe("");
  });

  test("XSS payloads are stored inert", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const name = freshTag("xss");
    await createQuestion(t.db, { author: asker, space, tags: [name] });
    const admin = await createUser(t.db, {}, "admin");
    const payloads = (JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ payload: string }>).map((p) => p.payload);
    const { document } = new JSDOM("").window;
    let stored = 0;
    for (const payload of payloads) {
      let html: string;
      try {
        html = (await updateTagDescription(t.db, admin, name, { description: payload })).descriptionHtml;
      } catch (error) {
        // Refused with a message (too deep, too long) is safe too.
        expect(error).toBeInstanceOf(InputError);
        continue;
      }
      stored += 1;
      const template = document.createElement("template");
      template.innerHTML = html;
      for (const element of template.content.querySelectorAll("*")) {
        expect(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "STYLE", "SVG", "MATH", "FORM", "LINK", "META", "BASE"], payload).not.toContain(element.tagName.toUpperCase());
        for (const attr of element.attributes) {
          expect(attr.name.startsWith("on") || attr.name === "style" || attr.name === "srcdoc", `${attr.name} in ${payload}`).toBe(false);
          if (attr.name === "href" || attr.name === "src") expect(attr.value, payload).not.toMatch(/^\s*(javascript|data|vbscript):/i);
        }
      }
      expect((await storedTag(name)).descriptionHtml).toBe(html);
    }
    expect(stored).toBeGreaterThan(200);
  });

  test("the edit page: 403 for people without the privilege; the form saves and returns to the tag, or comes back with the error and the text", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const name = freshTag("route");
    await createQuestion(t.db, { author: asker, space, tags: [name] });
    const moderator = await createUser(t.db, {}, "moderator");
    const context = () => ({ db: t.db }) as unknown as AppLoadContext;
    const request = async (user: { id: number }, body?: Record<string, string>) =>
      new Request(`http://localhost/tags/${name}/edit`, {
        method: body ? "POST" : "GET",
        headers: { cookie: `${SESSION_COOKIE}=${(await createSession(t.db, user.id)).token}`, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
        ...(body ? { body: new URLSearchParams(body).toString() } : {}),
      });
    expect(await thrownStatus(editLoader({ request: await request(asker), context: context(), params: { name } } as never))).toBe(403);
    expect(await editLoader({ request: await request(moderator), context: context(), params: { name } } as never)).toEqual({ tag: { name, description: "" } });

    const saved = await editAction({ request: await request(moderator, { intent: "save-tag", description: "Saved _here_" }), context: context(), params: { name } } as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(saved).toBeInstanceOf(Response);
    expect((saved as Response).headers.get("Location")).toBe(`/tags/${name}`);
    expect((await storedTag(name)).descriptionHtml).toBe("<p>Saved <em>here</em></p>\n");

    const tooLong = "y".repeat(5001);
    const failed = (await editAction({ request: await request(moderator, { intent: "save-tag", description: tooLong }), context: context(), params: { name } } as never)) as {
      data: { ok: boolean; fieldErrors: Record<string, string>; values: Record<string, string> };
      init: { status: number };
    };
    expect(failed.init.status).toBe(400);
    expect(failed.data.fieldErrors.description).toMatch(/at most 5,000/);
    expect(failed.data.values.description).toBe(tooLong);
  });
});

describe("tag pages and counts", () => {
  test("a tag's count is the sum over the spaces the reader can see", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const a = await createSpace(t.db);
    const b = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    const name = freshTag("sum");
    for (const space of [a, a, b, secret, secret, secret]) await createQuestion(t.db, { author: member, space, tags: [name] });
    expect((await tagPage(t.db, outsider, name)).tag.questionCount).toBe(3);
    expect((await tagPage(t.db, member, name)).tag.questionCount).toBe(6);
    expect((await tagIndex(t.db, outsider, { q: name, sort: "popular", page: 1 })).tags).toEqual([{ name, questionCount: 3, excerpt: "" }]);
    expect((await tagIndex(t.db, member, { q: name, sort: "popular", page: 1 })).tags).toEqual([{ name, questionCount: 6, excerpt: "" }]);
  });

  test("a tag with no question the reader can see is a 404, described or not, and is not in the index", async () => {
    const name = freshTag("described");
    await createTags(t.db, [name]);
    const reader = await createUser(t.db);
    expect(await thrownStatus(tagPage(t.db, reader, name))).toBe(404);
    // A description is no way in: it was written about questions the reader cannot see.
    await t.db.update(tags).set({ description: "About it", descriptionHtml: "<p>About it</p>\n" }).where(eq(tags.name, name));
    expect(await thrownStatus(tagPage(t.db, reader, name))).toBe(404);
    expect((await tagIndex(t.db, reader, { q: name, sort: "name", page: 1 })).tags).toEqual([]);
    // Customers see no tags at all.
    const customer = await createUser(t.db, {}, "customer");
    expect(await thrownStatus(tagPage(t.db, customer, name))).toBe(404);
  });

  test("the index sorts by use or name, filters by a substring taken literally, and pages", async () => {
    const user = await createUser(t.db);
    const space = await createSpace(t.db);
    const stem = freshTag("idx");
    const names = [`${stem}-b`, `${stem}-a`, `${stem}-c`];
    await createQuestion(t.db, { author: user, space, tags: [names[0]!] });
    await createQuestion(t.db, { author: user, space, tags: [names[0]!, names[2]!] });
    await createQuestion(t.db, { author: user, space, tags: [names[1]!, names[2]!] });
    await createQuestion(t.db, { author: user, space, tags: [names[2]!] });
    const popular = await tagIndex(t.db, user, { q: stem, sort: "popular", page: 1 });
    expect(popular.tags.map((x) => [x.name, x.questionCount])).toEqual([
      [`${stem}-c`, 3],
      [`${stem}-b`, 2],
      [`${stem}-a`, 1],
    ]);
    expect(popular.total).toBe(3);
    expect((await tagIndex(t.db, user, { q: stem.toUpperCase(), sort: "name", page: 1 })).tags.map((x) => x.name)).toEqual([`${stem}-a`, `${stem}-b`, `${stem}-c`]);
    expect((await tagIndex(t.db, user, { q: "%", sort: "name", page: 1 })).tags).toEqual([]);
    expect((await tagIndex(t.db, user, { q: "_", sort: "name", page: 1 })).tags).toEqual([]);

    // Paging: enough tags for two pages.
    const many = Array.from({ length: TAGS_PAGE_SIZE + 2 }, (_, i) => `${stem}-m${String(i).padStart(2, "0")}`);
    for (let i = 0; i < many.length; i += 5) await createQuestion(t.db, { author: user, space, tags: many.slice(i, i + 5) });
    const page1 = await tagIndex(t.db, user, { q: `${stem}-m`, sort: "name", page: 1 });
    const page2 = await tagIndex(t.db, user, { q: `${stem}-m`, sort: "name", page: 2 });
    expect(page1.total).toBe(many.length);
    expect([...page1.tags, ...page2.tags].map((x) => x.name)).toEqual(many);
  });
});

describe("the create-tags privilege is held in a space where the tag is used", () => {
  test("reputation counts only where the tag is used and the editor can see; the stored total alone, or reputation elsewhere, does not", async () => {
    const asker = await createUser(t.db);
    const admin = await createUser(t.db, {}, "admin");
    const spaceModerator = await createUser(t.db);
    const elsewhereModerator = await createUser(t.db);
    const formerMember = await createUser(t.db);
    const used = await createSpace(t.db, { moderators: [spaceModerator] });
    const unused = await createSpace(t.db, { moderators: [elsewhereModerator] });
    const secret = await createSpace(t.db, { members: [asker, formerMember] }, "restricted");
    const name = freshTag("privilege");
    await createQuestion(t.db, { author: asker, space: used, tags: [name] });
    await createQuestion(t.db, { author: asker, space: secret, tags: [name] });
    const threshold = DEFAULT_REPUTATION_RULES.thresholds.createTag;
    const allowed = async (who: Parameters<typeof tagPage>[1]) => {
      const canEdit = (await tagPage(t.db, who, name)).canEdit;
      const saved = (await thrownStatus(updateTagDescription(t.db, who, name, { description: `By ${who.id}` }))) === null;
      expect(saved).toBe(canEdit);
      return saved;
    };

    // A big total with nothing behind it in the ledger, or earned in a space that does not use the tag.
    expect(await allowed(await createUser(t.db, { reputation: threshold * 10 }))).toBe(false);
    const elsewhere = await createUser(t.db);
    await earn(elsewhere, unused, threshold);
    expect(await allowed({ ...elsewhere, reputation: threshold })).toBe(false);
    expect(await allowed(elsewhereModerator)).toBe(false);

    const local = await createUser(t.db);
    await earn(local, used, threshold);
    expect(await allowed({ ...local, reputation: threshold })).toBe(true);
    expect(await allowed(spaceModerator)).toBe(true);

    // Earned in the restricted space: counts while the editor may see it, not after they leave.
    await earn(formerMember, secret, threshold);
    expect(await allowed({ ...formerMember, reputation: threshold })).toBe(true);
    await removeSpaceMember(t.db, admin, secret.id, formerMember.id);
    expect(await allowed({ ...formerMember, reputation: threshold })).toBe(false);
  });
});

describe("a tag used only in a restricted space, through the routes", () => {
  test("its page, edit page, follow, the index and autocomplete know it for members only: a 404 or absent for others, a redirect or 401 for customers and deactivated accounts", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const siteModerator = await createUser(t.db, {}, "moderator");
    const customer = await createUser(t.db, {}, "customer");
    const deactivated = await createUser(t.db);
    const secret = await createSpace(t.db, { moderators: [member], members: [deactivated] }, "restricted");
    const name = freshTag("covert");
    await createQuestion(t.db, { author: member, space: secret, tags: [name] });
    await updateTagDescription(t.db, member, name, { description: "Everything about the covert merger." });
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, deactivated.id));

    const run = async (loader: (args: never) => unknown, who: { id: number }, path: string, init?: { form: Record<string, string> }) => {
      const request = await requestAs(t.db, who, path);
      const sent = init
        ? new Request(request.url, {
            method: "POST",
            headers: { cookie: request.headers.get("cookie")!, "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams(init.form).toString(),
          })
        : request;
      return Promise.resolve(loader({ request: sent, context: routeContext(t.db).context, params: { name } } as never)).then(
        (value: unknown) => ({ value, status: value instanceof Response ? value.status : 200 }),
        (error: unknown) => ({ value: error, status: error instanceof Response ? error.status : ((answered(error) as { init?: { status?: number } }).init?.status ?? 500) }),
      );
    };
    const pages = {
      tag: (who: { id: number }) => run(tagLoader, who, `/tags/${name}`),
      edit: (who: { id: number }) => run(editLoader, who, `/tags/${name}/edit`),
      follow: (who: { id: number }) => run(followAction, who, `/tags/${name}/follow`, { form: { intent: "follow" } }),
      index: async (who: { id: number }) => {
        const r = await run(indexLoader, who, `/tags?q=${name}`);
        return r.status === 200 ? { ...r, names: (r.value as { tags: Array<{ name: string }> }).tags.map((x) => x.name) } : { ...r, names: [] };
      },
      api: async (who: { id: number }) => {
        const response = (await run(apiTagsLoader, who, `/api/tags?q=${name}`)).value as Response;
        return { status: response.status, text: await response.text() };
      },
    };

    expect((await pages.tag(member)).status).toBe(200);
    expect((await pages.edit(member)).status).toBe(200);
    expect((await pages.follow(member)).value).toEqual({ following: true });
    expect((await pages.index(member)).names).toEqual([name]);
    expect((await pages.api(member)).text).toContain(name);

    // A site moderator outside the space is an outsider here too.
    for (const who of [outsider, siteModerator]) {
      expect((await pages.tag(who)).status).toBe(404);
      expect((await pages.edit(who)).status).toBe(404);
      expect((await pages.follow(who)).status).toBe(404);
      expect((await pages.index(who)).names).toEqual([]);
      const api = await pages.api(who);
      expect(api.status).toBe(200);
      expect(api.text).not.toContain(name);
    }
    for (const who of [customer, deactivated]) {
      for (const page of [pages.tag, pages.edit, pages.follow, pages.index]) {
        const r = await page(who);
        expect(r.status).toBeGreaterThanOrEqual(300);
        expect(r.status).toBeLessThan(400);
      }
      expect((await pages.api(who)).status).toBe(401);
    }
  });
});

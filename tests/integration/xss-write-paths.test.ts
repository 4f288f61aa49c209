import { readFileSync } from "node:fs";
import { and, eq, inArray } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, test } from "vitest";
import { comments, posts, revisions, tags, users } from "#db/schema/index.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { redactRevision } from "#app/features/moderation/redaction.server.ts";
import { RedactSchema, redactionNotice } from "#app/features/moderation/redaction-schema.ts";
import { addComment, askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { AnswerSchema, AskSchema, CommentSchema, EditQuestionSchema, TAG_PATTERN, TagsField } from "#app/features/qa/schemas.ts";
import { updateTagDescription } from "#app/features/qa/tags.server.ts";
import { updateOwnProfile } from "#app/features/users/profiles.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { storedPost } from "#tests/helpers.ts";
import { createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { SAFE_ATTRS, SAFE_TAGS } from "../xss-allowlist.ts";

/**
 * Every DOMPurify XSS payload, written through every write path that stores text people wrote,
 * comes out inert in what is STORED: the HTML holds only the markdown module's allowlist, no event
 * handler, no URL with a scheme other than http, https and mailto; titles, tags and bios stay text.
 * The same HTML parsed a second time (as a browser does when it inserts it) is checked again, so a
 * sanitized string that mutates into something else on re-parsing (mutation XSS) fails too.
 */

const payloads = JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;

const NEVER = [
  "script",
  "style",
  "iframe",
  "frame",
  "svg",
  "math",
  "form",
  "object",
  "embed",
  "link",
  "meta",
  "base",
  "template",
  "noscript",
  "textarea",
  "button",
  "select",
  "video",
  "audio",
  "source",
];
// Browsers ignore control characters and spaces inside a URL's scheme.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const URL_IGNORED = /[\u0000-\u0020\u00a0]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

const window = new JSDOM("").window;

/** What is wrong with `html` as stored output of the markdown module; empty when it is inert. */
function problems(html: string): string[] {
  const found: string[] = [];
  const check = (root: Element) => {
    for (const name of NEVER) if (root.querySelector(name)) found.push(`<${name}>`);
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      if (!SAFE_TAGS.has(tag) || el.namespaceURI !== "http://www.w3.org/1999/xhtml") found.push(`element <${tag}> (${el.namespaceURI})`);
      if (tag === "input" && (el.getAttribute("type") !== "checkbox" || !el.hasAttribute("disabled"))) found.push("an input that is not a disabled checkbox");
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) found.push(`handler ${name} on <${tag}>`);
        if (!SAFE_ATTRS.has(name)) found.push(`attribute ${name} on <${tag}>`);
        if (name === "href" || name === "src") {
          const scheme = SCHEME.exec(attr.value.replace(URL_IGNORED, ""))?.[1]?.toLowerCase();
          if (scheme !== undefined && !["http", "https", "mailto"].includes(scheme)) found.push(`${name}="${attr.value.slice(0, 60)}" on <${tag}>`);
        }
        if (name === "class" && !(tag === "code" && /^language-[\w+#.-]+$/.test(attr.value))) found.push(`class="${attr.value}" on <${tag}>`);
      }
    }
  };
  const first = window.document.createElement("div");
  first.innerHTML = html;
  check(first);
  // What a browser builds from the serialized result must be just as inert.
  const second = window.document.createElement("div");
  second.innerHTML = first.innerHTML;
  check(second);
  // On a page the HTML sits in a div inside other markup (a comment is a list item): parsed there,
  // it must stay inside its div and leave what follows it in place.
  const page = new JSDOM(`<!doctype html><body><ul id="list"><li id="item"><div id="post">${html}</div><span id="after"></span></li></ul></body>`).window.document;
  const post = page.getElementById("post");
  if (page.getElementById("after")?.previousElementSibling !== post || post?.parentElement?.id !== "item" || page.getElementById("list")?.children.length !== 1) {
    found.push("escapes its container when the page is parsed");
  }
  return [...new Set(found)];
}

/** Plain text rendered the way React renders it: one text node, no element. */
function rendersAsText(text: string): boolean {
  const el = window.document.createElement("div");
  el.innerHTML = renderToStaticMarkup(createElement("p", null, text));
  const p = el.firstElementChild;
  // The HTML parser turns a lone carriage return into a line feed: that is not markup.
  return el.children.length === 1 && p !== null && p.children.length === 0 && p.textContent === text.replace(/\r\n?/g, "\n");
}

/** Markdown inputs below a form's minimum length get a trailing paragraph, so every payload reaches the renderer. */
function atLeast(text: string, min: number): string {
  return text.trim().length >= min ? text : `${text}\n\npadded to the minimum length`;
}

async function refusedOrStored<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InputError) return null; // refused with a message for the writer: nothing stored
    throw error;
  }
}

const t = setupTestDb();
let author: Awaited<ReturnType<typeof createUser>>;
let space: Awaited<ReturnType<typeof createSpace>>;

beforeAll(async () => {
  // A moderator may create tags and describe them, so tag input reaches the database when the form accepts it.
  author = await createUser(t.db, { name: "Xavier Ross" }, "moderator");
  space = await createSpace(t.db, { slug: "xss" });
  await createTags(t.db, ["xss"]);
});

describe("every XSS payload, through every write path, is stored inert", () => {
  test("there are 223 payloads", () => {
    expect(payloads).toHaveLength(223);
  });

  test("asking: the body as markdown, and the payload as title and as tags", async () => {
    let titles = 0;
    const asked = new Map<number, string>();
    for (const { payload } of payloads) {
      const title = AskSchema.shape.title.safeParse(payload);
      const tagInput = TagsField.safeParse(payload);
      if (tagInput.success) for (const tag of tagInput.data) expect(tag).toMatch(TAG_PATTERN);
      const input = AskSchema.parse({
        space: space.slug,
        title: title.success ? payload : "A question about a payload",
        body: atLeast(payload, 20),
        tags: tagInput.success ? payload : "xss",
      });
      const result = await refusedOrStored(() => askQuestion(t.db, author, input));
      if (result) asked.set(result.id, input.title);
    }
    const stored = await t.db
      .select()
      .from(posts)
      .where(inArray(posts.id, [...asked.keys()]));
    expect(stored.length).toBeGreaterThan(200);
    for (const row of stored) {
      expect(problems(row.bodyHtml), row.body).toEqual([]);
      // The title is kept as the text the form accepted, and renders as text.
      expect(row.title).toBe(asked.get(row.id));
      expect(rendersAsText(row.title!), row.title!).toBe(true);
      if (row.title !== "A question about a payload") titles++;
      for (const tag of row.tags) expect(tag).toMatch(TAG_PATTERN);
    }
    // Titles that fit the length limits were stored (and checked), so the test did exercise that path.
    expect(titles).toBeGreaterThan(20);
    const allTags = await t.db.select({ name: tags.name }).from(tags);
    for (const { name } of allTags) expect(name).toMatch(TAG_PATTERN);
  });

  test("answering", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    for (const { payload } of payloads) {
      await refusedOrStored(() => postAnswer(t.db, author, questionId, AnswerSchema.parse({ body: atLeast(payload, 20) })));
    }
    const stored = await t.db.select({ body: posts.body, bodyHtml: posts.bodyHtml }).from(posts).where(eq(posts.parentId, questionId));
    for (const row of stored) expect(problems(row.bodyHtml), row.body).toEqual([]);
    expect(stored.length).toBeGreaterThan(200);
  });

  test("commenting", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    for (const { payload } of payloads) {
      const input = CommentSchema.safeParse({ body: payload });
      // Longer than a comment may be: the form refuses it, so nothing of it is stored.
      if (input.success) await refusedOrStored(() => addComment(t.db, author, questionId, input.data));
    }
    const { itemId } = await storedPost(t.db, questionId);
    const stored = await t.db.select({ body: comments.body, bodyHtml: comments.bodyHtml }).from(comments).where(eq(comments.itemId, itemId));
    for (const row of stored) expect(problems(row.bodyHtml), row.body).toEqual([]);
    expect(stored.length).toBeGreaterThan(150);
  });

  test("editing a question: body, title and tags", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    let stored = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const title = AskSchema.shape.title.safeParse(payload);
      const tagInput = TagsField.safeParse(payload);
      const input = EditQuestionSchema.parse({
        // A different title each time, so no edit is refused for changing nothing.
        title: title.success ? payload : `Edited question number ${i}`,
        body: atLeast(`${payload}\n\n<!-- ${i} -->`, 20),
        tags: tagInput.success ? payload : "xss",
        comment: payload.slice(0, 100),
      });
      const result = await refusedOrStored(() => editPost(t.db, author, questionId, input));
      if (!result) continue;
      stored++;
      const [row] = await t.db.select().from(posts).where(eq(posts.id, questionId));
      expect(problems(row!.bodyHtml), payload).toEqual([]);
      expect(row!.title).toBe(input.title);
      expect(rendersAsText(row!.title!)).toBe(true);
      for (const tag of row!.tags) expect(tag).toMatch(TAG_PATTERN);
    }
    expect(stored).toBeGreaterThan(200);
  });

  test("describing a tag", async () => {
    let stored = 0;
    for (const { payload } of payloads) {
      const result = await refusedOrStored(() => updateTagDescription(t.db, author, "xss", { description: payload }));
      if (!result) continue;
      stored++;
      const [row] = await t.db.select({ descriptionHtml: tags.descriptionHtml }).from(tags).where(eq(tags.name, "xss"));
      expect(problems(row!.descriptionHtml), payload).toEqual([]);
    }
    expect(stored).toBeGreaterThan(200);
  });

  test("redacting a revision: the reason becomes its text, which renders as text and, rolled back to, as inert markdown", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    const { itemId } = await storedPost(t.db, questionId);
    let stored = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const parsed = RedactSchema.safeParse({ revision: String(i + 1), reason: payload });
      // Each round adds a revision, so the one before it is no longer current and may be redacted.
      await editPost(t.db, author, questionId, { body: `Edited text number ${i}, long enough to pass.`, comment: "" });
      if (!parsed.success) continue;
      const result = await refusedOrStored(() => redactRevision(t.db, author, itemId, parsed.data));
      if (!result) continue;
      stored++;
      const [row] = await t.db
        .select()
        .from(revisions)
        .where(and(eq(revisions.itemId, itemId), eq(revisions.number, i + 1)));
      expect(row!.body).toBe(redactionNotice(parsed.data.reason));
      expect(rendersAsText(row!.body), payload).toBe(true);
      expect(rendersAsText(row!.title!), payload).toBe(true);
      expect(problems(renderField(row!.body)), payload).toEqual([]);
    }
    expect(stored).toBeGreaterThan(200);
  });

  test("the profile bio is stored as typed and renders as text", async () => {
    const person = await createUser(t.db, { name: "Yara Quinn" });
    let stored = 0;
    for (const { payload } of payloads) {
      const result = await refusedOrStored(() => updateOwnProfile(t.db, person, { name: "Yara Quinn", title: "", department: "", location: "", bio: payload, managerId: null }));
      if (!result) continue;
      stored++;
      const [row] = await t.db.select({ bio: users.bio }).from(users).where(eq(users.id, person.id));
      expect(row!.bio).toBe(result.bio);
      expect(rendersAsText(row!.bio), payload).toBe(true);
    }
    expect(stored).toBeGreaterThan(150);
  });
});

describe("the checker itself", () => {
  test("finds what it is meant to find", () => {
    expect(problems('<p>fine <a href="https://example.com" rel="nofollow">link</a></p>')).toEqual([]);
    expect(problems("<img src=x onerror=alert(1)>")).toContain("handler onerror on <img>");
    expect(problems('<a href="java\tscript:alert(1)">x</a>')[0]).toMatch(/^href=/);
    expect(problems("<svg><circle></circle></svg>")).toContain("<svg>");
    expect(problems('<p style="color:red">x</p>')).toContain("attribute style on <p>");
    expect(problems("<div>x</div>")).toContain("element <div> (http://www.w3.org/1999/xhtml)");
    expect(problems('<input type="text">')).toContain("an input that is not a disabled checkbox");
    expect(problems("<p>x</p><li>a list item outside a list</li>")).toContain("escapes its container when the page is parsed");
    expect(problems("<ul><li>inside a list</li></ul>")).toEqual([]);
    expect(rendersAsText("<b>bold</b>")).toBe(true);
  });
});

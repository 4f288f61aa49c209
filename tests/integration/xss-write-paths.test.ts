import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { articles, comments, posts, revisions, tags, users, wikiPages, wikiSuggestions } from "#db/schema/index.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { redactRevision } from "#app/features/moderation/redaction.server.ts";
import { RedactSchema, redactionNotice } from "#app/features/moderation/redaction-schema.ts";
import { addComment, askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { AnswerSchema, AskSchema, CommentSchema, EditQuestionSchema, TAG_PATTERN, TagsField } from "#app/features/qa/schemas.ts";
import { updateTagDescription } from "#app/features/qa/tags.server.ts";
import { updateOwnProfile } from "#app/features/users/profiles.server.ts";
import { createArticle, editArticle } from "#app/features/articles/articles.server.ts";
import { ArticleSchema, EditArticleSchema } from "#app/features/articles/schemas.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { DeclineSchema, SuggestSchema } from "#app/features/wiki/governance-schemas.ts";
import { creditBlock, markdownText, promoteAnswer } from "#app/features/wiki/promotion.server.ts";
import { reviewSuggestion, submitSuggestion } from "#app/features/wiki/suggestions.server.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { setupTestDb } from "#tests/db.ts";
import { storedPost } from "#tests/helpers.ts";
import { createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { parseScreen, payloads, problems, refusedOrStored, rendersAsText, sample, SAMPLE_TITLES } from "#tests/xss-render.ts";

/**
 * Every DOMPurify XSS payload, written through every write path that stores text people wrote,
 * comes out inert in what is STORED: the HTML holds only the markdown module's allowlist, no event
 * handler, no URL with a scheme other than http, https and mailto; titles, tags and bios stay text.
 * The same HTML parsed a second time (as a browser does when it inserts it) is checked again, so a
 * sanitized string that mutates into something else on re-parsing (mutation XSS) fails too. The
 * checks themselves are shared with the other XSS tests, in tests/xss-render.ts.
 *
 * Each rule once, at the cheapest level that proves it. What makes a payload inert is the markdown
 * module (renderField) for markdown fields, and React's escaping for plain text; both are pure, so
 * the whole corpus goes through them first, with no database. The write paths then take a sample
 * (`sample` in tests/xss-render.ts, one payload of each kind plus every 16th), enough to prove each stores exactly what
 * renderField made of the text (or the text as typed): all 223 through every path took 98 s of
 * `npm test` and proved nothing more.
 */

/** What the markdown module stores for a text, or null when it refuses it with a message. */
function rendered(text: string): string | null {
  try {
    return renderField(text);
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

/** Markdown inputs below a form's minimum length get a trailing paragraph, so every payload reaches the renderer. */
function atLeast(text: string, min: number): string {
  return text.trim().length >= min ? text : `${text}\n\npadded to the minimum length`;
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

describe("every XSS payload, through the markdown module and as plain text, is inert", () => {
  test("there are 223 payloads, and the sample holds 22 of them", () => {
    expect(payloads).toHaveLength(223);
    expect(sample.map((p) => p.title)).toEqual(expect.arrayContaining(SAMPLE_TITLES));
    expect(sample).toHaveLength(22);
  });

  test("renderField, which every markdown write path below stores the output of, makes every payload inert (padded as the forms need; a tag's description is the same call)", () => {
    let stored = 0;
    for (const { payload } of payloads) {
      const html = rendered(atLeast(payload, 20));
      if (html === null) continue;
      stored++;
      expect(problems(html), payload).toEqual([]);
    }
    expect(stored).toBeGreaterThan(200);
  });

  // KaTeX's output is placed after the sanitizer has run, so it gets the whole checker here,
  // re-parsing included. Each formula costs over half a second of rendering and checking on a busy
  // machine, so this takes the sample; all 223 payloads go through $…$ and $$…$$ at the unit level
  // (app/lib/markdown.server.test.ts, against the same allowlist).
  test("math: the sample inside $…$ and $$…$$, as an answer's body, is rendered by KaTeX and inert", () => {
    let formulas = 0;
    for (const { payload } of sample) {
      const tex = payload.replace(/\$/g, "");
      const body = `Inline $${tex}$ and on its own:\n\n$$\n${tex}\n$$\n\nand ${payload} between $x$ and $y$.`;
      if (!AnswerSchema.safeParse({ body }).success) continue;
      const html = rendered(body);
      if (html === null) continue;
      expect(problems(html), body).toEqual([]);
      if (html.includes('class="katex"')) formulas++;
    }
    // The formulas were rendered, so the test did check KaTeX's output.
    expect(formulas).toBeGreaterThan(15);
  });

  test("titles, tags, comments, reasons and notes: what each form accepts of every payload renders as text, and tags keep to their pattern", () => {
    let titles = 0;
    let tagged = 0;
    for (const { payload } of payloads) {
      const title = AskSchema.shape.title.safeParse(payload);
      if (title.success) {
        titles++;
        expect(rendersAsText(title.data), payload).toBe(true);
      }
      const tagInput = TagsField.safeParse(payload);
      if (tagInput.success) {
        tagged++;
        for (const tag of tagInput.data) expect(tag).toMatch(TAG_PATTERN);
      }
      const reason = RedactSchema.safeParse({ revision: "1", reason: payload });
      if (reason.success) expect(rendersAsText(redactionNotice(reason.data.reason)), payload).toBe(true);
      const note = DeclineSchema.safeParse({ note: payload });
      if (note.success) expect(rendersAsText(note.data.note), payload).toBe(true);
      // The bio and an edit's comment are kept as typed.
      expect(rendersAsText(payload), payload).toBe(true);
      expect(rendersAsText(payload.slice(0, 100)), payload).toBe(true);
    }
    expect(titles).toBeGreaterThan(150);
    expect(tagged).toBeGreaterThan(0);
  });
});

describe("a sample of the payloads, through every write path, is stored as the markdown module made it or as typed", () => {
  test("asking: the body as markdown, and the payload as title and as tags", async () => {
    let titles = 0;
    const asked = new Map<number, string>();
    for (const { payload } of sample) {
      const title = AskSchema.shape.title.safeParse(payload);
      const tagInput = TagsField.safeParse(payload);
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
    expect(stored.length).toBeGreaterThan(20);
    for (const row of stored) {
      expect(row.bodyHtml, row.body).toBe(renderField(row.body));
      expect(problems(row.bodyHtml), row.body).toEqual([]);
      // The title is kept as the text the form accepted, and renders as text.
      expect(row.title).toBe(asked.get(row.id));
      expect(rendersAsText(row.title!), row.title!).toBe(true);
      if (row.title !== "A question about a payload") titles++;
      for (const tag of row.tags) expect(tag).toMatch(TAG_PATTERN);
    }
    // Titles that fit the length limits were stored (and checked), so the test did exercise that path.
    expect(titles).toBeGreaterThan(10);
    const allTags = await t.db.select({ name: tags.name }).from(tags);
    for (const { name } of allTags) expect(name).toMatch(TAG_PATTERN);
  });

  test("answering", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    for (const { payload } of sample) {
      await refusedOrStored(() => postAnswer(t.db, author, questionId, AnswerSchema.parse({ body: atLeast(payload, 20) })));
    }
    const stored = await t.db.select({ body: posts.body, bodyHtml: posts.bodyHtml }).from(posts).where(eq(posts.parentId, questionId));
    for (const row of stored) {
      expect(row.bodyHtml, row.body).toBe(renderField(row.body));
      expect(problems(row.bodyHtml), row.body).toEqual([]);
    }
    expect(stored.length).toBeGreaterThan(20);
  });

  test("commenting", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    for (const { payload } of sample) {
      const input = CommentSchema.safeParse({ body: payload });
      // Longer than a comment may be: the form refuses it, so nothing of it is stored.
      if (input.success) await refusedOrStored(() => addComment(t.db, author, questionId, input.data));
    }
    const { itemId } = await storedPost(t.db, questionId);
    const stored = await t.db.select({ body: comments.body, bodyHtml: comments.bodyHtml }).from(comments).where(eq(comments.itemId, itemId));
    for (const row of stored) {
      expect(row.bodyHtml, row.body).toBe(renderField(row.body));
      expect(problems(row.bodyHtml), row.body).toEqual([]);
    }
    expect(stored.length).toBeGreaterThan(15);
  });

  test("editing a question: body, title and tags", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    let stored = 0;
    for (const [i, { payload }] of sample.entries()) {
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
      expect(row!.bodyHtml, payload).toBe(renderField(row!.body));
      expect(problems(row!.bodyHtml), payload).toEqual([]);
      expect(row!.title).toBe(input.title);
      expect(rendersAsText(row!.title!)).toBe(true);
      for (const tag of row!.tags) expect(tag).toMatch(TAG_PATTERN);
    }
    expect(stored).toBeGreaterThan(20);
  });

  test("describing a tag", async () => {
    let stored = 0;
    for (const { payload } of sample) {
      const result = await refusedOrStored(() => updateTagDescription(t.db, author, "xss", { description: payload }));
      if (!result) continue;
      stored++;
      const [row] = await t.db.select({ description: tags.description, descriptionHtml: tags.descriptionHtml }).from(tags).where(eq(tags.name, "xss"));
      expect(row!.descriptionHtml, payload).toBe(row!.description === "" ? "" : renderField(row!.description!, "description"));
      expect(problems(row!.descriptionHtml), payload).toEqual([]);
    }
    expect(stored).toBeGreaterThan(20);
  });

  test("redacting a revision: the reason becomes its text, which renders as text and, rolled back to, as inert markdown", async () => {
    const questionId = await createQuestion(t.db, { author, space, tags: ["xss"] });
    const { itemId } = await storedPost(t.db, questionId);
    let stored = 0;
    for (const [i, { payload }] of sample.entries()) {
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
    expect(stored).toBeGreaterThan(15);
  });

  test("the profile bio is stored as typed and renders as text", async () => {
    const person = await createUser(t.db, { name: "Yara Quinn" });
    let stored = 0;
    for (const { payload } of sample) {
      const result = await refusedOrStored(() => updateOwnProfile(t.db, person, { name: "Yara Quinn", title: "", department: "", location: "", bio: payload, manager: "" }));
      if (!result) continue;
      stored++;
      const [row] = await t.db.select({ bio: users.bio }).from(users).where(eq(users.id, person.id));
      expect(row!.bio).toBe(result.bio);
      expect(rendersAsText(row!.bio), payload).toBe(true);
    }
    expect(stored).toBeGreaterThan(15);
  });

  test("writing and editing an article: body as markdown, the payload as title and as tags", async () => {
    const base = { space: space.slug, type: "knowledge", intent: "publish" };
    const filler = "A body long enough to pass the minimum.";
    const written = new Map<number, string>();
    for (const [i, { payload }] of sample.entries()) {
      const titleOk = ArticleSchema.safeParse({ ...base, title: payload, body: filler }).success;
      const tagsOk = ArticleSchema.safeParse({ ...base, title: "An article title", body: filler, tags: payload }).success;
      const input = ArticleSchema.parse({ ...base, title: titleOk ? payload : `An article about payload ${i}`, body: atLeast(payload, 20), tags: tagsOk ? payload : "xss" });
      const result = await refusedOrStored(() => createArticle(t.db, author, input));
      if (result) written.set(result.id, input.title);
    }
    const stored = await t.db
      .select()
      .from(articles)
      .where(inArray(articles.id, [...written.keys()]));
    expect(stored.length).toBeGreaterThan(20);
    let titles = 0;
    for (const row of stored) {
      expect(row.bodyHtml, row.body).toBe(renderField(row.body));
      expect(problems(row.bodyHtml), row.body).toEqual([]);
      expect(row.title).toBe(written.get(row.id));
      expect(rendersAsText(row.title), row.title).toBe(true);
      if (!row.title.startsWith("An article about payload")) titles++;
      for (const tag of row.tags) expect(tag).toMatch(TAG_PATTERN);
    }
    expect(titles).toBeGreaterThan(10);

    const articleId = stored[0]!.id;
    let edits = 0;
    for (const [i, { payload }] of sample.entries()) {
      const titleOk = EditArticleSchema.safeParse({ type: "how_to", title: payload, body: filler }).success;
      const tagsOk = EditArticleSchema.safeParse({ type: "how_to", title: "An article title", body: filler, tags: payload }).success;
      const input = EditArticleSchema.parse({
        type: "how_to",
        // A different title each time, so no edit is refused for changing nothing.
        title: titleOk ? payload : `Edited article number ${i}`,
        body: atLeast(`${payload}\n\n<!-- ${i} -->`, 20),
        tags: tagsOk ? payload : "xss",
        comment: payload.slice(0, 100),
      });
      const result = await refusedOrStored(() => editArticle(t.db, author, articleId, input));
      if (!result) continue;
      edits++;
      const [row] = await t.db.select().from(articles).where(eq(articles.id, articleId));
      expect(row!.bodyHtml, payload).toBe(renderField(row!.body));
      expect(problems(row!.bodyHtml), payload).toEqual([]);
      expect(row!.title).toBe(input.title);
      expect(rendersAsText(row!.title)).toBe(true);
      for (const tag of row!.tags) expect(tag).toMatch(TAG_PATTERN);
    }
    expect(edits).toBeGreaterThan(20);
  });
});

describe("wiki governance: the payloads are stored inert", () => {
  test("a suggestion's comment and the reviewer's note are stored as typed and render as text", { timeout: 120_000 }, async () => {
    const suggester = await createUser(t.db, { name: "Sasha Suggester" });
    const pageId = await createWikiPage(t.db, { author, space, title: "Payload page", body: "Start." });
    let reviewed = 0;
    for (const [i, { payload }] of sample.entries()) {
      const input = SuggestSchema.safeParse({ title: "Payload page", body: `Suggested text ${i}.`, comment: payload, baseRevision: "1" });
      if (!input.success) continue;
      const suggestion = await refusedOrStored(() => submitSuggestion(t.db, suggester, pageId, input.data));
      const note = DeclineSchema.safeParse({ note: payload });
      if (!suggestion || !note.success) continue;
      await reviewSuggestion(t.db, author, pageId, suggestion.id, { kind: i % 2 === 0 ? "decline" : "request_changes", note: note.data.note });
      reviewed++;
    }
    const stored = await t.db.select({ comment: wikiSuggestions.comment, reviewNote: wikiSuggestions.reviewNote }).from(wikiSuggestions).where(eq(wikiSuggestions.pageId, pageId));
    expect(stored.length).toBeGreaterThan(15);
    expect(reviewed).toBeGreaterThan(15);
    for (const row of stored) {
      expect(rendersAsText(row.comment), row.comment).toBe(true);
      expect(rendersAsText(row.reviewNote), row.reviewNote).toBe(true);
    }
  });

  test("the credit block of a promoted answer, with every payload as a person's name and as the question's title, is inert and says them as text", { timeout: 120_000 }, () => {
    for (const { payload } of payloads) {
      const name = payload.replace(/\s+/g, " ").trim() || "x";
      const credit = creditBlock({ answerId: 2, question: { id: 1, title: name }, answerer: { id: 3, name }, asker: { id: 4, name } });
      const html = renderField(`## ${markdownText(name)}\n\n${credit}`);
      expect(problems(html), payload).toEqual([]);
      const doc = parseScreen(html);
      expect(doc.querySelector("h2")?.textContent, payload).toBe(name);
      const links = [...doc.querySelectorAll("blockquote a")];
      expect(
        links.map((a) => a.textContent),
        payload,
      ).toEqual(["an answer", name, name, name]);
      expect(
        links.map((a) => a.getAttribute("href")),
        payload,
      ).toEqual([expect.stringMatching(/^\/questions\/1\/[a-z0-9-]+#answer-2$/), "/people/3", expect.stringMatching(/^\/questions\/1\/[a-z0-9-]+$/), "/people/4"]);
    }
  });

  test("promoting answers to questions whose titles are payloads: the page's credit is inert and links the title as text", { timeout: 180_000 }, async () => {
    const asker = await createUser(t.db, { name: "<img src=x onerror=alert(1)> [asker](javascript:alert(1))" });
    const answerer = await createUser(t.db, { name: "**Bold** `code` @mention <script>alert(1)</script>" });
    let promoted = 0;
    for (const [i, { payload }] of sample.entries()) {
      const title = AskSchema.shape.title.safeParse(payload);
      if (!title.success) continue;
      const asked = await refusedOrStored(() => askQuestion(t.db, asker, AskSchema.parse({ space: space.slug, title: payload, body: "A question body long enough.", tags: "xss" })));
      if (!asked) continue;
      const answer = await postAnswer(t.db, answerer, asked.id, { body: `An answer long enough to promote, number ${i}.`, submissionKey: undefined });
      await acceptAnswer(t.db, asker, answer.id);
      const { url } = await promoteAnswer(t.db, author, answer.id, { mode: "page", title: `Promoted payload ${i}`, parentId: null, submissionKey: undefined });
      const [row] = await t.db
        .select()
        .from(wikiPages)
        .where(eq(wikiPages.id, Number(url.split("/")[2])));
      expect(problems(row!.bodyHtml), payload).toEqual([]);
      const doc = parseScreen(row!.bodyHtml);
      const question = [...doc.querySelectorAll("blockquote a")].find((a) => /^\/questions\/\d+\/[a-z0-9-]+$/.test(a.getAttribute("href") ?? ""));
      expect(question?.textContent, payload).toBe(title.data);
      expect([...doc.querySelectorAll("blockquote a")].map((a) => a.textContent)).toContain(answerer.name);
      promoted++;
    }
    expect(promoted).toBeGreaterThan(10);
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
    // KaTeX's output is allowed inside a formula only, and only in its own shapes.
    expect(problems('<p><span class="katex"><span class="katex-html" aria-hidden="true"><span class="mord mathnormal" style="margin-right:0.05em;">x</span></span></span></p>')).toEqual([]);
    expect(problems('<p><span class="katex" style="position:fixed">x</span></p>')).toContain("attribute style on <span>");
    expect(problems('<p><span class="katex fixed">x</span></p>')).toContain("attribute class on <span>");
    expect(problems('<p><span class="mord">not in a formula</span></p>')).toContain("element <span> (http://www.w3.org/1999/xhtml)");
    expect(problems('<p><span class="katex"><svg><circle></circle></svg></span></p>')).toContain("element <circle> (http://www.w3.org/2000/svg)");
    expect(problems("<math><mi>x</mi></math>")).toContain("<math>");
  });
});

import { and, eq, gt, max } from "drizzle-orm";
import { expect, test } from "vitest";
import { comments, outbox, posts } from "#db/schema/index.ts";
import { rerenderMarkdown } from "#db/rerender-markdown.ts";
import { setupTestDb } from "#tests/db.ts";
import { storedPost } from "#tests/helpers.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * `npm run markdown:rerender`: text saved before math was rendered (its HTML shows the dollars)
 * gets the current module's HTML; rows whose HTML would not change are not written.
 */
const t = setupTestDb();

test("old HTML is rendered again, in batches, with search told about the questions that changed", async () => {
  const author = await createUser(t.db);
  const space = await createSpace(t.db);
  const questionId = await createQuestion(t.db, { author, space, body: "Why is $e^{i\\pi} + 1 = 0$ true? It costs $5 to ask." });
  const answerId = await createAnswer(t.db, { author, questionId, body: "Because $$e^{i\\theta} = \\cos\\theta + i\\sin\\theta$$ holds." });
  const plainId = await createQuestion(t.db, { author, space, body: "No math here, only prose about the budget of $5 and $10." });
  const commentId = await createComment(t.db, { author, postId: questionId, body: "And $x^2$ too." });
  const current = { question: (await storedPost(t.db, questionId)).bodyHtml, answer: (await storedPost(t.db, answerId)).bodyHtml };
  expect(current.question).toContain('class="katex"');
  // As the HTML was before math: what an import or a post from an older release stored.
  await t.db.update(posts).set({ bodyHtml: "<p>Why is $e^{i\\pi} + 1 = 0$ true? It costs $5 to ask.</p>\n" }).where(eq(posts.id, questionId));
  await t.db.update(posts).set({ bodyHtml: "<p>Because $$e^{i\\theta} = \\cos\\theta + i\\sin\\theta$$ holds.</p>\n" }).where(eq(posts.id, answerId));
  await t.db.update(comments).set({ bodyHtml: "<p>And $x^2$ too.</p>\n" }).where(eq(comments.id, commentId));
  const since = (await t.db.select({ last: max(outbox.id) }).from(outbox))[0]?.last ?? 0;

  const counts = await rerenderMarkdown(t.db, { batchSize: 1 });
  const byName = Object.fromEntries(counts.map((c) => [c.name, c]));
  expect(byName.posts).toMatchObject({ changed: 2, refused: [] });
  expect(byName.posts!.read).toBeGreaterThanOrEqual(3);
  expect(byName.comments).toMatchObject({ changed: 1 });
  expect((await storedPost(t.db, questionId)).bodyHtml).toBe(current.question);
  expect((await storedPost(t.db, answerId)).bodyHtml).toBe(current.answer);
  expect((await storedPost(t.db, plainId)).bodyHtml).toBe("<p>No math here, only prose about the budget of $5 and $10.</p>\n");
  const [comment] = await t.db.select({ bodyHtml: comments.bodyHtml }).from(comments).where(eq(comments.id, commentId));
  expect(comment!.bodyHtml).toContain('class="katex"');
  // The question's search document (its answers are part of it) is queued; the untouched one is not.
  const queued = await t.db
    .select({ itemId: outbox.itemId })
    .from(outbox)
    .where(and(gt(outbox.id, since), eq(outbox.kind, "question")));
  expect(queued.map((r) => r.itemId).sort()).toEqual([questionId, questionId]);

  // A second run finds nothing to do.
  const again = await rerenderMarkdown(t.db);
  expect(again.every((c) => c.changed === 0)).toBe(true);
});

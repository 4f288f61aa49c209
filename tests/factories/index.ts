import type { Db, Tx } from "#db/client.server.ts";
import type { users } from "#db/schema/index.ts";
import { type UserInput, type UserTrait, createTags, createUser as createUserRow } from "#db/factories/index.ts";
import { addComment, askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";

/**
 * Factories with named traits. The ones the demo seed uses too live in db/factories (production
 * code, which never imports tests/); this module re-exports them, with the tests' defaults, and
 * adds the Q&A ones.
 */

export { cachedHash, createSpace, createTags, type SpaceTrait, type UserInput, type UserTrait } from "#db/factories/index.ts";
export { createArticle, storedArticle, type ArticleTrait } from "./articles.ts";

export const DEFAULT_PASSWORD = "correct horse battery staple";

/** A user who signs in with DEFAULT_PASSWORD unless given another (or the "ssoOnly" trait). */
export function createUser(db: Db | Tx, attrs: UserInput = {}, ...traits: UserTrait[]) {
  return createUserRow(db, { password: DEFAULT_PASSWORD, ...attrs }, ...traits);
}

type Author = typeof users.$inferSelect;
let sequence = 0;

/** A question asked through the feature function, so revisions, counts and follows are real. */
export async function createQuestion(db: Db, attrs: { author: Author; space: { slug: string }; title?: string; body?: string; tags?: string[]; submissionKey?: string }) {
  sequence += 1;
  const tagNames = attrs.tags ?? ["general"];
  await createTags(db, tagNames);
  const { id } = await askQuestion(db, attrs.author, {
    space: attrs.space.slug,
    title: attrs.title ?? `How do we handle case number ${sequence} here?`,
    body: attrs.body ?? `Some details about case ${sequence}, enough words to pass the minimum length.`,
    tags: tagNames,
    submissionKey: attrs.submissionKey,
  });
  return id;
}

export async function createAnswer(db: Db, attrs: { author: Author; questionId: number; body?: string }) {
  sequence += 1;
  const { id } = await postAnswer(db, attrs.author, attrs.questionId, {
    body: attrs.body ?? `Answer number ${sequence}: here is what worked for us last quarter.`,
    submissionKey: undefined,
  });
  return id;
}

export async function createComment(db: Db, attrs: { author: Author; postId: number; body?: string }) {
  sequence += 1;
  const { id } = await addComment(db, attrs.author, attrs.postId, { body: attrs.body ?? `Comment ${sequence}`, submissionKey: undefined });
  return id;
}
export { createValue } from "./recognition.ts";

import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { posts } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { grantBadges } from "#app/features/recognition/badges.server.ts";
import { createArticle, createAnswer, createComment, createQuestion, createSpace, createTags, createUser } from "../factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "../factories/ideas.ts";
import { createWikiPage } from "../factories/wiki.ts";

/**
 * The small company the fuzzer works in: an admin and a member (who act), a colleague (whom the
 * admin's forms act on, so that no fuzzed request deactivates the actors themselves), an open and
 * a restricted space, and one item of each common kind, so that route params can be real ids.
 */
export async function fuzzWorld(db: Db) {
  const admin = await createUser(db, { name: "Fuzz Admin" }, "admin");
  const member = await createUser(db, { name: "Fuzz Member" });
  const colleague = await createUser(db, { name: "Fuzz Colleague" });
  const open = await createSpace(db, { members: [member, colleague], moderators: [admin] });
  const restricted = await createSpace(db, { members: [colleague] }, "restricted");
  await createTags(db, ["fuzzing"]);
  const questionId = await createQuestion(db, { author: colleague, space: open, tags: ["fuzzing"] });
  const answerId = await createAnswer(db, { author: colleague, questionId });
  const commentId = await createComment(db, { author: colleague, postId: answerId });
  const hiddenQuestionId = await createQuestion(db, { author: colleague, space: restricted, tags: ["fuzzing"] });
  const [question] = await db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, questionId));
  const campaignId = await createCampaign(db, { sponsor: admin, space: open });
  const ideaId = await createIdea(db, { author: colleague, campaignId });
  const pageId = await createWikiPage(db, { author: colleague, space: open });
  const articleId = await createArticle(db, { author: colleague, space: open });
  // The scheduler's first badge run makes the company space and the automatic badges, and awards
  // what the world earned: done here, so that its timer does not write them while a refused
  // request is being checked.
  await grantBadges(db);

  /** A real value for each route param the world has; the others get only bad values. */
  const real: Record<string, string[]> = {
    slug: [open.slug, restricted.slug],
    questionId: [String(questionId), String(hiddenQuestionId)],
    postId: [String(questionId), String(answerId)],
    commentId: [String(commentId)],
    itemId: [String(question!.itemId), String(await ideaItemId(db, ideaId))],
    name: ["fuzzing"],
    // Never an actor's id: the admin's forms would deactivate the member, and every request after it would be signed out.
    userId: [String(colleague.id)],
    campaignId: [String(campaignId)],
    ideaId: [String(ideaId)],
    pageId: [String(pageId)],
    articleId: [String(articleId)],
  };
  return { admin, member, colleague, open, restricted, real };
}

export type FuzzWorld = Awaited<ReturnType<typeof fuzzWorld>>;

/** A session cookie for `user` (a fresh session, so that one a fuzzed request signs out does not outlive its route). */
export async function cookieOf(db: Db, user: { id: number }): Promise<string> {
  return `${SESSION_COOKIE}=${(await createSession(db, user.id)).token}`;
}

/** The URL path of `pattern` with each param given by `pick` (an optional param may be left out). */
export function fillPattern(pattern: string, pick: (param: string, optional: boolean) => string | null): string {
  const segments = pattern.split("/").flatMap((segment) => {
    const param = /^:(\w+)(\?)?(.*)$/.exec(segment);
    if (!param) return [segment];
    const value = pick(param[1]!, param[2] === "?");
    return value === null ? [] : [value + (param[3] ?? "")];
  });
  return "/" + segments.filter(Boolean).join("/");
}

import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { flags, follows, posts, votes } from "#db/schema/index.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { action as commentFlagAction, loader as commentFlagLoader } from "#app/routes/comments/flag.tsx";
import { action as flagAction, loader as flagLoader } from "#app/routes/items/flag.tsx";
import { action as followAction } from "#app/routes/items/follow.ts";
import { action as voteAction, loader as voteLoader } from "#app/routes/items/vote.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";

/**
 * The routes every kind of content shares (follow, vote, flag an item; flag a comment), for each
 * kind of actor: a member of a restricted space uses them; someone outside it gets the 404 a
 * missing item gets, and nothing is written; a customer is sent to their home page and a
 * deactivated account to sign-in, before any item is looked up.
 */
const t = setupTestDb();

type Handler = (args: never) => unknown;
const call = (handler: Handler, request: Request, params: Record<string, string>) => Promise.resolve(handler({ request, context: routeContext(t.db).context, params } as never));

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

async function world() {
  const member = await createUser(t.db);
  const author = await createUser(t.db, {}, "moderator");
  const outsider = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const space = await createSpace(t.db, { members: [member, author] }, "restricted");
  const questionId = await createQuestion(t.db, { author, space });
  const answerId = await createAnswer(t.db, { author, questionId });
  const commentId = await createComment(t.db, { author, postId: questionId });
  const campaignId = await createCampaign(t.db, { sponsor: author, space });
  const ideaId = await createIdea(t.db, { author, campaignId });
  const itemOf = async (id: number) => (await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, id)))[0]!.itemId;
  const items = { question: await itemOf(questionId), answer: await itemOf(answerId), idea: await ideaItemId(t.db, ideaId) };
  return { member, outsider, customer, gone, items, commentId };
}

const writes = async (userId: number) => ({
  follows: (await t.db.select().from(follows).where(eq(follows.userId, userId))).length,
  votes: (await t.db.select().from(votes).where(eq(votes.userId, userId))).length,
  flags: (await t.db.select().from(flags).where(eq(flags.reporterId, userId))).length,
});

describe("the shared item routes", () => {
  test("a member of the restricted space follows, votes on and flags its question, answer and idea", async () => {
    const { member, items } = await world();
    for (const [kind, itemId] of Object.entries(items)) {
      const params = { itemId: String(itemId) };
      if (kind !== "answer") expect(await call(followAction, await postAs(t.db, member, `/items/${itemId}/follow`, { intent: "follow" }), params)).toEqual({ following: true });
      expect(await call(voteAction, await postAs(t.db, member, `/items/${itemId}/vote`, { value: "up", _fetcher: "1" }), params)).toMatchObject({ ok: true, myVote: 1 });
      expect(await call(voteLoader, await requestAs(t.db, member, `/items/${itemId}/vote`), params)).toMatchObject({ kind });
      expect(await call(flagLoader, await requestAs(t.db, member, `/items/${itemId}/flag`), params)).toMatchObject({ target: { kind } });
      const flagged = await thrown(call(flagAction, await postAs(t.db, member, `/items/${itemId}/flag`, { intent: "flag", reason: "spam" }), params));
      expect(redirectTarget(flagged)).toMatch(/notice=flagged/);
    }
    expect(await writes(member.id)).toEqual({ follows: 2, votes: 3, flags: 3 });
  });

  test("someone outside the space gets the 404 of a missing item on every shared route, and nothing is written", async () => {
    const { outsider, items, commentId } = await world();
    for (const itemId of [...Object.values(items), 2_000_000_000]) {
      const params = { itemId: String(itemId) };
      expect(await thrown(call(followAction, await postAs(t.db, outsider, `/items/${itemId}/follow`, { intent: "follow" }), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(voteAction, await postAs(t.db, outsider, `/items/${itemId}/vote`, { value: "up", _fetcher: "1" }), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(voteLoader, await requestAs(t.db, outsider, `/items/${itemId}/vote`), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(flagLoader, await requestAs(t.db, outsider, `/items/${itemId}/flag`), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(flagAction, await postAs(t.db, outsider, `/items/${itemId}/flag`, { intent: "flag", reason: "spam" }), params))).toBeInstanceOf(NotFoundError);
    }
    const comment = { commentId: String(commentId) };
    expect(await thrown(call(commentFlagLoader, await requestAs(t.db, outsider, `/comments/${commentId}/flag`), comment))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(commentFlagAction, await postAs(t.db, outsider, `/comments/${commentId}/flag`, { intent: "flag", reason: "spam" }), comment))).toBeInstanceOf(NotFoundError);
    for (const bad of ["abc", "0", "-1", "99999999999"]) {
      expect(await thrown(call(voteAction, await postAs(t.db, outsider, `/items/${bad}/vote`, { value: "up" }), { itemId: bad }))).toBeInstanceOf(NotFoundError);
    }
    expect(await writes(outsider.id)).toEqual({ follows: 0, votes: 0, flags: 0 });
  });

  test("customers go to their home page and deactivated accounts to sign-in, from every shared route", async () => {
    const { customer, gone, items, commentId } = await world();
    const itemId = String(items.question);
    const routes: Array<[Handler, string, Record<string, string> | null, Record<string, string>]> = [
      [followAction, `/items/${itemId}/follow`, { intent: "follow" }, { itemId }],
      [voteAction, `/items/${itemId}/vote`, { value: "up" }, { itemId }],
      [voteLoader, `/items/${itemId}/vote`, null, { itemId }],
      [flagLoader, `/items/${itemId}/flag`, null, { itemId }],
      [flagAction, `/items/${itemId}/flag`, { intent: "flag", reason: "spam" }, { itemId }],
      [commentFlagLoader, `/comments/${commentId}/flag`, null, { commentId: String(commentId) }],
      [commentFlagAction, `/comments/${commentId}/flag`, { intent: "flag", reason: "spam" }, { commentId: String(commentId) }],
    ];
    for (const [handler, path, fields, params] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer, params))), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone, params))), path).toMatch(/^\/sign-in/);
    }
    for (const user of [customer, gone]) expect(await writes(user.id)).toEqual({ follows: 0, votes: 0, flags: 0 });
  });
});

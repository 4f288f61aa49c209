import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { notifications, posts, reputationEvents, users, wikiPages, wikiPromotions, wikiSuggestions } from "#db/schema/index.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { castPostVote } from "#app/features/qa/votes.server.ts";
import { DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { reputationProfile } from "#app/features/reputation/profile.server.ts";
import { setPageProtection } from "#app/features/wiki/owners.server.ts";
import { deletePage } from "#app/features/wiki/pages.server.ts";
import { promoteAnswer, promotionForm } from "#app/features/wiki/promotion.server.ts";
import { pageGovernance, reviewSuggestion } from "#app/features/wiki/suggestions.server.ts";
import { ForbiddenError, type InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/** Promoting an answer to the wiki: the page, its credit, the reputation once, the links both ways, who may. */
const t = setupTestDb();

async function page(id: number) {
  const [row] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, id));
  return row!;
}

const idFromUrl = (url: string) => Number(/^\/wiki\/(\d+)/.exec(url)![1]);

async function promotedEvents(userId: number) {
  return t.db
    .select()
    .from(reputationEvents)
    .where(and(eq(reputationEvents.userId, userId), eq(reputationEvents.reason, "answer_promoted")));
}

/** A restricted space with an accepted answer, a page owner (who may promote) and a plain member (who may not). */
async function world() {
  const asker = await createUser(t.db, { name: "Ada Asker" });
  const answerer = await createUser(t.db, { name: "Bo Answerer" });
  const owner = await createUser(t.db, { name: "Owen Owner" });
  const member = await createUser(t.db);
  const outsider = await createUser(t.db);
  const space = await createSpace(t.db, { members: [asker, answerer, owner, member] }, "restricted");
  const existing = await createWikiPage(t.db, { author: owner, space, title: "Networking", body: "How our network works." });
  const questionId = await createQuestion(t.db, { author: asker, space, title: "How do I reach the staging database?", tags: ["postgres"] });
  const answerId = await createAnswer(t.db, { author: answerer, questionId, body: "Open the **bastion** tunnel, then connect to port 5433." });
  await acceptAnswer(t.db, asker, answerId);
  return { asker, answerer, owner, member, outsider, space, existing, questionId, answerId };
}

describe("promoting an answer", () => {
  test("a new page holds the answer's text and a credit block; the answer's author earns once and is told", async () => {
    const { answerer, owner, asker, space, existing, questionId, answerId } = await world();
    const form = await promotionForm(t.db, owner, answerId);
    expect(form.defaultTitle).toBe("How do I reach the staging database?");
    expect(form.pages.map((p) => p.title)).toEqual(["Networking"]);

    const result = await promoteAnswer(t.db, owner, answerId, { mode: "page", title: "Staging database", parentId: existing, submissionKey: "promote-key-1" });
    expect(result.kind).toBe("page");
    const pageId = idFromUrl(result.url);
    const created = await page(pageId);
    expect(created).toMatchObject({ spaceId: space.id, parentId: existing, title: "Staging database", authorId: owner.id, tags: ["postgres"] });
    expect(created.body).toBe(
      `Open the **bastion** tunnel, then connect to port 5433.\n\n> Adapted from [an answer](</questions/${questionId}/how-do-i-reach-the-staging-database#answer-${answerId}>) by [Bo Answerer](</people/${answerer.id}>) to [How do I reach the staging database?](</questions/${questionId}/how-do-i-reach-the-staging-database>), asked by [Ada Asker](</people/${asker.id}>).`,
    );
    expect(created.bodyHtml).toContain("<strong>bastion</strong>");
    expect(created.bodyHtml).toContain(`<a href="/people/${answerer.id}" rel="nofollow noopener noreferrer">Bo Answerer</a>`);
    expect(await t.db.select({ postId: wikiPromotions.postId, promotedById: wikiPromotions.promotedById }).from(wikiPromotions).where(eq(wikiPromotions.pageId, pageId))).toEqual([
      { postId: answerId, promotedById: owner.id },
    ]);
    const [earned] = await promotedEvents(answerer.id);
    const [answerRow] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, answerId));
    expect(earned).toMatchObject({ delta: DEFAULT_REPUTATION_RULES.weights.answerPromoted, actorId: owner.id, itemId: answerRow!.itemId, spaceId: space.id });
    expect(
      await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, answerer.id), eq(notifications.kind, "promotion"))),
    ).toMatchObject([{ itemId: created.itemId, actorId: owner.id }]);

    // A double submit finds the first page; a second promotion (to another page) earns nothing more.
    expect(await promoteAnswer(t.db, owner, answerId, { mode: "page", title: "Staging database", parentId: existing, submissionKey: "promote-key-1" })).toEqual(result);
    await promoteAnswer(t.db, owner, answerId, { mode: "page", title: "Staging database, again", parentId: null, submissionKey: undefined });
    expect(await promotedEvents(answerer.id)).toHaveLength(1);
    expect(await t.db.select().from(wikiPromotions).where(eq(wikiPromotions.postId, answerId))).toHaveLength(2);
    // The answerer's profile links the event to the answer.
    const profile = await reputationProfile(t.db, answerer, answerer.id);
    expect(profile.events.find((e) => e.label === "Answer promoted to a wiki page")?.link?.to).toBe(`/questions/${questionId}/how-do-i-reach-the-staging-database#answer-${answerId}`);
  });

  test("the question shows where the answer lives now; the page shows where it came from; later answer edits don't change the page", async () => {
    const { answerer, owner, member, questionId, answerId, space } = await world();
    const { url } = await promoteAnswer(t.db, owner, answerId, { mode: "page", title: "Staging database", parentId: null, submissionKey: undefined });
    const pageId = idFromUrl(url);
    const seen = await questionPage(t.db, member, questionId, new Date());
    expect(seen.answers[0]!.promotedTo).toEqual({ title: "Staging database", url });
    expect(seen.answers[0]!.canPromote).toBe(false);
    expect((await questionPage(t.db, owner, questionId, new Date())).answers[0]!.canPromote).toBe(true);
    expect((await pageGovernance(t.db, member, { id: pageId, spaceId: space.id })).promotedFrom).toEqual([
      { title: "How do I reach the staging database?", url: `/questions/${questionId}/how-do-i-reach-the-staging-database#answer-${answerId}` },
    ]);

    const before = await page(pageId);
    await editPost(t.db, answerer, answerId, { body: "Use the new VPN instead; the bastion is gone.", comment: "" });
    const after = await page(pageId);
    expect({ body: after.body, revisionCount: after.revisionCount }).toEqual({ body: before.body, revisionCount: before.revisionCount });

    // A deleted page is no longer named on the question.
    await deletePage(t.db, owner, pageId);
    expect((await questionPage(t.db, member, questionId, new Date())).answers[0]!.promotedTo).toBeNull();
  });

  test("who may promote: page owners, moderators and privileged people; only accepted or well-voted answers; never into another space", async () => {
    const { owner, member, outsider, answerer, asker, space, questionId } = await world();
    const lowAnswer = await createAnswer(t.db, { author: member, questionId, body: "Ask the database team, they know the password." });
    const accepted = (await questionPage(t.db, owner, questionId, new Date())).answers.find((a) => a.accepted)!.id;
    await expect(promotionForm(t.db, member, accepted)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(promoteAnswer(t.db, member, accepted, { mode: "page", title: "Mine", parentId: null, submissionKey: undefined })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(promotionForm(t.db, owner, lowAnswer)).rejects.toThrow(/accepted answer, or one with a score of 3/);
    await expect(promotionForm(t.db, outsider, accepted)).rejects.toBeInstanceOf(NotFoundError);
    // A question is not an answer.
    await expect(promotionForm(t.db, owner, questionId)).rejects.toBeInstanceOf(NotFoundError);

    // Three upvotes make an answer promotable; reputation over the threshold makes a promoter.
    for (const voter of [asker, answerer, owner]) await castPostVote(t.db, voter, { postId: lowAnswer }, 1);
    await t.db.update(users).set({ reputation: DEFAULT_REPUTATION_RULES.thresholds.promoteAnswer }).where(eq(users.id, answerer.id));
    const privileged = { ...answerer, reputation: DEFAULT_REPUTATION_RULES.thresholds.promoteAnswer };
    expect((await promotionForm(t.db, privileged, lowAnswer)).question.id).toBe(questionId);

    // A page of another (open) space can't take an answer from this restricted one.
    const open = await createSpace(t.db);
    const elsewhere = await createWikiPage(t.db, { author: owner, space: open, title: "Elsewhere" });
    const refused = (await promoteAnswer(t.db, owner, accepted, { mode: "section", pageId: elsewhere, submissionKey: undefined }).catch((e: unknown) => e)) as InputError;
    expect(refused.fieldErrors.pageId).toMatch(/own question's space/);
    expect((await page(elsewhere)).revisionCount).toBe(1);
    expect(await t.db.select().from(wikiPromotions).where(eq(wikiPromotions.postId, accepted))).toHaveLength(0);
    expect(space.visibility).toBe("restricted");
  });

  test("a section of a page the promoter may edit goes straight in; of a protected page, through a suggestion its owners approve", async () => {
    const { owner, answerer, asker, existing, answerId, space } = await world();
    const direct = await promoteAnswer(t.db, owner, answerId, { mode: "section", pageId: existing, submissionKey: undefined });
    expect(direct.kind).toBe("section");
    const updated = await page(existing);
    expect(updated.revisionCount).toBe(2);
    expect(updated.body).toMatch(/^How our network works\.\n\n## How do I reach the staging database\?\n\nOpen the \*\*bastion\*\* tunnel/);
    expect(updated.toc).toEqual([{ level: 2, text: "How do I reach the staging database?", anchor: "h-how-do-i-reach-the-staging-database" }]);
    await expect(promoteAnswer(t.db, owner, answerId, { mode: "section", pageId: existing, submissionKey: undefined })).rejects.toThrow(/part of that page already/);

    // A promoter with the privilege but no ownership of a protected page suggests the section.
    const guarded = await createWikiPage(t.db, { author: owner, space, title: "Databases", body: "Our databases." });
    await setPageProtection(t.db, owner, guarded, true);
    const promoter = { ...asker, reputation: DEFAULT_REPUTATION_RULES.thresholds.promoteAnswer };
    await t.db.update(users).set({ reputation: promoter.reputation }).where(eq(users.id, asker.id));
    const viaSuggestion = await promoteAnswer(t.db, promoter, answerId, { mode: "section", pageId: guarded, submissionKey: undefined });
    expect(viaSuggestion.kind).toBe("suggestion");
    const [suggestion] = await t.db.select().from(wikiSuggestions).where(eq(wikiSuggestions.pageId, guarded));
    expect(suggestion).toMatchObject({ authorId: asker.id, promotedFromPostId: answerId, status: "open", baseRevision: 1 });
    expect((await page(guarded)).revisionCount).toBe(1);
    expect(await t.db.select().from(wikiPromotions).where(eq(wikiPromotions.pageId, guarded))).toHaveLength(0);

    await reviewSuggestion(t.db, owner, guarded, suggestion!.id, { kind: "approve", currentRevision: 1, note: "" });
    expect((await page(guarded)).body).toContain("Open the **bastion** tunnel");
    expect(await t.db.select({ promotedById: wikiPromotions.promotedById }).from(wikiPromotions).where(eq(wikiPromotions.pageId, guarded))).toEqual([{ promotedById: asker.id }]);
    // The credit goes to the answer's author (once in all), not to whoever carried it over.
    expect(await promotedEvents(answerer.id)).toHaveLength(1);
    expect(
      await t.db
        .select()
        .from(reputationEvents)
        .where(and(eq(reputationEvents.userId, asker.id), eq(reputationEvents.reason, "edit_approved"))),
    ).toHaveLength(0);
  });

  test("promoting your own answer earns you nothing; the page is still made", async () => {
    const { owner, space, asker } = await world();
    const questionId = await createQuestion(t.db, { author: asker, space });
    const own = await createAnswer(t.db, { author: owner, questionId, body: "My own answer, long enough to post." });
    await acceptAnswer(t.db, asker, own);
    const { url } = await promoteAnswer(t.db, owner, own, { mode: "page", title: "My answer as a page", parentId: null, submissionKey: undefined });
    expect((await page(idFromUrl(url))).body).toContain("My own answer");
    expect(await promotedEvents(owner.id)).toHaveLength(0);
  });
});

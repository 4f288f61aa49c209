import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { ideaScores, ideas, reputationEvents, votes } from "#db/schema/index.ts";
import { answerInvitation, editIdea, inviteCoOwners } from "#app/features/ideas/ideas.server.ts";
import { scoreIdea } from "#app/features/ideas/scores.server.ts";
import { castIdeaVote, votesUsed } from "#app/features/ideas/votes.server.ts";
import { changeIdeaStatus, mergeIdea } from "#app/features/ideas/workflow.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { action as editAction, loader as editLoader } from "#app/routes/ideas/edit.tsx";
import { action as ideaAction, loader as ideaLoader } from "#app/routes/ideas/idea.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { answered, reputationOf, requestAs, routeContext, thrownStatus, postAs } from "#tests/helpers.ts";

/**
 * Issue 14, "Moderators can mint reputation from their own ideas": nobody earns from a decision
 * on an idea they own, evaluators don't score their own ideas, owners hold no votes on them, and
 * owners stop rewriting an idea once it is accepted.
 */

const t = setupTestDb();

type Person = Awaited<ReturnType<typeof createUser>>;

const run = (fn: (args: never) => unknown, request: Request, params: Record<string, string>) =>
  Promise.resolve(fn({ request, context: routeContext(t.db).context, params } as never)) as Promise<Record<string, unknown>>;

const post = (user: { id: number }, path: string, fields: Record<string, string>) => postAs(t.db, user, path, fields);

/** The message of the 403 `promise` threw; fails the test for anything else. */
async function forbidden(promise: Promise<unknown>): Promise<string> {
  const error = answered(
    await promise.then(
      () => null,
      (e: unknown) => e,
    ),
  ) as { init?: { status?: number }; data?: unknown } | null;
  expect(error?.init?.status).toBe(403);
  return String(error?.data);
}

async function setup(options: { voteBudget?: number | null; evaluators?: Person[] } = {}) {
  const sponsor = await createUser(t.db, {}, "moderator");
  const space = await createSpace(t.db);
  const campaignId = await createCampaign(t.db, { sponsor, space, voteBudget: options.voteBudget ?? null, evaluators: options.evaluators });
  return { sponsor, space, campaignId };
}

const decide = (who: Person, ideaId: number, status: "under_review" | "accepted" | "in_progress" | "implemented") => changeIdeaStatus(t.db, who, ideaId, { status, reason: "" });

/** The ledger's sum for these people, on ideas, and that the stored totals agree with it. */
async function ideaReputation(...people: Person[]): Promise<number[]> {
  const drift = await recomputeReputation(t.db, { fix: false });
  expect(drift.users.filter((d) => people.some((p) => p.id === d.userId))).toEqual([]);
  return Promise.all(people.map((p) => reputationOf(t.db, p.id)));
}

async function voteRows(ideaId: number) {
  const [row] = await t.db.select({ voteCount: ideas.voteCount }).from(ideas).where(eq(ideas.id, ideaId));
  const rows = await t.db
    .select({ userId: votes.userId })
    .from(votes)
    .where(eq(votes.itemId, await ideaItemId(t.db, ideaId)));
  return { stored: row!.voteCount, voters: rows.map((r) => r.userId) };
}

describe("no one earns from a decision on their own idea", () => {
  test("a sponsor who owns the idea and accepts and implements it earns nothing for it", async () => {
    const { sponsor, campaignId } = await setup();
    const ideaId = await createIdea(t.db, { author: sponsor, campaignId });
    await decide(sponsor, ideaId, "accepted");
    await decide(sponsor, ideaId, "implemented");
    expect(await ideaReputation(sponsor)).toEqual([0]);
    expect(
      await t.db
        .select()
        .from(reputationEvents)
        .where(eq(reputationEvents.itemId, await ideaItemId(t.db, ideaId))),
    ).toEqual([]);
  });

  test("an owner's decision pays none of the owners; the same milestone decided by someone else pays them all, and moving back reverses it", async () => {
    const { sponsor, campaignId } = await setup();
    const moderator = await createUser(t.db, {}, "moderator");
    const coOwner = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author: moderator, campaignId, coOwners: [coOwner] });
    await answerInvitation(t.db, coOwner, ideaId, true);

    // The moderator decides on an idea they own: neither they nor their co-owner earns.
    await decide(moderator, ideaId, "accepted");
    await decide(moderator, ideaId, "implemented");
    expect(await ideaReputation(moderator, coOwner)).toEqual([0, 0]);

    // The sponsor (not an owner) takes it back and decides again: that decision pays both.
    await decide(sponsor, ideaId, "under_review");
    await decide(sponsor, ideaId, "accepted");
    expect(await ideaReputation(moderator, coOwner)).toEqual([10, 10]);
    // The owner moving it on decides the implementation, which pays no one; the accept stays paid.
    await decide(moderator, ideaId, "in_progress");
    await decide(moderator, ideaId, "implemented");
    expect(await ideaReputation(moderator, coOwner)).toEqual([10, 10]);
    await decide(sponsor, ideaId, "in_progress");
    await decide(sponsor, ideaId, "implemented");
    expect(await ideaReputation(moderator, coOwner)).toEqual([35, 35]);

    // Back to under review reverses everything, and the ledger adds up.
    await decide(moderator, ideaId, "under_review");
    expect(await ideaReputation(moderator, coOwner)).toEqual([0, 0]);
    const events = await t.db
      .select()
      .from(reputationEvents)
      .where(eq(reputationEvents.itemId, await ideaItemId(t.db, ideaId)));
    expect(events.reduce((sum, e) => sum + e.delta, 0)).toBe(0);
    // Each paid event names the decision's maker.
    expect(events.filter((e) => e.delta > 0).every((e) => e.actorId === sponsor.id)).toBe(true);
  });

  test("the decider who joins the idea later earns nothing from their decision; the owners keep theirs", async () => {
    const { sponsor, campaignId } = await setup();
    const author = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId });
    await decide(sponsor, ideaId, "accepted");
    expect(await ideaReputation(author)).toEqual([10]);
    await inviteCoOwners(t.db, author, ideaId, [sponsor.email]);
    await answerInvitation(t.db, sponsor, ideaId, true);
    expect(await ideaReputation(author, sponsor)).toEqual([10, 0]);
  });

  test("merging one's own idea into an accepted one earns its owners nothing", async () => {
    const { sponsor, campaignId } = await setup();
    const author = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const friend = await createUser(t.db);
    const target = await createIdea(t.db, { author, campaignId });
    await decide(sponsor, target, "accepted");
    const own = await createIdea(t.db, { author: moderator, campaignId, coOwners: [friend] });
    await answerInvitation(t.db, friend, own, true);
    await mergeIdea(t.db, moderator, own, { targetId: target, reason: "Same idea, one place to vote." });
    expect(await ideaReputation(author, moderator, friend)).toEqual([10, 0, 0]);
    // Implemented by the sponsor later: still nothing for owners who merged themselves in.
    await decide(sponsor, target, "implemented");
    expect(await ideaReputation(author, moderator, friend)).toEqual([35, 0, 0]);
  });
});

describe("evaluators don't score ideas they own", () => {
  test("the form is not offered and the action refuses; an evaluator who joins an idea loses their scores of it", async () => {
    const [evaluator, other] = [await createUser(t.db), await createUser(t.db)];
    const { campaignId } = await setup({ evaluators: [evaluator, other] });
    const own = await createIdea(t.db, { author: evaluator, campaignId });
    const params = { ideaId: String(own) };

    const page = await run(ideaLoader, await requestAs(t.db, evaluator, `/ideas/${own}`), params);
    expect(page.scores).toEqual({ kind: "none" });
    expect(await forbidden(scoreIdea(t.db, evaluator, own, { Impact: 5 }))).toMatch(/You own this idea/);
    expect(await thrownStatus(run(ideaAction, await post(evaluator, `/ideas/${own}`, { intent: "score", "score.0": "5" }), params))).toBe(403);
    expect(await t.db.select().from(ideaScores).where(eq(ideaScores.ideaId, own))).toEqual([]);

    // Invited is enough to stop scoring; accepting the invitation removes scores given before.
    const invitedTo = await createIdea(t.db, { author: await createUser(t.db), campaignId, coOwners: [other] });
    expect(await thrownStatus(scoreIdea(t.db, other, invitedTo, { Impact: 5 }))).toBe(403);
    const author = await createUser(t.db);
    const scoredFirst = await createIdea(t.db, { author, campaignId });
    await scoreIdea(t.db, other, scoredFirst, { Impact: 5 });
    await scoreIdea(t.db, evaluator, scoredFirst, { Impact: 2 });
    await inviteCoOwners(t.db, author, scoredFirst, [other.email]);
    await answerInvitation(t.db, other, scoredFirst, true);
    const left = await t.db.select({ evaluatorId: ideaScores.evaluatorId }).from(ideaScores).where(eq(ideaScores.ideaId, scoredFirst));
    expect(left.map((s) => s.evaluatorId)).toEqual([evaluator.id]);
  });
});

describe("owners hold no votes on their idea", () => {
  test("a co-owner's earlier vote is returned when they accept the invitation", async () => {
    const { campaignId } = await setup({ voteBudget: 3 });
    const author = await createUser(t.db);
    const colleague = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId });
    await castIdeaVote(t.db, colleague, ideaId);
    await castIdeaVote(t.db, await createUser(t.db), ideaId);
    expect(await votesUsed(t.db, campaignId, colleague.id)).toBe(1);

    await inviteCoOwners(t.db, author, ideaId, [colleague.email]);
    // Still only invited: the vote stands until they accept.
    expect((await voteRows(ideaId)).stored).toBe(2);
    await answerInvitation(t.db, colleague, ideaId, true);
    const after = await voteRows(ideaId);
    expect(after.stored).toBe(1);
    expect(after.voters).not.toContain(colleague.id);
    expect(await votesUsed(t.db, campaignId, colleague.id)).toBe(0);
    const page = await run(ideaLoader, await requestAs(t.db, colleague, `/ideas/${ideaId}`), { ideaId: String(ideaId) });
    expect(page).toMatchObject({ voted: false, isOwner: true, votesLeft: 3 });
  });

  test("after a merge, the duplicate's owners get back their votes on the target", async () => {
    const { sponsor, campaignId } = await setup({ voteBudget: 2 });
    const duplicateOwner = await createUser(t.db);
    const targetOwner = await createUser(t.db);
    const voter = await createUser(t.db);
    const target = await createIdea(t.db, { author: targetOwner, campaignId });
    const duplicate = await createIdea(t.db, { author: duplicateOwner, campaignId });
    await castIdeaVote(t.db, duplicateOwner, target);
    await castIdeaVote(t.db, voter, target);
    expect(await votesUsed(t.db, campaignId, duplicateOwner.id)).toBe(1);

    await mergeIdea(t.db, sponsor, duplicate, { targetId: target, reason: "Same idea, one place to vote." });
    const after = await voteRows(target);
    expect(after).toEqual({ stored: 1, voters: [voter.id] });
    expect(await votesUsed(t.db, campaignId, duplicateOwner.id)).toBe(0);
    expect(
      await t.db
        .select()
        .from(votes)
        .innerJoin(ideas, eq(ideas.itemId, votes.itemId))
        .where(and(eq(votes.userId, duplicateOwner.id), eq(ideas.campaignId, campaignId))),
    ).toEqual([]);
  });
});

describe("owners can't rewrite an accepted idea", () => {
  const change = (title: string) => ({ title, body: "The expense form asks for the same receipt three times; ask once.", category: "", tags: ["process"], comment: "" });

  test("owners edit until the idea is accepted; then only the sponsor and moderators do, and owners get a clear 403", async () => {
    const { sponsor, campaignId } = await setup();
    const author = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const ideaId = await createIdea(t.db, { author, campaignId });
    const params = { ideaId: String(ideaId) };
    await editIdea(t.db, author, ideaId, change("Ask for each receipt only once"));
    await decide(sponsor, ideaId, "under_review");
    await editIdea(t.db, author, ideaId, change("Ask for each travel receipt only once"));

    for (const status of ["accepted", "in_progress", "implemented"] as const) {
      await decide(sponsor, ideaId, status);
      expect(await forbidden(editIdea(t.db, author, ideaId, change(`Rewritten after ${status}`)))).toMatch(/accepted.*sponsor/);
      expect(await thrownStatus(run(editLoader, await requestAs(t.db, author, `/ideas/${ideaId}/edit`), params))).toBe(403);
    }
    const refused = await post(author, `/ideas/${ideaId}/edit`, { ...change("Rewritten through the form"), tags: "process" });
    expect(await thrownStatus(run(editAction, refused, params))).toBe(403);
    const [row] = await t.db.select({ title: ideas.title }).from(ideas).where(eq(ideas.id, ideaId));
    expect(row!.title).toBe("Ask for each travel receipt only once");

    // The sponsor and moderators still edit it.
    await editIdea(t.db, sponsor, ideaId, change("Ask for each travel receipt once, as decided"));
    await editIdea(t.db, moderator, ideaId, change("Ask for each travel receipt once, as shipped"));
    const sponsorForm = await run(editLoader, await requestAs(t.db, sponsor, `/ideas/${ideaId}/edit`), params);
    expect(sponsorForm.idea).toMatchObject({ title: "Ask for each travel receipt once, as shipped" });
  });
});

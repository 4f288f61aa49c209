import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { ideaEvents, ideaOwners, ideaScores, ideas, notifications, reputationEvents, spaceMembers, votes } from "#db/schema/index.ts";
import { campaignList, campaignPage, createCampaign as createCampaignFeature, runCampaign } from "#app/features/ideas/campaigns.server.ts";
import { ideaListParams } from "#app/features/ideas/list-params.ts";
import { answerInvitation, editIdea, ideaHistory, ideaPage, ideasOwnedBy, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { StatusSchema } from "#app/features/ideas/schemas.ts";
import { scoreIdea, scoreView } from "#app/features/ideas/scores.server.ts";
import { castIdeaVote, retractIdeaVote, votesUsed } from "#app/features/ideas/votes.server.ts";
import { changeIdeaStatus, mergeIdea } from "#app/features/ideas/workflow.server.ts";
import { loadIdea } from "#app/features/ideas/access.server.ts";
import { inbox, unreadCount } from "#app/features/notifications/inbox.server.ts";
import { flagComment, flagItem, moderationQueue } from "#app/features/moderation/flags.server.ts";
import { addComment, deleteComment, undeleteComment } from "#app/features/social/comments.server.ts";
import { setFollowing } from "#app/features/social/follows.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { rejects, reputationOf, thrownStatus } from "#tests/helpers.ts";

const t = setupTestDb();

async function votesOf(ideaId: number) {
  const [row] = await t.db.select({ itemId: ideas.itemId, voteCount: ideas.voteCount, status: ideas.status }).from(ideas).where(eq(ideas.id, ideaId));
  const rows = await t.db.select().from(votes).where(eq(votes.itemId, row!.itemId));
  return { stored: row!.voteCount, rows: rows.length, status: row!.status };
}

/** A comment on an idea, through the social layer, as the idea page's form sends it. */
async function commentOn(who: Parameters<typeof addComment>[1], ideaId: number, body: string) {
  return addComment(t.db, who, await ideaItemId(t.db, ideaId), { body, submissionKey: undefined });
}

async function sponsorSetup(options: { voteBudget?: number | null; endsInDays?: number; startsInDays?: number } = {}) {
  const sponsor = await createUser(t.db, {}, "moderator");
  const space = await createSpace(t.db);
  const campaignId = await createCampaign(t.db, { sponsor, space, voteBudget: options.voteBudget ?? null, endsInDays: options.endsInDays, startsInDays: options.startsInDays });
  return { sponsor, space, campaignId };
}

describe("campaigns", () => {
  test("only moderators and admins sponsor a campaign; members get a 403", async () => {
    const member = await createUser(t.db);
    const space = await createSpace(t.db);
    await expect(createCampaign(t.db, { sponsor: member, space })).rejects.toThrow(ForbiddenError);
    const spaceModerator = await createUser(t.db);
    const moderated = await createSpace(t.db, { moderators: [spaceModerator] });
    expect(await createCampaign(t.db, { sponsor: spaceModerator, space: moderated })).toBeGreaterThan(0);
  });

  test("an upcoming campaign takes no ideas; a closed one takes no ideas and freezes its votes", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const voter = await createUser(t.db);
    const author = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId });
    await castIdeaVote(t.db, voter, ideaId);

    expect(await runCampaign(t.db, sponsor, campaignId, "close")).toBe("closed");
    expect((await rejects(castIdeaVote(t.db, await createUser(t.db), ideaId))).message).toMatch(/closed: its votes are frozen/);
    expect((await rejects(retractIdeaVote(t.db, voter, ideaId))).message).toMatch(/frozen/);
    expect((await rejects(createIdea(t.db, { author, campaignId }))).message).toMatch(/closed/);
    expect(await votesOf(ideaId)).toMatchObject({ stored: 1, rows: 1 });

    // Reopened before its end date, it takes votes again.
    expect(await runCampaign(t.db, sponsor, campaignId, "reopen")).toBe("open");
    await retractIdeaVote(t.db, voter, ideaId);
    expect(await votesOf(ideaId)).toMatchObject({ stored: 0, rows: 0 });

    const upcoming = await sponsorSetup({ startsInDays: 3, endsInDays: 10 });
    expect((await rejects(createIdea(t.db, { author, campaignId: upcoming.campaignId }))).message).toMatch(/not started/);
  });

  test("a campaign past its end date is closed without anyone closing it", async () => {
    const { campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId });
    const later = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    expect((await rejects(castIdeaVote(t.db, await createUser(t.db), ideaId, later))).message).toMatch(/frozen/);
  });

  test("archiving hides a campaign from the list unless archived ones are asked for", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    expect((await campaignList(t.db, sponsor)).some((c) => c.id === campaignId)).toBe(true);
    await runCampaign(t.db, sponsor, campaignId, "archive");
    expect((await campaignList(t.db, sponsor)).some((c) => c.id === campaignId)).toBe(false);
    expect((await campaignList(t.db, sponsor, { archived: true })).find((c) => c.id === campaignId)?.phase).toBe("archived");
  });
});

describe("vote budget", () => {
  test("50 parallel votes from one person with a budget of 5 leave exactly 5 votes", async () => {
    const { campaignId } = await sponsorSetup({ voteBudget: 5 });
    const author = await createUser(t.db);
    const voter = await createUser(t.db);
    const ideaIds: number[] = [];
    for (let i = 0; i < 10; i++) ideaIds.push(await createIdea(t.db, { author, campaignId }));
    // Five requests for each of ten ideas, all at once.
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => castIdeaVote(t.db, voter, ideaIds[i % 10]!)));
    const rows = await t.db
      .select()
      .from(votes)
      .innerJoin(ideas, eq(ideas.itemId, votes.itemId))
      .where(and(eq(votes.userId, voter.id), eq(ideas.campaignId, campaignId)));
    expect(rows).toHaveLength(5);
    expect(await votesUsed(t.db, campaignId, voter.id)).toBe(5);
    // Every refusal is the budget's clear message, never a deadlock or a constraint error.
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) expect(error.message).toMatch(/used all 5 of your votes/);
    // Stored counts agree with the votes.
    let total = 0;
    for (const id of ideaIds) {
      const v = await votesOf(id);
      expect(v.stored).toBe(v.rows);
      total += v.stored;
    }
    expect(total).toBe(5);
  });

  test("the page shows votes left; a declined idea gives its votes back", async () => {
    const { sponsor, campaignId } = await sponsorSetup({ voteBudget: 2 });
    const author = await createUser(t.db);
    const voter = await createUser(t.db);
    const [a, b, c] = [await createIdea(t.db, { author, campaignId }), await createIdea(t.db, { author, campaignId }), await createIdea(t.db, { author, campaignId })];
    expect((await castIdeaVote(t.db, voter, a)).votesLeft).toBe(1);
    expect((await castIdeaVote(t.db, voter, b)).votesLeft).toBe(0);
    expect((await rejects(castIdeaVote(t.db, voter, c))).message).toMatch(/used all 2 of your votes/);
    const params = ideaListParams(new URL("http://x/"));
    expect((await campaignPage(t.db, voter, campaignId, params)).votesLeft).toBe(0);

    await changeIdeaStatus(t.db, sponsor, a, { status: "declined", reason: "We already pay for a tool that does this." });
    expect((await campaignPage(t.db, voter, campaignId, params)).votesLeft).toBe(1);
    expect((await rejects(castIdeaVote(t.db, await createUser(t.db), a))).message).toMatch(/declined/);
    await castIdeaVote(t.db, voter, c);
    // Voting twice for one idea is one vote; owners do not vote for their own idea.
    await castIdeaVote(t.db, voter, c);
    expect(await votesOf(c)).toMatchObject({ stored: 1, rows: 1 });
    expect((await rejects(castIdeaVote(t.db, author, c))).message).toMatch(/own idea/);
  });
});

describe("status workflow", () => {
  test("declining needs a public reason, in the form and in the feature", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const ideaId = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    const parsed = StatusSchema.safeParse({ status: "declined", reason: "" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["reason"]);
    const error = await rejects(changeIdeaStatus(t.db, sponsor, ideaId, { status: "declined", reason: "no" }));
    expect(error.fieldErrors.reason).toMatch(/why it was declined/);
    expect((await votesOf(ideaId)).status).toBe("submitted");
    expect(
      await t.db
        .select()
        .from(ideaEvents)
        .where(and(eq(ideaEvents.ideaId, ideaId), eq(ideaEvents.kind, "status"))),
    ).toHaveLength(0);
  });

  test("every change is on the timeline, notifies owners, voters and followers, and pays owners once per milestone", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const coOwner = await createUser(t.db);
    const voter = await createUser(t.db);
    const follower = await createUser(t.db);
    const bystander = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId, coOwners: [coOwner] });
    await answerInvitation(t.db, coOwner, ideaId, true);
    await castIdeaVote(t.db, voter, ideaId);
    await commentOn(follower, ideaId, "I would use this every week.");

    const m = member(sponsor);
    await changeIdeaStatus(t.db, m, ideaId, { status: "under_review", reason: "" });
    await changeIdeaStatus(t.db, m, ideaId, { status: "accepted", reason: "Cheap and loved." });
    expect(await reputationOf(t.db, author.id)).toBe(10);
    expect(await reputationOf(t.db, coOwner.id)).toBe(10);
    await changeIdeaStatus(t.db, m, ideaId, { status: "in_progress", reason: "" });
    await changeIdeaStatus(t.db, m, ideaId, { status: "implemented", reason: "Live since Monday." });
    expect(await reputationOf(t.db, author.id)).toBe(35);
    // Back to under review reverses both; accepting again pays the accept once more, never twice over.
    await changeIdeaStatus(t.db, m, ideaId, { status: "under_review", reason: "Rolled back for a fix." });
    expect(await reputationOf(t.db, author.id)).toBe(0);
    await changeIdeaStatus(t.db, m, ideaId, { status: "accepted", reason: "" });
    await changeIdeaStatus(t.db, m, ideaId, { status: "implemented", reason: "" });
    expect(await reputationOf(t.db, author.id)).toBe(35);
    expect(await reputationOf(t.db, voter.id)).toBe(0);
    const ledger = await t.db
      .select()
      .from(reputationEvents)
      .where(eq(reputationEvents.itemId, await ideaItemId(t.db, ideaId)));
    expect(ledger.every((e) => e.reason === "idea_accepted" || e.reason === "idea_implemented")).toBe(true);

    const page = await ideaPage(t.db, voter, ideaId);
    expect(page.timeline.map((e) => e.toStatus)).toEqual(["submitted", "under_review", "accepted", "in_progress", "implemented", "under_review", "accepted", "implemented"]);
    expect(page.timeline[2]).toMatchObject({ reason: "Cheap and loved.", actor: { id: sponsor.id } });
    for (const person of [author, coOwner, voter, follower]) {
      const rows = await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, person.id), eq(notifications.kind, "idea_status")));
      expect(rows).toHaveLength(7);
    }
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, bystander.id))).toHaveLength(0);
    const { items } = await inbox(t.db, voter);
    expect(items[0]).toMatchObject({ itemKind: "idea", contentId: ideaId, title: page.idea.title, to: `/ideas/${ideaId}` });
  });

  test("members cannot change a status or merge; a merged idea takes no status", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const a = await createIdea(t.db, { author, campaignId });
    const b = await createIdea(t.db, { author, campaignId });
    expect(await thrownStatus(changeIdeaStatus(t.db, author, a, { status: "accepted", reason: "" }))).toBe(403);
    expect(await thrownStatus(mergeIdea(t.db, author, a, { targetId: b, reason: "" }))).toBe(403);
    await mergeIdea(t.db, sponsor, a, { targetId: b, reason: "Same idea." });
    expect((await rejects(changeIdeaStatus(t.db, sponsor, a, { status: "accepted", reason: "" }))).message).toMatch(/merged/);
  });
});

/** The same person as a plain object (features take any actor shape). */
function member<T>(user: T): T {
  return { ...user };
}

describe("merge", () => {
  test("votes move, a person who voted for both counts once and gets the spare vote back, owners are credited", async () => {
    const { sponsor, campaignId } = await sponsorSetup({ voteBudget: 3 });
    const ownerA = await createUser(t.db);
    const ownerB = await createUser(t.db);
    const both = await createUser(t.db);
    const onlyA = await createUser(t.db);
    const onlyB = await createUser(t.db);
    const a = await createIdea(t.db, { author: ownerA, campaignId, title: "Let people book desks from their phone" });
    const b = await createIdea(t.db, { author: ownerB, campaignId, title: "A mobile app for desk booking" });
    await commentOn(onlyA, a, "Please, the kiosk is always busy.");
    for (const voter of [both, onlyA]) await castIdeaVote(t.db, voter, a);
    for (const voter of [both, onlyB]) await castIdeaVote(t.db, voter, b);
    // The target's owner voted for the duplicate: that vote is returned too (no vote for one's own idea).
    await castIdeaVote(t.db, ownerB, a);
    expect(await votesUsed(t.db, campaignId, both.id)).toBe(2);

    await mergeIdea(t.db, sponsor, a, { targetId: b, reason: "Same need, one place to vote." });

    expect(await votesOf(a)).toMatchObject({ stored: 0, rows: 0, status: "merged" });
    // both, onlyB, onlyA: three votes, each person once.
    expect(await votesOf(b)).toMatchObject({ stored: 3, rows: 3 });
    expect(await votesUsed(t.db, campaignId, both.id)).toBe(1);
    expect(await votesUsed(t.db, campaignId, ownerB.id)).toBe(0);
    const owners = await t.db.select().from(ideaOwners).where(eq(ideaOwners.ideaId, b));
    expect(owners.find((o) => o.userId === ownerA.id)).toMatchObject({ state: "accepted", mergedFromId: a });
    // The campaign page knows ownerA now owns the target: no vote button for it.
    const listed = await campaignPage(t.db, ownerA, campaignId, ideaListParams(new URL("http://x/")));
    expect(listed.ideas.find((i) => i.id === b)).toMatchObject({ owned: true, voted: false });
    expect(listed.ideas.map((i) => i.id)).not.toContain(a);

    // The duplicate's page stays readable, with its comments and the way to the target.
    const page = await ideaPage(t.db, onlyA, a);
    expect(page.mergedInto).toEqual({ id: b, title: "A mobile app for desk booking" });
    expect(page.comments.map((c) => c.body)).toEqual(["Please, the kiosk is always busy."]);
    expect((await ideaPage(t.db, onlyA, b)).mergedFrom).toEqual([{ id: a, title: "Let people book desks from their phone" }]);
    // The duplicate's followers (its commenter) follow the target now.
    expect((await ideaPage(t.db, onlyA, b)).following).toBe(true);

    // Implementing the target credits the duplicate's owner as well.
    await changeIdeaStatus(t.db, sponsor, b, { status: "implemented", reason: "Shipped in the intranet app." });
    expect(await reputationOf(t.db, ownerA.id)).toBe(35);
    expect(await reputationOf(t.db, ownerB.id)).toBe(35);
  });

  test("merging across campaigns, into itself or into a hidden idea is a field error", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const other = await sponsorSetup();
    const author = await createUser(t.db);
    const a = await createIdea(t.db, { author, campaignId });
    const elsewhere = await createIdea(t.db, { author, campaignId: other.campaignId });
    expect((await rejects(mergeIdea(t.db, sponsor, a, { targetId: elsewhere, reason: "" }))).fieldErrors.targetId).toMatch(/one campaign/);
    expect((await rejects(mergeIdea(t.db, sponsor, a, { targetId: a, reason: "" }))).fieldErrors.targetId).toMatch(/itself/);
    expect((await rejects(mergeIdea(t.db, sponsor, a, { targetId: 99_999_999, reason: "" }))).fieldErrors.targetId).toMatch(/no idea/);
  });
});

describe("evaluator scores", () => {
  test("evaluators score privately; the sponsor sees averages and spread; nobody else sees anything", async () => {
    const sponsor = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const [e1, e2] = [await createUser(t.db), await createUser(t.db)];
    const campaignId = await createCampaign(t.db, { sponsor, space, evaluators: [e1, e2], criteria: ["Impact", "Feasibility"] });
    const author = await createUser(t.db);
    const reader = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId });
    await scoreIdea(t.db, e1, ideaId, { Impact: 5, Feasibility: 2 });
    await scoreIdea(t.db, e2, ideaId, { Impact: 3 });
    await scoreIdea(t.db, e2, ideaId, { Impact: 4 });
    expect(await thrownStatus(scoreIdea(t.db, reader, ideaId, { Impact: 5 }))).toBe(403);
    expect(await thrownStatus(scoreIdea(t.db, author, ideaId, { Impact: 5 }))).toBe(403);
    expect((await rejects(scoreIdea(t.db, e1, ideaId, { Cost: 3 }))).message).toMatch(/not one of this campaign's criteria/);

    const view = async (who: typeof reader) => scoreView(t.db, await loadIdea(t.db, who, ideaId), who);
    expect(await view(reader)).toEqual({ kind: "none" });
    expect(await view(author)).toEqual({ kind: "none" });
    expect(await view(e2)).toEqual({ kind: "evaluator", criteria: ["Impact", "Feasibility"], mine: { Impact: 4 } });
    expect(await view(sponsor)).toEqual({
      kind: "sponsor",
      criteria: ["Impact", "Feasibility"],
      evaluators: 2,
      mine: null,
      summary: [
        { criterion: "Impact", average: 4.5, min: 4, max: 5, count: 2 },
        { criterion: "Feasibility", average: 2, min: 2, max: 2, count: 1 },
      ],
    });
    expect(await t.db.select().from(ideaScores).where(eq(ideaScores.ideaId, ideaId))).toHaveLength(3);
  });
});

describe("ideas", () => {
  test("edits keep every version; co-owners are invited and accept; strangers cannot edit", async () => {
    const { campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const friend = await createUser(t.db);
    const stranger = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId, title: "Shorter expense forms for travel", coOwners: [friend] });
    expect((await ideaPage(t.db, friend, ideaId)).invited).toBe(true);
    expect(
      await thrownStatus(
        editIdea(t.db, friend, ideaId, { title: "Shorter expense forms for all travel", body: "Now with more detail about the form.", category: "", tags: ["process"], comment: "" }),
      ),
    ).toBe(403);
    await answerInvitation(t.db, friend, ideaId, true);
    await editIdea(t.db, friend, ideaId, {
      title: "Shorter expense forms for all travel",
      body: "Now with more detail about the form.",
      category: "",
      tags: ["process"],
      comment: "Wider scope",
    });
    expect(
      await thrownStatus(editIdea(t.db, stranger, ideaId, { title: "Something else entirely here", body: "Not mine to change at all.", category: "", tags: ["process"], comment: "" })),
    ).toBe(403);
    const history = await ideaHistory(t.db, stranger, ideaId);
    expect(history.revisions.map((r) => [r.number, r.title, r.comment])).toEqual([
      [2, "Shorter expense forms for all travel", "Wider scope"],
      [1, "Shorter expense forms for travel", ""],
    ]);
    expect((await rejects(answerInvitation(t.db, friend, ideaId, true))).message).toMatch(/no invitation/);
  });

  test("a category must be one of the campaign's", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space, categories: ["Payroll", "Travel"] });
    const author = await createUser(t.db);
    expect((await rejects(createIdea(t.db, { author, campaignId }))).fieldErrors.category).toMatch(/Choose a category/);
    expect((await rejects(createIdea(t.db, { author, campaignId, category: "Parking" }))).fieldErrors.category).toMatch(/Payroll, Travel/);
    const id = await createIdea(t.db, { author, campaignId, category: "travel" });
    const [row] = await t.db.select({ category: ideas.category }).from(ideas).where(eq(ideas.id, id));
    expect(row!.category).toBe("Travel");

    // A change of category is part of the version, and of its diff.
    await editIdea(t.db, author, id, {
      title: "Book hotels with the travel card",
      body: "Let the travel card pay hotels directly, without an advance.",
      category: "Payroll",
      tags: ["process"],
      comment: "",
    });
    const [latest, original] = (await ideaHistory(t.db, author, id)).revisions;
    expect([latest!.category, original!.category]).toEqual(["Payroll", "Travel"]);
    expect(latest!.diff?.category).toEqual([
      { value: "Travel", change: "removed" },
      { value: "Payroll", change: "added" },
    ]);
  });

  test("a double submit makes one idea and one campaign: the second finds the first", async () => {
    const sponsor = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const campaign = {
      space: space.slug,
      title: "Make travel simpler for everyone",
      brief: "What slows travel booking down today?",
      categories: [],
      criteria: [],
      startsOn: new Date(Date.now() - 24 * 3600 * 1000),
      endsOn: new Date(Date.now() + 10 * 24 * 3600 * 1000),
      voteBudget: null,
      evaluators: [],
      submissionKey: "campaign-form-key-1",
    };
    const campaigns = await Promise.all([createCampaignFeature(t.db, sponsor, campaign), createCampaignFeature(t.db, sponsor, campaign)]);
    expect(campaigns[0]!.id).toBe(campaigns[1]!.id);
    expect(campaigns.filter((c) => c.created)).toHaveLength(1);

    const author = await createUser(t.db);
    await createTags(t.db, ["process"]);
    const idea = {
      title: "Book hotels with the travel card",
      body: "Let the travel card pay hotels directly.",
      category: "",
      tags: ["process"],
      coOwners: [],
      submissionKey: "idea-form-key-1",
    };
    const submitted = await Promise.all([submitIdea(t.db, author, campaigns[0]!.id, idea), submitIdea(t.db, author, campaigns[0]!.id, idea)]);
    expect(submitted[0]!.id).toBe(submitted[1]!.id);
    expect(submitted.filter((s) => s.created)).toHaveLength(1);
    expect(await t.db.select().from(ideas).where(eq(ideas.campaignId, campaigns[0]!.id))).toHaveLength(1);
    // Sent again later, it still finds the first (and makes no second version or vote).
    expect(await submitIdea(t.db, author, campaigns[0]!.id, idea)).toEqual({ id: submitted[0]!.id, created: false });
    expect((await ideaHistory(t.db, author, submitted[0]!.id)).revisions).toHaveLength(1);
  });
});

describe("visibility", () => {
  test("a restricted space's campaign and ideas answer 404 to outsiders on every read and write", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    const campaignId = await createCampaign(t.db, { sponsor, space: secret });
    const ideaId = await createIdea(t.db, { author: insider, campaignId });
    await castIdeaVote(t.db, sponsor, ideaId);
    const params = ideaListParams(new URL("http://x/"));
    expect((await campaignList(t.db, outsider)).some((c) => c.id === campaignId)).toBe(false);
    expect((await campaignList(t.db, insider)).find((c) => c.id === campaignId)?.ideaCount).toBe(1);
    // Thunks: each call starts only when awaited, so none rejects unobserved.
    for (const call of [
      () => campaignPage(t.db, outsider, campaignId, params),
      () => ideaPage(t.db, outsider, ideaId),
      () => ideaHistory(t.db, outsider, ideaId),
      () => castIdeaVote(t.db, outsider, ideaId),
      () => commentOn(outsider, ideaId, "Let me in"),
      () => createIdea(t.db, { author: outsider, campaignId }),
    ]) {
      expect(await thrownStatus(call())).toBe(404);
    }
    // Someone who cannot see the space is not notified, even if they once voted there.
    await t.db.insert(votes).values({ itemId: await ideaItemId(t.db, ideaId), userId: outsider.id, value: 1 });
    await changeIdeaStatus(t.db, sponsor, ideaId, { status: "under_review", reason: "" });
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, outsider.id))).toHaveLength(0);
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, insider.id))).toHaveLength(1);
  });
});

describe("visibility of credit and news", () => {
  test("a profile lists only ideas in spaces the viewer may see; losing access hides the idea's notifications", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const owner = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [owner] }, "restricted");
    const open = await createSpace(t.db);
    const secretCampaign = await createCampaign(t.db, { sponsor, space: secret });
    const openCampaign = await createCampaign(t.db, { sponsor, space: open });
    const hidden = await createIdea(t.db, { author: owner, campaignId: secretCampaign, title: "A confidential pricing idea for partners" });
    const shown = await createIdea(t.db, { author: owner, campaignId: openCampaign, title: "An open idea about onboarding buddies" });
    await changeIdeaStatus(t.db, sponsor, hidden, { status: "implemented", reason: "Done in the partner portal." });
    await changeIdeaStatus(t.db, sponsor, shown, { status: "implemented", reason: "Every new starter now gets a buddy." });

    const seenByOutsider = await ideasOwnedBy(t.db, outsider, owner.id);
    expect(seenByOutsider).toMatchObject({ total: 1, implemented: 1 });
    expect(seenByOutsider.ideas.map((i) => i.id)).toEqual([shown]);
    expect((await ideasOwnedBy(t.db, owner, owner.id)).total).toBe(2);

    // Both status changes reached the owner; after leaving the restricted space only the open one shows.
    expect(await unreadCount(t.db, owner)).toBe(2);
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.userId, owner.id), eq(spaceMembers.spaceId, secret.id)));
    expect(await unreadCount(t.db, owner)).toBe(1);
    expect((await inbox(t.db, owner)).items.map((i) => i.contentId)).toEqual([shown]);
  });

  test("an invitation and a comment reach the inbox and lead to the idea (at the comment)", async () => {
    const { campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const friend = await createUser(t.db);
    const reader = await createUser(t.db);
    const ideaId = await createIdea(t.db, { author, campaignId, coOwners: [friend] });
    const invitation = (await inbox(t.db, friend)).items[0];
    expect(invitation).toMatchObject({ kind: "idea_invite", itemKind: "idea", contentId: ideaId, to: `/ideas/${ideaId}`, actor: { id: author.id } });
    const { id: commentId } = await commentOn(reader, ideaId, "How would the buddy be chosen?");
    const note = (await inbox(t.db, author)).items[0];
    expect(note).toMatchObject({ kind: "idea_comment", to: `/ideas/${ideaId}#comment-${commentId}` });
    // The commenter follows from now on; the invited (not yet accepted) co-owner is not told.
    expect((await ideaPage(t.db, reader, ideaId)).following).toBe(true);
    expect((await inbox(t.db, friend)).items.map((i) => i.kind)).toEqual(["idea_invite"]);
  });
});

describe("idea comments, as every kind's", () => {
  /** A person's short @handle: the local part of their address. */
  const handle = (user: { email: string }) => user.email.split("@")[0]!;

  async function commentCount(ideaId: number): Promise<number> {
    const [row] = await t.db.select({ n: ideas.commentCount }).from(ideas).where(eq(ideas.id, ideaId));
    return row!.n;
  }

  test("an @mention notifies the person mentioned once, if they may see the space; nobody is told twice", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const [author, follower, mentioned, commenter] = [await createUser(t.db), await createUser(t.db), await createUser(t.db), await createUser(t.db)];
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, { members: [author, follower, mentioned, commenter] }, "restricted");
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const ideaId = await createIdea(t.db, { author, campaignId });
    const itemId = await ideaItemId(t.db, ideaId);
    await setFollowing(t.db, follower, { itemId }, true);

    const { id: commentId } = await addComment(t.db, commenter, itemId, {
      body: `@${handle(mentioned)} and @${handle(author)} should see this, and @${handle(outsider)} cannot; signed @${handle(commenter)}`,
      submissionKey: undefined,
    });
    const rows = await t.db
      .select({ userId: notifications.userId, kind: notifications.kind, itemId: notifications.itemId, commentId: notifications.commentId })
      .from(notifications)
      .where(eq(notifications.commentId, commentId));
    const kindsFor = (user: { id: number }) => rows.filter((r) => r.userId === user.id).map((r) => r.kind);
    expect(kindsFor(mentioned)).toEqual(["mention"]);
    // The owner is mentioned too: the mention replaces the comment's news, it does not come on top of it.
    expect(kindsFor(author)).toEqual(["mention"]);
    expect(kindsFor(follower)).toEqual(["idea_comment"]);
    expect(kindsFor(outsider)).toEqual([]);
    expect(kindsFor(commenter)).toEqual([]);
    expect(rows).toHaveLength(3);
    // Every one of them opens the idea's page, at the comment.
    expect(rows.every((r) => r.itemId === itemId)).toBe(true);
    expect((await inbox(t.db, mentioned)).items).toMatchObject([{ kind: "mention", itemKind: "idea", contentId: ideaId, to: `/ideas/${ideaId}#comment-${commentId}` }]);
  });

  test("an idea comment can be flagged by others and waits in its space's moderation queue", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const spaceModerator = await createUser(t.db);
    const otherModerator = await createUser(t.db);
    const space = await createSpace(t.db, { moderators: [spaceModerator] });
    await createSpace(t.db, { moderators: [otherModerator] });
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const ideaId = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    const [writer, reader] = [await createUser(t.db), await createUser(t.db)];
    const { id: commentId } = await addComment(t.db, writer, await ideaItemId(t.db, ideaId), { body: "Whoever wrote this idea should find another job.", submissionKey: undefined });

    // The page offers the flag to others, not to the comment's writer.
    expect((await ideaPage(t.db, reader, ideaId)).comments.map((c) => c.canFlag)).toEqual([true]);
    expect((await ideaPage(t.db, writer, ideaId)).comments.map((c) => c.canFlag)).toEqual([false]);
    expect((await rejects(flagComment(t.db, writer, commentId, { reason: "rude", details: "" }))).message).toMatch(/own comment/);
    await flagComment(t.db, reader, commentId, { reason: "rude", details: "" });

    const queue = await moderationQueue(t.db, spaceModerator);
    expect(queue.items.find((i) => i.key === `comment-${commentId}`)).toMatchObject({
      count: 1,
      reasons: [{ reason: "rude", count: 1 }],
      target: { kind: "comment", id: commentId, excerpt: "Whoever wrote this idea should find another job." },
    });
    // It waits in this space's queue only.
    expect((await moderationQueue(t.db, otherModerator)).items.some((i) => i.key === `comment-${commentId}`)).toBe(false);

    // The idea itself can be flagged too; ideas are declined, not deleted, so the queue only dismisses those flags.
    const itemId = await ideaItemId(t.db, ideaId);
    await flagItem(t.db, reader, itemId, { reason: "needs_moderator", details: "This is a copy of the parking idea from last month." });
    const flagged = (await moderationQueue(t.db, spaceModerator)).items.find((i) => i.key === `item-${itemId}`);
    expect(flagged?.target).toMatchObject({ kind: "idea", id: itemId, page: { url: `/ideas/${ideaId}` }, canDelete: false, canClose: false });
  });

  test("authors delete and restore their own comments; what a moderator deleted, only a moderator restores", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const ideaId = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    const itemId = await ideaItemId(t.db, ideaId);
    const [writer, reader] = [await createUser(t.db), await createUser(t.db)];
    const { id: commentId } = await addComment(t.db, writer, itemId, { body: "Could this start with one team first?", submissionKey: undefined });
    expect(await commentCount(ideaId)).toBe(1);

    // The author deletes it: readers no longer see it, the author sees it marked and may restore it.
    expect(await deleteComment(t.db, writer, commentId)).toMatchObject({ changed: true, pageUrl: `/ideas/${ideaId}#comment-${commentId}` });
    expect(await commentCount(ideaId)).toBe(0);
    expect((await ideaPage(t.db, reader, ideaId)).comments).toEqual([]);
    expect((await ideaPage(t.db, writer, ideaId)).comments).toMatchObject([{ id: commentId, deleted: true, canUndelete: true }]);
    expect(await undeleteComment(t.db, writer, commentId)).toMatchObject({ changed: true });
    expect(await commentCount(ideaId)).toBe(1);
    expect((await ideaPage(t.db, reader, ideaId)).comments).toMatchObject([{ id: commentId, deleted: false, canDelete: false }]);

    // Nobody else removes it but the campaign's sponsor and moderators.
    await expect(deleteComment(t.db, reader, commentId)).rejects.toThrow(ForbiddenError);
    await deleteComment(t.db, sponsor, commentId);
    expect((await ideaPage(t.db, writer, ideaId)).comments).toMatchObject([{ id: commentId, deleted: true, canUndelete: false }]);
    await expect(undeleteComment(t.db, writer, commentId)).rejects.toThrow(/A moderator deleted this/);
    expect(await commentCount(ideaId)).toBe(0);
    await undeleteComment(t.db, sponsor, commentId);
    expect(await commentCount(ideaId)).toBe(1);
  });
});

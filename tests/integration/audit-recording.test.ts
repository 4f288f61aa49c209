import { and, asc, desc, eq, gt } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { auditLog, comments, posts, spaces } from "#db/schema/index.ts";
import { createTokenForUser, revokeApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { breakGlass } from "#app/features/anonymous/moderation.server.ts";
import { personAnalytics } from "#app/features/analytics/person.server.ts";
import { deleteArticle, undeleteArticle } from "#app/features/articles/articles.server.ts";
import { shortlistCsv } from "#app/features/expertise/directory.server.ts";
import { changeIdeaStatus } from "#app/features/ideas/workflow.server.ts";
import { redactRevision } from "#app/features/moderation/redaction.server.ts";
import { approvePublication, discardPublication, getPublication, proposePublication, setConsent } from "#app/features/publishing/publishing.server.ts";
import { deletePost, editPost, undeletePost } from "#app/features/qa/edit.server.ts";
import { createRound, movePhase } from "#app/features/recognition/awards.server.ts";
import { appendLedger, creditEarned } from "#app/features/recognition/points.server.ts";
import { approveRedemption, createReward, declineRedemption, redeem } from "#app/features/recognition/rewards.server.ts";
import { createScimUser, replaceScimUser } from "#app/features/scim/users.server.ts";
import { createScimGroup } from "#app/features/scim/groups.server.ts";
import { deleteComment } from "#app/features/social/comments.server.ts";
import { giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { addSpaceMember, removeSpaceMember, setSpaceMemberRole, updateSpace } from "#app/features/spaces/spaces.server.ts";
import { changeRole, deactivateUser, reactivateUser } from "#app/features/users/admin-users.server.ts";
import { deletePage, undeletePage } from "#app/features/wiki/pages.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createArticle, createComment, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * Issue 23: each action the audit log records writes its entry, with its actor, subject and target,
 * through the feature function that makes the change, in the same transaction (a rolled-back change
 * leaves none). One test per area.
 */
const t = setupTestDb();
type User = Awaited<ReturnType<typeof createUser>>;
let admin: User, hr: User, moderator: User, member: User, other: User;
let space: Awaited<ReturnType<typeof createSpace>>;

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  hr = await createUser(t.db, { name: "Hanna HR" }, "hr");
  moderator = await createUser(t.db, { name: "Mo Derator" });
  member = await createUser(t.db, { name: "Mia Member" });
  other = await createUser(t.db, { name: "Otto Other" });
  space = await createSpace(t.db, { slug: "audited", name: "Audited", moderators: [moderator], members: [member, other] });
});

/** The entries written after `since` (an id), oldest first, without the columns a test can't know. */
async function entriesAfter(since: number) {
  const rows = await t.db.select().from(auditLog).where(gt(auditLog.id, since)).orderBy(asc(auditLog.id));
  return rows.map((r) => ({
    actorId: r.actorId,
    via: r.via,
    action: r.action,
    subjectUserId: r.subjectUserId,
    targetType: r.targetType,
    targetId: r.targetId,
    spaceId: r.spaceId,
    details: r.details,
  }));
}

/** The newest entry's id so far (0 for none): a test reads what its own calls wrote after it. */
async function lastId(): Promise<number> {
  const [row] = await t.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return row?.id ?? 0;
}

describe("people and their access", () => {
  test("role changes, deactivation and reactivation by an admin", async () => {
    const since = await lastId();
    const person = await createUser(t.db);
    await changeRole(t.db, admin, person.id, "moderator");
    await changeRole(t.db, admin, person.id, "moderator"); // no change, no entry
    await deactivateUser(t.db, admin, person.id);
    await reactivateUser(t.db, admin, person.id);
    expect(await entriesAfter(since)).toEqual([
      expect.objectContaining({ actorId: admin.id, via: "user", action: "user.role_changed", subjectUserId: person.id, details: { from: "member", to: "moderator" } }),
      expect.objectContaining({ actorId: admin.id, action: "user.deactivated", subjectUserId: person.id }),
      expect.objectContaining({ actorId: admin.id, action: "user.reactivated", subjectUserId: person.id }),
    ]);
  });

  test("space members added, their role changed, removed; a space made restricted", async () => {
    const since = await lastId();
    const person = await createUser(t.db);
    const target = { targetType: "space", targetId: String(space.id), spaceId: space.id };
    await addSpaceMember(t.db, moderator, space.id, { email: person.email });
    await setSpaceMemberRole(t.db, moderator, space.id, person.id, "moderator");
    await removeSpaceMember(t.db, moderator, space.id, person.id);
    const other = await createSpace(t.db, { slug: "to-close", name: "To close" });
    await updateSpace(t.db, admin, other.id, { name: other.name, slug: other.slug, description: other.description, visibility: "restricted" });
    expect(await entriesAfter(since)).toEqual([
      { actorId: moderator.id, via: "user", action: "space.member_added", subjectUserId: person.id, ...target, details: { role: "member" } },
      { actorId: moderator.id, via: "user", action: "space.role_changed", subjectUserId: person.id, ...target, details: { from: "member", to: "moderator" } },
      { actorId: moderator.id, via: "user", action: "space.member_removed", subjectUserId: person.id, ...target, details: { role: "moderator" } },
      {
        actorId: admin.id,
        via: "user",
        action: "space.visibility_changed",
        subjectUserId: null,
        targetType: "space",
        targetId: String(other.id),
        spaceId: other.id,
        details: { space: "To close", from: "open", to: "restricted" },
      },
    ]);
  });
});

describe("content", () => {
  test("questions, answers, comments, articles and wiki pages deleted and restored; a revision redacted", async () => {
    const questionId = await createQuestion(t.db, { author: member, space });
    const answerId = await createAnswer(t.db, { author: other, questionId });
    const commentId = await createComment(t.db, { author: other, postId: questionId });
    const articleId = await createArticle(t.db, { author: member, space });
    const pageId = await createWikiPage(t.db, { author: member, space });
    const itemOf = async (id: number) => String((await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, id)))[0]!.itemId);
    const since = await lastId();
    await deletePost(t.db, moderator, answerId);
    await undeletePost(t.db, moderator, answerId);
    await deletePost(t.db, member, questionId);
    await deletePost(t.db, member, questionId); // already deleted: no entry
    await undeletePost(t.db, member, questionId);
    await deleteComment(t.db, moderator, commentId);
    await deleteArticle(t.db, moderator, articleId);
    await undeleteArticle(t.db, moderator, articleId);
    await deletePage(t.db, moderator, pageId);
    await undeletePage(t.db, moderator, pageId);
    await editPost(t.db, member, questionId, {
      title: "How do we rotate the staging secrets safely?",
      body: "The password is gone from here now, what else must change?",
      tags: ["general"],
      comment: "",
    });
    await redactRevision(t.db, moderator, Number(await itemOf(questionId)), { revision: 1, reason: "a password was posted" });
    const entries = await entriesAfter(since);
    const deletion = (actorId: number, action: string, subjectUserId: number, targetType: string, more: Record<string, unknown> = {}) =>
      expect.objectContaining({ actorId, action, subjectUserId, targetType, spaceId: space.id, ...more });
    expect(entries).toEqual([
      deletion(moderator.id, "content.deleted", other.id, "answer"),
      deletion(moderator.id, "content.undeleted", other.id, "answer"),
      deletion(member.id, "content.deleted", member.id, "question"),
      deletion(member.id, "content.undeleted", member.id, "question"),
      deletion(moderator.id, "content.deleted", other.id, "comment", { targetId: String(commentId) }),
      deletion(moderator.id, "content.deleted", member.id, "article"),
      deletion(moderator.id, "content.undeleted", member.id, "article"),
      deletion(moderator.id, "content.deleted", member.id, "wiki_page"),
      deletion(moderator.id, "content.undeleted", member.id, "wiki_page"),
      deletion(moderator.id, "content.redacted", member.id, "question", { details: { revision: 1, reason: "a password was posted" } }),
    ]);
    // Content is named by its item id, the same for every kind.
    expect(entries[0]!.targetId).toBe(await itemOf(answerId));
    expect(entries[2]!.targetId).toBe(await itemOf(questionId));
  });

  test("kudos withdrawn by HR, with the reason", async () => {
    const value = await createValue(t.db);
    const given = await giveKudos(t.db, other, { receiverIds: [member.id], valueId: value.id, pointsEach: 0, message: "Thanks for the handover notes" });
    const since = await lastId();
    await withdrawKudos(t.db, hr, given.itemId, "Sent to the wrong person");
    expect(await entriesAfter(since)).toEqual([
      expect.objectContaining({
        actorId: hr.id,
        action: "content.deleted",
        subjectUserId: other.id,
        targetType: "kudos",
        targetId: String(given.itemId),
        details: { reason: "Sent to the wrong person" },
      }),
    ]);
  });

  test("a change that is rolled back leaves no entry", async () => {
    const questionId = await createQuestion(t.db, { author: member, space });
    const commentId = await createComment(t.db, { author: other, postId: questionId });
    const since = await lastId();
    // The moderation queue deletes inside its own transaction: here that transaction fails after the delete.
    await expect(
      t.db.transaction(async (tx) => {
        await deleteComment(tx, moderator, commentId);
        expect((await tx.select().from(auditLog).where(gt(auditLog.id, since))).length).toBe(1);
        throw new Error("the queue's next step failed");
      }),
    ).rejects.toThrow("the queue's next step failed");
    expect(await entriesAfter(since)).toEqual([]);
    const [comment] = await t.db.select({ deletedAt: comments.deletedAt }).from(comments).where(eq(comments.id, commentId));
    expect(comment!.deletedAt).toBeNull();
  });
});

describe("decisions", () => {
  test("a decision on an idea", async () => {
    const campaignId = await createCampaign(t.db, { sponsor: moderator, space });
    const ideaId = await createIdea(t.db, { author: member, campaignId });
    const since = await lastId();
    await changeIdeaStatus(t.db, moderator, ideaId, { status: "declined", reason: "We tried this last year and it did not stick." });
    expect(await entriesAfter(since)).toEqual([
      {
        actorId: moderator.id,
        via: "user",
        action: "idea.status_changed",
        subjectUserId: member.id,
        targetType: "idea",
        targetId: String(await ideaItemId(t.db, ideaId)),
        spaceId: space.id,
        details: { from: "submitted", to: "declined", reason: "We tried this last year and it did not stick." },
      },
    ]);
  });

  test("a publication approved, and one discarded", async () => {
    const proposer = await createUser(t.db);
    const questionId = await createQuestion(t.db, { author: member, space });
    await createAnswer(t.db, { author: other, questionId });
    const { id } = await proposePublication(t.db, proposer, questionId);
    for (const author of [member, other]) await setConsent(t.db, author, id, { choice: "named" });
    const view = await getPublication(t.db, moderator, id);
    const since = await lastId();
    expect(await approvePublication(t.db, moderator, id, view.revision)).toEqual({ published: false });
    const second = await proposePublication(t.db, proposer, await createQuestion(t.db, { author: member, space }));
    await discardPublication(t.db, moderator, second.id);
    expect(await entriesAfter(since)).toEqual([
      expect.objectContaining({ actorId: moderator.id, action: "publication.approved", subjectUserId: proposer.id, targetType: "publication", targetId: String(id), spaceId: space.id }),
      expect.objectContaining({ actorId: moderator.id, action: "publication.rejected", subjectUserId: proposer.id, targetType: "publication", targetId: String(second.id) }),
    ]);
  });

  test("an award round created and moved on; a reward approved and one declined", async () => {
    const now = new Date();
    const hour = 3_600_000;
    const at = (ms: number) => new Date(now.getTime() + ms);
    const since = await lastId();
    const { id: roundId } = await createRound(
      t.db,
      hr,
      {
        title: "Helper of the year",
        description: "Who helped the most people this year?",
        reward: "A dinner",
        nomineeScope: "everyone",
        nomineeDepartment: "",
        selfNomination: false,
        shortlist: false,
        votesPerVoter: 1,
        winnerCount: 1,
        jurors: [],
        nominationsOpenAt: at(hour),
        nominationsCloseAt: at(24 * hour),
        votingOpenAt: at(24 * hour),
        votingCloseAt: at(48 * hour),
        resultsAt: at(72 * hour),
        submissionKey: undefined,
      },
      now,
    );
    await movePhase(t.db, hr, roundId, "open-nominations", now);
    const { id: rewardId } = await createReward(t.db, hr, { name: "Mug", description: "A mug.", cost: 10, stock: null, active: true });
    await t.db.transaction(async (tx) => {
      await creditEarned(tx, [{ userId: member.id, points: 50 }]);
      await appendLedger(tx, [{ userId: member.id, account: "earned", entry: "received", points: 50 }]);
    });
    const first = await redeem(t.db, member, rewardId, undefined);
    const second = await redeem(t.db, member, rewardId, undefined);
    await approveRedemption(t.db, hr, first.id);
    await declineRedemption(t.db, hr, second.id, "Out of mugs this month.");
    const entries = await entriesAfter(since);
    expect(entries.map((e) => [e.action, e.actorId, e.subjectUserId, e.targetType])).toEqual([
      ["award.round_created", hr.id, null, "award_round"],
      ["award.round_moved", hr.id, null, "award_round"],
      ["reward.approved", hr.id, member.id, "redemption"],
      ["reward.declined", hr.id, member.id, "redemption"],
    ]);
    expect(entries[1]!.details).toEqual({ step: "open-nominations" });
    expect(entries[3]!.details).toEqual({ reward: rewardId, points: 10, reason: "Out of mugs this month." });
  });
});

describe("HR and confidentiality", () => {
  test("HR opening a person's analytics, and a shortlist export, each write an entry per person", async () => {
    const since = await lastId();
    await personAnalytics(t.db, hr, member.id);
    await shortlistCsv(t.db, hr, [member.id, other.id, hr.id], []);
    expect(await entriesAfter(since)).toEqual([
      { actorId: hr.id, via: "user", action: "hr.person_viewed", subjectUserId: member.id, targetType: "user", targetId: String(member.id), spaceId: null, details: { what: "analytics" } },
      { actorId: hr.id, via: "user", action: "hr.person_viewed", subjectUserId: member.id, targetType: "user", targetId: String(member.id), spaceId: null, details: { what: "shortlist" } },
      { actorId: hr.id, via: "user", action: "hr.person_viewed", subjectUserId: other.id, targetType: "user", targetId: String(other.id), spaceId: null, details: { what: "shortlist" } },
    ]);
  });

  test("a break-glass names the question, never the asker", async () => {
    const open = await createSpace(t.db, { slug: "ask-freely", name: "Ask freely", anonymousQuestions: true, moderators: [moderator] });
    const { id: questionId } = await askAnonymously(t.db, member, {
      space: open.slug,
      title: "Is the reorganisation going to affect our team?",
      body: "I heard rumours and would like to know before the all-hands.",
      tags: ["general"],
      submissionKey: undefined,
    });
    const since = await lastId();
    await breakGlass(t.db, moderator, questionId, { reason: "A threat was posted in a comment." });
    const [question] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, questionId));
    expect(await entriesAfter(since)).toEqual([
      {
        actorId: moderator.id,
        via: "user",
        action: "anonymous.asker_revealed",
        subjectUserId: null,
        targetType: "question",
        targetId: String(question!.itemId),
        spaceId: open.id,
        details: { reason: "A threat was posted in a comment." },
      },
    ]);
  });
});

describe("integrations", () => {
  test("an API token created and revoked", async () => {
    const since = await lastId();
    const { row } = await createTokenForUser(t.db, member, { name: "CLI", scope: "read", expiresInDays: 30 });
    expect(await revokeApiToken(t.db, member.id, row.id)).toBe(true);
    expect(await revokeApiToken(t.db, member.id, row.id)).toBe(false);
    const target = { subjectUserId: member.id, targetType: "token", targetId: String(row.id) };
    expect(await entriesAfter(since)).toEqual([
      expect.objectContaining({ actorId: member.id, action: "token.created", ...target, details: { name: "CLI", scope: "read", prefix: row.prefix } }),
      expect.objectContaining({ actorId: member.id, action: "token.revoked", ...target, details: { name: "CLI", prefix: row.prefix } }),
    ]);
  });

  test("SCIM creates, updates and deactivates a person and changes a group, with no actor", async () => {
    const since = await lastId();
    const notes = { keptLastAdmin: [] };
    const created = await t.db.transaction((tx) =>
      createScimUser({ db: tx, now: new Date(), notes }, { userName: "sam.scim@example.com", emails: [{ value: "sam.scim@example.com", primary: true }], name: { formatted: "Sam Scim" } }),
    );
    const id = String(created.id);
    await t.db.transaction((tx) =>
      replaceScimUser({ db: tx, now: new Date(), notes }, id, {
        userName: "sam.scim@example.com",
        emails: [{ value: "sam.scim@example.com", primary: true }],
        name: { formatted: "Sam Scimmer" },
        active: false,
      }),
    );
    await t.db.transaction((tx) => createScimGroup({ db: tx, now: new Date(), notes }, { displayName: "Engineering", members: [{ value: id }] }));
    const scim = { actorId: null, via: "scim", subjectUserId: Number(id), targetType: "user", targetId: id, spaceId: null };
    const entries = await entriesAfter(since);
    expect(entries).toEqual([
      { ...scim, action: "scim.user_created", details: { linked: false } },
      { ...scim, action: "scim.user_updated", details: { fields: ["name"] } },
      { ...scim, action: "scim.user_deactivated", details: {} },
      expect.objectContaining({ actorId: null, via: "scim", action: "scim.group_changed", targetType: "scim_group", details: { group: "Engineering", created: true, joined: [Number(id)] } }),
    ]);
  });
});

test("spaces' names in entries are the names at the time (a later rename changes no entry)", async () => {
  const renamed = await createSpace(t.db, { slug: "renamed", name: "Before" });
  await updateSpace(t.db, admin, renamed.id, { name: "Before", slug: renamed.slug, description: renamed.description, visibility: "restricted" });
  await t.db.update(spaces).set({ name: "After" }).where(eq(spaces.id, renamed.id));
  const [entry] = await t.db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, "space.visibility_changed"), eq(auditLog.targetId, String(renamed.id))));
  expect(entry!.details).toMatchObject({ space: "Before" });
});

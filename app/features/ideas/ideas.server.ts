import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { campaigns, ideaEvents, ideaOwners, ideas, users, votes } from "#db/schema/index.ts";
import { renderField, resolveTags } from "#app/features/qa/posts.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { commentsOn } from "#app/features/social/comments.server.ts";
import { followInTx, followState } from "#app/features/social/follows.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { appendRevision, revisionHistory } from "#app/features/social/revisions.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
// issue 21: webhook event
import { emitIdeaCreated } from "#app/features/webhooks/build.server.ts";
import { type Campaign, campaignPhase, type IdeaAccess, loadCampaign, loadIdea } from "./access.server.ts";
import { peopleInSpace } from "./people.server.ts";
import { dropOwnersVotesAndScores, recountVotes, votesUsed } from "./votes.server.ts";
import { settleIdeaReputation } from "./workflow.server.ts";
import { type EditIdeaInput, type IdeaInput, ownerEditBlockReason } from "./schemas.ts";

/**
 * Writing ideas: submitting, editing (every version kept) and co-owners; the idea's page. Each
 * write is one transaction with its outbox row and notifications. Markdown is rendered before the
 * transaction opens. Comments, follows, votes and revisions are the social layer's
 * (app/features/social/), on the idea's item; kind.server.ts tells that layer what an idea is.
 */

function checkCategory(campaign: Campaign, category: string): string {
  if (campaign.categories.length === 0) return "";
  if (!category) throw InputError.field("category", "Choose a category.");
  const match = campaign.categories.find((c) => c.toLowerCase() === category.toLowerCase());
  if (!match) throw InputError.field("category", `Choose one of the campaign's categories: ${campaign.categories.join(", ")}.`);
  return match;
}

/** Invites co-owners (they accept on the idea's page); people already owners or invited are skipped. */
async function invite(tx: Tx, actor: Actor, idea: { id: number; itemId: number; spaceId: number }, userIds: number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await tx
    .insert(ideaOwners)
    .values(userIds.map((userId) => ({ ideaId: idea.id, userId, state: "invited" as const, invitedById: actor.id })))
    .onConflictDoNothing()
    .returning({ userId: ideaOwners.userId });
  const invited = rows.map((r) => r.userId);
  await notify(tx, invited, { kind: "idea_invite", actorId: actor.id, spaceId: idea.spaceId, itemId: idea.itemId });
  return invited;
}

const IDEA_SUBMISSION = { author: ideas.authorId, key: ideas.submissionKey, id: ideas.id };

export async function submitIdea(db: Db, actor: ReputationActor, campaignId: number, input: IdeaInput, now = new Date()): Promise<{ id: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const { campaign, membership } = await loadCampaign(tx, actor, campaignId, { lock: "share" });
    return onceBySubmission(tx, ideas, IDEA_SUBMISSION, actor.id, input.submissionKey, async () => {
      const phase = campaignPhase(campaign, now);
      if (phase === "upcoming") throw new InputError("This campaign has not started yet: ideas open on its start date.");
      if (phase !== "open") throw new InputError("This campaign is closed: it takes no new ideas.");
      const category = checkCategory(campaign, input.category);
      const tagRows = await resolveTags(tx, actor, membership, input.tags);
      const coOwners = await peopleInSpace(tx, input.coOwners, campaign.spaceId, "coOwners", actor.id);
      const tagNames = tagRows.map((t) => t.name);
      const [idea] = await tx
        .insert(ideas)
        .values({
          campaignId: campaign.id,
          spaceId: campaign.spaceId,
          authorId: actor.id,
          title: input.title,
          body: input.body,
          bodyHtml,
          category,
          tags: tagNames,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [ideas.authorId, ideas.submissionKey] })
        // The item is the trigger's (migration 0008): it comes back with the row.
        .returning({ id: ideas.id, itemId: ideas.itemId, spaceId: ideas.spaceId });
      if (!idea) return null;
      await tx.insert(ideaOwners).values({ ideaId: idea.id, userId: actor.id, state: "accepted" });
      await appendRevision(tx, { itemId: idea.itemId, editorId: actor.id, kind: "create", title: input.title, body: input.body, category, tags: tagNames });
      await attachUploads(tx, { uploaderId: actor.id, itemId: idea.itemId, body: input.body });
      await tx.insert(ideaEvents).values({ ideaId: idea.id, kind: "submitted", actorId: actor.id, toStatus: "submitted" });
      await followInTx(tx, actor.id, idea.itemId);
      await invite(tx, actor, idea, coOwners);
      await enqueueIndexing(tx, "idea", [idea.id]);
      // issue 21: webhook event
      await emitIdeaCreated(tx, { ideaId: idea.id, spaceId: idea.spaceId });
      return idea.id;
    });
  });
}

/**
 * Who may edit an idea: the sponsor and moderators, and owners who accepted until the idea is
 * accepted (after that its text is what was decided on). A 403 with the reason otherwise.
 */
export async function requireIdeaEditor(db: Db | Tx, actor: Actor, access: IdeaAccess): Promise<void> {
  if (access.canManage) return;
  if (!(await isOwner(db, access.idea.id, actor.id))) throw new ForbiddenError("Only the idea's owners and the campaign's sponsor edit it.");
  const blocked = ownerEditBlockReason(access.idea.status);
  if (blocked) throw new ForbiddenError(blocked);
}

async function lockForEdit(tx: Tx, actor: Actor, ideaId: number): Promise<IdeaAccess> {
  const access = await loadIdea(tx, actor, ideaId, { lock: true });
  await requireIdeaEditor(tx, actor, access);
  if (access.idea.status === "merged") throw new InputError("This idea was merged into another one: edit that one instead.");
  return access;
}

export async function isOwner(db: Db | Tx, ideaId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: ideaOwners.userId })
    .from(ideaOwners)
    .where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.userId, userId), eq(ideaOwners.state, "accepted")));
  return Boolean(row);
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function editIdea(db: Db, actor: ReputationActor, ideaId: number, input: EditIdeaInput): Promise<{ revision: number }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const { idea, campaign, membership } = await lockForEdit(tx, actor, ideaId);
    const category = checkCategory(campaign, input.category);
    const tagRows = await resolveTags(tx, actor, membership, input.tags);
    const tagNames = tagRows.map((t) => t.name);
    if (input.title === idea.title && input.body === idea.body && category === idea.category && sameList(tagNames, idea.tags)) {
      throw new InputError("Nothing changed: edit the title, description, category or tags before saving.");
    }
    const { number } = await appendRevision(tx, {
      itemId: idea.itemId,
      editorId: actor.id,
      kind: "edit",
      title: input.title,
      body: input.body,
      category,
      tags: tagNames,
      comment: input.comment,
    });
    await tx
      .update(ideas)
      .set({ title: input.title, body: input.body, bodyHtml, category, tags: tagNames, revisionCount: number, lastEditedAt: sql`now()` })
      .where(eq(ideas.id, ideaId));
    await attachUploads(tx, { uploaderId: actor.id, itemId: idea.itemId, body: input.body });
    await enqueueIndexing(tx, "idea", [ideaId]);
    return { revision: number };
  });
}

/** An idea's versions, newest first, with who made each and the diff from the one before (the social layer's revisions, category included). */
export async function ideaHistory(db: Db, actor: Actor, ideaId: number) {
  const access = await loadIdea(db, actor, ideaId);
  return { ...access, revisions: await revisionHistory(db, access.idea.itemId) };
}

export async function inviteCoOwners(db: Db, actor: Actor, ideaId: number, handles: string[]): Promise<{ invited: number }> {
  return db.transaction(async (tx) => {
    const access = await loadIdea(tx, actor, ideaId, { lock: true });
    if (!(await isOwner(tx, ideaId, actor.id))) throw new ForbiddenError("Only the idea's owners invite co-owners.");
    const ids = await peopleInSpace(tx, handles, access.idea.spaceId, "coOwners", actor.id);
    const invited = await invite(tx, actor, access.idea, ids);
    if (invited.length === 0) throw InputError.field("coOwners", "Everyone named already owns this idea or has been invited.");
    return { invited: invited.length };
  });
}

/**
 * An invited co-owner accepts (and is credited from then on, reputation included, and gets back
 * any vote they gave the idea) or declines.
 */
export async function answerInvitation(db: Db, actor: Actor, ideaId: number, accept: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const { idea } = await loadIdea(tx, actor, ideaId, { lock: true });
    const [row] = await tx
      .select({ state: ideaOwners.state })
      .from(ideaOwners)
      .where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.userId, actor.id)));
    if (!row || row.state !== "invited") throw new InputError("There is no invitation to answer: it was answered already or withdrawn.");
    if (accept) {
      await tx
        .update(ideaOwners)
        .set({ state: "accepted" })
        .where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.userId, actor.id)));
      await followInTx(tx, actor.id, idea.itemId);
      // An owner does not vote for their own idea: an earlier vote comes back to their budget.
      const { votesReturned } = await dropOwnersVotesAndScores(tx, ideaId);
      if (votesReturned > 0) await recountVotes(tx, [ideaId]);
      await enqueueIndexing(tx, "person", [actor.id], { priority: 1 });
    } else {
      await tx.delete(ideaOwners).where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.userId, actor.id)));
    }
    // Someone joining an idea that is already accepted or implemented earns what the others earned,
    // unless they decided it; and whether the decider owns it can change what everyone holds.
    await settleIdeaReputation(tx, idea.id);
  });
}

export type IdeaOwner = { id: number; name: string; title: string; state: "invited" | "accepted"; mergedFromId: number | null };

/**
 * An idea's page: the idea, its owners, timeline, comments, the viewer's vote, follow and
 * invitation, and what the viewer may do. Scores are not here: see scores.server.ts.
 */
export async function ideaPage(db: Db, actor: Actor, ideaId: number, now = new Date()) {
  const access = await loadIdea(db, actor, ideaId);
  const { idea, campaign } = access;
  const [author, owners, timeline, comments, mine, follow, mergedInto, mergedFrom] = await Promise.all([
    db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, idea.authorId)),
    db
      .select({ id: users.id, name: users.name, title: users.title, state: ideaOwners.state, mergedFromId: ideaOwners.mergedFromId })
      .from(ideaOwners)
      .innerJoin(users, eq(users.id, ideaOwners.userId))
      .where(eq(ideaOwners.ideaId, ideaId))
      // The author first: co-owners invited with the idea share its creation time.
      .orderBy(sql`${ideaOwners.userId} = ${idea.authorId} desc`, asc(ideaOwners.createdAt), asc(users.name)),
    db
      .select({
        id: ideaEvents.id,
        kind: ideaEvents.kind,
        fromStatus: ideaEvents.fromStatus,
        toStatus: ideaEvents.toStatus,
        reason: ideaEvents.reason,
        otherIdeaId: ideaEvents.otherIdeaId,
        otherTitle: sql<string | null>`(select title from ${ideas} o where o.id = ${ideaEvents.otherIdeaId})`,
        createdAt: ideaEvents.createdAt,
        actor: { id: users.id, name: users.name },
      })
      .from(ideaEvents)
      .innerJoin(users, eq(users.id, ideaEvents.actorId))
      .where(eq(ideaEvents.ideaId, ideaId))
      .orderBy(asc(ideaEvents.createdAt), asc(ideaEvents.id)),
    // Comments as every kind shows them: the sponsor and moderators (canManage) moderate them.
    commentsOn(db, actor, [idea.itemId], { canModerate: access.canManage }),
    db
      .select({ one: sql`1` })
      .from(votes)
      .where(and(eq(votes.itemId, idea.itemId), eq(votes.userId, actor.id))),
    followState(db, actor.id, { itemId: idea.itemId }),
    idea.mergedIntoId ? db.select({ id: ideas.id, title: ideas.title }).from(ideas).where(eq(ideas.id, idea.mergedIntoId)) : Promise.resolve([]),
    db.select({ id: ideas.id, title: ideas.title }).from(ideas).where(eq(ideas.mergedIntoId, ideaId)).orderBy(asc(ideas.id)),
  ]);
  const me = owners.find((o) => o.id === actor.id);
  const used = campaign.voteBudget === null ? 0 : await votesUsed(db, campaign.id, actor.id);
  return {
    ...access,
    phase: campaignPhase(campaign, now),
    author: author[0]!,
    owners: owners as IdeaOwner[],
    timeline,
    comments: comments.get(idea.itemId) ?? [],
    voted: mine.length > 0,
    following: follow.item,
    isOwner: me?.state === "accepted",
    invited: me?.state === "invited",
    mergedInto: mergedInto[0] ?? null,
    mergedFrom,
    votesLeft: campaign.voteBudget === null ? null : Math.max(0, campaign.voteBudget - used),
  };
}

export const PROFILE_IDEAS = 10;

/**
 * The ideas a person owns, in spaces the viewer may see, implemented ones first: the profile's
 * credit for ideas the company took ("acknowledge"). Merged duplicates are left out (their owners
 * are credited on the idea they went into). One query: the totals are window counts, taken before
 * the limit.
 */
export async function ideasOwnedBy(db: Db | Tx, viewer: Actor, userId: number) {
  const rows = await db
    .select({
      id: ideas.id,
      title: ideas.title,
      status: ideas.status,
      voteCount: ideas.voteCount,
      campaignTitle: campaigns.title,
      total: sql<number>`(count(*) over ())::int`,
      implemented: sql<number>`(count(*) filter (where ${ideas.status} = 'implemented') over ())::int`,
    })
    .from(ideaOwners)
    .innerJoin(ideas, eq(ideas.id, ideaOwners.ideaId))
    .innerJoin(campaigns, eq(campaigns.id, ideas.campaignId))
    .where(and(eq(ideaOwners.userId, userId), eq(ideaOwners.state, "accepted"), sql`${ideas.status} <> 'merged'`, inVisibleSpace(viewer, ideas.spaceId)))
    .orderBy(sql`${ideas.status} = 'implemented' desc`, desc(ideas.voteCount), desc(ideas.id))
    .limit(PROFILE_IDEAS);
  return {
    ideas: rows.map(({ total: _total, implemented: _implemented, ...idea }) => idea),
    total: rows[0]?.total ?? 0,
    implemented: rows[0]?.implemented ?? 0,
  };
}

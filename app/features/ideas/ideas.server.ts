import { and, asc, desc, eq, sql } from "drizzle-orm";
import { data } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { campaigns, ideaComments, ideaEvents, ideaFollows, ideaOwners, ideaRevisions, ideaVotes, ideas, users } from "#db/schema/index.ts";
import { notify } from "#app/features/notifications/notify.server.ts";
import { renderField, resolveTags } from "#app/features/qa/posts.server.ts";
import { diffRevisions } from "#app/features/qa/revisions.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { type Campaign, campaignPhase, type IdeaAccess, loadCampaign, loadIdea } from "./access.server.ts";
import { peopleInSpace } from "./people.server.ts";
import { dropOwnersVotesAndScores, recountVotes, votesUsed } from "./votes.server.ts";
import { settleIdeaReputation } from "./workflow.server.ts";
import { type EditIdeaInput, type IdeaCommentInput, type IdeaInput, ownerEditBlockReason } from "./schemas.ts";

/**
 * Writing ideas: submitting, editing (every version kept), comments, follows and co-owners. Each
 * write is one transaction with its outbox row and notifications. Markdown is rendered before the
 * transaction opens.
 */

function forbidden(message: string): never {
  throw data(message, { status: 403 });
}

function checkCategory(campaign: Campaign, category: string): string {
  if (campaign.categories.length === 0) return "";
  if (!category) throw InputError.field("category", "Choose a category.");
  const match = campaign.categories.find((c) => c.toLowerCase() === category.toLowerCase());
  if (!match) throw InputError.field("category", `Choose one of the campaign's categories: ${campaign.categories.join(", ")}.`);
  return match;
}

/** Invites co-owners (they accept on the idea's page); people already owners or invited are skipped. */
async function invite(tx: Tx, actor: Actor, idea: { id: number; spaceId: number }, userIds: number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await tx
    .insert(ideaOwners)
    .values(userIds.map((userId) => ({ ideaId: idea.id, userId, state: "invited" as const, invitedById: actor.id })))
    .onConflictDoNothing()
    .returning({ userId: ideaOwners.userId });
  const invited = rows.map((r) => r.userId);
  await notify(tx, invited, { kind: "idea_invite", actorId: actor.id, spaceId: idea.spaceId, ideaId: idea.id });
  return invited;
}

async function existingIdea(tx: Tx, authorId: number, key: string | undefined) {
  if (!key) return null;
  const [row] = await tx
    .select({ id: ideas.id })
    .from(ideas)
    .where(and(eq(ideas.authorId, authorId), eq(ideas.submissionKey, key)));
  return row ?? null;
}

export async function submitIdea(db: Db, actor: ReputationActor, campaignId: number, input: IdeaInput, now = new Date()): Promise<{ id: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const { campaign, membership } = await loadCampaign(tx, actor, campaignId, { lock: "share" });
    const earlier = await existingIdea(tx, actor.id, input.submissionKey);
    if (earlier) return { id: earlier.id, created: false };
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
      .returning({ id: ideas.id, spaceId: ideas.spaceId });
    if (!idea) {
      const first = await existingIdea(tx, actor.id, input.submissionKey);
      return { id: first!.id, created: false };
    }
    await tx.insert(ideaOwners).values({ ideaId: idea.id, userId: actor.id, state: "accepted" });
    await tx.insert(ideaRevisions).values({ ideaId: idea.id, number: 1, editorId: actor.id, title: input.title, body: input.body, category, tags: tagNames });
    await tx.insert(ideaEvents).values({ ideaId: idea.id, kind: "submitted", actorId: actor.id, toStatus: "submitted" });
    await tx.insert(ideaFollows).values({ userId: actor.id, ideaId: idea.id }).onConflictDoNothing();
    await invite(tx, actor, idea, coOwners);
    await enqueueIndexing(tx, "idea", [idea.id]);
    return { id: idea.id, created: true };
  });
}

/**
 * Who may edit an idea: the sponsor and moderators, and owners who accepted until the idea is
 * accepted (after that its text is what was decided on). A 403 with the reason otherwise.
 */
export async function requireIdeaEditor(db: Db | Tx, actor: Actor, access: IdeaAccess): Promise<void> {
  if (access.canManage) return;
  if (!(await isOwner(db, access.idea.id, actor.id))) forbidden("Only the idea's owners and the campaign's sponsor edit it.");
  const blocked = ownerEditBlockReason(access.idea.status);
  if (blocked) forbidden(blocked);
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
    const number = idea.revisionCount + 1;
    await tx.insert(ideaRevisions).values({ ideaId, number, editorId: actor.id, title: input.title, body: input.body, category, tags: tagNames, comment: input.comment });
    await tx
      .update(ideas)
      .set({ title: input.title, body: input.body, bodyHtml, category, tags: tagNames, revisionCount: number, lastEditedAt: sql`now()` })
      .where(eq(ideas.id, ideaId));
    await enqueueIndexing(tx, "idea", [ideaId]);
    return { revision: number };
  });
}

/** An idea's versions, newest first, with who made each. */
export async function ideaHistory(db: Db, actor: Actor, ideaId: number) {
  const access = await loadIdea(db, actor, ideaId);
  const revisions = await db
    .select({
      id: ideaRevisions.id,
      number: ideaRevisions.number,
      title: ideaRevisions.title,
      body: ideaRevisions.body,
      category: ideaRevisions.category,
      tags: ideaRevisions.tags,
      comment: ideaRevisions.comment,
      createdAt: ideaRevisions.createdAt,
      // Redacted revisions hold the redaction notice in place of their title and text.
      redactedAt: ideaRevisions.redactedAt,
      editor: { id: users.id, name: users.name },
    })
    .from(ideaRevisions)
    .innerJoin(users, eq(users.id, ideaRevisions.editorId))
    .where(eq(ideaRevisions.ideaId, ideaId))
    .orderBy(desc(ideaRevisions.number));
  // Each revision with the word diff against the one before it (the next row, newest first).
  return { ...access, revisions: revisions.map((r, i) => ({ ...r, diff: revisions[i + 1] ? diffRevisions(revisions[i + 1]!, r) : null })) };
}

async function followers(tx: Db | Tx, ideaId: number): Promise<number[]> {
  const rows = await tx.select({ userId: ideaFollows.userId }).from(ideaFollows).where(eq(ideaFollows.ideaId, ideaId));
  return rows.map((r) => r.userId);
}

/** Everyone a change to an idea is news for: its owners, voters and followers. */
export async function ideaAudience(tx: Db | Tx, ideaId: number): Promise<number[]> {
  const [owners, voters, following] = await Promise.all([
    tx.select({ userId: ideaOwners.userId }).from(ideaOwners).where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.state, "accepted"))),
    tx.select({ userId: ideaVotes.userId }).from(ideaVotes).where(eq(ideaVotes.ideaId, ideaId)),
    followers(tx, ideaId),
  ]);
  return [...new Set([...owners.map((o) => o.userId), ...voters.map((v) => v.userId), ...following])];
}

export async function addIdeaComment(db: Db, actor: Actor, ideaId: number, input: IdeaCommentInput): Promise<{ id: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const { idea } = await loadIdea(tx, actor, ideaId);
    const earlierKey = async () => {
      if (!input.submissionKey) return null;
      const [row] = await tx
        .select({ id: ideaComments.id })
        .from(ideaComments)
        .where(and(eq(ideaComments.authorId, actor.id), eq(ideaComments.submissionKey, input.submissionKey)));
      return row ?? null;
    };
    const earlier = await earlierKey();
    if (earlier) return { id: earlier.id, created: false };
    const [comment] = await tx
      .insert(ideaComments)
      .values({ ideaId, spaceId: idea.spaceId, authorId: actor.id, body: input.body, bodyHtml, submissionKey: input.submissionKey ?? null })
      .onConflictDoNothing({ target: [ideaComments.authorId, ideaComments.submissionKey] })
      .returning({ id: ideaComments.id });
    if (!comment) return { id: (await earlierKey())!.id, created: false };
    await tx
      .update(ideas)
      .set({ commentCount: sql`${ideas.commentCount} + 1` })
      .where(eq(ideas.id, ideaId));
    const owners = await tx.select({ userId: ideaOwners.userId }).from(ideaOwners).where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.state, "accepted")));
    await notify(tx, [...owners.map((o) => o.userId), ...(await followers(tx, ideaId))], {
      kind: "idea_comment",
      actorId: actor.id,
      spaceId: idea.spaceId,
      ideaId,
      ideaCommentId: comment.id,
    });
    await tx.insert(ideaFollows).values({ userId: actor.id, ideaId }).onConflictDoNothing();
    await enqueueIndexing(tx, "idea", [ideaId]);
    return { id: comment.id, created: true };
  });
}

/** Its author and moderators remove a comment; it stays counted nowhere and shows as removed. */
export async function deleteIdeaComment(db: Db, actor: Actor, commentId: number): Promise<{ ideaId: number }> {
  return db.transaction(async (tx) => {
    if (!Number.isSafeInteger(commentId) || commentId <= 0 || commentId > 2_147_483_647) throw data(null, { status: 404 });
    const [comment] = await tx.select().from(ideaComments).where(eq(ideaComments.id, commentId)).for("update");
    if (!comment) throw data(null, { status: 404 });
    const access = await loadIdea(tx, actor, comment.ideaId);
    if (comment.authorId !== actor.id && !access.canManage) forbidden("Only the comment's author and moderators remove it.");
    if (comment.deletedAt) return { ideaId: comment.ideaId };
    await tx.update(ideaComments).set({ deletedAt: sql`now()` }).where(eq(ideaComments.id, commentId));
    await tx
      .update(ideas)
      .set({ commentCount: sql`greatest(${ideas.commentCount} - 1, 0)` })
      .where(eq(ideas.id, comment.ideaId));
    await enqueueIndexing(tx, "idea", [comment.ideaId]);
    return { ideaId: comment.ideaId };
  });
}

export async function followIdea(db: Db, actor: Actor, ideaId: number, follow: boolean): Promise<{ following: boolean }> {
  await loadIdea(db, actor, ideaId);
  if (follow) await db.insert(ideaFollows).values({ userId: actor.id, ideaId }).onConflictDoNothing();
  else await db.delete(ideaFollows).where(and(eq(ideaFollows.userId, actor.id), eq(ideaFollows.ideaId, ideaId)));
  return { following: follow };
}

export async function inviteCoOwners(db: Db, actor: Actor, ideaId: number, handles: string[]): Promise<{ invited: number }> {
  return db.transaction(async (tx) => {
    const access = await loadIdea(tx, actor, ideaId, { lock: true });
    if (!(await isOwner(tx, ideaId, actor.id))) forbidden("Only the idea's owners invite co-owners.");
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
      await tx.insert(ideaFollows).values({ userId: actor.id, ideaId }).onConflictDoNothing();
      // An owner does not vote for their own idea: an earlier vote comes back to their budget.
      const { votesReturned } = await dropOwnersVotesAndScores(tx, ideaId);
      if (votesReturned > 0) await recountVotes(tx, [ideaId]);
      await enqueueIndexing(tx, "person", [actor.id]);
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
  const [author, owners, timeline, comments, mine, following, mergedInto, mergedFrom] = await Promise.all([
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
    db
      .select({
        id: ideaComments.id,
        body: ideaComments.body,
        bodyHtml: ideaComments.bodyHtml,
        deleted: sql<boolean>`${ideaComments.deletedAt} is not null`,
        createdAt: ideaComments.createdAt,
        author: { id: users.id, name: users.name },
      })
      .from(ideaComments)
      .innerJoin(users, eq(users.id, ideaComments.authorId))
      .where(eq(ideaComments.ideaId, ideaId))
      .orderBy(asc(ideaComments.createdAt), asc(ideaComments.id)),
    db
      .select({ one: sql`1` })
      .from(ideaVotes)
      .where(and(eq(ideaVotes.ideaId, ideaId), eq(ideaVotes.userId, actor.id))),
    db
      .select({ one: sql`1` })
      .from(ideaFollows)
      .where(and(eq(ideaFollows.ideaId, ideaId), eq(ideaFollows.userId, actor.id))),
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
    comments: comments.map((c) => (c.deleted && c.author.id !== actor.id && !access.canManage ? { ...c, body: "", bodyHtml: "" } : c)),
    voted: mine.length > 0,
    following: following.length > 0,
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

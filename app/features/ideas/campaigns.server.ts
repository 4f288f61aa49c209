import { and, asc, count, desc, eq, isNotNull, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { campaignEvaluators, campaigns, ideaOwners, ideas, spaces, users, votes } from "#db/schema/index.ts";
import { renderField } from "#app/features/qa/posts.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import { type Actor, canSeeSpace, spaceBySlugForActor, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { type CampaignAccess, type CampaignPhase, campaignPhase, canSponsor, loadCampaign } from "./access.server.ts";
import { DEFAULT_CRITERIA, IDEA_STATUSES, type CampaignInput, type IdeaStatus } from "./schemas.ts";
import { IDEAS_PAGE_SIZE, type IdeaListParams } from "./list-params.ts";
import { peopleInSpace } from "./people.server.ts";
import { votesUsed } from "./votes.server.ts";

/**
 * Campaigns: creating and running them, and reading their pages. A campaign takes new ideas and
 * votes only while open (between its start and end dates, not closed early, not archived);
 * decisions on its ideas go on after it closes.
 */

export async function createCampaign(db: Db, actor: Actor, input: CampaignInput): Promise<{ id: number; created: boolean }> {
  const briefHtml = renderField(input.brief, "brief");
  return db.transaction(async (tx) => {
    const { space, membership } = await spaceBySlugForActor(tx, actor, input.space);
    if (!canSponsor(actor, membership)) throw new ForbiddenError("Campaigns are started by moderators and admins: ask a moderator of this space to sponsor it.");
    return onceBySubmission(tx, campaigns, { author: campaigns.sponsorId, key: campaigns.submissionKey, id: campaigns.id }, actor.id, input.submissionKey, async () => {
      const evaluatorIds = await peopleInSpace(tx, input.evaluators, space.id, "evaluators");
      const [campaign] = await tx
        .insert(campaigns)
        .values({
          spaceId: space.id,
          sponsorId: actor.id,
          title: input.title,
          brief: input.brief,
          briefHtml,
          categories: input.categories,
          criteria: input.criteria.length > 0 ? input.criteria : DEFAULT_CRITERIA,
          startsAt: input.startsOn,
          // Through the whole of the last day.
          endsAt: new Date(input.endsOn.getTime() + 24 * 3600 * 1000),
          voteBudget: input.voteBudget,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [campaigns.sponsorId, campaigns.submissionKey] })
        .returning({ id: campaigns.id });
      if (!campaign) return null;
      if (evaluatorIds.length > 0) await tx.insert(campaignEvaluators).values(evaluatorIds.map((userId) => ({ campaignId: campaign.id, userId })));
      return campaign.id;
    });
  });
}

export type CampaignAction = "close" | "reopen" | "archive" | "unarchive";

/**
 * Closing early (votes freeze), reopening a campaign closed early, archiving and unarchiving. A
 * campaign past its end date stays closed: reopening it means moving its end date.
 */
export async function runCampaign(db: Db, actor: Actor, campaignId: number, action: CampaignAction, now = new Date()): Promise<CampaignPhase> {
  return db.transaction(async (tx) => {
    const { campaign, canManage } = await loadCampaign(tx, actor, campaignId, { lock: "update" });
    if (!canManage) throw new ForbiddenError("Only the campaign's sponsor and moderators run it.");
    const set: Partial<typeof campaigns.$inferInsert> = {};
    if (action === "close") {
      if (campaignPhase(campaign, now) !== "open" && campaignPhase(campaign, now) !== "upcoming") throw new InputError("The campaign is not open.");
      set.closedAt = now;
    } else if (action === "reopen") {
      if (!campaign.closedAt) throw new InputError("The campaign was not closed early.");
      if (now >= campaign.endsAt) throw new InputError("The campaign's end date has passed: it cannot open again.");
      set.closedAt = null;
    } else if (action === "archive") {
      set.archivedAt = now;
      if (!campaign.closedAt && now < campaign.endsAt) set.closedAt = now;
    } else {
      set.archivedAt = null;
    }
    const [updated] = await tx.update(campaigns).set(set).where(eq(campaigns.id, campaign.id)).returning();
    return campaignPhase(updated!, now);
  });
}

const PHASE_SQL = (now: Date): SQL<CampaignPhase> => sql<CampaignPhase>`case
  when ${campaigns.archivedAt} is not null then 'archived'
  when ${campaigns.closedAt} is not null or ${campaigns.endsAt} <= ${now.toISOString()}::timestamptz then 'closed'
  when ${campaigns.startsAt} > ${now.toISOString()}::timestamptz then 'upcoming'
  else 'open' end`;

export type CampaignSummary = {
  id: number;
  title: string;
  phase: CampaignPhase;
  startsAt: Date;
  endsAt: Date;
  ideaCount: number;
  space: { slug: string; name: string };
  sponsorName: string;
};

/** Campaigns someone may see, open and upcoming first, then closed; archived only when asked for. One query. */
export async function campaignList(db: Db | Tx, actor: Actor, options: { spaceId?: number; archived?: boolean; now?: Date } = {}): Promise<CampaignSummary[]> {
  const now = options.now ?? new Date();
  const phase = PHASE_SQL(now);
  const rows = await db
    .select({
      id: campaigns.id,
      title: campaigns.title,
      phase,
      startsAt: campaigns.startsAt,
      endsAt: campaigns.endsAt,
      ideaCount: sql<number>`(select count(*)::int from ${ideas} where ${ideas.campaignId} = ${campaigns.id} and ${ideas.status} <> 'merged')`,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
      sponsorName: users.name,
    })
    .from(campaigns)
    .innerJoin(spaces, eq(spaces.id, campaigns.spaceId))
    .innerJoin(users, eq(users.id, campaigns.sponsorId))
    .where(
      and(
        visibleSpacesCondition(actor),
        options.spaceId ? eq(campaigns.spaceId, options.spaceId) : undefined,
        options.archived ? isNotNull(campaigns.archivedAt) : isNull(campaigns.archivedAt),
      ),
    )
    .orderBy(sql`case ${phase} when 'open' then 0 when 'upcoming' then 1 else 2 end`, desc(campaigns.endsAt), desc(campaigns.id))
    .limit(200);
  return rows.map((r) => ({ ...r, space: { slug: r.spaceSlug, name: r.spaceName } }));
}

/** Workflow order, for the "status" sort: ideas furthest along first. */
const STATUS_RANK = sql`array_position(array['implemented','in_progress','accepted','under_review','submitted','declined','merged']::idea_status[], ${ideas.status})`;

export type IdeaRow = {
  id: number;
  /** Its item in the social layer: what the vote button posts to. */
  itemId: number;
  title: string;
  category: string;
  status: IdeaStatus;
  voteCount: number;
  commentCount: number;
  createdAt: Date;
  author: { id: number; name: string };
  voted: boolean;
  /** The viewer owns it (author, co-owner or through a merge): no vote for it. */
  owned: boolean;
};

/**
 * A campaign's page: the campaign, a page of its ideas in the chosen order and filters, which of
 * them the viewer voted for and how many votes they have left. Merged ideas are listed only when
 * asked for by status: their votes live on the idea they went into.
 */
export async function campaignPage(db: Db, actor: Actor, campaignId: number, params: IdeaListParams, now = new Date()) {
  const access = await loadCampaign(db, actor, campaignId);
  const { campaign } = access;
  const where = and(
    eq(ideas.campaignId, campaign.id),
    params.status ? eq(ideas.status, params.status) : ne(ideas.status, "merged"),
    params.category ? eq(ideas.category, params.category) : undefined,
  );
  const order =
    params.sort === "top"
      ? [desc(ideas.voteCount), desc(ideas.createdAt), desc(ideas.id)]
      : params.sort === "newest"
        ? [desc(ideas.createdAt), desc(ideas.id)]
        : params.sort === "status"
          ? [asc(STATUS_RANK), desc(ideas.voteCount), desc(ideas.id)]
          : [desc(ideas.trending), desc(ideas.createdAt), desc(ideas.id)];
  const [rows, [total], counts, used, sponsor] = await Promise.all([
    db
      .select({
        id: ideas.id,
        title: ideas.title,
        category: ideas.category,
        status: ideas.status,
        voteCount: ideas.voteCount,
        commentCount: ideas.commentCount,
        createdAt: ideas.createdAt,
        authorId: users.id,
        authorName: users.name,
        itemId: ideas.itemId,
        voted: sql<boolean>`exists (select 1 from ${votes} where ${votes.itemId} = ${ideas.itemId} and ${votes.userId} = ${actor.id})`,
        owned: sql<boolean>`exists (select 1 from ${ideaOwners} where ${ideaOwners.ideaId} = ${ideas.id} and ${ideaOwners.userId} = ${actor.id} and ${ideaOwners.state} = 'accepted')`,
      })
      .from(ideas)
      .innerJoin(users, eq(users.id, ideas.authorId))
      .where(where)
      .orderBy(...order)
      .limit(IDEAS_PAGE_SIZE)
      .offset((params.page - 1) * IDEAS_PAGE_SIZE),
    db.select({ n: count() }).from(ideas).where(where),
    db.select({ status: ideas.status, n: count() }).from(ideas).where(eq(ideas.campaignId, campaign.id)).groupBy(ideas.status),
    campaign.voteBudget === null ? Promise.resolve(0) : votesUsed(db, campaign.id, actor.id),
    db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, campaign.sponsorId)),
  ]);
  const statusCounts = Object.fromEntries(IDEA_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])) as Record<IdeaStatus, number>;
  return {
    ...access,
    phase: campaignPhase(campaign, now),
    sponsor: sponsor[0]!,
    ideas: rows.map((r): IdeaRow => ({
      id: r.id,
      itemId: r.itemId,
      title: r.title,
      category: r.category,
      status: r.status,
      voteCount: r.voteCount,
      commentCount: r.commentCount,
      createdAt: r.createdAt,
      author: { id: r.authorId, name: r.authorName },
      voted: r.voted,
      owned: r.owned,
    })),
    total: total?.n ?? 0,
    statusCounts,
    votesLeft: campaign.voteBudget === null ? null : Math.max(0, campaign.voteBudget - used),
  };
}

/** Who evaluates a campaign, by name (for its sponsor's views). */
export async function campaignEvaluatorNames(db: Db | Tx, campaignId: number): Promise<Array<{ id: number; name: string }>> {
  return db
    .select({ id: users.id, name: users.name })
    .from(campaignEvaluators)
    .innerJoin(users, eq(users.id, campaignEvaluators.userId))
    .where(eq(campaignEvaluators.campaignId, campaignId))
    .orderBy(users.name);
}

/** Spaces where the actor may sponsor a campaign (for the new-campaign form's space list). */
export async function sponsorableSpaces(db: Db | Tx, actor: Actor): Promise<Array<{ slug: string; name: string }>> {
  const rows = await db.execute<{ slug: string; name: string; visibility: "open" | "restricted"; role: "member" | "moderator" | null }>(sql`
    select s.slug, s.name, s.visibility, m.role
    from spaces s left join space_members m on m.space_id = s.id and m.user_id = ${actor.id}
    order by s.name`);
  return rows
    .filter((r) => {
      const membership = r.role ? { role: r.role } : null;
      return canSeeSpace(actor, r, membership) && canSponsor(actor, membership);
    })
    .map((r) => ({ slug: r.slug, name: r.name }));
}

export type { CampaignAccess };

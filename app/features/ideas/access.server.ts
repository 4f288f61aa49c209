import { and, eq, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { campaignEvaluators, campaigns, ideas, spaceMembers, spaces } from "#db/schema/index.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, canSeeSpace, type Membership, type Space, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Loading a campaign or an idea for someone, through the visibility module: one in a space the
 * actor may not see answers the same 404 as one that does not exist.
 */

export type Campaign = typeof campaigns.$inferSelect;
export type Idea = typeof ideas.$inferSelect;
export type CampaignPhase = "upcoming" | "open" | "closed" | "archived";

export type CampaignAccess = {
  campaign: Campaign;
  space: Space;
  membership: Membership;
  /** The sponsor, admins, site moderators and moderators of the space: they decide on ideas. */
  canManage: boolean;
  isEvaluator: boolean;
};

/** Where a campaign is in its life at `now`. Votes and new ideas are taken only while "open". */
export function campaignPhase(campaign: Pick<Campaign, "startsAt" | "endsAt" | "closedAt" | "archivedAt">, now: Date): CampaignPhase {
  if (campaign.archivedAt) return "archived";
  if (campaign.closedAt || now >= campaign.endsAt) return "closed";
  if (now < campaign.startsAt) return "upcoming";
  return "open";
}

/** Who may create a campaign in a space: admins, site moderators and the space's moderators. */
export function canSponsor(actor: Actor, membership: Membership): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && isModerator(actor, membership);
}

export async function loadCampaign(db: Db | Tx, actor: Actor, campaignId: number, options: { lock?: "share" | "update" } = {}): Promise<CampaignAccess> {
  if (!isRowId(campaignId)) spaceNotFound();
  const query = db
    .select({ campaign: campaigns, space: spaces, role: spaceMembers.role, evaluator: campaignEvaluators.userId })
    .from(campaigns)
    .innerJoin(spaces, eq(spaces.id, campaigns.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .leftJoin(campaignEvaluators, and(eq(campaignEvaluators.campaignId, campaigns.id), eq(campaignEvaluators.userId, actor.id)))
    .where(and(eq(campaigns.id, campaignId), visibleSpacesCondition(actor)))
    .limit(1);
  const [row] = options.lock ? await query.for(options.lock === "share" ? "share" : "update", { of: campaigns }) : await query;
  if (!row) spaceNotFound();
  const membership: Membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, row.space, membership)) spaceNotFound();
  const canManage = row.campaign.sponsorId === actor.id || isModerator(actor, membership);
  return { campaign: row.campaign, space: row.space, membership, canManage, isEvaluator: row.evaluator !== null };
}

export type IdeaAccess = CampaignAccess & { idea: Idea };

/** An idea and its campaign, for someone. `lock` takes the campaign FOR SHARE and the idea FOR UPDATE, in that order. */
export async function loadIdea(db: Db | Tx, actor: Actor, ideaId: number, options: { lock?: boolean } = {}): Promise<IdeaAccess> {
  if (!isRowId(ideaId)) spaceNotFound();
  return loadIdeaWhere(db, actor, eq(ideas.id, ideaId), options);
}

/** The same, found by the idea's item in the social layer (what comments, votes and follows name). */
export async function loadIdeaByItem(db: Db | Tx, actor: Actor, itemId: number, options: { lock?: boolean } = {}): Promise<IdeaAccess> {
  if (!isRowId(itemId)) spaceNotFound();
  return loadIdeaWhere(db, actor, eq(ideas.itemId, itemId), options);
}

async function loadIdeaWhere(db: Db | Tx, actor: Actor, where: SQL, options: { lock?: boolean }): Promise<IdeaAccess> {
  const [peek] = await db.select({ id: ideas.id, campaignId: ideas.campaignId }).from(ideas).where(where);
  if (!peek) spaceNotFound();
  const access = await loadCampaign(db, actor, peek.campaignId, options.lock ? { lock: "share" } : {});
  const query = db.select().from(ideas).where(eq(ideas.id, peek.id));
  const [idea] = options.lock ? await query.for("update") : await query;
  if (!idea) spaceNotFound();
  return { ...access, idea };
}

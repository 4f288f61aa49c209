import { and, asc, desc, eq, inArray, lte, ne, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { comments, ideaEvents, ideaOwners, ideaScores, ideas, users, votes } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { toCsv } from "#app/lib/csv.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import { type CampaignAccess, loadCampaign } from "./access.server.ts";
import { ideaUrl } from "./idea-url.ts";
import { type IdeaStatus, STATUS_LABELS } from "./schemas.ts";

/**
 * The sponsor's views of a campaign: the roadmap (every idea by status), the results (funnel,
 * top ideas, participation) and the CSV export. The roadmap and the results are for everyone who
 * sees the campaign, because telling people what became of ideas is the point; evaluators' scores
 * and the export are for those who manage it. Each view is a fixed number of queries, whatever
 * the number of ideas, votes or people.
 */

// ---- roadmap ----------------------------------------------------------------------------------

/** The roadmap's columns, in workflow order. Merged ideas have none: they live on the idea they went into. */
export const ROADMAP_STATUSES = ["submitted", "under_review", "accepted", "in_progress", "implemented", "declined"] as const satisfies readonly IdeaStatus[];
export type RoadmapStatus = (typeof ROADMAP_STATUSES)[number];

/** Cards per column; the rest are one link away on the campaign's page, filtered by status. */
export const ROADMAP_COLUMN_CAP = 50;

export type RoadmapCard = { id: number; title: string; category: string; voteCount: number; owners: string[] };
export type RoadmapColumn = { status: RoadmapStatus; total: number; ideas: RoadmapCard[] };

/**
 * Owners' names for the idea whose id is `ideaId` and whose author is `authorId`: the author
 * first (co-owners invited with the idea share its timestamp), then in the order they joined.
 */
function ownerNames(ideaId: SQLWrapper, authorId: SQLWrapper) {
  return sql`(select coalesce(array_agg(${users.name} order by (${ideaOwners.userId} = ${authorId}) desc, ${ideaOwners.createdAt}, ${users.name}), '{}')
    from ${ideaOwners} join ${users} on ${users.id} = ${ideaOwners.userId}
    where ${ideaOwners.ideaId} = ${ideaId} and ${ideaOwners.state} = 'accepted')`;
}

/** A campaign's ideas by status: per column the highest-voted first, at most ROADMAP_COLUMN_CAP, with the column's full count. One query after the campaign's. */
export async function roadmap(db: Db, actor: Actor, campaignId: number): Promise<CampaignAccess & { columns: RoadmapColumn[] }> {
  const access = await loadCampaign(db, actor, campaignId);
  const ranked = db
    .select({
      id: ideas.id,
      authorId: ideas.authorId,
      title: ideas.title,
      category: ideas.category,
      status: ideas.status,
      voteCount: ideas.voteCount,
      place: sql<number>`row_number() over (partition by ${ideas.status} order by ${ideas.voteCount} desc, ${ideas.createdAt} desc, ${ideas.id} desc)`.as("place"),
      total: sql<number>`count(*) over (partition by ${ideas.status})`.as("total"),
    })
    .from(ideas)
    .where(and(eq(ideas.campaignId, access.campaign.id), ne(ideas.status, "merged")))
    .as("ranked");
  const rows = await db
    .select({
      id: ranked.id,
      title: ranked.title,
      category: ranked.category,
      status: ranked.status,
      voteCount: ranked.voteCount,
      total: sql<number>`${ranked.total}::int`,
      owners: sql<string[]>`${ownerNames(ranked.id, ranked.authorId)}`,
    })
    .from(ranked)
    .where(lte(ranked.place, ROADMAP_COLUMN_CAP))
    .orderBy(asc(ranked.place));
  const columns = ROADMAP_STATUSES.map((status): RoadmapColumn => {
    const cards = rows.filter((r) => r.status === status);
    return {
      status,
      total: cards[0]?.total ?? 0,
      ideas: cards.map((r) => ({ id: r.id, title: r.title, category: r.category, voteCount: r.voteCount, owners: r.owners })),
    };
  });
  return { ...access, columns };
}

// ---- results ----------------------------------------------------------------------------------

/** The funnel's stages in workflow order; "in progress" counts as accepted (it is past it). */
export const FUNNEL_STAGES = ["submitted", "under_review", "accepted", "implemented"] as const satisfies readonly IdeaStatus[];
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export type Funnel = {
  stages: Array<{ stage: FunnelStage; label: string; count: number }>;
  /** Ideas declined now: an outcome beside the funnel, not a stage of it. */
  declined: number;
  /** Duplicates merged into other ideas, left out of the funnel: they are counted on their target. */
  merged: number;
};

export type TopIdea = { id: number; title: string; category: string; status: IdeaStatus; voteCount: number; commentCount: number };

/** Evaluators' averages for one top idea: per criterion the mean score (one decimal) and how many scored it. */
export type IdeaScores = { ideaId: number; criteria: Array<{ criterion: string; average: number | null; count: number }> };

export type Participation = {
  /** Every idea submitted, duplicates that were merged included. */
  ideas: number;
  voters: number;
  /** Comments still shown (removed ones are not counted). */
  comments: number;
  /** Distinct people who submitted or co-own an idea, voted or commented. */
  people: number;
  /** Distinct departments those people belong to (people without one add none). */
  departments: number;
  /** Departments with at least DEPARTMENT_GROUP_MIN of those people, largest first. */
  byDepartment: Array<{ department: string; people: number }>;
  /** Everyone else: people in smaller departments or with none. */
  otherDepartments: number;
};

export const TOP_IDEAS = 10;

/** HR's rule for views of groups: a department is named only when at least this many of its people took part. */
export const DEPARTMENT_GROUP_MIN = 5;

/** Workflow positions 1–5 of the statuses an idea moves through; declined and merged have none. */
const STAGE_ORDER = sql.raw(`array['submitted','under_review','accepted','in_progress','implemented']::idea_status[]`);
const POSITION = { submitted: 1, under_review: 2, accepted: 3, implemented: 5 } as const satisfies Record<FunnelStage, number>;

/**
 * The funnel counts an idea in every stage it has reached, from its current status and its
 * timeline (idea_events) together: its furthest stage is the furthest of its current status and
 * every status it was ever set to, and it counts in that stage and every one before it. So an
 * idea accepted and then declined still counts as accepted, one moved back from implemented still
 * counts as implemented, and one accepted straight from submitted counts as reviewed: each stage
 * reads "got at least this far", and the funnel never widens. "Declined" is the current outcome.
 * One query: a scan of the campaign's ideas with one index lookup of its events per idea.
 */
async function funnel(db: Db, campaignId: number): Promise<Funnel> {
  const furthestEvent = sql`(select max(array_position(${STAGE_ORDER}, ${ideaEvents.toStatus})) from ${ideaEvents} where ${ideaEvents.ideaId} = ${ideas.id})`;
  const reached = db
    .select({
      status: ideas.status,
      furthest: sql<number>`greatest(coalesce(array_position(${STAGE_ORDER}, ${ideas.status}), 1), coalesce(${furthestEvent}, 1))`.as("furthest"),
    })
    .from(ideas)
    .where(eq(ideas.campaignId, campaignId))
    .as("reached");
  const atLeast = (position: number) => sql<number>`(count(*) filter (where ${reached.status} <> 'merged' and ${reached.furthest} >= ${sql.raw(String(position))}))::int`;
  const [row] = await db
    .select({
      submitted: atLeast(POSITION.submitted),
      under_review: atLeast(POSITION.under_review),
      accepted: atLeast(POSITION.accepted),
      implemented: atLeast(POSITION.implemented),
      declined: sql<number>`(count(*) filter (where ${reached.status} = 'declined'))::int`,
      merged: sql<number>`(count(*) filter (where ${reached.status} = 'merged'))::int`,
    })
    .from(reached);
  return {
    stages: FUNNEL_STAGES.map((stage) => ({ stage, label: STATUS_LABELS[stage], count: row?.[stage] ?? 0 })),
    declined: row?.declined ?? 0,
    merged: row?.merged ?? 0,
  };
}

/** The campaign's most-voted ideas (merged duplicates have none left), as the campaign page's "top" sort orders them. */
function topIdeasQuery(db: Db, campaignId: number) {
  return db
    .select({ id: ideas.id, title: ideas.title, category: ideas.category, status: ideas.status, voteCount: ideas.voteCount, commentCount: ideas.commentCount })
    .from(ideas)
    .where(and(eq(ideas.campaignId, campaignId), ne(ideas.status, "merged")))
    .orderBy(desc(ideas.voteCount), desc(ideas.createdAt), desc(ideas.id))
    .limit(TOP_IDEAS);
}

/** Splits people by department into the ones that may be named and the rest (see DEPARTMENT_GROUP_MIN). */
export function foldDepartments(rows: ReadonlyArray<{ department: string; people: number }>): Pick<Participation, "departments" | "byDepartment" | "otherDepartments"> {
  const byDepartment: Participation["byDepartment"] = [];
  let otherDepartments = 0;
  let departments = 0;
  for (const { department, people } of rows) {
    if (department !== "") departments += 1;
    if (department !== "" && people >= DEPARTMENT_GROUP_MIN) byDepartment.push({ department, people });
    else otherDepartments += people;
  }
  byDepartment.sort((a, b) => b.people - a.people || a.department.localeCompare(b.department, "en"));
  return { departments, byDepartment, otherDepartments };
}

/** Who took part and how: two queries, the counts and the people by department. */
async function participation(db: Db, campaignId: number): Promise<Participation> {
  const [counts, departments] = await Promise.all([
    db.execute<{ ideas: number; voters: number; comments: number }>(sql`
      select
        (select count(*)::int from ${ideas} where ${ideas.campaignId} = ${campaignId}) as ideas,
        (select count(distinct ${votes.userId})::int from ${votes} join ${ideas} on ${ideas.itemId} = ${votes.itemId}
          where ${ideas.campaignId} = ${campaignId}) as voters,
        (select count(*)::int from ${comments} join ${ideas} on ${ideas.itemId} = ${comments.itemId}
          where ${ideas.campaignId} = ${campaignId} and ${comments.deletedAt} is null) as comments`),
    // Departments are grouped here and named only in foldDepartments: a small one's name never leaves the server.
    db.execute<{ department: string; people: number }>(sql`
      with people as (
        select i.author_id as user_id from ideas i where i.campaign_id = ${campaignId}
        union select o.user_id from idea_owners o join ideas i on i.id = o.idea_id where i.campaign_id = ${campaignId} and o.state = 'accepted'
        union select v.user_id from votes v join ideas i on i.item_id = v.item_id where i.campaign_id = ${campaignId}
        union select c.author_id from comments c join ideas i on i.item_id = c.item_id where i.campaign_id = ${campaignId} and c.deleted_at is null
      )
      select btrim(u.department) as department, count(*)::int as people
      from people p join users u on u.id = p.user_id
      group by btrim(u.department)`),
  ]);
  const totals = counts[0] ?? { ideas: 0, voters: 0, comments: 0 };
  return {
    ideas: totals.ideas,
    voters: totals.voters,
    comments: totals.comments,
    people: departments.reduce((sum, d) => sum + d.people, 0),
    ...foldDepartments(departments),
  };
}

/** Evaluators' averages per criterion for the top ideas; one query. Only for those who manage the campaign. */
async function topIdeaScores(db: Db, criteria: readonly string[], top: readonly TopIdea[]): Promise<IdeaScores[]> {
  if (top.length === 0) return [];
  const ids = top.map((idea) => idea.id);
  const rows = await db
    .select({
      ideaId: ideaScores.ideaId,
      criterion: ideaScores.criterion,
      average: sql<number>`avg(${ideaScores.score})::float8`,
      count: sql<number>`count(*)::int`,
    })
    .from(ideaScores)
    .where(inArray(ideaScores.ideaId, ids))
    .groupBy(ideaScores.ideaId, ideaScores.criterion);
  return top.map((idea) => ({
    ideaId: idea.id,
    criteria: criteria.map((criterion) => {
      const row = rows.find((r) => r.ideaId === idea.id && r.criterion === criterion);
      return row ? { criterion, average: Math.round(row.average * 10) / 10, count: row.count } : { criterion, average: null, count: 0 };
    }),
  }));
}

export type CampaignResults = CampaignAccess & {
  funnel: Funnel;
  topIdeas: TopIdea[];
  participation: Participation;
  /** Evaluators' averages for the top ideas, in their order; null for anyone who does not manage the campaign. */
  scores: IdeaScores[] | null;
};

/** The results page: funnel, top ideas, participation, and for managers the scores. Five queries after the campaign's (six for managers) whatever its size. */
export async function campaignResults(db: Db, actor: Actor, campaignId: number): Promise<CampaignResults> {
  const access = await loadCampaign(db, actor, campaignId);
  const { campaign, canManage } = access;
  const [stages, topIdeas, people] = await Promise.all([funnel(db, campaign.id), topIdeasQuery(db, campaign.id), participation(db, campaign.id)]);
  // Scores are read only for managers, after the top ideas so they describe exactly the ideas shown.
  const scores = canManage ? await topIdeaScores(db, campaign.criteria, topIdeas) : null;
  return { ...access, funnel: stages, topIdeas, participation: people, scores };
}

// ---- CSV export -------------------------------------------------------------------------------

export const CSV_COLUMNS = ["id", "title", "status", "status reason", "category", "tags", "votes", "comments", "owners", "submitted at", "status changed at", "url"] as const;

/** The campaign's ideas as a CSV file, for those who manage it (403 for anyone else who sees it). Links are absolute on `origin`. */
export async function campaignCsv(db: Db, actor: Actor, campaignId: number, origin: string): Promise<{ filename: string; csv: string }> {
  const { campaign, canManage } = await loadCampaign(db, actor, campaignId);
  if (!canManage) throw new ForbiddenError("Only the campaign's sponsor and moderators export its ideas.");
  const rows = await db
    .select({
      id: ideas.id,
      title: ideas.title,
      status: ideas.status,
      statusReason: ideas.statusReason,
      category: ideas.category,
      tags: ideas.tags,
      voteCount: ideas.voteCount,
      commentCount: ideas.commentCount,
      owners: sql<string[]>`${ownerNames(ideas.id, ideas.authorId)}`,
      createdAt: ideas.createdAt,
      statusChangedAt: ideas.statusChangedAt,
    })
    .from(ideas)
    .where(eq(ideas.campaignId, campaign.id))
    .orderBy(asc(ideas.id));
  const records = rows.map((r) => [
    r.id,
    r.title,
    STATUS_LABELS[r.status],
    r.statusReason,
    r.category,
    r.tags.join("; "),
    r.voteCount,
    r.commentCount,
    r.owners.join("; "),
    r.createdAt.toISOString(),
    r.statusChangedAt.toISOString(),
    new URL(ideaUrl(r), origin).toString(),
  ]);
  return { filename: `campaign-${campaign.id}-ideas.csv`, csv: toCsv([CSV_COLUMNS, ...records]) };
}

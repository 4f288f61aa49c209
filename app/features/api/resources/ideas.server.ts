import { and, desc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { campaigns, ideas, spaces, users, votes } from "#db/schema/index.ts";
import { campaignPhase, loadCampaign } from "#app/features/ideas/access.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { ideaPage, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { IDEA_STATUSES, IdeaSchema } from "#app/features/ideas/schemas.ts";
import { SubmissionKey } from "#app/features/qa/schemas.ts";
import { scoreView } from "#app/features/ideas/scores.server.ts";
import { castIdeaVote, retractIdeaVote, votesUsed } from "#app/features/ideas/votes.server.ts";
import { visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { type AnyEndpoint, type ApiContext, endpoint, PageQuery, pageOf, PersonRef } from "../endpoint.server.ts";
import { absolute, beforeTime, cursorTime, decodeCursor, IdCursor, IdParams, iso, isoOrNull, IsoTime, keysetPage, personRef, personRefs, TimeCursor } from "./shared.server.ts";

/**
 * Idea campaigns and their ideas, and votes (issue 21, REST API). Reads go through the same
 * access functions as the campaign and idea pages (`loadCampaign`, `ideaPage`), so a campaign in a
 * space the token's owner may not see is the same 404 as one that does not exist. Submitting an
 * idea takes the idea form's own schema and `submitIdea`; votes go through `castIdeaVote` and
 * `retractIdeaVote`, so the campaign's phase, its vote budget and "not your own idea" hold here too.
 * Campaigns do not hide their ideas' authors in Commons: every idea names its author.
 */

const TAG = "Ideas";

const PHASES = ["upcoming", "open", "closed", "archived"] as const;

const SpaceRef = z.object({ slug: z.string(), name: z.string() });

const CampaignSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  phase: z.enum(PHASES),
  space: SpaceRef,
  sponsor: PersonRef,
  startsAt: IsoTime,
  endsAt: IsoTime,
  /** Votes a person may hold on the campaign's live ideas at once; null: no limit. */
  voteBudget: z.number().int().nullable(),
  categories: z.array(z.string()),
  ideaCount: z.number().int(),
  url: z.string(),
});

const Campaign = CampaignSummary.extend({
  brief: z.string().meta({ description: "The brief as written (markdown)." }),
  briefHtml: z.string().meta({ description: "The brief rendered and sanitized, as the campaign page shows it." }),
  /** The token owner's votes left under the budget; null when the campaign has none. */
  votesLeft: z.number().int().nullable(),
  statusCounts: z.record(z.enum(IDEA_STATUSES), z.number().int()),
});

const IdeaSummary = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  title: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  status: z.enum(IDEA_STATUSES),
  voteCount: z.number().int(),
  commentCount: z.number().int(),
  author: PersonRef,
  createdAt: IsoTime,
  /** The token's owner voted for it. */
  voted: z.boolean(),
  url: z.string(),
});

const ScoreSummary = z.object({
  criterion: z.string(),
  average: z.number().nullable(),
  min: z.number().int().nullable(),
  max: z.number().int().nullable(),
  count: z.number().int(),
});

const Idea = IdeaSummary.extend({
  body: z.string().meta({ description: "The description as written (markdown)." }),
  bodyHtml: z.string().meta({ description: "The description rendered and sanitized, as the idea page shows it." }),
  statusReason: z.string(),
  statusChangedAt: IsoTime,
  lastEditedAt: IsoTime.nullable(),
  campaign: z.object({ id: z.number().int(), title: z.string(), phase: z.enum(PHASES), url: z.string() }),
  space: SpaceRef,
  owners: z.array(PersonRef),
  mergedInto: z.object({ id: z.number().int(), title: z.string(), url: z.string() }).nullable(),
  /** The token's owner owns it (no vote for one's own idea). */
  isOwner: z.boolean(),
  votesLeft: z.number().int().nullable(),
  /**
   * Evaluators' scores, as the idea page shows them to this person: the sponsor and moderators
   * see each criterion's summary, an evaluator their own scores, everyone else nothing (null).
   */
  scores: z
    .object({
      criteria: z.array(z.string()),
      summary: z.array(ScoreSummary).nullable(),
      mine: z.record(z.string(), z.number().int()).nullable(),
    })
    .nullable(),
});

const VoteResult = z.object({ voted: z.boolean(), voteCount: z.number().int(), votesLeft: z.number().int().nullable() });

// ---- campaigns ---------------------------------------------------------------------------------

const CampaignsQuery = PageQuery.extend({
  archived: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .meta({ description: "true: the archived campaigns only (they are left out otherwise, as on the campaigns page)." }),
  space: z.string().trim().min(1).max(100).optional().meta({ description: "Only the campaigns of this space (its slug)." }),
});

const ideaCountSql = sql<number>`(select count(*)::int from ${ideas} where ${ideas.campaignId} = ${campaigns.id} and ${ideas.status} <> 'merged')`;

function campaignSummary(
  row: { id: number; title: string; startsAt: Date; endsAt: Date; closedAt: Date | null; archivedAt: Date | null; voteBudget: number | null; categories: string[] },
  extra: { space: { slug: string; name: string }; sponsor: z.input<typeof PersonRef>; ideaCount: number },
  now: Date,
): z.input<typeof CampaignSummary> {
  return {
    id: row.id,
    title: row.title,
    phase: campaignPhase(row, now),
    space: extra.space,
    sponsor: extra.sponsor,
    startsAt: iso(row.startsAt),
    endsAt: iso(row.endsAt),
    voteBudget: row.voteBudget,
    categories: row.categories,
    ideaCount: extra.ideaCount,
    url: absolute(campaignUrl(row)),
  };
}

const listCampaigns = endpoint({
  method: "get",
  path: "/campaigns",
  operationId: "listCampaigns",
  summary: "Idea campaigns",
  description: "The campaigns in spaces the token's owner may see, newest first. Archived campaigns are listed only with `archived=true`.",
  tag: TAG,
  scope: "read",
  query: CampaignsQuery,
  response: pageOf(CampaignSummary),
  handler: async ({ db, user }, { query }) => {
    const after = decodeCursor(query.cursor, IdCursor);
    const now = new Date();
    const rows = await db
      .select({ campaign: campaigns, space: { slug: spaces.slug, name: spaces.name }, sponsor: { id: users.id, name: users.name, title: users.title }, ideaCount: ideaCountSql })
      .from(campaigns)
      .innerJoin(spaces, eq(spaces.id, campaigns.spaceId))
      .innerJoin(users, eq(users.id, campaigns.sponsorId))
      .where(
        and(
          visibleSpacesCondition(user),
          query.archived ? isNotNull(campaigns.archivedAt) : isNull(campaigns.archivedAt),
          query.space ? eq(spaces.slug, query.space) : undefined,
          after ? sql`${campaigns.id} < ${after.id}` : undefined,
        ),
      )
      .orderBy(desc(campaigns.id))
      .limit(query.limit + 1);
    return keysetPage(
      rows,
      query.limit,
      (last) => ({ id: last.campaign.id }),
      (r) => campaignSummary(r.campaign, { space: r.space, sponsor: personRef(r.sponsor), ideaCount: r.ideaCount }, now),
    );
  },
});

const getCampaign = endpoint({
  method: "get",
  path: "/campaigns/{id}",
  operationId: "getCampaign",
  summary: "One campaign",
  description: "The campaign with its brief, its ideas counted by status and the token owner's votes left.",
  tag: TAG,
  scope: "read",
  params: IdParams,
  response: Campaign,
  handler: async ({ db, user }, { params }) => {
    const { campaign, space } = await loadCampaign(db, user, params.id);
    const now = new Date();
    const [sponsor, counts, used] = await Promise.all([
      personRefs(db, [campaign.sponsorId]),
      db
        .select({ status: ideas.status, n: sql<number>`count(*)::int` })
        .from(ideas)
        .where(eq(ideas.campaignId, campaign.id))
        .groupBy(ideas.status),
      campaign.voteBudget === null ? Promise.resolve(0) : votesUsed(db, campaign.id, user.id),
    ]);
    const statusCounts = Object.fromEntries(IDEA_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])) as Record<(typeof IDEA_STATUSES)[number], number>;
    return {
      ...campaignSummary(
        campaign,
        {
          space: { slug: space.slug, name: space.name },
          sponsor: sponsor.get(campaign.sponsorId)!,
          ideaCount: IDEA_STATUSES.filter((s) => s !== "merged").reduce((n, s) => n + statusCounts[s], 0),
        },
        now,
      ),
      brief: campaign.brief,
      briefHtml: campaign.briefHtml,
      votesLeft: campaign.voteBudget === null ? null : Math.max(0, campaign.voteBudget - used),
      statusCounts,
    };
  },
});

// ---- ideas -------------------------------------------------------------------------------------

const IdeasQuery = PageQuery.extend({
  sort: z.enum(["new", "top"]).default("new").meta({ description: "new: newest first; top: most votes first." }),
  status: z.enum(IDEA_STATUSES).optional().meta({ description: "Only ideas with this status. Merged ideas are listed only when asked for." }),
});

/** `top` pages after a vote count and an id; `new` after a time and an id. */
const TopCursor = z.strictObject({ v: z.number().int().min(0).max(2_147_483_647), id: IdCursor.shape.id });

const listIdeas = endpoint({
  method: "get",
  path: "/campaigns/{id}/ideas",
  operationId: "listCampaignIdeas",
  summary: "A campaign's ideas",
  description:
    "The campaign's ideas, newest first or with the most votes first. Merged ideas are left out unless `status=merged` asks for them: their votes live on the idea they went into.",
  tag: TAG,
  scope: "read",
  params: IdParams,
  query: IdeasQuery,
  response: pageOf(IdeaSummary),
  handler: async ({ db, user }, { params, query }) => {
    const { campaign } = await loadCampaign(db, user, params.id);
    const top = query.sort === "top";
    const afterTop = top ? decodeCursor(query.cursor, TopCursor) : undefined;
    const afterNew = top ? undefined : decodeCursor(query.cursor, TimeCursor);
    const rows = await db
      .select({
        idea: {
          id: ideas.id,
          campaignId: ideas.campaignId,
          title: ideas.title,
          category: ideas.category,
          tags: ideas.tags,
          status: ideas.status,
          voteCount: ideas.voteCount,
          commentCount: ideas.commentCount,
          createdAt: ideas.createdAt,
        },
        author: { id: users.id, name: users.name, title: users.title },
        voted: sql<boolean>`exists (select 1 from ${votes} where ${votes.itemId} = ${ideas.itemId} and ${votes.userId} = ${user.id})`,
        at: cursorTime(ideas.createdAt),
      })
      .from(ideas)
      .innerJoin(users, eq(users.id, ideas.authorId))
      .where(
        and(
          eq(ideas.campaignId, campaign.id),
          query.status ? eq(ideas.status, query.status) : ne(ideas.status, "merged"),
          afterTop ? sql`(${ideas.voteCount}, ${ideas.id}) < (${afterTop.v}, ${afterTop.id})` : undefined,
          beforeTime(ideas.createdAt, ideas.id, afterNew),
        ),
      )
      .orderBy(...(top ? [desc(ideas.voteCount), desc(ideas.id)] : [desc(ideas.createdAt), desc(ideas.id)]))
      .limit(query.limit + 1);
    return keysetPage(
      rows,
      query.limit,
      (last): Record<string, string | number> => (top ? { v: last.idea.voteCount, id: last.idea.id } : { t: last.at, id: last.idea.id }),
      (r) => ({ ...r.idea, createdAt: iso(r.idea.createdAt), author: personRef(r.author), voted: r.voted, url: absolute(ideaUrl(r.idea)) }),
    );
  },
});

/** One idea as the idea page shows it to `user`, with the evaluators' scores they may see. */
async function ideaView({ db, user }: ApiContext, ideaId: number): Promise<z.input<typeof Idea>> {
  const page = await ideaPage(db, user, ideaId);
  const { idea, campaign, space } = page;
  const [people, scores] = await Promise.all([personRefs(db, [idea.authorId, ...page.owners.filter((o) => o.state === "accepted").map((o) => o.id)]), scoreView(db, page, user)]);
  return {
    id: idea.id,
    campaignId: campaign.id,
    title: idea.title,
    category: idea.category,
    tags: idea.tags,
    status: idea.status,
    voteCount: idea.voteCount,
    commentCount: idea.commentCount,
    author: people.get(idea.authorId)!,
    createdAt: iso(idea.createdAt),
    voted: page.voted,
    url: absolute(ideaUrl(idea)),
    body: idea.body,
    bodyHtml: idea.bodyHtml,
    statusReason: idea.statusReason,
    statusChangedAt: iso(idea.statusChangedAt),
    lastEditedAt: isoOrNull(idea.lastEditedAt),
    campaign: { id: campaign.id, title: campaign.title, phase: page.phase, url: absolute(campaignUrl(campaign)) },
    space: { slug: space.slug, name: space.name },
    owners: page.owners.filter((o) => o.state === "accepted").map((o) => people.get(o.id)!),
    mergedInto: page.mergedInto ? { ...page.mergedInto, url: absolute(ideaUrl(page.mergedInto)) } : null,
    isOwner: page.isOwner,
    votesLeft: page.votesLeft,
    scores:
      scores.kind === "none"
        ? null
        : scores.kind === "evaluator"
          ? { criteria: scores.criteria, summary: null, mine: scores.mine }
          : { criteria: scores.criteria, summary: scores.summary, mine: scores.mine },
  };
}

const getIdea = endpoint({
  method: "get",
  path: "/ideas/{id}",
  operationId: "getIdea",
  summary: "One idea",
  description: "The idea with its status, votes, owners and the token owner's vote; evaluators' scores only for those the idea page shows them to.",
  tag: TAG,
  scope: "read",
  params: IdParams,
  response: Idea,
  handler: (ctx, { params }) => ideaView(ctx, params.id),
});

/**
 * The idea form's schema, as is. Its submission key quietly drops a malformed key (`catch`),
 * which the OpenAPI generator cannot describe by itself: the metadata says what it takes.
 */
const SubmitIdeaBody = IdeaSchema.extend({
  submissionKey: SubmissionKey.meta({
    type: "string",
    pattern: "^[A-Za-z0-9-]{8,64}$",
    description: "Any random key of 8 to 64 letters, digits and dashes: a retry with the same key finds the first idea instead of making a second.",
  } as never),
});

const submitIdeaEndpoint = endpoint({
  method: "post",
  path: "/campaigns/{id}/ideas",
  operationId: "submitIdea",
  summary: "Give an idea",
  description:
    'Submits an idea to an open campaign, as the idea form does and with its limits: a title of 15 to 150 characters, a description of at least 20, one to five tags, a category when the campaign has categories, and co-owners to invite by handle (`coOwners`: "@ada.lovelace, @grace"). A `submissionKey` makes a retry find the first idea instead of making a second.',
  tag: TAG,
  scope: "write",
  params: IdParams,
  body: SubmitIdeaBody,
  response: Idea,
  status: 201,
  handler: async (ctx, { params, body }) => {
    const { id } = await submitIdea(ctx.db, ctx.user, params.id, body);
    return ideaView(ctx, id);
  },
});

const voteIdea = endpoint({
  method: "put",
  path: "/ideas/{id}/vote",
  operationId: "voteForIdea",
  summary: "Vote for an idea",
  description:
    "Gives the token owner's vote to the idea (again is no change). Refused with a 400 and the reason when the campaign is not open, the idea takes no votes, it is the owner's own idea, or the campaign's vote budget is used up.",
  tag: TAG,
  scope: "write",
  params: IdParams,
  response: VoteResult,
  handler: ({ db, user }, { params }) => castIdeaVote(db, user, params.id),
});

const unvoteIdea = endpoint({
  method: "delete",
  path: "/ideas/{id}/vote",
  operationId: "retractIdeaVote",
  summary: "Take a vote back",
  description: "Takes the token owner's vote back (none given is no change), which returns it to the campaign's budget. Refused while the campaign's votes are frozen.",
  tag: TAG,
  scope: "write",
  params: IdParams,
  response: VoteResult,
  handler: ({ db, user }, { params }) => retractIdeaVote(db, user, params.id),
});

export const ideaEndpoints: AnyEndpoint[] = [listCampaigns, getCampaign, listIdeas, getIdea, submitIdeaEndpoint, voteIdea, unvoteIdea];

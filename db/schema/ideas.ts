import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, doublePrecision, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { items } from "./social.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * Idea campaigns (docs/decisions/007-idea-campaigns.md). A campaign lives in a space and takes
 * its visibility; its ideas copy the space's id so visibility is one condition on the row, as
 * posts do. Ideas have their own tables rather than rows in `posts`: their votes, budget, status
 * workflow and owners share nothing with Q&A's scores, and Q&A's many queries on `posts` stay
 * untouched.
 */

export const campaigns = pgTable(
  "campaigns",
  {
    id: id(),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    /** Who created it and answers for it (a moderator or admin). */
    sponsorId: integer()
      .notNull()
      .references(() => users.id),
    title: text().notNull(),
    brief: text().notNull(),
    briefHtml: text().notNull(),
    /** The categories an idea picks from, in the sponsor's order; empty: ideas have no category. */
    categories: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** What evaluators score, each 1 to 5 ("Impact", "Feasibility"). */
    criteria: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    /** Votes and new ideas stop at this time; decisions on ideas go on after it. */
    endsAt: timestamp({ withTimezone: true }).notNull(),
    /** A sponsor closing it before its end date. */
    closedAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
    /** Votes a person may have on the campaign's live ideas at once; null: one per idea, no limit. */
    voteBudget: integer(),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("campaigns_space_idx").on(t.spaceId, t.endsAt),
    uniqueIndex("campaigns_sponsor_submission_key").on(t.sponsorId, t.submissionKey),
    check("campaigns_dates", sql`${t.endsAt} > ${t.startsAt}`),
    check("campaigns_budget", sql`${t.voteBudget} is null or ${t.voteBudget} between 1 and 100`),
  ],
);

export const campaignEvaluators = pgTable(
  "campaign_evaluators",
  {
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] }), index("campaign_evaluators_user_idx").on(t.userId)],
);

/**
 * One row per person who has voted in a campaign. Its only job is to be locked: a vote takes
 * this row FOR UPDATE before counting the person's votes against the budget, so parallel votes by
 * one person take turns and the budget holds.
 */
export const campaignVoters = pgTable(
  "campaign_voters",
  {
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] })],
);

export const ideaStatusEnum = pgEnum("idea_status", ["submitted", "under_review", "accepted", "in_progress", "implemented", "declined", "merged"]);

export const ideas = pgTable(
  "ideas",
  {
    id: id(),
    /** The idea's item in the social layer (db/schema/social.ts): its comments, votes, revisions, follows. */
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      // Inserts leave it to the database: a trigger (migration 0008) makes the item.
      .$defaultFn(() => sql`null`),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    /** The campaign's space, copied so visibility needs no join. */
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    title: text().notNull(),
    body: text().notNull(),
    bodyHtml: text().notNull(),
    /** One of the campaign's categories, or "" when it has none. */
    category: text().notNull().default(""),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: ideaStatusEnum().notNull().default("submitted"),
    /** The public answer given with the current status (required for declined). */
    statusReason: text().notNull().default(""),
    statusChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    mergedIntoId: integer().references((): AnyPgColumn => ideas.id, { onDelete: "set null" }),
    /** Votes on the idea, kept exact with idea_votes in the voting transaction. */
    voteCount: integer().notNull().default(0),
    /**
     * The sum over its votes of 2^(age of the vote at a fixed epoch / one week): ordering by it
     * orders by votes that lose half their weight each week, without rewriting rows as time passes.
     */
    trending: doublePrecision().notNull().default(0),
    commentCount: integer().notNull().default(0),
    revisionCount: integer().notNull().default(1),
    lastEditedAt: timestamp({ withTimezone: true }),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("ideas_item_key").on(t.itemId),
    index("ideas_campaign_idx").on(t.campaignId, t.createdAt),
    index("ideas_campaign_trending_idx").on(t.campaignId, t.trending),
    index("ideas_author_idx").on(t.authorId),
    uniqueIndex("ideas_author_submission_key").on(t.authorId, t.submissionKey),
    check("ideas_merged_has_target", sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null)`),
  ],
);

export const ideaOwnerStateEnum = pgEnum("idea_owner_state", ["invited", "accepted"]);

/** The people credited with an idea: its author, co-owners who accepted, owners of ideas merged into it. */
export const ideaOwners = pgTable(
  "idea_owners",
  {
    ideaId: integer()
      .notNull()
      .references(() => ideas.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    state: ideaOwnerStateEnum().notNull(),
    invitedById: integer().references(() => users.id),
    /** Set when the ownership came with a merged duplicate: the idea it came from. */
    mergedFromId: integer().references((): AnyPgColumn => ideas.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.userId] }), index("idea_owners_user_idx").on(t.userId)],
);

export const ideaEventKindEnum = pgEnum("idea_event_kind", ["submitted", "status", "merged_in"]);

/** An idea's timeline: submission, every status change with who and why, and duplicates merged into it. */
export const ideaEvents = pgTable(
  "idea_events",
  {
    id: id(),
    ideaId: integer()
      .notNull()
      .references(() => ideas.id, { onDelete: "cascade" }),
    kind: ideaEventKindEnum().notNull(),
    actorId: integer()
      .notNull()
      .references(() => users.id),
    fromStatus: ideaStatusEnum(),
    toStatus: ideaStatusEnum(),
    reason: text().notNull().default(""),
    /** merged_in: the duplicate; status "merged": the idea it went into. */
    otherIdeaId: integer().references((): AnyPgColumn => ideas.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("idea_events_idea_idx").on(t.ideaId, t.createdAt)],
);

/** An evaluator's private score of an idea on one of its campaign's criteria. Only the sponsor's views read them. */
export const ideaScores = pgTable(
  "idea_scores",
  {
    ideaId: integer()
      .notNull()
      .references(() => ideas.id, { onDelete: "cascade" }),
    evaluatorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    criterion: text().notNull(),
    score: smallint().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.evaluatorId, t.criterion] }), check("idea_scores_range", sql`${t.score} between 1 and 5`)],
);

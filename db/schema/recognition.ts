import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { items } from "./social.ts";
import { spaces } from "./spaces.ts";
import { tags } from "./tags.ts";
import { roleEnum, users } from "./users.ts";

/**
 * Recognition (issue 17, decision 011): kudos with points from a monthly allowance, the earned
 * balance and rewards it buys, badges, and award rounds the employees vote in.
 *
 * Kudos, badges, rewards, award rounds and nominations are kinds of content on the social layer
 * (decision 009): each row owns an item, made by the triggers of migration 0010. Kudos live in the
 * space of the thing they thank (an answer, a page, an idea), or in the company space when they
 * thank a person for nothing in particular; badges, rewards and award rounds live in the company
 * space (`spaces.company_wide`), which every active employee sees.
 *
 * Points never touch reputation: they move in `kudos_ledger`, append-only (a trigger refuses
 * UPDATE and DELETE), whose entries the two guards below follow in the same transaction:
 * `kudos_allowance_periods` (a person's allowance for a month and what they spent of it) and
 * `kudos_balances` (the earned balance). Both guards refuse to go negative or past the allowance
 * with CHECK constraints and conditional UPDATEs, so parallel gives and redemptions take turns on
 * one row and can never overspend.
 */

/** The company's values, chosen on every kudos ("#craft", "#customer-first"). Admins keep the list. */
export const companyValues = pgTable(
  "company_values",
  {
    id: id(),
    name: text().notNull(),
    emoji: text().notNull().default(""),
    description: text().notNull().default(""),
    position: integer().notNull().default(0),
    /** Retired values stay on old kudos but are no longer offered. */
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("company_values_name_key").on(sql`lower(${t.name})`)],
);

/**
 * How many points a person may give each month. The most specific rule wins: their department's,
 * else their role's, else the company default (the row with neither).
 */
export const kudosAllowanceRules = pgTable(
  "kudos_allowance_rules",
  {
    id: id(),
    role: roleEnum(),
    department: text(),
    points: integer().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("kudos_allowance_rules_one_scope", sql`num_nonnulls(${t.role}, ${t.department}) <= 1`),
    check("kudos_allowance_rules_points", sql`${t.points} between 0 and 100000`),
    uniqueIndex("kudos_allowance_rules_role_key")
      .on(t.role)
      .where(sql`${t.role} is not null`),
    uniqueIndex("kudos_allowance_rules_department_key")
      .on(sql`lower(${t.department})`)
      .where(sql`${t.department} is not null`),
    uniqueIndex("kudos_allowance_rules_default_key")
      .on(sql`(true)`)
      .where(sql`${t.role} is null and ${t.department} is null`),
  ],
);

/**
 * A person's allowance for one month (UTC): granted when they first give that month, by the rule
 * then in force; `spent` moves with every give, under the row's lock. A new month is a new row,
 * so unused points lapse by themselves (housekeeping writes the lapse into the ledger).
 */
export const kudosAllowancePeriods = pgTable(
  "kudos_allowance_periods",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The first day of the month, UTC. */
    period: date().notNull(),
    granted: integer().notNull(),
    spent: integer().notNull().default(0),
    /** When housekeeping wrote the unused points off into the ledger. */
    lapsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.period] }),
    check("kudos_allowance_periods_spent", sql`${t.spent} >= 0 and ${t.spent} <= ${t.granted}`),
    index("kudos_allowance_periods_unlapsed_idx")
      .on(t.period)
      .where(sql`${t.lapsedAt} is null`),
  ],
);

/** Points received and not yet redeemed: never lapses, never negative. */
export const kudosBalances = pgTable(
  "kudos_balances",
  {
    userId: integer()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    earned: integer().notNull().default(0),
    /** Everything ever received (reversals taken off), for profiles. */
    receivedTotal: integer().notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [check("kudos_balances_earned", sql`${t.earned} >= 0`)],
);

/** A kudos: a message, a value and points, to one or more colleagues, optionally on the thing it is for. */
export const kudos = pgTable(
  "kudos",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      // A trigger (migration 0010) makes the item.
      .$defaultFn(() => sql`null`),
    /** The space of the thing it thanks, or the company space. */
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    giverId: integer()
      .notNull()
      .references(() => users.id),
    valueId: integer()
      .notNull()
      .references(() => companyValues.id),
    message: text().notNull(),
    messageHtml: text().notNull(),
    /** What it thanks: an answer, a question, a page, an article, an idea. Kept for the expertise model. */
    subjectItemId: integer().references(() => items.id, { onDelete: "set null" }),
    /** Seen only by the giver, the receivers and the receivers' managers. */
    private: boolean().notNull().default(false),
    /** Points each receiver got from the first giver. */
    pointsEach: integer().notNull(),
    /** Every point on it, add-ons included, reversals taken off. */
    totalPoints: integer().notNull().default(0),
    receiverCount: integer().notNull().default(1),
    /** People who added their own points. */
    addOnCount: integer().notNull().default(0),
    /** "+1"s (support votes on its item). */
    plusOneCount: integer().notNull().default(0),
    commentCount: integer().notNull().default(0),
    /** Withdrawn (reversed): every point went back through new ledger entries. */
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: integer().references(() => users.id),
    deletedReason: text().notNull().default(""),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("kudos_item_key").on(t.itemId),
    index("kudos_feed_idx")
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.deletedAt} is null`),
    index("kudos_space_feed_idx")
      .on(t.spaceId, t.createdAt.desc())
      .where(sql`${t.deletedAt} is null`),
    index("kudos_giver_idx").on(t.giverId, t.createdAt),
    index("kudos_subject_idx")
      .on(t.subjectItemId)
      .where(sql`${t.subjectItemId} is not null`),
    index("kudos_value_idx").on(t.valueId, t.createdAt),
    uniqueIndex("kudos_giver_submission_key").on(t.giverId, t.submissionKey),
    check("kudos_points_each", sql`${t.pointsEach} >= 0`),
  ],
);

export const kudosReceivers = pgTable(
  "kudos_receivers",
  {
    kudosId: integer()
      .notNull()
      .references(() => kudos.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** Copied from the kudos for a person's feed without a join. */
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.kudosId, t.userId] }), index("kudos_receivers_user_idx").on(t.userId, t.createdAt)],
);

/** Points put on a kudos: the first giver's, and each colleague's who added their own. */
export const kudosGifts = pgTable(
  "kudos_gifts",
  {
    id: id(),
    kudosId: integer()
      .notNull()
      .references(() => kudos.id, { onDelete: "cascade" }),
    giverId: integer()
      .notNull()
      .references(() => users.id),
    /** Points to each receiver. */
    pointsEach: integer().notNull(),
    message: text().notNull().default(""),
    reversedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("kudos_gifts_kudos_giver_key").on(t.kudosId, t.giverId), index("kudos_gifts_giver_idx").on(t.giverId), check("kudos_gifts_points", sql`${t.pointsEach} >= 0`)],
);

export const kudosAccountEnum = pgEnum("kudos_account", ["allowance", "earned"]);
export const kudosEntryEnum = pgEnum("kudos_entry", [
  /** A month's allowance, when first used. */
  "allowance_granted",
  /** What was left of a month's allowance when it ended. */
  "allowance_lapsed",
  "given",
  "received",
  /** A withdrawn kudos gives the points back (a new entry; nothing is rewritten). */
  "reversed",
  "redeemed",
  /** A declined or cancelled redemption returns its points. */
  "redemption_refunded",
  /** HR approved, then fulfilled, a redemption: no points move (0), but every step is in the history. */
  "redemption_approved",
  "redemption_fulfilled",
]);

/**
 * Every point that moves, append only: a trigger (migration 0010) refuses UPDATE and DELETE.
 * Kudos and redemptions are named by plain ids (not foreign keys), so nothing can ever cascade
 * into the history.
 */
export const kudosLedger = pgTable(
  "kudos_ledger",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    account: kudosAccountEnum().notNull(),
    entry: kudosEntryEnum().notNull(),
    /** Signed: + into the account, - out of it. */
    points: integer().notNull(),
    /** Allowance entries: the month. */
    period: date(),
    kudosId: integer(),
    giftId: integer(),
    redemptionId: integer(),
    /** Who caused it (the giver of a received kudos, HR approving a redemption). */
    actorId: integer().references(() => users.id),
    note: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("kudos_ledger_user_idx").on(t.userId, t.createdAt), index("kudos_ledger_kudos_idx").on(t.kudosId)],
);

// ---------------------------------------------------------------------------------------------
// Rewards

/** The catalogue HR keeps: what earned points buy. Rewards cost the company only when redeemed. */
export const rewards = pgTable(
  "rewards",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      .$defaultFn(() => sql`null`),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    cost: integer().notNull(),
    /** Null: unlimited. Counts down as redemptions are requested; a declined one puts it back. */
    stock: integer(),
    active: boolean().notNull().default(true),
    createdById: integer()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("rewards_item_key").on(t.itemId), check("rewards_cost", sql`${t.cost} > 0`), check("rewards_stock", sql`${t.stock} is null or ${t.stock} >= 0`)],
);

export const redemptionStatusEnum = pgEnum("redemption_status", ["requested", "approved", "fulfilled", "declined", "cancelled"]);

export const rewardRedemptions = pgTable(
  "reward_redemptions",
  {
    id: id(),
    rewardId: integer()
      .notNull()
      .references(() => rewards.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** The price paid, kept when the catalogue's price changes. */
    cost: integer().notNull(),
    status: redemptionStatusEnum().notNull().default("requested"),
    /** What HR wrote back (why it was declined, how it was fulfilled). */
    note: text().notNull().default(""),
    handledById: integer().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    fulfilledAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("reward_redemptions_user_idx").on(t.userId, t.createdAt),
    index("reward_redemptions_open_idx")
      .on(t.createdAt)
      .where(sql`${t.status} in ('requested', 'approved')`),
    uniqueIndex("reward_redemptions_user_submission_key").on(t.userId, t.submissionKey),
  ],
);

// ---------------------------------------------------------------------------------------------
// Badges

export const badgeTierEnum = pgEnum("badge_tier", ["bronze", "silver", "gold"]);

/** A badge: automatic (a rule over the ledgers, `rule` names it) or custom (awarded by admins and HR with a reason). */
export const badges = pgTable(
  "badges",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      .$defaultFn(() => sql`null`),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull(),
    tier: badgeTierEnum().notNull(),
    /** The automatic rule's key ("first-answer", "tag-accepted-10"); null for custom badges. */
    rule: text(),
    createdById: integer().references(() => users.id),
    /** How many people hold it (awards of per-tag and per-answer badges count once per person). */
    holderCount: integer().notNull().default(0),
    awardCount: integer().notNull().default(0),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("badges_item_key").on(t.itemId),
    uniqueIndex("badges_rule_key")
      .on(t.rule)
      .where(sql`${t.rule} is not null`),
    uniqueIndex("badges_name_key").on(sql`lower(${t.name})`),
  ],
);

/**
 * A badge someone holds. `subject` says what it was earned for, so badges earned per tag, per
 * answer or per value can be held more than once, and the grant job can re-run: the unique key
 * makes a second grant a no-op.
 */
export const badgeAwards = pgTable(
  "badge_awards",
  {
    id: id(),
    badgeId: integer()
      .notNull()
      .references(() => badges.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "" once per person, "tag:12", "item:345", "value:3". */
    subject: text().notNull().default(""),
    tagId: integer().references(() => tags.id, { onDelete: "set null" }),
    valueId: integer().references(() => companyValues.id, { onDelete: "set null" }),
    subjectItemId: integer().references(() => items.id, { onDelete: "set null" }),
    /** Custom badges: why. */
    reason: text().notNull().default(""),
    awardedById: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("badge_awards_key").on(t.badgeId, t.userId, t.subject),
    index("badge_awards_user_idx").on(t.userId, t.createdAt),
    index("badge_awards_badge_idx").on(t.badgeId, t.createdAt),
  ],
);

// ---------------------------------------------------------------------------------------------
// Award rounds

export const awardNomineeScopeEnum = pgEnum("award_nominee_scope", ["everyone", "department"]);

/**
 * An award the employees vote for (the talent show, the C&B award). Its phase follows from its
 * dates: nominations, an optional shortlist, voting, then results on the results date. HR moves a
 * phase on early by moving its date.
 */
export const awardRounds = pgTable(
  "award_rounds",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      .$defaultFn(() => sql`null`),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    title: text().notNull(),
    description: text().notNull(),
    descriptionHtml: text().notNull(),
    /** What the winners get ("A trip to the offsite of their choice"). */
    reward: text().notNull().default(""),
    nomineeScope: awardNomineeScopeEnum().notNull().default("everyone"),
    /** With the "department" scope: whose people may be nominated. */
    nomineeDepartment: text().notNull().default(""),
    selfNomination: boolean().notNull().default(false),
    /** HR (or the jury) picks the shortlist between nominations and voting. */
    shortlist: boolean().notNull().default(false),
    votesPerVoter: integer().notNull().default(1),
    winnerCount: integer().notNull().default(1),
    nominationsOpenAt: timestamp({ withTimezone: true }).notNull(),
    nominationsCloseAt: timestamp({ withTimezone: true }).notNull(),
    votingOpenAt: timestamp({ withTimezone: true }).notNull(),
    votingCloseAt: timestamp({ withTimezone: true }).notNull(),
    resultsAt: timestamp({ withTimezone: true }).notNull(),
    /** When the results were announced to the nominees (by the scheduler, once). */
    announcedAt: timestamp({ withTimezone: true }),
    nominationCount: integer().notNull().default(0),
    ballotCount: integer().notNull().default(0),
    createdById: integer()
      .notNull()
      .references(() => users.id),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("award_rounds_item_key").on(t.itemId),
    index("award_rounds_results_idx").on(t.resultsAt),
    uniqueIndex("award_rounds_creator_submission_key").on(t.createdById, t.submissionKey),
    check("award_rounds_votes", sql`${t.votesPerVoter} between 1 and 10 and ${t.winnerCount} between 1 and 10`),
    check(
      "award_rounds_dates",
      sql`${t.nominationsOpenAt} <= ${t.nominationsCloseAt} and ${t.nominationsCloseAt} <= ${t.votingOpenAt} and ${t.votingOpenAt} <= ${t.votingCloseAt} and ${t.votingCloseAt} <= ${t.resultsAt}`,
    ),
  ],
);

/** The jury of a round: they shortlist with HR. */
export const awardJurors = pgTable(
  "award_jurors",
  {
    roundId: integer()
      .notNull()
      .references(() => awardRounds.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] })],
);

/** A nomination: who nominated whom, with a statement (markdown, images allowed). */
export const awardNominations = pgTable(
  "award_nominations",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      .$defaultFn(() => sql`null`),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    roundId: integer()
      .notNull()
      .references(() => awardRounds.id, { onDelete: "cascade" }),
    nomineeId: integer()
      .notNull()
      .references(() => users.id),
    nominatorId: integer()
      .notNull()
      .references(() => users.id),
    statement: text().notNull(),
    statementHtml: text().notNull(),
    shortlistedAt: timestamp({ withTimezone: true }),
    /** Withdrawn by its nominator or removed by HR. */
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: integer().references(() => users.id),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("award_nominations_item_key").on(t.itemId),
    uniqueIndex("award_nominations_round_nominee_nominator_key").on(t.roundId, t.nomineeId, t.nominatorId),
    index("award_nominations_round_idx").on(t.roundId, t.nomineeId),
    uniqueIndex("award_nominations_nominator_submission_key").on(t.nominatorId, t.submissionKey),
  ],
);

/**
 * Who has voted in a round, and nothing else: no choice, no time. With `award_tallies` (counts per
 * nominee, no voter) it keeps each person to one ballot while nothing in the database joins a
 * voter to a choice.
 */
export const awardBallots = pgTable(
  "award_ballots",
  {
    roundId: integer()
      .notNull()
      .references(() => awardRounds.id, { onDelete: "cascade" }),
    voterId: integer()
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.voterId] })],
);

/** Votes per nominee: counters only, hidden until the round's results date. */
export const awardTallies = pgTable(
  "award_tallies",
  {
    roundId: integer()
      .notNull()
      .references(() => awardRounds.id, { onDelete: "cascade" }),
    nomineeId: integer()
      .notNull()
      .references(() => users.id),
    votes: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.nomineeId] }), check("award_tallies_votes", sql`${t.votes} >= 0`)],
);

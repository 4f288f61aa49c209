import { sql } from "drizzle-orm";
import { date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { forumAccounts, forumAnswers, forumComments, forumThreads } from "./forum.ts";
import { posts } from "./qa.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * The public forum, part 2 (issue 20, decision 014): customers ask, the right employees answer, hot
 * issues escalate, live expert sessions, and employees share. Migration 0013 creates these tables and
 * grants the forum's role (`commons_forum`) what it needs of them, table by table:
 *
 * - customer-side tables it writes (me too, flags, view counts, session questions and votes, clicks);
 * - the sessions meant for the forum, through row-level security (internal sessions stay invisible);
 * - of a share link, only its code and where it leads (never whose it is).
 *
 * Everything else here (routing, the queue, suggestions, escalations, responders, kits) is the
 * app's alone.
 */

// ---------------------------------------------------------------- customers (forum role writes)

/** "Me too" from a customer on a customer's question: the first escalation rule counts them. */
export const forumMeToos = pgTable(
  "forum_me_toos",
  {
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    accountId: integer()
      .notNull()
      .references(() => forumAccounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.accountId] }), index("forum_me_toos_created_idx").on(t.createdAt)],
);

/** A customer's flag on a thread, an answer or a comment; moderators resolve it in the app. */
export const forumFlags = pgTable(
  "forum_flags",
  {
    id: id(),
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    answerId: integer().references(() => forumAnswers.id, { onDelete: "cascade" }),
    commentId: integer().references(() => forumComments.id, { onDelete: "cascade" }),
    accountId: integer()
      .notNull()
      .references(() => forumAccounts.id, { onDelete: "cascade" }),
    /** "spam", "abuse", "off_topic", "other". */
    reason: text().notNull(),
    note: text().notNull().default(""),
    createdAt: createdAt(),
    /** Set by the app when a moderator decides: "removed" the post, or "dismissed" the flag. */
    resolution: text(),
    resolvedById: integer().references(() => users.id, { onDelete: "set null" }),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("forum_flags_open_idx")
      .on(t.createdAt)
      .where(sql`${t.resolvedAt} is null`),
    // One flag per customer and post (a thread's own flag has both ids null).
    uniqueIndex("forum_flags_once_key").on(t.accountId, t.threadId, sql`coalesce(${t.answerId}, 0)`, sql`coalesce(${t.commentId}, 0)`),
  ],
);

/** Page views per thread and day (the forum adds them up in memory and writes them every few seconds): deflection's numerator. */
export const forumThreadViews = pgTable(
  "forum_thread_views",
  {
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    views: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.day] }), index("forum_thread_views_day_idx").on(t.day)],
);

// ---------------------------------------------------------------- routing and the queue (app only)

export const forumQueueStatusEnum = pgEnum("forum_queue_status", ["open", "answered", "solved", "closed"]);

/** A customer's question as the internal queue sees it: its topics, when it is due, when someone first answered. */
export const forumQueue = pgTable(
  "forum_queue",
  {
    threadId: integer()
      .primaryKey()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    /** The asker's tags plus those of similar questions: who may answer, and whom it was routed to. */
    topics: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: forumQueueStatusEnum().notNull().default("open"),
    routedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The topic's SLA from routedAt; past it the queue shows the question as overdue. */
    dueAt: timestamp({ withTimezone: true }).notNull(),
    firstResponseAt: timestamp({ withTimezone: true }),
    firstResponseById: integer().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("forum_queue_status_idx").on(t.status, t.dueAt)],
);

export const forumRouteReasonEnum = pgEnum("forum_route_reason", ["sme", "responder", "expert"]);

/** Who a customer's question was routed to, and why (an SME of a topic, a named responder, the expertise model). */
export const forumRoutes = pgTable(
  "forum_routes",
  {
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topic: text().notNull(),
    reason: forumRouteReasonEnum().notNull(),
    routedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.userId] }), index("forum_routes_user_idx").on(t.userId, t.routedAt.desc())],
);

/** Employees a moderator named to answer customers publicly on a topic, besides its SMEs. */
export const forumResponders = pgTable(
  "forum_responders",
  {
    topic: text().notNull(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    namedById: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.userId] }), index("forum_responders_user_idx").on(t.userId)],
);

/** Per-topic settings of the forum queue: the SLA (hours to a first public answer). Topics without a row use the default. */
export const forumTopicSettings = pgTable("forum_topic_settings", {
  topic: text().primaryKey(),
  slaHours: integer().notNull(),
  updatedById: integer().references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

export const forumSuggestionStatusEnum = pgEnum("forum_suggestion_status", ["open", "posted", "dismissed"]);

/** An answer suggested internally by an employee who may not answer publicly; a responder posts it, with credit. */
export const forumSuggestions = pgTable(
  "forum_suggestions",
  {
    id: id(),
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text().notNull(),
    status: forumSuggestionStatusEnum().notNull().default("open"),
    postedAnswerId: integer().references(() => forumAnswers.id, { onDelete: "set null" }),
    decidedById: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("forum_suggestions_thread_idx").on(t.threadId, t.createdAt)],
);

// ---------------------------------------------------------------- escalations (app only)

export const escalationSeverityEnum = pgEnum("escalation_severity", ["low", "medium", "high", "critical"]);
export const escalationStatusEnum = pgEnum("escalation_status", ["open", "investigating", "resolved", "dismissed"]);

/** A hot issue: which rules fired, how bad, who owns it, by when, where employees work it, and what customers were told. */
export const forumEscalations = pgTable(
  "forum_escalations",
  {
    id: id(),
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    /** The rules that fired: "me_too", "urgent_terms", "sentiment", "volume_spike" (with detail in `reasons`). */
    rules: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** What each rule saw, in words ("7 customers said me too", "urgent term: outage"). */
    reasons: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    severity: escalationSeverityEnum().notNull(),
    status: escalationStatusEnum().notNull().default("open"),
    assigneeId: integer().references(() => users.id, { onDelete: "set null" }),
    /** When a first internal response is due (the severity's SLA). */
    dueAt: timestamp({ withTimezone: true }).notNull(),
    firstResponseAt: timestamp({ withTimezone: true }),
    /** The internal question where employees work the issue. */
    questionId: integer().references(() => posts.id, { onDelete: "set null" }),
    /** What customers see on the thread once it is resolved. */
    outcome: text().notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One escalation per thread at a time; a resolved one may be followed by a new one.
    uniqueIndex("forum_escalations_one_open_key")
      .on(t.threadId)
      .where(sql`${t.status} in ('open', 'investigating')`),
    index("forum_escalations_status_idx").on(t.status, t.dueAt),
  ],
);

// ---------------------------------------------------------------- live expert sessions

export const liveSessionAudienceEnum = pgEnum("live_session_audience", ["forum", "internal"]);
export const liveSessionStatusEnum = pgEnum("live_session_status", ["scheduled", "live", "ended", "cancelled"]);

/**
 * A live expert session ("ask me anything"). Forum sessions are public (the forum's role reads them
 * through row-level security); internal ones belong to a space and follow its visibility.
 */
export const liveSessions = pgTable(
  "live_sessions",
  {
    id: id(),
    title: text().notNull(),
    description: text().notNull().default(""),
    descriptionHtml: text().notNull().default(""),
    topic: text().notNull(),
    audience: liveSessionAudienceEnum().notNull(),
    /** Internal sessions: the space whose members may take part. Null for forum sessions. */
    spaceId: integer().references(() => spaces.id, { onDelete: "cascade" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    status: liveSessionStatusEnum().notNull().default("scheduled"),
    createdById: integer().references(() => users.id, { onDelete: "set null" }),
    /** After a forum session: the thread it became. */
    threadId: integer().references(() => forumThreads.id, { onDelete: "set null" }),
    /** After an internal session: the question it became. */
    questionId: integer().references(() => posts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("live_sessions_starts_idx").on(t.audience, t.startsAt.desc())],
);

/** A session's experts, with their name and title as shown (the forum may not read `users`). */
export const liveSessionExperts = pgTable(
  "live_session_experts",
  {
    sessionId: integer()
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    title: text().notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** A question submitted to a session (by a customer on the forum, or an employee inside), and its answer. */
export const liveSessionQuestions = pgTable(
  "live_session_questions",
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => liveSessions.id, { onDelete: "cascade" }),
    /** The customer who asked (forum sessions). */
    accountId: integer().references(() => forumAccounts.id, { onDelete: "set null" }),
    /** The employee who asked (internal sessions, or an employee on the forum's session page inside). */
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    authorName: text().notNull(),
    body: text().notNull(),
    bodyHtml: text().notNull(),
    /** Up-votes, kept by the vote writes (both processes) so ordering needs no count. */
    votes: integer().notNull().default(0),
    answer: text(),
    answerHtml: text(),
    answeredById: integer().references(() => users.id, { onDelete: "set null" }),
    answeredByName: text(),
    answeredByTitle: text(),
    answeredAt: timestamp({ withTimezone: true }),
    hiddenAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("live_session_questions_session_idx").on(t.sessionId, t.votes.desc(), t.id)],
);

/** One up-vote per voter: "a:<forum account id>" or "u:<user id>". */
export const liveSessionVotes = pgTable(
  "live_session_votes",
  {
    questionId: integer()
      .notNull()
      .references(() => liveSessionQuestions.id, { onDelete: "cascade" }),
    voter: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.voter] })],
);

// ---------------------------------------------------------------- sharing (advocacy)

/** A share kit: published threads and public articles that communications staff curate, with suggested text. */
export const shareKits = pgTable(
  "share_kits",
  {
    id: id(),
    title: text().notNull(),
    description: text().notNull().default(""),
    createdById: integer().references(() => users.id, { onDelete: "set null" }),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("share_kits_created_idx").on(t.createdAt.desc())],
);

export const shareItemKindEnum = pgEnum("share_item_kind", ["thread", "article"]);

/** One thing to share: a forum thread, or a public article at an https address; and the suggested text. */
export const shareKitItems = pgTable(
  "share_kit_items",
  {
    id: id(),
    kitId: integer()
      .notNull()
      .references(() => shareKits.id, { onDelete: "cascade" }),
    kind: shareItemKindEnum().notNull(),
    threadId: integer().references(() => forumThreads.id, { onDelete: "cascade" }),
    /** Article: its public https address. Thread: empty (the forum's own path is used). */
    url: text().notNull().default(""),
    title: text().notNull(),
    suggestedText: text().notNull().default(""),
    position: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("share_kit_items_kit_idx").on(t.kitId, t.position)],
);

/** An employee's personal link for one item. The forum's role may read only `code` and `target`. */
export const shareLinks = pgTable(
  "share_links",
  {
    code: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    itemId: integer()
      .notNull()
      .references(() => shareKitItems.id, { onDelete: "cascade" }),
    /** Where the redirect goes: a forum path ("/t/12/slug") or the article's https address. */
    target: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("share_links_user_item_key").on(t.userId, t.itemId)],
);

/** Clicks per link, day and referring site's host ("" when none): nothing about who clicked. */
export const shareClicks = pgTable(
  "share_clicks",
  {
    code: text()
      .notNull()
      .references(() => shareLinks.code, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    referrerHost: text().notNull().default(""),
    clicks: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.code, t.day, t.referrerHost] })],
);

/** Employees who chose to appear on the share leaderboard (nobody is on it otherwise). */
export const shareLeaderboardOptIns = pgTable("share_leaderboard_opt_ins", {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
});

/** Communications staff: who may curate share kits (besides admins). Admins name them. */
export const shareCurators = pgTable("share_curators", {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
});

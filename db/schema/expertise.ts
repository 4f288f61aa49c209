import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { posts } from "./qa.ts";
import { items } from "./social.ts";
import { spaces } from "./spaces.ts";
import { tags } from "./tags.ts";
import { users } from "./users.ts";

/**
 * Expert discovery (issue 18, docs/decisions/012-expertise.md): one expertise model from all the
 * work, routing, people analytics and anonymous questions.
 */

/** What a piece of evidence is; each kind has its weight in the expertise settings. */
export const expertiseEvidenceKindEnum = pgEnum("expertise_evidence_kind", [
  /** An answer of theirs on a question in the topic. */
  "answer",
  /** An answer of theirs that the asker accepted. */
  "accepted_answer",
  /** Net upvotes on their answers (from the reputation ledger). */
  "answer_vote",
  /** A suggested edit of theirs approved on a page in the topic. */
  "wiki_edit",
  /** A page in the topic they own. */
  "page_owned",
  /** A page in the topic they own and verified. */
  "page_verified",
  /** An idea of theirs (as an owner) accepted, or implemented. */
  "idea_accepted",
  "idea_implemented",
  /** Kudos they received on something in the topic. */
  "kudos",
  /** They said they know the topic. */
  "declared",
]);

/**
 * Every piece of evidence, one row each, rebuilt per person from the content and the ledgers
 * (app/features/expertise/evidence.server.ts). It is what explains a score to its person and
 * what readers' views filter by space: the row carries the space of the item it came from.
 */
export const expertiseEvidence = pgTable(
  "expertise_evidence",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    kind: expertiseEvidenceKindEnum().notNull(),
    /** The item it came from (the answer, the page, the idea, the kudos); null for a declared skill. */
    itemId: integer().references(() => items.id, { onDelete: "cascade" }),
    /** How much it counts before decay (a vote row carries the net count of votes times the weight). */
    weight: doublePrecision().notNull(),
    /** When it happened: decay runs from here. */
    occurredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("expertise_evidence_user_idx").on(t.userId, t.tagId), index("expertise_evidence_tag_idx").on(t.tagId, t.spaceId)],
);

/**
 * The evidence summed per person, topic and space, so a reader's ranking is one indexed sum over
 * the spaces they may see. `decayed` is Σ weight · 2^((occurred_at − epoch) / half-life): the
 * score at time t is `decayed · 2^(−(t − epoch) / half-life)`, the same factor for everyone, so a
 * new piece of evidence is one addition and nothing needs rewriting as time passes (a new
 * half-life rebuilds everything).
 */
export const expertiseScores = pgTable(
  "expertise_scores",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    decayed: doublePrecision().notNull(),
    /** Pieces of evidence other than a declared skill: the confidence grows with it. */
    evidenceCount: integer().notNull(),
    lastEvidenceAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId, t.spaceId] }), index("expertise_scores_tag_idx").on(t.tagId, t.spaceId)],
);

/**
 * The outbox of the expertise model: people whose evidence changed, written in the same
 * transaction as the change by triggers (migration 0011), drained by the expertise worker.
 */
export const expertiseOutbox = pgTable("expertise_outbox", {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /**
   * When a worker claimed the person for a rebuild, or null while they wait. Queuing them again
   * clears it (expertise_enqueue, migration 0017), so a change during a rebuild leads to another;
   * a claim older than the worker's lease is taken again (a worker that died mid-rebuild).
   */
  claimedAt: timestamp({ withTimezone: true }),
  attempts: integer().notNull().default(0),
  lastError: text(),
});

/** A person's own say about a topic: they declared it, or they hide it from everyone else. */
export const userTopics = pgTable(
  "user_topics",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    declared: boolean().notNull().default(false),
    hidden: boolean().notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index("user_topics_tag_idx").on(t.tagId)],
);

export const smeSourceEnum = pgEnum("sme_source", ["assigned", "automatic"]);

/** Subject-matter experts per topic: assigned by moderators, or automatic past the threshold. */
export const tagSmes = pgTable(
  "tag_smes",
  {
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    source: smeSourceEnum().notNull(),
    assignedById: integer().references(() => users.id, { onDelete: "set null" }),
    /**
     * The person's standing on the topic from open spaces (Σ expertise_scores.decayed there, null
     * without any), what orders a tag's SMEs: the expertise worker sets it whenever it rebuilds
     * the person, as it decides who is an automatic SME; assigning someone sets it too.
     */
    standing: doublePrecision(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tagId, t.userId] }), index("tag_smes_user_idx").on(t.userId)],
);

export const routingStatusEnum = pgEnum("routing_status", ["routing", "answered", "moderators", "closed"]);

/** A question in the routing of its space: which round it is in and when that round is due. */
export const questionRouting = pgTable(
  "question_routing",
  {
    questionId: integer()
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    status: routingStatusEnum().notNull().default("routing"),
    /** 1 for the top experts, 2 for the next ones, then the moderators. */
    round: integer().notNull().default(0),
    /** When the current round runs out (in working hours from when it began). */
    dueAt: timestamp({ withTimezone: true }).notNull(),
    firstAnswerAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("question_routing_due_idx")
      .on(t.dueAt)
      .where(sql`${t.status} = 'routing'`),
    index("question_routing_space_idx").on(t.spaceId, t.createdAt),
  ],
);

export const routeReasonEnum = pgEnum("route_reason", ["expert", "moderator", "asked"]);

/** Who a question was sent to, why and when; `answered_at` when that person answered it. */
export const questionRoutes = pgTable(
  "question_routes",
  {
    id: id(),
    questionId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: routeReasonEnum().notNull(),
    round: integer().notNull().default(1),
    /** Who sent it (the asker of an "Ask this person"; null when routing did). */
    askedById: integer().references(() => users.id, { onDelete: "set null" }),
    /** The evidence line shown with it ("7 accepted answers on fermentation"). */
    why: text().notNull().default(""),
    routedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("question_routes_question_idx").on(t.questionId, t.userId), index("question_routes_user_time_idx").on(t.userId, t.routedAt)],
);

/** One computation of the people analytics (the SNA job) and the window it describes. */
export const analyticsRunStatusEnum = pgEnum("analytics_run_status", ["running", "done", "failed"]);

export const analyticsRuns = pgTable(
  "analytics_runs",
  {
    id: id(),
    status: analyticsRunStatusEnum().notNull().default("running"),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    /** The date the results describe. */
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    people: integer().notNull().default(0),
    interactions: integer().notNull().default(0),
    edges: integer().notNull().default(0),
    durationMs: integer(),
    /** The worker's peak heap, for the figures. */
    peakHeapMb: integer(),
    error: text(),
    requestedById: integer().references(() => users.id, { onDelete: "set null" }),
    startedAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("analytics_runs_end_idx").on(t.windowEnd)],
);

/** Each person's roles in one run, with the figures that explain them to that person. */
export const personRoles = pgTable(
  "person_roles",
  {
    runId: integer()
      .notNull()
      .references(() => analyticsRuns.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The department when the run was made (groups of fewer than 5 are folded at read time). */
    department: text().notNull().default(""),
    maven: doublePrecision().notNull().default(0),
    connector: doublePrecision().notNull().default(0),
    salesman: doublePrecision().notNull().default(0),
    isMaven: integer().notNull().default(0),
    isConnector: integer().notNull().default(0),
    isSalesman: integer().notNull().default(0),
    /** asker, answerer, news_poster, connector or quiet. */
    profile: text().notNull(),
    /** The figures behind each role, in words the person can check (see docs/people-analytics.md). */
    explanation: jsonb().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.runId, t.userId] }), index("person_roles_user_idx").on(t.userId)],
);

/** HR opening a person's analytics or expertise: the person sees who looked and when. */
export const hrViews = pgTable(
  "hr_views",
  {
    id: id(),
    viewerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subjectId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** What was opened: "analytics", "expertise", "shortlist". */
    what: text().notNull(),
    viewedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("hr_views_subject_idx").on(t.subjectId, t.viewedAt.desc())],
);

/**
 * Who asked an anonymous question: stored apart from the post (whose author is the space's
 * anonymous stand-in) and read only to deliver notifications and relay messages, never shown.
 */
export const anonymousAskers = pgTable("anonymous_askers", {
  questionId: integer()
    .primaryKey()
    .references(() => posts.id, { onDelete: "cascade" }),
  userId: integer()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
});

/** A moderator's message to an anonymous asker, delivered without revealing who they are. */
export const anonymousRelayMessages = pgTable(
  "anonymous_relay_messages",
  {
    id: id(),
    questionId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    senderId: integer()
      .notNull()
      .references(() => users.id),
    body: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("anonymous_relay_question_idx").on(t.questionId)],
);

/** A logged break-glass: a moderator learnt who asked, for abuse handling, with a written reason the asker later sees. */
export const anonymousBreakGlass = pgTable(
  "anonymous_break_glass",
  {
    id: id(),
    questionId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    moderatorId: integer()
      .notNull()
      .references(() => users.id),
    reason: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("anonymous_break_glass_question_idx").on(t.questionId), check("anonymous_break_glass_reason", sql`length(${t.reason}) >= 10`)],
);

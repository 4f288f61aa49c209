import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { posts } from "./qa.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * The public forum (issue 19, decision 013), in two halves.
 *
 * The published side (`forum_*`) is all the forum process can read: it connects as the PostgreSQL
 * role `commons_forum`, which migration 0012 creates and grants SELECT on the published tables and
 * writes on the customer-side ones, and nothing else. It holds snapshots, never links into the
 * internal tables: names, titles and HTML as they were approved.
 *
 * The internal side (`publications` and the tables around it) is the publishing workflow: drafts,
 * the confidentiality scan's flags, consents, approvals and the timeline. Only the app's own role
 * reads it.
 */

// ---------------------------------------------------------------- the published side (forum role: SELECT)

/**
 * Where a thread came from: published from inside (part 1), asked by a customer on the forum, or a
 * live expert session captured as a thread when it ended (part 2).
 */
export const forumThreadOriginEnum = pgEnum("forum_thread_origin", ["published", "customer", "session"]);

/** A customer's post before anyone else sees it: a new account's first post waits for a moderator. */
export const forumModerationEnum = pgEnum("forum_moderation", ["visible", "pending", "removed"]);

/**
 * What customers see of an escalation on their thread (the internal queue's detail stays inside):
 * "escalated to our team", then the outcome a moderator wrote.
 */
export const forumEscalationStateEnum = pgEnum("forum_escalation_state", ["escalated", "resolved"]);

/** A published thread: the approved snapshot of an internal question. The id is its stable public URL. */
export const forumThreads = pgTable(
  "forum_threads",
  {
    id: id(),
    /** From the title at first publication; the URL is `/t/<id>/<slug>` and old slugs redirect. */
    slug: text().notNull(),
    title: text().notNull(),
    /** The question's text as approved, rendered by the one markdown module. Emptied when withdrawn. */
    bodyHtml: text().notNull(),
    /** A plain-text summary (the first words) for descriptions, OpenGraph and the RSS feed. */
    summary: text().notNull().default(""),
    /** "Sofia Martins", or "A Northwind engineer" when the author chose not to be named. */
    authorName: text().notNull(),
    /** The author's job title when named; empty otherwise. */
    authorTitle: text().notNull().default(""),
    authorNamed: boolean().notNull().default(false),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    answerCount: integer().notNull().default(0),
    /** An approved answer was accepted internally: the thread's solution. */
    solved: boolean().notNull().default(false),
    /** When the internal question was asked (shown as the question's date). */
    askedAt: timestamp({ withTimezone: true }).notNull(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The last (re)publication. */
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Null: no end. Past it the thread is gone from the forum at once (reads filter on it). */
    expiresAt: timestamp({ withTimezone: true }),
    /** Unpublished or expired: the page answers 410 and the text is gone from this table. */
    withdrawnAt: timestamp({ withTimezone: true }),
    /** 1 at first publication, +1 at each republication. */
    version: integer().notNull().default(1),
    // ---- part 2 (issue 20): customers ask on the forum
    origin: forumThreadOriginEnum().notNull().default("published"),
    /** The customer who asked (origin "customer"); null for published and session threads. */
    accountId: integer().references(() => forumAccounts.id, { onDelete: "set null" }),
    /** The customer's markdown as typed (origin "customer"): the escalation rules read it, the page shows body_html. */
    body: text().notNull().default(""),
    /** Pending: a new account's first post, seen only by its author until a moderator lets it through. */
    moderation: forumModerationEnum().notNull().default("visible"),
    /** Written by the app only: "escalated to our team", then "resolved" with the outcome below. */
    escalationState: forumEscalationStateEnum(),
    escalationOutcome: text().notNull().default(""),
    escalationUpdatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("forum_threads_account_idx")
      .on(t.accountId, t.id.desc())
      .where(sql`${t.accountId} is not null`),
    index("forum_threads_origin_idx").on(t.origin, t.publishedAt.desc()),
    index("forum_threads_live_idx")
      .on(t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.withdrawnAt} is null`),
    index("forum_threads_tags_idx").using("gin", t.tags),
  ],
);

/** An approved answer of a published thread, in the order shown (the accepted one first). */
export const forumAnswers = pgTable(
  "forum_answers",
  {
    id: id(),
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    bodyHtml: text().notNull(),
    authorName: text().notNull(),
    authorTitle: text().notNull().default(""),
    authorNamed: boolean().notNull().default(false),
    accepted: boolean().notNull().default(false),
    answeredAt: timestamp({ withTimezone: true }).notNull(),
    /**
     * Part 2: the employee who posted it on a customer's question (null for published snapshots).
     * Only the app reads it (the forum shows the name and title snapshots above); it is how the
     * queue knows who answered, and who gets the credit.
     */
    authorUserId: integer().references(() => users.id, { onDelete: "set null" }),
    /** "Suggested by Tom Becker": the colleague whose internal suggestion a responder posted. */
    creditName: text().notNull().default(""),
  },
  (t) => [index("forum_answers_thread_idx").on(t.threadId, t.position)],
);

/**
 * What the forum process needs to know and may know, written by the app at every start: the
 * search key that can search only the forum's index, and that index's name.
 */
export const forumRuntime = pgTable("forum_runtime", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- the customer side (forum role: writes)

/**
 * A customer's forum account. Apart from `users` on purpose: the forum's role may not read that
 * table, so the forum signs its customers up, verifies their address and signs them in here.
 */
export const forumAccounts = pgTable(
  "forum_accounts",
  {
    id: id(),
    /** Stored lower-cased. */
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    /** Null until the mailed link is opened: an unverified account can't comment or react. */
    verifiedAt: timestamp({ withTimezone: true }),
    deactivatedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    /**
     * Part 2: set by a moderator (in the app) when they let this account's first post through.
     * Until then each new question or comment waits in the first-post queue.
     */
    trustedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("forum_accounts_email_key").on(t.email)],
);

/** Forum sessions, as the app's own (decision 002): the cookie holds a token, this its SHA-256. */
export const forumSessions = pgTable(
  "forum_sessions",
  {
    id: text().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => forumAccounts.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("forum_sessions_account_idx").on(t.accountId)],
);

export const forumTokenPurposeEnum = pgEnum("forum_token_purpose", ["verify_email", "reset_password"]);

/** Mailed one-time links (address confirmation, password reset): the SHA-256 of the token. */
export const forumTokens = pgTable(
  "forum_tokens",
  {
    id: text().primaryKey(),
    accountId: integer()
      .notNull()
      .references(() => forumAccounts.id, { onDelete: "cascade" }),
    purpose: forumTokenPurposeEnum().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("forum_tokens_account_idx").on(t.accountId)],
);

/** Fixed-window counters for the forum's rate limits (sign-in, sign-up, comments), per key. */
export const forumAttempts = pgTable("forum_attempts", {
  key: text().primaryKey(),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  count: integer().notNull().default(0),
});

/** A customer's comment on a published thread; it reaches the internal review queue. */
export const forumComments = pgTable(
  "forum_comments",
  {
    id: id(),
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    accountId: integer()
      .notNull()
      .references(() => forumAccounts.id, { onDelete: "cascade" }),
    body: text().notNull(),
    bodyHtml: text().notNull(),
    createdAt: createdAt(),
    /** Removed by its author or hidden by the thread's owners. */
    deletedAt: timestamp({ withTimezone: true }),
    /** Part 2: a new account's first comment waits for a moderator, as its first question does. */
    moderation: forumModerationEnum().notNull().default("visible"),
  },
  (t) => [index("forum_comments_thread_idx").on(t.threadId, t.createdAt)],
);

export const forumReactionKindEnum = pgEnum("forum_reaction_kind", ["helpful", "not_helpful"]);

/** "Helpful" or "Not helpful" from a customer, on a thread (answerId 0) or one of its answers. */
export const forumReactions = pgTable(
  "forum_reactions",
  {
    threadId: integer()
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    /** 0 for the thread itself (a key column can't be null). */
    answerId: integer().notNull().default(0),
    accountId: integer()
      .notNull()
      .references(() => forumAccounts.id, { onDelete: "cascade" }),
    kind: forumReactionKindEnum().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.answerId, t.accountId] }), index("forum_reactions_thread_idx").on(t.threadId, t.createdAt)],
);

// ---------------------------------------------------------------- the internal side (app role only)

export const publicationStatusEnum = pgEnum("publication_status", ["draft", "published", "withdrawn", "superseded", "discarded"]);

/**
 * A proposal to publish an internal question: a snapshot of it (title, tags, the question's text
 * and the chosen answers in `publication_parts`), never a live link. Later internal edits change
 * nothing here; republishing them is a new publication.
 */
export const publications = pgTable(
  "publications",
  {
    id: id(),
    questionId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    proposerId: integer()
      .notNull()
      .references(() => users.id),
    status: publicationStatusEnum().notNull().default("draft"),
    title: text().notNull(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The forum thread it became (or, for a republication, the one it will replace). */
    threadId: integer().references(() => forumThreads.id, { onDelete: "set null" }),
    /** The publication this one republishes, for the diff against what is public. */
    previousId: integer(),
    /** Bumped by every change of the text: approvals given to an older revision no longer count. */
    revision: integer().notNull().default(1),
    expiresAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    withdrawnAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("publications_question_idx").on(t.questionId, t.id.desc()),
    index("publications_status_idx").on(t.status, t.updatedAt.desc()),
    // One open draft per question: a second proposal opens the first.
    uniqueIndex("publications_one_draft_key")
      .on(t.questionId)
      .where(sql`${t.status} = 'draft'`),
  ],
);

export const publicationPartKindEnum = pgEnum("publication_part_kind", ["question", "answer"]);

/** The question's text and each answer's, as snapshot and then redacted in the draft's editor. */
export const publicationParts = pgTable(
  "publication_parts",
  {
    id: id(),
    publicationId: integer()
      .notNull()
      .references(() => publications.id, { onDelete: "cascade" }),
    kind: publicationPartKindEnum().notNull(),
    /** The internal post it was copied from (for credit and the diff), not a live link. */
    postId: integer().references(() => posts.id, { onDelete: "set null" }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    /** Markdown as it stands in the draft. */
    body: text().notNull(),
    /** Answers the proposer chose; the question is always included. */
    included: boolean().notNull().default(true),
    accepted: boolean().notNull().default(false),
    position: integer().notNull(),
    writtenAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("publication_parts_publication_idx").on(t.publicationId, t.position)],
);

export const consentChoiceEnum = pgEnum("consent_choice", ["pending", "named", "generic", "omit"]);

/** Each author whose text is in a draft: how they agreed to appear, or that they have not answered yet. */
export const publicationConsents = pgTable(
  "publication_consents",
  {
    publicationId: integer()
      .notNull()
      .references(() => publications.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    choice: consentChoiceEnum().notNull().default("pending"),
    /** For "generic": the word after the company's name ("a Northwind engineer"). */
    genericLabel: text().notNull().default("employee"),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.publicationId, t.userId] }), index("publication_consents_user_idx").on(t.userId)],
);

export const publicationFlagStatusEnum = pgEnum("publication_flag_status", ["open", "redacted", "accepted"]);

/** What the confidentiality scan found, where (the part, or the title when partId is null, and the offsets), and what was done. */
export const publicationFlags = pgTable(
  "publication_flags",
  {
    id: id(),
    publicationId: integer()
      .notNull()
      .references(() => publications.id, { onDelete: "cascade" }),
    partId: integer().references(() => publicationParts.id, { onDelete: "cascade" }),
    /** "email", "phone", "internal_host", "internal_url", "ip", "secret", "person", "customer", "codename". */
    detector: text().notNull(),
    /** The matched text (shown to the reviewers, never published). */
    match: text().notNull(),
    start: integer().notNull(),
    end: integer().notNull(),
    status: publicationFlagStatusEnum().notNull().default("open"),
    /** Why an accepted flag may stay. */
    reason: text().notNull().default(""),
    resolvedById: integer().references(() => users.id, { onDelete: "set null" }),
    resolvedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("publication_flags_publication_idx").on(t.publicationId, t.status)],
);

export const approvalCapacityEnum = pgEnum("publication_approval_capacity", ["moderator", "sme", "admin"]);

/** The two approvals: a moderator of the space, and an SME of the topic (an admin where there is none). */
export const publicationApprovals = pgTable(
  "publication_approvals",
  {
    publicationId: integer()
      .notNull()
      .references(() => publications.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    capacity: approvalCapacityEnum().notNull(),
    /** The draft's revision approved: a later change of the text voids it. */
    revision: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.publicationId, t.userId] })],
);

/** Every step of a publication, in order: proposed, scanned, redacted, accepted, consented, approved, published, withdrawn. */
export const publicationEvents = pgTable(
  "publication_events",
  {
    id: id(),
    publicationId: integer()
      .notNull()
      .references(() => publications.id, { onDelete: "cascade" }),
    actorId: integer().references(() => users.id, { onDelete: "set null" }),
    kind: text().notNull(),
    detail: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("publication_events_publication_idx").on(t.publicationId, t.id)],
);

export const confidentialTermKindEnum = pgEnum("confidential_term_kind", ["customer", "codename"]);

/** Admin-kept lists the scan flags: customer names and project code names. */
export const confidentialTerms = pgTable(
  "confidential_terms",
  {
    id: id(),
    kind: confidentialTermKindEnum().notNull(),
    term: text().notNull(),
    createdById: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("confidential_terms_key").on(t.kind, sql`lower(${t.term})`)],
);

/** The internal review queue of what customers say: everything on a thread after `reviewedThrough` is new. */
export const forumThreadReviews = pgTable("forum_thread_reviews", {
  threadId: integer()
    .primaryKey()
    .references(() => forumThreads.id, { onDelete: "cascade" }),
  reviewedThrough: timestamp({ withTimezone: true }).notNull(),
  reviewedById: integer().references(() => users.id, { onDelete: "set null" }),
});

import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { spaces } from "./spaces.ts";
import { tags } from "./tags.ts";
import { users } from "./users.ts";

/**
 * The social layer (docs/decisions/009-social-layer.md): what every kind of content shares.
 *
 * `items` is the supertype: every row of a content table (a question or answer in `posts`, an
 * idea in `ideas`, and the kinds still to come) owns exactly one item, through its unique
 * `item_id`. Comments, revisions, follows, votes, flags, notifications and reputation events
 * point at the item with a real foreign key, so PostgreSQL keeps them consistent: deleting a
 * space deletes its items and, by cascade, everything that hangs off them; deleting a content
 * row deletes its item (a trigger, migration 0008) and so its comments, votes and follows.
 *
 * A kind is declared once in app/features/social/kinds.ts (its visibility, URL, inbox and search
 * rendering, and which of these features it has).
 */
export const itemKindEnum = pgEnum("item_kind", ["question", "answer", "idea", "wiki_page", "article", "kudos", "badge", "reward", "award_round", "award_nomination"]);

export const items = pgTable(
  "items",
  {
    id: id(),
    kind: itemKindEnum().notNull(),
    /** The content's space, copied so the social rows can be checked against visibility without the content table. */
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    /**
     * The content's soft delete, copied by a trigger (migration 0009) from kinds deleted softly
     * (posts, pages, articles), so a statement over many items (the inbox's unread count) can
     * leave out deleted ones without asking each kind's table.
     */
    deletedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("items_space_idx").on(t.spaceId)],
);

/** Comments on any item (Q&A posts, ideas): @mentions, flags, delete and undelete for all of them. */
export const comments = pgTable(
  "comments",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    /** The item's space, copied so visibility needs no join. */
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    body: text().notNull(),
    bodyHtml: text().notNull(),
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: integer().references(() => users.id),
    submissionKey: text(),
    /** Imported comments: the source item's stable key ("beer.stackexchange.com/comments/456"). */
    importKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("comments_item_idx").on(t.itemId, t.createdAt),
    uniqueIndex("comments_author_submission_key").on(t.authorId, t.submissionKey),
    uniqueIndex("comments_import_key").on(t.importKey),
  ],
);

export const revisionKindEnum = pgEnum("revision_kind", ["create", "edit", "rollback"]);

/** Every version of an item's text; number 1 is the original. */
export const revisions = pgTable(
  "revisions",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    kind: revisionKindEnum().notNull(),
    editorId: integer()
      .notNull()
      .references(() => users.id),
    /** Null for kinds without a title (answers). */
    title: text(),
    body: text().notNull(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Kinds with a category (ideas) keep it per version; "" otherwise. */
    category: text().notNull().default(""),
    /** Why the edit was made ("fixed the code sample"); empty for the original. */
    comment: text().notNull().default(""),
    /** For rollbacks: the revision number restored. */
    rolledBackTo: integer(),
    /** A moderator replaced this revision's text (a secret in the history); the original is in revision_redactions. */
    redactedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("revisions_item_number_key").on(t.itemId, t.number)],
);

/** The original text of a redacted revision, kept only for admins to audit. */
export const revisionRedactions = pgTable(
  "revision_redactions",
  {
    id: id(),
    revisionId: integer()
      .notNull()
      .references(() => revisions.id, { onDelete: "cascade" }),
    originalTitle: text(),
    originalBody: text().notNull(),
    /** The revision's edit summary, which can hold the secret as well. */
    originalComment: text().notNull().default(""),
    reason: text().notNull(),
    redactedById: integer()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("revision_redactions_revision_key").on(t.revisionId)],
);

/**
 * Who follows what, exactly one of: an item (a question, an idea, a page), a tag, a space's wiki
 * (every page in it), or a person (their articles). Tags, wikis and people are not content, so
 * they are not items; they share the table, the route shape and the unfollow.
 */
export const follows = pgTable(
  "follows",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    itemId: integer().references(() => items.id, { onDelete: "cascade" }),
    tagId: integer().references(() => tags.id, { onDelete: "cascade" }),
    /** A space's wiki: changes to any of its pages. */
    wikiSpaceId: integer().references(() => spaces.id, { onDelete: "cascade" }),
    /** A person: their published articles. */
    personId: integer().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("follows_one_target", sql`num_nonnulls(${t.itemId}, ${t.tagId}, ${t.wikiSpaceId}, ${t.personId}) = 1`),
    uniqueIndex("follows_user_item_key")
      .on(t.userId, t.itemId)
      .where(sql`${t.itemId} is not null`),
    uniqueIndex("follows_user_tag_key")
      .on(t.userId, t.tagId)
      .where(sql`${t.tagId} is not null`),
    index("follows_item_idx")
      .on(t.itemId)
      .where(sql`${t.itemId} is not null`),
    index("follows_tag_idx")
      .on(t.tagId)
      .where(sql`${t.tagId} is not null`),
    uniqueIndex("follows_user_wiki_space_key")
      .on(t.userId, t.wikiSpaceId)
      .where(sql`${t.wikiSpaceId} is not null`),
    index("follows_wiki_space_idx")
      .on(t.wikiSpaceId)
      .where(sql`${t.wikiSpaceId} is not null`),
    uniqueIndex("follows_user_person_key")
      .on(t.userId, t.personId)
      .where(sql`${t.personId} is not null`),
    index("follows_person_idx")
      .on(t.personId)
      .where(sql`${t.personId} is not null`),
  ],
);

/**
 * One vote per person per item: +1 or -1 where the kind votes up and down (posts), +1 only where
 * it counts support (ideas). The item's counters change in the same transaction.
 */
export const votes = pgTable(
  "votes",
  {
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    value: smallint().notNull(),
    /** The reputation events this vote caused (to the author, and to a downvoter), reversed on change. */
    authorEventId: integer(),
    voterEventId: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.userId] }), index("votes_user_idx").on(t.userId), check("votes_value", sql`${t.value} in (-1, 1)`)],
);

export const flagReasonEnum = pgEnum("flag_reason", ["spam", "rude", "needs_moderator"]);
export const flagStatusEnum = pgEnum("flag_status", ["pending", "dismissed", "actioned"]);

/** A flag on an item or on a comment, waiting in the moderation queue of its space. */
export const flags = pgTable(
  "flags",
  {
    id: id(),
    itemId: integer().references(() => items.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    reporterId: integer()
      .notNull()
      .references(() => users.id),
    reason: flagReasonEnum().notNull(),
    details: text().notNull().default(""),
    status: flagStatusEnum().notNull().default("pending"),
    handledById: integer().references(() => users.id),
    handledAt: timestamp({ withTimezone: true }),
    /** What the moderator did or why they dismissed it. */
    resolution: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    check("flags_one_target", sql`(${t.itemId} is null) <> (${t.commentId} is null)`),
    index("flags_pending_idx")
      .on(t.spaceId, t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    uniqueIndex("flags_pending_item_reporter_key")
      .on(t.itemId, t.reporterId)
      .where(sql`${t.status} = 'pending' and ${t.itemId} is not null`),
    uniqueIndex("flags_pending_comment_reporter_key")
      .on(t.commentId, t.reporterId)
      .where(sql`${t.status} = 'pending' and ${t.commentId} is not null`),
  ],
);

export const notificationKindEnum = pgEnum("notification_kind", [
  "answer",
  "comment",
  "accept",
  "mention",
  "tag_question",
  /** An idea's status changed (or it was merged): to its owners, voters and followers. */
  "idea_status",
  "idea_comment",
  /** Someone asked this person to be a co-owner of their idea. */
  "idea_invite",
  /** A page someone follows (or a page in a wiki they follow) was created or changed. */
  "page_edit",
  /** A page this person owns is past its review date. */
  "page_review",
  /** A suggested edit waits for this page owner; and its outcome, to the suggester. */
  "suggestion",
  "suggestion_outcome",
  /** A person or space someone follows published an article. */
  "article",
  /** This person's answer became a wiki page (or a section of one). */
  "promotion",
  /** Kudos to this person (or points added to kudos they received). */
  "kudos",
  /** This person earned a badge. */
  "badge",
  /** A redemption of this person's moved (approved, fulfilled, declined). */
  "reward",
  /** Someone asked to redeem a reward: to HR. */
  "reward_request",
  /** This person was nominated in an award round; its results were published. */
  "award",
  /** A question was routed to this person, or someone asked them directly (issue 18). */
  "routed",
  /** A moderator's relay message to the anonymous asker of a question; a break-glass they should know of. */
  "relay",
  /** The public forum (issue 19): an author's consent is asked, a draft waits for review, it was published or withdrawn. */
  "publication",
]);

/** The in-app inbox. `space_id` is re-checked when read: losing access to a space hides its notifications. */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: notificationKindEnum().notNull(),
    actorId: integer().references(() => users.id),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    /** The item the notification leads to: a question, an idea (its page). */
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    /** The item on that page it is about, when it is another one (an answer on the question's page). */
    subjectItemId: integer().references(() => items.id, { onDelete: "cascade" }),
    /** The comment it is about. */
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    readAt: timestamp({ withTimezone: true }),
    /**
     * Issue 21: when the notification mailer looked at it (mailed it now, or left it to a digest or
     * to nobody, by the person's preference). Null: not yet looked at.
     */
    mailHandledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_mail_pending_idx")
      .on(t.id)
      .where(sql`${t.mailHandledAt} is null`),
    index("notifications_user_time_idx").on(t.userId, t.createdAt.desc().nullsFirst()),
    index("notifications_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

export const reputationReasonEnum = pgEnum("reputation_reason", [
  "question_upvoted",
  "answer_upvoted",
  "post_downvoted",
  "downvote_cast",
  "answer_accepted",
  "accept_given",
  /** Reputation earned elsewhere and brought in by an importer (never capped, never reversed by votes here). */
  "imported",
  /** An owner's idea reached "accepted", and later "implemented" (reversed if the decision is). */
  "idea_accepted",
  "idea_implemented",
  /** Votes on articles, as on answers. */
  "article_upvoted",
  "article_downvoted",
  /** A suggested edit of this person's was approved; an owner verified a page; an answer of theirs became a page. */
  "edit_approved",
  "page_verified",
  "answer_promoted",
  /** They answered a question routed to them (issue 18). */
  "routed_answer",
]);

/**
 * The reputation ledger: append only, the truth from which `users.reputation` and
 * `user_tag_reputation` are derived (and can be recomputed). Undoing something (a retracted
 * vote, an un-accept) appends an event with the opposite delta that names the one it reverses.
 */
export const reputationEvents = pgTable(
  "reputation_events",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** The change actually applied (0 when the daily cap swallowed it). */
    delta: integer().notNull(),
    reason: reputationReasonEnum().notNull(),
    /** Who caused it (the voter, the accepter). */
    actorId: integer().references(() => users.id),
    /** The item it was earned on (a post, an idea); kept when the item is deleted for good, as history. */
    itemId: integer().references(() => items.id, { onDelete: "set null" }),
    /** The space and tags of the item when the event happened, for per-tag scores and visibility. */
    spaceId: integer().references(() => spaces.id, { onDelete: "set null" }),
    tagIds: integer()
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    reversesEventId: integer().references((): AnyPgColumn => reputationEvents.id),
    createdAt: createdAt(),
  },
  (t) => [
    // Space and delta too: a profile's chart and total read a person's events from the index alone.
    index("reputation_events_user_time_idx").on(t.userId, t.createdAt, t.spaceId, t.delta),
    uniqueIndex("reputation_events_reverses_key").on(t.reversesEventId),
    index("reputation_events_item_idx").on(t.itemId),
  ],
);

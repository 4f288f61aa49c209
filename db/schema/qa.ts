import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { ideaComments, ideas } from "./ideas.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * Questions and answers share one `posts` table (as Stack Exchange does): votes, revisions,
 * comments, flags and reputation all point at a post, whatever its type. Columns that only
 * make sense for questions are null (or zero) on answers.
 *
 * Every post carries its `space_id` (an answer copies its question's), so visibility is one
 * condition on the row itself: `inVisibleSpace(actor, posts.spaceId)`.
 */
export const postTypeEnum = pgEnum("post_type", ["question", "answer"]);
export const closeReasonEnum = pgEnum("close_reason", ["duplicate", "off_topic", "unclear", "resolved"]);

export const posts = pgTable(
  "posts",
  {
    id: id(),
    type: postTypeEnum().notNull(),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    /** An answer's question; null on questions. */
    parentId: integer().references((): AnyPgColumn => posts.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    /** Questions only; always plain text. */
    title: text(),
    /** The markdown the author wrote. */
    body: text().notNull(),
    /** `body` rendered and sanitized by app/lib/markdown.server.ts at write time. */
    bodyHtml: text().notNull(),
    /** Questions: tag names in the author's order (denormalized from question_tags for lists). */
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    score: integer().notNull().default(0),
    upvoteCount: integer().notNull().default(0),
    downvoteCount: integer().notNull().default(0),
    /** Questions: answers that are not deleted. */
    answerCount: integer().notNull().default(0),
    /** Comments on this post that are not deleted. */
    commentCount: integer().notNull().default(0),
    /** Questions: the accepted answer. */
    acceptedAnswerId: integer().references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
    viewCount: integer().notNull().default(0),
    closedAt: timestamp({ withTimezone: true }),
    closedById: integer().references(() => users.id),
    closeReason: closeReasonEnum(),
    /** Why the closer closed it, in their words (plain text); empty when they gave none. */
    closeNote: text().notNull().default(""),
    /** Questions closed as a duplicate point at the original. */
    duplicateOfId: integer().references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: integer().references(() => users.id),
    /** Questions: the last time anything happened on the thread (answer, edit, comment, accept). */
    lastActivityAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastEditedAt: timestamp({ withTimezone: true }),
    lastEditorId: integer().references(() => users.id),
    /** How many revisions exist; the next one gets this number + 1. */
    revisionCount: integer().notNull().default(1),
    /** A random key from the form: a double submit finds the post the first submit created. */
    submissionKey: text(),
    /**
     * Imported posts: the stable key of the source item ("beer.stackexchange.com/posts/123"), so a
     * re-run updates instead of duplicating; null on posts written here.
     */
    importKey: text(),
    /** Imported posts: where the original lives, who wrote it there and under which licence (CC BY-SA asks all three). */
    sourceUrl: text(),
    sourceAuthor: text(),
    sourceLicense: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("posts_import_key").on(t.importKey),
    check("posts_title_only_on_questions", sql`(${t.type} = 'question') = (${t.title} is not null)`),
    check("posts_parent_only_on_answers", sql`(${t.type} = 'answer') = (${t.parentId} is not null)`),
    uniqueIndex("posts_author_submission_key").on(t.authorId, t.submissionKey),
    index("posts_parent_idx").on(t.parentId),
    index("posts_author_idx").on(t.authorId, t.type, t.createdAt),
    index("posts_questions_created_idx")
      .on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.type} = 'question' and ${t.deletedAt} is null`),
    index("posts_questions_space_created_idx")
      .on(t.spaceId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.type} = 'question' and ${t.deletedAt} is null`),
    index("posts_questions_activity_idx")
      .on(t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.type} = 'question' and ${t.deletedAt} is null`),
    index("posts_duplicate_of_idx").on(t.duplicateOfId),
  ],
);

/** Tags are shared by all spaces; a tag's name is only shown where it is used in a visible space. */
export const tags = pgTable(
  "tags",
  {
    id: id(),
    /** Lower case, no spaces: `[a-z0-9][a-z0-9+#.-]*`. */
    name: text().notNull(),
    /** Markdown, and its sanitized HTML. */
    description: text().notNull().default(""),
    descriptionHtml: text().notNull().default(""),
    createdById: integer().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tags_name_key").on(t.name)],
);

export const questionTags = pgTable(
  "question_tags",
  {
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    /**
     * The question's `created_at`, copied so a tag's newest questions come straight off one index
     * (`question_tags_tag_created_idx`) instead of fetching every question with the tag and sorting.
     * Set by a trigger from `posts` on insert, and kept equal when a question's time changes
     * (migration 0005): writers never set it.
     */
    questionCreatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.tagId] }),
    index("question_tags_tag_idx").on(t.tagId, t.postId),
    index("question_tags_tag_created_idx").on(t.tagId, t.questionCreatedAt.desc().nullsFirst(), t.postId.desc().nullsFirst()),
  ],
);

/**
 * How many live questions carry a tag in each space, kept exact in the writing transaction. A
 * tag's count for someone is the sum over the spaces they may see; a tag with no row in a visible
 * space does not exist for them.
 */
export const spaceTags = pgTable(
  "space_tags",
  {
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    questionCount: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.tagId] }), index("space_tags_tag_idx").on(t.tagId)],
);

/** One vote per person per post: +1 or -1. The post's counters change in the same transaction. */
export const postVotes = pgTable(
  "post_votes",
  {
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id),
    value: smallint().notNull(),
    /** The reputation events this vote caused (to the author, and to a downvoter), reversed on change. */
    authorEventId: integer(),
    voterEventId: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.userId] }),
    index("post_votes_user_idx").on(t.userId),
    check("post_votes_value", sql`${t.value} in (-1, 1)`),
  ],
);

export const revisionKindEnum = pgEnum("revision_kind", ["create", "edit", "rollback"]);

/** Every version of a question or answer; number 1 is the original. */
export const postRevisions = pgTable(
  "post_revisions",
  {
    id: id(),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    kind: revisionKindEnum().notNull(),
    editorId: integer()
      .notNull()
      .references(() => users.id),
    title: text(),
    body: text().notNull(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Why the edit was made ("fixed the code sample"); empty for the original. */
    comment: text().notNull().default(""),
    /** For rollbacks: the revision number restored. */
    rolledBackTo: integer(),
    /** A moderator replaced this revision's text (a secret in the history); the original is in revision_redactions. */
    redactedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("post_revisions_post_number_key").on(t.postId, t.number)],
);

export const comments = pgTable(
  "comments",
  {
    id: id(),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    /** The post's space, copied so visibility needs no join. */
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
    index("comments_post_idx").on(t.postId, t.createdAt),
    uniqueIndex("comments_author_submission_key").on(t.authorId, t.submissionKey),
    uniqueIndex("comments_import_key").on(t.importKey),
  ],
);

export const flagReasonEnum = pgEnum("flag_reason", ["spam", "rude", "needs_moderator"]);
export const flagStatusEnum = pgEnum("flag_status", ["pending", "dismissed", "actioned"]);

/** A flag on a post or a comment, waiting in the moderation queue of its space. */
export const flags = pgTable(
  "flags",
  {
    id: id(),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
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
    check("flags_one_target", sql`(${t.postId} is null) <> (${t.commentId} is null)`),
    index("flags_pending_idx").on(t.spaceId, t.createdAt).where(sql`${t.status} = 'pending'`),
    uniqueIndex("flags_pending_post_reporter_key").on(t.postId, t.reporterId).where(sql`${t.status} = 'pending' and ${t.postId} is not null`),
    uniqueIndex("flags_pending_comment_reporter_key")
      .on(t.commentId, t.reporterId)
      .where(sql`${t.status} = 'pending' and ${t.commentId} is not null`),
  ],
);

/** The last time each person viewed a question: a view counts once per person per hour. */
export const postViews = pgTable(
  "post_views",
  {
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] })],
);

export const questionFollows = pgTable(
  "question_follows",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index("question_follows_post_idx").on(t.postId)],
);

export const tagFollows = pgTable(
  "tag_follows",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index("tag_follows_tag_idx").on(t.tagId)],
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
    postId: integer().references(() => posts.id, { onDelete: "set null" }),
    /** Events about an idea (its owners' credit) name it here instead of a post. */
    ideaId: integer().references(() => ideas.id, { onDelete: "set null" }),
    /** The space and tags of the post when the event happened, for per-tag scores and visibility. */
    spaceId: integer().references(() => spaces.id, { onDelete: "set null" }),
    tagIds: integer().array().notNull().default(sql`'{}'::integer[]`),
    reversesEventId: integer().references((): AnyPgColumn => reputationEvents.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("reputation_events_user_time_idx").on(t.userId, t.createdAt),
    uniqueIndex("reputation_events_reverses_key").on(t.reversesEventId),
  ],
);

/** A person's reputation per tag and space, kept exact with the ledger. */
export const userTagReputation = pgTable(
  "user_tag_reputation",
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
    score: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId, t.spaceId] }), index("user_tag_reputation_tag_idx").on(t.tagId, t.score)],
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
    /** The question the notification leads to, and the answer or comment it is about. */
    questionId: integer().references(() => posts.id, { onDelete: "cascade" }),
    /** Or the idea it leads to (exactly one of question and idea is set). */
    ideaId: integer().references(() => ideas.id, { onDelete: "cascade" }),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    ideaCommentId: integer().references(() => ideaComments.id, { onDelete: "cascade" }),
    readAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_user_time_idx").on(t.userId, t.createdAt.desc().nullsFirst()),
    index("notifications_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    check("notifications_one_subject", sql`(${t.questionId} is null) <> (${t.ideaId} is null)`),
  ],
);

/** Site-wide settings that admins change at run time (reputation weights, privilege thresholds). */
export const siteSettings = pgTable("site_settings", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedById: integer().references(() => users.id),
  updatedAt: updatedAt(),
});

/**
 * The original text of a redacted revision (post or idea), kept only for admins to audit. The
 * revision itself then says who redacted it and why.
 */
export const revisionRedactions = pgTable(
  "revision_redactions",
  {
    id: id(),
    /** "post" or "idea": which revisions table `revisionId` points into. */
    revisionKind: text().notNull(),
    revisionId: integer().notNull(),
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
  (t) => [uniqueIndex("revision_redactions_revision_key").on(t.revisionKind, t.revisionId)],
);

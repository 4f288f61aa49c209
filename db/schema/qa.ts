import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { items } from "./social.ts";
import { spaces } from "./spaces.ts";
import { tags } from "./tags.ts";
import { users } from "./users.ts";

/**
 * Questions and answers share one `posts` table (as Stack Exchange does). Each post owns an item
 * of the social layer, and its votes, revisions, comments, flags and reputation point at that item. Columns that only
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
    /** The post's item in the social layer (db/schema/social.ts): its comments, votes, revisions, follows. */
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      // Inserts leave it to the database: a trigger (migration 0008) makes the item.
      .$defaultFn(() => sql`null`),
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
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
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
    uniqueIndex("posts_item_key").on(t.itemId),
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

/**
 * How many live questions and answers each person has in each space, for their profile: the
 * profile's count for a reader is the sum over the spaces that reader may see. An answer counts
 * while it and its question are both live, as the profile's list of answers shows them. Kept exact
 * by triggers on `posts` (migration 0016), so every writer (the app, imports, claims, the
 * generator) keeps it without knowing of it: writers never set it.
 */
export const userPostCounts = pgTable(
  "user_post_counts",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    questions: integer().notNull().default(0),
    answers: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.spaceId] })],
);

/** Site-wide settings that admins change at run time (reputation weights, privilege thresholds). */
export const siteSettings = pgTable("site_settings", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedById: integer().references(() => users.id),
  updatedAt: updatedAt(),
});

import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { items } from "./social.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * Articles (issue 16): employees' own voice, a kind of content on the social layer. A draft is
 * seen by its author only; a scheduled one is published by a job when its time comes.
 */
export const articleTypeEnum = pgEnum("article_type", ["announcement", "how_to", "knowledge", "personal"]);
export const articleStatusEnum = pgEnum("article_status", ["draft", "scheduled", "published"]);

export const articles = pgTable(
  "articles",
  {
    id: id(),
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      // Inserts leave it to the database: a trigger (migration 0009) makes the item.
      .$defaultFn(() => sql`null`),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    type: articleTypeEnum().notNull().default("knowledge"),
    status: articleStatusEnum().notNull().default("draft"),
    title: text().notNull(),
    body: text().notNull(),
    bodyHtml: text().notNull(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Scheduled articles: when to publish. */
    publishAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    score: integer().notNull().default(0),
    upvoteCount: integer().notNull().default(0),
    downvoteCount: integer().notNull().default(0),
    commentCount: integer().notNull().default(0),
    viewCount: integer().notNull().default(0),
    revisionCount: integer().notNull().default(1),
    lastEditedAt: timestamp({ withTimezone: true }),
    lastEditorId: integer().references(() => users.id),
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: integer().references(() => users.id),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("articles_item_key").on(t.itemId),
    index("articles_feed_idx")
      .on(t.publishedAt.desc())
      .where(sql`${t.status} = 'published' and ${t.deletedAt} is null`),
    index("articles_space_feed_idx")
      .on(t.spaceId, t.publishedAt.desc())
      .where(sql`${t.status} = 'published' and ${t.deletedAt} is null`),
    index("articles_author_idx").on(t.authorId, t.createdAt),
    index("articles_due_idx")
      .on(t.publishAt)
      .where(sql`${t.status} = 'scheduled'`),
    uniqueIndex("articles_author_submission_key").on(t.authorId, t.submissionKey),
  ],
);

/** The last time each person's view of an article counted: a view counts once per person per hour, as for questions. */
export const articleViews = pgTable(
  "article_views",
  {
    articleId: integer()
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.userId] })],
);

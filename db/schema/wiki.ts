import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { posts } from "./qa.ts";
import { items } from "./social.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * Wiki pages (issue 16): a kind of content on the social layer (docs/adding-a-kind.md), nested
 * in a tree per space. A page's URL carries its id (`/wiki/42/onboarding-guide`), so renaming or
 * moving it never breaks a link: an old slug redirects to the current one.
 */
export const wikiPages = pgTable(
  "wiki_pages",
  {
    id: id(),
    /** The page's item in the social layer: its comments, revisions, follows, flags. */
    itemId: integer()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" })
      // Inserts leave it to the database: a trigger (migration 0009) makes the item.
      .$defaultFn(() => sql`null`),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    /** The page above it in the space's tree; null at the top. */
    parentId: integer().references((): AnyPgColumn => wikiPages.id, { onDelete: "set null" }),
    /** Order among its siblings (smaller first). */
    position: integer().notNull().default(0),
    /** The current slug of its title; older ones still lead here because the id is in the URL. */
    slug: text().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    bodyHtml: text().notNull(),
    /** The headings of the body ({ level, text, anchor }), for the table of contents. */
    toc: jsonb()
      .$type<Array<{ level: number; text: string; anchor: string }>>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Who created it; owners are in wiki_page_owners. */
    authorId: integer()
      .notNull()
      .references(() => users.id),
    lastEditorId: integer().references(() => users.id),
    lastEditedAt: timestamp({ withTimezone: true }),
    /** How many revisions exist: a save names the one it started from, so a save over a newer one is a conflict. */
    revisionCount: integer().notNull().default(1),
    commentCount: integer().notNull().default(0),
    viewCount: integer().notNull().default(0),
    /** Edits by anyone but owners and moderators become suggested edits (the space can protect all its pages too). */
    protected: boolean().notNull().default(false),
    /** Verification: an owner vouches for the page, which stays fresh until review_due_at. */
    verifiedAt: timestamp({ withTimezone: true }),
    verifiedById: integer().references(() => users.id),
    reviewIntervalDays: integer(),
    reviewDueAt: timestamp({ withTimezone: true }),
    /** When the owners were last told the review is due (once per due date). */
    reviewNotifiedAt: timestamp({ withTimezone: true }),
    deletedAt: timestamp({ withTimezone: true }),
    deletedById: integer().references(() => users.id),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("wiki_pages_item_key").on(t.itemId),
    index("wiki_pages_tree_idx").on(t.spaceId, t.parentId, t.position),
    index("wiki_pages_title_idx").on(t.spaceId, sql`lower(${t.title})`),
    index("wiki_pages_review_idx")
      .on(t.reviewDueAt)
      .where(sql`${t.reviewDueAt} is not null and ${t.deletedAt} is null`),
    uniqueIndex("wiki_pages_author_submission_key").on(t.authorId, t.submissionKey),
  ],
);

/** Every page has owners: they verify it, review suggested edits and hear when its review is due. */
export const wikiPageOwners = pgTable(
  "wiki_page_owners",
  {
    pageId: integer()
      .notNull()
      .references(() => wikiPages.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.userId] }), index("wiki_page_owners_user_idx").on(t.userId)],
);

/**
 * `[[Page title]]` links, written when a page is saved: the target when the title names a page,
 * else only the title (a link to a page not written yet, resolved when one takes that title).
 */
export const wikiPageLinks = pgTable(
  "wiki_page_links",
  {
    fromPageId: integer()
      .notNull()
      .references(() => wikiPages.id, { onDelete: "cascade" }),
    /** Lower-cased title as written in the link. */
    targetTitle: text().notNull(),
    toPageId: integer().references(() => wikiPages.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.fromPageId, t.targetTitle] }),
    index("wiki_page_links_to_idx").on(t.toPageId),
    index("wiki_page_links_title_idx")
      .on(t.targetTitle)
      .where(sql`${t.toPageId} is null`),
  ],
);

/** Page templates (how-to, policy, runbook, FAQ): site-wide (space null) or for one space. */
export const wikiTemplates = pgTable(
  "wiki_templates",
  {
    id: id(),
    spaceId: integer().references(() => spaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    body: text().notNull(),
    createdById: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("wiki_templates_space_name_key").on(sql`coalesce(${t.spaceId}, 0)`, sql`lower(${t.name})`)],
);

export const suggestionStatusEnum = pgEnum("suggestion_status", ["open", "changes_requested", "approved", "declined", "withdrawn"]);

/**
 * A suggested edit to a protected page: the full proposed text and the revision it started from,
 * so the reviewer sees its diff and whether the page changed meanwhile.
 */
export const wikiSuggestions = pgTable(
  "wiki_suggestions",
  {
    id: id(),
    pageId: integer()
      .notNull()
      .references(() => wikiPages.id, { onDelete: "cascade" }),
    /** The page's space, copied for the per-space queue and visibility. */
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    /** The revision number the suggester started from. */
    baseRevision: integer().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    /** Why (the suggester's comment). */
    comment: text().notNull().default(""),
    status: suggestionStatusEnum().notNull().default("open"),
    reviewerId: integer().references(() => users.id),
    /** The reviewer's reason (declined) or request (changes requested). */
    reviewNote: text().notNull().default(""),
    reviewedAt: timestamp({ withTimezone: true }),
    /** The revision an approval created. */
    resultRevision: integer(),
    /** A suggestion that adds an answer as a section of the page (promotion). */
    promotedFromPostId: integer().references(() => posts.id, { onDelete: "set null" }),
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("wiki_suggestions_queue_idx")
      .on(t.spaceId, t.createdAt)
      .where(sql`${t.status} in ('open', 'changes_requested')`),
    index("wiki_suggestions_page_idx").on(t.pageId, t.createdAt),
    uniqueIndex("wiki_suggestions_author_submission_key").on(t.authorId, t.submissionKey),
  ],
);

/** An answer that became a page (or a section of one): the question names the page, the page its source. */
export const wikiPromotions = pgTable(
  "wiki_promotions",
  {
    id: id(),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    pageId: integer()
      .notNull()
      .references(() => wikiPages.id, { onDelete: "cascade" }),
    promotedById: integer()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("wiki_promotions_post_page_key").on(t.postId, t.pageId), index("wiki_promotions_page_idx").on(t.pageId)],
);

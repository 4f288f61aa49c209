import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { users } from "./users.ts";

export const spaceVisibilityEnum = pgEnum("space_visibility", ["open", "restricted"]);
export const spaceRoleEnum = pgEnum("space_role", ["member", "moderator"]);

export const spaces = pgTable(
  "spaces",
  {
    id: id(),
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    visibility: spaceVisibilityEnum().notNull().default("open"),
    /** Every page of the space's wiki is protected: edits by anyone but owners and moderators become suggested edits. */
    wikiProtected: boolean().notNull().default(false),
    /**
     * The company space (one at most): open to every active employee, never restricted. Company-wide
     * recognition lives in it (kudos for no particular item, badges, rewards, award rounds).
     */
    companyWide: boolean().notNull().default(false),
    /**
     * Routing (issue 18): an unanswered question goes to its experts, and to the next ones each
     * time this many working hours pass without an answer; null turns routing off for the space.
     */
    answerDeadlineHours: integer(),
    /** Members may ask without their name (an "Ask HR" space): docs/expertise.md. */
    anonymousQuestions: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("spaces_slug_key").on(t.slug),
    uniqueIndex("spaces_company_wide_key")
      .on(t.companyWide)
      .where(sql`${t.companyWide}`),
  ],
);

export const spaceMembers = pgTable(
  "space_members",
  {
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: spaceRoleEnum().notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.userId] }), index("space_members_user_idx").on(t.userId)],
);

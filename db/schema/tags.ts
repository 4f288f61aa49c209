import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { users } from "./users.ts";

/** Tags are shared by all spaces and all kinds; a tag's name is only shown where it is used in a visible space. */
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

import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { items } from "./social.ts";
import { users } from "./users.ts";

/**
 * Images and files pasted or attached in questions, answers, pages and articles. The bytes live in
 * the storage (app/features/uploads: a directory under DATA_DIR by default); this row says who may
 * see them: the uploader until the upload is attached, then whoever may see its item.
 */
export const uploads = pgTable(
  "uploads",
  {
    id: id(),
    /** Random and unguessable: what the URL carries (`/uploads/<key>/<filename>`). */
    key: text().notNull(),
    uploaderId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The item whose text uses it; null until that text is saved (the cleanup job deletes old unattached ones). */
    itemId: integer().references(() => items.id, { onDelete: "set null" }),
    filename: text().notNull(),
    /** Checked from the content, not the name. */
    contentType: text().notNull(),
    size: integer().notNull(),
    width: integer(),
    height: integer(),
    sha256: text().notNull(),
    attachedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("uploads_key").on(t.key),
    index("uploads_item_idx").on(t.itemId),
    // The per-person hourly limit counts a person's recent uploads.
    index("uploads_uploader_time_idx").on(t.uploaderId, t.createdAt),
    index("uploads_unattached_idx")
      .on(t.createdAt)
      .where(sql`${t.itemId} is null`),
  ],
);

import { index, integer, jsonb, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { spaces } from "./spaces.ts";
import { users } from "./users.ts";

/**
 * A person brought in by an importer. The `users` row it points at is a profile that cannot sign
 * in (no password, an `@import.invalid` address, no SSO link) until an admin claims it for a real
 * account: the profile's content then moves to that account and `user_id` follows it, so a later
 * re-run of the import keeps crediting the claimed account.
 */
export const importedProfiles = pgTable(
  "imported_profiles",
  {
    /** The source's stable key for the person: "beer.stackexchange.com/users/123". */
    importKey: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The site it came from ("beer.stackexchange.com"). */
    source: text().notNull(),
    /** The person's profile page at the source. */
    sourceUrl: text().notNull(),
    /** Their name at the source when last imported. */
    displayName: text().notNull(),
    /** Reputation at the source when last imported (the ledger holds it as "imported" events). */
    sourceReputation: integer().notNull().default(0),
    claimedAt: timestamp({ withTimezone: true }),
    claimedById: integer().references(() => users.id, { onDelete: "set null" }),
    importedAt: createdAt(),
  },
  (t) => [index("imported_profiles_user_idx").on(t.userId)],
);

export const importRunStatusEnum = pgEnum("import_run_status", ["running", "done", "failed"]);

/**
 * One run of an importer: what it read, what it wrote and what it skipped, and how far it got, so
 * an interrupted run can resume and an admin can see what happened.
 */
export const importRuns = pgTable(
  "import_runs",
  {
    id: id(),
    /** The importer ("stackexchange"). */
    kind: text().notNull(),
    /** The site or archive imported ("beer.stackexchange.com"). */
    source: text().notNull(),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    startedById: integer().references(() => users.id, { onDelete: "set null" }),
    status: importRunStatusEnum().notNull().default("running"),
    /** Per file: rows read, written, skipped; free-form for the importer. */
    counts: jsonb().notNull().default({}),
    /** Per file: the last line fully written, so a resumed run can skip what is done. */
    checkpoint: jsonb().notNull().default({}),
    /** Skipped rows: file, line and why (the first few hundred). */
    problems: jsonb().notNull().default([]),
    error: text(),
    startedAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("import_runs_source_idx").on(t.kind, t.source, t.startedAt)],
);

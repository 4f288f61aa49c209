import { sql } from "drizzle-orm";
import { type AnyPgColumn, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";

export const roleEnum = pgEnum("user_role", ["member", "moderator", "hr", "admin"]);
export const userKindEnum = pgEnum("user_kind", ["employee", "customer"]);

export const users = pgTable(
  "users",
  {
    id: id(),
    /** Stored lower-cased; unique. */
    email: text().notNull(),
    /** argon2id hash; null for accounts that only sign in through SSO. */
    passwordHash: text(),
    name: text().notNull(),
    title: text().notNull().default(""),
    department: text().notNull().default(""),
    location: text().notNull().default(""),
    managerId: integer().references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    bio: text().notNull().default(""),
    role: roleEnum().notNull().default("member"),
    kind: userKindEnum().notNull().default("employee"),
    deactivatedAt: timestamp({ withTimezone: true }),
    /** The sum of this person's reputation_events, kept exact in each writing transaction. */
    reputation: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_manager_idx").on(t.managerId),
    // Admin search over people; trigram would be nicer but needs an extension.
    index("users_name_lower_idx").on(sql`lower(${t.name})`),
  ],
);

/**
 * Sessions as the Lucia guide describes: the cookie holds a random token, the row holds only its
 * SHA-256. `expiresAt` slides with use; `absoluteExpiresAt` never moves.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    userAgent: text().notNull().default(""),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Accounts linked through OpenID Connect: issuer + subject, never the email alone. */
export const oidcAccounts = pgTable(
  "oidc_accounts",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text().notNull(),
    subject: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("oidc_accounts_issuer_subject_key").on(t.issuer, t.subject), index("oidc_accounts_user_idx").on(t.userId)],
);

/** Failed sign-in attempts, counted per account and per client for rate limiting. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: id(),
    /** "account:<email>" or "client:<ip>". */
    key: text().notNull(),
    attemptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_attempts_key_time_idx").on(t.key, t.attemptedAt)],
);

import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
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
    /**
     * When the address was proven. A password sign-up starts null (a pending account that can do
     * nothing) until the mailed link is opened; accounts made by SSO, admins, the seed and the
     * generator are proven when they are made, hence the default.
     */
    emailVerifiedAt: timestamp({ withTimezone: true }).defaultNow(),
    /** The sum of this person's reputation_events, kept exact in each writing transaction. */
    reputation: integer().notNull().default(0),
    /** Badges held, by tier (issue 17): kept by every grant and revocation, for user cards without a join. */
    goldBadges: integer().notNull().default(0),
    silverBadges: integer().notNull().default(0),
    bronzeBadges: integer().notNull().default(0),
    /** Routing (issue 18): this person takes no routed questions; or not until this time ("away"). */
    routingOptOut: boolean().notNull().default(false),
    awayUntil: timestamp({ withTimezone: true }),
    /** Left out of the people analytics' role lists (never out of the aggregates). */
    rolesOptOut: boolean().notNull().default(false),
    /**
     * Issue 23: when an admin anonymised this departed person. Their content stays, shown as
     * "former employee"; name, address, profile fields and sessions are gone.
     */
    anonymizedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_manager_idx").on(t.managerId),
    // Admin search over people; trigram would be nicer but needs an extension.
    index("users_name_lower_idx").on(sql`lower(${t.name})`),
    // The give form's receivers field finds people by address and by handle (the address's local
    // part), and asks whether a handle is shared (kudos.server.ts resolveReceivers).
    index("users_email_lower_idx").on(sql`lower(${t.email})`),
    index("users_handle_lower_idx").on(sql`split_part(lower(${t.email}), '@', 1)`),
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
    /** When this session last signed in through SSO: a password can be set only shortly after. */
    ssoAuthenticatedAt: timestamp({ withTimezone: true }),
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

export const authTokenPurposeEnum = pgEnum("auth_token_purpose", ["verify_email", "reset_password"]);

/**
 * Single-use links sent by mail (address proof, password reset). Only the SHA-256 of the token is
 * kept; the link carries the token itself.
 */
export const authTokens = pgTable(
  "auth_tokens",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: authTokenPurposeEnum().notNull(),
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("auth_tokens_hash_key").on(t.tokenHash), index("auth_tokens_user_idx").on(t.userId, t.purpose)],
);

/**
 * Attempts counted for rate limits, per key: failed sign-ins ("account:<email>", "client:<ip>"),
 * and the other limited actions under their own prefixes (sign-up, reset, resend, password check).
 */
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

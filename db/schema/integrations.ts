import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { posts } from "./qa.ts";
import { outboxStatusEnum } from "./search.ts";
import { spaceRoleEnum, spaces } from "./spaces.ts";
import { roleEnum, users } from "./users.ts";

/**
 * Issue 21: where people already work. Mail preferences and digests, chat connections, outgoing
 * webhooks, personal access tokens for the REST API and the MCP server, and SCIM provisioning
 * (docs/decisions/015-integrations.md).
 */

// ---------------------------------------------------------------------------------------------
// Mail notifications and digests

/** How a person wants one category of notification by mail. */
export const mailCadenceEnum = pgEnum("mail_cadence", ["immediately", "daily", "weekly", "never"]);

/**
 * A person's choice per category (app/features/mail-prefs/categories.ts names the categories and
 * their defaults). No row means the category's default.
 */
export const mailPreferences = pgTable(
  "mail_preferences",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    category: text().notNull(),
    cadence: mailCadenceEnum().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.category] })],
);

/**
 * One digest per person, cadence and period: the row is written in the transaction that writes
 * the digest's mail to the outbox, so a digest is never sent twice for one period, whatever
 * restarts in between.
 */
export const digestRuns = pgTable(
  "digest_runs",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    cadence: text().notNull(),
    /** The first day of the period (a day, or the Monday of a week), in UTC. */
    periodStart: date().notNull(),
    /** How many entries the digest held (0: nothing to say, so no mail was written). */
    entries: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("digest_runs_user_period_key").on(t.userId, t.cadence, t.periodStart), check("digest_runs_cadence_check", sql`${t.cadence} in ('daily', 'weekly')`)],
);

/** Secrets the app makes for itself once (the unsubscribe links' HMAC key), shared by every instance. */
export const appSecrets = pgTable("app_secrets", {
  name: text().primaryKey(),
  value: text().notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------------------------------------
// Chat and outgoing webhooks

export const chatPlatformEnum = pgEnum("chat_platform", ["slack", "teams"]);

/** A Slack or Microsoft Teams incoming webhook an admin connected to a space. */
export const chatConnections = pgTable(
  "chat_connections",
  {
    id: id(),
    spaceId: integer()
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    platform: chatPlatformEnum().notNull(),
    /** The incoming webhook's address: a secret, shown to admins only in part. */
    url: text().notNull(),
    label: text().notNull().default(""),
    /** Which events it posts (app/features/webhooks/events.ts). */
    events: text().array().notNull(),
    /** Post questions still unanswered after this many hours (null: never). */
    unansweredHours: integer(),
    enabled: boolean().notNull().default(true),
    disabledAt: timestamp({ withTimezone: true }),
    disabledReason: text(),
    consecutiveFailures: integer().notNull().default(0),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("chat_connections_space_idx").on(t.spaceId)],
);

/** A question already announced to a connection as unanswered: announced once. */
export const chatUnansweredNotices = pgTable(
  "chat_unanswered_notices",
  {
    connectionId: integer()
      .notNull()
      .references(() => chatConnections.id, { onDelete: "cascade" }),
    questionId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.questionId] })],
);

/** An endpoint an admin registered for outgoing webhooks (Standard Webhooks). */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: id(),
  url: text().notNull(),
  description: text().notNull().default(""),
  /** Null: every open space (a restricted space's events go only to endpoints registered for it). */
  spaceId: integer().references(() => spaces.id, { onDelete: "cascade" }),
  events: text().array().notNull(),
  /** `whsec_` + base64 of 32 random bytes: the HMAC key, shown to admins. */
  secret: text().notNull(),
  enabled: boolean().notNull().default(true),
  disabledAt: timestamp({ withTimezone: true }),
  disabledReason: text(),
  consecutiveFailures: integer().notNull().default(0),
  createdBy: integer().references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * The delivery outbox for webhooks and chat: written in the transaction of the event, sent
 * afterwards with retries and exponential backoff, ending in a dead letter.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: integer().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    chatConnectionId: integer().references(() => chatConnections.id, { onDelete: "cascade" }),
    /** The `webhook-id` header (`msg_...`): the same on every retry, so receivers can de-duplicate. */
    messageId: text().notNull(),
    eventType: text().notNull(),
    /** The body as sent (for chat: the Slack blocks or the Teams card). */
    payload: jsonb().notNull(),
    /** A "send test event" delivery. */
    test: boolean().notNull().default(false),
    status: outboxStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    availableAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastStatus: integer(),
    lastError: text(),
    createdAt: createdAt(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_message_key").on(t.messageId, t.endpointId, t.chatConnectionId),
    index("webhook_deliveries_pending_idx")
      .on(t.availableAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_dead_idx")
      .on(t.id)
      .where(sql`${t.status} = 'dead'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_chat_idx").on(t.chatConnectionId, t.id),
    check("webhook_deliveries_target_check", sql`(${t.endpointId} is null) <> (${t.chatConnectionId} is null)`),
  ],
);

/** Each attempt of a delivery: the log admins read. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: id(),
    deliveryId: integer()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: createdAt(),
    statusCode: integer(),
    durationMs: integer().notNull(),
    error: text(),
    /** The first 500 characters of the response body. */
    responseExcerpt: text().notNull().default(""),
  },
  (t) => [
    index("webhook_attempts_delivery_idx").on(t.deliveryId, t.id),
    // The metrics' "failed attempts in the last hour" reads by time.
    index("webhook_attempts_time_idx").on(t.attemptedAt),
  ],
);

/** Hosts and address ranges an admin allows outgoing requests to, though private (SSRF guard). */
export const outboundAllowlist = pgTable(
  "outbound_allowlist",
  {
    id: id(),
    /** A host name (`hooks.internal`), an address, or a CIDR range (`10.20.0.0/16`). */
    pattern: text().notNull(),
    note: text().notNull().default(""),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("outbound_allowlist_pattern_key").on(t.pattern)],
);

// ---------------------------------------------------------------------------------------------
// Personal access tokens (REST API and MCP)

export const apiTokenScopeEnum = pgEnum("api_token_scope", ["read", "write"]);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
    tokenHash: text().notNull(),
    /** The token's first characters (`cmn_ab12`), to tell tokens apart in lists. */
    prefix: text().notNull(),
    scope: apiTokenScopeEnum().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

/** rate-limiter-flexible's PostgreSQL store (its own layout): shared by every instance. */
export const apiRateLimits = pgTable("api_rate_limits", {
  key: varchar({ length: 255 }).primaryKey(),
  points: integer().notNull().default(0),
  expire: bigint({ mode: "number" }),
});

// ---------------------------------------------------------------------------------------------
// SCIM 2.0 provisioning

/** Bearer tokens an admin makes for an identity provider's SCIM client. Stored hashed. */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: id(),
    name: text().notNull(),
    tokenHash: text().notNull(),
    prefix: text().notNull(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("scim_tokens_hash_key").on(t.tokenHash)],
);

/** A SCIM user's identity-provider side: the externalId and userName it sent. */
export const scimUsers = pgTable(
  "scim_users",
  {
    userId: integer()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    externalId: text(),
    userName: text().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("scim_users_external_key").on(t.externalId)],
);

export const scimGroups = pgTable(
  "scim_groups",
  {
    id: id(),
    displayName: text().notNull(),
    externalId: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("scim_groups_display_name_key").on(sql`lower(${t.displayName})`)],
);

export const scimGroupMembers = pgTable(
  "scim_group_members",
  {
    groupId: integer()
      .notNull()
      .references(() => scimGroups.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("scim_group_members_user_idx").on(t.userId)],
);

/**
 * An admin's rule: members of a group (by its display name, so a rule can exist before the
 * identity provider pushes the group) join a space with a role, or get a site role.
 */
export const scimGroupRules = pgTable(
  "scim_group_rules",
  {
    id: id(),
    groupName: text().notNull(),
    spaceId: integer().references(() => spaces.id, { onDelete: "cascade" }),
    spaceRole: spaceRoleEnum(),
    siteRole: roleEnum(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("scim_group_rules_group_idx").on(sql`lower(${t.groupName})`),
    check(
      "scim_group_rules_target_check",
      sql`(${t.spaceId} is not null and ${t.spaceRole} is not null and ${t.siteRole} is null) or (${t.spaceId} is null and ${t.spaceRole} is null and ${t.siteRole} is not null)`,
    ),
  ],
);

/** Which rule gave which person a space membership or a site role, so leaving the group takes back only what a rule gave. */
export const scimRuleGrants = pgTable(
  "scim_rule_grants",
  {
    ruleId: integer()
      .notNull()
      .references(() => scimGroupRules.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.userId] }), index("scim_rule_grants_user_idx").on(t.userId)],
);

import { z } from "zod";
import { ConfigError } from "#app/lib/env.server.ts";

/**
 * The forum's own configuration, parsed once at its start. It names only what the forum may know:
 * its database URL as the `commons_forum` role, the Meilisearch address (the search key comes from
 * `forum_runtime`), where it listens and its public address. It never reads DATABASE_URL or
 * MEILI_MASTER_KEY: `npm start` hands the forum a scrubbed environment without them, and a forum
 * run apart (`npm run start:forum`, the docker service) is given its own URL.
 */

const port = z.coerce
  .number({ error: "must be a port number (1-65535)" })
  .int({ error: "must be a port number (1-65535)" })
  .min(1, { error: "must be a port number (1-65535)" })
  .max(65535, { error: "must be a port number (1-65535)" });
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const url = (protocols: string[]) =>
  z.url({ error: `must be a URL starting with ${protocols.join(" or ")}` }).refine((v) => protocols.some((p) => v.startsWith(p)), {
    error: `must be a URL starting with ${protocols.join(" or ")}`,
  });

const forumEnvShape = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  FORUM_DATABASE_URL: z.preprocess(emptyToUndefined, url(["postgres://", "postgresql://"]).optional()).refine((v) => v !== undefined, {
    error: "is required: the forum's database URL as the commons_forum role (postgres://commons_forum:<FORUM_DB_PASSWORD>@host:5432/commons)",
  }),
  // The Unix socket of the PostgreSQL that FORUM_DATABASE_URL names, when it runs on this machine.
  FORUM_DATABASE_SOCKET: z.preprocess(emptyToUndefined, z.string().regex(/^\//, { error: "must be an absolute path, like /var/run/postgresql/.s.PGSQL.5432" }).optional()),
  // Unset: the search page says search is unavailable; every other page works.
  MEILI_URL: z.preprocess(emptyToUndefined, url(["http://", "https://"]).optional()),
  HOST: z.string().min(1).default("127.0.0.1"),
  FORUM_PORT: z.preprocess(emptyToUndefined, port.default(3001)),
  FORUM_URL: z.preprocess(emptyToUndefined, url(["http://", "https://"]).optional()),
  COMPANY_NAME: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(80, { error: "must be at most 80 characters" }).default("Northwind")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Questions a customer may ask an hour (twice that from one address): the forum's spam limit.
  FORUM_QUESTIONS_PER_HOUR: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be a whole number from 1 to 10000" }).int().min(1).max(10000).default(5)),
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
};

/**
 * Every setting the forum reads, and nothing else: forum.ts takes only these from .env and the
 * environment, so a setting added to the schema above reaches the forum without a second list.
 */
export const FORUM_SETTINGS: readonly string[] = Object.keys(forumEnvShape);

export const ForumEnvSchema = z.object(forumEnvShape).transform((env) => ({
  ...env,
  FORUM_DATABASE_URL: env.FORUM_DATABASE_URL!,
  // Without a trailing slash: every canonical link is this plus a path.
  FORUM_URL: (env.FORUM_URL ?? `http://localhost:${env.FORUM_PORT}`).replace(/\/+$/, ""),
}));

export type ForumEnv = z.infer<typeof ForumEnvSchema>;

/** Parses the forum's environment; the first problem becomes one line naming the variable. */
export function parseForumEnv(source: Record<string, string | undefined>): ForumEnv {
  const result = ForumEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const message = issue.code === "invalid_value" ? `must be one of ${issue.values.map(String).join(", ")}` : issue.message;
  throw new ConfigError(`Configuration error: ${name} ${message} (see .env.example)`);
}

import { z } from "zod";

/**
 * Configuration is read once, at boot, from the process environment. A bad value stops the start
 * with one line that names the variable (see `ConfigError`). `.env.example` documents each one.
 */

const port = z.coerce
  .number({ error: "must be a port number (1-65535)" })
  .int({ error: "must be a port number (1-65535)" })
  .min(1, { error: "must be a port number (1-65535)" })
  .max(65535, { error: "must be a port number (1-65535)" });
const positiveInt = z.coerce.number({ error: "must be a whole number above 0" }).int({ error: "must be a whole number above 0" }).positive({ error: "must be a whole number above 0" });
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalUrl = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .url({ error: `must be a URL starting with ${protocols.join(" or ")}` })
      .refine((v) => protocols.some((p) => v.startsWith(p)), {
        error: `must be a URL starting with ${protocols.join(" or ")}`,
      })
      .optional(),
  );

/** `name@domain` or `Display Name <name@domain>`; the relay checks the rest. */
const MAIL_FROM_PATTERN = /^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: port.default(3000),
    // Loopback by default: the demo accounts have a published password. Set 0.0.0.0 to serve a network.
    HOST: z.string().min(1).default("127.0.0.1"),
    APP_URL: optionalUrl(["http://", "https://"]),
    DATA_DIR: z.string().min(1).default(".data"),
    DATABASE_URL: optionalUrl(["postgres://", "postgresql://"]),
    // The Unix socket of the PostgreSQL that DATABASE_URL names, when it runs on this machine.
    DATABASE_SOCKET: z.preprocess(emptyToUndefined, z.string().regex(/^\//, { error: "must be an absolute path, like /var/run/postgresql/.s.PGSQL.5432" }).optional()),
    MEILI_URL: optionalUrl(["http://", "https://"]),
    MEILI_MASTER_KEY: z.preprocess(emptyToUndefined, z.string().min(16, { error: "must be at least 16 characters" }).optional()),
    // Issue 22: what the embedded Meilisearch may use to index (search/embedded.ts reads them and
    // picks defaults from the machine); checked here so a typo stops the start with its name.
    MEILI_MAX_INDEXING_MEMORY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\s*\d+(\.\d+)?\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\s*$/i, { error: 'must be a size, like "1 GiB" or "512 MiB"' })
        .optional(),
    ),
    MEILI_MAX_INDEXING_THREADS: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be a whole number from 1 to 1024" }).int().min(1).max(1024).optional()),
    // Issue 21: the bearer token Prometheus scrapes /metrics with. Unset: /metrics answers 404.
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, { error: "must be at least 16 characters" }).optional()),
    DEMO_SEED: z.enum(["auto", "never"]).default("auto"),
    // With HOST beyond loopback, demo accounts that still have the published password stop the start unless "accept".
    DEMO_ON_NETWORK: z.enum(["refuse", "accept"]).default("refuse"),
    // Unset: an embedded MailDev catches every mail (see its inbox URL in the banner).
    SMTP_URL: optionalUrl(["smtp://", "smtps://"]),
    MAIL_FROM: z
      .preprocess(emptyToUndefined, z.string().default("Commons <commons@localhost>"))
      .refine((v) => MAIL_FROM_PATTERN.test(v.trim()), { error: 'must be an address, like commons@example.com or "Commons <commons@example.com>"' }),
    ALLOWED_EMAIL_DOMAINS: z
      .string()
      .default("northwind.example")
      .transform((v) =>
        v
          .split(",")
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^\*$/, { error: "must be a comma-separated list of domains (or *)" })).min(1, { error: "must name at least one domain (or *)" }),
      ),
    SESSION_IDLE_DAYS: positiveInt.default(14),
    SESSION_MAX_DAYS: positiveInt.default(60),
    SIGNIN_LIMIT_PER_ACCOUNT: positiveInt.default(5),
    SIGNIN_LIMIT_PER_CLIENT: positiveInt.default(30),
    SIGNIN_LIMIT_WINDOW_MINUTES: positiveInt.default(15),
    TRUST_PROXY: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
    OIDC_ISSUER: optionalUrl(["http://", "https://"]),
    OIDC_CLIENT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
    OIDC_CLIENT_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
    OIDC_LABEL: z.string().min(1).default("Company SSO"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // Uploads (app/features/uploads): the largest file accepted, the most pixels an image may decode
    // to (a small file can unpack to gigabytes), and how many files one person may upload an hour.
    UPLOAD_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
    UPLOAD_MAX_PIXELS: positiveInt.default(50_000_000),
    UPLOADS_PER_HOUR: positiveInt.default(100),
    // The public forum (issue 19, decision 013). The company's name as customers see it.
    COMPANY_NAME: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(80, { error: "must be at most 80 characters" }).default("Northwind")),
    // The port `npm start` also serves the forum on. Unset: 3001 with the embedded servers, no forum
    // otherwise (docker-compose.yml runs it as a service of its own, `npm run start:forum`).
    FORUM_PORT: z.preprocess(emptyToUndefined, port.optional()),
    // The forum's public address, for its canonical links, feeds, sitemap and mail, and for the
    // internal "published as" links. Unset: http://localhost:<forum port>.
    FORUM_URL: optionalUrl(["http://", "https://"]),
    // The password the app gives the forum's database role at each start. Unset: a fresh random one
    // each start, handed to the forum that `npm start` runs (a forum run apart needs it set).
    FORUM_DB_PASSWORD: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,200}$/, { error: "must be 16 or more letters, digits, _ or -" })
        .optional(),
    ),
    // Issue 20: questions a customer may ask on the forum an hour (twice that from one address);
    // handed to the forum `npm start` runs.
    FORUM_QUESTIONS_PER_HOUR: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be a whole number from 1 to 10000" }).int().min(1).max(10000).default(5)),
    // Issue 21: requests one personal access token may make a minute, to the REST API and to MCP
    // (each its own budget), counted in PostgreSQL so every instance shares it.
    API_REQUESTS_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be a whole number from 1 to 1000000" }).int().min(1).max(1_000_000).default(600)),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.MEILI_URL) !== Boolean(env.MEILI_MASTER_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [env.MEILI_URL ? "MEILI_MASTER_KEY" : "MEILI_URL"],
        message: "must be set together with " + (env.MEILI_URL ? "MEILI_URL" : "MEILI_MASTER_KEY"),
      });
    }
    if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) {
      ctx.addIssue({ code: "custom", path: ["OIDC_CLIENT_ID"], message: "is required when OIDC_ISSUER is set" });
    }
    if (env.SESSION_MAX_DAYS < env.SESSION_IDLE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["SESSION_MAX_DAYS"], message: "must be at least SESSION_IDLE_DAYS" });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses an environment; the first problem becomes one line naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const message = issue.code === "invalid_value" || issue.code === "invalid_type" ? describe(issue) : issue.message;
  throw new ConfigError(`Configuration error: ${name} ${message} (see .env.example)`);
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map(String).join(", ")}`;
  return issue.message;
}

let cached: Env | undefined;

/** The environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Only these values ever reach the browser. */
export function publicEnv() {
  const e = env();
  return { ssoLabel: e.OIDC_ISSUER ? e.OIDC_LABEL : null };
}

import { existsSync } from "node:fs";
import { ConfigError } from "./app/lib/env.server.ts";
import { PlatformNotSupportedError as PgPlatform } from "./db/embedded.ts";
import { PlatformNotSupportedError as MeiliPlatform } from "./search/embedded.ts";
import { startCommons } from "./server/main.ts";
import { stopOnSignals } from "./server/signals.ts";
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, DEMO_SIGN_INS } from "./db/seed-info.ts";

// `npm start` (production build) and `npm run dev` (Vite in middleware mode) both come here.
// A .env file beside package.json is read when present; variables already set win over it.
if (existsSync(".env")) process.loadEnvFile(".env");
const mode = process.env.NODE_ENV === "development" ? "development" : "production";

try {
  const commons = await startCommons({ mode });
  // Installed before the banner, which is what tells a person (or a test) that Ctrl-C now stops cleanly.
  stopOnSignals(async (signal) => {
    // Names what this start runs itself: with SMTP_URL set there is no MailDev to stop.
    const embedded = [commons.embedded.maildev && "MailDev", commons.embedded.meili && "Meilisearch", commons.embedded.postgres && "PostgreSQL"].filter(Boolean);
    process.stdout.write(`\n  ${signal}: stopping ${["Commons", ...embedded].join(", ").replace(/, ([^,]*)$/, " and $1")}...\n`);
    await commons.stop();
  });

  const lines = ["", `  Commons is running at ${commons.url}`, ""];
  // Only where the demo company is: a generated or imported one has people of its own.
  if (commons.demo) {
    lines.push(`  Demo sign-in (password "${DEMO_PASSWORD}"):`);
    for (const who of DEMO_SIGN_INS) lines.push(`    ${who.email.padEnd(34)} ${who.what}`);
    lines.push("");
  }
  // Without SMTP_URL every mail lands here, sign-up and password-reset links included.
  if (commons.mailInboxUrl) lines.push(`  Mail inbox (MailDev): ${commons.mailInboxUrl}`, "");
  // Issue 19, forum server: the customers' forum, when this start runs it beside the app.
  if (commons.forumUrl) {
    lines.push(`  Public forum: ${commons.forumUrl}`);
    // Issue 20: the demo's customer, to ask on the forum (same password).
    if (commons.demo) lines.push(`    ${DEMO_CUSTOMER_EMAIL.padEnd(34)} customer on the forum`);
    lines.push("");
  }
  lines.push("  Press Ctrl-C to stop.", "");
  process.stdout.write(lines.join("\n") + "\n");
} catch (error) {
  if (error instanceof ConfigError || error instanceof PgPlatform || error instanceof MeiliPlatform) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Commons could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

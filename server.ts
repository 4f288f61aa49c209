import { ConfigError } from "./app/lib/env.server.ts";
import { PlatformNotSupportedError as PgPlatform } from "./db/embedded.ts";
import { PlatformNotSupportedError as MeiliPlatform } from "./search/embedded.ts";
import { startCommons } from "./server/main.ts";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "./db/seed-info.ts";

// `npm start` (production build) and `npm run dev` (Vite in middleware mode) both come here.
const mode = process.env.NODE_ENV === "development" ? "development" : "production";

try {
  const commons = await startCommons({ mode });
  const lines = [
    "",
    `  Commons is running at ${commons.url}`,
    "",
  ];
  if (commons.embedded.postgres) {
    lines.push(`  Demo sign-in (password "${DEMO_PASSWORD}"):`);
    for (const who of DEMO_SIGN_INS) lines.push(`    ${who.email.padEnd(34)} ${who.what}`);
    lines.push("");
  }
  lines.push("  Press Ctrl-C to stop.", "");
  process.stdout.write(lines.join("\n") + "\n");

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n  ${signal}: stopping Commons, Meilisearch and PostgreSQL...\n`);
    commons.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
} catch (error) {
  if (error instanceof ConfigError || error instanceof PgPlatform || error instanceof MeiliPlatform) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Commons could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

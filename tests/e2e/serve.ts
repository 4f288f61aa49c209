import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startCommons } from "../../server/main.ts";
import { stopOnSignals } from "../../server/signals.ts";
import { startOidcProvider } from "./oidc-provider.ts";
import { e2eBackendFile } from "./backend.ts";
import { seedImportsForE2e } from "./seed-imports.ts";

/**
 * What Playwright starts before the end-to-end tests: a real OpenID provider and the built app
 * (production mode) with embedded PostgreSQL, Meilisearch and MailDev in a data directory of its
 * own. MailDev's inbox listens on E2E_MAILDEV_PORT, where the `mailbox` fixture reads the mail.
 */
const port = Number(process.env.PORT);
const oidcPort = Number(process.env.E2E_OIDC_PORT);
const maildevPort = Number(process.env.E2E_MAILDEV_PORT);
const appUrl = `http://localhost:${port}`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-e2e-"));
const oidc = await startOidcProvider({
  port: oidcPort,
  clientId: "commons-e2e",
  clientSecret: "commons-e2e-secret",
  redirectUri: `${appUrl}/auth/sso/callback`,
});
Object.assign(process.env, {
  DATA_DIR: dataDir,
  APP_URL: appUrl,
  OIDC_ISSUER: oidc.issuer,
  OIDC_CLIENT_ID: "commons-e2e",
  OIDC_CLIENT_SECRET: "commons-e2e-secret",
  OIDC_LABEL: "Northwind SSO",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
});
// A relay configured in the developer's shell must not receive the tests' mail.
delete process.env.SMTP_URL;

const commons = await startCommons({ mode: "production", maildev: { webPort: maildevPort } });
// An imported profile and its posts, as an importer would leave them (import-claim.spec.ts).
await seedImportsForE2e(process.env.DATABASE_URL!);
// Where the tests reach the same database and search (backend.ts): journeys that must move time,
// like a routing deadline passing, run the app's own job with a later clock against them.
const backendFile = e2eBackendFile(port);
await writeFile(backendFile, JSON.stringify({ databaseUrl: process.env.DATABASE_URL, meiliUrl: process.env.MEILI_URL, meiliKey: process.env.MEILI_MASTER_KEY }), { mode: 0o600 });
console.log(`e2e: Commons at ${commons.url}, OpenID provider at ${oidc.issuer}, mail inbox at ${commons.mailInboxUrl}`);

stopOnSignals(async () => {
  await commons.stop();
  await oidc.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(backendFile, { force: true });
});

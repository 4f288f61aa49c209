import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./scripts/chromium.mjs";

/**
 * Free ports for the app, the OpenID provider and the embedded MailDev's inbox, found once by the
 * runner and passed through the environment so that its workers (which load this file again, and
 * read the inbox in the `mailbox` fixture) agree. E2E_PORT pins them.
 */
function freePort(): string {
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ["-e", script]).toString();
}
process.env.E2E_PORT ??= freePort();
process.env.E2E_OIDC_PORT ??= freePort();
process.env.E2E_MAILDEV_PORT ??= freePort();
// The public forum that the app starts beside itself (issue 19).
process.env.E2E_FORUM_PORT ??= freePort();
const PORT = Number(process.env.E2E_PORT);
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT);
const MAILDEV_PORT = Number(process.env.E2E_MAILDEV_PORT);

// Chromium from the system (Debian's /usr/bin/chromium) unless CHROMIUM_PATH says otherwise, never
// a browser Playwright would download: `npm run test:e2e` runs scripts/chromium.mjs first, which
// installs Debian's package where it can or stops with one line saying what to install.
const executablePath = findChromium().path;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    // A failed journey keeps its trace (actions, DOM snapshots, network, console) and a screenshot
    // of where it stopped. The trace's filmstrip is left out: Chromium encodes a frame whenever the
    // page paints, in every journey, failed or not, and that was nearly a fifth of Chromium's CPU.
    trace: { mode: "retain-on-failure", screenshots: false },
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    command: "node_modules/.bin/tsx tests/e2e/serve.ts",
    url: `http://localhost:${PORT}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      PORT: String(PORT),
      E2E_OIDC_PORT: String(OIDC_PORT),
      E2E_MAILDEV_PORT: String(MAILDEV_PORT),
      FORUM_PORT: process.env.E2E_FORUM_PORT,
      NODE_ENV: "production",
      // Sign-in limits low enough to reach in a test, high enough for the rest of the suite.
      SIGNIN_LIMIT_PER_ACCOUNT: "5",
      SIGNIN_LIMIT_PER_CLIENT: "40",
    },
  },
});

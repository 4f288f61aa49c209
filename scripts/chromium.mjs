// The browser the end-to-end tests drive: the system's Chromium, never one Playwright downloads
// (there is no network for that on a company machine or in CI). `npm test` and `npm run test:e2e`
// run this first:
//
//   node scripts/chromium.mjs
//
// It finds Chromium (CHROMIUM_PATH, else the usual system paths). When there is none and it can
// install one itself (root, apt-get, no CHROMIUM_PATH pointing elsewhere) it installs Debian's
// package; otherwise it stops with one line saying what to install, before any test runs.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where distributions put Chromium; the first is Debian's, the one apt-get installs. */
export const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to use: CHROMIUM_PATH when set (even if missing: the caller asked for that one), else the first system one. */
export function findChromium(env = process.env, candidates = SYSTEM_CHROMIUMS) {
  if (env.CHROMIUM_PATH) return { path: env.CHROMIUM_PATH, found: executable(env.CHROMIUM_PATH), explicit: true };
  const found = candidates.find(executable);
  return { path: found ?? candidates[0], found: Boolean(found), explicit: false };
}

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/**
 * What to do about a missing Chromium: install it with apt-get when this process may (root, Debian
 * or Ubuntu, and nobody asked for a Chromium elsewhere), or name exactly what to install.
 */
export function plan(chromium, { isRoot, hasAptGet }) {
  if (chromium.found) return { action: "use" };
  if (!chromium.explicit && isRoot && hasAptGet) return { action: "install" };
  const where = chromium.explicit ? `No Chromium at CHROMIUM_PATH=${chromium.path}` : "No Chromium found (looked for /usr/bin/chromium)";
  return {
    action: "stop",
    message: `${where}: the end-to-end tests need one. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome, then run npm test again.`,
  };
}

function main() {
  const chromium = findChromium();
  const step = plan(chromium, { isRoot: process.getuid?.() === 0, hasAptGet: hasCommand("apt-get") });
  if (step.action === "stop") {
    console.error(step.message);
    process.exit(1);
  }
  if (step.action === "install") {
    console.log("No Chromium on this machine: installing Debian's chromium package (apt-get) for the end-to-end tests.");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    try {
      execFileSync("apt-get", ["update"], { stdio: "inherit", env });
      execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium", "fonts-dejavu-core"], { stdio: "inherit", env });
    } catch {
      console.error("Installing Chromium with apt-get failed (see above): install it (apt-get install chromium) or set CHROMIUM_PATH, then run npm test again.");
      process.exit(1);
    }
    if (!findChromium().found) {
      console.error("apt-get finished but there is still no /usr/bin/chromium: install Chromium or set CHROMIUM_PATH, then run npm test again.");
      process.exit(1);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

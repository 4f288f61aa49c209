import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { findChromium, plan } from "./chromium.mjs";

const run = promisify(execFile);

describe("the Chromium the end-to-end tests need", () => {
  it("uses CHROMIUM_PATH when it names a browser, and the system's otherwise", () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath })).toEqual({ path: process.execPath, found: true, explicit: true });
    expect(findChromium({}, ["/nonexistent/chromium", process.execPath])).toEqual({ path: process.execPath, found: true, explicit: false });
    expect(findChromium({}, ["/nonexistent/chromium"])).toEqual({ path: "/nonexistent/chromium", found: false, explicit: false });
  });

  it("installs Debian's package only where it can: as root, with apt-get, with no other Chromium asked for", () => {
    const missing = { path: "/usr/bin/chromium", found: false, explicit: false };
    expect(plan(missing, { isRoot: true, hasAptGet: true })).toEqual({ action: "install" });
    expect(plan({ ...missing, found: true }, { isRoot: false, hasAptGet: false })).toEqual({ action: "use" });
    for (const host of [
      { isRoot: false, hasAptGet: true },
      { isRoot: true, hasAptGet: false },
    ]) {
      const step = plan(missing, host);
      expect(step.action).toBe("stop");
      if (step.action === "stop") {
        expect(step.message).not.toContain("\n");
        expect(step.message).toContain("apt-get install chromium");
      }
    }
    const elsewhere = plan({ path: "/opt/chrome/chrome", found: false, explicit: true }, { isRoot: true, hasAptGet: true });
    expect(elsewhere).toMatchObject({ action: "stop" });
  });

  it("stops before any test with one line naming what to install", async () => {
    const failed = await run(process.execPath, ["scripts/chromium.mjs"], { env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" } }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe("");
    expect(failed?.stderr.trim().split("\n")).toEqual([expect.stringContaining("No Chromium at CHROMIUM_PATH=/nonexistent/chromium")]);
  });
});

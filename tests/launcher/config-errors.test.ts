import { readdirSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import { cleanUp, describeExit, launch, processesUsing, tempDataDir } from "./commons-process.ts";

/**
 * A bad setting stops `npm start` at once with one line that names the variable, before anything
 * is started: no PostgreSQL, no Meilisearch, nothing written to DATA_DIR. No build is needed, as
 * configuration is checked before the server build is loaded.
 */

afterAll(cleanUp, 30_000);

describe("a bad setting stops the start", () => {
  test.concurrent.each([
    [{ PORT: "abc" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ MEILI_URL: "http://127.0.0.1:7700" }, "MEILI_MASTER_KEY"],
    [{ ALLOWED_EMAIL_DOMAINS: ";;" }, "ALLOWED_EMAIL_DOMAINS"],
  ])(
    "%o: exit 1 with one line naming %s",
    async (env, variable) => {
      const dataDir = await tempDataDir();
      const commons = await launch({ dataDir, env });
      const exit = await Promise.race([
        commons.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after 20 s:\n${commons.stderr}${commons.stdout}`)), 20_000)),
      ]);

      expect(describeExit(exit)).toBe("code 1");
      const lines = commons.stderr.split("\n").filter((line) => line.trim() !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Configuration error: ${variable}\\b`));
      expect(commons.stdout).toBe("");
      // Nothing was started or created.
      expect(readdirSync(dataDir)).toEqual([]);
      expect(processesUsing(dataDir)).toEqual([]);
      expect(Date.now() - commons.started).toBeLessThan(15_000);
    },
    30_000,
  );
});

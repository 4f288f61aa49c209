import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { indexingArguments, indexingLimits, startEmbeddedMeili } from "./embedded.ts";

const GiB = 2 ** 30;

describe("indexingLimits", () => {
  test("by default, an eighth of the machine's memory between 256 MiB and 1 GiB, and all cores but one beyond two", () => {
    expect(indexingLimits({}, { memory: 16 * GiB, cores: 8 })).toEqual({ memory: "1024 MiB", threads: 7 });
    expect(indexingLimits({}, { memory: 4 * GiB, cores: 4 })).toEqual({ memory: "512 MiB", threads: 3 });
    expect(indexingLimits({}, { memory: 24 * GiB, cores: 2 })).toEqual({ memory: "1024 MiB", threads: 2 });
    expect(indexingLimits({}, { memory: 1 * GiB, cores: 1 })).toEqual({ memory: "256 MiB", threads: 1 });
  });

  test("MEILI_MAX_INDEXING_MEMORY and MEILI_MAX_INDEXING_THREADS override the defaults", () => {
    const limits = indexingLimits({ MEILI_MAX_INDEXING_MEMORY: "3 GiB", MEILI_MAX_INDEXING_THREADS: "2" }, { memory: 16 * GiB, cores: 8 });
    expect(limits).toEqual({ memory: "3 GiB", threads: 2 });
    expect(indexingArguments(limits)).toEqual(["--max-indexing-memory", "3 GiB", "--max-indexing-threads", "2"]);
    // Empty is unset, as in .env files.
    expect(indexingLimits({ MEILI_MAX_INDEXING_MEMORY: "", MEILI_MAX_INDEXING_THREADS: " " }, { memory: 8 * GiB, cores: 2 })).toEqual({ memory: "1024 MiB", threads: 2 });
  });

  test("a setting Meilisearch could not read stops the start with its name", () => {
    expect(() => indexingLimits({ MEILI_MAX_INDEXING_MEMORY: "lots" })).toThrow(/MEILI_MAX_INDEXING_MEMORY must be a size/);
    expect(() => indexingLimits({ MEILI_MAX_INDEXING_THREADS: "0" })).toThrow(/MEILI_MAX_INDEXING_THREADS/);
  });
});

describe("the embedded server", () => {
  const saved = { memory: process.env.MEILI_MAX_INDEXING_MEMORY, threads: process.env.MEILI_MAX_INDEXING_THREADS };
  afterEach(() => {
    for (const [name, value] of [
      ["MEILI_MAX_INDEXING_MEMORY", saved.memory],
      ["MEILI_MAX_INDEXING_THREADS", saved.threads],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test("starts with the indexing limits from the settings, and serves", async () => {
    process.env.MEILI_MAX_INDEXING_MEMORY = "300 MiB";
    process.env.MEILI_MAX_INDEXING_THREADS = "1";
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-meili-limits-"));
    try {
      const meili = await startEmbeddedMeili({ dataDir });
      try {
        const args = readFileSync(`/proc/${meili.pid}/cmdline`, "utf8").split("\0");
        expect(args[args.indexOf("--max-indexing-memory") + 1]).toBe("300 MiB");
        expect(args[args.indexOf("--max-indexing-threads") + 1]).toBe("1");
        const health = await fetch(`${meili.url}/health`);
        expect(health.ok).toBe(true);
      } finally {
        await meili.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

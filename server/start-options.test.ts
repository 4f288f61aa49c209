import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { projectRoot } from "../db/project-root.ts";
import { startNodeOptions } from "./processes.ts";

describe("the node options of npm start", () => {
  test("come from package.json's start script, with the heap limit's default or the environment's value", () => {
    const start = (JSON.parse(readFileSync(path.join(projectRoot(), "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start!;
    const fallback = /COMMONS_MAX_HEAP_MB:-(\d+)/.exec(start)![1];
    expect(startNodeOptions({})).toEqual([`--max-old-space-size=${fallback}`]);
    expect(startNodeOptions({ COMMONS_MAX_HEAP_MB: "512" })).toEqual(["--max-old-space-size=512"]);
    // Set but empty counts as unset, as in the shell's ${NAME:-default}.
    expect(startNodeOptions({ COMMONS_MAX_HEAP_MB: "" })).toEqual([`--max-old-space-size=${fallback}`]);
  });
});

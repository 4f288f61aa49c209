import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { projectRoot } from "./project-root.ts";
import { startedDirectly } from "./script.ts";

describe("paths that hold in the sources and in the bundled server", () => {
  test("the project root is the folder of Commons' package.json, from a source module and from the bundle's place", () => {
    const root = projectRoot();
    expect(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).name).toBe("commons");
    expect(projectRoot(pathToFileURL(path.join(root, "build/start/server.js")).href)).toBe(root);
    expect(projectRoot(pathToFileURL(path.join(root, "db/migrate.ts")).href)).toBe(root);
  });

  test("a module is started directly only when it is the script node was given", () => {
    const script = process.argv[1]!;
    expect(startedDirectly(pathToFileURL(path.resolve(script)).href)).toBe(true);
    expect(startedDirectly(pathToFileURL(path.join(projectRoot(), "db/migrate.ts")).href)).toBe(false);
  });
});

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory holding Commons' package.json, found from this module's own location: the same
 * answer from the sources (run through tsx) and from the bundled server (build/start/server.js),
 * whose modules all share the bundle's location.
 */
export function projectRoot(from: string = import.meta.url): string {
  for (let dir = path.dirname(fileURLToPath(from)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
  }
}

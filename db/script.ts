import path from "node:path";
import { fileURLToPath } from "node:url";

/** Set (to true) by scripts/build-server.mjs in the bundled server; undefined when run from the sources. */
declare const __COMMONS_BUNDLE__: boolean | undefined;

/**
 * Whether the module at `moduleUrl` is the script Node was started with (`tsx db/migrate.ts`), so
 * it runs its command-line entry. Never inside the bundled server, where every module shares the
 * bundle's URL and so would all look started directly.
 */
export function startedDirectly(moduleUrl: string): boolean {
  if (typeof __COMMONS_BUNDLE__ !== "undefined") return false;
  return Boolean(process.argv[1]) && fileURLToPath(moduleUrl) === path.resolve(process.argv[1]!);
}

import { readFileSync } from "node:fs";
import path from "node:path";
import routes from "../../app/routes.ts";

/**
 * The routes of app/routes.ts as the authorization matrix sees them: each leaf route (a page, a
 * resource route, an action-only route; not the layouts, which run under their pages) with its
 * full path and the methods its module answers: GET where it exports a `loader`, POST where it
 * exports an `action`. Read from the module's source, so nothing of the app is imported or built.
 */

type Config = { path?: string; file: string; index?: boolean; children?: Config[] };

export type RouteMethod = "GET" | "POST";
export type LeafRoute = { file: string; path: string; methods: RouteMethod[] };

const exports = (source: string, name: string) => new RegExp(`export\\s+(async\\s+)?(function|const)\\s+${name}\\b`).test(source);

export function leafRoutes(): LeafRoute[] {
  const found: LeafRoute[] = [];
  const walk = (config: Config[], prefix: string) => {
    for (const r of config) {
      const full = r.path ? `${prefix}/${r.path}` : prefix;
      if (r.children?.length) walk(r.children, full);
      else {
        const source = readFileSync(path.join("app", r.file), "utf8");
        const methods: RouteMethod[] = [];
        if (exports(source, "loader")) methods.push("GET");
        if (exports(source, "action")) methods.push("POST");
        found.push({ file: r.file, path: full || "/", methods });
      }
    }
  };
  walk(routes as unknown as Config[], "");
  return found;
}

/** `pattern` ("/questions/:questionId/:slug?") with its params filled from `params`; an optional param without a value is dropped. */
export function fillPath(pattern: string, params: Record<string, string>): string {
  return pattern
    .split("/")
    .flatMap((segment) => {
      const m = /^:([A-Za-z]+)(\?)?$/.exec(segment);
      if (!m) return [segment];
      const value = params[m[1]!];
      if (value === undefined) {
        if (m[2]) return [];
        throw new Error(`No value for :${m[1]} in ${pattern}; give the entry a kind whose items have it, or a path`);
      }
      return [encodeURIComponent(value)];
    })
    .join("/");
}

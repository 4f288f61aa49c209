import { readFileSync } from "node:fs";
import path from "node:path";
import routes from "../../app/routes.ts";

/**
 * The form actions of app/routes.ts, walked as bench/pages.ts walks the pages: every route whose
 * module exports an `action`, with its URL pattern and what its source says it reads. A new route
 * with an action is fuzzed without anyone adding it here.
 */

type Config = { path?: string; file: string; index?: boolean; children?: Config[] };

export interface ActionRoute {
  /** The route file, as app/routes.ts names it ("routes/questions/ask.tsx"). */
  file: string;
  /** The URL pattern ("questions/:questionId/:slug?"); "" for an index route. */
  pattern: string;
  /** Field names the module reads (`form.get("title")`, `getAll("tags")`, ...). */
  sourceFields: string[];
  /** Intent values the module compares with (`intent === "close"`, `case "close":`). */
  sourceIntents: string[];
  /** Whether the module renders a page, whose forms name more fields. */
  hasPage: boolean;
}

function flatten(config: Config[], prefix: string): Array<{ file: string; pattern: string; leaf: boolean }> {
  return config.flatMap((r) => {
    const pattern = [prefix, r.path ?? ""].filter(Boolean).join("/");
    return [{ file: r.file, pattern, leaf: !r.children?.length }, ...flatten(r.children ?? [], pattern)];
  });
}

const EXPORTS_ACTION = /export\s+(?:async\s+)?(?:function|const)\s+action\b|export\s*\{[^}]*\baction\b/;

/** Every route of app/routes.ts whose module exports an action. */
export function actionRoutes(): ActionRoute[] {
  return flatten(routes as unknown as Config[], "")
    .filter((r) => r.leaf)
    .flatMap((r) => {
      const source = readFileSync(path.join("app", r.file), "utf8");
      if (!EXPORTS_ACTION.test(source)) return [];
      const fields = [...source.matchAll(/\.(?:get|getAll|has)\(\s*"([\w.[\]-]+)"\s*\)/g)].map((m) => m[1]!);
      const intents = [...source.matchAll(/(?:intent\s*===?\s*|case\s+)"([\w-]+)"/g)].map((m) => m[1]!);
      return [{ file: r.file, pattern: r.pattern, sourceFields: [...new Set(fields)], sourceIntents: [...new Set(intents)], hasPage: /export default/.test(source) }];
    });
}

/** What the forms of an HTML page name: input, textarea, select and button names, and the intents of its buttons and hidden inputs. */
export function formFieldsOf(html: string): { fields: string[]; intents: string[] } {
  const fields = new Set<string>();
  const intents = new Set<string>();
  for (const tag of html.matchAll(/<(?:input|textarea|select|button)\b[^>]*>/g)) {
    const name = /\sname="([^"]+)"/.exec(tag[0])?.[1];
    if (!name) continue;
    fields.add(name);
    const value = /\svalue="([^"]*)"/.exec(tag[0])?.[1];
    if (name === "intent" && value) intents.add(value);
  }
  return { fields: [...fields], intents: [...intents] };
}

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "#db/project-root.ts";

/**
 * The forum's static files (its stylesheet, its one script and its icon), read once at start and
 * served from memory. The stylesheet's and the script's URLs carry a hash of their content, so
 * browsers may keep them for a year: a changed file is a new URL. The script (ask.js) only fills
 * the ask form's similar threads; every page works without it. `projectRoot` finds forum/public from the sources and from the bundle.
 */

export interface Asset {
  url: string;
  type: string;
  body: Buffer;
}

function load(file: string, type: string, hashed: boolean): Asset {
  const body = readFileSync(path.join(projectRoot(import.meta.url), "forum", "public", file));
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const ext = path.extname(file);
  const url = hashed ? `/${path.basename(file, ext)}.${hash}${ext}` : `/${file}`;
  return { url, type, body };
}

let loaded: { css: Asset; js: Asset; icon: Asset } | undefined;

export function assets() {
  loaded ??= {
    css: load("forum.css", "text/css; charset=utf-8", true),
    js: load("ask.js", "text/javascript; charset=utf-8", true),
    icon: load("favicon.svg", "image/svg+xml", false),
  };
  return loaded;
}

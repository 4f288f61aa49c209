import createDOMPurify, { type Config } from "dompurify";
import { JSDOM } from "jsdom";
import { Marked } from "marked";
import { InputError } from "./errors.ts";
import { MARKDOWN_MAX_DEPTH, MARKDOWN_MAX_LENGTH } from "./markdown-limits.ts";
import { collectingMath, formulaPlacer, mathExtension, TooMuchMath } from "./markdown-math.server.ts";

/**
 * The one way text written by people becomes HTML. Markdown (GitHub flavoured) is rendered at write
 * time and the result sanitized against an explicit allowlist; the stored HTML is what pages show.
 * Every later write path (questions, answers, comments, wikis, ideas, bios) goes through here.
 * Math (`$…$`, `$$…$$`) is rendered with KaTeX here too, and sanitized on its own against KaTeX's
 * vocabulary (markdown-math.server.ts): the allowlist below knows nothing of it.
 */

export { MARKDOWN_MAX_DEPTH, MARKDOWN_MAX_LENGTH };

/** A problem the writer can fix; its message is written for them. */
export class MarkdownError extends Error {
  override name = "MarkdownError";
}

// A local instance: options set here never leak into (or from) another user of `marked`.
const marked = new Marked({ gfm: true, breaks: false, async: false }, mathExtension);

const ALLOWED_TAGS = [
  "p",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "ul",
  "ol",
  "li",
  "pre",
  "code",
  "em",
  "strong",
  "del",
  "s",
  "a",
  "img",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "input",
  "kbd",
  "sup",
  "sub",
];
const ALLOWED_ATTR = ["href", "title", "src", "alt", "class", "align", "start", "type", "checked", "disabled"];
// http, https and mailto, or no scheme at all (a relative link or a fragment).
const ALLOWED_URI = /^(?:(?:https?|mailto):|(?![a-z][a-z0-9+.-]*:))/i;
// Browsers ignore control characters and spaces in a URL's scheme ("java\tscript:"): so do we.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const URL_IGNORED = /[\u0000-\u0020\u00a0]/g;
const CODE_CLASS = /^language-[\w+#.-]{1,40}$/;

const window = new JSDOM("").window;
const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
const placeFormulas = formulaPlacer(window as unknown as Parameters<typeof formulaPlacer>[0]);
const config: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: ALLOWED_URI,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
};

purify.addHook("uponSanitizeAttribute", (node, data) => {
  const tag = node.nodeName.toLowerCase();
  // Classes only as code language hints; checkbox state only on inputs; alignment only in tables.
  if (data.attrName === "class" && !(tag === "code" && CODE_CLASS.test(data.attrValue))) data.keepAttr = false;
  if (["type", "checked", "disabled"].includes(data.attrName) && tag !== "input") data.keepAttr = false;
  if (data.attrName === "align" && tag !== "th" && tag !== "td") data.keepAttr = false;
  if (data.attrName === "align" && !["left", "right", "center"].includes(data.attrValue)) data.keepAttr = false;
  if (data.attrName === "start" && (tag !== "ol" || !/^\d{1,9}$/.test(data.attrValue))) data.keepAttr = false;
  // DOMPurify lets data: URIs through on images and media by design; we allow no scheme but ours.
  if ((data.attrName === "src" || data.attrName === "href") && !ALLOWED_URI.test(data.attrValue.replace(URL_IGNORED, ""))) data.keepAttr = false;
});

purify.addHook("afterSanitizeAttributes", (node) => {
  const tag = node.nodeName.toLowerCase();
  // GitHub task lists render disabled checkboxes; any other input is not ours.
  if (tag === "input") {
    if (node.getAttribute("type") !== "checkbox") node.remove();
    else node.setAttribute("disabled", "");
  }
  if (tag === "a" && node.hasAttribute("href")) node.setAttribute("rel", "nofollow noopener noreferrer");
});

/** The deepest nesting of quotes and list items on any line outside fenced code. */
export function nestingDepth(source: string): number {
  let deepest = 0;
  let fence: string | null = null;
  for (const line of source.split("\n")) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker[0]!.repeat(marker.length);
      else if (marker.startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    let depth = 0;
    let rest = line.replace(/\t/g, "    ");
    for (;;) {
      const indent = /^ */.exec(rest)![0].length;
      const marker = /^ *(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))/.exec(rest);
      if (!marker) break;
      // Each list level indents by about two columns; count indentation as levels too.
      depth += 1 + Math.floor(indent / 2);
      rest = rest.slice(marker[0].length);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** Markdown to safe HTML, or a MarkdownError saying what to change. */
export function renderMarkdown(source: string): string {
  const text = source.replace(/\r\n?/g, "\n").replaceAll("\0", "");
  if (text.length > MARKDOWN_MAX_LENGTH) {
    throw new MarkdownError(`This text is ${text.length.toLocaleString("en")} characters long; the limit is ${MARKDOWN_MAX_LENGTH.toLocaleString("en")}.`);
  }
  if (nestingDepth(text) > MARKDOWN_MAX_DEPTH) {
    throw new MarkdownError(`Quotes or lists are nested more than ${MARKDOWN_MAX_DEPTH} levels deep; flatten them a little.`);
  }
  let rendered: ReturnType<typeof collectingMath<string>>;
  try {
    rendered = collectingMath(() => marked.parse(text) as string);
  } catch (error) {
    // The depth check should make this unreachable; if marked still gives up, say so plainly.
    if (error instanceof RangeError) throw new MarkdownError("This text is nested too deeply to format; flatten its quotes or lists.", { cause: error });
    throw error;
  }
  let clean = purify.sanitize(rendered.result, config) as string;
  if (rendered.math.formulas.length > 0) {
    try {
      clean = placeFormulas(clean, rendered.math);
    } catch (error) {
      if (error instanceof TooMuchMath) throw new MarkdownError(error.message, { cause: error });
      throw error;
    }
  }
  return clean.includes("<li") ? wrapOrphanListItems(clean) : clean;
}

/**
 * `renderMarkdown` for a form field: a text the module refuses becomes an InputError on `field`
 * saying what to change, so the form comes back with the writer's text. Writers call it before
 * their transaction opens.
 */
export function renderField(source: string, field = "body"): string {
  try {
    return renderMarkdown(source);
  } catch (error) {
    if (error instanceof MarkdownError) throw InputError.field(field, error.message);
    throw error;
  }
}

/**
 * A list item left outside any list (its disallowed parent was removed and its content kept)
 * would, once a page parses it, close the page's own list item around the post (comments are list
 * items) and move what follows out of it. It gets a list of its own.
 */
function wrapOrphanListItems(clean: string): string {
  const root = window.document.createElement("template");
  root.innerHTML = clean;
  let changed = false;
  for (const item of root.content.querySelectorAll("li")) {
    const parent = item.parentElement;
    if (parent?.localName === "ul" || parent?.localName === "ol") continue;
    const list = window.document.createElement("ul");
    item.replaceWith(list);
    list.append(item);
    changed = true;
  }
  return changed ? root.innerHTML : clean;
}

import { createHash } from "node:crypto";
import TurndownService from "turndown";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";
import { BIO_MAX } from "#app/features/users/profile-schema.ts";

/**
 * How Stack Exchange's items map onto ours: keys, URLs, addresses, tag names, close reasons and
 * HTML bodies turned into markdown. Pure functions; the importer does the writing.
 */

export const DEFAULT_LICENSE = "CC BY-SA 3.0";

export const keys = {
  user: (host: string, id: number) => `${host}/users/${id}`,
  /** A name seen only on posts (the account is gone): one placeholder per name. */
  namedUser: (host: string, name: string) => `${host}/users/name/${nameDigest(name)}`,
  /** Posts with neither an account nor a name. */
  deletedUser: (host: string) => `${host}/users/deleted`,
  post: (host: string, id: number) => `${host}/posts/${id}`,
  comment: (host: string, id: number) => `${host}/comments/${id}`,
};

export const urls = {
  user: (host: string, id: number) => `https://${host}/users/${id}`,
  question: (host: string, id: number) => `https://${host}/questions/${id}`,
  answer: (host: string, id: number) => `https://${host}/a/${id}`,
  site: (host: string) => `https://${host}/`,
};

function nameDigest(name: string): string {
  return createHash("sha256").update(name.trim().toLowerCase()).digest("hex").slice(0, 16);
}

/** The address of a profile that cannot sign in: unique per source and person, lower case, never deliverable. */
export function placeholderEmail(host: string, who: { id: number } | { name: string } | "deleted"): string {
  const local = who === "deleted" ? "deleted" : "id" in who ? `${who.id}` : `name-${nameDigest(who.name)}`;
  return `${host}-${local}@import.invalid`.toLowerCase();
}

/** "beer.stackexchange.com" from a folder named after the site, or null. */
export function hostFromFolder(folder: string): string | null {
  const base =
    folder
      .replace(/[/\\]+$/, "")
      .split(/[/\\]/)
      .pop() ?? "";
  const match = /^([a-z0-9-]+\.)*(stackexchange\.com|stackoverflow\.com|serverfault\.com|superuser\.com|askubuntu\.com|mathoverflow\.net|stackapps\.com)$/i.exec(base);
  if (match) return base.toLowerCase();
  const prefixed = /^stackexchange-([a-z0-9-]+)$/i.exec(base);
  return prefixed ? `${prefixed[1]!.toLowerCase()}.stackexchange.com` : null;
}

/** Tags as the dump writes them: "<a><b>" (older dumps) or "|a|b|" (newer ones), in order. */
export function parseTagList(raw: string | undefined): string[] {
  if (!raw) return [];
  const names = raw.startsWith("<") ? [...raw.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!) : raw.split("|").filter(Boolean);
  return names;
}

/** A source tag name under our rule (lower case, `[a-z0-9][a-z0-9+#.-]*`, at most 35), or null if it cannot be. */
export function normalizeTagName(raw: string): string | null {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/[^a-z0-9+#.-]/g, "")
    .replace(/^[^a-z0-9]+/, "");
  if (name.length === 0 || name.length > TAG_MAX_LENGTH || !TAG_PATTERN.test(name)) return null;
  return name;
}

export type CloseReason = "duplicate" | "off_topic" | "unclear" | "resolved";

/**
 * Stack Exchange close reason ids (PostHistory type 10's Comment) to ours. Old ids: 1 exact
 * duplicate, 2 off topic, 3 subjective, 4 not a real question, 7 too localized, 10 general
 * reference; current ids: 101 duplicate, 102 off topic, 103 unclear, 104 too broad, 105 primarily
 * opinion-based. Anything else (and no reason at all) becomes off_topic.
 */
export function closeReasonFor(reasonId: number | null): CloseReason {
  switch (reasonId) {
    case 1:
    case 101:
      return "duplicate";
    case 4:
    case 103:
    case 104:
      return "unclear";
    default:
      return "off_topic";
  }
}

const turndown = new TurndownService({
  headingStyle: "atx",
  codeBlockStyle: "fenced",
  bulletListMarker: "-",
  emDelimiter: "*",
  hr: "---",
});
// Strikethrough as GFM; markup we would drop anyway is removed with its content.
turndown.addRule("strike", { filter: ["del", "s"], replacement: (content) => `~~${content}~~` });
turndown.remove(["script", "style", "iframe", "object", "embed", "form", "noscript"]);
// TeX between dollars (what Stack Exchange's MathJax shows) reaches the markdown module as it was
// typed, which renders it with KaTeX: turndown's escaping (`a\_1`, `c^\*`, `\\sum`) would change
// the formula. Text outside the dollars is escaped as before.
const MATH_SPAN = /(\$\$[\s\S]+?\$\$|\$(?!\s)(?:\\[\s\S]|[^\\$\n])+?(?<!\s)\$(?!\d))/;
const escapeMarkdown = turndown.escape.bind(turndown);
turndown.escape = (text: string) =>
  text
    .split(MATH_SPAN)
    .map((part, i) => (i % 2 === 1 ? part : escapeMarkdown(part)))
    .join("");
// A code block's language hint from Stack Exchange's prettify classes is not needed: drop classes.

/**
 * A post body (HTML) as markdown; the markdown module renders and sanitizes it afterwards. HTML
 * that turndown's parser cannot take (it throws on some broken markup, e.g. a stray <frameset>)
 * comes back as its text with the tags removed, and `asText` says so.
 */
export function convertHtml(html: string): { markdown: string; asText: boolean } {
  if (html.trim() === "") return { markdown: "", asText: false };
  try {
    return { markdown: turndown.turndown(html).trim(), asText: false };
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    return {
      markdown: html
        .replace(/<[^>]*>?/g, " ")
        .replace(/[ \t]+/g, " ")
        .trim(),
      asText: true,
    };
  }
}

export function htmlToMarkdown(html: string): string {
  return convertHtml(html).markdown;
}

/**
 * AboutMe (HTML) as a plain-text bio: bios are shown as text with their line breaks, so links
 * become "text (url)" and markdown emphasis is dropped; cut to the bio limit at a word.
 */
export function htmlToBio(html: string | undefined): string {
  if (!html) return "";
  const text = htmlToMarkdown(html)
    .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/(\*\*|__|~~)(.+?)\1/g, "$2")
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, "$1")
    // eslint-disable-next-line no-control-regex -- profiles hold no control characters
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return cut(text, BIO_MAX);
}

/** A single line of plain text of at most `max` characters. */
export function plainLine(value: string | undefined, max: number): string {
  const text = (value ?? "")
    // eslint-disable-next-line no-control-regex -- profiles hold no control characters
    .replace(/[\u0000-\u001F\u007F]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return cut(text, max);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(" ");
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}

/**
 * Small pure helpers the forum's pages, feeds and structured data share: addresses, dates, and
 * the escaping each output format needs.
 */

export function threadPath(thread: { id: number; slug: string }): string {
  return `/t/${thread.id}/${encodeURIComponent(thread.slug)}`;
}

export function topicPath(tag: string): string {
  return `/topics/${encodeURIComponent(tag)}`;
}

const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** "Nov 22, 2026" (UTC, like the rest of Commons). */
export function formatDate(date: Date | string): string {
  return dateOnly.format(new Date(date));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/**
 * The text of stored HTML (sanitized when it was published), for structured data: tags dropped,
 * block ends as line breaks, entities decoded. Not for HTML output: the result is raw text.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-6]|pre|blockquote|tr)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (whole, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * JSON for a `<script type="application/ld+json">` block. `<` (and `>`, `&`, the two JavaScript
 * line separators) become \u escapes, so text holding `</script>` or `<!--` cannot end the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

// Characters XML 1.0 does not allow at all (control characters other than tab and line breaks).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for XML content and attribute values (feeds, the sitemap). */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

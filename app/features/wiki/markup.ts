/**
 * What a wiki page's text adds to markdown, as pure functions: `[[Page title]]` links (and
 * `[[Page title|what to show]]`), and the table of contents from its headings. The markdown itself
 * goes through the one markdown module (app/lib/markdown.server.ts); links are turned into plain
 * markdown links before it, anchors are added to its sanitized output after it.
 */

/** At most this many distinct `[[links]]` on a page are resolved; the rest stay as text. */
export const MAX_WIKI_LINKS = 200;
const TITLE_MAX = 200;

const WIKI_LINK = /\[\[([^[\]\n|]{1,200})(?:\|([^[\]\n]{1,200}))?\]\]/g;

/** A link target as it is matched against page titles: trimmed, inner spaces collapsed, lower case. */
export function linkKey(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase().slice(0, TITLE_MAX);
}

/**
 * Runs `replace` over the parts of a markdown source outside code (fenced blocks, indented blocks
 * are rare in wikis and left alone, and inline code spans), so `[[x]]` in a code sample stays as written.
 */
function outsideCode(source: string, replace: (text: string) => string): string {
  const out: string[] = [];
  let fence: string | null = null;
  let prose: string[] = [];
  const flush = () => {
    if (prose.length === 0) return;
    // Inline code spans: backtick runs of equal length delimit them.
    out.push(prose.join("\n").replace(/(`+)([\s\S]*?)\1|([^`]+|`)/g, (whole, ticks: string | undefined, _code, text: string | undefined) => (ticks ? whole : replace(text ?? whole))));
    prose = [];
  };
  for (const line of source.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) {
      flush();
      fence = marker[0]!.repeat(marker.length);
      out.push(line);
    } else if (fence !== null) {
      if (marker?.startsWith(fence)) fence = null;
      out.push(line);
    } else prose.push(line);
  }
  flush();
  return out.join("\n");
}

/** The distinct link targets of a page's source (by `linkKey`), in order of first use. */
export function wikiLinkTargets(source: string): string[] {
  const found = new Set<string>();
  outsideCode(source, (text) => {
    for (const match of text.matchAll(WIKI_LINK)) {
      const key = linkKey(match[1]!);
      if (key && found.size < MAX_WIKI_LINKS) found.add(key);
    }
    return text;
  });
  return [...found];
}

/** Markdown link text: brackets and backslashes escaped so a label can't end the link early. */
function escapeLabel(label: string): string {
  return label.trim().replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/**
 * The source with each `[[Title]]` turned into a markdown link: to the page `resolve` finds, or,
 * when none has that title yet, to `missing(title)` (the form that creates it). Targets beyond
 * MAX_WIKI_LINKS stay as typed.
 */
export function replaceWikiLinks(source: string, resolve: (key: string) => string | null, missing: (title: string) => string): string {
  const allowed = new Set(wikiLinkTargets(source));
  return outsideCode(source, (text) =>
    text.replace(WIKI_LINK, (whole, title: string, label: string | undefined) => {
      const key = linkKey(title);
      if (!allowed.has(key)) return whole;
      const url = resolve(key) ?? missing(title.trim());
      return `[${escapeLabel(label ?? title)}](<${url}>)`;
    }),
  );
}

export type TocEntry = { level: number; text: string; anchor: string };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };

function headingText(inner: string): string {
  return inner
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/\s+/g, " ")
    .trim();
}

function anchorSlug(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "section";
}

/**
 * Gives the headings of sanitized page HTML (levels 1 to 4) ids, and lists them for the table of
 * contents. Ids start with "h-" so that no heading can take the name of something on the page
 * around it; repeated headings get "-2", "-3". The input is the markdown module's output, whose
 * headings carry no attributes.
 */
export function addHeadingAnchors(html: string): { html: string; toc: TocEntry[] } {
  const toc: TocEntry[] = [];
  const used = new Map<string, number>();
  const out = html.replace(/<h([1-4])>([\s\S]*?)<\/h\1>/g, (whole, level: string, inner: string) => {
    const text = headingText(inner);
    if (!text) return whole;
    const base = `h-${anchorSlug(text)}`;
    const seen = (used.get(base) ?? 0) + 1;
    used.set(base, seen);
    const anchor = seen === 1 ? base : `${base}-${seen}`;
    toc.push({ level: Number(level), text, anchor });
    return `<h${level} id="${anchor}">${inner}</h${level}>`;
  });
  return { html: out, toc };
}

/** Page ids linked from sanitized HTML (`href="/wiki/42/..."`), so a reader's view can drop links to pages they can't see. */
export function linkedPageIds(html: string): number[] {
  const ids = new Set<number>();
  for (const match of html.matchAll(/<a href="\/wiki\/(\d{1,10})(?:[/?#][^"]*)?"[^>]*>/g)) ids.add(Number(match[1]));
  return [...ids];
}

/** The HTML with links to pages outside `visible` turned into their plain text (their label stays, the address goes). */
export function unlinkHiddenPages(html: string, visible: ReadonlySet<number>): string {
  return html.replace(/<a href="\/wiki\/(\d{1,10})(?:[/?#][^"]*)?"[^>]*>([\s\S]*?)<\/a>/g, (whole, id: string, label: string) => (visible.has(Number(id)) ? whole : label));
}

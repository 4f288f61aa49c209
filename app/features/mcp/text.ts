import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Snippet } from "#app/features/search/search-params.ts";
import { idParam, isRowId } from "#app/lib/ids.ts";

/**
 * What the MCP tools share that needs no server: reading the ids and URLs an assistant passes
 * back, and writing answers as plain text. Everything a tool returns is text (titles, names and
 * markdown sources as they were typed); nothing is HTML, so a title holding `<script>` is only
 * ever those characters.
 */

/** What an assistant may name something by: its id, or any Commons URL of it. */
export type Reference = number | string;

export type ContentRef = { kind: "question" | "wiki_page" | "article"; id: number };

const PATHS: Array<{ pattern: RegExp; kind: ContentRef["kind"] }> = [
  { pattern: /^\/questions\/(\d{1,10})(?:\/|$)/, kind: "question" },
  { pattern: /^\/wiki\/(\d{1,10})(?:\/|$)/, kind: "wiki_page" },
  { pattern: /^\/articles\/(\d{1,10})(?:\/|$)/, kind: "article" },
];

/**
 * The item a reference names: a bare id (`42`, `"42"`) is `fallback`'s kind; a URL (absolute or
 * a path, any host: Commons may sit behind a proxy) is read from its path. Null when it names
 * nothing Commons could hold.
 */
export function readReference(value: Reference, fallback: ContentRef["kind"]): ContentRef | null {
  if (typeof value === "number") return isRowId(value) ? { kind: fallback, id: value } : null;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const id = idParam(text);
    return Number.isNaN(id) ? null : { kind: fallback, id };
  }
  let path: string;
  try {
    path = new URL(text, "http://commons.invalid").pathname;
  } catch {
    return null;
  }
  for (const { pattern, kind } of PATHS) {
    const match = pattern.exec(path);
    if (match) {
      const id = idParam(match[1]);
      return Number.isNaN(id) ? null : { kind, id };
    }
  }
  return null;
}

/** A search snippet's runs as plain text (the matched words are not marked: the assistant reads the whole). */
export function snippetText(snippet: Snippet): string {
  return snippet
    .map((run) => run.text)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/** `2026-03-01` for a date, or for seconds since the epoch (as search documents hold them). */
export function isoDay(value: Date | number | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

/**
 * Markdown sources can be long (a wiki page up to the markdown limit); an assistant's context is
 * not. Past `max` characters the text is cut at a line break where one is near, and says where
 * the rest is.
 */
export function clip(text: string, max: number, url: string): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lineEnd = cut.lastIndexOf("\n");
  const kept = lineEnd > max * 0.8 ? cut.slice(0, lineEnd) : cut;
  return `${kept}\n\n[… cut after ${kept.length.toLocaleString("en")} of ${text.length.toLocaleString("en")} characters; the rest is at ${url}]`;
}

/** A successful tool answer: the text the assistant reads, and the same facts as structured content. */
export function answer(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured };
}

/** A tool error the assistant can act on (the protocol's `isError` result, not a failed request). */
export function refusal(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

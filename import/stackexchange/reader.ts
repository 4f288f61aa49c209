import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/**
 * Reads a Stack Exchange dump file one line at a time. The dumps write one `<row .../>` per line
 * (newlines inside values are encoded as `&#xA;`), so a file of any size is read in bounded memory
 * and every row carries its line number for problem reports.
 */

export type Row = { line: number; attrs: Record<string, string> };
export type BadRow = { line: number; error: string };
export type ReadItem = ({ kind: "row" } & Row) | ({ kind: "bad" } & BadRow);

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; anything else is an error. */
export function decodeEntities(raw: string): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&([^;]{0,12});?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw new Error(`an "&" that starts no entity`);
    if (name in NAMED) return NAMED[name]!;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (!numeric) throw new Error(`an unknown entity "&${name};"`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw new Error(`a character reference to a character XML forbids (&${name};)`);
    return String.fromCodePoint(code);
  });
}

const ATTRIBUTE = /\s+([A-Za-z_][\w.-]*)="([^"<]*)"/y;

/**
 * Parses one line strictly: `<row` attributes `/>`, each attribute `Name="value"` once, values
 * without a raw `<` and with valid entities. Returns the attributes or throws with the reason.
 */
export function parseRow(text: string): Record<string, string> {
  if (!text.startsWith("<row")) throw new Error("the line is not a <row> element");
  if (!text.endsWith("/>")) throw new Error("the row is not closed with />");
  const inner = text.slice(4, -2).replace(/\s+$/, "");
  const attrs: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  let position = 0;
  while (position < inner.length) {
    ATTRIBUTE.lastIndex = position;
    const match = ATTRIBUTE.exec(inner);
    if (!match) throw new Error(`a malformed attribute at column ${position + 5}`);
    const [, name, value] = match;
    if (name! in attrs) throw new Error(`the attribute ${name} appears twice`);
    attrs[name!] = decodeEntities(value!);
    position = ATTRIBUTE.lastIndex;
  }
  return attrs;
}

/**
 * Yields every row of the file with its line number; a line that is not a well-formed row comes
 * back as `bad` with the reason (the caller reports it and goes on). The XML declaration, the
 * root element and blank lines are skipped.
 */
export async function* readRows(file: string): AsyncGenerator<ReadItem> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const rawLine of lines) {
    line += 1;
    const text = (line === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine).trim();
    if (text === "" || text.startsWith("<?xml")) continue;
    // The root element: <posts>, </posts>, and <posts/> for an empty file.
    if (/^<\/?[a-z]+\/?>$/i.test(text) && !text.startsWith("<row")) continue;
    try {
      yield { kind: "row", line, attrs: parseRow(text) };
    } catch (error) {
      yield { kind: "bad", line, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Integer attribute, or null when absent or not an integer. */
export function intAttr(attrs: Record<string, string>, name: string): number | null {
  const value = attrs[name];
  if (value === undefined || !/^-?\d+$/.test(value)) return null;
  return Number(value);
}

/** A dump date ("2014-01-21T20:26:05.383", UTC without a zone) as a Date, or null. */
export function dateAttr(attrs: Record<string, string>, name: string): Date | null {
  const value = attrs[name];
  if (value === undefined) return null;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

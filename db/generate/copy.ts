import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";

/**
 * Rows for PostgreSQL's COPY (text format), built as strings: the fastest way to load rows, and
 * the generator's only way in. COPY writes the ids it is given into identity columns.
 */

type Value = string | number | boolean | null | undefined;

/** Backslash, tab, newline and carriage return are COPY's own characters: escape them. */
function field(value: Value): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

/** A PostgreSQL array literal of simple words or numbers (tag names, ids): nothing to quote. */
export const arrayLiteral = (items: ReadonlyArray<string | number>) => `{${items.join(",")}}`;

/** A PostgreSQL array literal of labels that may hold spaces or commas ("Food & drink"): each one quoted. */
export const quotedArrayLiteral = (items: readonly string[]) => `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;

export class CopyTable {
  private chunks: string[] = [];
  private current: string[] = [];
  rows = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  add(...values: Value[]): void {
    this.current.push(values.map(field).join("\t"));
    this.rows++;
    if (this.current.length >= 500) this.flushChunk();
  }

  private flushChunk(): void {
    if (this.current.length === 0) return;
    this.chunks.push(this.current.join("\n") + "\n");
    this.current = [];
  }

  /** Sends the rows collected so far and starts empty again. */
  async write(sql: postgres.Sql | postgres.TransactionSql): Promise<number> {
    this.flushChunk();
    const chunks = this.chunks;
    const rows = this.rows;
    this.chunks = [];
    this.rows = 0;
    if (rows === 0) return 0;
    const stream = await sql.unsafe(`copy ${this.table} (${this.columns.join(", ")}) from stdin`).writable();
    await pipeline(Readable.from(chunks), stream);
    return rows;
  }
}

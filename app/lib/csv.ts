/** CSV files people download (a campaign's ideas, recognition insights), written one way. */

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. A
 * text starting with = + - @ tab or CR gets a leading apostrophe first, so a spreadsheet shows it
 * as text instead of running it as a formula (OWASP "CSV Injection"). Numbers are written as
 * they are: they come from the database, never from a person.
 */
export function csvField(value: string | number): string {
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: a byte order mark so Excel reads it as UTF-8, CRLF after every record. */
export function toCsv(records: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return "\uFEFF" + records.map((record) => record.map(csvField).join(",") + "\r\n").join("");
}

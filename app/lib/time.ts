/**
 * Relative times ("3 hours ago") computed the same way on the server and in the browser from
 * the same `now`, so hydration never disagrees: callers pass the loader's `now`.
 */
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function relativeTime(date: Date | string, now: Date | string | number): string {
  const seconds = (new Date(date).getTime() - new Date(now).getTime()) / 1000;
  const size = Math.abs(seconds);
  if (size < 45) return "just now";
  for (const [unit, length] of UNITS) {
    if (size >= length || unit === "minute") return relative.format(Math.round(seconds / length), unit);
  }
  return "just now";
}

/** "Nov 22, 2026, 1:53 AM UTC". */
export function absoluteTime(date: Date | string): string {
  return `${absolute.format(new Date(date))} UTC`;
}

const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** "Nov 22, 2026" (UTC). */
export function absoluteDate(date: Date | string): string {
  return dateOnly.format(new Date(date));
}

/** The last day of a period that ends at `end` (exclusive): a campaign ending at midnight on the 1st ran through the 31st. */
export function lastDay(end: Date | string): Date {
  return new Date(new Date(end).getTime() - 1);
}

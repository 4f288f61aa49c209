/** Click counts are kept per day in UTC (share_clicks.day), as the forum's redirect writes them. */

/** The UTC day of `now`, as PostgreSQL's `date` reads it ("2026-03-01"). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The first day of the last `days` days, today (UTC) included. */
export function sinceDay(now: Date, days: number): string {
  return utcDay(new Date(now.getTime() - (days - 1) * 86_400_000));
}

/**
 * What the insights page and its server share (app/features/recognition/insights.server.ts): the
 * windows HR can pick, the group minimum, the pairs pattern's thresholds and the tables' names.
 */

/** The smallest group shown on its own; anything smaller is folded into "Other". */
export const GROUP_MIN = 5;
/** What HR may pick as the window: the last 3, 6 or 12 months, this month included. */
export const INSIGHT_WINDOWS = [3, 6, 12] as const;
export type InsightMonths = (typeof INSIGHT_WINDOWS)[number];
export const DEFAULT_MONTHS: InsightMonths = 12;

/** The pairs pattern: both gave at least this many kudos in the window… */
export const PAIR_MIN_GIVEN = 6;
/** …and at least this share of them (in percent) went to the other one. */
export const PAIR_MIN_SHARE = 80;

/** The tables of the page, each with a CSV export of its own. */
export const INSIGHT_TABLES = ["over-time", "values", "flow", "teams", "pairs"] as const;
export type InsightTable = (typeof INSIGHT_TABLES)[number];

/** `?months=` as one of the windows; anything else is the default, as a list's unknown filter is. */
export function monthsParam(value: string | null): InsightMonths {
  return INSIGHT_WINDOWS.find((m) => String(m) === value) ?? DEFAULT_MONTHS;
}

/**
 * What the people analytics' pages and server share (docs/people-analytics.md): the job's window
 * and sample, how many runs are kept, the dashboard's periods and its tables.
 */

export { GROUP_MIN } from "#app/features/recognition/insight-params.ts";

/** The window a run describes when nothing else is asked: the 90 days up to the run. */
export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_WINDOW_DAYS = 3650;
/** Sources of the sampled betweenness, and the seed that picks them (a run can be repeated exactly). */
export const BETWEENNESS_SAMPLES = 256;
export const BETWEENNESS_SEED = 18;
/** Runs kept (the newest); older ones and their roles are deleted when a run finishes. */
export const KEEP_RUNS = 10;
/** The daily run starts in this UTC hour. */
export const DAILY_RUN_HOUR_UTC = 2;
/** A run still "running" after this long was cut short (the process stopped): it is marked failed. */
export const STALE_RUN_MS = 2 * 3_600_000;

/** The dashboard's periods, in weeks. */
export const DASHBOARD_WEEKS = [12, 26, 52] as const;
export type DashboardWeeks = (typeof DASHBOARD_WEEKS)[number];
export const DEFAULT_WEEKS: DashboardWeeks = 12;
/** A question still without an answer this many days after it was asked is "unanswered" for the hot spots. */
export const UNANSWERED_AFTER_DAYS = 3;
/** Entries per list on the page; the CSVs have them all. */
export const LIST_SHOWN = 10;

/** The dashboard's tables, each with a CSV export (`/hr/people/:table.csv`). */
export const PEOPLE_TABLES = ["participation", "topics", "rising", "hot-spots", "roles", "ideas", "shortlist"] as const;
export type PeopleTable = (typeof PEOPLE_TABLES)[number];

/** `?weeks=` as one of the periods; anything else is the default. */
export function weeksParam(value: string | null): DashboardWeeks {
  return DASHBOARD_WEEKS.find((w) => String(w) === value) ?? DEFAULT_WEEKS;
}

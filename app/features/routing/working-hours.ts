/**
 * Working hours for routing deadlines (docs/routing.md): Monday to Friday in UTC, each of those
 * days counting whole (24 hours), Saturdays and Sundays not at all. "24 working hours" is one
 * working day: a question asked on Friday at 15:00 is due on Monday at 15:00. One clock for the
 * whole company keeps a deadline the same for the asker, the experts and the moderators wherever
 * they sit; offices' own hours and holidays are not modelled.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Saturday or Sunday, in UTC. */
function isWeekend(time: number): boolean {
  const day = new Date(time).getUTCDay();
  return day === 0 || day === 6;
}

/** Midnight (UTC) at the end of the day `time` falls in. */
function nextMidnight(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS + DAY_MS;
}

/**
 * `start` plus `hours` working hours. Time over a weekend does not count, so a start on a
 * Saturday counts from Monday 00:00. Zero (or fewer) hours is `start` itself.
 */
export function addWorkingHours(start: Date, hours: number): Date {
  let time = start.getTime();
  let left = Math.max(0, hours) * HOUR_MS;
  if (left === 0) return new Date(time);
  // A start at the weekend counts from Monday 00:00.
  while (isWeekend(time)) time = nextMidnight(time);
  // Whole weeks first (seven days hold five working ones), so a long deadline costs no more than a
  // short one; the last stretch is walked day by day, so a deadline that ends with a Friday ends
  // at its midnight, not on the Monday after.
  const WEEK = 5 * DAY_MS;
  if (left > WEEK) {
    const weeks = Math.floor((left - 1) / WEEK);
    time += weeks * 7 * DAY_MS;
    left -= weeks * WEEK;
  }
  while (left > 0) {
    if (isWeekend(time)) {
      time = nextMidnight(time);
      continue;
    }
    const step = Math.min(left, nextMidnight(time) - time);
    time += step;
    left -= step;
  }
  return new Date(time);
}

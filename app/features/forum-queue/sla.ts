/**
 * The queue's SLA timer in words (pure: the loader computes it from the `now` it is given, so a
 * test's clock decides). Text, never colour alone: "due in 3 h", "overdue by 2 h".
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45 min", "3 h", "2 days": rounded down, at least a minute. */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return `${Math.max(1, Math.floor(abs / MINUTE))} min`;
  if (abs < 2 * DAY) return `${Math.floor(abs / HOUR)} h`;
  return `${Math.floor(abs / DAY)} days`;
}

export type SlaState = { state: "due" | "overdue" | "met" | "late"; text: string };

/** Where a question stands against its SLA at `now`: waiting (due / overdue) or first answered (in time / late). */
export function slaState(dueAt: Date, firstResponseAt: Date | null, now: Date): SlaState {
  if (firstResponseAt) {
    return firstResponseAt <= dueAt
      ? { state: "met", text: "first answer within the SLA" }
      : { state: "late", text: `first answer ${duration(firstResponseAt.getTime() - dueAt.getTime())} late` };
  }
  const left = dueAt.getTime() - now.getTime();
  return left >= 0 ? { state: "due", text: `due in ${duration(left)}` } : { state: "overdue", text: `overdue by ${duration(-left)}` };
}

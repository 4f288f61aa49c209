import { absoluteTime, relativeTime } from "#app/lib/time.ts";

/** "3 hours ago" with the exact time on hover and for assistive technology via `dateTime`. */
export function RelativeTime({ date, now, prefix }: { date: Date | string; now: Date | string | number; prefix?: string }) {
  const iso = new Date(date).toISOString();
  return (
    <time dateTime={iso} title={absoluteTime(date)}>
      {prefix ? `${prefix} ` : ""}
      {relativeTime(date, now)}
    </time>
  );
}

import { pino } from "pino";

/** The forum's logger: JSON lines like the app's, marked as the forum's so the two can be told apart. */
export function createForumLogger(level: string) {
  return pino({
    level,
    base: { service: "forum" },
    redact: { paths: ["req.headers.cookie", "password", "*.password"], remove: true },
  });
}
export type Logger = ReturnType<typeof createForumLogger>;

import { pino } from "pino";

/** One structured logger for the process; requests get a child with their request id. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: "commons" },
    redact: { paths: ["req.headers.cookie", "password", "*.password"], remove: true },
  });
}
export type Logger = ReturnType<typeof createLogger>;

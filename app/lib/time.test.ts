import { expect, test } from "vitest";
import { absoluteTime, relativeTime } from "./time.ts";

test("relative times round to the largest unit", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  expect(relativeTime(new Date("2026-11-22T11:59:50Z"), now)).toBe("just now");
  expect(relativeTime(new Date("2026-11-22T11:55:00Z"), now)).toBe("5 minutes ago");
  expect(relativeTime(new Date("2026-11-22T09:00:00Z"), now)).toBe("3 hours ago");
  expect(relativeTime(new Date("2026-11-21T12:00:00Z"), now)).toBe("yesterday");
  expect(relativeTime(new Date("2026-10-18T12:00:00Z"), now)).toBe("last month");
  expect(relativeTime(new Date("2024-11-01T12:00:00Z"), now)).toBe("2 years ago");
  expect(absoluteTime(new Date("2026-11-22T01:53:00Z"))).toBe("Nov 22, 2026, 1:53 AM UTC");
});

import { describe, expect, test } from "vitest";
import { addWorkingHours } from "./working-hours.ts";

// 2026-03-02 is a Monday; every time here is UTC.
const at = (iso: string) => new Date(`${iso}Z`);
const add = (iso: string, hours: number) => addWorkingHours(at(iso), hours).toISOString().replace(".000Z", "");

describe("addWorkingHours", () => {
  test("within the week, working hours are clock hours", () => {
    expect(add("2026-03-02T09:30:00", 24)).toBe("2026-03-03T09:30:00");
    expect(add("2026-03-02T09:30:00", 5)).toBe("2026-03-02T14:30:00");
    expect(add("2026-03-04T23:00:00", 2)).toBe("2026-03-05T01:00:00");
  });

  test("the weekend does not count", () => {
    // Friday 15:00 + one working day = Monday 15:00.
    expect(add("2026-03-06T15:00:00", 24)).toBe("2026-03-09T15:00:00");
    // Friday 15:00 + 9 hours ends exactly at Friday's midnight.
    expect(add("2026-03-06T15:00:00", 9)).toBe("2026-03-07T00:00:00");
    expect(add("2026-03-06T15:00:00", 10)).toBe("2026-03-09T01:00:00");
  });

  test("a start at the weekend counts from Monday 00:00", () => {
    expect(add("2026-03-07T10:00:00", 24)).toBe("2026-03-10T00:00:00");
    expect(add("2026-03-08T23:59:00", 1)).toBe("2026-03-09T01:00:00");
  });

  test("long deadlines span weeks: five working days to a week", () => {
    expect(add("2026-03-02T09:00:00", 120)).toBe("2026-03-09T09:00:00");
    expect(add("2026-03-04T12:00:00", 240)).toBe("2026-03-18T12:00:00");
    // From Monday 00:00, five whole working days end at Friday's midnight.
    expect(add("2026-03-02T00:00:00", 120)).toBe("2026-03-07T00:00:00");
    expect(add("2026-03-07T10:00:00", 120 * 3)).toBe("2026-03-28T00:00:00");
    // Day by day and by whole weeks agree.
    for (let hours = 1; hours <= 400; hours += 7) {
      let walked = at("2026-03-05T17:00:00");
      for (let i = 0; i < hours; i++) walked = addWorkingHours(walked, 1);
      expect(addWorkingHours(at("2026-03-05T17:00:00"), hours).getTime(), `${hours} hours`).toBe(walked.getTime());
    }
  });

  test("no hours is the start itself", () => {
    expect(add("2026-03-07T10:00:00", 0)).toBe("2026-03-07T10:00:00");
    expect(add("2026-03-02T10:00:00", -5)).toBe("2026-03-02T10:00:00");
  });
});

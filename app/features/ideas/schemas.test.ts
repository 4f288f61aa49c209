import { describe, expect, test } from "vitest";
import { CampaignSchema, MergeSchema, splitHandles, splitLabels, StatusSchema, voteBlockReason } from "./schemas.ts";

describe("campaign form", () => {
  const valid = { space: "hr", title: "Make our HR processes simpler", brief: "What slows you down in HR processes today?", startsOn: "2026-12-01", endsOn: "2026-12-31" };

  test("labels and handles split on commas and lines, without duplicates or blanks", () => {
    expect(splitLabels("Payroll, travel\n  Benefits ,, payroll\n")).toEqual(["Payroll", "travel", "Benefits"]);
    expect(splitHandles("@Ada.Lovelace, bob@acme.example; @ada.lovelace")).toEqual(["ada.lovelace", "bob@acme.example"]);
  });

  test("dates are real days, the end not before the start; the budget is empty or 1 to 100", () => {
    const parsed = CampaignSchema.parse({ ...valid, voteBudget: "", categories: "A, B" });
    expect(parsed.startsOn.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(parsed.voteBudget).toBeNull();
    expect(parsed.categories).toEqual(["A", "B"]);
    expect(CampaignSchema.parse({ ...valid, endsOn: "2026-12-01", voteBudget: "5" }).voteBudget).toBe(5);
    const issues = (input: object) => CampaignSchema.safeParse({ ...valid, ...input }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ endsOn: "2026-11-30" })).toEqual([["endsOn", "The end date cannot come before the start date."]]);
    expect(issues({ startsOn: "2026-02-30" })).toEqual([["startsOn", "The start date is not a real date."]]);
    expect(issues({ endsOn: "31/12/2026" })).toEqual([["endsOn", "The end date must be a date like 2026-12-31."]]);
    expect(issues({ voteBudget: "0" })?.[0]?.[0]).toBe("voteBudget");
    expect(issues({ voteBudget: "-3" })?.[0]?.[0]).toBe("voteBudget");
    expect(issues({ categories: Array.from({ length: 13 }, (_, i) => `C${i}`).join(",") })?.[0]?.[1]).toMatch(/at most 12 categories/);
  });
});

describe("status and merge forms", () => {
  test("declined needs a reason of 10 characters; other statuses do not", () => {
    expect(StatusSchema.safeParse({ status: "declined", reason: "  no  " }).success).toBe(false);
    expect(StatusSchema.parse({ status: "declined", reason: "We already do this in the travel tool." }).reason).toBe("We already do this in the travel tool.");
    expect(StatusSchema.parse({ status: "accepted" }).reason).toBe("");
    // "merged" and "submitted" are not chosen by hand.
    expect(StatusSchema.safeParse({ status: "merged", reason: "x" }).success).toBe(false);
    expect(StatusSchema.safeParse({ status: "submitted" }).success).toBe(false);
  });

  test("the merge target is an idea number, with or without #", () => {
    expect(MergeSchema.parse({ targetId: "#42" }).targetId).toBe(42);
    expect(MergeSchema.parse({ targetId: " 7 " }).targetId).toBe(7);
    expect(MergeSchema.safeParse({ targetId: "seven" }).success).toBe(false);
  });
});

test("the vote button says why it is disabled, in the server's order of reasons", () => {
  expect(voteBlockReason("open", "under_review", false)).toBeNull();
  expect(voteBlockReason("open", "under_review", true)).toBe("You can't vote for your own idea.");
  expect(voteBlockReason("open", "declined", true)).toBe("This idea takes no more votes.");
  expect(voteBlockReason("closed", "submitted", false)).toMatch(/frozen/);
  expect(voteBlockReason("archived", "submitted", false)).toMatch(/frozen/);
  expect(voteBlockReason("upcoming", "submitted", false)).toMatch(/opens when the campaign starts/);
});

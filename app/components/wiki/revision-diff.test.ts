import { describe, expect, test } from "vitest";
import { condense } from "./revision-diff.tsx";

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join("\n");

describe("folding unchanged text in a diff", () => {
  test("a one-word change in a long text keeps two lines around it and folds the rest", () => {
    const parts = [
      { value: `${lines(1, 20)}\nthe `, change: "same" as const },
      { value: "old", change: "removed" as const },
      { value: "new", change: "added" as const },
      { value: ` word\n${lines(22, 40)}`, change: "same" as const },
    ];
    expect(condense(parts)).toEqual([
      { gap: 18 },
      { value: "line 19\nline 20\nthe ", change: "same" },
      { value: "old", change: "removed" },
      { value: "new", change: "added" },
      { value: " word\nline 22\nline 23", change: "same" },
      { gap: 17 },
    ]);
  });

  test("between two changes, both ends stay; short stretches and changes are never folded", () => {
    const middle = { value: ` a\n${lines(1, 10)}\nb `, change: "same" as const };
    const folded = condense([{ value: "x", change: "added" }, middle, { value: "y", change: "removed" }]);
    expect(folded).toEqual([
      { value: "x", change: "added" },
      { value: " a\nline 1\nline 2", change: "same" },
      { gap: 6 },
      { value: "line 9\nline 10\nb ", change: "same" },
      { value: "y", change: "removed" },
    ]);
    const short = [
      { value: `${lines(1, 4)}\n`, change: "same" as const },
      { value: lines(5, 30), change: "added" as const },
    ];
    expect(condense(short)).toEqual(short);
  });
});

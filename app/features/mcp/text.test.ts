import { describe, expect, test } from "vitest";
import { clip, isoDay, readReference, snippetText } from "./text.ts";

describe("readReference", () => {
  test("a bare id is the fallback's kind; a URL says its own kind, on any host or none", () => {
    expect(readReference(42, "question")).toEqual({ kind: "question", id: 42 });
    expect(readReference(" 42 ", "wiki_page")).toEqual({ kind: "wiki_page", id: 42 });
    expect(readReference("https://commons.example/questions/42/how-do-we-restore#answer-7", "wiki_page")).toEqual({ kind: "question", id: 42 });
    expect(readReference("/questions/42", "wiki_page")).toEqual({ kind: "question", id: 42 });
    expect(readReference("http://localhost:3000/wiki/7/runbook", "question")).toEqual({ kind: "wiki_page", id: 7 });
    expect(readReference("https://commons.example/articles/12/our-plan?x=1", "question")).toEqual({ kind: "article", id: 12 });
  });

  test("anything else names nothing: words, other paths, ids that can't be rows", () => {
    for (const value of ["the backup question", "https://commons.example/people/3", "/questions/abc", "/questions/99999999999", "0", "-3", "", 0, -1, 1.5, 2 ** 31]) {
      expect(readReference(value, "question")).toBeNull();
    }
  });
});

describe("text helpers", () => {
  test("snippets read as plain text, dates as days", () => {
    expect(
      snippetText([
        { text: "Restore  a ", match: false },
        { text: "<b>backup</b>", match: true },
      ]),
    ).toBe("Restore a <b>backup</b>");
    expect(isoDay(0)).toBe("1970-01-01");
    expect(isoDay(new Date("2026-03-01T23:00:00Z"))).toBe("2026-03-01");
    expect(isoDay(null)).toBeNull();
  });

  test("clip keeps short texts whole and cuts long ones at a line, saying where the rest is", () => {
    expect(clip("short", 10, "https://x/q/1")).toBe("short");
    const long = `${"a".repeat(90)}\n${"b".repeat(50)}`;
    const cut = clip(long, 100, "https://x/q/1");
    expect(cut.startsWith(`${"a".repeat(90)}\n\n[… cut after 90 of 141 characters; the rest is at https://x/q/1]`)).toBe(true);
  });
});

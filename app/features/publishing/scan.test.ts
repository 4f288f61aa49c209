import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DETECTOR_LABELS, DETECTORS, type Detector, findingContext, isHostPattern, parseCidr, REDACTED, redactSpan, type ScanContext, scanText } from "./scan.ts";

/**
 * The scan against its corpus (tests/fixtures/confidentiality): every positive case finds exactly
 * what it lists, every negative case finds nothing, and a redacted positive scans clean. The rest
 * pins what the corpus can't show: overlaps, redaction, the reviewers' excerpt, settings syntax.
 */

type Case = { name: string; text: string; expect?: { detector: Detector; match: string }[] };
const corpus = JSON.parse(readFileSync(new URL("../../../tests/fixtures/confidentiality/corpus.json", import.meta.url), "utf8")) as {
  context: ScanContext;
  positives: Case[];
  negatives: Case[];
};
const context = corpus.context;

describe("the corpus", () => {
  test("covers every detector with positives and has enough cases", () => {
    const covered = new Set(corpus.positives.flatMap((c) => c.expect!.map((e) => e.detector)));
    expect([...covered].sort()).toEqual([...DETECTORS].sort());
    expect(corpus.positives.length).toBeGreaterThanOrEqual(40);
    expect(corpus.negatives.length).toBeGreaterThanOrEqual(30);
  });

  test.each(corpus.positives.map((c) => [c.name, c] as const))("finds: %s", (_name, c) => {
    const findings = scanText(c.text, context);
    expect(findings.map((f) => ({ detector: f.detector, match: f.match }))).toEqual(c.expect);
    for (const f of findings) expect(c.text.slice(f.start, f.end)).toBe(f.match);
  });

  test.each(corpus.negatives.map((c) => [c.name, c] as const))("leaves alone: %s", (_name, c) => {
    expect(scanText(c.text, context)).toEqual([]);
  });

  test.each(corpus.positives.map((c) => [c.name, c] as const))("scans clean once redacted: %s", (_name, c) => {
    let text = c.text;
    // From the end, so earlier offsets stay valid.
    for (const f of scanText(text, context).reverse()) text = redactSpan(text, f.start, f.end);
    expect(scanText(text, context)).toEqual([]);
  });
});

describe("scanText", () => {
  const none: ScanContext = { internalHosts: [], internalIpRanges: [], people: [], customers: [], codenames: [] };

  test("overlapping findings collapse to the longest, sorted by start", () => {
    const text = "Mail ops@build.corp or see https://build.corp/u/ops@northwind.example then 10.0.0.1";
    const findings = scanText(text, { ...none, internalHosts: ["*.corp"] });
    expect(findings.map((f) => [f.detector, f.match])).toEqual([
      ["email", "ops@build.corp"],
      ["internal_url", "https://build.corp/u/ops@northwind.example"],
      ["ip", "10.0.0.1"],
    ]);
  });

  test("without patterns, names or terms only the fixed detectors run", () => {
    expect(scanText("build01.corp and Priya Nair at Acme", none)).toEqual([]);
    expect(scanText("10.1.1.1", none).map((f) => f.detector)).toEqual(["ip"]);
  });

  test("one-word names are never flagged; their handles are", () => {
    const findings = scanText("Cher said so, thanks @cher", { ...none, people: [{ name: "Cher", handle: "cher" }] });
    expect(findings.map((f) => f.match)).toEqual(["@cher"]);
  });

  test("a long text with many names stays correct (10,000 names, 500 terms)", () => {
    const people = Array.from({ length: 10_000 }, (_, i) => ({ name: `Person${i} Surname${i}`, handle: `person${i}` }));
    const customers = Array.from({ length: 500 }, (_, i) => `Customer${i} Holdings`);
    const paragraph = "Ask Person42 Surname42 about Customer7 Holdings, or person4 surname5, on build.corp.\n";
    const text = paragraph.repeat(1200);
    const findings = scanText(text, { ...none, internalHosts: ["*.corp"], people, customers });
    expect(findings).toHaveLength(3 * 1200);
    expect(new Set(findings.map((f) => f.match))).toEqual(new Set(["Person42 Surname42", "Customer7 Holdings", "build.corp"]));
  });
});

describe("redactSpan", () => {
  test("replaces exactly the span", () => {
    expect(redactSpan("call 555-123-4567 now", 5, 17)).toBe(`call ${REDACTED} now`);
  });

  test("refuses a span outside the text", () => {
    expect(() => redactSpan("short", 2, 10)).toThrow(RangeError);
    expect(() => redactSpan("short", 3, 3)).toThrow(RangeError);
  });
});

describe("findingContext", () => {
  test("short texts come whole", () => {
    expect(findingContext("Ask Priya Nair today", { start: 4, end: 14 })).toEqual({ before: "Ask ", match: "Priya Nair", after: " today" });
  });

  test("long texts are cut at words, on one line, and a long match is shortened", () => {
    const text = `${"word ".repeat(20)}secret\nline ${"x".repeat(200)} ${"tail ".repeat(20)}`;
    const start = text.indexOf("secret");
    const end = text.indexOf(" tail");
    const context = findingContext(text, { start, end });
    expect(context.before.startsWith("…word")).toBe(true);
    expect(context.before.length).toBeLessThanOrEqual(42);
    expect(context.after.endsWith("tail…")).toBe(true);
    expect(context.match).not.toContain("\n");
    expect(context.match.length).toBeLessThanOrEqual(80);
    expect(context.match.startsWith("secret line")).toBe(true);
  });
});

describe("settings syntax", () => {
  test.each(["*.corp", "intranet.northwind.com", "localhost", "*.nw-prod.net"])("host pattern %s is valid", (pattern) => {
    expect(isHostPattern(pattern)).toBe(true);
  });

  test.each(["*", "*.", "corp.*", "a..b", "-bad.corp", "has space.corp", "https://wiki.corp", "10.0.0.1", "*.CORP"])("host pattern %s is not", (pattern) => {
    expect(isHostPattern(pattern)).toBe(false);
  });

  test("CIDR ranges and single addresses parse; nonsense does not", () => {
    expect(parseCidr("10.2.0.0/16")?.prefix).toBe(16);
    expect(parseCidr("203.0.113.9")?.prefix).toBe(32);
    expect(parseCidr("2001:db8:42::/48")?.prefix).toBe(48);
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "256.1.1.1", "fe80::/129", "::1::2", "corp", "10.0.0.0/"]) expect(parseCidr(bad)).toBeNull();
  });
});

test("every detector has a label", () => {
  for (const detector of DETECTORS) expect(DETECTOR_LABELS[detector]).toMatch(/\w/);
});

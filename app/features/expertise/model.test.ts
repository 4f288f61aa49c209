import { describe, expect, test } from "vitest";
import { combineCandidates, confidence, decayedWeight, DEFAULT_EXPERTISE_SETTINGS, type ExpertiseSettings, rankValue, recentWeight, scoreAt, storedDecay, withDefaults } from "./model.ts";

const DAY = 24 * 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
const settings = DEFAULT_EXPERTISE_SETTINGS;

describe("decay", () => {
  test("a piece of evidence halves at the half-life, quarters at two, and is whole on its day (never more, even dated later)", () => {
    const then = at("2024-03-01T12:00:00Z");
    expect(decayedWeight(4, then, then, 180)).toBe(4);
    expect(decayedWeight(4, then, new Date(then.getTime() + 180 * DAY), 180)).toBeCloseTo(2, 12);
    expect(decayedWeight(4, then, new Date(then.getTime() + 360 * DAY), 180)).toBeCloseTo(1, 12);
    expect(decayedWeight(4, then, new Date(then.getTime() - 10 * DAY), 180)).toBe(4);
  });

  test("the stored sum read at a date equals the pieces decayed one by one, before and after the epoch", () => {
    const pieces = [
      { weight: 1, when: at("2016-05-02T08:00:00Z") },
      { weight: 5, when: at("2019-12-31T23:59:59Z") },
      { weight: 2, when: at("2025-07-14T10:30:00Z") },
    ];
    for (const halfLife of [7, 14, 180, 365]) {
      const now = at("2026-01-15T00:00:00Z");
      const stored = pieces.reduce((sum, p) => sum + storedDecay(p.weight, p.when, halfLife), 0);
      const direct = pieces.reduce((sum, p) => sum + decayedWeight(p.weight, p.when, now, halfLife), 0);
      expect(scoreAt(stored, now, halfLife) / direct).toBeCloseTo(1, 10);
    }
  });

  test("answering lately decays with its own, shorter half-life", () => {
    const then = at("2024-03-01T00:00:00Z");
    const later = new Date(then.getTime() + 14 * DAY);
    expect(recentWeight(6, then, later, settings)).toBeCloseTo(3, 12);
    expect(recentWeight(6, then, later, { ...settings, recentHalfLifeDays: 28 })).toBeCloseTo(6 / Math.SQRT2, 12);
  });
});

describe("confidence and rank value", () => {
  test("confidence is n / (n + k): none without evidence, a half at k pieces, towards 1 with more", () => {
    expect(confidence(0, 3)).toBe(0);
    expect(confidence(-1, 3)).toBe(0);
    expect(confidence(3, 3)).toBe(0.5);
    expect(confidence(1, 3)).toBe(0.25);
    expect(confidence(97, 3)).toBe(0.97);
  });

  test("the rank value is score × confidence, plus the declared weight for a declared topic", () => {
    expect(rankValue(12, 3, false, settings)).toBe(6);
    expect(rankValue(12, 3, true, settings)).toBe(6 + settings.weights.declared);
    // A declared topic with no evidence counts least: below one accepted answer.
    expect(rankValue(0, 0, true, settings)).toBeLessThan(rankValue(settings.weights.accepted_answer + settings.weights.answer, 2, false, settings));
  });
});

describe("combineCandidates", () => {
  const order = (list: ReturnType<typeof combineCandidates>) => list.map((c) => c.userId);

  test("without a recent part: topic and text each scaled to their best, added; ties by id", () => {
    const list = combineCandidates(
      [
        { userId: 1, topic: 10 },
        { userId: 2, topic: 5 },
        { userId: 2, topic: 5 },
        { userId: 3, topic: 1 },
      ],
      [
        { userId: 3, rank: 0, weight: 6 },
        { userId: 4, rank: 1, weight: 6 },
        { userId: 5, rank: 2, weight: 2 },
      ],
      settings,
    );
    // 1 and 2 tie on the topic (10 = 5 + 5); 3 has a tenth of the topic and the best text.
    expect(order(list)).toEqual([3, 1, 2, 4, 5]);
    expect(list[0]).toMatchObject({ userId: 3, topic: 1, text: 6, value: 1 + 0.1 + 1 });
    expect(list.find((c) => c.userId === 4)!.value).toBeCloseTo(1 + 0.5, 12);
    // The text part's weight moves people with text alone below people with topic alone.
    expect(order(combineCandidates([{ userId: 1, topic: 1 }], [{ userId: 2, rank: 0, weight: 1 }], { ...settings, similarityWeight: 0.5 }))).toEqual([1, 2]);
  });

  test("the recent part scales the relevance, floored, and brings in people answering lately", () => {
    const topics = [
      { userId: 1, topic: 10 },
      { userId: 2, topic: 4 },
    ];
    const recent = [
      { userId: 1, recent: 0.5 },
      { userId: 2, recent: 5 },
      { userId: 3, recent: 4 },
    ];
    const list = combineCandidates(topics, [], settings, recent);
    // 2: (1 + 0.4) × 1 = 1.4; 3: 1 × (0.1 + 0.9 × 0.8) = 0.82; 1: 2 × (0.1 + 0.9 × 0.1) = 0.38.
    expect(order(list)).toEqual([2, 3, 1]);
    expect(list.map((c) => c.value)).toEqual([1.4, expect.closeTo(0.82, 12), expect.closeTo(0.38, 12)]);
    // Someone quiet for long keeps the floor's share, so the best expert still ranks when nobody is around.
    const quiet = combineCandidates([{ userId: 7, topic: 3 }], [], settings, [{ userId: 8, recent: 0 }]);
    expect(quiet).toEqual([{ userId: 7, topic: 3, text: 0, recent: 0, value: 2 * settings.recentFloor }]);
    // A floor of 1 turns the recent part off: the order of the relevance alone.
    expect(order(combineCandidates(topics, [], { ...settings, recentFloor: 1 }, recent))).toEqual([1, 2, 3]);
  });

  test("settings saved before the recent part existed read with its defaults", () => {
    const { recentHalfLifeDays: _h, recentFloor: _f, ...old } = DEFAULT_EXPERTISE_SETTINGS;
    const saved: ExpertiseSettings = old;
    expect(withDefaults(saved)).toEqual(DEFAULT_EXPERTISE_SETTINGS);
    expect(combineCandidates([{ userId: 1, topic: 1 }], [], saved, [{ userId: 2, recent: 1 }]).map((c) => c.userId)).toEqual([2, 1]);
  });
});

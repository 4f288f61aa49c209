import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { placeOf } from "#app/features/expertise/evaluate.server.ts";
import { formatReport, main } from "#db/experts-evaluate.ts";
import { importStackExchange } from "#import/stackexchange/importer.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { setupTestDb, testMeili } from "#tests/db.ts";
import { createSpace } from "#tests/factories/index.ts";

/**
 * `npm run experts:evaluate` on the beer.stackexchange.com dump (docs/expertise-evaluation.md):
 * the protocol reproduces the baselines, and the model beats them by the target.
 */

const FIXTURE = fileURLToPath(new URL("../fixtures/stackexchange-beer/", import.meta.url));

const t = setupTestDb();

type Report = {
  questions: number;
  history: number;
  test: number;
  withHistory: number;
  reachable: number;
  coverage: number;
  model: { mrr: number; p1: number; hit5: number };
  reputation: { mrr: number; p1: number; hit5: number };
  perTag: { mrr: number; p1: number; hit5: number };
  perQuestion: unknown[];
};

/** Runs the command as a person would, returning its exit code, what it printed and its complaints. */
async function run(args: string[]) {
  let printed = "";
  const errors: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void errors.push(parts.join(" ")));
  try {
    const code = await main(args, (text) => void (printed += text));
    return { code, printed, errors: errors.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

describe("experts:evaluate on the beer dump", () => {
  beforeAll(async () => {
    const { url, key } = testMeili();
    process.env.MEILI_URL = url;
    process.env.MEILI_MASTER_KEY = key;
    await createSpace(t.db, { slug: "beer", name: "Beer" });
    await importStackExchange(t.db, { folder: FIXTURE, space: "beer", output: null });
  }, 240_000);

  test("reproduces the issue's protocol and baselines, and the model reaches the target; nothing is left behind", async () => {
    const before = await t.db.execute(sql`select (select count(*) from posts)::int as posts, (select count(*) from users)::int as users`);
    // No --space: the latest imported site.
    const { code, printed } = await run(["--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(printed) as Report;

    // 591 questions, the first 80% (472) history; 59 later questions with an answer accepted from someone else.
    expect(report).toMatchObject({ questions: 591, history: 472, test: 59, withHistory: 33 });
    expect(report.perQuestion).toHaveLength(59);
    // The figures, to three decimals.
    expect(report.reputation.mrr.toFixed(3)).toBe("0.046");
    expect(report.perTag.mrr.toFixed(3)).toBe("0.093");
    expect(report.coverage.toFixed(3)).toBe((33 / 59).toFixed(3));

    // The target, and better than both baselines on every measure.
    expect(report.model.mrr).toBeGreaterThanOrEqual(0.3);
    for (const baseline of [report.reputation, report.perTag]) {
      expect(report.model.mrr).toBeGreaterThan(baseline.mrr);
      expect(report.model.p1).toBeGreaterThan(baseline.p1);
      expect(report.model.hit5).toBeGreaterThan(baseline.hit5);
    }

    // The temporary index is gone, and the evaluation wrote nothing.
    const { url, key } = testMeili();
    const { results } = await createMeiliClient(url, key).getIndexes({ limit: 1000 });
    expect(results.filter((i) => i.uid.includes("expertise_evaluation"))).toEqual([]);
    expect(await t.db.execute(sql`select (select count(*) from posts)::int as posts, (select count(*) from users)::int as users`)).toEqual(before);

    // The table a person reads has the three rankers and the counts.
    const table = formatReport({ ...(report as unknown as Parameters<typeof formatReport>[0]), splitAt: new Date("2016-02-19T22:46:44Z"), space: { slug: "beer", name: "Beer" } });
    expect(table).toMatch(/33 of 59 gold answerers \(55\.9%\) had answered during the history/);
    expect(table).toMatch(/^reputation\s+0\.046\s/m);
    expect(table).toMatch(/^per-tag answers\s+0\.093\s/m);
  }, 120_000);

  test("bad arguments and a missing space answer exit code 2 with a message", async () => {
    expect(await run(["--space", "brewing"])).toMatchObject({ code: 2, errors: 'There is no space "brewing".' });
    expect((await run(["--split", "1.5"])).code).toBe(2);
    expect((await run(["--split", "most"])).code).toBe(2);
    expect(await run(["--frobnicate"])).toMatchObject({ code: 2, errors: expect.stringMatching(/usage: npm run experts:evaluate/) });
  });

  test("ties are neither won nor lost: the expected place over a random order of equals", () => {
    const scores = new Map([
      [1, 5],
      [2, 3],
      [3, 3],
      [4, 3],
      [5, 0],
    ]);
    // Gold 2 shares places 2 to 4 with two others.
    expect(placeOf(scores, 2)).toEqual({ rr: (1 / 2 + 1 / 3 + 1 / 4) / 3, p1: 0, hit5: 1 });
    expect(placeOf(scores, 1)).toEqual({ rr: 1, p1: 1, hit5: 1 });
    // Not ranked at all: a value of zero, or absent.
    expect(placeOf(scores, 5)).toEqual({ rr: 0, p1: 0, hit5: 0 });
    expect(placeOf(scores, 9)).toEqual({ rr: 0, p1: 0, hit5: 0 });
    expect(
      placeOf(
        new Map([
          [1, 2],
          [2, 2],
        ]),
        1,
      ),
    ).toEqual({ rr: 0.75, p1: 0.5, hit5: 1 });
  });
});

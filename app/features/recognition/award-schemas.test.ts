import { describe, expect, test } from "vitest";
import { awardPhase, BallotSchema, rankResults, RoundSchema, stepsFrom } from "./award-schemas.ts";

const HOUR = 3600 * 1000;
const at = (hours: number) => new Date(Date.UTC(2026, 5, 1) + hours * HOUR);
const dates = { nominationsOpenAt: at(0), nominationsCloseAt: at(10), votingOpenAt: at(20), votingCloseAt: at(30), resultsAt: at(40) };

describe("a round's phase follows from its dates", () => {
  test("each phase starts at its date, and the gap before voting is the shortlist only where the round has one", () => {
    const round = { ...dates, shortlist: false };
    expect([-1, 0, 9.9, 10, 19.9, 20, 29.9, 30, 39.9, 40, 1000].map((h) => awardPhase(round, at(h)))).toEqual([
      "upcoming",
      "nominating",
      "nominating",
      "between",
      "between",
      "voting",
      "voting",
      "counting",
      "counting",
      "results",
      "results",
    ]);
    expect(awardPhase({ ...round, shortlist: true }, at(15))).toBe("shortlisting");
    // Dates moved to one moment skip the phases between them.
    expect(awardPhase({ ...round, votingCloseAt: at(5), resultsAt: at(5), votingOpenAt: at(5), nominationsCloseAt: at(5) }, at(5))).toBe("results");
  });

  test("HR's steps: from each phase, only the ones that move it forward", () => {
    expect(stepsFrom("upcoming")).toEqual(["open-nominations"]);
    expect(stepsFrom("nominating")).toEqual(["close-nominations", "open-voting"]);
    expect(stepsFrom("shortlisting")).toEqual(["open-voting"]);
    expect(stepsFrom("counting")).toEqual(["publish"]);
    expect(stepsFrom("results")).toEqual([]);
  });
});

describe("results", () => {
  test("ties share a place, and a tie for the last winning place makes one more winner; no votes, no winner", () => {
    const ranked = rankResults(
      [
        { nomineeId: 1, name: "Ada", votes: 3 },
        { nomineeId: 2, name: "Bo", votes: 5 },
        { nomineeId: 3, name: "Cy", votes: 3 },
        { nomineeId: 4, name: "Di", votes: 0 },
      ],
      2,
    );
    expect(ranked.map((r) => [r.name, r.place, r.winner])).toEqual([
      ["Bo", 1, true],
      ["Ada", 2, true],
      ["Cy", 2, true],
      ["Di", 4, false],
    ]);
    expect(rankResults([{ nomineeId: 1, name: "Ada", votes: 0 }], 1)[0]!.winner).toBe(false);
  });
});

describe("the forms", () => {
  const fields = {
    title: "Talent show",
    description: "Show us what you can do.",
    nomineeScope: "everyone",
    votesPerVoter: "1",
    winnerCount: "1",
    nominationsOpenAt: "2026-06-01T09:00",
    nominationsCloseAt: "2026-06-08T09:00",
    votingOpenAt: "2026-06-08T09:00",
    votingCloseAt: "2026-06-15T09:00",
    resultsAt: "2026-06-15T09:00",
  };

  test("dates are read as UTC and must follow each other, each message on its field", () => {
    const parsed = RoundSchema.parse(fields);
    expect(parsed.nominationsOpenAt.toISOString()).toBe("2026-06-01T09:00:00.000Z");
    expect(parsed.selfNomination).toBe(false);
    const bad = RoundSchema.safeParse({ ...fields, votingOpenAt: "2026-06-02T09:00", resultsAt: "2026-06-14T09:00", nomineeScope: "department" });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["votingOpenAt", "resultsAt", "nomineeDepartment"]));
    expect(RoundSchema.safeParse({ ...fields, votesPerVoter: "11" }).success).toBe(false);
  });

  test("a ballot is one choice or several, as ids; none is refused", () => {
    expect(BallotSchema.parse({ choice: "12" }).choice).toEqual([12]);
    expect(BallotSchema.parse({ choice: ["12", "13"] }).choice).toEqual([12, 13]);
    expect(BallotSchema.safeParse({}).success).toBe(false);
    expect(BallotSchema.safeParse({ choice: "drop table" }).success).toBe(false);
  });
});

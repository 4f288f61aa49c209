import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { awardBallots, awardNominations, awardRounds, awardTallies, notifications } from "#db/schema/index.ts";
import type { RoundInput } from "#app/features/recognition/award-schemas.ts";
import {
  announceDueRounds,
  castBallot,
  createRound,
  editRound,
  movePhase,
  nominate,
  removeNomination,
  roundPage,
  roundResults,
  setShortlist,
  withdrawNomination,
} from "#app/features/recognition/awards.server.ts";
import { kindDefinition, loadItem } from "#app/features/social/kinds.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, thrown } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";

/**
 * Award rounds' rules against a real database: phases and HR's moves, who may be nominated and by
 * whom, the ballot (never for oneself, once per person under concurrency, secret at the database
 * level), tallies hidden until the results date (HR included), and results announced once.
 */
const t = setupTestDb();

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
type User = Awaited<ReturnType<typeof createUser>>;

/** A round whose nominations opened an hour before `t0`, voting a day after, results two days after voting opens. */
function roundInput(t0: Date, attrs: Partial<RoundInput> = {}): RoundInput {
  const at = (ms: number) => new Date(t0.getTime() + ms);
  return {
    title: `Talent show ${Math.random().toString(36).slice(2, 8)}`,
    description: "Who made the biggest difference this year?",
    reward: "A trip to the offsite",
    nomineeScope: "everyone",
    nomineeDepartment: "",
    selfNomination: false,
    shortlist: false,
    votesPerVoter: 1,
    winnerCount: 1,
    jurors: [],
    nominationsOpenAt: at(-HOUR),
    nominationsCloseAt: at(DAY),
    votingOpenAt: at(DAY),
    votingCloseAt: at(2 * DAY),
    resultsAt: at(3 * DAY),
    submissionKey: undefined,
    ...attrs,
  };
}

const handle = (u: User) => u.email.split("@")[0]!;
const statement = (who: string) => `${who} rewrote the onboarding guide and every new hire since has thanked them.`;

async function stored(db: Db, roundId: number) {
  const [row] = await db.select().from(awardRounds).where(eq(awardRounds.id, roundId));
  return row!;
}

async function tallySum(db: Db, roundId: number): Promise<number> {
  const [row] = await db.execute<{ sum: number | null }>(sql`select sum(votes)::int as sum from award_tallies where round_id = ${roundId}`);
  return Number(row?.sum ?? 0);
}

/** A round in its voting phase (at `voting`) with `nominees` nominated by `by`. */
async function votingRound(hr: User, by: User, nominees: User[], attrs: Partial<RoundInput> = {}) {
  const t0 = new Date();
  const { id } = await createRound(t.db, hr, roundInput(t0, attrs), t0);
  for (const n of nominees) await nominate(t.db, by, id, { nominee: handle(n), statement: statement(n.name), submissionKey: undefined }, t0);
  return { id, t0, voting: new Date(t0.getTime() + DAY + HOUR), counting: new Date(t0.getTime() + 2 * DAY + HOUR), results: new Date(t0.getTime() + 3 * DAY + HOUR) };
}

describe("running a round", () => {
  test("only HR and admins create a round; HR's moves set dates to now and keep them in order; a member may not move it", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const admin = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db);
    const nominee = await createUser(t.db);
    const now = new Date();
    expect(await thrown(createRound(t.db, member, roundInput(now), now))).toBeInstanceOf(ForbiddenError);
    const { id } = await createRound(t.db, admin, roundInput(now, { nominationsOpenAt: new Date(now.getTime() + HOUR) }), now);
    expect(await t.db.$count(awardRounds, eq(awardRounds.id, id))).toBe(1);

    expect(await thrown(movePhase(t.db, member, id, "open-nominations", now))).toBeInstanceOf(ForbiddenError);
    expect(await movePhase(t.db, hr, id, "open-nominations", now)).toEqual({ phase: "nominating" });
    // Voting needs someone on the ballot.
    expect((await rejects(movePhase(t.db, hr, id, "open-voting", now))).message).toMatch(/No one has been nominated/);
    await nominate(t.db, member, id, { nominee: handle(nominee), statement: statement("They"), submissionKey: undefined }, now);
    const later = new Date(now.getTime() + 60_000);
    expect(await movePhase(t.db, hr, id, "open-voting", later)).toEqual({ phase: "voting" });
    const round = await stored(t.db, id);
    expect(round.nominationsCloseAt).toEqual(later);
    expect(round.votingOpenAt).toEqual(later);
    // A step the round has passed is refused with a message, not a 500.
    expect((await rejects(movePhase(t.db, hr, id, "close-nominations", later))).message).toMatch(/moved on/);
    const end = new Date(later.getTime() + 60_000);
    expect(await movePhase(t.db, hr, id, "publish", end)).toEqual({ phase: "results" });
    const done = await stored(t.db, id);
    expect([done.votingCloseAt, done.resultsAt, done.announcedAt]).toEqual([end, end, end]);
    // The nominee heard it at once, from no one.
    const told = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, nominee.id), eq(notifications.kind, "award")));
    expect(told.map((n) => n.actorId)).toEqual(expect.arrayContaining([member.id, null]));
  });

  test("once voting has started, the ballot's rules and past dates can't change; the texts can", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const member = await createUser(t.db);
    const { id, t0, voting } = await votingRound(hr, member, [await createUser(t.db)]);
    const base = roundInput(t0);
    const round = await stored(t.db, id);
    const edit = { ...base, title: "Talent show, renamed", votingOpenAt: round.votingOpenAt, nominationsOpenAt: round.nominationsOpenAt, nominationsCloseAt: round.nominationsCloseAt };
    const refused = await rejects(editRound(t.db, hr, id, { ...edit, votesPerVoter: 3 }, voting));
    expect(refused.fieldErrors.votesPerVoter).toMatch(/Voting has started/);
    expect((await rejects(editRound(t.db, hr, id, { ...edit, votingOpenAt: new Date(voting.getTime() + HOUR) }, voting))).fieldErrors.votingOpenAt).toBeDefined();
    await editRound(t.db, hr, id, edit, voting);
    expect((await stored(t.db, id)).title).toBe("Talent show, renamed");
    expect(await thrown(editRound(t.db, member, id, edit, voting))).toBeInstanceOf(ForbiddenError);
  });
});

describe("nominations", () => {
  test("who may be nominated: active employees, of the round's department, oneself only where allowed, once per nominator", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const nominator = await createUser(t.db, { department: "Support" });
    const colleague = await createUser(t.db, { department: "Support" });
    const elsewhere = await createUser(t.db, { department: "Sales" });
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, { department: "Support" }, "deactivated");
    const now = new Date();
    const { id } = await createRound(t.db, hr, roundInput(now, { nomineeScope: "department", nomineeDepartment: "support" }), now);
    const nominateAs = (who: User, nominee: string) => nominate(t.db, who, id, { nominee, statement: statement("They"), submissionKey: undefined }, now);

    expect((await rejects(nominateAs(nominator, handle(customer)))).fieldErrors.nominee).toMatch(/No one active/);
    expect((await rejects(nominateAs(nominator, handle(gone)))).fieldErrors.nominee).toMatch(/No one active/);
    expect((await rejects(nominateAs(nominator, handle(elsewhere)))).fieldErrors.nominee).toMatch(/for people in support/);
    expect((await rejects(nominateAs(nominator, handle(nominator)))).fieldErrors.nominee).toMatch(/self-nominations/);
    const first = await nominateAs(nominator, `@${handle(colleague)}`);
    expect(first.created).toBe(true);
    expect((await rejects(nominateAs(nominator, handle(colleague)))).fieldErrors.nominee).toMatch(/already nominated/);
    // The same form sent twice finds the first nomination.
    const key = "a-submission-key-1";
    const again = await nominate(t.db, colleague, id, { nominee: handle(nominator), statement: statement("They"), submissionKey: key }, now);
    expect(await nominate(t.db, colleague, id, { nominee: handle(nominator), statement: statement("They"), submissionKey: key }, now)).toEqual({ id: again.id, created: false });
    expect((await stored(t.db, id)).nominationCount).toBe(2);
    // The nominee is told, with the nominator named.
    const [told] = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, colleague.id), eq(notifications.kind, "award")));
    expect(told).toMatchObject({ actorId: nominator.id });

    // Withdrawn, it can be made again; after nominations close, neither.
    await withdrawNomination(t.db, nominator, first.id, { now });
    expect((await stored(t.db, id)).nominationCount).toBe(1);
    expect((await nominateAs(nominator, handle(colleague))).id).toBe(first.id);
    const closed = new Date(now.getTime() + DAY + 1);
    expect((await rejects(nominate(t.db, nominator, id, { nominee: handle(colleague), statement: statement("They"), submissionKey: undefined }, closed))).message).toMatch(/closed/);
  });

  test("self-nomination where the round allows it", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const me = await createUser(t.db);
    const now = new Date();
    const { id } = await createRound(t.db, hr, roundInput(now, { selfNomination: true }), now);
    expect((await nominate(t.db, me, id, { nominee: handle(me), statement: statement("I"), submissionKey: undefined }, now)).created).toBe(true);
  });

  test("the shortlist: HR and the jury tick who goes on the ballot before voting; others may not; only the shortlisted can be voted for", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const juror = await createUser(t.db);
    const member = await createUser(t.db);
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const { id, t0, voting } = await votingRound(hr, member, [a, b], { shortlist: true, jurors: [handle(juror)] });
    expect(await thrown(setShortlist(t.db, member, id, [a.id], t0))).toBeInstanceOf(ForbiddenError);
    await setShortlist(t.db, juror, id, [a.id], t0);
    expect(await thrown(setShortlist(t.db, hr, id, [a.id, member.id], t0))).toBeInstanceOf(InputError);
    const page = await roundPage(t.db, member, id, t0);
    expect(page.candidates.map((c) => c.id)).toEqual([a.id]);
    expect((await rejects(castBallot(t.db, juror, id, [b.id], voting))).fieldErrors.choice).toMatch(/not on the ballot/);
    await castBallot(t.db, juror, id, [a.id], voting);
    expect((await rejects(setShortlist(t.db, hr, id, [a.id, b.id], voting))).message).toMatch(/final/);
  });

  test("from voting on, a nomination that alone puts its nominee on the ballot can't be removed; one of two can", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const [x, y] = [await createUser(t.db), await createUser(t.db)];
    const nominee = await createUser(t.db);
    const { id, t0, voting } = await votingRound(hr, x, [nominee]);
    const second = await nominate(t.db, y, id, { nominee: handle(nominee), statement: statement("They"), submissionKey: undefined }, t0);
    const [first] = await t.db
      .select()
      .from(awardNominations)
      .where(and(eq(awardNominations.roundId, id), eq(awardNominations.nominatorId, x.id)));
    expect(await thrown(removeNomination(t.db, x, { nominationId: second.id }, { now: voting }))).toBeInstanceOf(ForbiddenError);
    expect(await removeNomination(t.db, hr, { nominationId: second.id }, { now: voting })).toEqual({ changed: true, roundId: id });
    expect((await rejects(removeNomination(t.db, hr, { nominationId: first!.id }, { now: voting }))).message).toMatch(/on the ballot/);
    // The moderation queue's delete of a flagged nomination is this removal, through the kind.
    const third = await nominate(t.db, hr, id, { nominee: handle(nominee), statement: statement("They"), submissionKey: undefined }, t0);
    const [row] = await t.db.select({ itemId: awardNominations.itemId }).from(awardNominations).where(eq(awardNominations.id, third.id));
    expect(await kindDefinition("award_nomination").remove!(t.db, { ...hr, reputation: 0 }, row!.itemId)).toEqual({ changed: true });
    expect(await thrown(loadItem(t.db, x, row!.itemId))).toBeInstanceOf(NotFoundError);
  });
});

describe("ballots", () => {
  test("nobody votes for themselves, twice for one person, for more people than the round allows, or outside voting", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const nominator = await createUser(t.db);
    const [a, b, c] = [await createUser(t.db), await createUser(t.db), await createUser(t.db)];
    const { id, t0, voting, counting } = await votingRound(hr, nominator, [a, b, c], { votesPerVoter: 2 });
    expect((await rejects(castBallot(t.db, a, id, [a.id], voting))).fieldErrors.choice).toBe("You can't vote for yourself.");
    expect((await rejects(castBallot(t.db, a, id, [b.id, a.id], voting))).fieldErrors.choice).toBe("You can't vote for yourself.");
    expect((await rejects(castBallot(t.db, a, id, [b.id, b.id], voting))).fieldErrors.choice).toMatch(/same person twice/);
    expect((await rejects(castBallot(t.db, a, id, [b.id, c.id, nominator.id], voting))).fieldErrors.choice).toMatch(/at most 2/);
    expect((await rejects(castBallot(t.db, a, id, [b.id], t0))).message).toMatch(/not opened/);
    expect((await rejects(castBallot(t.db, a, id, [b.id], counting))).message).toMatch(/closed/);
    // Nothing was written by any of them.
    expect(await t.db.$count(awardBallots, eq(awardBallots.roundId, id))).toBe(0);
    expect(await tallySum(t.db, id)).toBe(0);
    // The ballot page does not offer the voter themselves.
    await castBallot(t.db, a, id, [b.id, c.id], voting);
    expect(await tallySum(t.db, id)).toBe(2);
  });

  test("30 ballots from one person at once: exactly one counts", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const voter = await createUser(t.db);
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const { id, voting } = await votingRound(hr, hr, [a, b]);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => castBallot(t.db, voter, id, [i % 2 ? a.id : b.id], voting)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refusals = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
    expect(refusals.every((e) => e instanceof InputError && e.message === "You have already voted in this round.")).toBe(true);
    expect((await stored(t.db, id)).ballotCount).toBe(1);
    expect(await t.db.$count(awardBallots, eq(awardBallots.roundId, id))).toBe(1);
    expect(await tallySum(t.db, id)).toBe(1);
  });

  test("30 people voting at once, two votes each: 30 ballots and 60 votes", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const [a, b, c] = [await createUser(t.db), await createUser(t.db), await createUser(t.db)];
    const { id, voting } = await votingRound(hr, hr, [a, b, c], { votesPerVoter: 2 });
    const voters = await Promise.all(Array.from({ length: 30 }, () => createUser(t.db)));
    const picks = [
      [a.id, b.id],
      [b.id, c.id],
      [c.id, a.id],
    ];
    await Promise.all(voters.map((v, i) => castBallot(t.db, v, id, picks[i % 3]!, voting)));
    expect((await stored(t.db, id)).ballotCount).toBe(30);
    expect(await t.db.$count(awardBallots, eq(awardBallots.roundId, id))).toBe(30);
    expect(await tallySum(t.db, id)).toBe(60);
    const tallies = await t.db.select({ nomineeId: awardTallies.nomineeId, votes: awardTallies.votes }).from(awardTallies).where(eq(awardTallies.roundId, id));
    expect(tallies.map((r) => r.votes)).toEqual([20, 20, 20]);
  });
});

describe("ballot secrecy at the database level", () => {
  test("nothing in the schema joins a voter to a choice: ballots hold round and voter only, tallies no voter, and only nominations name two people", async () => {
    const columns = await t.db.execute<{ table_name: string; column_name: string }>(sql`
      select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`);
    const columnsOf = (table: string) => columns.filter((c) => c.table_name === table).map((c) => c.column_name);
    expect(columnsOf("award_ballots")).toEqual(["round_id", "voter_id"]);
    expect(columnsOf("award_tallies")).toEqual(["round_id", "nominee_id", "votes"]);

    // Every foreign key: which column of which table refers to which table.
    const keys = await t.db.execute<{ table_name: string; column_name: string; target: string }>(sql`
      select c.conrelid::regclass::text as table_name, a.attname as column_name, c.confrelid::regclass::text as target
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace`);
    const userColumns = (table: string) => keys.filter((k) => k.table_name === table && k.target === "users").map((k) => k.column_name);
    // A column that names a choice: a nominee, or a nomination (which names its nominee).
    const choiceColumns = (table: string) =>
      keys.filter((k) => k.table_name === table && (k.target === "award_nominations" || (k.target === "users" && /nominee|choice|candidate/.test(k.column_name)))).map((k) => k.column_name);
    const tables = [...new Set(columns.map((c) => c.table_name))];
    const joining = tables.filter((table) => {
      const choices = choiceColumns(table);
      return choices.length > 0 && userColumns(table).some((c) => !choices.includes(c));
    });
    // A nomination names its nominator and its nominee: public by design, and no vote.
    expect(joining).toEqual(["award_nominations"]);
    expect(userColumns("award_tallies")).toEqual(["nominee_id"]);
    expect(userColumns("award_ballots")).toEqual(["voter_id"]);
  });

  test("casting a ballot changes the ballots, the tallies and the round's count, and no other row anywhere", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const voter = await createUser(t.db);
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const { id, voting } = await votingRound(hr, hr, [a, b]);
    const tables = (
      await t.db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
    ).map((r) => r.table_name);
    // Each table's whole content as one fingerprint.
    const fingerprint = async () => {
      const prints = new Map<string, string>();
      for (const table of tables) {
        const [row] = await t.db.execute<{ print: string | null }>(sql`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as print from ${sql.identifier(table)} x`);
        prints.set(table, row!.print ?? "");
      }
      return prints;
    };
    const before = await fingerprint();
    const roundBefore = await stored(t.db, id);
    await castBallot(t.db, voter, id, [a.id], voting);
    const after = await fingerprint();
    const changed = tables.filter((table) => before.get(table) !== after.get(table));
    expect(changed.sort()).toEqual(["award_ballots", "award_rounds", "award_tallies"]);
    // The round moved its count only: not even its updated_at records when the last ballot came.
    const round = await stored(t.db, id);
    expect(round.ballotCount).toBe(roundBefore.ballotCount + 1);
    expect(round.updatedAt).toEqual(roundBefore.updatedAt);
  });
});

describe("results", () => {
  test("tallies are hidden from everyone, HR and admins included, until the results date; then the page shows votes, winners and participation", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const admin = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db);
    const [a, b] = [await createUser(t.db, { name: "Ada Winner" }), await createUser(t.db, { name: "Bo Second" })];
    const { id, voting, counting, results } = await votingRound(hr, member, [a, b]);
    await castBallot(t.db, member, id, [a.id], voting);
    await castBallot(t.db, hr, id, [a.id], voting);
    await castBallot(t.db, admin, id, [b.id], voting);
    for (const when of [voting, counting]) {
      for (const who of [hr, admin, member]) {
        const page = await roundPage(t.db, who, id, when);
        expect(page.results).toBeNull();
        // Nothing else in the page carries a count of votes for anyone.
        expect(JSON.stringify(page)).not.toMatch(/"votes"/);
        expect(page.participation.ballots).toBe(3);
      }
      expect(await roundResults(t.db, await stored(t.db, id), when)).toBeNull();
    }
    const page = await roundPage(t.db, member, id, results);
    expect(page.results!.winners.map((w) => [w.name, w.votes])).toEqual([["Ada Winner", 2]]);
    expect(page.results!.tallies.map((r) => [r.name, r.votes, r.place])).toEqual([
      ["Ada Winner", 2, 1],
      ["Bo Second", 1, 2],
    ]);
    expect(page.participation.eligible).toBeGreaterThanOrEqual(3);
  });

  test("results are announced once, to every nominee, even when two instances run the job at once", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const member = await createUser(t.db);
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const { id, results } = await votingRound(hr, member, [a, b]);
    const [first, second] = await Promise.all([announceDueRounds(t.db, results), announceDueRounds(t.db, results)]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect((await stored(t.db, id)).announcedAt).toEqual(results);
    expect(await announceDueRounds(t.db, results)).toBe(0);
    for (const nominee of [a, b]) {
      const told = await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, nominee.id), eq(notifications.kind, "award"), sql`${notifications.actorId} is null`));
      expect(told).toHaveLength(1);
    }
  });
});

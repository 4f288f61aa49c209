import type postgres from "postgres";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { SEED_REWARDS, SEED_VALUES } from "../seed-recognition.ts";
import { CopyTable } from "./copy.ts";
import type { Person } from "./company.ts";
import { weighted } from "./company.ts";
import { between, drawPeople, type Rng } from "./random.ts";

/**
 * A generated company's recognition (issue 17), written with COPY after its knowledge: the
 * company values, a year of kudos (one per four questions; some to several people, some on an
 * answer, a page or an idea, a few private, some with colleagues' points added and "+1"s), the
 * allowance months they were given from (within the default 100 points, each finished month's
 * unused points lapsed), the ledger entries of every movement, a rewards catalogue with
 * fulfilled redemptions, and one finished award round with its nominations, who voted and the
 * tallies. Balances are derived from the ledger afterwards, as the features keep them; badges are
 * granted by the badge job after the transaction.
 */

export const kudosCount = (questions: number) => Math.max(200, Math.round(questions / 4));

const DAY = 86_400_000;
const ALLOWANCE = 100;
const POINTS: ReadonlyArray<[number, number]> = [
  [5, 0.15],
  [10, 0.35],
  [20, 0.25],
  [25, 0.1],
  [50, 0.15],
];
const MESSAGES = [
  "Thank you for {what}. It made a real difference to the team this week.",
  "Huge thanks for {what}. Exactly the kind of help that makes this place work.",
  "{what} saved me hours. Thank you!",
  "Thanks for {what}, and for explaining it so clearly.",
  "Really appreciated {what}. Customers noticed too.",
  "Shout-out for {what}: calm, thorough and on time.",
];
const WHAT = [
  "the quick review",
  "the write-up on the incident",
  "covering my on-call shift",
  "pairing on the migration",
  "the onboarding session",
  "untangling the billing question",
  "the answer about the deployment pipeline",
  "keeping the release on track",
  "the customer call last night",
  "the clear runbook",
  "mentoring the new joiners",
  "the dashboard that finally shows what we need",
];

/** Something a kudos can thank: an item, its author and its space (index into SPACES). */
export type Thankable = { itemId: number; authorId: number; space: number; at: number };

export type RecognitionInputs = {
  rng: Rng;
  questions: number;
  first: number;
  latest: number;
  people: readonly Person[];
  /** Per space: who may take part there, most active first. */
  pools: number[][];
  writerRank: Array<(rng: Rng) => number>;
  /** Answers, pages and ideas to thank, newest last. */
  thankables: Thankable[];
  ids: { user: (p: number) => number; space: (s: number) => number; companySpace: number; firstItem: number };
};

export type RecognitionCounts = { kudos: number; kudosGifts: number; redemptions: number; nominations: number; ballots: number };

export function makeRecognitionTables() {
  return {
    space: new CopyTable("spaces", ["id", "slug", "name", "description", "visibility", "company_wide", "created_at", "updated_at"]),
    values: new CopyTable("company_values", ["id", "name", "emoji", "description", "position", "created_at", "updated_at"]),
    items: new CopyTable("items", ["id", "kind", "space_id", "created_at"]),
    kudos: new CopyTable("kudos", [
      "id",
      "item_id",
      "space_id",
      "giver_id",
      "value_id",
      "message",
      "message_html",
      "subject_item_id",
      "private",
      "points_each",
      "total_points",
      "receiver_count",
      "add_on_count",
      "plus_one_count",
      "created_at",
      "updated_at",
    ]),
    receivers: new CopyTable("kudos_receivers", ["kudos_id", "user_id", "created_at"]),
    gifts: new CopyTable("kudos_gifts", ["id", "kudos_id", "giver_id", "points_each", "created_at"]),
    ledger: new CopyTable("kudos_ledger", ["user_id", "account", "entry", "points", "period", "kudos_id", "gift_id", "redemption_id", "actor_id", "note", "created_at"]),
    periods: new CopyTable("kudos_allowance_periods", ["user_id", "period", "granted", "spent", "lapsed_at"]),
    votes: new CopyTable("votes", ["item_id", "user_id", "value", "created_at", "updated_at"]),
    notifications: new CopyTable("notifications", ["user_id", "kind", "actor_id", "space_id", "item_id", "read_at", "created_at"]),
    rewards: new CopyTable("rewards", ["id", "item_id", "space_id", "name", "description", "cost", "stock", "created_by_id", "created_at", "updated_at"]),
    redemptions: new CopyTable("reward_redemptions", [
      "id",
      "reward_id",
      "user_id",
      "cost",
      "status",
      "note",
      "handled_by_id",
      "approved_at",
      "fulfilled_at",
      "closed_at",
      "created_at",
      "updated_at",
    ]),
    rounds: new CopyTable("award_rounds", [
      "id",
      "item_id",
      "space_id",
      "title",
      "description",
      "description_html",
      "reward",
      "nominations_open_at",
      "nominations_close_at",
      "voting_open_at",
      "voting_close_at",
      "results_at",
      "announced_at",
      "nomination_count",
      "ballot_count",
      "created_by_id",
      "created_at",
      "updated_at",
    ]),
    nominations: new CopyTable("award_nominations", ["id", "item_id", "space_id", "round_id", "nominee_id", "nominator_id", "statement", "statement_html", "created_at", "updated_at"]),
    ballots: new CopyTable("award_ballots", ["round_id", "voter_id"]),
    tallies: new CopyTable("award_tallies", ["round_id", "nominee_id", "votes"]),
  };
}

export type RecognitionTables = ReturnType<typeof makeRecognitionTables>;

/** The messages come from a few templates: each is rendered by the markdown module once. */
const rendered = new Map<string, string>();
function html(text: string): string {
  let out = rendered.get(text);
  if (out === undefined) rendered.set(text, (out = renderMarkdown(text)));
  return out;
}

const monthOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-01`;
};

export function generateRecognition(input: RecognitionInputs): { tables: RecognitionTables; counts: RecognitionCounts } {
  const { rng, people, pools, writerRank, ids } = input;
  const t = makeRecognitionTables();
  const iso = (ms: number) => new Date(ms).toISOString();
  const user = ids.user;
  const start = Math.max(input.first, input.latest - 365 * DAY);
  const hr = people.find((p) => p.kind === "employee" && p.role === "hr") ?? people.find((p) => p.kind === "employee" && p.role === "admin")!;

  t.space.add(ids.companySpace, "company", "Company", "Recognition for the whole company: kudos, badges, rewards and awards.", "open", true, iso(start - DAY), iso(start - DAY));
  SEED_VALUES.forEach((v, i) => t.values.add(i + 1, v.name, v.emoji, v.description, i + 1, iso(start - DAY), iso(start - DAY)));
  const valueWeights = SEED_VALUES.map((_, i): [number, number] => [i + 1, [0.3, 0.25, 0.2, 0.15, 0.1][i]!]);

  let nextItem = ids.firstItem;
  const openPool = pools.reduce((a, b) => (b.length > a.length ? b : a), pools[0]!);
  const openRank = writerRank[pools.indexOf(openPool)]!;
  // Allowance months: spent per giver and month, and balances, to stay within the rules the features enforce.
  const spent = new Map<string, number>();
  const earned = new Map<number, number>();
  const monthKey = (giver: number, month: string) => `${giver}:${month}`;
  const spend = (giver: number, at: number, cost: number): string | null => {
    const month = monthOf(at);
    const key = monthKey(giver, month);
    const used = spent.get(key) ?? 0;
    if (used + cost > ALLOWANCE) return null;
    if (!spent.has(key)) t.ledger.add(user(giver), "allowance", "allowance_granted", ALLOWANCE, month, null, null, null, null, "", iso(at));
    spent.set(key, used + cost);
    return month;
  };

  const personByUserId = new Map(people.filter((p) => p.kind === "employee").map((p) => [user(p.index), p.index]));
  const total = kudosCount(input.questions);
  const thankables = input.thankables.filter((x) => x.at >= start);
  let kudosId = 0;
  let giftId = 0;
  for (let n = 0; n < total; n++) {
    const at = start + ((n + rng()) / total) * (input.latest - start);
    // Four in ten thank something: an answer, a page or an idea written before it, by someone in its space.
    let subject: Thankable | null = null;
    if (thankables.length > 0 && rng() < 0.4) {
      const candidate = thankables[Math.floor(rng() * thankables.length)]!;
      if (candidate.at < at) subject = candidate;
    }
    const spaceIndex = subject ? subject.space : -1;
    const pool = spaceIndex >= 0 ? pools[spaceIndex]! : openPool;
    const rank = spaceIndex >= 0 ? writerRank[spaceIndex]! : openRank;
    const giver = pool[rank(rng)]!;
    const receivers = subject ? [personByUserId.get(subject.authorId) ?? -1] : drawPeople(rng, pool, rank, rng() < 0.85 ? 1 : between(rng, 2, 4), giver);
    if (receivers.some((r) => r < 0 || r === giver) || receivers.length === 0) continue;
    const pointsEach = weighted(rng, POINTS);
    const month = spend(giver, at, pointsEach * receivers.length);
    if (month === null) continue;
    kudosId += 1;
    giftId += 1;
    const itemId = nextItem++;
    const space = spaceIndex >= 0 ? ids.space(spaceIndex) : ids.companySpace;
    const isPrivate = rng() < 0.05;
    const message = MESSAGES[Math.floor(rng() * MESSAGES.length)]!.replace("{what}", WHAT[Math.floor(rng() * WHAT.length)]!);
    // Colleagues add their own points to one kudos in ten (public ones), and +1 many.
    const addOns = isPrivate || rng() >= 0.1 ? [] : drawPeople(rng, pool, rank, between(rng, 1, 2), giver).filter((p) => !receivers.includes(p));
    const plusOnes = isPrivate ? [] : drawPeople(rng, pool, rank, Math.floor(rng() * rng() * 8), giver).filter((p) => !receivers.includes(p));
    let totalPoints = pointsEach * receivers.length;
    const gifts: Array<{ id: number; giver: number; points: number; at: number; month: string }> = [{ id: giftId, giver, points: pointsEach, at, month }];
    for (const adder of addOns) {
      const addAt = at + between(rng, 1, 48) * 3_600_000;
      if (addAt > input.latest) continue;
      const addMonth = spend(adder, addAt, 10 * receivers.length);
      if (addMonth === null) continue;
      giftId += 1;
      gifts.push({ id: giftId, giver: adder, points: 10, at: addAt, month: addMonth });
      totalPoints += 10 * receivers.length;
    }
    t.items.add(itemId, "kudos", space, iso(at));
    t.kudos.add(
      kudosId,
      itemId,
      space,
      user(giver),
      weighted(rng, valueWeights),
      message,
      html(message),
      subject?.itemId ?? null,
      isPrivate,
      pointsEach,
      totalPoints,
      receivers.length,
      gifts.length - 1,
      plusOnes.length,
      iso(at),
      iso(at),
    );
    for (const r of receivers) {
      t.receivers.add(kudosId, user(r), iso(at));
      const read = at < input.latest - 3 * DAY ? iso(at + DAY) : null;
      t.notifications.add(user(r), "kudos", user(giver), space, itemId, read, iso(at));
    }
    for (const g of gifts) {
      t.gifts.add(g.id, kudosId, user(g.giver), g.points, iso(g.at));
      t.ledger.add(user(g.giver), "allowance", "given", -g.points * receivers.length, g.month, kudosId, g.id, null, null, "", iso(g.at));
      for (const r of receivers) {
        t.ledger.add(user(r), "earned", "received", g.points, null, kudosId, g.id, null, user(g.giver), "", iso(g.at));
        earned.set(r, (earned.get(r) ?? 0) + g.points);
      }
    }
    for (const p of plusOnes) t.votes.add(itemId, user(p), 1, iso(at + DAY), iso(at + DAY));
  }

  // Allowance months: each one's row, and the unused points of every finished month lapsed.
  const thisMonth = monthOf(input.latest);
  for (const [key, used] of spent) {
    const [giver, month] = key.split(":") as [string, string];
    const finished = month < thisMonth;
    const monthEnd = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
    t.periods.add(user(Number(giver)), month, ALLOWANCE, used, finished ? iso(monthEnd + 3_600_000) : null);
    if (finished && used < ALLOWANCE)
      t.ledger.add(
        user(Number(giver)),
        "allowance",
        "allowance_lapsed",
        used - ALLOWANCE,
        month,
        null,
        null,
        null,
        null,
        "Unused points lapse at the end of the month.",
        iso(monthEnd + 3_600_000),
      );
  }

  // The catalogue, and what people with enough points redeemed (fulfilled by HR).
  const rewardIds: number[] = [];
  SEED_REWARDS.forEach((r, i) => {
    const itemId = nextItem++;
    t.items.add(itemId, "reward", ids.companySpace, iso(start));
    t.rewards.add(i + 1, itemId, ids.companySpace, r.name, r.description, r.cost, r.stock === null ? null : r.stock + 20, user(hr.index), iso(start), iso(start));
    rewardIds.push(i + 1);
  });
  let redemptionId = 0;
  for (const [person, balance] of earned) {
    let left = balance;
    for (const [i, r] of SEED_REWARDS.entries()) {
      if (left < r.cost || rng() >= 0.3) continue;
      redemptionId += 1;
      left -= r.cost;
      const at = input.latest - between(rng, 5, 60) * DAY;
      t.redemptions.add(redemptionId, rewardIds[i]!, user(person), r.cost, "fulfilled", "", user(hr.index), iso(at + DAY), iso(at + 3 * DAY), iso(at + 3 * DAY), iso(at), iso(at + 3 * DAY));
      t.ledger.add(user(person), "earned", "redeemed", -r.cost, null, null, null, redemptionId, null, "", iso(at));
    }
  }

  // One finished award round: nominations from around the company, about four in ten voted.
  const roundItem = nextItem++;
  const opens = input.latest - 60 * DAY;
  t.items.add(roundItem, "award_round", ids.companySpace, iso(opens - DAY));
  const nominees = drawPeople(rng, openPool, openRank, Math.min(12, Math.max(3, Math.floor(openPool.length / 50))), -1);
  const nominationRows: Array<{ nominee: number; nominator: number }> = [];
  for (const nominee of nominees) {
    for (const nominator of drawPeople(rng, openPool, openRank, between(rng, 1, 3), nominee)) nominationRows.push({ nominee, nominator });
  }
  const voters = openPool.filter(() => rng() < 0.4);
  const tally = new Map(nominees.map((n) => [n, 0]));
  for (const voter of voters) {
    const choices = nominees.filter((n) => n !== voter);
    const choice = choices[Math.floor(rng() * rng() * choices.length)];
    if (choice === undefined) continue;
    t.ballots.add(1, user(voter));
    tally.set(choice, tally.get(choice)! + 1);
  }
  const description = "For the colleague who made the biggest difference to our customers this half-year. Nominated by colleagues, chosen by everyone.";
  t.rounds.add(
    1,
    roundItem,
    ids.companySpace,
    "Customer Hero Award, H1",
    description,
    renderMarkdown(description),
    "A team dinner and two extra days off.",
    iso(opens),
    iso(opens + 14 * DAY),
    iso(opens + 15 * DAY),
    iso(opens + 29 * DAY),
    iso(opens + 30 * DAY),
    iso(opens + 30 * DAY),
    nominationRows.length,
    t.ballots.rows,
    user(hr.index),
    iso(opens - DAY),
    iso(opens + 30 * DAY),
  );
  nominationRows.forEach((row, i) => {
    const itemId = nextItem++;
    const at = opens + ((i + 1) / (nominationRows.length + 1)) * 14 * DAY;
    const statement = `${people[row.nominee]!.name} went out of their way for our customers again and again. ${MESSAGES[i % MESSAGES.length]!.replace("{what}", WHAT[i % WHAT.length]!)}`;
    t.items.add(itemId, "award_nomination", ids.companySpace, iso(at));
    t.nominations.add(i + 1, itemId, ids.companySpace, 1, user(row.nominee), user(row.nominator), statement, renderMarkdown(statement), iso(at), iso(at));
  });
  for (const [nominee, votes] of tally) t.tallies.add(1, user(nominee), votes);

  return {
    tables: t,
    counts: { kudos: kudosId, kudosGifts: giftId, redemptions: redemptionId, nominations: nominationRows.length, ballots: t.ballots.rows },
  };
}

/** Writes the tables (in foreign-key order) and derives what the features keep as they go: balances and sequences. */
export async function writeRecognitionTables(sql: postgres.TransactionSql, t: RecognitionTables): Promise<number> {
  let rows = 0;
  for (const table of [
    t.space,
    t.values,
    t.items,
    t.kudos,
    t.receivers,
    t.gifts,
    t.ledger,
    t.periods,
    t.votes,
    t.notifications,
    t.rewards,
    t.redemptions,
    t.rounds,
    t.nominations,
    t.ballots,
    t.tallies,
  ]) {
    rows += await table.write(sql);
  }
  await sql`
    insert into kudos_balances (user_id, earned, received_total)
    select user_id, sum(points)::int, coalesce(sum(points) filter (where entry = 'received'), 0)::int
    from kudos_ledger where account = 'earned' group by user_id`;
  for (const table of ["kudos", "kudos_gifts", "company_values", "rewards", "reward_redemptions", "award_rounds", "award_nominations"]) {
    await sql.unsafe(`select setval(pg_get_serial_sequence('${table}', 'id'), (select coalesce(max(id), 0) + 1 from ${table}), false)`);
  }
  return rows;
}

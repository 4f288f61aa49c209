import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDb, type Db } from "#db/client.server.ts";
import { kudosBalances, kudosLedger, notifications, rewardRedemptions, rewards } from "#db/schema/index.ts";
import { appendLedger, balanceOf, creditEarned } from "#app/features/recognition/points.server.ts";
import { approveRedemption, cancelRedemption, createReward, declineRedemption, fulfilRedemption, redeem, setRewardActive, updateReward } from "#app/features/recognition/rewards.server.ts";
import { inbox } from "#app/features/notifications/inbox.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, thrown } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";

/**
 * Rewards: the stock and the earned balance under parallel redemptions, each step of a
 * redemption guarded by its status (refunds happen once however many HR people click), and the
 * ledger that always adds up to the balances.
 */
const t = setupTestDb();
let wide: Db;
let hr: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  // Enough connections for the parallel redemptions to really overlap.
  wide = createDb(t.url, { max: 20 });
  hr = await createUser(t.db, { name: "Hanna HR" }, "hr");
});
afterAll(async () => {
  await wide?.close();
});

/** Points on someone's earned balance, as kudos would have brought them (with their "received" entry). */
async function fund(userId: number, points: number) {
  await t.db.transaction(async (tx) => {
    await creditEarned(tx, [{ userId, points }]);
    await appendLedger(tx, [{ userId, account: "earned", entry: "received", points }]);
  });
}

async function fundedMember(points: number) {
  const user = await createUser(t.db);
  await fund(user.id, points);
  return user;
}

let sequence = 0;
async function reward(attrs: { cost?: number; stock?: number | null; active?: boolean } = {}) {
  sequence += 1;
  const made = await createReward(t.db, hr, {
    name: `Reward ${sequence}`,
    description: "Something nice.",
    cost: attrs.cost ?? 100,
    stock: attrs.stock ?? null,
    active: attrs.active ?? true,
  });
  return made.id;
}

async function stockOf(rewardId: number) {
  const [row] = await t.db.select({ stock: rewards.stock }).from(rewards).where(eq(rewards.id, rewardId));
  return row!.stock;
}

async function earnedLedgerSum(userId: number) {
  const [row] = await t.db
    .select({ total: sql<number>`coalesce(sum(${kudosLedger.points}), 0)::int` })
    .from(kudosLedger)
    .where(and(eq(kudosLedger.userId, userId), eq(kudosLedger.account, "earned")));
  return row!.total;
}

async function redemption(id: number) {
  const [row] = await t.db.select().from(rewardRedemptions).where(eq(rewardRedemptions.id, id));
  return row!;
}

describe("redeeming under concurrency", () => {
  test("20 parallel redemptions of a reward with stock 5: exactly 5 succeed, the stock is 0, only the 5 paid", async () => {
    const rewardId = await reward({ cost: 50, stock: 5 });
    const people = await Promise.all(Array.from({ length: 20 }, () => fundedMember(80)));
    const results = await Promise.allSettled(people.map((p) => redeem(wide, p, rewardId, `key-${p.id}`)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") expect((r.reason as InputError).message).toBe("Out of stock.");
    expect(await stockOf(rewardId)).toBe(0);
    expect(await t.db.$count(rewardRedemptions, eq(rewardRedemptions.rewardId, rewardId))).toBe(5);
    const balances = await Promise.all(people.map((p) => balanceOf(t.db, p.id)));
    expect(balances.filter((b) => b.earned === 30)).toHaveLength(5);
    expect(balances.filter((b) => b.earned === 80)).toHaveLength(15);
    for (const p of people) expect(await earnedLedgerSum(p.id)).toBe((await balanceOf(t.db, p.id)).earned);
  });

  test("one person with 300 points making 10 parallel redemptions of 100: exactly 3 succeed, 0 is left, never a negative", async () => {
    const rewardId = await reward({ cost: 100 });
    const person = await fundedMember(300);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => redeem(wide, person, rewardId, `burst-${i}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect((r.reason as InputError).message).toBe("You have 0 points; this costs 100.");
    expect(await balanceOf(t.db, person.id)).toEqual({ earned: 0, receivedTotal: 300 });
    expect(await earnedLedgerSum(person.id)).toBe(0);
    const entries = await t.db
      .select({ entry: kudosLedger.entry, points: kudosLedger.points })
      .from(kudosLedger)
      .where(and(eq(kudosLedger.userId, person.id), eq(kudosLedger.entry, "redeemed")));
    expect(entries).toEqual(Array.from({ length: 3 }, () => ({ entry: "redeemed", points: -100 })));
  });

  test("a double submit makes one redemption; a refused one leaves no row, no entry and the stock untouched", async () => {
    const rewardId = await reward({ cost: 120, stock: 3 });
    const person = await fundedMember(200);
    const [first, second] = await Promise.all([redeem(wide, person, rewardId, "same-key"), redeem(wide, person, rewardId, "same-key")]);
    expect(first.id).toBe(second.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(await stockOf(rewardId)).toBe(2);
    expect((await balanceOf(t.db, person.id)).earned).toBe(80);

    const short = await rejects(redeem(t.db, person, rewardId, "another-key"));
    expect(short.formError).toBe("You have 80 points; this costs 120.");
    expect(await t.db.$count(rewardRedemptions, eq(rewardRedemptions.userId, person.id))).toBe(1);
    expect(await stockOf(rewardId)).toBe(2);
    expect(await earnedLedgerSum(person.id)).toBe(80);

    await setRewardActive(t.db, hr, rewardId, false);
    expect((await rejects(redeem(t.db, person, rewardId, "third-key"))).message).toBe("This reward is no longer offered.");
    expect(await thrown(redeem(t.db, person, 2_000_000_000, "fourth-key"))).toBeInstanceOf(NotFoundError);
  });

  test("HR hears about a request; a redemption bought at the old price keeps it when HR changes the price", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const rewardId = await reward({ cost: 60 });
    const person = await fundedMember(100);
    const made = await redeem(t.db, person, rewardId, "told");
    const hrInbox = await inbox(t.db, hr);
    expect(hrInbox.items[0]).toMatchObject({ kind: "reward_request", actor: { id: person.id }, to: "/rewards/manage" });
    // Admins hear only when there is no HR.
    expect(await t.db.$count(notifications, eq(notifications.userId, admin.id))).toBe(0);
    await updateReward(t.db, hr, rewardId, { name: `Reward repriced ${made.id}`, description: "", cost: 90, stock: null, active: true });
    expect((await redemption(made.id)).cost).toBe(60);
  });
});

describe("the steps after a request", () => {
  test("approve, then fulfil: each step once, each tells the person, and the points stay spent", async () => {
    const rewardId = await reward({ cost: 100, stock: 2 });
    const person = await fundedMember(150);
    const { id } = await redeem(t.db, person, rewardId, "steps");
    // Fulfilling comes after approving.
    expect((await rejects(fulfilRedemption(t.db, hr, id))).message).toBe("Approve this redemption before you fulfil it.");
    const approvals = await Promise.all([approveRedemption(wide, hr, id), approveRedemption(wide, hr, id)]);
    expect(approvals.map((a) => a.changed).sort()).toEqual([false, true]);
    expect(await fulfilRedemption(t.db, hr, id, "Donated in your name.")).toEqual({ changed: true });
    expect(await fulfilRedemption(t.db, hr, id)).toEqual({ changed: false });
    expect(await redemption(id)).toMatchObject({ status: "fulfilled", note: "Donated in your name.", handledById: hr.id });
    // Too late to cancel or decline it.
    expect((await rejects(cancelRedemption(t.db, person, id))).message).toMatch(/already approved/);
    expect((await rejects(declineRedemption(t.db, hr, id, "Changed my mind"))).message).toBe("This redemption is already fulfilled.");
    const told = await inbox(t.db, person);
    expect(told.items.map((i) => [i.kind, i.actor?.id, i.title, i.to])).toEqual([
      ["reward", hr.id, `Reward ${sequence}`, "/rewards/mine"],
      ["reward", hr.id, `Reward ${sequence}`, "/rewards/mine"],
    ]);
    expect(await balanceOf(t.db, person.id)).toEqual({ earned: 50, receivedTotal: 150 });
    expect(await stockOf(rewardId)).toBe(1);
  });

  test("two HR people declining at once refund exactly once; the stock comes back once", async () => {
    const other = await createUser(t.db, {}, "hr");
    const rewardId = await reward({ cost: 100, stock: 1 });
    const person = await fundedMember(100);
    const { id } = await redeem(t.db, person, rewardId, "decline-race");
    expect(await stockOf(rewardId)).toBe(0);
    const results = await Promise.all([declineRedemption(wide, hr, id, "Not this quarter"), declineRedemption(wide, other, id, "Budget is spent")]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(await balanceOf(t.db, person.id)).toEqual({ earned: 100, receivedTotal: 100 });
    expect(await stockOf(rewardId)).toBe(1);
    const refunds = await t.db
      .select()
      .from(kudosLedger)
      .where(and(eq(kudosLedger.redemptionId, id), eq(kudosLedger.entry, "redemption_refunded")));
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ userId: person.id, account: "earned", points: 100 });
    expect(await earnedLedgerSum(person.id)).toBe(100);
    expect((await redemption(id)).status).toBe("declined");
    // A declined one can't be approved afterwards.
    expect((await rejects(approveRedemption(t.db, hr, id))).message).toBe("This redemption is already declined.");
  });

  test("the person cancels their own request once, while it is requested; nobody else can", async () => {
    const rewardId = await reward({ cost: 40, stock: 4 });
    const person = await fundedMember(40);
    const stranger = await fundedMember(0);
    const { id } = await redeem(t.db, person, rewardId, "cancel-me");
    expect(await thrown(cancelRedemption(t.db, stranger, id))).toBeInstanceOf(NotFoundError);
    const results = await Promise.all([cancelRedemption(wide, person, id), cancelRedemption(wide, person, id)]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect((await balanceOf(t.db, person.id)).earned).toBe(40);
    expect(await stockOf(rewardId)).toBe(4);
    expect(await earnedLedgerSum(person.id)).toBe(40);
    expect((await rejects(approveRedemption(t.db, hr, id))).message).toBe("This redemption is already cancelled.");
  });

  test("a cancel racing a decline refunds once; redemptions and refunds racing on one reward never deadlock and add up", async () => {
    const rewardId = await reward({ cost: 10, stock: 100 });
    const people = await Promise.all(Array.from({ length: 8 }, () => fundedMember(50)));
    const first = await Promise.all(people.map((p) => redeem(t.db, p, rewardId, `round-1-${p.id}`)));
    // Whichever of the cancel and the decline comes second is refused with why.
    const refusedOrDone = (step: Promise<unknown>) =>
      step.catch((error: unknown) => {
        if (!(error instanceof InputError)) throw error;
      });
    // Everyone redeems again while their first request is cancelled and declined at once.
    await Promise.all(
      people.flatMap((p, i) => [
        redeem(wide, p, rewardId, `round-2-${p.id}`),
        refusedOrDone(cancelRedemption(wide, p, first[i]!.id)),
        refusedOrDone(declineRedemption(wide, hr, first[i]!.id, "Sorry")),
      ]),
    );
    for (const [i, p] of people.entries()) {
      const closed = await redemption(first[i]!.id);
      expect(["cancelled", "declined"]).toContain(closed.status);
      expect(await t.db.$count(kudosLedger, and(eq(kudosLedger.redemptionId, first[i]!.id), eq(kudosLedger.entry, "redemption_refunded")))).toBe(1);
      expect((await balanceOf(t.db, p.id)).earned).toBe(40);
      expect(await earnedLedgerSum(p.id)).toBe(40);
    }
    expect(await stockOf(rewardId)).toBe(92);
  });

  test("only HR and admins handle redemptions and keep the catalogue", async () => {
    const member = await fundedMember(100);
    const rewardId = await reward({ cost: 10 });
    const { id } = await redeem(t.db, member, rewardId, "self-approve");
    for (const attempt of [
      approveRedemption(t.db, member, id),
      declineRedemption(t.db, member, id, "no"),
      fulfilRedemption(t.db, member, id),
      createReward(t.db, member, { name: "Free lunch forever", cost: 1, stock: null, active: true }),
      setRewardActive(t.db, member, rewardId, false),
    ])
      expect(await thrown(attempt)).toMatchObject({ name: "ForbiddenError" });
    expect((await redemption(id)).status).toBe("requested");
    expect(await t.db.$count(rewards, eq(rewards.name, "Free lunch forever"))).toBe(0);
  });
});

describe("the catalogue", () => {
  test("rewards live in the company space; names are unique; a double submit finds the first; bad figures are field errors", async () => {
    const input = { name: "Commons mug", description: "Ceramic.", cost: "75", stock: "", active: "on" };
    const [a, b] = await Promise.all([createReward(wide, hr, input), createReward(wide, hr, input)]);
    expect(a.id).toBe(b.id);
    const [row] = await t.db.select().from(rewards).where(eq(rewards.id, a.id));
    expect(row).toMatchObject({ cost: 75, stock: null, active: true, createdById: hr.id });
    const [space] = await t.db.execute<{ company_wide: boolean }>(sql`select company_wide from spaces where id = ${row!.spaceId}`);
    expect(space!.company_wide).toBe(true);
    expect((await rejects(createReward(t.db, hr, { ...input, name: "COMMONS MUG", cost: "80" }))).fieldErrors).toEqual({ name: expect.stringMatching(/already/) });
    const bad = await rejects(createReward(t.db, hr, { name: "  ", cost: "0", stock: "-1", active: "on" }));
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["cost", "name", "stock"]);
    const huge = await rejects(createReward(t.db, hr, { name: "x".repeat(81), description: "y".repeat(501), cost: "1000001", stock: "100001", active: "" }));
    expect(Object.keys(huge.fieldErrors).sort()).toEqual(["cost", "description", "name", "stock"]);
    expect(await thrown(updateReward(t.db, hr, 2_000_000_000, input))).toBeInstanceOf(NotFoundError);
    // Balances were never written by hand: every row has ledger entries that add up to it.
    const drift = await t.db.execute(sql`
      select b.user_id from ${kudosBalances} b
      where b.earned <> coalesce((select sum(points) from ${kudosLedger} l where l.user_id = b.user_id and l.account = 'earned'), 0)`);
    expect(drift).toHaveLength(0);
  });
});

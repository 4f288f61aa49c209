import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { createDb, type Db } from "#db/client.server.ts";
import { kudosAllowancePeriods, kudosAllowanceRules, kudosBalances, kudosLedger } from "#db/schema/index.ts";
import { addToKudos, giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { allowanceOf, balanceOf, lapseAllowances, periodOf } from "#app/features/recognition/points.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects } from "#tests/helpers.ts";
import { createUser, createValue } from "#tests/factories/index.ts";

const t = setupTestDb();
let wide: Db | undefined;
afterAll(async () => {
  await wide?.close();
});

async function ledgerSum(userId: number, account: "allowance" | "earned", period?: string) {
  const [row] = await t.db
    .select({ total: sql<number>`coalesce(sum(${kudosLedger.points}), 0)::int` })
    .from(kudosLedger)
    .where(and(eq(kudosLedger.userId, userId), eq(kudosLedger.account, account), period ? eq(kudosLedger.period, period) : undefined));
  return row!.total;
}

describe("the monthly allowance", () => {
  test("50 parallel gives of 10 points from an allowance of 100: exactly 10 succeed and 0 is left, never a negative", async () => {
    wide = createDb(t.url, { max: 20 });
    const giver = await createUser(t.db);
    const receiver = await createUser(t.db);
    const value = await createValue(t.db);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        giveKudos(wide!, giver, { receiverIds: [receiver.id], message: `Thanks, number ${i}`, valueId: value.id, pointsEach: 10, submissionKey: `k-${i}` }),
      ),
    );
    const given = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(given).toHaveLength(10);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InputError);
    const period = periodOf(new Date());
    const [row] = await t.db.select().from(kudosAllowancePeriods).where(eq(kudosAllowancePeriods.userId, giver.id));
    expect(row).toMatchObject({ period, granted: 100, spent: 100 });
    expect((await allowanceOf(t.db, giver.id)).left).toBe(0);
    // The ledger agrees with the guards: 100 granted, 100 given; the receiver's balance is 100.
    expect(await ledgerSum(giver.id, "allowance", period)).toBe(0);
    expect(await balanceOf(t.db, receiver.id)).toEqual({ earned: 100, receivedTotal: 100 });
    expect(await ledgerSum(receiver.id, "earned")).toBe(100);
  });

  test("the most specific rule wins: department, then role, then the default", async () => {
    await t.db.insert(kudosAllowanceRules).values([
      { role: "hr", points: 300 },
      { department: "Sales", points: 50 },
    ]);
    const hr = await createUser(t.db, { role: "hr" });
    const seller = await createUser(t.db, { role: "hr", department: "sales" });
    const member = await createUser(t.db);
    expect((await allowanceOf(t.db, hr.id)).granted).toBe(300);
    expect((await allowanceOf(t.db, seller.id)).granted).toBe(50);
    expect((await allowanceOf(t.db, member.id)).granted).toBe(100);
  });

  test("no kudos to yourself, and a gift that costs more than what is left is refused with what is left", async () => {
    const giver = await createUser(t.db);
    const a = await createUser(t.db);
    const b = await createUser(t.db);
    const value = await createValue(t.db);
    const self = await rejects(giveKudos(t.db, giver, { receiverIds: [giver.id, a.id], message: "Me!", valueId: value.id, pointsEach: 5 }));
    expect(self.fieldErrors).toMatchObject({ receiverIds: expect.stringMatching(/yourself/) });
    await giveKudos(t.db, giver, { receiverIds: [a.id, b.id], message: "Both of you", valueId: value.id, pointsEach: 40 });
    const over = await rejects(giveKudos(t.db, giver, { receiverIds: [a.id, b.id], message: "Again", valueId: value.id, pointsEach: 15 }));
    expect(over.fieldErrors?.pointsEach).toMatch(/30 points and you have 20 left/);
    expect((await allowanceOf(t.db, giver.id)).left).toBe(20);
  });

  test("unused points lapse at the end of the month into the ledger, once; the earned balance never lapses", async () => {
    const giver = await createUser(t.db);
    const receiver = await createUser(t.db);
    const value = await createValue(t.db);
    const november = new Date(Date.UTC(2026, 10, 15));
    await giveKudos(t.db, giver, { receiverIds: [receiver.id], message: "November thanks", valueId: value.id, pointsEach: 30 }, november);
    const december = new Date(Date.UTC(2026, 11, 2));
    expect(await lapseAllowances(t.db, december)).toBeGreaterThanOrEqual(1);
    expect(await lapseAllowances(t.db, december)).toBe(0);
    expect(await ledgerSum(giver.id, "allowance", "2026-11-01")).toBe(0);
    const [lapse] = await t.db
      .select()
      .from(kudosLedger)
      .where(and(eq(kudosLedger.userId, giver.id), eq(kudosLedger.entry, "allowance_lapsed")));
    expect(lapse?.points).toBe(-70);
    // December starts afresh; November's received points are still there.
    expect((await allowanceOf(t.db, giver.id, december)).left).toBe(100);
    expect((await balanceOf(t.db, receiver.id)).earned).toBe(30);
  });
});

describe("adding to kudos and withdrawing them", () => {
  test("others add points once; a withdrawal returns points by new entries and the ledger is never rewritten", async () => {
    const giver = await createUser(t.db);
    const adder = await createUser(t.db);
    const receiver = await createUser(t.db);
    const hr = await createUser(t.db, { role: "hr" });
    const value = await createValue(t.db);
    const given = await giveKudos(t.db, giver, { receiverIds: [receiver.id], message: "Saved the launch", valueId: value.id, pointsEach: 20 });
    await addToKudos(t.db, adder, given.id, { pointsEach: 5 });
    expect((await rejects(addToKudos(t.db, adder, given.id, { pointsEach: 5 }))).message).toMatch(/already added/);
    expect((await rejects(addToKudos(t.db, receiver, given.id, { pointsEach: 5 }))).message).toMatch(/given to you/);
    expect(await balanceOf(t.db, receiver.id)).toEqual({ earned: 25, receivedTotal: 25 });

    const entriesBefore = await t.db.select().from(kudosLedger).where(eq(kudosLedger.kudosId, given.id)).orderBy(kudosLedger.id);
    expect(await withdrawKudos(t.db, hr, given.itemId, "Given by mistake")).toEqual({ changed: true });
    expect(await withdrawKudos(t.db, hr, given.itemId)).toEqual({ changed: false });
    expect(await balanceOf(t.db, receiver.id)).toEqual({ earned: 0, receivedTotal: 0 });
    expect((await allowanceOf(t.db, giver.id)).left).toBe(100);
    expect((await allowanceOf(t.db, adder.id)).left).toBe(100);
    const entriesAfter = await t.db.select().from(kudosLedger).where(eq(kudosLedger.kudosId, given.id)).orderBy(kudosLedger.id);
    // The old entries are unchanged; the reversal is four new ones.
    expect(entriesAfter.slice(0, entriesBefore.length)).toEqual(entriesBefore);
    expect(entriesAfter.slice(entriesBefore.length).map((e) => [e.entry, e.account, e.points])).toEqual(
      expect.arrayContaining([
        ["reversed", "allowance", 20],
        ["reversed", "earned", -20],
        ["reversed", "allowance", 5],
        ["reversed", "earned", -5],
      ]),
    );
    expect(await ledgerSum(receiver.id, "earned")).toBe(0);
  });

  test("the ledger refuses UPDATE and DELETE", async () => {
    const [entry] = await t.db.select({ id: kudosLedger.id }).from(kudosLedger).limit(1);
    const cause = (error: unknown) => String((error as { cause?: unknown }).cause ?? error);
    expect(
      cause(
        await t.db
          .update(kudosLedger)
          .set({ points: 1000 })
          .where(eq(kudosLedger.id, entry!.id))
          .catch((e: unknown) => e),
      ),
    ).toMatch(/append-only/);
    expect(
      cause(
        await t.db
          .delete(kudosLedger)
          .where(eq(kudosLedger.id, entry!.id))
          .catch((e: unknown) => e),
      ),
    ).toMatch(/append-only/);
  });

  test("a withdrawal never takes a balance below zero (points already redeemed stay redeemed)", async () => {
    const giver = await createUser(t.db);
    const receiver = await createUser(t.db);
    const hr = await createUser(t.db, { role: "hr" });
    const value = await createValue(t.db);
    const given = await giveKudos(t.db, giver, { receiverIds: [receiver.id], message: "Great work", valueId: value.id, pointsEach: 50 });
    await t.db.update(kudosBalances).set({ earned: 10 }).where(eq(kudosBalances.userId, receiver.id));
    await withdrawKudos(t.db, hr, given.itemId);
    expect((await balanceOf(t.db, receiver.id)).earned).toBe(0);
  });
});

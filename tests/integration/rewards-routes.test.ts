import { and, eq, sql } from "drizzle-orm";
import type { ComponentType } from "react";
import { describe, expect, test } from "vitest";
import { kudosLedger, rewardRedemptions, rewards } from "#db/schema/index.ts";
import { appendLedger, balanceOf, creditEarned } from "#app/features/recognition/points.server.ts";
import { RewardSchema } from "#app/features/recognition/reward-schemas.ts";
import { createReward, redeem } from "#app/features/recognition/rewards.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import RewardsRoute, { action as rewardsAction, loader as rewardsLoader } from "#app/routes/rewards/index.tsx";
import ManageRoute, { action as manageAction, loader as manageLoader } from "#app/routes/rewards/manage.tsx";
import MineRoute, { action as mineAction, loader as mineLoader } from "#app/routes/rewards/mine.tsx";
import { setupTestDb } from "#tests/db.ts";
import { browserOf, postAs, redirectTarget, requestAs, routeCaller, type RouteHandler, thrown } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * The rewards routes, called as React Router calls them: who reaches each (a member, HR, a
 * customer, a deactivated account; the HR page is the 404 of a missing page for members), what
 * bad input answers (400 with the typed text, or 404; never a 500, nothing written), and every
 * DOMPurify payload through a reward's name and description and HR's note, rendered by the pages
 * themselves. Rewards live in the company space, which can't be restricted, so there is no
 * restricted-space case here.
 */
const t = setupTestDb();

const call = routeCaller(t);

async function fund(userId: number, points: number) {
  await t.db.transaction(async (tx) => {
    await creditEarned(tx, [{ userId, points }]);
    await appendLedger(tx, [{ userId, account: "earned", entry: "received", points }]);
  });
}

let sequence = 0;
async function world() {
  sequence += 1;
  const hr = await createUser(t.db, { name: `Hanna HR ${sequence}` }, "hr");
  const member = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  await fund(member.id, 200);
  const { id: rewardId } = await createReward(t.db, hr, { name: `Team lunch ${sequence}`, description: "For the whole team.", cost: 150, stock: 2, active: true });
  return { hr, member, customer, gone, rewardId };
}

const rowsOf = async (userId: number) => ({
  redemptions: await t.db.$count(rewardRedemptions, eq(rewardRedemptions.userId, userId)),
  entries: await t.db.$count(kudosLedger, and(eq(kudosLedger.userId, userId), eq(kudosLedger.entry, "redeemed"))),
});

describe("who reaches the rewards routes", () => {
  test("a member sees the catalogue with their balance, redeems through the confirm step, and cancels from their list", async () => {
    const { member, rewardId } = await world();
    const page = await call(rewardsLoader, await requestAs(t.db, member, `/rewards?redeem=${rewardId}`));
    expect(page).toMatchObject({ balance: 200, confirm: { id: rewardId, cost: 150, stock: 2 }, gone: false, canManage: false });
    expect((page.rewards as Array<{ id: number }>).map((r) => r.id)).toContain(rewardId);
    const redeemed = await thrown(call(rewardsAction, await postAs(t.db, member, "/rewards", { intent: "redeem", rewardId: String(rewardId), submissionKey: "route-key" })));
    expect(redirectTarget(redeemed)).toBe("/rewards/mine?redeemed=1");
    const mine = await call(mineLoader, await requestAs(t.db, member, "/rewards/mine?redeemed=1"));
    expect(mine).toMatchObject({ balance: 50, total: 1, redeemed: true, rows: [{ status: "requested", cost: 150 }] });
    const id = (mine.rows as Array<{ id: number }>)[0]!.id;
    const cancelled = await thrown(call(mineAction, await postAs(t.db, member, "/rewards/mine", { intent: "cancel", redemptionId: String(id) })));
    expect(redirectTarget(cancelled)).toBe("/rewards/mine?cancelled=1");
    expect((await balanceOf(t.db, member.id)).earned).toBe(200);
  });

  test("the HR page answers members with the 404 of a missing page, and nothing is written; HR and admins reach it", async () => {
    const { hr, member, rewardId } = await world();
    const { id } = await redeem(t.db, member, rewardId, "queued");
    expect(await thrown(call(manageLoader, await requestAs(t.db, member, "/rewards/manage")))).toBeInstanceOf(NotFoundError);
    const attempts: Array<Record<string, string>> = [
      { intent: "approve", redemptionId: String(id) },
      { intent: "decline", redemptionId: String(id), note: "No" },
      { intent: "create", name: "Free money", cost: "1", stock: "", active: "on" },
      { intent: "deactivate", rewardId: String(rewardId) },
    ];
    for (const fields of attempts) expect(await thrown(call(manageAction, await postAs(t.db, member, "/rewards/manage", fields)))).toBeInstanceOf(NotFoundError);
    const [row] = await t.db.select().from(rewardRedemptions).where(eq(rewardRedemptions.id, id));
    expect(row!.status).toBe("requested");
    expect(await t.db.$count(rewards, eq(rewards.name, "Free money"))).toBe(0);
    expect((await t.db.select({ active: rewards.active }).from(rewards).where(eq(rewards.id, rewardId)))[0]!.active).toBe(true);

    const admin = await createUser(t.db, {}, "admin");
    for (const handler of [hr, admin]) {
      const page = await call(manageLoader, await requestAs(t.db, handler, "/rewards/manage"));
      expect((page.queue as { rows: Array<{ id: number }> }).rows.map((r) => r.id)).toContain(id);
    }
    const approved = await thrown(call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "approve", redemptionId: String(id) })));
    expect(redirectTarget(approved)).toBe("/rewards/manage?done=approve");
    // Someone else's redemption is the 404 of a missing one for a member cancelling it.
    const stranger = await createUser(t.db);
    for (const target of [String(id), "2000000000"])
      expect(await thrown(call(mineAction, await postAs(t.db, stranger, "/rewards/mine", { intent: "cancel", redemptionId: target })))).toBeInstanceOf(NotFoundError);
  });

  test("customers go to their home page and deactivated accounts to sign-in, from every rewards route, and nothing is written", async () => {
    const { customer, gone, rewardId } = await world();
    const routes: Array<[RouteHandler, string, Record<string, string> | null]> = [
      [rewardsLoader, `/rewards?redeem=${rewardId}`, null],
      [rewardsAction, "/rewards", { intent: "redeem", rewardId: String(rewardId) }],
      [mineLoader, "/rewards/mine", null],
      [mineAction, "/rewards/mine", { intent: "cancel", redemptionId: "1" }],
      [manageLoader, "/rewards/manage", null],
      [manageAction, "/rewards/manage", { intent: "create", name: "Sneaky", cost: "1" }],
    ];
    for (const user of [customer, gone]) await fund(user.id, 500);
    for (const [handler, path, fields] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer))), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone))), path).toMatch(/^\/sign-in/);
    }
    for (const user of [customer, gone]) expect(await rowsOf(user.id)).toEqual({ redemptions: 0, entries: 0 });
    expect(await t.db.$count(rewards, eq(rewards.name, "Sneaky"))).toBe(0);
  });
});

describe("bad input", () => {
  test("redeeming answers 400 with why (or 404 for a reward that isn't there); nothing is written", async () => {
    const { rewardId } = await world();
    const poor = await createUser(t.db);
    await fund(poor.id, 120);
    const short = await call(rewardsAction, await postAs(t.db, poor, `/rewards?redeem=${rewardId}`, { intent: "redeem", rewardId: String(rewardId), submissionKey: "k1" }));
    expect(short.init?.status).toBe(400);
    expect(short.data).toMatchObject({ formError: "You have 120 points; this costs 150.", values: { rewardId: String(rewardId) } });
    const malformed = await call(rewardsAction, await postAs(t.db, poor, "/rewards", { intent: "redeem", rewardId: "abc" }));
    expect(malformed.init?.status).toBe(400);
    expect((malformed.data as { fieldErrors: Record<string, string> }).fieldErrors.rewardId).toMatch(/reload/);
    expect(await thrown(call(rewardsAction, await postAs(t.db, poor, "/rewards", { intent: "redeem", rewardId: "2000000000" })))).toBeInstanceOf(NotFoundError);
    expect(((await thrown(call(rewardsAction, await postAs(t.db, poor, "/rewards", { intent: "steal" })))) as { init?: { status?: number } }).init?.status).toBe(400);
    // A confirm link to something that isn't offered says so; a nonsense page number is page 1.
    expect(await call(rewardsLoader, await requestAs(t.db, poor, "/rewards?redeem=nope&page=-4"))).toMatchObject({ confirm: null, gone: true, page: 1 });
    expect(await rowsOf(poor.id)).toEqual({ redemptions: 0, entries: 0 });
    expect((await balanceOf(t.db, poor.id)).earned).toBe(120);
  });

  test("HR's forms come back with field errors and the typed text; nothing is written", async () => {
    const { hr, member, rewardId } = await world();
    const typed = { intent: "create", name: "  ", description: "A long weekend somewhere nice", cost: "lots", stock: "-3", active: "on" };
    const created = await call(manageAction, await postAs(t.db, hr, "/rewards/manage", typed));
    expect(created.init?.status).toBe(400);
    expect(created.data).toMatchObject({ intent: "create", values: { description: "A long weekend somewhere nice", cost: "lots", stock: "-3" } });
    expect(Object.keys((created.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["cost", "name", "stock"]);
    const edited = await call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "update", rewardId: String(rewardId), name: "Team lunch", cost: "0", stock: "" }));
    expect(edited.data).toMatchObject({ intent: "update", target: String(rewardId), values: { cost: "0" }, fieldErrors: { cost: expect.stringMatching(/at least 1/) } });
    expect(await thrown(call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "update", rewardId: "2000000000", name: "X", cost: "5" })))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "activate", rewardId: "x" })))).toBeInstanceOf(NotFoundError);

    const { id } = await redeem(t.db, member, rewardId, "to-decline");
    const declined = await call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "decline", redemptionId: String(id), note: "   " }));
    expect(declined.init?.status).toBe(400);
    expect(declined.data).toMatchObject({ intent: "decline", target: String(id), fieldErrors: { note: expect.stringMatching(/why/) } });
    const tooLong = "n".repeat(501);
    const long = await call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "decline", redemptionId: String(id), note: tooLong }));
    expect(long.data).toMatchObject({ values: { note: tooLong }, fieldErrors: { note: expect.stringMatching(/under 500/) } });
    const early = await call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "fulfil", redemptionId: String(id) }));
    expect(early.data).toMatchObject({ formError: "Approve this redemption before you fulfil it." });
    expect(await thrown(call(manageAction, await postAs(t.db, hr, "/rewards/manage", { intent: "approve", redemptionId: "2000000000" })))).toBeInstanceOf(NotFoundError);
    const [row] = await t.db.select().from(rewardRedemptions).where(eq(rewardRedemptions.id, id));
    expect(row).toMatchObject({ status: "requested", note: "" });
    expect(await t.db.$count(rewards, sql`${rewards.description} = 'A long weekend somewhere nice'`)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// XSS

const oneLine = (text: string) => text.replace(/\r\n?/g, "\n").trim().replace(/\s+/g, " ");

describe("every XSS payload through the rewards pages comes out inert", () => {
  test("reward names and descriptions, and HR's notes, written through the forms and shown by every rewards page", { timeout: 240_000 }, async () => {
    const hr = await createUser(t.db, { name: "Xena HR" }, "hr");
    const member = await createUser(t.db, { name: "Max Member" });
    await fund(member.id, payloads.length);
    // The answer of HR's form (one session for all of them): a redirect (thrown) when saved, the 400 failure when refused.
    const browser = await browserOf(t.db, hr);
    const post = async (fields: Record<string, string>) =>
      call(manageAction, browser.post("/rewards/manage", fields)).then(
        (reply) => reply as unknown,
        (thrownReply: unknown) => thrownReply,
      );
    let named = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const fields = { intent: "create", description: payload.slice(0, 500), cost: "1", stock: "", active: "on" };
      // A payload the name field takes is tried as the name; refused (too long, blank, taken), the reward gets a plain one.
      const asNamed = RewardSchema.shape.name.safeParse(payload).success ? await post({ ...fields, name: payload }) : null;
      if (redirectTarget(asNamed)) named++;
      else expect(redirectTarget(await post({ ...fields, name: `Payload reward ${i}` }))).toBe("/rewards/manage?done=create");
    }
    expect(named).toBeGreaterThan(60);
    // (A payload repeated word for word is the same reward submitted twice: it finds the first.)
    const stored = await t.db.select().from(rewards).where(eq(rewards.createdById, hr.id));
    expect(stored.length).toBeGreaterThan(200);

    // Everyone redeems all of them; HR declines all but the first few with a payload as the note.
    const redemptionIds: number[] = [];
    for (const r of stored) redemptionIds.push((await redeem(t.db, member, r.id, `xss-${r.id}`)).id);
    for (const [i, id] of redemptionIds.entries()) {
      if (i < 10) continue;
      const note = payloads[i % payloads.length]!.payload.slice(0, 500);
      const reply = await post({ intent: "decline", redemptionId: String(id), note: note.trim() ? note : `${note}padded` });
      expect(redirectTarget(reply)).toBe("/rewards/manage?done=decline");
    }

    const notes = (await t.db.select({ note: rewardRedemptions.note }).from(rewardRedemptions).where(eq(rewardRedemptions.userId, member.id))).map((r) => r.note).filter(Boolean);
    expect(notes.length).toBeGreaterThan(200);
    const seen = new Set<string>();
    const check = async (Component: ComponentType<never>, loader: RouteHandler, user: typeof hr, path: string) => {
      const data = await call(loader, await requestAs(t.db, user, path));
      const screen = parseScreen(renderRoute(Component, data, user));
      expect(executable(screen), path).toEqual([]);
      const text = oneLine(screen.textContent ?? "");
      for (const shown of [...stored.map((r) => r.name), ...notes]) if (text.includes(oneLine(shown))) seen.add(shown);
      return data;
    };
    // The catalogue, every page of it, with a confirm step open; the person's own list; HR's page.
    for (let page = 1; page <= Math.ceil(stored.length / 24); page++)
      await check(RewardsRoute as ComponentType<never>, rewardsLoader, member, `/rewards?page=${page}&redeem=${stored[page]!.id}`);
    for (let page = 1; page <= Math.ceil(stored.length / 20); page++) {
      await check(MineRoute as ComponentType<never>, mineLoader, member, `/rewards/mine?page=${page}`);
      await check(ManageRoute as ComponentType<never>, manageLoader, hr, `/rewards/manage?catalogue=${page}&history=${page}`);
    }
    // Every name and note showed up as the text it is (a payload of nothing but markup shows as that markup).
    expect(stored.filter((r) => !seen.has(r.name)).map((r) => r.name)).toEqual([]);
    expect(notes.filter((note) => !seen.has(note))).toEqual([]);
  });
});

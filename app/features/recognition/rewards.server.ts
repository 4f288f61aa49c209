import { and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { rewardRedemptions, rewards, users } from "#db/schema/index.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { companySpaceId } from "./company-space.server.ts";
import { appendLedger, balanceOf, debitEarned, refundEarned } from "./points.server.ts";
import { RewardSchema, type RewardInput, type RewardValues } from "./reward-schemas.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * Rewards: the catalogue HR keeps, redeemed from the earned balance, then approved and fulfilled
 * (or declined) by HR (docs/recognition.md, "Rewards").
 *
 * Money-like rules, each held by the database rather than by a check before a write:
 * - stock: a redemption is one conditional UPDATE (`stock = stock - 1 WHERE stock IS NULL OR
 *   stock > 0`), so parallel redemptions take turns on the reward's row and never oversell;
 * - points: `debitEarned` takes the whole cost or nothing, so the balance never goes negative;
 * - steps: every status change is a conditional UPDATE on the status it leaves, so of two HR
 *   people declining at once only one refunds.
 * Points move with their ledger entries ("redeemed", "redemption_refunded") in the same
 * transaction. Every writer locks the reward before the balance (a redemption inserts its own
 * new row first, which locks nothing the others wait on), so redeeming and refunding never
 * deadlock each other.
 */

export const REWARDS_PER_PAGE = 24;
export const REDEMPTIONS_PER_PAGE = 20;
export const CATALOGUE_EDITOR_PER_PAGE = 20;

export type RedemptionStatus = (typeof rewardRedemptions.$inferSelect)["status"];

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

/** HR keeps the catalogue and handles redemptions; admins may do everything HR does. */
export function handlesRewards(actor: Actor): boolean {
  return isActiveEmployee(actor) && (actor.role === "hr" || actor.role === "admin");
}

function requireHandler(actor: Actor): void {
  if (!handlesRewards(actor)) throw new ForbiddenError("Only HR and admins keep the rewards catalogue and handle redemptions.");
}

function requireEmployee(actor: Actor): void {
  if (!isActiveEmployee(actor)) throw new ForbiddenError("Only employees redeem rewards.");
}

const offset = (page: number, size: number) => (Math.max(1, Math.floor(page)) - 1) * size;

// ---------------------------------------------------------------------------------------------
// The catalogue, as everyone sees it

export type CatalogueReward = { id: number; name: string; description: string; cost: number; stock: number | null };

const catalogueColumns = { id: rewards.id, name: rewards.name, description: rewards.description, cost: rewards.cost, stock: rewards.stock };

/** A page of the rewards on offer (cheapest first), and the reader's earned balance. Two queries. */
export async function catalogue(db: Db | Tx, actor: Actor, page = 1): Promise<{ rewards: CatalogueReward[]; total: number; offset: number; balance: number }> {
  requireEmployee(actor);
  const from = offset(page, REWARDS_PER_PAGE);
  const [rows, balance] = await Promise.all([
    db
      .select({ ...catalogueColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(rewards)
      .where(eq(rewards.active, true))
      .orderBy(asc(rewards.cost), asc(rewards.name), asc(rewards.id))
      .limit(REWARDS_PER_PAGE)
      .offset(from),
    balanceOf(db, actor.id),
  ]);
  return { rewards: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0, offset: from, balance: balance.earned };
}

/** One reward on offer, for the confirm step of redeeming it; null when it is gone or withdrawn. */
export async function offeredReward(db: Db | Tx, actor: Actor, rewardId: number): Promise<CatalogueReward | null> {
  requireEmployee(actor);
  if (!isRowId(rewardId)) return null;
  const [row] = await db
    .select(catalogueColumns)
    .from(rewards)
    .where(and(eq(rewards.id, rewardId), eq(rewards.active, true)));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Redeeming

/** Who hears about a new request: HR, or the admins when there is no HR. */
async function rewardHandlers(tx: Tx): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt), inArray(users.role, ["hr", "admin"])));
  const hr = rows.filter((r) => r.role === "hr");
  return (hr.length > 0 ? hr : rows).map((r) => r.id);
}

/**
 * Redeems a reward from the actor's earned balance: one transaction takes one from the stock,
 * the whole cost from the balance (or refuses with why), records the request and its "redeemed"
 * ledger entry, and tells HR. A double submit finds the first request.
 */
export async function redeem(db: Db, actor: Actor, rewardId: number, submissionKey: string | null | undefined, now = new Date()): Promise<{ id: number; created: boolean }> {
  requireEmployee(actor);
  if (!isRowId(rewardId)) throw new NotFoundError();
  const key = submissionKey || null;
  return db.transaction(async (tx) => {
    const [reward] = await tx.select().from(rewards).where(eq(rewards.id, rewardId));
    if (!reward) throw new NotFoundError();
    return onceBySubmission(tx, rewardRedemptions, { author: rewardRedemptions.userId, key: rewardRedemptions.submissionKey, id: rewardRedemptions.id }, actor.id, key, async () => {
      if (!reward.active) throw new InputError("This reward is no longer offered.");
      // The request row first: a parallel double submit waits here on the unique key, and the
      // loser leaves before it has touched the stock or the balance.
      const [made] = await tx
        .insert(rewardRedemptions)
        .values({ rewardId, userId: actor.id, cost: reward.cost, submissionKey: key, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: [rewardRedemptions.userId, rewardRedemptions.submissionKey] })
        .returning({ id: rewardRedemptions.id });
      if (!made) return null;
      const [taken] = await tx
        .update(rewards)
        .set({ stock: sql`${rewards.stock} - 1`, updatedAt: now })
        .where(and(eq(rewards.id, rewardId), eq(rewards.active, true), sql`(${rewards.stock} is null or ${rewards.stock} > 0)`))
        .returning({ cost: rewards.cost });
      if (!taken) {
        const [current] = await tx.select({ active: rewards.active }).from(rewards).where(eq(rewards.id, rewardId));
        throw new InputError(current?.active ? "Out of stock." : "This reward is no longer offered.");
      }
      // HR changed the price since the page was read: the person confirmed the old one.
      if (taken.cost !== reward.cost) throw new InputError(`This reward's price just changed to ${taken.cost.toLocaleString("en")} points. Look again before you redeem.`);
      if ((await debitEarned(tx, actor.id, reward.cost)) === 0) {
        const { earned } = await balanceOf(tx, actor.id);
        throw new InputError(`You have ${earned.toLocaleString("en")} points; this costs ${reward.cost.toLocaleString("en")}.`);
      }
      await appendLedger(tx, [{ userId: actor.id, account: "earned", entry: "redeemed", points: -reward.cost, redemptionId: made.id, actorId: actor.id, note: reward.name }]);
      await notify(tx, await rewardHandlers(tx), { kind: "reward_request", actorId: actor.id, spaceId: reward.spaceId, itemId: reward.itemId });
      return made.id;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The steps after: approve, fulfil, decline (HR), cancel (the person)

type Moved = { id: number; rewardId: number; userId: number; cost: number };
const movedColumns = { id: rewardRedemptions.id, rewardId: rewardRedemptions.rewardId, userId: rewardRedemptions.userId, cost: rewardRedemptions.cost };

/**
 * The conditional UPDATE of a step found the redemption in another status: a repeat of the same
 * step (a double click, two HR people at once) changes nothing; a step that no longer applies
 * says why (`refusal`). A redemption that doesn't exist (or, with `ownerId`, isn't theirs) is a 404.
 */
async function alreadySettled(
  tx: Tx,
  redemptionId: number,
  done: readonly RedemptionStatus[],
  options: { ownerId?: number; refusal?: (status: RedemptionStatus) => string } = {},
): Promise<{ changed: false }> {
  const [row] = await tx
    .select({ status: rewardRedemptions.status })
    .from(rewardRedemptions)
    .where(and(eq(rewardRedemptions.id, redemptionId), options.ownerId === undefined ? undefined : eq(rewardRedemptions.userId, options.ownerId)));
  if (!row) throw new NotFoundError();
  if (done.includes(row.status)) return { changed: false };
  throw new InputError(options.refusal?.(row.status) ?? `This redemption is already ${row.status}.`);
}

/** Tells the person about a step HR took on their redemption: the notification's item is the reward. */
async function tellPerson(tx: Tx, actor: Actor, moved: Moved): Promise<void> {
  const [reward] = await tx.select({ itemId: rewards.itemId, spaceId: rewards.spaceId }).from(rewards).where(eq(rewards.id, moved.rewardId));
  if (reward) await notify(tx, [moved.userId], { kind: "reward", actorId: actor.id, spaceId: reward.spaceId, itemId: reward.itemId });
}

/** What a closed redemption gives back: one to the stock (when it is counted), the cost to the balance, with its ledger entry. */
async function refund(tx: Tx, actor: Actor, moved: Moved, note: string, now: Date): Promise<void> {
  // The reward before the balance: the lock order every writer keeps.
  await tx
    .update(rewards)
    .set({ stock: sql`${rewards.stock} + 1`, updatedAt: now })
    .where(and(eq(rewards.id, moved.rewardId), sql`${rewards.stock} is not null`));
  await refundEarned(tx, moved.userId, moved.cost);
  await appendLedger(tx, [{ userId: moved.userId, account: "earned", entry: "redemption_refunded", points: moved.cost, redemptionId: moved.id, actorId: actor.id, note }]);
}

export async function approveRedemption(db: Db, actor: Actor, redemptionId: number, now = new Date()): Promise<{ changed: boolean }> {
  requireHandler(actor);
  if (!isRowId(redemptionId)) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(rewardRedemptions)
      .set({ status: "approved", approvedAt: now, handledById: actor.id, updatedAt: now })
      .where(and(eq(rewardRedemptions.id, redemptionId), eq(rewardRedemptions.status, "requested")))
      .returning(movedColumns);
    if (!moved) return alreadySettled(tx, redemptionId, ["approved", "fulfilled"]);
    // No points move, but every step of a redemption is in the ledger's history.
    await appendLedger(tx, [{ userId: moved.userId, account: "earned", entry: "redemption_approved", points: 0, redemptionId: moved.id, actorId: actor.id, createdAt: now }]);
    const details = { reward: moved.rewardId, points: moved.cost };
    await recordAudit(tx, { actorId: actor.id, action: "reward.approved", subjectUserId: moved.userId, target: { type: "redemption", id: moved.id }, details });
    await tellPerson(tx, actor, moved);
    return { changed: true };
  });
}

/** Only an approved redemption is fulfilled: HR approves first, so the person knows it is coming. */
export async function fulfilRedemption(db: Db, actor: Actor, redemptionId: number, note = "", now = new Date()): Promise<{ changed: boolean }> {
  requireHandler(actor);
  if (!isRowId(redemptionId)) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(rewardRedemptions)
      .set({ status: "fulfilled", fulfilledAt: now, closedAt: now, handledById: actor.id, updatedAt: now, ...(note ? { note } : {}) })
      .where(and(eq(rewardRedemptions.id, redemptionId), eq(rewardRedemptions.status, "approved")))
      .returning(movedColumns);
    if (!moved) {
      return alreadySettled(tx, redemptionId, ["fulfilled"], {
        refusal: (status) => (status === "requested" ? "Approve this redemption before you fulfil it." : `This redemption is already ${status}.`),
      });
    }
    await appendLedger(tx, [{ userId: moved.userId, account: "earned", entry: "redemption_fulfilled", points: 0, redemptionId: moved.id, actorId: actor.id, note, createdAt: now }]);
    await tellPerson(tx, actor, moved);
    return { changed: true };
  });
}

/** Declines a requested or approved redemption with a note: the points and the stock go back, once. */
export async function declineRedemption(db: Db, actor: Actor, redemptionId: number, note: string, now = new Date()): Promise<{ changed: boolean }> {
  requireHandler(actor);
  if (!isRowId(redemptionId)) throw new NotFoundError();
  if (!note.trim()) throw InputError.field("note", "Say why, for the person who asked.");
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(rewardRedemptions)
      .set({ status: "declined", closedAt: now, note, handledById: actor.id, updatedAt: now })
      .where(and(eq(rewardRedemptions.id, redemptionId), inArray(rewardRedemptions.status, ["requested", "approved"])))
      .returning(movedColumns);
    if (!moved) return alreadySettled(tx, redemptionId, ["declined"]);
    await refund(tx, actor, moved, note, now);
    const details = { reward: moved.rewardId, points: moved.cost, reason: note };
    await recordAudit(tx, { actorId: actor.id, action: "reward.declined", subjectUserId: moved.userId, target: { type: "redemption", id: moved.id }, details });
    await tellPerson(tx, actor, moved);
    return { changed: true };
  });
}

/** The person takes back their own request while HR hasn't approved it yet: the points and the stock go back. */
export async function cancelRedemption(db: Db, actor: Actor, redemptionId: number, now = new Date()): Promise<{ changed: boolean }> {
  requireEmployee(actor);
  if (!isRowId(redemptionId)) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(rewardRedemptions)
      .set({ status: "cancelled", closedAt: now, updatedAt: now })
      .where(and(eq(rewardRedemptions.id, redemptionId), eq(rewardRedemptions.userId, actor.id), eq(rewardRedemptions.status, "requested")))
      .returning(movedColumns);
    if (!moved) {
      return alreadySettled(tx, redemptionId, ["cancelled"], {
        ownerId: actor.id,
        refusal: (status) => (status === "declined" ? "HR has already declined this redemption." : "HR has already approved this redemption, so it can no longer be cancelled."),
      });
    }
    await refund(tx, actor, moved, "Cancelled by the person who asked.", now);
    return { changed: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Lists of redemptions

const handler = alias(users, "handler");

export type RedemptionRow = {
  id: number;
  status: RedemptionStatus;
  cost: number;
  note: string;
  createdAt: Date;
  approvedAt: Date | null;
  fulfilledAt: Date | null;
  closedAt: Date | null;
  reward: { id: number; name: string };
  person: { id: number; name: string; department: string };
  handledBy: { id: number; name: string } | null;
};

const redemptionColumns = {
  id: rewardRedemptions.id,
  status: rewardRedemptions.status,
  cost: rewardRedemptions.cost,
  note: rewardRedemptions.note,
  createdAt: rewardRedemptions.createdAt,
  approvedAt: rewardRedemptions.approvedAt,
  fulfilledAt: rewardRedemptions.fulfilledAt,
  closedAt: rewardRedemptions.closedAt,
  rewardId: rewards.id,
  rewardName: rewards.name,
  personId: users.id,
  personName: users.name,
  department: users.department,
  handlerId: handler.id,
  handlerName: handler.name,
  total: sql<number>`count(*) over ()`.mapWith(Number),
};

function shape(rows: Awaited<ReturnType<typeof redemptionQuery>>): RedemptionRow[] {
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    cost: r.cost,
    note: r.note,
    createdAt: r.createdAt,
    approvedAt: r.approvedAt,
    fulfilledAt: r.fulfilledAt,
    closedAt: r.closedAt,
    reward: { id: r.rewardId, name: r.rewardName },
    person: { id: r.personId, name: r.personName, department: r.department },
    handledBy: r.handlerId !== null && r.handlerName !== null ? { id: r.handlerId, name: r.handlerName } : null,
  }));
}

function redemptionQuery(db: Db | Tx) {
  return db
    .select(redemptionColumns)
    .from(rewardRedemptions)
    .innerJoin(rewards, eq(rewards.id, rewardRedemptions.rewardId))
    .innerJoin(users, eq(users.id, rewardRedemptions.userId))
    .leftJoin(handler, eq(handler.id, rewardRedemptions.handledById));
}

export type RedemptionPage = { rows: RedemptionRow[]; total: number; offset: number };

/** The actor's own redemptions, newest first, and their balance. Two queries. */
export async function myRedemptions(db: Db | Tx, actor: Actor, page = 1): Promise<RedemptionPage & { balance: number }> {
  requireEmployee(actor);
  const from = offset(page, REDEMPTIONS_PER_PAGE);
  const [rows, balance] = await Promise.all([
    redemptionQuery(db).where(eq(rewardRedemptions.userId, actor.id)).orderBy(desc(rewardRedemptions.createdAt), desc(rewardRedemptions.id)).limit(REDEMPTIONS_PER_PAGE).offset(from),
    balanceOf(db, actor.id),
  ]);
  return { rows: shape(rows), total: rows[0]?.total ?? 0, offset: from, balance: balance.earned };
}

/** HR's queue: what waits for approval or fulfilment, oldest first. */
export async function redemptionQueue(db: Db | Tx, actor: Actor, page = 1): Promise<RedemptionPage> {
  requireHandler(actor);
  const from = offset(page, REDEMPTIONS_PER_PAGE);
  const rows = await redemptionQuery(db)
    .where(inArray(rewardRedemptions.status, ["requested", "approved"]))
    .orderBy(asc(rewardRedemptions.createdAt), asc(rewardRedemptions.id))
    .limit(REDEMPTIONS_PER_PAGE)
    .offset(from);
  return { rows: shape(rows), total: rows[0]?.total ?? 0, offset: from };
}

/** Closed redemptions (fulfilled, declined, cancelled), most recently closed first. */
export async function redemptionHistory(db: Db | Tx, actor: Actor, page = 1): Promise<RedemptionPage> {
  requireHandler(actor);
  const from = offset(page, REDEMPTIONS_PER_PAGE);
  const rows = await redemptionQuery(db)
    .where(inArray(rewardRedemptions.status, ["fulfilled", "declined", "cancelled"]))
    .orderBy(desc(rewardRedemptions.closedAt), desc(rewardRedemptions.id))
    .limit(REDEMPTIONS_PER_PAGE)
    .offset(from);
  return { rows: shape(rows), total: rows[0]?.total ?? 0, offset: from };
}

// ---------------------------------------------------------------------------------------------
// Keeping the catalogue (HR and admins)

export type ManagedReward = CatalogueReward & { active: boolean; redeemed: number };

/** Every reward, offered ones first, with how often each was redeemed (not counting cancelled or declined ones). */
export async function catalogueForEditing(db: Db | Tx, actor: Actor, page = 1): Promise<{ rewards: ManagedReward[]; total: number; offset: number }> {
  requireHandler(actor);
  const from = offset(page, CATALOGUE_EDITOR_PER_PAGE);
  const rows = await db
    .select({
      ...catalogueColumns,
      active: rewards.active,
      redeemed: sql<number>`(select count(*) from ${rewardRedemptions} r where r.reward_id = ${rewards.id} and r.status not in ('declined', 'cancelled'))`.mapWith(Number),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(rewards)
    .orderBy(desc(rewards.active), asc(rewards.name), asc(rewards.id))
    .limit(CATALOGUE_EDITOR_PER_PAGE)
    .offset(from);
  return { rewards: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0, offset: from };
}

function parseReward(input: RewardInput): RewardValues {
  const parsed = RewardSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "name")] ??= issue.message;
  throw new InputError(Object.values(fieldErrors)[0]!, fieldErrors);
}

/**
 * Catalogue writes take turns on one advisory lock, so two rewards can't get the same name (the
 * schema has no unique index on it) however they race.
 */
async function lockCatalogue(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('commons:rewards-catalogue'))`);
}

async function sameName(tx: Tx, name: string, except?: number) {
  const [row] = await tx
    .select()
    .from(rewards)
    .where(and(sql`lower(${rewards.name}) = lower(${name})`, except === undefined ? undefined : ne(rewards.id, except)))
    .limit(1);
  return row ?? null;
}

const NAME_TAKEN = "A reward with this name is already in the catalogue.";

/** Adds a reward to the catalogue (in the company space). Submitting the same reward twice finds the first. */
export async function createReward(db: Db, actor: Actor, input: RewardInput): Promise<{ id: number; created: boolean }> {
  requireHandler(actor);
  const values = parseReward(input);
  return db.transaction(async (tx) => {
    await lockCatalogue(tx);
    const existing = await sameName(tx, values.name);
    if (existing) {
      // The rewards table carries no submission key: an identical reward by the same person is a double submit.
      const repeat =
        existing.createdById === actor.id &&
        existing.description === values.description &&
        existing.cost === values.cost &&
        existing.stock === values.stock &&
        existing.active === values.active;
      if (repeat) return { id: existing.id, created: false };
      throw InputError.field("name", NAME_TAKEN);
    }
    const [row] = await tx
      .insert(rewards)
      .values({ ...values, spaceId: await companySpaceId(tx), createdById: actor.id })
      .returning({ id: rewards.id });
    return { id: row!.id, created: true };
  });
}

/**
 * Changes a reward. Redemptions already made keep the price they paid; the stock typed here is
 * what is left from now on.
 */
export async function updateReward(db: Db, actor: Actor, rewardId: number, input: RewardInput): Promise<void> {
  requireHandler(actor);
  if (!isRowId(rewardId)) throw new NotFoundError();
  const values = parseReward(input);
  await db.transaction(async (tx) => {
    await lockCatalogue(tx);
    const [found] = await tx.select({ id: rewards.id }).from(rewards).where(eq(rewards.id, rewardId));
    if (!found) throw new NotFoundError();
    if (await sameName(tx, values.name, rewardId)) throw InputError.field("name", NAME_TAKEN);
    await tx
      .update(rewards)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(rewards.id, rewardId));
  });
}

/** Withdraws a reward from the catalogue (or offers it again). Open redemptions of it are still handled. */
export async function setRewardActive(db: Db, actor: Actor, rewardId: number, active: boolean): Promise<void> {
  requireHandler(actor);
  if (!isRowId(rewardId)) throw new NotFoundError();
  const updated = await db.update(rewards).set({ active, updatedAt: new Date() }).where(eq(rewards.id, rewardId)).returning({ id: rewards.id });
  if (updated.length === 0) throw new NotFoundError();
}

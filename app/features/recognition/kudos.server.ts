import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { companyValues, kudos, kudosGifts, kudosReceivers, spaces, users, votes } from "#db/schema/index.ts";
import { loadItem } from "#app/features/social/registry.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import type { VoteOutcome, VoteValue } from "#app/features/social/registry.server.ts";
import { type Actor, canSeeSpace, inVisibleSpace, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
// issue 21: webhook event
import { emitKudosGiven } from "#app/features/webhooks/build.server.ts";
import { companySpaceId } from "./company-space.server.ts";
import { KUDOS_MAX_POINTS_EACH, KUDOS_MAX_RECEIVERS, KUDOS_MESSAGE_MAX } from "./kudos-schemas.ts";
import { allowanceOf, appendLedger, creditEarned, debitEarned, type LedgerEntry, periodOf, refundAllowance, spendAllowance } from "./points.server.ts";
import { recordDeletion } from "#app/features/audit/audit.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Kudos: thanks to one or more colleagues, with a message, one of the company's values and points
 * from the giver's monthly allowance, optionally on the thing it is for (decision 011).
 *
 * Who sees a kudos: its giver, its receivers and the receivers' managers always; everyone else
 * only when it is public and its space is one they may see (the space of the thing it thanks, or
 * the company space). Nobody else sees a private kudos, admins and HR included. Withdrawn kudos are
 * gone for everyone but the people it concerned.
 */

/** The kinds of content a kudos can thank. */
export const KUDOS_SUBJECT_KINDS = ["question", "answer", "wiki_page", "article", "idea"] as const;
// The limits live with the forms (browser-safe), so the form and this check never disagree.
export { KUDOS_MAX_POINTS_EACH, KUDOS_MAX_RECEIVERS, KUDOS_MESSAGE_MAX } from "./kudos-schemas.ts";

export const GiveKudosSchema = z.object({
  receiverIds: z.array(z.number().int().positive()).min(1, "Choose at least one colleague to thank.").max(KUDOS_MAX_RECEIVERS, `Kudos go to at most ${KUDOS_MAX_RECEIVERS} people at once.`),
  message: z
    .string()
    .transform(normalizeText)
    .pipe(z.string().min(1, "Say what you are thanking them for.").max(KUDOS_MESSAGE_MAX, `Keep the message under ${KUDOS_MESSAGE_MAX} characters.`)),
  valueId: z.number({ message: "Choose one of the company's values." }).int().positive("Choose one of the company's values."),
  pointsEach: z
    .number({ message: "Points must be a whole number." })
    .int("Points must be a whole number.")
    .min(0, "Points can't be negative.")
    .max(KUDOS_MAX_POINTS_EACH, `At most ${KUDOS_MAX_POINTS_EACH} points each.`),
  subjectItemId: z.number().int().positive().nullable().default(null),
  private: z.boolean().default(false),
  submissionKey: z.string().max(100).nullable().default(null),
});
export type GiveKudosInput = z.input<typeof GiveKudosSchema>;

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

/** The giver, a receiver, or a receiver's manager: the people a kudos concerns, who always see it. */
export function concernsSql(actor: Actor, kudosId: SQL | typeof kudos.id = kudos.id): SQL {
  return sql`(${kudos.giverId} = ${actor.id}
    or exists (select 1 from kudos_receivers cr where cr.kudos_id = ${kudosId} and cr.user_id = ${actor.id})
    or exists (select 1 from kudos_receivers cr join users cu on cu.id = cr.user_id where cr.kudos_id = ${kudosId} and cu.manager_id = ${actor.id}))`;
}

/** THE rule for who sees a kudos, as a condition on `kudos` (live ones; `withdrawn` adds withdrawn ones, which loadKudos then shows only to its people and moderators). */
export function kudosVisibleTo(actor: Actor, options: { withdrawn?: boolean } = {}): SQL {
  if (!isActiveEmployee(actor)) return sql`false`;
  const live = options.withdrawn ? sql`true` : isNull(kudos.deletedAt);
  const everyone = and(eq(kudos.private, false), inVisibleSpace(actor, kudos.spaceId))!;
  return and(live, sql`(${everyone} or ${concernsSql(actor)})`)!;
}

export type KudosRow = typeof kudos.$inferSelect;
export type KudosAccess = {
  kudos: KudosRow;
  receiverIds: number[];
  space: typeof spaces.$inferSelect;
  membership: { role: "member" | "moderator" } | null;
  concerns: boolean;
  canModerate: boolean;
};

/** One kudos for `actor`, or the 404 a missing one answers (withdrawn ones only for the people it concerned and moderators when `allowDeleted`). */
export async function loadKudos(tx: Db | Tx, actor: Actor, by: { id?: number; itemId?: number }, options: { forUpdate?: boolean; allowDeleted?: boolean } = {}): Promise<KudosAccess> {
  const key = by.id ?? by.itemId;
  if (!isActiveEmployee(actor) || key === undefined || !isRowId(key)) throw new NotFoundError();
  const query = tx
    .select({
      kudos,
      space: spaces,
      role: sql<"member" | "moderator" | null>`(select role from space_members m where m.space_id = ${kudos.spaceId} and m.user_id = ${actor.id})`,
      concerns: sql<boolean>`${concernsSql(actor)}`,
      receiverIds: sql<number[]>`array(select user_id from kudos_receivers r where r.kudos_id = ${kudos.id} order by user_id)`,
    })
    .from(kudos)
    .innerJoin(spaces, eq(spaces.id, kudos.spaceId))
    .where(and(by.id !== undefined ? eq(kudos.id, key) : eq(kudos.itemId, key), kudosVisibleTo(actor, { withdrawn: options.allowDeleted })));
  const [row] = options.forUpdate ? await query.for("update", { of: kudos }) : await query;
  if (!row) throw new NotFoundError();
  const membership = row.role ? { role: row.role } : null;
  const canModerate = actor.role === "admin" || actor.role === "moderator" || actor.role === "hr" || membership?.role === "moderator";
  // A withdrawn kudos stays visible to the people it concerned and to moderators only.
  if (row.kudos.deletedAt && !row.concerns && !canModerate) throw new NotFoundError();
  if (row.kudos.private && !row.concerns) throw new NotFoundError();
  if (!row.concerns && !canSeeSpace(actor, row.space, membership)) throw new NotFoundError();
  return { kudos: row.kudos, receiverIds: row.receiverIds.map(Number), space: row.space, membership, concerns: row.concerns, canModerate };
}

/** The URL of a kudos: its place in the company feed's permalink page. */
export function kudosUrl(k: { id: number }): string {
  return `/kudos/${k.id}`;
}

// ---------------------------------------------------------------------------------------------
// Giving

/**
 * Gives kudos: validates receivers, value and the thing it thanks, takes `pointsEach × receivers`
 * from the giver's allowance, credits each receiver's earned balance, writes the ledger, tells
 * the receivers (their inbox; the notification mailer writes their mail after commit, see
 * kudos-mail.server.ts). One transaction; a double submit finds the first kudos.
 *
 * The statements that lock rows other transactions share come last, just before commit: the
 * giver's allowance for the month, then the receivers' rows (the receivers insert's trigger
 * queues each receiver for the expertise worker, an upsert that holds their `expertise_outbox`
 * row, and the points go to their balances). Gives to the same person, and the expertise worker
 * rebuilding them, take turns on those rows only for those last few statements.
 */
export async function giveKudos(db: Db, actor: Actor, input: GiveKudosInput, now = new Date()): Promise<{ id: number; itemId: number; created: boolean; left: number }> {
  if (!isActiveEmployee(actor)) throw new ForbiddenError("Only employees give kudos.");
  const parsed = GiveKudosSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw InputError.field(String(issue.path[0] ?? "message"), issue.message);
  }
  const values = parsed.data;
  const receiverIds = [...new Set(values.receiverIds)].sort((a, b) => a - b);
  if (receiverIds.includes(actor.id)) throw InputError.field("receiverIds", "You can't give kudos to yourself. Thank a colleague instead.");
  const messageHtml = renderField(values.message, "message");

  return db.transaction(async (tx) => {
    const [value] = await tx
      .select({ id: companyValues.id })
      .from(companyValues)
      .where(and(eq(companyValues.id, values.valueId), isNull(companyValues.archivedAt)));
    if (!value) throw InputError.field("valueId", "Choose one of the company's values.");

    // The thing it thanks, as the giver may see it; its space is the kudos's space.
    let spaceId: number;
    if (values.subjectItemId !== null) {
      const subject = await loadItem(tx, actor, values.subjectItemId).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw InputError.field("subjectItemId", "That item no longer exists, or you can't see it.");
        throw error;
      });
      if (!(KUDOS_SUBJECT_KINDS as readonly string[]).includes(subject.kind) || subject.deletedAt)
        throw InputError.field("subjectItemId", "Kudos thank an answer, a question, a page, an article or an idea.");
      spaceId = subject.spaceId;
    } else {
      spaceId = await companySpaceId(tx);
    }

    // Receivers: active employees who can see the kudos's space (so they can see their own kudos and what it thanks).
    const found = await tx.execute<{ id: number; name: string; sees: boolean }>(sql`
      select u.id, u.name, ${userSeesSpaceSql} as sees from users u join spaces s on s.id = ${spaceId}
      where u.id = any(${intArray(receiverIds)})`);
    const byId = new Map(found.map((r) => [Number(r.id), r]));
    for (const id of receiverIds) {
      const person = byId.get(id);
      if (!person) throw InputError.field("receiverIds", "One of the people you chose no longer has an account here.");
      if (!person.sees) throw InputError.field("receiverIds", `${person.name} can't receive kudos here: they are no longer active, or can't see this space.`);
    }

    let made = null as { itemId: number; left: number } | null;
    const outcome = await onceBySubmission(tx, kudos, { author: kudos.giverId, key: kudos.submissionKey, id: kudos.id }, actor.id, values.submissionKey, async () => {
      const cost = values.pointsEach * receiverIds.length;
      const [row] = await tx
        .insert(kudos)
        .values({
          spaceId,
          giverId: actor.id,
          valueId: value.id,
          message: values.message,
          messageHtml,
          subjectItemId: values.subjectItemId,
          private: values.private,
          pointsEach: values.pointsEach,
          totalPoints: cost,
          receiverCount: receiverIds.length,
          submissionKey: values.submissionKey,
          createdAt: now,
        })
        .onConflictDoNothing({ target: [kudos.giverId, kudos.submissionKey] })
        .returning({ id: kudos.id, itemId: kudos.itemId });
      // A parallel double submit that lost the insert must not spend anything: points move only
      // after the row is ours (a refused spend rolls the insert back with it).
      if (!row) return null;
      const [gift] = await tx.insert(kudosGifts).values({ kudosId: row.id, giverId: actor.id, pointsEach: values.pointsEach, createdAt: now }).returning({ id: kudosGifts.id });
      await notify(tx, receiverIds, { kind: "kudos", actorId: actor.id, spaceId, itemId: row.itemId });
      await enqueueIndexing(tx, "kudos", [row.id]);
      // The shared rows, last (see above): a refused spend rolls everything back with it.
      const spent = await spendAllowance(tx, actor.id, cost, now, "pointsEach");
      await tx.insert(kudosReceivers).values(receiverIds.map((userId) => ({ kudosId: row.id, userId, createdAt: now })));
      await movePoints(tx, { kudosId: row.id, giftId: gift!.id, giverId: actor.id, receiverIds, pointsEach: values.pointsEach, period: spent.period, at: now });
      // issue 21: webhook event (it names the receivers, so it follows their insert)
      await emitKudosGiven(tx, { kudosId: row.id, spaceId, private: values.private });
      made = { itemId: row.itemId, left: spent.left };
      return row.id;
    });
    if (made) return { id: outcome.id, itemId: made.itemId, created: true, left: made.left };
    // A double submit: the first kudos, and what is left now.
    const [first] = await tx.select({ itemId: kudos.itemId }).from(kudos).where(eq(kudos.id, outcome.id));
    return { id: outcome.id, itemId: first!.itemId, created: outcome.created, left: (await allowanceOf(tx, actor.id, now)).left };
  });
}

/** The ledger entries and balances of one gift: the giver's allowance out, each receiver's earned balance in. */
async function movePoints(tx: Tx, g: { kudosId: number; giftId: number; giverId: number; receiverIds: number[]; pointsEach: number; period: string; at: Date }): Promise<void> {
  if (g.pointsEach === 0) return;
  const entries: LedgerEntry[] = [
    { userId: g.giverId, account: "allowance", entry: "given", points: -g.pointsEach * g.receiverIds.length, period: g.period, kudosId: g.kudosId, giftId: g.giftId, createdAt: g.at },
    ...g.receiverIds.map((userId): LedgerEntry => ({
      userId,
      account: "earned",
      entry: "received",
      points: g.pointsEach,
      kudosId: g.kudosId,
      giftId: g.giftId,
      actorId: g.giverId,
      createdAt: g.at,
    })),
  ];
  await appendLedger(tx, entries);
  await creditEarned(
    tx,
    g.receiverIds.map((userId) => ({ userId, points: g.pointsEach })),
  );
}

/**
 * Adds the actor's own points to a kudos someone else gave (as on Bonusly): each receiver gets
 * `pointsEach` more from the actor's allowance. Once per person; never to a kudos to oneself.
 */
export async function addToKudos(db: Db, actor: Actor, kudosId: number, input: { pointsEach: number; message?: string }, now = new Date()): Promise<{ left: number }> {
  const points = input.pointsEach;
  if (!Number.isInteger(points) || points < 1 || points > KUDOS_MAX_POINTS_EACH) throw InputError.field("pointsEach", `Add between 1 and ${KUDOS_MAX_POINTS_EACH} points.`);
  const message = normalizeText(input.message ?? "").slice(0, 500);
  return db.transaction(async (tx) => {
    const access = await loadKudos(tx, actor, { id: kudosId }, { forUpdate: true });
    if (access.kudos.deletedAt) throw new NotFoundError();
    if (access.receiverIds.includes(actor.id)) throw new InputError("You can't add points to kudos given to you.");
    if (access.kudos.giverId === actor.id) throw new InputError("You gave this kudos; give a new one to thank them again.");
    const [gift] = await tx
      .insert(kudosGifts)
      .values({ kudosId, giverId: actor.id, pointsEach: points, message, createdAt: now })
      .onConflictDoNothing({ target: [kudosGifts.kudosId, kudosGifts.giverId] })
      .returning({ id: kudosGifts.id });
    if (!gift) throw new InputError("You already added your points to this kudos.");
    await tx
      .update(kudos)
      .set({ totalPoints: sql`${kudos.totalPoints} + ${points * access.receiverIds.length}`, addOnCount: sql`${kudos.addOnCount} + 1` })
      .where(eq(kudos.id, kudosId));
    // The receivers' mail ("added points") comes from these notifications and this gift, after commit.
    await notify(tx, access.receiverIds, { kind: "kudos", actorId: actor.id, spaceId: access.kudos.spaceId, itemId: access.kudos.itemId });
    await enqueueIndexing(tx, "kudos", [kudosId], { priority: 1 });
    // As in giveKudos, the rows other transactions share come last: the adder's allowance, the receivers' balances.
    const spent = await spendAllowance(tx, actor.id, points * access.receiverIds.length, now, "pointsEach");
    await movePoints(tx, { kudosId, giftId: gift.id, giverId: actor.id, receiverIds: access.receiverIds, pointsEach: points, period: spent.period, at: now });
    return { left: spent.left };
  });
}

/** "+1" on a kudos (a support vote on its item): anyone who sees it but its receivers. */
export async function plusOneKudos(db: Db, actor: Actor, itemId: number, value: VoteValue): Promise<VoteOutcome> {
  if (value === -1) throw new InputError("Kudos take a +1 or nothing; there are no votes against them.");
  return db.transaction(async (tx) => {
    const access = await loadKudos(tx, actor, { itemId }, { forUpdate: true });
    if (access.receiverIds.includes(actor.id)) throw new InputError("You can't +1 kudos given to you.");
    if (value === 1) {
      const added = await tx.insert(votes).values({ itemId, userId: actor.id, value: 1 }).onConflictDoNothing().returning({ itemId: votes.itemId });
      if (added.length > 0)
        await tx
          .update(kudos)
          .set({ plusOneCount: sql`${kudos.plusOneCount} + 1` })
          .where(eq(kudos.id, access.kudos.id));
    } else {
      const removed = await tx
        .delete(votes)
        .where(and(eq(votes.itemId, itemId), eq(votes.userId, actor.id)))
        .returning({ itemId: votes.itemId });
      if (removed.length > 0)
        await tx
          .update(kudos)
          .set({ plusOneCount: sql`greatest(${kudos.plusOneCount} - 1, 0)` })
          .where(eq(kudos.id, access.kudos.id));
    }
    // The search document's score is its +1 count: a background refresh.
    await enqueueIndexing(tx, "kudos", [access.kudos.id], { priority: 1 });
    const [row] = await tx.select({ count: kudos.plusOneCount }).from(kudos).where(eq(kudos.id, access.kudos.id));
    return { myVote: value === 1 ? 1 : 0, score: row?.count ?? 0 };
  });
}

/**
 * Withdraws a kudos (HR, admins, moderators of its space; the moderation queue's "delete"). Every
 * point goes back through new ledger entries: each giver's allowance if the month is still
 * running, and each receiver's earned balance as far as it still holds them (what they already
 * redeemed stays redeemed: the balance never goes negative).
 */
export async function withdrawKudos(db: Db | Tx, actor: Actor, itemId: number, reason = "", now = new Date()): Promise<{ changed: boolean }> {
  const run = async (tx: Tx) => {
    const access = await loadKudos(tx, actor, { itemId }, { forUpdate: true, allowDeleted: true });
    if (!access.canModerate) throw new ForbiddenError("Only HR, admins and the space's moderators withdraw kudos.");
    if (access.kudos.deletedAt) return { changed: false };
    const gifts = await tx
      .select()
      .from(kudosGifts)
      .where(and(eq(kudosGifts.kudosId, access.kudos.id), isNull(kudosGifts.reversedAt)));
    const entries: LedgerEntry[] = [];
    const note = normalizeText(reason).slice(0, 500);
    for (const gift of gifts) {
      const cost = gift.pointsEach * access.receiverIds.length;
      const giftPeriod = periodOf(gift.createdAt);
      const refunded = await refundAllowance(tx, gift.giverId, giftPeriod, cost, now);
      if (refunded > 0)
        entries.push({
          userId: gift.giverId,
          account: "allowance",
          entry: "reversed",
          points: refunded,
          period: giftPeriod,
          kudosId: access.kudos.id,
          giftId: gift.id,
          actorId: actor.id,
          note,
        });
      for (const receiverId of access.receiverIds) {
        const taken = await debitEarned(tx, receiverId, gift.pointsEach, { upTo: true, receivedToo: true });
        if (taken > 0) entries.push({ userId: receiverId, account: "earned", entry: "reversed", points: -taken, kudosId: access.kudos.id, giftId: gift.id, actorId: actor.id, note });
      }
    }
    await appendLedger(tx, entries);
    if (gifts.length > 0)
      await tx
        .update(kudosGifts)
        .set({ reversedAt: now })
        .where(
          inArray(
            kudosGifts.id,
            gifts.map((g) => g.id),
          ),
        );
    await tx.update(kudos).set({ deletedAt: now, deletedById: actor.id, deletedReason: note, totalPoints: 0 }).where(eq(kudos.id, access.kudos.id));
    const withdrawn = { type: "kudos", id: access.kudos.itemId, spaceId: access.kudos.spaceId, authorId: access.kudos.giverId };
    await recordDeletion(tx, actor.id, withdrawn, true, note ? { reason: note } : undefined);
    await enqueueIndexing(tx, "kudos", [access.kudos.id]);
    return { changed: true };
  };
  // Inside the moderation queue's transaction this is a savepoint.
  return db.transaction(run);
}

/** People's names for the receivers picker, by id (active employees only). */
export async function activeEmployeesById(db: Db | Tx, ids: readonly number[]): Promise<Array<{ id: number; name: string }>> {
  const valid = ids.filter(isRowId);
  if (valid.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(inArray(users.id, valid), eq(users.kind, "employee"), isNull(users.deactivatedAt)));
}

// ---------------------------------------------------------------------------------------------
// The give form's receivers field

/** A person as the receivers field names them: the handle mentions use (the email's local part, or the whole address when that is shared). */
export type Receiver = { id: number; name: string; handle: string };

/**
 * The people the give form names, in the order typed: "@ada.lovelace", "ada@acme.example" or a
 * full name ("Grace Liu"), each naming exactly one active employee. Names nobody has, or that
 * several people share, come back as one message for the field. One query, on the indexes of
 * lower(email), its local part and lower(name) (migration 0017), not a pass over everyone.
 */
export async function resolveReceivers(db: Db | Tx, entries: readonly string[]): Promise<Receiver[]> {
  const keys = entries.map((e) => e.replace(/^@/, "").trim().toLowerCase());
  if (keys.length === 0) return [];
  const list = sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  );
  const rows = await db.execute<{ id: number; name: string; email: string; local: string; shared: boolean }>(sql`
    select u.id, u.name, u.email, split_part(u.email, '@', 1) as local,
      exists (select 1 from users o where o.id <> u.id and o.kind = 'employee' and o.deactivated_at is null and o.email_verified_at is not null
        and split_part(lower(o.email), '@', 1) = split_part(lower(u.email), '@', 1)) as shared
    from users u
    where u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null
      and (lower(u.email) in (${list}) or split_part(lower(u.email), '@', 1) in (${list}) or lower(u.name) in (${list}))
    limit 500`);
  const found: Receiver[] = [];
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  keys.forEach((key, i) => {
    const byEmail = rows.filter((r) => r.email.toLowerCase() === key);
    const byHandle = rows.filter((r) => r.local.toLowerCase() === key);
    const byName = rows.filter((r) => r.name.toLowerCase() === key);
    const match = byEmail.length === 1 ? byEmail : byHandle.length === 1 ? byHandle : byName.length === 1 ? byName : byHandle.length > 1 ? byHandle : byName;
    if (match.length === 1) {
      const r = match[0]!;
      if (!found.some((f) => f.id === Number(r.id))) found.push({ id: Number(r.id), name: r.name, handle: r.shared ? r.email : r.local });
    } else (match.length > 1 ? ambiguous : unknown).push(entries[i]!);
  });
  const problems: string[] = [];
  if (unknown.length > 0) problems.push(`No colleague found for ${unknown.map((u) => `“${u}”`).join(", ")}: use a full name, a handle such as @ada.lovelace, or an email address.`);
  if (ambiguous.length > 0) problems.push(`More than one person is called ${ambiguous.map((u) => `“${u}”`).join(", ")}: use their handle or email address.`);
  if (problems.length > 0) throw InputError.field("receivers", problems.join(" "));
  return found;
}

/** People by id as the receivers field names them (a preselected receiver, the form coming back), active employees only. One query. */
export async function receiversById(db: Db | Tx, ids: readonly number[]): Promise<Receiver[]> {
  const valid = [...new Set(ids.filter(isRowId))];
  if (valid.length === 0) return [];
  const rows = await db.execute<{ id: number; name: string; email: string; local: string; shared: boolean }>(sql`
    select u.id, u.name, u.email, split_part(u.email, '@', 1) as local,
      exists (select 1 from users o where o.id <> u.id and o.kind = 'employee' and o.deactivated_at is null and o.email_verified_at is not null
        and split_part(lower(o.email), '@', 1) = split_part(lower(u.email), '@', 1)) as shared
    from users u
    where u.id = any(${intArray(valid)}) and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, handle: r.shared ? r.email : r.local }));
}

import { and, asc, desc, eq, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { awardJurors, awardNominations, awardRounds, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { followInTx } from "#app/features/social/follows.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import { type Actor, canSeeSpace, type Membership, type Space, userSeesSpaceSql, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { idParam, isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import {
  type AwardPhase,
  awardPhase,
  type EditRoundInput,
  NOMINATIONS_PAGE_SIZE,
  type NominateInput,
  type PhaseStep,
  rankResults,
  type RoundInput,
  ROUNDS_PAGE_SIZE,
  stepsFrom,
} from "./award-schemas.ts";
import { companySpaceId } from "./company-space.server.ts";
import { recordAudit, recordAudits } from "#app/features/audit/audit.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Award rounds the employees vote for (the talent show, the C&B award): HR creates a round; in its
 * nomination phase employees nominate colleagues with a statement; HR or the round's jury may
 * shortlist; in its voting phase every active employee casts one secret ballot; on the results
 * date the tallies and winners are published and the nominees told. See docs/recognition.md.
 *
 * Ballots are secret by construction: a ballot is a row in `award_ballots` (round, voter: who has
 * voted, so each person votes once) and +1 on each chosen nominee's row in `award_tallies` (round,
 * nominee, votes: counters, no voter), in one transaction. Nothing else is written that names
 * both, and nothing here returns, logs or notifies anything that would: `castBallot` answers with
 * nothing at all. Tallies are read only once the results date has passed, for everyone, HR too.
 *
 * This module must not import comments.server.ts (which imports every kind, this one's included):
 * the round page's comments are read by its route.
 */

export type AwardRound = typeof awardRounds.$inferSelect;
export type AwardNomination = typeof awardNominations.$inferSelect;

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

/** HR runs award rounds; admins may do everything HR does. */
export function isHr(actor: Actor): boolean {
  return isActiveEmployee(actor) && (actor.role === "hr" || actor.role === "admin");
}

export function roundUrl(round: { id: number }): string {
  return `/awards/${round.id}`;
}

export function nominationUrl(nomination: { id: number; roundId: number }): string {
  return `/awards/${nomination.roundId}#nomination-${nomination.id}`;
}

// ---------------------------------------------------------------------------------------------
// Loading

export type RoundAccess = {
  round: AwardRound;
  space: Space;
  membership: Membership;
  /** HR and admins: create, edit, move phases, shortlist, name the jury. */
  canManage: boolean;
  /** HR, admins and moderators: remove a nomination (a flagged one, from the moderation queue too). */
  canModerate: boolean;
  isJuror: boolean;
};

/**
 * A round for `actor`, or the 404 a missing one answers. Rounds live in the company space, which
 * every active employee sees; customers and deactivated accounts see none. `forUpdate` locks the
 * round's row: nominations, ballots and phase moves on one round take turns on it.
 */
export async function loadRound(db: Db | Tx, actor: Actor, key: { roundId: number } | { itemId: number }, options: { forUpdate?: boolean } = {}): Promise<RoundAccess> {
  const id = "roundId" in key ? key.roundId : key.itemId;
  if (!isActiveEmployee(actor) || !isRowId(id)) throw new NotFoundError();
  const query = db
    .select({
      round: awardRounds,
      space: spaces,
      role: spaceMembers.role,
      isJuror: sql<boolean>`exists (select 1 from award_jurors j where j.round_id = ${awardRounds.id} and j.user_id = ${actor.id})`,
    })
    .from(awardRounds)
    .innerJoin(spaces, eq(spaces.id, awardRounds.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .where(and("roundId" in key ? eq(awardRounds.id, id) : eq(awardRounds.itemId, id), visibleSpacesCondition(actor)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: awardRounds }) : await query;
  if (!row) throw new NotFoundError();
  const membership: Membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, row.space, membership)) throw new NotFoundError();
  return {
    round: row.round,
    space: row.space,
    membership,
    canManage: isHr(actor),
    canModerate: isHr(actor) || isModerator(actor, membership),
    isJuror: Boolean(row.isJuror),
  };
}

export type NominationAccess = {
  nomination: AwardNomination;
  round: Pick<AwardRound, "id" | "itemId" | "title">;
  nomineeName: string;
  space: Space;
  membership: Membership;
  canModerate: boolean;
};

/**
 * A nomination for `actor`: every employee who sees its round sees it. A withdrawn or removed one
 * only where `allowDeleted`, and then only for its nominator and moderators (HR included).
 */
export async function loadNomination(
  db: Db | Tx,
  actor: Actor,
  key: { nominationId: number } | { itemId: number },
  options: { forUpdate?: boolean; allowDeleted?: boolean } = {},
): Promise<NominationAccess> {
  const id = "nominationId" in key ? key.nominationId : key.itemId;
  if (!isActiveEmployee(actor) || !isRowId(id)) throw new NotFoundError();
  const query = db
    .select({
      nomination: awardNominations,
      round: { id: awardRounds.id, itemId: awardRounds.itemId, title: awardRounds.title },
      nomineeName: users.name,
      space: spaces,
      role: spaceMembers.role,
    })
    .from(awardNominations)
    .innerJoin(awardRounds, eq(awardRounds.id, awardNominations.roundId))
    .innerJoin(users, eq(users.id, awardNominations.nomineeId))
    .innerJoin(spaces, eq(spaces.id, awardNominations.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .where(and("nominationId" in key ? eq(awardNominations.id, id) : eq(awardNominations.itemId, id), visibleSpacesCondition(actor)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: awardNominations }) : await query;
  if (!row) throw new NotFoundError();
  const membership: Membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, row.space, membership)) throw new NotFoundError();
  const canModerate = isHr(actor) || isModerator(actor, membership);
  if (row.nomination.deletedAt && !(options.allowDeleted && (canModerate || row.nomination.nominatorId === actor.id))) throw new NotFoundError();
  return { nomination: row.nomination, round: row.round, nomineeName: row.nomineeName, space: row.space, membership, canModerate };
}

// ---------------------------------------------------------------------------------------------
// People

type Person = { id: number; name: string; department: string };

/** The active employee a form names (a handle, or the id a picker filled in), or a message on `field`. */
async function activePerson(tx: Tx, typed: string, field: string): Promise<Person> {
  const handleOrId = typed.trim().replace(/^@/, "").toLowerCase();
  const asId = idParam(handleOrId);
  const userId = Number.isNaN(asId) ? (await usersByHandle(tx, [handleOrId])).get(handleOrId) : asId;
  const unknown = () => InputError.field(field, `No one active goes by @${handleOrId.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
  if (userId === undefined) throw unknown();
  const [row] = await tx
    .select({ id: users.id, name: users.name, department: users.department, kind: users.kind, deactivatedAt: users.deactivatedAt, verified: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!row || row.kind !== "employee" || row.deactivatedAt || !row.verified) throw unknown();
  return { id: row.id, name: row.name, department: row.department };
}

/** The active employees these handles name (a jury), or a message on `field` naming the unknown ones. */
async function activePeople(tx: Tx, handles: string[], field: string): Promise<number[]> {
  if (handles.length === 0) return [];
  const found = await usersByHandle(tx, handles);
  const unknown = handles.filter((h) => !found.has(h));
  if (unknown.length > 0) throw InputError.field(field, `No one active goes by ${unknown.map((h) => `@${h}`).join(", ")}: use a colleague's handle, the part of their email before the @.`);
  return [...new Set(found.values())];
}

const sameDepartment = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function checkDepartment(tx: Tx, input: Pick<RoundInput, "nomineeScope" | "nomineeDepartment">): Promise<void> {
  if (input.nomineeScope !== "department") return;
  const [row] = await tx.execute<{ found: boolean }>(sql`
    select exists (select 1 from users where kind = 'employee' and deactivated_at is null
      and lower(trim(department)) = lower(trim(${input.nomineeDepartment}))) as found`);
  if (!row?.found) throw InputError.field("nomineeDepartment", `No one active works in “${input.nomineeDepartment}”: use a department as people's profiles spell it.`);
}

// ---------------------------------------------------------------------------------------------
// Rounds

/** The columns HR's round form sets besides the dates, alike on create and on edit. */
function formColumns(input: EditRoundInput, descriptionHtml: string) {
  return {
    title: input.title,
    description: input.description,
    descriptionHtml,
    reward: input.reward,
    nomineeScope: input.nomineeScope,
    // A department is kept only for a department round: switching scope drops it.
    nomineeDepartment: input.nomineeScope === "department" ? input.nomineeDepartment : "",
    selfNomination: input.selfNomination,
    shortlist: input.shortlist,
    votesPerVoter: input.votesPerVoter,
    winnerCount: input.winnerCount,
  };
}

/** Creates a round in the company space (HR and admins); its creator follows it. A double submit finds the first round. */
export async function createRound(db: Db, actor: Actor, input: RoundInput, now = new Date()): Promise<{ id: number; created: boolean }> {
  if (!isHr(actor)) throw new ForbiddenError("Award rounds are created by HR.");
  if (input.votingCloseAt <= now) throw InputError.field("votingCloseAt", "Voting must close in the future (times are in UTC).");
  const descriptionHtml = renderField(input.description, "description");
  return db.transaction(async (tx) => {
    const spaceId = await companySpaceId(tx);
    return onceBySubmission(tx, awardRounds, { author: awardRounds.createdById, key: awardRounds.submissionKey, id: awardRounds.id }, actor.id, input.submissionKey, async () => {
      await checkDepartment(tx, input);
      const jurorIds = await activePeople(tx, input.jurors, "jurors");
      const [row] = await tx
        .insert(awardRounds)
        .values({
          spaceId,
          ...formColumns(input, descriptionHtml),
          nominationsOpenAt: input.nominationsOpenAt,
          nominationsCloseAt: input.nominationsCloseAt,
          votingOpenAt: input.votingOpenAt,
          votingCloseAt: input.votingCloseAt,
          resultsAt: input.resultsAt,
          createdById: actor.id,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [awardRounds.createdById, awardRounds.submissionKey] })
        .returning({ id: awardRounds.id, itemId: awardRounds.itemId });
      if (!row) return null;
      if (jurorIds.length > 0) await tx.insert(awardJurors).values(jurorIds.map((userId) => ({ roundId: row.id, userId })));
      await recordAudit(tx, { actorId: actor.id, action: "award.round_created", target: { type: "award_round", id: row.itemId }, spaceId, details: { title: input.title } });
      await followInTx(tx, actor.id, row.itemId);
      await attachUploads(tx, { uploaderId: actor.id, itemId: row.itemId, body: input.description });
      return row.id;
    });
  });
}

const DATE_FIELDS = ["nominationsOpenAt", "nominationsCloseAt", "votingOpenAt", "votingCloseAt", "resultsAt"] as const;

/** The form shows minutes: a date is unchanged when it reads the same to the minute. */
const sameMinute = (a: Date, b: Date) => Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000);

/**
 * Edits a round's texts and dates (HR and admins). Once voting has started, what decides the
 * ballot is fixed: the number of votes each, the shortlist, who may be nominated, and the dates
 * that have passed. Once the results are out, the dates and the number of winners are too.
 */
export async function editRound(db: Db, actor: Actor, roundId: number, input: EditRoundInput, now = new Date()): Promise<{ id: number }> {
  const descriptionHtml = renderField(input.description, "description");
  return db.transaction(async (tx) => {
    const { round, canManage } = await loadRound(tx, actor, { roundId }, { forUpdate: true });
    if (!canManage) throw new ForbiddenError("Only HR edits award rounds.");
    const dates = Object.fromEntries(DATE_FIELDS.map((f) => [f, sameMinute(input[f], round[f]) ? round[f] : input[f]])) as Record<(typeof DATE_FIELDS)[number], Date>;
    const changed = DATE_FIELDS.filter((f) => dates[f] !== round[f]);
    const phase = awardPhase(round, now);
    if (phase === "results" && changed.length > 0) throw new InputError("The results are out: the round's dates can no longer change.");
    if (phase === "results" && input.winnerCount !== round.winnerCount) throw InputError.field("winnerCount", "The results are out: the number of winners can no longer change.");
    if (now >= round.votingOpenAt) {
      const fixed = "Voting has started, so this can no longer change.";
      const errors: Record<string, string> = {};
      if (input.votesPerVoter !== round.votesPerVoter) errors.votesPerVoter = fixed;
      if (input.shortlist !== round.shortlist) errors.shortlist = fixed;
      if (input.selfNomination !== round.selfNomination) errors.selfNomination = fixed;
      if (input.nomineeScope !== round.nomineeScope || (input.nomineeScope === "department" && !sameDepartment(input.nomineeDepartment, round.nomineeDepartment)))
        errors.nomineeScope = fixed;
      for (const f of ["nominationsOpenAt", "nominationsCloseAt", "votingOpenAt"] as const) if (changed.includes(f)) errors[f] = "Voting has started: this date has passed and can't change.";
      if (Object.keys(errors).length > 0) throw new InputError(Object.values(errors)[0]!, errors);
    } else {
      await checkDepartment(tx, input);
    }
    if (!(
      dates.nominationsOpenAt <= dates.nominationsCloseAt &&
      dates.nominationsCloseAt <= dates.votingOpenAt &&
      dates.votingOpenAt <= dates.votingCloseAt &&
      dates.votingCloseAt <= dates.resultsAt
    ))
      throw new InputError("The dates must follow each other: nominations open, nominations close, voting opens, voting closes, results.");
    await tx
      .update(awardRounds)
      .set({
        ...formColumns(input, descriptionHtml),
        ...dates,
      })
      .where(eq(awardRounds.id, round.id));
    await attachUploads(tx, { uploaderId: actor.id, itemId: round.itemId, body: input.description });
    // Results moved into the past by an edit are announced now, as the scheduler would within a minute.
    if (dates.resultsAt <= now) await announce(tx, [round.id], now);
    return { id: round.id };
  });
}

/** Names the round's jury (replacing it): they shortlist with HR. HR and admins, until the results are out. */
export async function setJury(db: Db, actor: Actor, roundId: number, handles: string[], now = new Date()): Promise<{ jurors: number }> {
  return db.transaction(async (tx) => {
    const { round, canManage } = await loadRound(tx, actor, { roundId }, { forUpdate: true });
    if (!canManage) throw new ForbiddenError("Only HR names a round's jury.");
    if (awardPhase(round, now) === "results") throw new InputError("The results are out: the jury has done its work.");
    const ids = await activePeople(tx, handles, "jurors");
    await tx.delete(awardJurors).where(eq(awardJurors.roundId, round.id));
    if (ids.length > 0) await tx.insert(awardJurors).values(ids.map((userId) => ({ roundId: round.id, userId })));
    return { jurors: ids.length };
  });
}

const least = (date: Date, now: Date) => (date < now ? date : now);

/**
 * Moves a round on to its next phase now (HR and admins) by setting that phase's date to now,
 * pulling earlier dates back to now where they were later, so the dates keep their order.
 * "publish" closes voting and publishes the results at once, and tells the nominees.
 */
export async function movePhase(db: Db, actor: Actor, roundId: number, step: PhaseStep, now = new Date()): Promise<{ phase: AwardPhase }> {
  return db.transaction(async (tx) => {
    const { round, canManage } = await loadRound(tx, actor, { roundId }, { forUpdate: true });
    if (!canManage) throw new ForbiddenError("Only HR moves a round from one phase to the next.");
    const phase = awardPhase(round, now);
    if (!stepsFrom(phase).includes(step)) throw new InputError("The round has moved on since this page was loaded: reload it to see where it is.");
    let set: Partial<Record<(typeof DATE_FIELDS)[number], Date>>;
    switch (step) {
      case "open-nominations":
        set = { nominationsOpenAt: now };
        break;
      case "close-nominations":
        set = { nominationsCloseAt: now };
        break;
      case "open-voting": {
        const candidates = await candidatesOf(tx, round);
        if (candidates.length === 0) {
          throw new InputError(round.shortlist ? "No one is on the shortlist yet: tick the nominees who go on the ballot first." : "No one has been nominated yet: voting needs candidates.");
        }
        set = { nominationsOpenAt: least(round.nominationsOpenAt, now), nominationsCloseAt: least(round.nominationsCloseAt, now), votingOpenAt: now };
        break;
      }
      case "publish":
        set = {
          nominationsOpenAt: least(round.nominationsOpenAt, now),
          nominationsCloseAt: least(round.nominationsCloseAt, now),
          votingOpenAt: least(round.votingOpenAt, now),
          votingCloseAt: least(round.votingCloseAt, now),
          resultsAt: now,
        };
        break;
    }
    const [updated] = await tx.update(awardRounds).set(set).where(eq(awardRounds.id, round.id)).returning();
    if (step === "publish") await announce(tx, [round.id], now);
    const action = step === "publish" ? "award.round_closed" : "award.round_moved";
    await recordAudit(tx, { actorId: actor.id, action, target: { type: "award_round", id: round.itemId }, spaceId: round.spaceId, details: { step } });
    return { phase: awardPhase(updated!, now) };
  });
}

// ---------------------------------------------------------------------------------------------
// Nominations

/**
 * Nominates a colleague (or oneself, where the round allows it) with a statement, in the round's
 * nomination phase. The nominee must be an active employee, of the round's department when it has
 * one. Each person nominates a colleague once per round; a nomination its nominator withdrew can
 * be made again. The nominee is told (kind "award", the nominator named: nominations are public).
 */
export async function nominate(db: Db, actor: Actor, roundId: number, input: NominateInput, now = new Date()): Promise<{ id: number; created: boolean }> {
  const statementHtml = renderField(input.statement, "statement");
  return db.transaction(async (tx) => {
    const { round } = await loadRound(tx, actor, { roundId }, { forUpdate: true });
    const phase = awardPhase(round, now);
    if (phase !== "nominating") throw new InputError(phase === "upcoming" ? "Nominations are not open yet." : "Nominations for this round are closed.");
    // What the create step made, read after it (a closure's assignment is invisible to narrowing).
    const made: { row?: { id: number; itemId: number } } = {};
    const outcome = await onceBySubmission(
      tx,
      awardNominations,
      { author: awardNominations.nominatorId, key: awardNominations.submissionKey, id: awardNominations.id },
      actor.id,
      input.submissionKey,
      async () => {
        const nominee = await activePerson(tx, input.nominee, "nominee");
        if (nominee.id === actor.id && !round.selfNomination) throw InputError.field("nominee", "This round doesn't take self-nominations: nominate a colleague.");
        if (round.nomineeScope === "department" && !sameDepartment(nominee.department, round.nomineeDepartment)) {
          throw InputError.field("nominee", `This round is for people in ${round.nomineeDepartment}; ${nominee.name} is not one of them.`);
        }
        const byNominee = and(eq(awardNominations.roundId, round.id), eq(awardNominations.nomineeId, nominee.id), eq(awardNominations.nominatorId, actor.id));
        const [earlier] = await tx.select().from(awardNominations).where(byNominee).for("update");
        const who = nominee.id === actor.id ? "yourself" : nominee.name;
        if (earlier && !earlier.deletedAt) throw InputError.field("nominee", `You have already nominated ${who} in this round.`);
        if (earlier && earlier.deletedById !== actor.id)
          throw InputError.field("nominee", `Your nomination of ${who} in this round was removed by HR or a moderator, so it can't be made again.`);
        if (earlier) {
          // Withdrawn by its nominator: made again with the new statement.
          await tx
            .update(awardNominations)
            .set({ statement: input.statement, statementHtml, deletedAt: null, deletedById: null, shortlistedAt: null, submissionKey: input.submissionKey ?? null, createdAt: now })
            .where(eq(awardNominations.id, earlier.id));
          made.row = { id: earlier.id, itemId: earlier.itemId };
        } else {
          const [row] = await tx
            .insert(awardNominations)
            .values({
              spaceId: round.spaceId,
              roundId: round.id,
              nomineeId: nominee.id,
              nominatorId: actor.id,
              statement: input.statement,
              statementHtml,
              submissionKey: input.submissionKey ?? null,
              createdAt: now,
            })
            .onConflictDoNothing()
            .returning({ id: awardNominations.id, itemId: awardNominations.itemId });
          // Held by the round's lock, a conflict can only be this form's own earlier submit.
          if (!row) return null;
          made.row = row;
        }
        return made.row.id;
      },
    );
    if (outcome.created && made.row) {
      const { itemId } = made.row;
      const [nomination] = await tx.select({ nomineeId: awardNominations.nomineeId }).from(awardNominations).where(eq(awardNominations.id, outcome.id));
      await tx
        .update(awardRounds)
        .set({ nominationCount: sql`${awardRounds.nominationCount} + 1` })
        .where(eq(awardRounds.id, round.id));
      await attachUploads(tx, { uploaderId: actor.id, itemId, body: input.statement });
      await notify(tx, [nomination!.nomineeId], { kind: "award", actorId: actor.id, spaceId: round.spaceId, itemId: round.itemId, subjectItemId: itemId });
    }
    return outcome;
  });
}

/**
 * Takes a nomination off the round (soft: its row stays, so the one-nomination-per-colleague rule
 * still holds): its nominator while nominations are open, or HR and moderators at any time (a
 * flagged statement). From voting on, a nomination that alone puts its nominee on the ballot
 * stays: the candidates are fixed once people have voted for them.
 */
type TakeOffOptions = { now?: Date; /** The round the form was on: a nomination of another round is not there. */ roundId?: number };

async function takeOff(
  db: Db | Tx,
  actor: Actor,
  key: { nominationId: number } | { itemId: number },
  as: "withdraw" | "remove",
  { now = new Date(), roundId }: TakeOffOptions,
): Promise<{ changed: boolean; roundId: number }> {
  return db.transaction(async (tx) => {
    const found = await loadNomination(tx, actor, key, { allowDeleted: true });
    if (roundId !== undefined && found.nomination.roundId !== roundId) throw new NotFoundError();
    // The round first, as every write on a round locks it, then the nomination.
    const { round } = await loadRound(tx, actor, { roundId: found.nomination.roundId }, { forUpdate: true });
    const { nomination, canModerate } = await loadNomination(tx, actor, key, { allowDeleted: true, forUpdate: true });
    if (as === "withdraw") {
      if (nomination.nominatorId !== actor.id) throw new ForbiddenError("Only its nominator withdraws a nomination.");
      if (awardPhase(round, now) !== "nominating") throw new InputError("Nominations are closed: a nomination can no longer be withdrawn.");
    } else if (!canModerate) {
      throw new ForbiddenError("Only HR and moderators remove a nomination.");
    }
    if (nomination.deletedAt) return { changed: false, roundId: round.id };
    if (now >= round.votingOpenAt) {
      const others = await tx.$count(
        awardNominations,
        and(
          eq(awardNominations.roundId, round.id),
          eq(awardNominations.nomineeId, nomination.nomineeId),
          isNull(awardNominations.deletedAt),
          sql`${awardNominations.id} <> ${nomination.id}`,
          round.shortlist ? sql`${awardNominations.shortlistedAt} is not null` : undefined,
        ),
      );
      const onBallot = !round.shortlist || nomination.shortlistedAt !== null;
      if (onBallot && others === 0) throw new InputError("This nomination is what puts its nominee on the ballot, and voting has started: it can no longer be removed.");
    }
    await tx.update(awardNominations).set({ deletedAt: now, deletedById: actor.id }).where(eq(awardNominations.id, nomination.id));
    await tx
      .update(awardRounds)
      .set({ nominationCount: sql`greatest(${awardRounds.nominationCount} - 1, 0)` })
      .where(eq(awardRounds.id, round.id));
    return { changed: true, roundId: round.id };
  });
}

export function withdrawNomination(db: Db, actor: Actor, nominationId: number, options: TakeOffOptions = {}) {
  return takeOff(db, actor, { nominationId }, "withdraw", options);
}

// `Db | Tx`: the moderation queue removes a flagged nomination inside its own transaction (a savepoint here).
export function removeNomination(db: Db | Tx, actor: Actor, key: { nominationId: number } | { itemId: number }, options: TakeOffOptions = {}) {
  return takeOff(db, actor, key, "remove", options);
}

/**
 * The shortlist (rounds that have one): HR or the round's jury tick the nominees who go on the
 * ballot, any time before voting opens. Ticking marks every live nomination of that nominee.
 */
export async function setShortlist(db: Db, actor: Actor, roundId: number, nomineeIds: number[], now = new Date()): Promise<{ shortlisted: number }> {
  return db.transaction(async (tx) => {
    const { round, canManage, isJuror } = await loadRound(tx, actor, { roundId }, { forUpdate: true });
    if (!canManage && !isJuror) throw new ForbiddenError("Only HR and the round's jury choose the shortlist.");
    if (!round.shortlist) throw new InputError("This round has no shortlist: everyone nominated goes on the ballot.");
    if (now >= round.votingOpenAt) throw new InputError("Voting has started: the shortlist is final.");
    const ids = [...new Set(nomineeIds)];
    const nominees = new Set((await nomineesOf(tx, round.id)).map((n) => n.id));
    if (ids.some((id) => !nominees.has(id))) throw InputError.field("nominee", "Someone you ticked is no longer nominated: reload the page and try again.");
    await tx.execute(sql`
      update award_nominations set shortlisted_at = case when nominee_id = any(${intArray(ids)}) then coalesce(shortlisted_at, ${now.toISOString()}::timestamptz) else null end
      where round_id = ${round.id} and deleted_at is null`);
    return { shortlisted: ids.length };
  });
}

type Nominee = { id: number; name: string; title: string; department: string; nominations: number; shortlisted: boolean };

/** Everyone with a live nomination in the round who is still an active employee. */
async function nomineesOf(db: Db | Tx, roundId: number): Promise<Nominee[]> {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      title: users.title,
      department: users.department,
      nominations: sql<number>`count(*)::int`,
      shortlisted: sql<boolean>`bool_or(${awardNominations.shortlistedAt} is not null)`,
    })
    .from(awardNominations)
    .innerJoin(users, eq(users.id, awardNominations.nomineeId))
    .where(and(eq(awardNominations.roundId, roundId), isNull(awardNominations.deletedAt), isNull(users.deactivatedAt)))
    .groupBy(users.id, users.name, users.title, users.department)
    .orderBy(asc(users.name), asc(users.id));
  return rows.map((r) => ({ ...r, nominations: Number(r.nominations), shortlisted: Boolean(r.shortlisted) }));
}

/** Who is on the ballot: everyone nominated, or only the shortlisted where the round has a shortlist. */
async function candidatesOf(db: Db | Tx, round: Pick<AwardRound, "id" | "shortlist">): Promise<Nominee[]> {
  const nominees = await nomineesOf(db, round.id);
  return round.shortlist ? nominees.filter((n) => n.shortlisted) : nominees;
}

// ---------------------------------------------------------------------------------------------
// Ballots

/**
 * Casts `actor`'s ballot: 1 to `votesPerVoter` different candidates, never oneself, once per
 * round, while voting is open. One transaction on the round's locked row: the voter goes into
 * `award_ballots` (a second ballot conflicts on its key and is refused), each choice adds one to
 * its nominee's tally, and the round's ballot count moves. It returns nothing, writes nothing
 * else and logs nothing: no row, message or answer ever holds both the voter and a choice.
 */
export async function castBallot(db: Db, actor: Actor, roundId: number, nomineeIds: readonly number[], now = new Date()): Promise<void> {
  if (!isActiveEmployee(actor)) throw new NotFoundError();
  await db.transaction(async (tx) => {
    const { round } = await loadRound(tx, actor, { roundId }, { forUpdate: true });
    const phase = awardPhase(round, now);
    if (phase !== "voting") throw new InputError(phase === "counting" || phase === "results" ? "Voting in this round has closed." : "Voting in this round has not opened yet.");
    const choices = [...new Set(nomineeIds)];
    if (choices.length !== nomineeIds.length) throw InputError.field("choice", "You chose the same person twice: each vote goes to a different person.");
    if (choices.length === 0) throw InputError.field("choice", "Choose who you vote for.");
    if (choices.length > round.votesPerVoter) {
      throw InputError.field(
        "choice",
        round.votesPerVoter === 1 ? "You have one vote: choose one person." : `You have ${round.votesPerVoter} votes: choose at most ${round.votesPerVoter} people.`,
      );
    }
    if (choices.includes(actor.id)) throw InputError.field("choice", "You can't vote for yourself.");
    const candidates = new Set((await candidatesOf(tx, round)).map((c) => c.id));
    if (choices.some((id) => !candidates.has(id))) throw InputError.field("choice", "That choice is not on the ballot: reload the page and try again.");
    const [ballot] = await tx.execute<{ voter_id: number }>(sql`
      insert into award_ballots (round_id, voter_id) values (${round.id}, ${actor.id})
      on conflict do nothing returning voter_id`);
    if (!ballot) throw new InputError("You have already voted in this round.");
    // In id order, so two ballots never wait on each other's tally rows (they queue on the round anyway).
    const sorted = [...choices].sort((a, b) => a - b);
    await tx.execute(sql`
      insert into award_tallies (round_id, nominee_id, votes)
      select ${round.id}, nominee_id, 1 from unnest(${intArray(sorted)}) as nominee_id
      on conflict (round_id, nominee_id) do update set votes = award_tallies.votes + 1`);
    // Plain SQL, so the round's updated_at does not become the time of the last ballot.
    await tx.execute(sql`update award_rounds set ballot_count = ballot_count + 1 where id = ${round.id}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Results

export type RoundResults = {
  tallies: ReturnType<typeof rankResults>;
  winners: ReturnType<typeof rankResults>;
  ballots: number;
  totalVotes: number;
};

/**
 * The results of a round: each candidate's votes with places and winners. Null for everyone, HR
 * and admins included, until the results date has passed: before it, no one reads the tallies.
 */
export async function roundResults(db: Db | Tx, round: AwardRound, now: Date): Promise<RoundResults | null> {
  if (awardPhase(round, now) !== "results") return null;
  const [candidates, rows] = await Promise.all([
    candidatesOf(db, round),
    db.execute<{ nominee_id: number; name: string; votes: number }>(sql`
      select t.nominee_id, u.name, t.votes from award_tallies t join users u on u.id = t.nominee_id where t.round_id = ${round.id}`),
  ]);
  const tallies = new Map(candidates.map((c) => [c.id, { nomineeId: c.id, name: c.name, votes: 0 }]));
  for (const r of rows) tallies.set(Number(r.nominee_id), { nomineeId: Number(r.nominee_id), name: r.name, votes: Number(r.votes) });
  const ranked = rankResults([...tallies.values()], round.winnerCount);
  return { tallies: ranked, winners: ranked.filter((t) => t.winner), ballots: round.ballotCount, totalVotes: ranked.reduce((sum, t) => sum + t.votes, 0) };
}

/**
 * Publishes results: marks each round announced, once (a conditional UPDATE, so two instances or
 * an HR click racing the scheduler never announce twice), and tells every nominee, with no one
 * named as the actor ("The results are out for …").
 */
async function announce(tx: Tx, roundIds: number[], now: Date): Promise<number> {
  if (roundIds.length === 0) return 0;
  const ids = intArray(roundIds);
  const announced = await tx.execute<{ id: number }>(sql`
    update award_rounds set announced_at = ${now.toISOString()}::timestamptz
    where id = any(${ids}) and announced_at is null and results_at <= ${now.toISOString()}::timestamptz
    returning id`);
  if (announced.length === 0) return 0;
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, space_id, item_id)
    select u.id, 'award', null, s.id, r.item_id
    from award_rounds r
    join spaces s on s.id = r.space_id
    join lateral (select distinct n.nominee_id from award_nominations n where n.round_id = r.id and n.deleted_at is null) nominee on true
    join users u on u.id = nominee.nominee_id
    where r.id = any(${intArray(announced.map((r) => r.id))}) and ${userSeesSpaceSql}`);
  return announced.length;
}

const DUE_BATCH = 50;

/**
 * The scheduler's job: announces every round whose results date has passed and that was not
 * announced yet, a batch at a time, claiming rows with SKIP LOCKED so instances share the work.
 * Returns how many it announced.
 */
export async function announceDueRounds(db: Db, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: awardRounds.id, itemId: awardRounds.itemId, spaceId: awardRounds.spaceId })
        .from(awardRounds)
        .where(and(isNull(awardRounds.announcedAt), lte(awardRounds.resultsAt, now)))
        .orderBy(asc(awardRounds.resultsAt), asc(awardRounds.id))
        .limit(DUE_BATCH)
        .for("update", { skipLocked: true });
      await announce(
        tx,
        due.map((r) => r.id),
        now,
      );
      // The results date came: the scheduler closes the round, with no person acting.
      await recordAudits(
        tx,
        due.map((r) => ({
          actorId: null,
          via: "system",
          action: "award.round_closed",
          target: { type: "award_round", id: r.itemId },
          spaceId: r.spaceId,
          details: { step: "results date" },
        })),
      );
      return due.length;
    });
    total += batch;
    if (batch < DUE_BATCH) return total;
  }
}

// ---------------------------------------------------------------------------------------------
// Pages

const nomineeUser = alias(users, "nominee");

/** Active employees: every one of them may vote (the participation's denominator). */
const eligibleVotersSql = sql<number>`(select count(*)::int from users where kind = 'employee' and deactivated_at is null and email_verified_at is not null)`;

/** `/awards`: running rounds first (soonest results first), then finished ones (latest first). */
export async function awardRoundList(db: Db, actor: Actor, now: Date, page = 1) {
  if (!isActiveEmployee(actor)) throw new NotFoundError();
  const finished = sql`(${awardRounds.resultsAt} <= ${now.toISOString()}::timestamptz)`;
  const rows = await db
    .select({
      round: {
        id: awardRounds.id,
        title: awardRounds.title,
        reward: awardRounds.reward,
        shortlist: awardRounds.shortlist,
        nominationsOpenAt: awardRounds.nominationsOpenAt,
        nominationsCloseAt: awardRounds.nominationsCloseAt,
        votingOpenAt: awardRounds.votingOpenAt,
        votingCloseAt: awardRounds.votingCloseAt,
        resultsAt: awardRounds.resultsAt,
        nominationCount: awardRounds.nominationCount,
        ballotCount: awardRounds.ballotCount,
      },
      total: sql<number>`count(*) over ()::int`,
    })
    .from(awardRounds)
    .innerJoin(spaces, eq(spaces.id, awardRounds.spaceId))
    .where(visibleSpacesCondition(actor))
    .orderBy(finished, sql`case when not ${finished} then ${awardRounds.resultsAt} end asc`, desc(awardRounds.resultsAt), desc(awardRounds.id))
    .limit(ROUNDS_PAGE_SIZE)
    .offset((page - 1) * ROUNDS_PAGE_SIZE);
  return {
    rounds: rows.map((r) => ({ ...r.round, phase: awardPhase(r.round, now) })),
    total: Number(rows[0]?.total ?? 0),
    canCreate: isHr(actor),
  };
}

/**
 * The round's page for `actor`, phase-aware: the round, its timeline and jury, the reader's own
 * state (nominated, voted, juror), everyone nominated, a page of nominations, the ballot's
 * candidates, participation, and the results once they are out. A fixed number of queries.
 */
export async function roundPage(db: Db, actor: Actor, roundId: number, now: Date, page = 1) {
  const access = await loadRound(db, actor, { roundId });
  const { round } = access;
  const phase = awardPhase(round, now);
  const [[state], nominees, nominationRows, results] = await Promise.all([
    db
      .select({
        creator: users.name,
        jurors: sql<
          Array<{ id: number; name: string; handle: string }>
        >`coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name, 'handle', split_part(u.email, '@', 1)) order by u.name)
          from award_jurors j join users u on u.id = j.user_id where j.round_id = ${round.id}), '[]'::json)`,
        voted: sql<boolean>`exists (select 1 from award_ballots b where b.round_id = ${round.id} and b.voter_id = ${actor.id})`,
        following: sql<boolean>`exists (select 1 from follows f where f.user_id = ${actor.id} and f.item_id = ${round.itemId})`,
        eligibleVoters: eligibleVotersSql,
      })
      .from(users)
      .where(eq(users.id, round.createdById)),
    nomineesOf(db, round.id),
    db
      .select({
        id: awardNominations.id,
        itemId: awardNominations.itemId,
        statementHtml: awardNominations.statementHtml,
        shortlisted: sql<boolean>`${awardNominations.shortlistedAt} is not null`,
        createdAt: awardNominations.createdAt,
        nominee: { id: nomineeUser.id, name: nomineeUser.name, title: nomineeUser.title },
        nominator: { id: users.id, name: users.name },
        total: sql<number>`count(*) over ()::int`,
      })
      .from(awardNominations)
      .innerJoin(users, eq(users.id, awardNominations.nominatorId))
      .innerJoin(nomineeUser, eq(nomineeUser.id, awardNominations.nomineeId))
      .where(and(eq(awardNominations.roundId, round.id), isNull(awardNominations.deletedAt)))
      .orderBy(asc(nomineeUser.name), asc(awardNominations.createdAt), asc(awardNominations.id))
      .limit(NOMINATIONS_PAGE_SIZE)
      .offset((page - 1) * NOMINATIONS_PAGE_SIZE),
    roundResults(db, round, now),
  ]);
  const candidates = round.shortlist ? nominees.filter((n) => n.shortlisted) : nominees;
  const isHrActor = access.canManage;
  return {
    round: {
      id: round.id,
      itemId: round.itemId,
      title: round.title,
      descriptionHtml: round.descriptionHtml,
      reward: round.reward,
      nomineeScope: round.nomineeScope,
      nomineeDepartment: round.nomineeDepartment,
      selfNomination: round.selfNomination,
      shortlist: round.shortlist,
      votesPerVoter: round.votesPerVoter,
      winnerCount: round.winnerCount,
      nominationsOpenAt: round.nominationsOpenAt,
      nominationsCloseAt: round.nominationsCloseAt,
      votingOpenAt: round.votingOpenAt,
      votingCloseAt: round.votingCloseAt,
      resultsAt: round.resultsAt,
      announcedAt: round.announcedAt,
      nominationCount: round.nominationCount,
      ballotCount: round.ballotCount,
      createdAt: round.createdAt,
    },
    space: { id: access.space.id, slug: access.space.slug, name: access.space.name },
    phase,
    creator: state?.creator ?? "",
    jurors: state?.jurors ?? [],
    /** How many have voted, never for whom; public while the round runs and after. */
    participation: { ballots: round.ballotCount, eligible: Number(state?.eligibleVoters ?? 0) },
    nominees,
    candidates,
    nominations: nominationRows.map(({ total: _total, ...n }) => ({ ...n, shortlisted: Boolean(n.shortlisted) })),
    // Past the last page there is no row to carry the count: the round's own count says it.
    nominationTotal: Number(nominationRows[0]?.total ?? round.nominationCount),
    results,
    me: {
      id: actor.id,
      voted: Boolean(state?.voted),
      following: Boolean(state?.following),
      isJuror: access.isJuror,
      canManage: isHrActor,
      canModerate: access.canModerate,
      canShortlist: round.shortlist && (isHrActor || access.isJuror) && now < round.votingOpenAt,
      steps: isHrActor ? stepsFrom(phase) : [],
    },
  };
}

export type RoundPage = Awaited<ReturnType<typeof roundPage>>;

/** What the edit form starts from (HR and admins; a 403 otherwise), and which fields voting has fixed. */
export async function editableRound(db: Db, actor: Actor, roundId: number, now: Date) {
  const { round, canManage } = await loadRound(db, actor, { roundId });
  if (!canManage) throw new ForbiddenError("Only HR edits award rounds.");
  return { round, phase: awardPhase(round, now), votingStarted: now >= round.votingOpenAt, resultsOut: now >= round.resultsAt };
}

import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { anonymousAskerOf } from "#app/features/anonymous/askers.server.ts";
import { availableSql, evidenceLines } from "#app/features/expertise/experts.server.ts";
import { getExpertiseSettings } from "#app/features/expertise/settings.server.ts";
import { loadQuestion } from "#app/features/qa/access.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import type { AskInput } from "#app/features/qa/schemas.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type Actor, spaceBySlugForActor, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { idParam, isRowId } from "#app/lib/ids.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { deliver, lockRouting, weeklyLoad } from "./deliver.server.ts";

/**
 * "Ask this person" (docs/routing.md): anyone who sees a question sends it to a colleague, who
 * gets it in their inbox and by mail, as routing would send it. The person must see the
 * question's space, or the answer is the 404 of someone who does not exist (nothing says who can
 * see a restricted space). Someone who opted out of routed questions, is away, or already had the
 * weekly limit of questions sent to them is refused with the reason. Asking twice changes nothing.
 * The ask page's `?to=` asks a new question of someone the same way.
 */

export type AskTarget = { id: number; name: string; routingOptOut: boolean; awayUntil: Date | null };

/** An active employee with a proven address, or the 404 of no one (customers, deactivated and pending accounts alike). */
async function loadTarget(db: Db, userId: number): Promise<AskTarget> {
  if (!isRowId(userId)) throw new NotFoundError();
  const [row] = await db.execute<{ id: number; name: string; routing_opt_out: boolean; away_until: string | Date | null }>(sql`
    select u.id, u.name, u.routing_opt_out, u.away_until from users u
     where u.id = ${userId} and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null`);
  if (!row) throw new NotFoundError();
  return { id: Number(row.id), name: row.name, routingOptOut: row.routing_opt_out, awayUntil: row.away_until ? new Date(row.away_until) : null };
}

/** Whether this person sees the space: the visibility module's rule, asked from their side. */
async function seesSpace(db: Db, userId: number, spaceId: number): Promise<boolean> {
  const [row] = await db.execute(sql`select 1 from users u join spaces s on s.id = ${spaceId} where u.id = ${userId} and ${userSeesSpaceSql}`);
  return Boolean(row);
}

/** Why this person takes no questions now, in words for the form; null when they do. */
export function unavailableReason(target: AskTarget, now: Date): string | null {
  if (target.routingOptOut) return `${target.name} has turned off questions sent to them. Ask in the space instead, where everyone can answer.`;
  if (target.awayUntil && target.awayUntil > now) return `${target.name} is away until ${absoluteDate(target.awayUntil)}. Ask in the space, or someone else.`;
  return null;
}

function overLimit(target: AskTarget, limit: number): string {
  return `${target.name} has had ${limit} questions sent to them in the last seven days, the most anyone gets. Ask someone else, or let routing find who is free.`;
}

/** Sends question `questionId` to `userId` for `actor`. Returns whether it was sent now (false: it had been already). */
export async function askExpert(db: Db, actor: ReputationActor, questionId: number, userId: number, now = new Date()): Promise<{ created: boolean; name: string; url: string }> {
  const { post: question, space } = await loadQuestion(db, actor, questionId);
  const url = questionUrl(question);
  const target = await loadTarget(db, userId);
  if (!(await seesSpace(db, target.id, space.id))) throw new NotFoundError();
  if (target.id === actor.id) throw new InputError("You can't send a question to yourself.");
  if (target.id === question.authorId) throw new InputError(`${target.name} asked this question.`);
  if (question.closedAt) throw new InputError("This question is closed, so it takes no new answers.");
  if (question.acceptedAnswerId) throw new InputError("This question already has an accepted answer.");
  // An anonymous question's asker stays anonymous here too: no name on the route, the inbox entry or the mail.
  const anonymous = (await anonymousAskerOf(db, question.id)) === actor.id;
  const tagIds = (await db.execute<{ tag_id: number }>(sql`select tag_id from question_tags where post_id = ${question.id}`)).map((r) => Number(r.tag_id));
  const line = (await evidenceLines(db, actor, [target.id], { tagIds })).get(target.id) ?? (await evidenceLines(db, actor, [target.id])).get(target.id) ?? "";
  return db.transaction(async (tx) => {
    await lockRouting(tx);
    const [sent] = await tx.execute(sql`select 1 from question_routes where question_id = ${question.id} and user_id = ${target.id} limit 1`);
    if (sent) return { created: false, name: target.name, url };
    const reason = unavailableReason(target, now);
    if (reason) throw new InputError(reason);
    // Read again under the lock: they may have set themselves away since.
    const [still] = await tx.execute<{ ok: boolean }>(sql`select ${availableSql(now)} as ok from users u where u.id = ${target.id}`);
    if (!still?.ok) throw new InputError(`${target.name} is not taking questions right now.`);
    const { routing } = await getExpertiseSettings(tx);
    if (((await weeklyLoad(tx, [target.id], now)).get(target.id) ?? 0) >= routing.weeklyLimit) throw new InputError(overLimit(target, routing.weeklyLimit));
    const [me] = await tx.execute<{ name: string }>(sql`select name from users where id = ${actor.id}`);
    await deliver(tx, {
      question: { id: question.id, itemId: question.itemId, title: question.title ?? "", spaceId: space.id, spaceName: space.name },
      reason: "asked",
      round: 0,
      to: [{ userId: target.id, why: line }],
      askedBy: anonymous ? null : { id: actor.id, name: me?.name ?? "" },
      dueAt: null,
      now,
    });
    return { created: true, name: target.name, url };
  });
}

/** The ask page's `?to=`: the person a new question will be sent to, or the 404 of no one. */
export async function askTarget(db: Db, actor: Actor, to: string | null, now = new Date()): Promise<{ id: number; name: string; unavailable: string | null } | null> {
  if (to === null || to === "") return null;
  const target = await loadTarget(db, idParam(to));
  if (target.id === actor.id) return null;
  return { id: target.id, name: target.name, unavailable: unavailableReason(target, now) };
}

type Ask = (db: Db, actor: ReputationActor, input: AskInput) => Promise<{ id: number; created: boolean }>;

/**
 * `ask` (askQuestion, or asking anonymously) that also sends the new question to the person the
 * form names in `to`. They are checked first, so a refusal writes nothing and the form keeps its
 * text: they must see the chosen space (said on the space field) and take questions.
 */
export function askAndSend(ask: Ask, to: FormDataEntryValue | null): Ask {
  if (typeof to !== "string" || to === "") return ask;
  return async (db, actor, input) => {
    const target = await loadTarget(db, idParam(to));
    // A space the asker can't see is the 404 the ask itself would answer.
    const { space } = await spaceBySlugForActor(db, actor, input.space);
    if (!(await seesSpace(db, target.id, space.id))) throw InputError.field("space", `${target.name} can't see this space. Choose one they can see, or ask without sending it to them.`);
    const now = new Date();
    const reason = unavailableReason(target, now);
    if (reason) throw new InputError(reason);
    const { routing } = await getExpertiseSettings(db);
    if (((await weeklyLoad(db, [target.id], now)).get(target.id) ?? 0) >= routing.weeklyLimit) throw new InputError(overLimit(target, routing.weeklyLimit));
    const asked = await ask(db, actor, input);
    try {
      await askExpert(db, actor, asked.id, target.id);
    } catch (error) {
      // They went away or reached their limit in the moment between the check and the ask: the
      // question stands, and its page offers "Ask this person" again.
      if (!(error instanceof InputError)) throw error;
    }
    return asked;
  };
}

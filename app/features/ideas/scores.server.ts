import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { ideaOwners, ideaScores } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { type IdeaAccess, loadIdea } from "./access.server.ts";

/**
 * Evaluators' private scores. An evaluator sees and changes only their own, and does not score an
 * idea they own or are invited to own; the campaign's sponsor and moderators see per criterion the
 * average, the spread and how many scored; nobody else reads any of it, on any page.
 */

export type ScoreSummary = { criterion: string; average: number | null; min: number | null; max: number | null; count: number };

export type ScoreView =
  | { kind: "none" }
  | { kind: "evaluator"; criteria: string[]; mine: Record<string, number> }
  | { kind: "sponsor"; criteria: string[]; summary: ScoreSummary[]; evaluators: number; mine: Record<string, number> | null };

/** Parses `score.<criterion>` form fields into whole scores 1–5 for the campaign's criteria. */
export function parseScores(form: FormData, criteria: readonly string[]): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const [index, criterion] of criteria.entries()) {
    const raw = form.get(`score.${index}`);
    if (raw === null || raw === "") continue;
    if (typeof raw !== "string" || !/^[1-5]$/.test(raw)) throw InputError.field(`score.${index}`, `Score ${criterion} from 1 to 5.`);
    scores[criterion] = Number(raw);
  }
  if (Object.keys(scores).length === 0) throw new InputError("Give at least one score from 1 to 5.");
  return scores;
}

export async function scoreIdea(db: Db, actor: Actor, ideaId: number, scores: Record<string, number>): Promise<void> {
  await db.transaction(async (tx) => {
    const { campaign, isEvaluator } = await loadIdea(tx, actor, ideaId);
    if (!isEvaluator) throw new ForbiddenError("Only the campaign's evaluators score its ideas.");
    if (await namedOwner(tx, ideaId, actor.id)) throw new ForbiddenError("You own this idea (or are invited to), so you don't score it: the other evaluators do.");
    const entries = Object.entries(scores);
    for (const [criterion, score] of entries) {
      if (!campaign.criteria.includes(criterion)) throw new InputError(`“${criterion}” is not one of this campaign's criteria.`);
      if (!Number.isInteger(score) || score < 1 || score > 5) throw new InputError("Scores go from 1 to 5.");
    }
    for (const [criterion, score] of entries) {
      await tx
        .insert(ideaScores)
        .values({ ideaId, evaluatorId: actor.id, criterion, score })
        .onConflictDoUpdate({ target: [ideaScores.ideaId, ideaScores.evaluatorId, ideaScores.criterion], set: { score, updatedAt: new Date() } });
    }
  });
}

/** Owners and people invited to own the idea: an evaluator among them does not score it. */
async function namedOwner(db: Db | Tx, ideaId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: ideaOwners.userId })
    .from(ideaOwners)
    .where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.userId, userId)));
  return Boolean(row);
}

/** What the viewer may see of an idea's scores (see the module comment). */
export async function scoreView(db: Db, access: IdeaAccess, actor: Actor): Promise<ScoreView> {
  const { campaign, idea, canManage } = access;
  // Only evaluators pay for the owner check: the idea page's query count stays as it was for everyone else.
  const isEvaluator = access.isEvaluator && !(await namedOwner(db, idea.id, actor.id));
  if (!canManage && !isEvaluator) return { kind: "none" };
  const mineRows = isEvaluator
    ? await db
        .select({ criterion: ideaScores.criterion, score: ideaScores.score })
        .from(ideaScores)
        .where(and(eq(ideaScores.ideaId, idea.id), eq(ideaScores.evaluatorId, actor.id)))
    : [];
  const mine = Object.fromEntries(mineRows.map((r) => [r.criterion, r.score]));
  if (!canManage) return { kind: "evaluator", criteria: campaign.criteria, mine };
  const rows = await db
    .select({
      criterion: ideaScores.criterion,
      average: sql<number>`avg(${ideaScores.score})::float8`,
      min: sql<number>`min(${ideaScores.score})::int`,
      max: sql<number>`max(${ideaScores.score})::int`,
      count: sql<number>`count(*)::int`,
    })
    .from(ideaScores)
    .where(eq(ideaScores.ideaId, idea.id))
    .groupBy(ideaScores.criterion);
  const [evaluators] = await db
    .select({ n: sql<number>`count(distinct ${ideaScores.evaluatorId})::int` })
    .from(ideaScores)
    .where(eq(ideaScores.ideaId, idea.id));
  const summary = campaign.criteria.map((criterion): ScoreSummary => {
    const row = rows.find((r) => r.criterion === criterion);
    return row ? { criterion, average: Math.round(row.average * 10) / 10, min: row.min, max: row.max, count: row.count } : { criterion, average: null, min: null, max: null, count: 0 };
  });
  return { kind: "sponsor", criteria: campaign.criteria, summary, evaluators: evaluators?.n ?? 0, mine: isEvaluator ? mine : null };
}

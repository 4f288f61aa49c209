import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { importRuns, posts, spaces } from "#db/schema/index.ts";
import { contentWords } from "#app/features/search/search.server.ts";
import { settled } from "#search/client.server.ts";
import { BODY_LIMIT } from "#search/documents.server.ts";
import { INDEX_SETTINGS } from "#search/indexes.ts";
import {
  combineCandidates,
  decayedWeight,
  DEFAULT_EXPERTISE_SETTINGS,
  type ExpertiseSettings,
  rankValue,
  type RecentStanding,
  scoreAt,
  type SimilarHit,
  storedDecay,
  type TopicStanding,
  withDefaults,
} from "./model.ts";

/**
 * `npm run experts:evaluate` (issue 18, docs/expertise-evaluation.md): the expertise model
 * measured on a space's questions and answers, typically an imported Stack Exchange site.
 *
 * The protocol: the space's questions by date, the first 80% are history; the test is every later
 * question with an accepted answer by someone other than its asker, whose author is the one right
 * answer ("gold"). For each test question the candidates are ranked from the evidence dated before
 * it, and nothing else: answers count from their own date, an accept from its answer's date (the
 * importer keeps no accept date), votes not at all (it keeps no vote dates either). Three rankers
 * see the same evidence: the model (model.ts, as the app runs it, with its text part through
 * Meilisearch), and two baselines, reputation (per answer 1, plus 3 when accepted) and the same
 * counted only on questions sharing a tag with the test question.
 *
 * Everything is read once into memory and the test questions are walked in date order, adding
 * each answer as its date passes, so the work is one pass over the answers plus, per test
 * question, its topics' answers and one search.
 */

export type EvaluationOptions = {
  /** The space's slug; by default the space of the latest finished Stack Exchange import. */
  space?: string | undefined;
  /** The share of questions (by date) that is history: 0.8. */
  split?: number;
  /** The model's settings (the defaults of model.ts unless given: the sensitivity sweeps pass others). */
  settings?: ExpertiseSettings;
  /** A prefix for the temporary index (tests use their own). */
  indexPrefix?: string;
};

/** One ranker's figures over the test questions. */
export type Metrics = {
  /** Mean reciprocal rank of the gold answerer (0 when not ranked at all). */
  mrr: number;
  /** The share of test questions whose gold answerer is ranked first. */
  p1: number;
  /** The share whose gold answerer is among the first five. */
  hit5: number;
  /** The share whose gold answerer the ranker ranked at all. */
  ranked: number;
};

export type Ranker = "model" | "reputation" | "perTag";
export const RANKERS: Ranker[] = ["model", "reputation", "perTag"];

export type EvaluationReport = {
  space: { slug: string; name: string };
  split: number;
  /** The space's questions, and how many of them are history. */
  questions: number;
  history: number;
  /** The first question after the history: where the history ends. */
  splitAt: Date | null;
  /** Test questions: after the split, with an accepted answer by someone other than the asker. */
  test: number;
  /** Test questions whose gold answerer answered anything during the history (the coverage's numerator). */
  withHistory: number;
  /** withHistory / test: the same for every ranker, as they all see the same history. */
  coverage: number;
  /** Test questions whose gold answerer had answered anything before the question (the most any ranker can rank). */
  reachable: number;
  model: Metrics;
  reputation: Metrics;
  perTag: Metrics;
  /** Per test question, in date order, each ranker's reciprocal rank: for the halves and sweeps of the doc. */
  perQuestion: Array<{ questionId: number; goldId: number } & Record<Ranker, number>>;
};

/** The text part's query: the question's title and the start of its body, as the app asks it. */
export const SIMILAR_HITS = 20;
const BODY_START = 300;

export function similarityQuery(title: string, body: string): string {
  return contentWords(`${title} ${body.slice(0, BODY_START)}`.slice(0, 500))
    .slice(0, 24)
    .join(" ");
}

export class EvaluationInputError extends Error {
  override name = "EvaluationInputError";
}

type Question = { id: number; authorId: number; at: number; tags: string[]; acceptedAnswerId: number | null };
type Answer = { id: number; questionId: number; authorId: number; at: number; accepted: boolean; acceptedByOther: boolean };

/** What the evaluation reads once: the space's questions and answers, and the text hits per test question. */
export type EvaluationData = {
  space: { slug: string; name: string };
  split: number;
  questions: Question[];
  /** By date (then id): the order evidence becomes known. */
  answers: Answer[];
  answersByQuestion: Map<number, Answer[]>;
  cut: number;
  test: Array<{ question: Question; goldId: number }>;
  /** Per test question, the ids of the most similar earlier questions, best first. */
  similar: Map<number, number[]>;
};

async function findSpace(db: Db, slug: string | undefined): Promise<{ id: number; slug: string; name: string }> {
  if (slug) {
    const [space] = await db.select({ id: spaces.id, slug: spaces.slug, name: spaces.name }).from(spaces).where(eq(spaces.slug, slug.trim().toLowerCase()));
    if (!space) throw new EvaluationInputError(`There is no space "${slug}".`);
    return space;
  }
  const [latest] = await db
    .select({ id: spaces.id, slug: spaces.slug, name: spaces.name })
    .from(importRuns)
    .innerJoin(spaces, eq(spaces.id, importRuns.spaceId))
    .where(and(eq(importRuns.kind, "stackexchange"), eq(importRuns.status, "done")))
    .orderBy(sql`${importRuns.finishedAt} desc nulls last, ${importRuns.id} desc`)
    .limit(1);
  if (!latest) throw new EvaluationInputError("No Stack Exchange site has been imported: import one (npm run import:stackexchange) or name a space with --space.");
  return latest;
}

/** Reads the space and queries the similar questions of every test question through a temporary index, deleted at the end. */
export async function prepareEvaluation(db: Db, search: Meilisearch, options: EvaluationOptions = {}): Promise<EvaluationData> {
  const split = options.split ?? 0.8;
  if (!(split > 0 && split < 1)) throw new EvaluationInputError("The split is the history's share of the questions: a number between 0 and 1, such as 0.8.");
  const space = await findSpace(db, options.space);

  const questionRows = await db
    .select({ id: posts.id, authorId: posts.authorId, createdAt: posts.createdAt, tags: posts.tags, acceptedAnswerId: posts.acceptedAnswerId })
    .from(posts)
    .where(and(eq(posts.spaceId, space.id), eq(posts.type, "question"), isNull(posts.deletedAt)))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  const questions: Question[] = questionRows.map((q) => ({ id: q.id, authorId: q.authorId, at: q.createdAt.getTime(), tags: q.tags, acceptedAnswerId: q.acceptedAnswerId }));
  const byId = new Map(questions.map((q) => [q.id, q]));

  const answerRows = await db.execute<{ id: number; question_id: number; author_id: number; created_at: string }>(sql`
    select a.id, a.parent_id as question_id, a.author_id, to_json(a.created_at) #>> '{}' as created_at
      from posts a join posts q on q.id = a.parent_id
     where q.space_id = ${space.id} and q.type = 'question' and q.deleted_at is null and a.type = 'answer' and a.deleted_at is null
     order by a.created_at, a.id`);
  const answers: Answer[] = [];
  const answersByQuestion = new Map<number, Answer[]>();
  for (const r of answerRows) {
    const question = byId.get(Number(r.question_id))!;
    const accepted = question.acceptedAnswerId === Number(r.id);
    const answer = {
      id: Number(r.id),
      questionId: question.id,
      authorId: Number(r.author_id),
      at: new Date(r.created_at).getTime(),
      accepted,
      acceptedByOther: accepted && question.authorId !== Number(r.author_id),
    };
    answers.push(answer);
    const list = answersByQuestion.get(question.id);
    if (list) list.push(answer);
    else answersByQuestion.set(question.id, [answer]);
  }
  const answerById = new Map(answers.map((a) => [a.id, a]));

  const cut = Math.floor(questions.length * split);
  const test: EvaluationData["test"] = [];
  for (const question of questions.slice(cut)) {
    const gold = question.acceptedAnswerId === null ? undefined : answerById.get(question.acceptedAnswerId);
    if (gold && gold.authorId !== question.authorId) test.push({ question, goldId: gold.authorId });
  }

  const similar = test.length === 0 ? new Map<number, number[]>() : await similarQuestions(db, search, space.id, test, options.indexPrefix ?? "");
  return { space: { slug: space.slug, name: space.name }, split, questions, answers, answersByQuestion, cut, test, similar };
}

/**
 * The text part's search: every question of the space in a temporary index with the settings of
 * the app's questions index (but no answers in the documents: an answer's text may postdate the
 * test question), each test question's query filtered to the questions created before it.
 */
async function similarQuestions(db: Db, search: Meilisearch, spaceId: number, test: EvaluationData["test"], prefix: string): Promise<Map<number, number[]>> {
  const uid = `${prefix}expertise_evaluation_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const wait = (task: Parameters<typeof settled>[1]) => settled(search, task, { timeoutMs: 300_000, intervalMs: 100 });
  try {
    await wait(search.createIndex(uid, { primaryKey: "id" }));
    const index = search.index(uid);
    await wait(index.updateSettings(INDEX_SETTINGS.question));
    // Documents in batches by id, so a large site never sits in memory whole.
    let after = 0;
    for (;;) {
      const batch = await db
        .select({ id: posts.id, title: posts.title, body: sql<string>`left(${posts.body}, ${BODY_LIMIT})`, tags: posts.tags, createdAt: posts.createdAt })
        .from(posts)
        .where(and(eq(posts.spaceId, spaceId), eq(posts.type, "question"), isNull(posts.deletedAt), gt(posts.id, after)))
        .orderBy(asc(posts.id))
        .limit(2_000);
      if (batch.length === 0) break;
      after = batch.at(-1)!.id;
      const task = await wait(index.addDocuments(batch.map((q) => ({ id: q.id, title: q.title ?? "", body: q.body, tags: q.tags, createdAt: seconds(q.createdAt.getTime()) }))));
      if (task.status !== "succeeded") throw new Error(`Meilisearch refused the evaluation's documents: ${task.error?.message ?? task.status}`);
    }
    const queries: Array<{ questionId: number; at: number; q: string }> = [];
    for (let n = 0; n < test.length; n += 1_000) {
      const batch = test.slice(n, n + 1_000).map((t) => t.question);
      const rows = await db
        .select({ id: posts.id, title: posts.title, body: sql<string>`left(${posts.body}, ${BODY_START})` })
        .from(posts)
        .where(
          inArray(
            posts.id,
            batch.map((q) => q.id),
          ),
        );
      const texts = new Map(rows.map((r) => [r.id, similarityQuery(r.title ?? "", r.body)]));
      // A question with no content words (a title of filler) gets no text part, as in the app.
      for (const q of batch) if ((texts.get(q.id) ?? "").length >= 3) queries.push({ questionId: q.id, at: q.at, q: texts.get(q.id)! });
    }
    const similar = new Map<number, number[]>();
    for (let n = 0; n < queries.length; n += 50) {
      const chunk = queries.slice(n, n + 50);
      const { results } = await search.multiSearch({
        queries: chunk.map((t) => ({
          indexUid: uid,
          q: t.q,
          // "last" drops words from the end until enough match, so the title's words weigh most.
          // ("frequency" keeps the rarest word, and a rare word leaves only near-copies.)
          matchingStrategy: "last" as const,
          attributesToSearchOn: ["title", "tags", "body"],
          // Strictly earlier, in the index's whole seconds: a question of the same second is left out.
          filter: `createdAt < ${seconds(t.at)}`,
          limit: SIMILAR_HITS,
          attributesToRetrieve: ["id"],
        })),
      });
      chunk.forEach((t, i) =>
        similar.set(
          t.questionId,
          (results[i]?.hits ?? []).map((h) => Number((h as { id: unknown }).id)),
        ),
      );
    }
    return similar;
  } finally {
    await wait(search.deleteIndex(uid)).catch(() => undefined);
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Where `goldId` lands in `scores` (people with a value above zero; the asker already left out),
 * as expectations over a random order of people with equal values: a tie is neither won nor lost.
 */
export function placeOf(scores: Map<number, number>, goldId: number): { rr: number; p1: number; hit5: number } {
  const gold = scores.get(goldId);
  if (gold === undefined || !(gold > 0)) return { rr: 0, p1: 0, hit5: 0 };
  let above = 0;
  let tied = 0;
  for (const [userId, value] of scores) {
    if (userId === goldId || !(value > 0)) continue;
    if (value > gold) above += 1;
    else if (value === gold) tied += 1;
  }
  let rr = 0;
  let hit5 = 0;
  for (let k = 0; k <= tied; k++) {
    rr += 1 / (above + 1 + k);
    if (above + 1 + k <= 5) hit5 += 1;
  }
  return { rr: rr / (tied + 1), p1: above === 0 ? 1 / (tied + 1) : 0, hit5: hit5 / (tied + 1) };
}

/** Ranks every test question with the three rankers under `settings`, from the data read once. */
export function scoreEvaluation(data: EvaluationData, settings: ExpertiseSettings = DEFAULT_EXPERTISE_SETTINGS): EvaluationReport {
  const s = withDefaults(settings);
  const w = s.weights;
  const questionById = new Map(data.questions.map((q) => [q.id, q]));
  // Evidence known so far, grown as the walk passes each answer's date.
  const reputation = new Map<number, number>();
  /** Per tag, the answers on questions carrying it (for the per-tag baseline). */
  const answersByTag = new Map<string, Answer[]>();
  /** Per tag and person, the model's stored decayed sum and count (as expertise_scores keeps them). */
  const stored = new Map<string, Map<number, { decayed: number; count: number }>>();
  /** Per person, the stored sum of all their evidence with the recent half-life. */
  const recentStored = new Map<number, number>();
  const splitAt = data.questions[data.cut]?.at ?? Number.POSITIVE_INFINITY;
  const historians = new Set<number>();
  const known = new Set<number>();
  let next = 0;

  const learn = (a: Answer) => {
    reputation.set(a.authorId, (reputation.get(a.authorId) ?? 0) + 1 + (a.accepted ? 3 : 0));
    if (a.at < splitAt) historians.add(a.authorId);
    known.add(a.authorId);
    const at = new Date(a.at);
    // The evidence rows of evidence.server.ts: an answer on each of its question's tags, and a
    // second row when the asker (someone else) accepted it. Votes are left out: undated here.
    const pieces = a.acceptedByOther ? [w.answer, w.accepted_answer] : [w.answer];
    for (const tag of questionById.get(a.questionId)!.tags) {
      const list = answersByTag.get(tag);
      if (list) list.push(a);
      else answersByTag.set(tag, [a]);
      let people = stored.get(tag);
      if (!people) stored.set(tag, (people = new Map()));
      const entry = people.get(a.authorId) ?? { decayed: 0, count: 0 };
      for (const weight of pieces) {
        entry.decayed += storedDecay(weight, at, s.halfLifeDays);
        entry.count += 1;
      }
      people.set(a.authorId, entry);
    }
    // Answering lately counts each answer once, whatever its number of tags.
    recentStored.set(a.authorId, (recentStored.get(a.authorId) ?? 0) + pieces.reduce((sum, weight) => sum + storedDecay(weight, at, s.recentHalfLifeDays), 0));
  };

  const totals: Record<Ranker, { rr: number; p1: number; hit5: number; ranked: number }> = {
    model: { rr: 0, p1: 0, hit5: 0, ranked: 0 },
    reputation: { rr: 0, p1: 0, hit5: 0, ranked: 0 },
    perTag: { rr: 0, p1: 0, hit5: 0, ranked: 0 },
  };
  const perQuestion: EvaluationReport["perQuestion"] = [];
  let withHistory = 0;
  let reachable = 0;

  for (const { question, goldId } of data.test) {
    while (next < data.answers.length && data.answers[next]!.at < question.at) learn(data.answers[next++]!);
    if (historians.has(goldId)) withHistory += 1;
    if (known.has(goldId)) reachable += 1;
    const now = new Date(question.at);
    // The asker is never a candidate for their own question (and must not set any part's scale).
    const asker = question.authorId;

    // Per tag: each earlier answer on a question sharing a tag, once however many tags it shares.
    const perTag = new Map<number, number>();
    const counted = new Set<number>();
    for (const tag of question.tags)
      for (const a of answersByTag.get(tag) ?? []) {
        if (counted.has(a.id)) continue;
        counted.add(a.id);
        perTag.set(a.authorId, (perTag.get(a.authorId) ?? 0) + 1 + (a.accepted ? 3 : 0));
      }

    // The model: the topic part as expertise_scores would give it at the question's date, ...
    const topics: TopicStanding[] = [];
    for (const tag of question.tags)
      for (const [userId, e] of stored.get(tag) ?? []) if (userId !== asker) topics.push({ userId, topic: rankValue(scoreAt(e.decayed, now, s.halfLifeDays), e.count, false, s) });
    // ... the text part: the earlier answers on the most similar earlier questions, decayed like all evidence, ...
    const similar: SimilarHit[] = [];
    (data.similar.get(question.id) ?? []).forEach((similarId, rank) => {
      for (const a of data.answersByQuestion.get(similarId) ?? []) {
        if (a.at >= question.at || a.authorId === asker) continue;
        similar.push({ userId: a.authorId, rank, weight: decayedWeight(a.acceptedByOther ? w.answer + w.accepted_answer : w.answer, new Date(a.at), now, s.halfLifeDays) });
      }
    });
    // ... and who has been answering lately.
    const recent: RecentStanding[] = [];
    for (const [userId, sum] of recentStored) if (userId !== asker) recent.push({ userId, recent: scoreAt(sum, now, s.recentHalfLifeDays) });
    const model = new Map(combineCandidates(topics, similar, s, recent).map((c) => [c.userId, c.value]));

    const row = { questionId: question.id, goldId, model: 0, reputation: 0, perTag: 0 };
    for (const [ranker, scores] of [
      ["model", model],
      ["reputation", new Map(reputation)],
      ["perTag", perTag],
    ] as const) {
      scores.delete(asker);
      const place = placeOf(scores, goldId);
      totals[ranker].rr += place.rr;
      totals[ranker].p1 += place.p1;
      totals[ranker].hit5 += place.hit5;
      if (place.rr > 0) totals[ranker].ranked += 1;
      row[ranker] = place.rr;
    }
    perQuestion.push(row);
  }

  const n = data.test.length;
  const metrics = (r: Ranker): Metrics => ({
    mrr: n ? totals[r].rr / n : 0,
    p1: n ? totals[r].p1 / n : 0,
    hit5: n ? totals[r].hit5 / n : 0,
    ranked: n ? totals[r].ranked / n : 0,
  });
  return {
    space: data.space,
    split: data.split,
    questions: data.questions.length,
    history: data.cut,
    splitAt: data.questions[data.cut] ? new Date(data.questions[data.cut]!.at) : null,
    test: n,
    withHistory,
    coverage: n ? withHistory / n : 0,
    reachable,
    model: metrics("model"),
    reputation: metrics("reputation"),
    perTag: metrics("perTag"),
    perQuestion,
  };
}

/** A setting changed one at a time for the sensitivity sweep (`--sweep`): its name, and the values tried besides the default. */
export const SWEEP: Array<{ name: string; values: number[]; apply: (s: Required<ExpertiseSettings>, value: number) => Required<ExpertiseSettings> }> = [
  { name: "halfLifeDays", values: [90, 365], apply: (s, v) => ({ ...s, halfLifeDays: v }) },
  { name: "recentHalfLifeDays", values: [7, 30], apply: (s, v) => ({ ...s, recentHalfLifeDays: v }) },
  { name: "recentFloor", values: [0.05, 0.2, 1], apply: (s, v) => ({ ...s, recentFloor: v }) },
  { name: "confidenceK", values: [1, 10], apply: (s, v) => ({ ...s, confidenceK: v }) },
  { name: "similarityWeight", values: [0, 0.5, 2], apply: (s, v) => ({ ...s, similarityWeight: v }) },
  { name: "weights.accepted_answer", values: [2, 10], apply: (s, v) => ({ ...s, weights: { ...s.weights, accepted_answer: v } }) },
];

export type SweepRow = { setting: string; value: number | "default"; mrr: number; firstHalf: number; secondHalf: number };

/**
 * The model's MRR with each setting changed one at a time, on the whole test set and on each half
 * of it (in date order): a change that helps on one half only is noise, not a finding.
 */
export function sensitivity(data: EvaluationData, base: ExpertiseSettings = DEFAULT_EXPERTISE_SETTINGS): SweepRow[] {
  const settings = withDefaults(base);
  const row = (setting: string, value: number | "default", s: ExpertiseSettings): SweepRow => {
    const rr = scoreEvaluation(data, s).perQuestion.map((q) => q.model);
    const half = Math.floor(rr.length / 2);
    const mean = (list: number[]) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : 0);
    return { setting, value, mrr: mean(rr), firstHalf: mean(rr.slice(0, half)), secondHalf: mean(rr.slice(half)) };
  };
  const rows = [row("(the defaults)", "default", settings)];
  for (const knob of SWEEP) for (const value of knob.values) rows.push(row(knob.name, value, knob.apply(settings, value)));
  return rows;
}

/** The whole evaluation: read, search, rank, and the temporary index gone. */
export async function evaluateExpertise(db: Db, search: Meilisearch, options: EvaluationOptions = {}): Promise<EvaluationReport> {
  const data = await prepareEvaluation(db, search, options);
  return scoreEvaluation(data, options.settings ?? DEFAULT_EXPERTISE_SETTINGS);
}

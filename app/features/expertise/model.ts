/**
 * The expertise model's arithmetic (issue 18, docs/expertise.md): pure functions shared by the
 * app (evidence.server.ts, experts.server.ts) and the evaluation (`npm run experts:evaluate`),
 * so what is measured is what runs. The choices and their figures: docs/expertise-evaluation.md.
 *
 * A person's score in a topic is the sum of their evidence, each piece weighted by its kind and
 * halved every `halfLifeDays` since it happened. The confidence grows with the number of pieces,
 * n / (n + k). People are ranked by score × confidence, plus a small fixed amount for a topic
 * they declared themselves: a declared skill counts least, until evidence backs it.
 *
 * For a question, that topic part and a text part (the people behind the most similar earlier
 * questions) make a person's relevance, and whether they have been answering lately scales it
 * (combineCandidates): who knows the topic and is around to answer comes first.
 */

export const EVIDENCE_KINDS = ["answer", "accepted_answer", "answer_vote", "wiki_edit", "page_owned", "page_verified", "idea_accepted", "idea_implemented", "kudos", "declared"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface ExpertiseSettings {
  /** Evidence loses half its weight every this many days. */
  halfLifeDays: number;
  weights: Record<EvidenceKind, number>;
  /** The confidence is n / (n + confidenceK): with k = 3, three pieces of evidence give 0.5. */
  confidenceK: number;
  /** Past this ranking value (open spaces only) a person becomes a topic's SME automatically. */
  smeThreshold: number;
  /** How much the text similarity part adds to the ranking, against the topic part. */
  similarityWeight: number;
  /**
   * "Answering lately": the same evidence, in any topic, halved every this many days, scales a
   * candidate's relevance for a question. Optional so settings saved before it existed still
   * read; `withDefaults` fills it in.
   */
  recentHalfLifeDays?: number;
  /** What a candidate with no recent evidence at all keeps of their relevance (0 to 1). */
  recentFloor?: number;
}

export const DEFAULT_EXPERTISE_SETTINGS: Required<ExpertiseSettings> = {
  halfLifeDays: 180,
  weights: {
    answer: 1,
    accepted_answer: 5,
    answer_vote: 1,
    wiki_edit: 2,
    page_owned: 3,
    page_verified: 3,
    idea_accepted: 3,
    idea_implemented: 5,
    kudos: 2,
    declared: 0.1,
  },
  confidenceK: 3,
  smeThreshold: 20,
  similarityWeight: 1,
  recentHalfLifeDays: 14,
  recentFloor: 0.1,
};

/** The settings with the optional fields filled in from the defaults. */
export function withDefaults(settings: ExpertiseSettings): Required<ExpertiseSettings> {
  return {
    ...settings,
    recentHalfLifeDays: settings.recentHalfLifeDays ?? DEFAULT_EXPERTISE_SETTINGS.recentHalfLifeDays,
    recentFloor: settings.recentFloor ?? DEFAULT_EXPERTISE_SETTINGS.recentFloor,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The fixed origin of the stored decayed sums (expertise_scores.decayed). */
export const DECAY_EPOCH_MS = Date.UTC(2020, 0, 1);

/** What one piece of evidence adds to the stored sum: weight · 2^((t − epoch) / half-life). */
export function storedDecay(weight: number, occurredAt: Date, halfLifeDays: number): number {
  return weight * 2 ** ((occurredAt.getTime() - DECAY_EPOCH_MS) / (halfLifeDays * DAY_MS));
}

/** The score at `now` of a stored sum. */
export function scoreAt(storedSum: number, now: Date, halfLifeDays: number): number {
  return storedSum * 2 ** (-(now.getTime() - DECAY_EPOCH_MS) / (halfLifeDays * DAY_MS));
}

/** One piece of evidence's weight at `now` (what the explanation shows beside it). */
export function decayedWeight(weight: number, occurredAt: Date, now: Date, halfLifeDays: number): number {
  const ageDays = Math.max(0, (now.getTime() - occurredAt.getTime()) / DAY_MS);
  return weight * 2 ** (-ageDays / halfLifeDays);
}

export function confidence(evidenceCount: number, k: number): number {
  return evidenceCount <= 0 ? 0 : evidenceCount / (evidenceCount + k);
}

/** The value people are ranked by in a topic. */
export function rankValue(score: number, evidenceCount: number, declared: boolean, settings: ExpertiseSettings): number {
  return score * confidence(evidenceCount, settings.confidenceK) + (declared ? settings.weights.declared : 0);
}

export interface TopicStanding {
  userId: number;
  /** Σ over the question's topics of the rank value. */
  topic: number;
}
export interface SimilarHit {
  userId: number;
  /** 0-based rank of the similar item the person's evidence is on (0 = most similar). */
  rank: number;
  /** The evidence's weight (an accepted answer counts more than an answer), decayed to now like all evidence (decayedWeight). */
  weight: number;
}
export interface RecentStanding {
  userId: number;
  /** Σ of the person's evidence in any topic, decayed with recentHalfLifeDays (recentWeight). */
  recent: number;
}

/** One piece of evidence's share of the "answering lately" sum at `now`. */
export function recentWeight(weight: number, occurredAt: Date, now: Date, settings: ExpertiseSettings): number {
  return decayedWeight(weight, occurredAt, now, withDefaults(settings).recentHalfLifeDays);
}

/**
 * Candidates for a question from its topics, its text and who has been answering lately.
 *
 * The topic part is the rank values summed over its tags; the text part credits the people
 * behind the most similar past items, less for each place down the list. Both are scaled to
 * their best candidate so neither drowns the other, and added to 1 to make the relevance: with no
 * evidence on the question a person still counts once, the best in both parts three times.
 *
 * The relevance is then scaled by the recent part (also scaled to its best candidate), floored at
 * `recentFloor`: knowing a topic matters most in someone who is answering these days, and someone
 * quiet for months keeps a tenth, so a true expert is still found when nobody better is around.
 * Callers that pass no recent part get the relevance alone (the order of before it existed).
 */
export function combineCandidates(
  topics: TopicStanding[],
  similar: SimilarHit[],
  settings: ExpertiseSettings,
  recent?: RecentStanding[],
): Array<{ userId: number; value: number; topic: number; text: number; recent: number }> {
  const s = withDefaults(settings);
  const byUser = new Map<number, { topic: number; text: number; recent: number }>();
  const entry = (userId: number) => {
    let e = byUser.get(userId);
    if (!e) byUser.set(userId, (e = { topic: 0, text: 0, recent: 0 }));
    return e;
  };
  for (const t of topics) entry(t.userId).topic += t.topic;
  for (const h of similar) entry(h.userId).text += h.weight / (1 + h.rank);
  // Everyone answering lately is a candidate: on a question nobody has evidence for, the people
  // answering these days are the best guess there is.
  const recentByUser = new Map<number, number>();
  for (const r of recent ?? []) recentByUser.set(r.userId, (recentByUser.get(r.userId) ?? 0) + r.recent);
  for (const [userId, value] of recentByUser) if (value > 0) entry(userId).recent = value;
  let maxTopic = 0;
  let maxText = 0;
  let maxRecent = 0;
  for (const e of byUser.values()) {
    maxTopic = Math.max(maxTopic, e.topic);
    maxText = Math.max(maxText, e.text);
    maxRecent = Math.max(maxRecent, e.recent);
  }
  return [...byUser.entries()]
    .map(([userId, e]) => {
      const topic = maxTopic > 0 ? e.topic / maxTopic : 0;
      const text = maxText > 0 ? e.text / maxText : 0;
      const relevance = 1 + topic + s.similarityWeight * text;
      const lately = recent === undefined ? 1 : s.recentFloor + (1 - s.recentFloor) * (maxRecent > 0 ? e.recent / maxRecent : 0);
      return { userId, topic: e.topic, text: e.text, recent: e.recent, value: relevance * lately };
    })
    .sort((a, b) => b.value - a.value || a.userId - b.userId);
}

/**
 * The expertise model's arithmetic (issue 18, docs/expertise.md): pure functions shared by the
 * app (evidence.server.ts, experts.server.ts) and the evaluation (`npm run experts:evaluate`),
 * so what is measured is what runs.
 *
 * A person's score in a topic is the sum of their evidence, each piece weighted by its kind and
 * halved every `halfLifeDays` since it happened. The confidence grows with the number of pieces,
 * n / (n + k). People are ranked by score × confidence, plus a small fixed amount for a topic
 * they declared themselves: a declared skill counts least, until evidence backs it.
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
}

export const DEFAULT_EXPERTISE_SETTINGS: ExpertiseSettings = {
  halfLifeDays: 365,
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
};

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
  /** The evidence's weight (an accepted answer counts more than an answer). */
  weight: number;
}

/**
 * Candidates for a question from its topics and from its text: the topic part is the rank values
 * summed over its tags, the text part credits the people behind the most similar past items,
 * less for each place down the list. Both parts are scaled to their best candidate so neither
 * drowns the other, then added.
 */
export function combineCandidates(topics: TopicStanding[], similar: SimilarHit[], settings: ExpertiseSettings): Array<{ userId: number; value: number; topic: number; text: number }> {
  const byUser = new Map<number, { topic: number; text: number }>();
  for (const t of topics) byUser.set(t.userId, { topic: (byUser.get(t.userId)?.topic ?? 0) + t.topic, text: byUser.get(t.userId)?.text ?? 0 });
  for (const s of similar) {
    const entry = byUser.get(s.userId) ?? { topic: 0, text: 0 };
    entry.text += s.weight / (1 + s.rank);
    byUser.set(s.userId, entry);
  }
  let maxTopic = 0;
  let maxText = 0;
  for (const e of byUser.values()) {
    maxTopic = Math.max(maxTopic, e.topic);
    maxText = Math.max(maxText, e.text);
  }
  return [...byUser.entries()]
    .map(([userId, e]) => {
      const topic = maxTopic > 0 ? e.topic / maxTopic : 0;
      const text = maxText > 0 ? e.text / maxText : 0;
      return { userId, topic: e.topic, text: e.text, value: topic + settings.similarityWeight * text };
    })
    .sort((a, b) => b.value - a.value || a.userId - b.userId);
}

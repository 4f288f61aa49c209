/**
 * The kinds of content on the social layer, and which of its features each one has. This file is
 * safe for the browser (components read `features`); the server side of a kind (loading, counters,
 * audiences) is registered in registry.server.ts. Adding a kind: docs/adding-a-kind.md.
 */
export const ITEM_KINDS = ["question", "answer", "idea", "wiki_page", "article", "kudos", "badge", "reward", "award_round", "award_nomination"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export type SocialFeatures = {
  comments: boolean;
  /** Every save is a numbered revision with a diff; moderators redact; editors roll back where `rollback` is set. */
  revisions: boolean;
  rollback: boolean;
  follows: boolean;
  flags: boolean;
  /** "up-down": +1 / -1 that move a score (posts); "support": +1 only, counted (ideas); null: none. */
  votes: "up-down" | "support" | null;
  /** Whether events on it reach the reputation ledger. */
  reputation: boolean;
};

export const KIND_FEATURES: Record<ItemKind, SocialFeatures> = {
  question: { comments: true, revisions: true, rollback: true, follows: true, flags: true, votes: "up-down", reputation: true },
  answer: { comments: true, revisions: true, rollback: true, follows: false, flags: true, votes: "up-down", reputation: true },
  idea: { comments: true, revisions: true, rollback: false, follows: true, flags: true, votes: "support", reputation: true },
  // Pages are restored from their history (a restore is a new revision), not voted on.
  wiki_page: { comments: true, revisions: true, rollback: true, follows: true, flags: true, votes: null, reputation: true },
  article: { comments: true, revisions: true, rollback: true, follows: true, flags: true, votes: "up-down", reputation: true },
  // Recognition (issue 17): a kudos takes "+1"s (support votes), comments and flags, never reputation;
  // badges, rewards and award rounds are pages to link to and notify about; nominations can be flagged.
  kudos: { comments: true, revisions: false, rollback: false, follows: false, flags: true, votes: "support", reputation: false },
  badge: { comments: false, revisions: false, rollback: false, follows: false, flags: false, votes: null, reputation: false },
  reward: { comments: false, revisions: false, rollback: false, follows: false, flags: false, votes: null, reputation: false },
  award_round: { comments: true, revisions: false, rollback: false, follows: true, flags: false, votes: null, reputation: false },
  award_nomination: { comments: false, revisions: false, rollback: false, follows: false, flags: true, votes: null, reputation: false },
};

/** How a kind is named in sentences ("Flag this answer"). */
export const KIND_NOUNS: Record<ItemKind, string> = {
  question: "question",
  answer: "answer",
  idea: "idea",
  wiki_page: "page",
  article: "article",
  kudos: "kudos",
  badge: "badge",
  reward: "reward",
  award_round: "award round",
  award_nomination: "nomination",
};

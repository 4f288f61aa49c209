import type { NotificationKind } from "#app/features/social/registry.server.ts";

/**
 * What people choose about mail: per category of notification, how often it reaches them by mail
 * (docs/mail-digests.md). The inbox keeps everything whatever the choice; mail is the extra.
 *
 * Every notification kind belongs to exactly one category (`KIND_CATEGORY` is a `Record` over
 * the kinds, so a new kind does not compile until it is placed). One category has no kinds:
 * "waiting", what a digest says is waiting for the reader (questions they could answer, their
 * review queues, pages due), which only a digest can carry.
 */

export const CADENCES = ["immediately", "daily", "weekly", "never"] as const;
export type Cadence = (typeof CADENCES)[number];
export type DigestCadence = Extract<Cadence, "daily" | "weekly">;
export const DIGEST_CADENCES: readonly DigestCadence[] = ["daily", "weekly"];

export const CATEGORIES = ["answers", "mentions", "routed", "followed", "ideas", "kudos", "page_reviews", "waiting"] as const;
export type Category = (typeof CATEGORIES)[number];

export type CategoryInfo = {
  label: string;
  /** One line under the label on the settings page, and the reason in the mails. */
  description: string;
  defaultCadence: Cadence;
  /** What may be chosen: a category without notifications cannot be mailed one by one. */
  choices: readonly Cadence[];
};

export const CATEGORY_INFO: Record<Category, CategoryInfo> = {
  answers: {
    label: "Answers to my questions",
    description: "Answers, comments and accepts on what you wrote or follow, and news about your own questions and answers.",
    defaultCadence: "immediately",
    choices: CADENCES,
  },
  mentions: {
    label: "Mentions",
    description: "Someone wrote your @handle in a question, answer, comment or article.",
    defaultCadence: "immediately",
    choices: CADENCES,
  },
  routed: {
    label: "Questions sent to me",
    description: "A question was routed to you as someone who knows its topic, or a colleague asked you directly.",
    defaultCadence: "immediately",
    choices: CADENCES,
  },
  followed: {
    label: "Followed tags and spaces",
    description: "New questions in tags you follow, changes to pages and wikis you follow, articles from people you follow.",
    defaultCadence: "weekly",
    choices: CADENCES,
  },
  ideas: {
    label: "Ideas I follow",
    description: "Status changes and comments on ideas you own, voted for or follow, and invitations to co-own one.",
    defaultCadence: "daily",
    choices: CADENCES,
  },
  kudos: {
    label: "Kudos and recognition",
    description: "Kudos to you, badges you earned, your rewards and award rounds.",
    defaultCadence: "immediately",
    choices: CADENCES,
  },
  page_reviews: {
    label: "Page reviews due",
    description: "Pages you own that are past their review date, edits suggested to them, and what became of your suggestions.",
    defaultCadence: "weekly",
    choices: CADENCES,
  },
  waiting: {
    label: "What waits for me",
    description:
      "In a digest only: unanswered questions you could answer, ideas waiting for review in campaigns you sponsor, flags in spaces you moderate, and pages you own that are due for review.",
    defaultCadence: "weekly",
    choices: ["daily", "weekly", "never"],
  },
};

export const KIND_CATEGORY: Record<NotificationKind, Exclude<Category, "waiting">> = {
  answer: "answers",
  comment: "answers",
  accept: "answers",
  relay: "answers",
  publication: "answers",
  promotion: "answers",
  mention: "mentions",
  routed: "routed",
  tag_question: "followed",
  page_edit: "followed",
  article: "followed",
  idea_status: "ideas",
  idea_comment: "ideas",
  idea_invite: "ideas",
  kudos: "kudos",
  badge: "kudos",
  reward: "kudos",
  reward_request: "kudos",
  award: "kudos",
  page_review: "page_reviews",
  suggestion: "page_reviews",
  suggestion_outcome: "page_reviews",
};

/**
 * Kinds whose "immediately" mail their own feature writes, in the transaction that notifies (it
 * says more than a notification can: why a question was routed). The notification mailer leaves
 * them alone; those mails go through the same preference check and carry the same unsubscribe
 * link (`category` on the MailMessage). Digests include them as usual. Kudos are not among them:
 * their mail says more too (the message, the points), but the mailer writes it after commit from
 * the notification (recognition/kudos-mail.server.ts), so a give does not render mail while it
 * holds its receivers' rows.
 */
export const DIRECTLY_MAILED_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>(["routed"]);

export function isCategory(value: unknown): value is Category {
  return typeof value === "string" && (CATEGORIES as readonly string[]).includes(value);
}

export function isCadence(value: unknown): value is Cadence {
  return typeof value === "string" && (CADENCES as readonly string[]).includes(value);
}

export function kindsOf(category: Category): NotificationKind[] {
  return (Object.keys(KIND_CATEGORY) as NotificationKind[]).filter((kind) => KIND_CATEGORY[kind] === category);
}

/** Everyone's choices: what is stored, the defaults for the rest. */
export type Preferences = Record<Category, Cadence>;

export function withDefaults(stored: ReadonlyArray<{ category: string; cadence: Cadence }>): Preferences {
  const prefs = Object.fromEntries(CATEGORIES.map((c) => [c, CATEGORY_INFO[c].defaultCadence])) as Preferences;
  for (const row of stored) if (isCategory(row.category) && CATEGORY_INFO[row.category].choices.includes(row.cadence)) prefs[row.category] = row.cadence;
  return prefs;
}

/** The categories a digest of this cadence carries for someone with these choices. */
export function digestCategories(prefs: Preferences, cadence: DigestCadence): Category[] {
  return CATEGORIES.filter((c) => prefs[c] === cadence);
}

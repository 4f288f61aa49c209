import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { siteSettings } from "#db/schema/index.ts";
import type { Actor, Membership } from "#app/features/spaces/visibility.server.ts";

/**
 * Reputation weights, the daily cap and privilege thresholds. Defaults follow Stack Overflow's
 * weights; the thresholds are lower than Stack Overflow's because a company community is smaller
 * and starts from zero. Admins change them at /admin/reputation; they are stored in `site_settings`.
 */
const weight = (fallback: number) => z.coerce.number().int().min(-1000).max(1000).default(fallback);
const threshold = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);

export const ReputationRulesSchema = z.object({
  weights: z
    .object({
      questionUpvoted: weight(5),
      answerUpvoted: weight(10),
      postDownvoted: weight(-2),
      downvoteCast: weight(-1),
      answerAccepted: weight(15),
      acceptGiven: weight(2),
      /** Idea owners, when their idea is accepted and again when it is implemented. */
      ideaAccepted: weight(10),
      ideaImplemented: weight(25),
      /** Articles are voted on as answers are. */
      articleUpvoted: weight(10),
      articleDownvoted: weight(-2),
      /** Wiki work: to the suggester when an owner approves their edit, to an owner who verifies a page, to an answer's author when it becomes a page. */
      editApproved: weight(2),
      pageVerified: weight(2),
      answerPromoted: weight(15),
    })
    .prefault({}),
  /** Reputation a person can earn from votes per UTC day; accepts are not counted. */
  dailyCap: z.coerce.number().int().min(0).max(1_000_000).default(200),
  thresholds: z
    .object({
      voteDown: threshold(50),
      createTag: threshold(100),
      close: threshold(250),
      editOthers: threshold(500),
      /** Promote an answer to the wiki (page owners and moderators always may). */
      promoteAnswer: threshold(1000),
    })
    .prefault({}),
});

export type ReputationRules = z.output<typeof ReputationRulesSchema>;
export type Privilege = keyof ReputationRules["thresholds"];

export const PRIVILEGES: ReadonlyArray<{ key: Privilege; label: string }> = [
  { key: "voteDown", label: "Vote down" },
  { key: "createTag", label: "Create new tags" },
  { key: "close", label: "Close and reopen questions" },
  { key: "editOthers", label: "Edit other people's posts" },
  { key: "promoteAnswer", label: "Promote an answer to the wiki" },
];

export const DEFAULT_REPUTATION_RULES: ReputationRules = ReputationRulesSchema.parse({});

const SETTINGS_KEY = "reputation";

export async function getReputationRules(db: Db | Tx): Promise<ReputationRules> {
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, SETTINGS_KEY));
  if (!row) return DEFAULT_REPUTATION_RULES;
  const parsed = ReputationRulesSchema.safeParse(row.value);
  // A stored value from an older version that no longer parses falls back to the defaults.
  return parsed.success ? parsed.data : DEFAULT_REPUTATION_RULES;
}

/**
 * The rules for pages that only read them (privileges shown on a page), kept for a few seconds per
 * database handle: the question page would otherwise read `site_settings` on every view. Writes
 * that apply weights (votes, accepts) read them fresh inside their transaction with
 * `getReputationRules`, so a cached value never decides reputation. A save in this process
 * clears the cache at once; other app instances see a change within RULES_CACHE_MS.
 */
const RULES_CACHE_MS = 5_000;
let rulesGeneration = 0;
const rulesCache = new WeakMap<Db, { at: number; generation: number; rules: Promise<ReputationRules> }>();

export function readReputationRules(db: Db): Promise<ReputationRules> {
  const now = Date.now();
  const hit = rulesCache.get(db);
  if (hit && hit.generation === rulesGeneration && now - hit.at < RULES_CACHE_MS) return hit.rules;
  const rules = getReputationRules(db);
  rulesCache.set(db, { at: now, generation: rulesGeneration, rules });
  // A failed read is not kept: the next caller tries again.
  rules.catch(() => rulesCache.delete(db));
  return rules;
}

export async function saveReputationRules(db: Db | Tx, actor: Actor, rules: ReputationRules): Promise<void> {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new Error("only admins change reputation rules");
  rulesGeneration++;
  await db
    .insert(siteSettings)
    .values({ key: SETTINGS_KEY, value: rules, updatedById: actor.id })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value: rules, updatedById: actor.id, updatedAt: new Date() } });
  // Again after the write: a read that started before it must not be kept as current.
  rulesGeneration++;
}

export type ReputationActor = Actor & { reputation: number };

/** Site moderators and admins hold every privilege; so does a moderator of the space in question. */
export function isModerator(actor: Actor, membership: Membership = null): boolean {
  return actor.role === "admin" || actor.role === "moderator" || membership?.role === "moderator";
}

export function hasPrivilege(actor: ReputationActor, privilege: Privilege, rules: ReputationRules, membership: Membership = null): boolean {
  if (actor.kind !== "employee" || actor.deactivatedAt) return false;
  if (isModerator(actor, membership)) return true;
  return actor.reputation >= rules.thresholds[privilege];
}

/** What a person has and what unlocks next, for their profile. */
export function privilegeProgress(actor: ReputationActor, rules: ReputationRules) {
  const moderator = isModerator(actor);
  const all = PRIVILEGES.map((p) => ({
    ...p,
    threshold: rules.thresholds[p.key],
    earned: moderator || actor.reputation >= rules.thresholds[p.key],
  }));
  const next = all.filter((p) => !p.earned).sort((a, b) => a.threshold - b.threshold)[0] ?? null;
  return { privileges: all, next: next ? { ...next, remaining: next.threshold - actor.reputation } : null };
}

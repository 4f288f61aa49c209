import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { siteSettings } from "#db/schema/index.ts";
import { DEFAULT_EXPERTISE_SETTINGS, EVIDENCE_KINDS, type EvidenceKind, type ExpertiseSettings } from "./model.ts";

/**
 * The expertise model's admin-set settings (site_settings key "expertise"): the model's weights,
 * half-life and thresholds, and routing's limits. Missing or unreadable values fall back to the
 * defaults, field by field.
 */
export interface RoutingSettings {
  /** How many experts each round of routing reaches. */
  expertsPerRound: number;
  /** Nobody is routed more than this many questions in seven days. */
  weeklyLimit: number;
  /** The reputation earned by answering a question routed to you. */
  answerReputation: number;
}
export type AllExpertiseSettings = ExpertiseSettings & { routing: RoutingSettings };

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = { expertsPerRound: 3, weeklyLimit: 5, answerReputation: 5 };

const weight = z.coerce.number().min(0).max(100);
export const ExpertiseSettingsSchema = z.object({
  halfLifeDays: z.coerce.number().int().min(7, "At least 7 days").max(3650, "At most 3,650 days").default(DEFAULT_EXPERTISE_SETTINGS.halfLifeDays),
  weights: z
    .object(Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, weight.default(DEFAULT_EXPERTISE_SETTINGS.weights[k])])) as Record<EvidenceKind, z.ZodDefault<typeof weight>>)
    .default(DEFAULT_EXPERTISE_SETTINGS.weights),
  confidenceK: z.coerce.number().min(0.1).max(100).default(DEFAULT_EXPERTISE_SETTINGS.confidenceK),
  smeThreshold: z.coerce.number().min(1, "At least 1").max(10_000).default(DEFAULT_EXPERTISE_SETTINGS.smeThreshold),
  similarityWeight: z.coerce.number().min(0).max(10).default(DEFAULT_EXPERTISE_SETTINGS.similarityWeight),
  recentHalfLifeDays: z.coerce.number().int().min(1, "At least 1 day").max(365, "At most 365 days").default(DEFAULT_EXPERTISE_SETTINGS.recentHalfLifeDays),
  recentFloor: z.coerce.number().min(0).max(1, "At most 1").default(DEFAULT_EXPERTISE_SETTINGS.recentFloor),
  routing: z
    .object({
      expertsPerRound: z.coerce.number().int().min(1, "At least 1").max(10, "At most 10").default(DEFAULT_ROUTING_SETTINGS.expertsPerRound),
      weeklyLimit: z.coerce.number().int().min(1, "At least 1").max(100, "At most 100").default(DEFAULT_ROUTING_SETTINGS.weeklyLimit),
      answerReputation: z.coerce.number().int().min(0).max(100, "At most 100").default(DEFAULT_ROUTING_SETTINGS.answerReputation),
    })
    .default(DEFAULT_ROUTING_SETTINGS),
});

export const DEFAULT_SETTINGS: AllExpertiseSettings = { ...DEFAULT_EXPERTISE_SETTINGS, routing: DEFAULT_ROUTING_SETTINGS };
const KEY = "expertise";

/** The settings as stored now (read fresh: for writes and jobs). */
export async function getExpertiseSettings(db: Db | Tx): Promise<AllExpertiseSettings> {
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, KEY));
  if (!row) return DEFAULT_SETTINGS;
  const parsed = ExpertiseSettingsSchema.safeParse(row.value);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** The settings for pages that only read them, kept for a few seconds per handle (as the reputation rules are). */
const CACHE_MS = 5_000;
let generation = 0;
const cache = new WeakMap<Db, { at: number; generation: number; value: Promise<AllExpertiseSettings> }>();
export function expertiseSettings(db: Db): Promise<AllExpertiseSettings> {
  const now = Date.now();
  const hit = cache.get(db);
  if (hit && hit.generation === generation && now - hit.at < CACHE_MS) return hit.value;
  const value = getExpertiseSettings(db);
  cache.set(db, { at: now, generation, value });
  value.catch(() => cache.delete(db));
  return value;
}

/**
 * Stores new settings; the caller has checked the actor is an admin. Returns whether the half-life or a weight
 * changed: the stored decayed sums depend on it, so the caller starts a full recompute.
 */
export async function saveExpertiseSettings(db: Db | Tx, actorId: number, settings: AllExpertiseSettings): Promise<{ needsRecompute: boolean }> {
  // Callers parse a form with the schema; this parse guards every other caller (a value the
  // readers would not parse would silently mean the defaults).
  settings = ExpertiseSettingsSchema.parse(settings);
  const before = await getExpertiseSettings(db);
  generation++;
  await db
    .insert(siteSettings)
    .values({ key: KEY, value: settings, updatedById: actorId })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value: settings, updatedById: actorId, updatedAt: new Date() } });
  generation++;
  return { needsRecompute: before.halfLifeDays !== settings.halfLifeDays || JSON.stringify(before.weights) !== JSON.stringify(settings.weights) };
}

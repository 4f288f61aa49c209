import type { Db } from "#db/client.server.ts";
import type { users } from "#db/schema/index.ts";
import { createCampaign as createCampaignFeature } from "#app/features/ideas/campaigns.server.ts";
import { submitIdea } from "#app/features/ideas/ideas.server.ts";
import { createTags } from "./index.ts";

/**
 * Campaigns and ideas made through the feature functions, so owners, revisions, timelines and
 * outbox rows are real. The demo seed builds its campaigns with these; the tests use them through
 * tests/factories/ideas.ts.
 */

type Person = typeof users.$inferSelect;
const DAY = 24 * 3600 * 1000;
let sequence = 0;

/** A day as the campaign form sends it, `days` from today (UTC). */
export function dayFromToday(days: number, now = new Date()): Date {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start + days * DAY);
}

export async function createCampaign(
  db: Db,
  attrs: {
    sponsor: Person;
    space: { slug: string };
    title?: string;
    brief?: string;
    categories?: string[];
    criteria?: string[];
    /** Days from today; the defaults make a campaign open now for four weeks. */
    startsInDays?: number;
    endsInDays?: number;
    voteBudget?: number | null;
    evaluators?: Person[];
  },
) {
  sequence += 1;
  const { id } = await createCampaignFeature(db, attrs.sponsor, {
    space: attrs.space.slug,
    title: attrs.title ?? `Campaign number ${sequence} for better ways of working`,
    brief: attrs.brief ?? `What would make campaign ${sequence}'s area simpler? Tell us and vote for the ideas you want most.`,
    categories: attrs.categories ?? [],
    criteria: attrs.criteria ?? [],
    startsOn: dayFromToday(attrs.startsInDays ?? -1),
    endsOn: dayFromToday(attrs.endsInDays ?? 28),
    voteBudget: attrs.voteBudget ?? null,
    evaluators: (attrs.evaluators ?? []).map((e) => e.email),
    submissionKey: undefined,
  });
  return id;
}

export async function createIdea(db: Db, attrs: { author: Person; campaignId: number; title?: string; body?: string; category?: string; tags?: string[]; coOwners?: Person[] }) {
  sequence += 1;
  const tags = attrs.tags ?? ["process"];
  await createTags(db, tags);
  const { id } = await submitIdea(db, attrs.author, attrs.campaignId, {
    title: attrs.title ?? `Idea number ${sequence}: make the form shorter`,
    body: attrs.body ?? `Idea ${sequence} in detail: what changes, who gains and how we would know it worked.`,
    category: attrs.category ?? "",
    tags,
    coOwners: (attrs.coOwners ?? []).map((p) => p.email),
    submissionKey: undefined,
  });
  return id;
}

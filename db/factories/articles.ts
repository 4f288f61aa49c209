import type { Db } from "#db/client.server.ts";
import type { users } from "#db/schema/index.ts";
import { createArticle as createArticleFeature } from "#app/features/articles/articles.server.ts";
import type { ArticleType } from "#app/features/articles/schemas.ts";

/**
 * Articles made through the feature function, so revisions, follows, notifications and outbox
 * rows are real. Published by default; the traits make a draft or one scheduled `publishInHours`
 * from now (an hour by default). The tests use it through tests/factories/articles.ts.
 */

type Person = typeof users.$inferSelect;
export type ArticleTrait = "draft" | "scheduled";
const HOUR = 3600 * 1000;
let sequence = 0;

export async function createArticle(
  db: Db,
  attrs: { author: Person; space: { slug: string }; type?: ArticleType; title?: string; body?: string; tags?: string[]; publishInHours?: number; submissionKey?: string },
  ...traits: ArticleTrait[]
) {
  sequence += 1;
  const now = new Date();
  const intent = traits.includes("scheduled") ? "schedule" : traits.includes("draft") ? "draft" : "publish";
  const { id } = await createArticleFeature(
    db,
    { ...attrs.author },
    {
      space: attrs.space.slug,
      type: attrs.type ?? "knowledge",
      title: attrs.title ?? `Article number ${sequence}: how our team works`,
      body: attrs.body ?? `What we learned in article ${sequence}, with enough words to pass the minimum length.`,
      tags: attrs.tags ?? [],
      intent,
      publishAt: intent === "schedule" ? new Date(now.getTime() + (attrs.publishInHours ?? 1) * HOUR) : null,
      submissionKey: attrs.submissionKey,
    },
    now,
  );
  return id;
}

import type { Db } from "#db/client.server.ts";
import type { users } from "#db/schema/index.ts";
import { createPage } from "#app/features/wiki/pages.server.ts";

type Author = typeof users.$inferSelect;
let sequence = 0;

/** A wiki page written through the feature function, so its revision, owner, links and follow are real. */
export async function createWikiPage(db: Db, attrs: { author: Author; space: { slug: string }; title?: string; body?: string; parentId?: number | null; tags?: string[] }) {
  sequence += 1;
  const { id } = await createPage(db, attrs.author, attrs.space.slug, {
    title: attrs.title ?? `Runbook number ${sequence}`,
    body: attrs.body ?? `What to do in case ${sequence}.`,
    tags: attrs.tags ?? [],
    parentId: attrs.parentId ?? null,
    submissionKey: undefined,
  });
  return id;
}

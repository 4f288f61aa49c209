import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { importedProfiles, posts, tags as tagsTable, users } from "#db/schema/index.ts";
import { recordReputation } from "#app/features/reputation/ledger.server.ts";
import { IMPORTED_EMAIL_DOMAIN } from "#app/features/imports/imported-profiles.server.ts";

/**
 * Imported data as an importer leaves it, made directly: a placeholder person who cannot sign in
 * (no password, an `@import.invalid` address) with its `imported_profiles` row, source attribution
 * on posts, and reputation brought in as `imported` ledger events.
 */

export type ImportedProfileInput = { source?: string; name?: string; sourceId?: number; reputation?: number };

export async function createImportedProfile(db: Db, attrs: ImportedProfileInput = {}) {
  const source = attrs.source ?? "beer.stackexchange.com";
  const sourceId = attrs.sourceId ?? Math.floor(Math.random() * 1_000_000_000);
  const name = attrs.name ?? `Brewer ${randomUUID().slice(0, 6)}`;
  const [user] = await db
    .insert(users)
    .values({
      email: `${source}.${sourceId}.${randomUUID().slice(0, 6)}@${IMPORTED_EMAIL_DOMAIN}`,
      name,
      passwordHash: null,
      title: "",
      department: "",
      location: "",
    })
    .returning();
  const importKey = `${source}/users/${sourceId}`;
  await db.insert(importedProfiles).values({
    importKey,
    userId: user!.id,
    source,
    sourceUrl: `https://${source}/users/${sourceId}`,
    displayName: name,
    sourceReputation: attrs.reputation ?? 0,
  });
  return { user: user!, importKey, source };
}

/** Marks a post written through the feature functions as imported from `source`, credited to `author`. */
export async function markImported(db: Db, postId: number, attrs: { source?: string; sourceId?: number; author: string; license?: string }) {
  const source = attrs.source ?? "beer.stackexchange.com";
  const sourceId = attrs.sourceId ?? postId;
  await db
    .update(posts)
    .set({
      importKey: `${source}/posts/${sourceId}-${randomUUID().slice(0, 6)}`,
      sourceUrl: `https://${source}/questions/${sourceId}`,
      sourceAuthor: attrs.author,
      sourceLicense: attrs.license ?? "CC BY-SA 3.0",
    })
    .where(eq(posts.id, postId));
}

/**
 * Reputation brought in from the source: one `imported` event on a post (with its space and tags,
 * so per-tag scores move too), or without a post when `postId` is omitted.
 */
export async function importReputation(db: Db, attrs: { userId: number; delta: number; postId?: number }) {
  return db.transaction(async (tx) => {
    let spaceId: number | null = null;
    let itemId: number | null = null;
    let tagIds: number[] = [];
    if (attrs.postId) {
      const [post] = await tx.select({ itemId: posts.itemId, spaceId: posts.spaceId, tags: posts.tags, parentId: posts.parentId }).from(posts).where(eq(posts.id, attrs.postId));
      itemId = post!.itemId;
      let tagNames = post!.tags;
      if (post!.parentId) {
        const [question] = await tx.select({ tags: posts.tags }).from(posts).where(eq(posts.id, post!.parentId));
        tagNames = question!.tags;
      }
      spaceId = post!.spaceId;
      tagIds = tagNames.length ? (await tx.select({ id: tagsTable.id }).from(tagsTable).where(inArray(tagsTable.name, tagNames))).map((t) => t.id) : [];
    }
    return recordReputation(tx, {
      userId: attrs.userId,
      reason: "imported",
      delta: attrs.delta,
      actorId: null,
      itemId,
      spaceId,
      tagIds,
      countsTowardCap: false,
    });
  });
}

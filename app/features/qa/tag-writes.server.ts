import { inArray, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { spaceTags, tags } from "#db/schema/index.ts";
import { getReputationRules, hasPrivilege, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import type { Membership } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";

/** Tags as writers use them: found or created on a question's (or an idea's) save, and counted per space. */

/**
 * The tag rows for these names, in the given order. Missing tags are created when the actor may
 * create tags (reputation threshold or moderator); otherwise an InputError names the new tag.
 */
export async function resolveTags(tx: Tx, actor: ReputationActor, membership: Membership, names: string[]): Promise<Array<{ id: number; name: string }>> {
  if (names.length === 0) return [];
  const found = await tx.select({ id: tags.id, name: tags.name }).from(tags).where(inArray(tags.name, names));
  const missing = names.filter((n) => !found.some((t) => t.name === n));
  if (missing.length > 0) {
    const rules = await getReputationRules(tx);
    if (!hasPrivilege(actor, "createTag", rules, membership)) {
      const list = missing.map((n) => `“${n}”`).join(", ");
      throw InputError.field(
        "tags",
        `${list} ${missing.length === 1 ? "is a new tag" : "are new tags"}. Creating tags takes ${rules.thresholds.createTag} reputation (you have ${actor.reputation}): use an existing tag, or ask a moderator to create it.`,
      );
    }
    await tx
      .insert(tags)
      .values(missing.map((name) => ({ name, createdById: actor.id })))
      .onConflictDoNothing();
    found.push(...(await tx.select({ id: tags.id, name: tags.name }).from(tags).where(inArray(tags.name, missing))));
  }
  return names.map((n) => found.find((t) => t.name === n)!);
}

/** Moves a question's tag counts in its space by `delta` (+1 when it gains tags or is restored, -1 when it loses them). */
export async function adjustSpaceTagCounts(tx: Tx, spaceId: number, tagIds: number[], delta: 1 | -1): Promise<void> {
  if (tagIds.length === 0) return;
  await tx
    .insert(spaceTags)
    .values(tagIds.map((tagId) => ({ spaceId, tagId, questionCount: Math.max(delta, 0) })))
    .onConflictDoUpdate({
      target: [spaceTags.spaceId, spaceTags.tagId],
      set: { questionCount: sql`greatest(${spaceTags.questionCount} + ${delta}, 0)` },
    });
}

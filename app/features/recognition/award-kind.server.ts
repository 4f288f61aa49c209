import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { awardNominations, awardRounds, spaces, users } from "#db/schema/index.ts";
import { itemFollowers } from "#app/features/social/follows.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { type ItemAccess, type ItemSummary, registerKind } from "#app/features/social/registry.server.ts";
import { type Actor, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { loadNomination, loadRound, nominationUrl, removeNomination, roundUrl } from "./awards.server.ts";

/**
 * Award rounds and their nominations on the social layer (docs/adding-a-kind.md). A round is a
 * page people comment on and follow, and that the inbox links to (nominations, results); a
 * nomination is seen on its round's page, can be flagged, and the moderation queue's delete is
 * HR's (or a moderator's) removal of it. Neither has votes: ballots are not the social layer's
 * votes, which name their voter (awards.server.ts keeps ballots secret). Neither is searched.
 */

/** "Nomination of Grace Liu for “Talent show 2026”". */
export function nominationTitle(nominee: string, round: string): string {
  return `Nomination of ${nominee} for “${round}”`;
}

async function describeRounds(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: awardRounds.id,
      itemId: awardRounds.itemId,
      spaceId: awardRounds.spaceId,
      title: awardRounds.title,
      createdById: awardRounds.createdById,
      description: awardRounds.description,
    })
    .from(awardRounds)
    .innerJoin(spaces, eq(spaces.id, awardRounds.spaceId))
    .where(and(inArray(awardRounds.itemId, ids), visibleSpacesCondition(actor)));
  return rows.map((r) => ({
    itemId: r.itemId,
    kind: "award_round" as const,
    contentId: r.id,
    spaceId: r.spaceId,
    title: r.title,
    pageItemId: r.itemId,
    url: roundUrl(r),
    deleted: false,
    authorId: r.createdById,
    excerpt: `${r.title}: ${plainExcerpt(r.description, 180)}`,
  }));
}

async function describeNominations(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: awardNominations.id,
      itemId: awardNominations.itemId,
      spaceId: awardNominations.spaceId,
      roundId: awardNominations.roundId,
      nominatorId: awardNominations.nominatorId,
      statement: awardNominations.statement,
      deletedAt: awardNominations.deletedAt,
      roundItemId: awardRounds.itemId,
      roundTitle: awardRounds.title,
      nominee: users.name,
    })
    .from(awardNominations)
    .innerJoin(awardRounds, eq(awardRounds.id, awardNominations.roundId))
    .innerJoin(users, eq(users.id, awardNominations.nomineeId))
    .innerJoin(spaces, eq(spaces.id, awardNominations.spaceId))
    .where(and(inArray(awardNominations.itemId, ids), visibleSpacesCondition(actor)));
  return rows.map((r) => {
    const title = nominationTitle(r.nominee, r.roundTitle);
    return {
      itemId: r.itemId,
      kind: "award_nomination" as const,
      contentId: r.id,
      spaceId: r.spaceId,
      title,
      pageItemId: r.roundItemId,
      url: nominationUrl(r),
      deleted: r.deletedAt !== null,
      authorId: r.nominatorId,
      excerpt: `${title}: ${plainExcerpt(r.statement, 180)}`,
    };
  });
}

registerKind({
  kind: "award_round",
  features: KIND_FEATURES.award_round,
  async load(tx, actor, itemId, options): Promise<ItemAccess> {
    const { round, space, membership, canModerate } = await loadRound(tx, actor, { itemId }, { forUpdate: options?.forUpdate });
    return {
      itemId: round.itemId,
      kind: "award_round",
      contentId: round.id,
      spaceId: round.spaceId,
      space,
      membership,
      authorId: round.createdById,
      deletedAt: null,
      deletedById: null,
      title: round.title,
      pageItemId: round.itemId,
      url: roundUrl(round),
      canModerate,
    };
  },
  describe: describeRounds,
  // Rounds keep no comment count: their page reads the comments themselves.
  async commentsChanged() {},
  async commentAudience(tx, access) {
    // HR who created it and everyone who follows it (commenters follow it from their first comment).
    return { recipients: [access.authorId, ...(await itemFollowers(tx, access.itemId))], notification: "comment" };
  },
  searchDocument: () => null,
});

registerKind({
  kind: "award_nomination",
  features: KIND_FEATURES.award_nomination,
  async load(tx, actor, itemId, options): Promise<ItemAccess> {
    const { nomination, round, nomineeName, space, membership, canModerate } = await loadNomination(tx, actor, { itemId }, options);
    return {
      itemId: nomination.itemId,
      kind: "award_nomination",
      contentId: nomination.id,
      spaceId: nomination.spaceId,
      space,
      membership,
      authorId: nomination.nominatorId,
      deletedAt: nomination.deletedAt,
      deletedById: nomination.deletedById,
      title: nominationTitle(nomineeName, round.title),
      pageItemId: round.itemId,
      pageContentId: round.id,
      url: nominationUrl(nomination),
      canModerate,
    };
  },
  describe: describeNominations,
  // Nominations take no comments (the round's page has them).
  async commentsChanged() {},
  async commentAudience(_tx, access) {
    return { recipients: [access.authorId], notification: "comment" };
  },
  async remove(db, actor, itemId) {
    const { changed } = await removeNomination(db, actor, { itemId });
    return { changed };
  },
  searchDocument: () => null,
});

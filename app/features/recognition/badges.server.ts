import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { uniqueViolation } from "#db/errors.ts";
import { badgeAwards, badges, companyValues, tags, users } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { idParam, isRowId } from "#app/lib/ids.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { AUTOMATIC_BADGE_NAMES, BADGE_RULES, type BadgePer, type BadgeRule, badgeRule, type BadgeTier } from "./badge-rules.ts";
import { type AwardBadgeInput, AwardBadgeSchema, type BadgeInput, BadgeSchema } from "./badge-schemas.ts";
import { companySpaceId } from "./company-space.server.ts";

/**
 * Badges (docs/recognition.md): automatic ones, granted by a job from the rules in badge-rules.ts,
 * and custom ones that HR and admins create and award with a reason.
 *
 * The counts kept beside the awards move in the same statement or transaction as every grant and
 * revocation: `badges.award_count` and `holder_count` (people, however many times they hold it),
 * and `users.gold_badges`/`silver_badges`/`bronze_badges`, which count AWARDS: a per-tag badge
 * earned in three tags counts three, as the profile's "×3" shows.
 *
 * Badges live in the company space (every active employee sees them). What an award was earned
 * for (a tag, an answer, an idea) may sit in a restricted space: the award row keeps it, and the
 * badge page names it only to readers who may see it.
 */

export type BadgeRow = typeof badges.$inferSelect;

const TIER_COLUMN: Record<BadgeTier, string> = { gold: "gold_badges", silver: "silver_badges", bronze: "bronze_badges" };
const TIER_ORDER = sql`case ${badges.tier} when 'gold' then 0 when 'silver' then 1 else 2 end`;
/** Every instance runs the job; they take turns under this lock, so counts are bumped once. */
const JOB_LOCK = sql`select pg_advisory_xact_lock(hashtext('commons:badge-grants'))`;

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

/** HR and admins create, edit, archive, award and revoke custom badges. */
export function canManageBadges(actor: Actor): boolean {
  return isActiveEmployee(actor) && (actor.role === "hr" || actor.role === "admin");
}

function requireManager(actor: Actor, what: string): void {
  if (!canManageBadges(actor)) throw new ForbiddenError(`Only HR and admins ${what}.`);
}

// ---------------------------------------------------------------------------------------------
// The automatic badges and the grant job

/** Moves `badgeId`'s awards from one tier's count to another's, for every holder. */
async function moveTier(tx: Tx, badgeId: number, from: BadgeTier, to: BadgeTier): Promise<void> {
  if (from === to) return;
  const [f, t] = [sql.raw(TIER_COLUMN[from]), sql.raw(TIER_COLUMN[to])];
  await tx.execute(sql`
    update users set ${f} = users.${f} - a.n, ${t} = users.${t} + a.n
    from (select user_id, count(*)::int as n from badge_awards where badge_id = ${badgeId} group by user_id) a
    where users.id = a.user_id`);
}

/**
 * The catalogue's rows, one per rule, named and described as the code says (a renamed rule is
 * renamed here; a rule whose tier changed moves its holders' counts). Under the job's lock, so
 * two instances starting at once make each row once. Returns the rows by rule key.
 */
export async function ensureAutomaticBadges(tx: Tx): Promise<Map<string, BadgeRow>> {
  await tx.execute(JOB_LOCK);
  const existing = await tx.select().from(badges).where(isNotNull(badges.rule));
  const byRule = new Map(existing.map((b) => [b.rule!, b]));
  const changed: number[] = [];
  let spaceId: number | null = null;
  for (const rule of BADGE_RULES) {
    const row = byRule.get(rule.key);
    if (!row) {
      spaceId ??= await companySpaceId(tx);
      const [made] = await tx.insert(badges).values({ spaceId, name: rule.name, description: rule.description, tier: rule.tier, rule: rule.key }).returning();
      byRule.set(rule.key, made!);
      changed.push(made!.id);
    } else if (row.name !== rule.name || row.description !== rule.description || row.tier !== rule.tier) {
      await moveTier(tx, row.id, row.tier, rule.tier);
      const [updated] = await tx.update(badges).set({ name: rule.name, description: rule.description, tier: rule.tier }).where(eq(badges.id, row.id)).returning();
      byRule.set(rule.key, updated!);
      changed.push(row.id);
    }
  }
  await enqueueIndexing(tx, "badge", changed, { priority: 1 });
  return byRule;
}

/**
 * One rule, one statement: its candidates that hold no such award yet become awards (the anti-join
 * keeps a re-run from even trying them, so the id sequence is not spent every ten minutes; ON
 * CONFLICT covers a race), and for exactly the rows inserted the badge's counts, the holders' tier
 * counts and an inbox entry each ("You earned the badge …": no actor) follow. Returns the awards made.
 */
async function grantRule(tx: Tx, rule: BadgeRule, badge: BadgeRow, now: Date): Promise<number> {
  const at = now.toISOString();
  const tier = sql.raw(TIER_COLUMN[badge.tier]);
  const [row] = await tx.execute<{ granted: number }>(sql`
    with candidates as (${rule.candidates(now)}),
    granted as (
      insert into badge_awards (badge_id, user_id, subject, tag_id, value_id, subject_item_id, created_at)
      select ${badge.id}, c.user_id, c.subject, c.tag_id, c.value_id, c.subject_item_id, ${at}::timestamptz
      from candidates c join users u on u.id = c.user_id
      where u.kind = 'employee' and u.deactivated_at is null
        and not exists (select 1 from badge_awards a where a.badge_id = ${badge.id} and a.user_id = c.user_id and a.subject = c.subject)
      on conflict (badge_id, user_id, subject) do nothing
      returning user_id
    ),
    per_user as (
      -- The statement's snapshot does not see the rows just inserted: an award found here is an older one.
      select g.user_id, count(*)::int as n, not exists (select 1 from badge_awards a where a.badge_id = ${badge.id} and a.user_id = g.user_id) as new_holder
      from granted g group by g.user_id
    ),
    badge_counts as (
      update badges set award_count = badges.award_count + t.awards, holder_count = badges.holder_count + t.holders, updated_at = ${at}::timestamptz
      from (select coalesce(sum(n), 0)::int as awards, (count(*) filter (where new_holder))::int as holders from per_user) t
      where badges.id = ${badge.id} and t.awards > 0
      returning 1
    ),
    tier_counts as (
      update users set ${tier} = users.${tier} + p.n from per_user p where users.id = p.user_id returning 1
    ),
    told as (
      insert into notifications (user_id, kind, actor_id, space_id, item_id, created_at)
      select p.user_id, 'badge', null, ${badge.spaceId}, ${badge.itemId}, ${at}::timestamptz from per_user p
      returning 1
    )
    select coalesce((select sum(n) from per_user), 0)::int as granted`);
  return Number(row?.granted ?? 0);
}

export type GrantResult = { total: number; byRule: Record<string, number> };

/**
 * The grant job: makes sure the catalogue exists, then runs every rule, each in its own short
 * transaction under the job's lock (instances take turns; the second finds nothing left to grant).
 * Safe to run any number of times: nothing is granted, counted or notified twice. Called by the
 * scheduler every ten minutes, `npm run badges:grant`, the demo seed and the generator (inside a
 * seed's transaction each rule is a savepoint, and the lock is held to its end).
 */
export async function grantBadges(db: Db | Tx, now = new Date()): Promise<GrantResult> {
  const catalogue = await db.transaction((tx) => ensureAutomaticBadges(tx));
  const byRule: Record<string, number> = {};
  let total = 0;
  for (const rule of BADGE_RULES) {
    const badge = catalogue.get(rule.key)!;
    const granted = await db.transaction(async (tx) => {
      await tx.execute(JOB_LOCK);
      const made = await grantRule(tx, rule, badge, now);
      // The badge's search document carries its holder count.
      if (made > 0) await enqueueIndexing(tx, "badge", [badge.id], { priority: 1 });
      return made;
    });
    byRule[rule.key] = granted;
    total += granted;
  }
  return { total, byRule };
}

// ---------------------------------------------------------------------------------------------
// Custom badges

/** A badge for a write, locked, or the 404 of a missing one; one in a space the actor can't see answers the same, as its page does. */
async function lockBadge(tx: Tx, badgeId: number, actor: Actor): Promise<BadgeRow> {
  if (!isRowId(badgeId)) throw new NotFoundError();
  const [row] = await tx
    .select()
    .from(badges)
    .where(and(eq(badges.id, badgeId), inVisibleSpace(actor, badges.spaceId)))
    .for("update", { of: badges });
  if (!row) throw new NotFoundError();
  return row;
}

function refuseAutomatic(badge: BadgeRow, what: string): void {
  if (badge.rule !== null) throw new ForbiddenError(`“${badge.name}” is an automatic badge: it follows its rule, so it can't be ${what} by hand.`);
}

function parseBadge(input: BadgeInput) {
  const parsed = BadgeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw InputError.field(String(issue.path[0] ?? "name"), issue.message);
  }
  if (AUTOMATIC_BADGE_NAMES.has(parsed.data.name.toLowerCase())) throw InputError.field("name", `“${parsed.data.name}” is the name of an automatic badge: choose another.`);
  return parsed.data;
}

const nameTaken = (name: string) => InputError.field("name", `There is a badge called “${name}” already: choose another name.`);

/** A write that may lose a race on the unique name: the lost race says so on the name field. */
async function withUniqueName<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (uniqueViolation(error) === "badges_name_key") throw nameTaken(name);
    throw error;
  }
}

/**
 * A new custom badge (HR and admins). The name is unique (case aside) and can't be an automatic
 * badge's. The table has no submission key: a double submit finds the badge its first submit made
 * by its name, author, text and tier, and answers with it.
 */
export async function createBadge(db: Db, actor: Actor, input: BadgeInput): Promise<{ id: number; itemId: number; created: boolean }> {
  requireManager(actor, "create badges");
  const values = parseBadge(input);
  return withUniqueName(values.name, () =>
    db.transaction(async (tx) => {
      const [same] = await tx
        .select({ id: badges.id, itemId: badges.itemId, createdById: badges.createdById, description: badges.description, tier: badges.tier })
        .from(badges)
        .where(sql`lower(${badges.name}) = lower(${values.name})`);
      if (same) {
        if (same.createdById === actor.id && same.description === values.description && same.tier === values.tier) return { id: same.id, itemId: same.itemId, created: false };
        throw nameTaken(values.name);
      }
      const [made] = await tx
        .insert(badges)
        .values({ spaceId: await companySpaceId(tx), name: values.name, description: values.description, tier: values.tier, createdById: actor.id })
        .returning({ id: badges.id, itemId: badges.itemId });
      await enqueueIndexing(tx, "badge", [made!.id]);
      return { ...made!, created: true };
    }),
  );
}

/** Renames, re-describes or re-tiers a custom badge; its holders' tier counts follow a new tier. */
export async function editBadge(db: Db, actor: Actor, badgeId: number, input: BadgeInput): Promise<void> {
  requireManager(actor, "edit badges");
  const values = parseBadge(input);
  await withUniqueName(values.name, () =>
    db.transaction(async (tx) => {
      const badge = await lockBadge(tx, badgeId, actor);
      refuseAutomatic(badge, "edited");
      const [clash] = await tx
        .select({ id: badges.id })
        .from(badges)
        .where(and(sql`lower(${badges.name}) = lower(${values.name})`, sql`${badges.id} <> ${badge.id}`));
      if (clash) throw nameTaken(values.name);
      await moveTier(tx, badge.id, badge.tier, values.tier);
      await tx.update(badges).set(values).where(eq(badges.id, badge.id));
      await enqueueIndexing(tx, "badge", [badge.id]);
    }),
  );
}

/** Archives a custom badge (no new awards; holders keep it), or brings it back. */
export async function archiveBadge(db: Db, actor: Actor, badgeId: number, archived: boolean, now = new Date()): Promise<{ changed: boolean }> {
  requireManager(actor, "archive badges");
  return db.transaction(async (tx) => {
    const badge = await lockBadge(tx, badgeId, actor);
    refuseAutomatic(badge, "archived");
    if ((badge.archivedAt !== null) === archived) return { changed: false };
    await tx
      .update(badges)
      .set({ archivedAt: archived ? now : null })
      .where(eq(badges.id, badge.id));
    await enqueueIndexing(tx, "badge", [badge.id]);
    return { changed: true };
  });
}

/** The person a form names (a handle, an address, or the id the picker filled in): an active employee, or a message on the `person` field. */
async function recipient(tx: Tx, person: string): Promise<{ id: number; name: string }> {
  const handle = person.replace(/^@/, "").toLowerCase();
  const asId = idParam(person);
  const userId = Number.isNaN(asId) ? (await usersByHandle(tx, [handle])).get(handle) : asId;
  const unknown = () => InputError.field("person", `No one active goes by @${handle.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
  if (userId === undefined) throw unknown();
  const [row] = await tx.select({ id: users.id, name: users.name, kind: users.kind, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId));
  if (!row) throw unknown();
  if (row.kind !== "employee" || row.deactivatedAt) throw InputError.field("person", `${row.name} can't hold badges: only active employees do.`);
  return row;
}

/**
 * Awards a custom badge to a colleague with a reason (HR and admins), once per person, and tells
 * them. Not to oneself, not an archived or automatic badge. The awards table has no submission
 * key: a double submit (same person, same reason, same hand) finds the first award.
 */
export async function awardBadge(db: Db, actor: Actor, badgeId: number, input: AwardBadgeInput, now = new Date()): Promise<{ awardId: number; userId: number; name: string }> {
  requireManager(actor, "award badges");
  const parsed = AwardBadgeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw InputError.field(String(issue.path[0] ?? "reason"), issue.message);
  }
  const { person, reason } = parsed.data;
  return db.transaction(async (tx) => {
    const badge = await lockBadge(tx, badgeId, actor);
    refuseAutomatic(badge, "awarded");
    if (badge.archivedAt) throw new InputError(`“${badge.name}” is archived: restore it before awarding it.`);
    const to = await recipient(tx, person);
    if (to.id === actor.id) throw InputError.field("person", "You can't award a badge to yourself: ask a colleague in HR.");
    const [award] = await tx
      .insert(badgeAwards)
      .values({ badgeId: badge.id, userId: to.id, reason, awardedById: actor.id, createdAt: now })
      .onConflictDoNothing({ target: [badgeAwards.badgeId, badgeAwards.userId, badgeAwards.subject] })
      .returning({ id: badgeAwards.id });
    if (!award) {
      // The same award from the same hand is a double submit: it answers as the first did.
      const [earlier] = await tx
        .select({ id: badgeAwards.id, awardedById: badgeAwards.awardedById, reason: badgeAwards.reason })
        .from(badgeAwards)
        .where(and(eq(badgeAwards.badgeId, badge.id), eq(badgeAwards.userId, to.id), eq(badgeAwards.subject, "")));
      if (earlier && earlier.awardedById === actor.id && earlier.reason === reason) return { awardId: earlier.id, userId: to.id, name: to.name };
      throw InputError.field("person", `${to.name} holds “${badge.name}” already.`);
    }
    const tier = sql.raw(TIER_COLUMN[badge.tier]);
    await tx
      .update(badges)
      .set({ awardCount: sql`${badges.awardCount} + 1`, holderCount: sql`${badges.holderCount} + 1` })
      .where(eq(badges.id, badge.id));
    await tx.execute(sql`update users set ${tier} = ${tier} + 1 where id = ${to.id}`);
    await notify(tx, [to.id], { kind: "badge", actorId: actor.id, spaceId: badge.spaceId, itemId: badge.itemId });
    await enqueueIndexing(tx, "badge", [badge.id], { priority: 1 });
    return { awardId: award.id, userId: to.id, name: to.name };
  });
}

/** Takes back an award of a custom badge (HR and admins); the counts follow. Automatic awards follow their rule. */
export async function revokeAward(db: Db, actor: Actor, badgeId: number, awardId: number): Promise<{ name: string }> {
  requireManager(actor, "revoke badges");
  if (!isRowId(awardId)) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const badge = await lockBadge(tx, badgeId, actor);
    refuseAutomatic(badge, "revoked");
    const [gone] = await tx
      .delete(badgeAwards)
      .where(and(eq(badgeAwards.id, awardId), eq(badgeAwards.badgeId, badge.id)))
      .returning({ userId: badgeAwards.userId });
    if (!gone) throw new NotFoundError();
    const tier = sql.raw(TIER_COLUMN[badge.tier]);
    await tx
      .update(badges)
      .set({
        awardCount: sql`greatest(${badges.awardCount} - 1, 0)`,
        holderCount: sql`greatest(${badges.holderCount} - (case when exists (select 1 from badge_awards a where a.badge_id = ${badge.id} and a.user_id = ${gone.userId}) then 0 else 1 end), 0)`,
      })
      .where(eq(badges.id, badge.id));
    const [person] = await tx.execute<{ name: string }>(sql`update users set ${tier} = greatest(${tier} - 1, 0) where id = ${gone.userId} returning name`);
    await enqueueIndexing(tx, "badge", [badge.id], { priority: 1 });
    return { name: person?.name ?? "" };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export type BadgeSummary = {
  id: number;
  name: string;
  description: string;
  tier: BadgeTier;
  automatic: boolean;
  archived: boolean;
  holderCount: number;
  awardCount: number;
  /** How many times the reader holds it (0: not at all). */
  mine: number;
  /** With `?holder=`: how many times that person holds it. */
  held: number;
};

export type BadgeKindFilter = "all" | "automatic" | "custom";

/** Every badge, gold first, with holder counts and the reader's own; one query (two with a holder). */
export async function badgeCatalogue(
  db: Db | Tx,
  actor: Actor,
  options: { kind?: BadgeKindFilter; holderId?: number | null } = {},
): Promise<{ badges: BadgeSummary[]; holder: { id: number; name: string } | null; canManage: boolean }> {
  if (!isActiveEmployee(actor)) throw new NotFoundError();
  let holder: { id: number; name: string } | null = null;
  if (options.holderId !== undefined && options.holderId !== null) {
    if (!isRowId(options.holderId)) throw new NotFoundError();
    const [row] = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.id, options.holderId), eq(users.kind, "employee"), isNotNull(users.emailVerifiedAt)));
    if (!row) throw new NotFoundError();
    holder = row;
  }
  const conditions: SQL[] = [inVisibleSpace(actor, badges.spaceId)];
  if (options.kind === "automatic") conditions.push(isNotNull(badges.rule));
  if (options.kind === "custom") conditions.push(isNull(badges.rule));
  const heldBy = holder?.id ?? 0;
  if (holder) conditions.push(sql`exists (select 1 from badge_awards h where h.badge_id = ${badges.id} and h.user_id = ${heldBy})`);
  const rows = await db
    .select({
      id: badges.id,
      name: badges.name,
      description: badges.description,
      tier: badges.tier,
      rule: badges.rule,
      archivedAt: badges.archivedAt,
      holderCount: badges.holderCount,
      awardCount: badges.awardCount,
      mine: sql<number>`(select count(*)::int from badge_awards m where m.badge_id = ${badges.id} and m.user_id = ${actor.id})`,
      held: holder ? sql<number>`(select count(*)::int from badge_awards h where h.badge_id = ${badges.id} and h.user_id = ${heldBy})` : sql<number>`0`,
    })
    .from(badges)
    .where(and(...conditions))
    .orderBy(TIER_ORDER, sql`${badges.rule} is null`, asc(badges.name));
  return {
    badges: rows.map(({ rule, archivedAt, ...r }) => ({ ...r, automatic: rule !== null, archived: archivedAt !== null, mine: Number(r.mine), held: Number(r.held) })),
    holder,
    canManage: canManageBadges(actor),
  };
}

export const HOLDERS_PER_PAGE = 30;

/** What an award was earned for, as far as the reader may see it. */
export type AwardEvidence = { kind: "tag"; name: string } | { kind: "item"; title: string; url: string } | { kind: "value"; name: string; emoji: string } | null;

export type HolderView = {
  awardId: number;
  person: { id: number; name: string; title: string; deactivated: boolean };
  createdAt: Date;
  reason: string;
  awardedBy: { id: number; name: string } | null;
  evidence: AwardEvidence;
};

export type BadgeView = {
  id: number;
  itemId: number;
  name: string;
  description: string;
  tier: BadgeTier;
  automatic: boolean;
  per: BadgePer;
  archived: boolean;
  holderCount: number;
  awardCount: number;
  createdAt: Date;
  createdBy: { id: number; name: string } | null;
};

const creator = alias(users, "creator");
const awarder = alias(users, "awarder");

/**
 * A badge's page: the badge, and its holders newest first, a page at a time, each with what it was
 * earned for when the reader may see that (the tag in a space they see, the answer or idea through
 * the registry of kinds). Three queries, and one per kind of item the page's awards name.
 */
export async function badgePage(db: Db | Tx, actor: Actor, badgeId: number, page = 1) {
  if (!isActiveEmployee(actor) || !isRowId(badgeId)) throw new NotFoundError();
  const [found] = await db
    .select({
      badge: badges,
      createdBy: { id: creator.id, name: creator.name },
      mine: sql<number>`(select count(*)::int from badge_awards m where m.badge_id = ${badges.id} and m.user_id = ${actor.id})`,
    })
    .from(badges)
    .leftJoin(creator, eq(creator.id, badges.createdById))
    .where(and(eq(badges.id, badgeId), inVisibleSpace(actor, badges.spaceId)));
  if (!found) throw new NotFoundError();
  const b = found.badge;
  const offset = (page - 1) * HOLDERS_PER_PAGE;
  const tagVisible = sql`exists (select 1 from space_tags st where st.tag_id = ${tags.id} and st.question_count > 0 and ${inVisibleSpace(actor, sql`st.space_id`)})`;
  const rows = await db
    .select({
      awardId: badgeAwards.id,
      person: { id: users.id, name: users.name, title: users.title, deactivated: sql<boolean>`${users.deactivatedAt} is not null` },
      createdAt: badgeAwards.createdAt,
      reason: badgeAwards.reason,
      awardedBy: { id: awarder.id, name: awarder.name },
      tagName: sql<string | null>`case when ${tagVisible} then ${tags.name} end`,
      value: { name: companyValues.name, emoji: companyValues.emoji },
      subjectItemId: badgeAwards.subjectItemId,
      total: sql<number>`count(*) over ()`,
    })
    .from(badgeAwards)
    .innerJoin(users, eq(users.id, badgeAwards.userId))
    .leftJoin(awarder, eq(awarder.id, badgeAwards.awardedById))
    .leftJoin(tags, eq(tags.id, badgeAwards.tagId))
    .leftJoin(companyValues, eq(companyValues.id, badgeAwards.valueId))
    .where(eq(badgeAwards.badgeId, b.id))
    .orderBy(desc(badgeAwards.createdAt), desc(badgeAwards.id))
    .limit(HOLDERS_PER_PAGE)
    .offset(offset);
  const described = await describeItems(
    db,
    actor,
    rows.flatMap((r) => (r.subjectItemId === null ? [] : [r.subjectItemId])),
  );
  const evidence = (r: (typeof rows)[number]): AwardEvidence => {
    if (r.tagName) return { kind: "tag", name: r.tagName };
    if (r.value?.name) return { kind: "value", name: r.value.name, emoji: r.value.emoji };
    const item = r.subjectItemId === null ? undefined : described.get(r.subjectItemId);
    return item && !item.deleted ? { kind: "item", title: item.title, url: item.url } : null;
  };
  const rule = badgeRule(b.rule);
  const badge: BadgeView = {
    id: b.id,
    itemId: b.itemId,
    name: b.name,
    description: b.description,
    tier: b.tier,
    automatic: b.rule !== null,
    per: rule?.per ?? "person",
    archived: b.archivedAt !== null,
    holderCount: b.holderCount,
    awardCount: b.awardCount,
    createdAt: b.createdAt,
    createdBy: found.createdBy?.id ? found.createdBy : null,
  };
  const holders: HolderView[] = rows.map((r) => ({
    awardId: r.awardId,
    person: r.person,
    createdAt: r.createdAt,
    reason: r.reason,
    awardedBy: r.awardedBy?.id ? r.awardedBy : null,
    evidence: evidence(r),
  }));
  // Past the last page the window count is gone with the rows: the badge's own count stands in.
  const total = rows.length > 0 ? Number(rows[0]!.total) : b.awardCount;
  return { badge, holders, total, offset, pageSize: HOLDERS_PER_PAGE, mine: Number(found.mine), canManage: canManageBadges(actor) };
}

export const PROFILE_BADGES = 12;

export type ProfileBadges = {
  counts: Record<BadgeTier, number>;
  /** The badges held, newest award first, each once with how many times it is held. */
  badges: Array<{ id: number; name: string; tier: BadgeTier; times: number; lastAwardedAt: string }>;
  /** How many different badges, for "See all". */
  distinct: number;
};

/**
 * A profile's badges in one query: the person's tier counts (award counts, as kept on `users`) and
 * their newest badges. Badges are company-wide, so anyone who sees the profile sees them; what they
 * were earned for is on each badge's page, under that page's rules.
 */
export async function profileBadges(db: Db | Tx, viewer: Actor, userId: number): Promise<ProfileBadges> {
  if (!isActiveEmployee(viewer) || !isRowId(userId)) throw new NotFoundError();
  const [row] = await db.execute<{ gold: number; silver: number; bronze: number; distinct: number; badges: ProfileBadges["badges"] | null }>(sql`
    select u.gold_badges as gold, u.silver_badges as silver, u.bronze_badges as bronze,
      (select count(distinct a.badge_id)::int from badge_awards a where a.user_id = u.id) as distinct,
      (select json_agg(x order by x."lastAwardedAt" desc, x.id desc) from (
        select b.id, b.name, b.tier, count(*)::int as times, max(a.created_at) as "lastAwardedAt"
        from badge_awards a join badges b on b.id = a.badge_id
        where a.user_id = u.id
        group by b.id
        order by max(a.created_at) desc, b.id desc
        limit ${PROFILE_BADGES}
      ) x) as badges
    from users u where u.id = ${userId}`);
  if (!row) throw new NotFoundError();
  return { counts: { gold: Number(row.gold), silver: Number(row.silver), bronze: Number(row.bronze) }, badges: row.badges ?? [], distinct: Number(row.distinct) };
}

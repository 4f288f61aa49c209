import { and, count, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { expertiseOutbox, tags, users, userTopics } from "#db/schema/index.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { TAG_MAX_LENGTH, TagsField } from "#app/features/qa/schemas.ts";
import { inVisibleSpace, type Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { explainPerson, tagVisibleTo, topTopics } from "./experts.server.ts";
import type { EvidenceKind } from "./model.ts";

/**
 * A person's own say over their expertise (docs/profile-expertise.md): the skills they declare, the
 * topics they hide from everyone else, and whether routed questions reach them. Every write here
 * touches `user_topics` or the person's own row only; the triggers of migration 0011 queue the
 * person's rebuild, so the people index and the experts page follow within a minute, while the
 * pages that read `user_topics` directly (profiles, suggestions) change at once.
 */

/** How many skills one person may declare: a declared skill counts for little, a long list for nothing. */
export const DECLARED_MAX = 30;
/** Topics on one screen of "your expertise". */
export const TOPICS_PAGE_SIZE = 10;
/** Pieces of evidence listed per topic (the score counts them all). */
export const EVIDENCE_PER_TOPIC = 20;
/** How far ahead "away until" may be set. */
export const AWAY_MAX_DAYS = 366;

export const DeclareSchema = z.object({ tags: TagsField });

export const TopicSchema = z.object({
  tag: z
    .string({ error: "That topic is missing: reload the page and try again." })
    .trim()
    .toLowerCase()
    .min(1, "That topic is missing: reload the page and try again.")
    .max(TAG_MAX_LENGTH, "That is not a topic: reload the page and try again."),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on");

export const AvailabilitySchema = z.object({
  openToRouted: checkbox,
  rolesOptOut: checkbox,
  /** The day the person is back ("2026-01-12"), read as the start of that day in UTC; empty: not away. */
  awayUntil: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .transform((s, ctx) => {
      if (s === "") return null;
      const date = DATE.test(s) ? new Date(`${s}T00:00:00Z`) : new Date(Number.NaN);
      if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== s) {
        ctx.issues.push({ code: "custom", message: "Enter a date like 2026-01-12, or leave it empty.", input: s });
        return z.NEVER;
      }
      return date;
    }),
});
export type AvailabilityInput = z.output<typeof AvailabilitySchema>;

function requireActive(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt) throw new NotFoundError();
}

/** Declares skills (existing tags the actor can see). Returns the names that were not declared before. */
export async function declareTopics(db: Db, actor: Actor, names: readonly string[]): Promise<string[]> {
  requireActive(actor);
  if (names.length === 0) throw InputError.field("tags", "Add at least one tag.");
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ id: tags.id, name: tags.name })
      .from(tags)
      .where(and(inArray(tags.name, [...names]), tagVisibleTo(actor, tags.id)));
    const missing = names.filter((n) => !found.some((f) => f.name === n));
    if (missing.length > 0) {
      const list = missing.map((n) => `“${n}”`).join(", ");
      throw InputError.field("tags", `${missing.length === 1 ? `There is no tag ${list}` : `There are no tags ${list}`} in the spaces you can see: pick skills from the suggestions.`);
    }
    // One declaration at a time per person, so two tabs cannot go past the limit together.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('commons:user-topics'), ${actor.id})`);
    const existing = await tx
      .select({ tagId: userTopics.tagId })
      .from(userTopics)
      .where(and(eq(userTopics.userId, actor.id), eq(userTopics.declared, true)));
    const before = new Set(existing.map((r) => r.tagId));
    const added = found.filter((f) => !before.has(f.id));
    if (before.size + added.length > DECLARED_MAX) {
      throw InputError.field("tags", `You can declare at most ${DECLARED_MAX} skills; you have ${before.size}. Remove one before adding more.`);
    }
    if (added.length > 0) {
      await tx
        .insert(userTopics)
        .values(added.map((f) => ({ userId: actor.id, tagId: f.id, declared: true })))
        .onConflictDoUpdate({ target: [userTopics.userId, userTopics.tagId], set: { declared: true, updatedAt: new Date() } });
    }
    return added.map((f) => f.name);
  });
}

/** The id of a tag by name, or null. */
async function tagId(tx: Db | Tx, name: string): Promise<number | null> {
  const [row] = await tx.select({ id: tags.id }).from(tags).where(eq(tags.name, name)).limit(1);
  return row?.id ?? null;
}

/** A row saying nothing (neither declared nor hidden) goes, so the table holds only real choices. */
async function dropEmpty(tx: Tx, userId: number, id: number): Promise<void> {
  await tx.execute(sql`delete from user_topics where user_id = ${userId} and tag_id = ${id} and not declared and not hidden`);
}

/** Removes a declared skill. Removing one that is not declared changes nothing (a second click). */
export async function undeclareTopic(db: Db, actor: Actor, name: string): Promise<boolean> {
  requireActive(actor);
  return db.transaction(async (tx) => {
    const id = await tagId(tx, name);
    if (id === null) return false;
    const changed = await tx
      .update(userTopics)
      .set({ declared: false, updatedAt: new Date() })
      .where(and(eq(userTopics.userId, actor.id), eq(userTopics.tagId, id), eq(userTopics.declared, true)))
      .returning({ tagId: userTopics.tagId });
    if (changed.length > 0) await dropEmpty(tx, actor.id, id);
    return changed.length > 0;
  });
}

/**
 * Hides a topic from everyone else, or shows it again. A topic may be hidden when the actor can
 * see the tag or has anything on it (evidence or a declaration); any other name is a 404, so the
 * answer says nothing about tags used only where the actor cannot look.
 */
export async function setTopicHidden(db: Db, actor: Actor, name: string, hidden: boolean): Promise<boolean> {
  requireActive(actor);
  return db.transaction(async (tx) => {
    if (!hidden) {
      const id = await tagId(tx, name);
      if (id === null) return false;
      const changed = await tx
        .update(userTopics)
        .set({ hidden: false, updatedAt: new Date() })
        .where(and(eq(userTopics.userId, actor.id), eq(userTopics.tagId, id), eq(userTopics.hidden, true)))
        .returning({ tagId: userTopics.tagId });
      if (changed.length > 0) await dropEmpty(tx, actor.id, id);
      return changed.length > 0;
    }
    const [tag] = await tx
      .select({ id: tags.id })
      .from(tags)
      .where(
        and(
          eq(tags.name, name),
          sql`(${tagVisibleTo(actor, tags.id)}
            or exists (select 1 from expertise_evidence e where e.user_id = ${actor.id} and e.tag_id = ${tags.id})
            or exists (select 1 from user_topics ut where ut.user_id = ${actor.id} and ut.tag_id = ${tags.id}))`,
        ),
      )
      .limit(1);
    if (!tag) throw new NotFoundError();
    const changed = await tx
      .insert(userTopics)
      .values({ userId: actor.id, tagId: tag.id, hidden: true })
      .onConflictDoUpdate({ target: [userTopics.userId, userTopics.tagId], set: { hidden: true, updatedAt: new Date() }, setWhere: sql`not ${userTopics.hidden}` })
      .returning({ tagId: userTopics.tagId });
    return changed.length > 0;
  });
}

export type Availability = { active: boolean; routingOptOut: boolean; awayUntil: Date | null; rolesOptOut: boolean };

/** The actor's routing and analytics choices, as the settings form shows them. */
export async function ownAvailability(db: Db | Tx, actor: Actor, now = new Date()): Promise<Availability> {
  requireActive(actor);
  const [row] = await db.select({ routingOptOut: users.routingOptOut, awayUntil: users.awayUntil, rolesOptOut: users.rolesOptOut }).from(users).where(eq(users.id, actor.id)).limit(1);
  if (!row) throw new NotFoundError();
  return { active: true, ...row, awayUntil: row.awayUntil && row.awayUntil > now ? row.awayUntil : null };
}

/**
 * Saves whether routed questions reach the actor, until when they are away, and whether the people
 * analytics' role lists may name them. The away day must lie ahead (the day they are back): a day
 * already begun would mean nothing. Availability is a facet of the people index, so their search
 * document is queued in the same transaction.
 */
export async function saveAvailability(db: Db, actor: Actor, input: AvailabilityInput, now = new Date()): Promise<void> {
  requireActive(actor);
  if (input.awayUntil) {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    if (input.awayUntil.getTime() <= today) throw InputError.field("awayUntil", "Pick a day after today: the day you are back.");
    if (input.awayUntil.getTime() > today + AWAY_MAX_DAYS * 86_400_000) throw InputError.field("awayUntil", "Pick a day within a year from now.");
  }
  await db.transaction(async (tx) => {
    await tx.update(users).set({ routingOptOut: !input.openToRouted, awayUntil: input.awayUntil, rolesOptOut: input.rolesOptOut, updatedAt: now }).where(eq(users.id, actor.id));
    await enqueueIndexing(tx, "person", [actor.id]);
  });
}

/** The availability shown to others: nothing for a deactivated person, "away" only while it lasts. */
function availabilityOf(row: { routing_opt_out: boolean; away_until: Date | string | null; deactivated_at: Date | string | null; roles_opt_out: boolean }, now: Date): Availability {
  const away = row.away_until === null ? null : new Date(row.away_until);
  return { active: row.deactivated_at === null, routingOptOut: row.routing_opt_out, awayUntil: away && away > now ? away : null, rolesOptOut: row.roles_opt_out };
}

/** One fact of a topic's evidence, for the line under it on a profile. */
export type TopicFact = { kind: EvidenceKind; count: number; title: string | null; accepted?: number };
export type ProfileTopic = { tag: string; declared: boolean; hidden: boolean; facts: TopicFact[] };

const FACT_ORDER: EvidenceKind[] = ["accepted_answer", "answer", "page_verified", "page_owned", "idea_implemented", "idea_accepted", "kudos", "wiki_edit", "answer_vote"];
/** Topics shown on a profile. */
export const PROFILE_TOPICS = 5;

/**
 * The Expertise section of a profile as `viewer` sees it: the person's top topics from the evidence
 * the viewer may see (a hidden topic only for the person themself), each with its facts, the
 * skills they declared (others see only those on tags they can see), and their availability.
 * Two queries (after the settings, cached for a few seconds) whatever the person has done.
 */
export async function profileExpertise(db: Db, viewer: Actor, userId: number, now = new Date()) {
  const self = viewer.id === userId;
  const top = await topTopics(db, viewer, [userId], { perPerson: PROFILE_TOPICS, now });
  const topNames = (top.get(userId) ?? []).map((t) => t.tag);
  const onTop =
    topNames.length > 0
      ? sql`t.name in (${sql.join(
          topNames.map((n) => sql`${n}`),
          sql`, `,
        )})`
      : sql`false`;
  // The person, their own say per topic and the facts behind the top topics: one round trip.
  const [person] = await db.execute<{
    routing_opt_out: boolean;
    away_until: Date | string | null;
    roles_opt_out: boolean;
    deactivated_at: Date | string | null;
    topics: Array<{ tag: string; declared: boolean; hidden: boolean }>;
    facts: Array<{ tag: string; kind: EvidenceKind; n: number; title: string | null }>;
  }>(sql`
    select u.routing_opt_out, u.away_until, u.roles_opt_out, u.deactivated_at,
           coalesce((
             select json_agg(json_build_object('tag', t.name, 'declared', ut.declared, 'hidden', ut.hidden) order by t.name)
               from user_topics ut join tags t on t.id = ut.tag_id
              where ut.user_id = u.id
                ${self ? sql`` : sql`and ut.declared and not ut.hidden and ${tagVisibleTo(viewer, sql`t.id`)}`}
           ), '[]') as topics,
           coalesce((
             select json_agg(json_build_object('tag', f.tag, 'kind', f.kind, 'n', f.n, 'title', f.title))
               from (
                 select t.name as tag, e.kind, count(*)::int as n,
                        case when e.kind in ('page_owned', 'page_verified') and count(*) = 1 then min(p.title) end as title
                   from expertise_evidence e join tags t on t.id = e.tag_id
                   left join wiki_pages p on p.item_id = e.item_id and e.kind in ('page_owned', 'page_verified') and p.deleted_at is null
                  where e.user_id = u.id and ${onTop} and ${inVisibleSpace(viewer, sql`e.space_id`)}
                  group by t.name, e.kind
               ) f
           ), '[]') as facts
      from users u
     where u.id = ${userId}`);
  if (!person) throw new NotFoundError();
  const own = new Map(person.topics.map((t) => [t.tag, t]));
  const factRows = person.facts;
  const topics: ProfileTopic[] = topNames.map((tag) => {
    const rows = factRows.filter((r) => r.tag === tag).sort((a, b) => FACT_ORDER.indexOf(a.kind) - FACT_ORDER.indexOf(b.kind));
    const accepted = rows.find((r) => r.kind === "accepted_answer");
    // An accepted answer is an answer too: one fact says both ("5 answers, 2 accepted").
    const facts = rows
      .filter((r) => r.kind !== "accepted_answer" || !rows.some((x) => x.kind === "answer"))
      .map((r): TopicFact => ({ kind: r.kind, count: Number(r.n), title: r.title, ...(r.kind === "answer" && accepted ? { accepted: Number(accepted.n) } : {}) }));
    return { tag, declared: own.get(tag)?.declared ?? false, hidden: self && (own.get(tag)?.hidden ?? false), facts };
  });
  const declaredOnly = person.topics.filter((t) => t.declared && !topNames.includes(t.tag)).map((t) => ({ tag: t.tag, hidden: self && t.hidden }));
  return { self, topics, declaredOnly, availability: availabilityOf(person, now) };
}
export type ProfileExpertise = Awaited<ReturnType<typeof profileExpertise>>;

/**
 * "Your expertise": every score of the actor explained, a screen of topics at a time. Only the
 * person opens it: anyone else (HR and admins included, whose look goes through the logged HR
 * view) gets the 404 of a missing page.
 */
export async function ownExpertise(db: Db, actor: Actor, userId: number, options: { page?: number; now?: Date } = {}) {
  requireActive(actor);
  if (actor.id !== userId) throw new NotFoundError();
  const now = options.now ?? new Date();
  const [explained, pending, availability] = await Promise.all([
    explainPerson(db, actor, actor.id, { now, perTopic: EVIDENCE_PER_TOPIC }),
    db.select({ n: count() }).from(expertiseOutbox).where(eq(expertiseOutbox.userId, actor.id)),
    ownAvailability(db, actor, now),
  ]);
  const page = Math.max(1, Math.min(options.page ?? 1, 10_000));
  const offset = (page - 1) * TOPICS_PAGE_SIZE;
  const s = explained.settings;
  return {
    settings: { halfLifeDays: s.halfLifeDays, confidenceK: s.confidenceK, weights: s.weights },
    topics: explained.topics.slice(offset, offset + TOPICS_PAGE_SIZE),
    total: explained.topics.length,
    hiddenCount: explained.topics.filter((t) => t.hidden).length,
    declaredCount: explained.topics.filter((t) => t.declared).length,
    offset,
    pageSize: TOPICS_PAGE_SIZE,
    pending: (pending[0]?.n ?? 0) > 0,
    availability,
    declaredMax: DECLARED_MAX,
  };
}
export type OwnExpertise = Awaited<ReturnType<typeof ownExpertise>>;

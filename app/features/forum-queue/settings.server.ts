import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { forumResponders, forumTopicSettings, siteSettings, tags, users } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { type AddResponderSchema, DEFAULT_QUEUE_SETTINGS, type QueueSettings, QueueSettingsSchema } from "./schemas.ts";

/**
 * Who may answer customers besides a topic's SMEs (forum responders), and how long a customer
 * waits for a first answer per topic (the SLA). Every employee may read them; moderators and
 * admins change them.
 */

const KEY = "forum_queue";
export const RESPONDER_TOPICS_PAGE = 25;

/** Moderators and admins run the forum desk's settings and moderation. */
export function isForumModerator(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && (actor.role === "moderator" || actor.role === "admin");
}

function requireForumModerator(actor: Actor): void {
  if (!isForumModerator(actor)) throw new ForbiddenError("Only moderators and admins change forum responders and SLAs.");
}

/** The queue's settings as stored, the default when missing or unreadable. */
export async function queueSettings(db: Db | Tx): Promise<QueueSettings> {
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, KEY));
  const parsed = QueueSettingsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_QUEUE_SETTINGS;
}

export async function saveDefaultSla(db: Db, actor: Actor, hours: number): Promise<void> {
  requireForumModerator(actor);
  const value = QueueSettingsSchema.parse({ defaultSlaHours: hours });
  await db
    .insert(siteSettings)
    .values({ key: KEY, value, updatedById: actor.id })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value, updatedById: actor.id, updatedAt: new Date() } });
}

/** A topic must be a tag that exists: routing matches SMEs and threads by tag name. */
async function requireTopic(db: Db | Tx, topic: string): Promise<void> {
  const [row] = await db.select({ id: tags.id }).from(tags).where(eq(tags.name, topic));
  if (!row) throw InputError.field("topic", `There is no tag “${topic.slice(0, 40)}”: use the name of an existing tag.`);
}

export async function setTopicSla(db: Db, actor: Actor, topic: string, hours: number): Promise<void> {
  requireForumModerator(actor);
  await requireTopic(db, topic);
  await db
    .insert(forumTopicSettings)
    .values({ topic, slaHours: hours, updatedById: actor.id })
    .onConflictDoUpdate({ target: forumTopicSettings.topic, set: { slaHours: hours, updatedById: actor.id, updatedAt: new Date() } });
}

export async function clearTopicSla(db: Db, actor: Actor, topic: string): Promise<void> {
  requireForumModerator(actor);
  await db.delete(forumTopicSettings).where(eq(forumTopicSettings.topic, topic));
}

export async function addResponder(db: Db, actor: Actor, input: z.output<typeof AddResponderSchema>): Promise<{ name: string; added: boolean }> {
  requireForumModerator(actor);
  await requireTopic(db, input.topic);
  const handle = input.person.replace(/^@/, "").toLowerCase();
  const userId = (await usersByHandle(db, [handle])).get(handle);
  if (userId === undefined) throw InputError.field("person", `No one active goes by @${handle.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
  const [person] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  const added = await db.insert(forumResponders).values({ topic: input.topic, userId, namedById: actor.id }).onConflictDoNothing().returning({ userId: forumResponders.userId });
  return { name: person?.name ?? "", added: added.length > 0 };
}

export async function removeResponder(db: Db, actor: Actor, topic: string, userId: number): Promise<boolean> {
  requireForumModerator(actor);
  const removed = await db
    .delete(forumResponders)
    .where(and(eq(forumResponders.topic, topic), eq(forumResponders.userId, userId)))
    .returning({ userId: forumResponders.userId });
  return removed.length > 0;
}

export type TopicRow = { topic: string; slaHours: number | null; responders: Array<{ id: number; name: string; title: string; deactivated: boolean }> };

/**
 * The responders page: every topic with responders or an SLA of its own, 25 a page, alphabetical.
 * Three queries whatever the page holds.
 */
export async function respondersPage(db: Db, actor: Actor, page: number) {
  const offset = (page - 1) * RESPONDER_TOPICS_PAGE;
  const topicsSql = sql`(select topic from forum_responders union select topic from forum_topic_settings)`;
  const [settings, totalRows, topicRows] = await Promise.all([
    queueSettings(db),
    db.execute<{ n: number }>(sql`select count(*)::int as n from ${topicsSql} t`),
    db.execute<{ topic: string; sla_hours: number | null }>(sql`
      select t.topic, s.sla_hours from ${topicsSql} t left join forum_topic_settings s on s.topic = t.topic
       order by t.topic limit ${RESPONDER_TOPICS_PAGE} offset ${offset}`),
  ]);
  const names = topicRows.map((r) => r.topic);
  const responders = names.length
    ? await db
        .select({ topic: forumResponders.topic, id: users.id, name: users.name, title: users.title, deactivatedAt: users.deactivatedAt })
        .from(forumResponders)
        .innerJoin(users, eq(users.id, forumResponders.userId))
        .where(inArray(forumResponders.topic, names))
        .orderBy(asc(users.name))
    : [];
  const topics: TopicRow[] = topicRows.map((r) => ({
    topic: r.topic,
    slaHours: r.sla_hours === null ? null : Number(r.sla_hours),
    responders: responders.filter((p) => p.topic === r.topic).map((p) => ({ id: p.id, name: p.name, title: p.title, deactivated: p.deactivatedAt !== null })),
  }));
  return { topics, total: Number(totalRows[0]?.n ?? 0), offset, pageSize: RESPONDER_TOPICS_PAGE, defaultSlaHours: settings.defaultSlaHours, canEdit: isForumModerator(actor) };
}

import { sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db, Tx } from "#db/client.server.ts";
import { forumQueue, forumRoutes } from "#db/schema/index.ts";
import { evaluateEscalations } from "#app/features/escalations/rules.server.ts";
import { availableSql, topicExperts } from "#app/features/expertise/experts.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { indexName } from "#search/indexes.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { forumRoutedMail } from "./mail.server.ts";
import { queueSettings } from "./settings.server.ts";

/**
 * A customer's question reaches the people who know its topics (docs/forum-desk.md, "Routing and
 * the queue"). The forum process cannot read `users`, so it only says "thread N changed" (NOTIFY
 * commons_forum_intake); the app routes it here, once, and keeps the queue's status in step with
 * the thread. A sweep every minute catches what the listener missed (a restart, a dropped
 * connection): every step is idempotent.
 */

export const INTAKE_CHANNEL = "commons_forum_intake";
const TOPICS_MAX = 5;
const SIMILAR_THREADS = 3;
const EXPERTS = 3;
const HOUR_MS = 3_600_000;

/** The expertise model read as someone who sees open spaces only: a customer's question must not route on what a restricted space knows. */
const OPEN_SPACES_READER: Actor = { id: 0, role: "member", kind: "employee", deactivatedAt: null };

const text = (values: readonly string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;

type IntakeOptions = { prefix?: string; onError?: (error: unknown) => void };

type Thread = { id: number; title: string; body: string; tags: string[] };

/** The queue status the thread's state calls for (closed: removed or withdrawn since). */
const expectedStatus = sql`(case when t.moderation <> 'visible' or t.withdrawn_at is not null then 'closed'
  when t.solved then 'solved' when t.answer_count > 0 then 'answered' else 'open' end)::forum_queue_status`;

/** Brings the queue row's status in line with its thread; a no-op when it already is (or there is no row). */
export async function syncQueueStatus(db: Db | Tx, threadId: number): Promise<void> {
  await db.execute(sql`
    update forum_queue q set status = ${expectedStatus}
      from forum_threads t where t.id = q.thread_id and q.thread_id = ${threadId} and q.status <> ${expectedStatus}`);
}

/** The tags of the published threads most like this one (Meilisearch's forum index), best first. */
async function similarTags(db: Db, search: Meilisearch | null, thread: Thread, options: IntakeOptions): Promise<string[]> {
  if (!search) return [];
  let ids: number[];
  try {
    const q = `${thread.title} ${thread.body}`.replace(/\s+/g, " ").slice(0, 300);
    const result = await search.index(indexName("forum_thread", options.prefix ?? "")).search<{ id: number }>(q, { limit: SIMILAR_THREADS + 5, attributesToRetrieve: ["id"] });
    ids = result.hits.map((h) => Number(h.id)).filter((id) => id !== thread.id);
  } catch (error) {
    // Without search the question still routes, on its own tags.
    options.onError?.(error);
    return [];
  }
  if (ids.length === 0) return [];
  // Published (and captured session) threads only: another customer's tags are not a topic's evidence.
  const rows = await db.execute<{ id: number; tags: string[] }>(sql`
    select id, tags from forum_threads
     where id = any(${`{${ids.join(",")}}`}::int[]) and origin <> 'customer'
       and withdrawn_at is null and (expires_at is null or expires_at > now())`);
  const byId = new Map(rows.map((r) => [Number(r.id), r.tags]));
  return ids
    .filter((id) => byId.has(id))
    .slice(0, SIMILAR_THREADS)
    .flatMap((id) => byId.get(id)!);
}

type Route = { userId: number; topic: string; reason: "sme" | "responder" | "expert" };

/** Whom to route to: the topics' SMEs and responders who take questions now; else the model's top experts. */
async function routeTargets(db: Db, topics: string[], now: Date): Promise<Route[]> {
  if (topics.length === 0) return [];
  const rows = await db.execute<{ user_id: number; topic: string; reason: "sme" | "responder" }>(sql`
    select x.user_id, x.topic, x.reason from (
      select ts.user_id, t.name as topic, 'sme' as reason, array_position(${text(topics)}, t.name) as pos
        from tag_smes ts join tags t on t.id = ts.tag_id where t.name = any(${text(topics)})
      union all
      select r.user_id, r.topic, 'responder', array_position(${text(topics)}, r.topic) from forum_responders r where r.topic = any(${text(topics)})
    ) x join users u on u.id = x.user_id
     where u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null and ${availableSql(now)}
     order by x.pos, x.reason, x.user_id`);
  const routes = new Map<number, Route>();
  for (const r of rows) if (!routes.has(Number(r.user_id))) routes.set(Number(r.user_id), { userId: Number(r.user_id), topic: r.topic, reason: r.reason });
  if (routes.size > 0) return [...routes.values()];
  const tagRows = await db.execute<{ id: number; name: string }>(sql`select id, name from tags where name = any(${text(topics)})`);
  if (tagRows.length === 0) return [];
  const experts = await topicExperts(
    db,
    OPEN_SPACES_READER,
    tagRows.map((t) => Number(t.id)),
    { limit: EXPERTS, now, filters: { availableOnly: true } },
  );
  const verified = experts.length
    ? new Set(
        (await db.execute<{ id: number }>(sql`select id from users where id = any(${`{${experts.map((e) => e.userId).join(",")}}`}::int[]) and email_verified_at is not null`)).map((r) =>
          Number(r.id),
        ),
      )
    : new Set<number>();
  return experts.filter((e) => verified.has(e.userId)).map((e) => ({ userId: e.userId, topic: topics[0]!, reason: "expert" as const }));
}

/** Routes a visible customer question that has no queue row yet. Two instances at once: the queue row's insert decides, the other does nothing. */
async function routeThread(db: Db, search: Meilisearch | null, thread: Thread, now: Date, options: IntakeOptions): Promise<void> {
  const own = thread.tags.map((t) => t.toLowerCase());
  const topics = [...new Set([...own, ...(await similarTags(db, search, thread, options)).map((t) => t.toLowerCase())])].slice(0, TOPICS_MAX);
  const [targets, settings, slas] = await Promise.all([
    routeTargets(db, topics, now),
    queueSettings(db),
    topics.length ? db.execute<{ topic: string; sla_hours: number }>(sql`select topic, sla_hours from forum_topic_settings where topic = any(${text(topics)})`) : Promise.resolve([]),
  ]);
  const byTopic = new Map(slas.map((s) => [s.topic, Number(s.sla_hours)]));
  // The smallest SLA among its topics, each topic on its own setting or the default.
  const hours = topics.length ? Math.min(...topics.map((t) => byTopic.get(t) ?? settings.defaultSlaHours)) : settings.defaultSlaHours;
  const dueAt = new Date(now.getTime() + hours * HOUR_MS);
  await db.transaction(async (tx) => {
    const [queued] = await tx.insert(forumQueue).values({ threadId: thread.id, topics, routedAt: now, dueAt }).onConflictDoNothing().returning({ threadId: forumQueue.threadId });
    if (!queued) return;
    if (targets.length === 0) return;
    await tx
      .insert(forumRoutes)
      .values(targets.map((r) => ({ threadId: thread.id, userId: r.userId, topic: r.topic, reason: r.reason, routedAt: now })))
      .onConflictDoNothing();
    const people = await tx.execute<{ id: number; email: string; name: string }>(sql`
      select id, email, name from users where id = any(${`{${targets.map((r) => r.userId).join(",")}}`}::int[]) order by id`);
    const topicOf = new Map(targets.map((r) => [r.userId, r.topic]));
    await enqueueMail(
      tx,
      ...people.map((p) =>
        forumRoutedMail({ to: { id: Number(p.id), email: p.email, name: p.name }, threadId: thread.id, title: thread.title, topic: topicOf.get(Number(p.id)) ?? "its topic", dueAt }),
      ),
    );
  });
}

/**
 * Takes in a customer's question (idempotent): routes it when it has no queue row, brings the
 * queue's status in line with the thread, then runs the escalation rules. Anything but a visible
 * customer question only has its status synced (a removed one closes).
 */
export async function intakeThread(db: Db, search: Meilisearch | null, threadId: number, now = new Date(), options: IntakeOptions = {}): Promise<void> {
  const [thread] = await db.execute<{ id: number; title: string; body: string; tags: string[]; routable: boolean; queued: boolean }>(sql`
    select t.id, t.title, t.body, t.tags,
           (t.origin = 'customer' and t.moderation = 'visible' and t.withdrawn_at is null) as routable,
           exists (select 1 from forum_queue q where q.thread_id = t.id) as queued
      from forum_threads t where t.id = ${threadId}`);
  if (!thread) return;
  // Whatever the forum said (a new question, an accepted answer, a "me too"), the thread's search
  // document follows: the forum's role cannot write the outbox. A thread off the forum is deleted.
  await db.transaction((tx) => enqueueIndexing(tx, "forum_thread", [threadId]));
  if (thread.routable && !thread.queued) await routeThread(db, search, { id: Number(thread.id), title: thread.title, body: thread.body, tags: thread.tags }, now, options);
  await syncQueueStatus(db, threadId);
  if (thread.routable) await evaluateEscalations(db, threadId, now);
}

/**
 * True only for an active employee who is an SME (assigned or automatic) or a named responder of
 * one of the question's topics (its queue row's, else the thread's own tags), and only on a
 * customer's question that is on the forum. One query.
 */
export async function canAnswerPublicly(db: Db | Tx, userId: number, threadId: number): Promise<boolean> {
  const [row] = await db.execute<{ ok: boolean }>(sql`
    with topics as (
      select unnest(case when q.thread_id is null or cardinality(q.topics) = 0 then t.tags else q.topics end) as topic
        from forum_threads t left join forum_queue q on q.thread_id = t.id
       where t.id = ${threadId} and t.origin = 'customer' and t.moderation = 'visible' and t.withdrawn_at is null
    )
    select exists (
      select 1 from users u
       where u.id = ${userId} and u.kind = 'employee' and u.deactivated_at is null
         and (exists (select 1 from tag_smes s join tags g on g.id = s.tag_id where s.user_id = u.id and g.name in (select topic from topics))
           or exists (select 1 from forum_responders r where r.user_id = u.id and r.topic in (select topic from topics)))
    ) as ok`);
  return row?.ok === true;
}

/** Customer questions the listener may have missed: visible and never queued, or queued with a status the thread no longer has. */
export async function staleThreads(db: Db, limit = 100): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`
    select t.id from forum_threads t left join forum_queue q on q.thread_id = t.id
     where t.origin = 'customer'
       and ((q.thread_id is null and t.moderation = 'visible' and t.withdrawn_at is null) or (q.thread_id is not null and q.status <> ${expectedStatus}))
     order by t.id limit ${limit}`);
  return rows.map((r) => Number(r.id));
}

type IntakeLogger = { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

/**
 * Starts the intake in this process: LISTEN on commons_forum_intake (payload: the thread's id),
 * and a sweep every `everyMs` (and at every (re)connection of the listener) for anything missed.
 * Errors are logged, never thrown. Returns stop().
 */
export async function startForumIntake(opts: { db: Db; log: IntakeLogger; search: Meilisearch | null; everyMs?: number; prefix?: string }): Promise<() => Promise<void>> {
  const { db, log, search } = opts;
  const options: IntakeOptions = { prefix: opts.prefix ?? "", onError: (error) => log.warn({ err: error }, "forum intake: routing went on without search") };
  let stopped = false;
  const take = async (threadId: number) => {
    if (stopped || !Number.isInteger(threadId) || threadId <= 0 || threadId > 2_147_483_647) return;
    try {
      await intakeThread(db, search, threadId, new Date(), options);
    } catch (error) {
      log.warn({ err: error, threadId }, "forum intake: taking in a customer question failed; the sweep tries again");
    }
  };
  // One question at a time, each once however often it was named: a burst of posts or "me too"s
  // (a flood, or the bench's posting row) waits in this set instead of running hundreds of intakes
  // at once, each with its search and its SQL, which is what held the app's memory up.
  const pending = new Set<number>();
  let draining = false;
  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      while (pending.size > 0 && !stopped) {
        const [id] = pending;
        pending.delete(id!);
        await take(id!);
      }
    } finally {
      draining = false;
    }
  };
  const enqueue = (threadId: number) => {
    if (stopped || !Number.isInteger(threadId) || threadId <= 0 || threadId > 2_147_483_647) return;
    pending.add(threadId);
    void drain();
  };
  let sweeping = false;
  const sweep = async () => {
    if (sweeping || stopped) return;
    sweeping = true;
    try {
      const ids = await staleThreads(db);
      for (const id of ids) pending.add(id);
      await drain();
      if (ids.length > 0) log.info({ threads: ids.length }, "forum intake: swept customer questions");
    } catch (error) {
      log.warn({ err: error }, "forum intake: the sweep failed; it runs again in a minute");
    } finally {
      sweeping = false;
    }
  };
  let listener: { unlisten: () => Promise<void> } | null = null;
  try {
    listener = await db.$client.listen(
      INTAKE_CHANNEL,
      (payload) => enqueue(Number(payload)),
      () => void sweep(),
    );
  } catch (error) {
    log.warn({ err: error }, "forum intake: could not LISTEN; the sweep alone takes questions in");
  }
  const timer = setInterval(() => void sweep(), opts.everyMs ?? 60_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await listener?.unlisten().catch((error: unknown) => log.warn({ err: error }, "forum intake: unlisten failed"));
  };
}

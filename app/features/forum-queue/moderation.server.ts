import { sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db, Tx } from "#db/client.server.ts";
import { FORUM_CHANNEL } from "#app/features/publishing/forum-write.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { intakeThread, syncQueueStatus } from "./intake.server.ts";
import { isForumModerator } from "./settings.server.ts";

/**
 * Forum moderation (docs/forum-desk.md, "Moderation"): a new account's first posts wait here until
 * a moderator lets them through (which trusts the account), and customers' flags are resolved here,
 * all flags of a post at once. Moderators and admins only.
 */

export const MODERATION_PAGE_SIZE = 25;

function requireModerator(actor: Actor): void {
  if (!isForumModerator(actor)) throw new NotFoundError();
}

export type PendingPost = { kind: "thread" | "comment"; id: number; threadId: number; title: string; html: string; customerName: string; createdAt: Date };
export type FlaggedPost = {
  kind: "thread" | "answer" | "comment";
  threadId: number;
  answerId: number | null;
  commentId: number | null;
  threadTitle: string;
  html: string;
  authorName: string;
  count: number;
  reasons: string[];
  notes: string[];
  lastFlaggedAt: Date;
  /** A published snapshot (not a customer's post or an employee's answer here) is withdrawn through publishing instead. */
  removable: boolean;
};

/** Both lists, each 25 a page (oldest first: they have waited longest). Four queries. */
export async function moderationPage(db: Db, actor: Actor, input: { pendingPage: number; flagsPage: number }) {
  requireModerator(actor);
  const pendingOffset = (input.pendingPage - 1) * MODERATION_PAGE_SIZE;
  const flagsOffset = (input.flagsPage - 1) * MODERATION_PAGE_SIZE;
  const pendingSql = sql`
    select 'thread' as kind, t.id, t.id as thread_id, t.title, t.body_html as html, a.name as customer_name, t.published_at as created_at
      from forum_threads t left join forum_accounts a on a.id = t.account_id
     where t.origin = 'customer' and t.moderation = 'pending' and t.withdrawn_at is null
    union all
    select 'comment', c.id, c.thread_id, t.title, c.body_html, a.name, c.created_at
      from forum_comments c join forum_threads t on t.id = c.thread_id left join forum_accounts a on a.id = c.account_id
     where c.moderation = 'pending' and c.deleted_at is null`;
  const flagsSql = sql`
    select f.thread_id, f.answer_id, f.comment_id, count(*)::int as n, array_agg(distinct f.reason) as reasons,
           array_remove(array_agg(f.note order by f.created_at), '') as notes, max(f.created_at) as last_at
      from forum_flags f where f.resolved_at is null
     group by f.thread_id, f.answer_id, f.comment_id`;
  const [pending, pendingTotal, flags, flagsTotal] = await Promise.all([
    db.execute<{ kind: "thread" | "comment"; id: number; thread_id: number; title: string; html: string; customer_name: string | null; created_at: string | Date }>(sql`
      select * from (${pendingSql}) p order by p.created_at, p.kind, p.id limit ${MODERATION_PAGE_SIZE} offset ${pendingOffset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from (${pendingSql}) p`),
    db.execute<{
      thread_id: number;
      answer_id: number | null;
      comment_id: number | null;
      n: number;
      reasons: string[];
      notes: string[];
      last_at: string | Date;
      thread_title: string;
      origin: string;
      html: string | null;
      author_name: string | null;
      author_user_id: number | null;
    }>(sql`
      select g.thread_id, g.answer_id, g.comment_id, g.n, g.reasons, g.notes, g.last_at, t.title as thread_title, t.origin,
             coalesce(c.body_html, fa.body_html, t.body_html) as html,
             coalesce(ca.name, fa.author_name, ta.name, t.author_name) as author_name, fa.author_user_id
        from (${flagsSql}) g join forum_threads t on t.id = g.thread_id
        left join forum_answers fa on fa.id = g.answer_id
        left join forum_comments c on c.id = g.comment_id left join forum_accounts ca on ca.id = c.account_id
        left join forum_accounts ta on ta.id = t.account_id
       order by g.last_at, g.thread_id, g.answer_id nulls first, g.comment_id nulls first
       limit ${MODERATION_PAGE_SIZE} offset ${flagsOffset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from (${flagsSql}) g`),
  ]);
  return {
    pending: pending.map((p): PendingPost => ({
      kind: p.kind,
      id: Number(p.id),
      threadId: Number(p.thread_id),
      title: p.title,
      html: p.html,
      customerName: p.customer_name ?? "A former customer",
      createdAt: new Date(p.created_at),
    })),
    pendingTotal: Number(pendingTotal[0]?.n ?? 0),
    pendingOffset,
    flags: flags.map((f): FlaggedPost => {
      const kind = f.comment_id !== null ? "comment" : f.answer_id !== null ? "answer" : "thread";
      return {
        kind,
        threadId: Number(f.thread_id),
        answerId: f.answer_id === null ? null : Number(f.answer_id),
        commentId: f.comment_id === null ? null : Number(f.comment_id),
        threadTitle: f.thread_title,
        html: f.html ?? "",
        authorName: f.author_name ?? "A former customer",
        count: Number(f.n),
        reasons: f.reasons,
        notes: f.notes,
        lastFlaggedAt: new Date(f.last_at),
        removable: kind === "comment" || (kind === "answer" ? f.author_user_id !== null : f.origin === "customer"),
      };
    }),
    flagsTotal: Number(flagsTotal[0]?.n ?? 0),
    flagsOffset,
    pageSize: MODERATION_PAGE_SIZE,
  };
}

async function forumChanged(tx: Tx, threadId: number): Promise<void> {
  await enqueueIndexing(tx, "forum_thread", [threadId]);
  await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(threadId)})`);
}

/**
 * A pending first post: "visible" (and its account trusted from now on, so later posts go straight
 * out; a thread is then routed) or "removed". A post decided already is a message, not a change.
 */
export async function decidePending(
  db: Db,
  search: Meilisearch | null,
  actor: Actor,
  input: { kind: "thread" | "comment"; id: number; decision: "visible" | "removed" },
  now = new Date(),
): Promise<void> {
  requireModerator(actor);
  if (!isRowId(input.id)) throw new NotFoundError();
  const threadId = await db.transaction(async (tx) => {
    const rows =
      input.kind === "thread"
        ? await tx.execute<{ thread_id: number; account_id: number | null }>(sql`
            update forum_threads set moderation = ${input.decision}, updated_at = now(),
                   published_at = case when ${input.decision} = 'visible' then now() else published_at end
             where id = ${input.id} and origin = 'customer' and moderation = 'pending' returning id as thread_id, account_id`)
        : await tx.execute<{ thread_id: number; account_id: number | null }>(sql`
            update forum_comments set moderation = ${input.decision}
             where id = ${input.id} and moderation = 'pending' and deleted_at is null returning thread_id, account_id`);
    const row = rows[0];
    if (!row) throw new InputError("Someone decided on this post already.");
    if (input.decision === "visible" && row.account_id !== null) {
      await tx.execute(sql`update forum_accounts set trusted_at = coalesce(trusted_at, now()) where id = ${row.account_id}`);
    }
    await forumChanged(tx, Number(row.thread_id));
    return Number(row.thread_id);
  });
  if (input.kind === "thread" && input.decision === "visible") await intakeThread(db, search, threadId, now);
}

type PostRef = { threadId: number; answerId: number | null; commentId: number | null };

function postCondition(ref: PostRef) {
  return sql`f.thread_id = ${ref.threadId} and ${ref.answerId === null ? sql`f.answer_id is null` : sql`f.answer_id = ${ref.answerId}`}
    and ${ref.commentId === null ? sql`f.comment_id is null` : sql`f.comment_id = ${ref.commentId}`}`;
}

async function resolveFlags(tx: Tx, actor: Actor, ref: PostRef, resolution: "removed" | "dismissed"): Promise<number> {
  const rows = await tx.execute(sql`
    update forum_flags f set resolution = ${resolution}, resolved_by_id = ${actor.id}, resolved_at = now()
     where ${postCondition(ref)} and f.resolved_at is null returning f.id`);
  return rows.length;
}

/** Dismisses every open flag of the post. */
export async function dismissFlags(db: Db, actor: Actor, ref: PostRef): Promise<void> {
  requireModerator(actor);
  await db.transaction(async (tx) => {
    if ((await resolveFlags(tx, actor, ref, "dismissed")) === 0) throw new InputError("These flags were resolved already.");
  });
}

/**
 * Removes a flagged post and resolves all its open flags, in one transaction: a customer's thread or
 * comment is marked removed (kept for the record, gone from the forum); an employee's answer is
 * deleted and the thread's count goes down. A published snapshot is withdrawn through publishing.
 */
export async function removeFlaggedPost(db: Db, actor: Actor, ref: PostRef): Promise<void> {
  requireModerator(actor);
  await db.transaction(async (tx) => {
    const [open] = await tx.execute(sql`select 1 from forum_flags f where ${postCondition(ref)} and f.resolved_at is null limit 1`);
    if (!open) throw new InputError("These flags were resolved already.");
    if (ref.commentId !== null) {
      await tx.execute(sql`update forum_comments set moderation = 'removed' where id = ${ref.commentId} and thread_id = ${ref.threadId}`);
    } else if (ref.answerId !== null) {
      const [answer] = await tx.execute<{ author_user_id: number | null; accepted: boolean }>(sql`
        select author_user_id, accepted from forum_answers where id = ${ref.answerId} and thread_id = ${ref.threadId} for update`);
      if (!answer) throw new NotFoundError();
      if (answer.author_user_id === null) throw new ForbiddenError("This answer was published from inside: withdraw or republish it through publishing.");
      await tx.execute(sql`delete from forum_answers where id = ${ref.answerId}`);
      await tx.execute(sql`
        update forum_threads set answer_count = greatest(answer_count - 1, 0), updated_at = now(),
               solved = case when ${answer.accepted} then false else solved end
         where id = ${ref.threadId}`);
    } else {
      const updated = await tx.execute(sql`update forum_threads set moderation = 'removed', updated_at = now() where id = ${ref.threadId} and origin = 'customer' returning id`);
      if (updated.length === 0) throw new ForbiddenError("This thread was published from inside: withdraw it through publishing.");
    }
    // The answer's delete cascades to its flags; resolve what is left of the post's flags.
    await resolveFlags(tx, actor, ref, "removed");
    await syncQueueStatus(tx, ref.threadId);
    await forumChanged(tx, ref.threadId);
  });
}

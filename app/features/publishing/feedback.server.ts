import { sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { type Actor, inVisibleSpace, spaceNotFound } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { isActiveEmployee } from "./access.server.ts";
import { FORUM_CHANNEL } from "./forum-write.server.ts";
import { forumThreadUrl } from "./urls.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Back-sync: what customers say on a published thread reaches the people who own it. A thread's
 * owners are the moderators of its question's space (site moderators and admins too), the
 * proposer, and the authors published on it. Everything on a thread after its
 * `forum_thread_reviews.reviewed_through` is new; "Mark as reviewed" moves that to now.
 */

export const FEEDBACK_PAGE_SIZE = 10;
/** New comments shown per thread; more wait for the next review. */
export const FEEDBACK_COMMENTS_PER_THREAD = 50;

export type FeedbackThread = {
  threadId: number;
  title: string;
  threadUrl: string;
  publicationId: number;
  newComments: { id: number; authorName: string; bodyHtml: string; createdAt: Date }[];
  newReactions: { helpful: number; notHelpful: number };
};

/** A condition on a publication `p`: the actor owns its thread. */
function ownsThread(actor: Actor): SQL {
  if (!isActiveEmployee(actor)) return sql`false`;
  const manages =
    actor.role === "admin" || actor.role === "moderator"
      ? inVisibleSpace(actor, sql`p.space_id`)
      : sql`exists (select 1 from space_members sm where sm.space_id = p.space_id and sm.user_id = ${actor.id} and sm.role = 'moderator')`;
  return sql`(${manages} or p.proposer_id = ${actor.id}
    or exists (select 1 from publication_consents pc where pc.publication_id = p.id and pc.user_id = ${actor.id} and pc.choice in ('named', 'generic')))`;
}

/** `<epoch microseconds>.<thread id>` of the last thread on a page. */
function parseCursor(cursor: string | null | undefined): { micros: string; threadId: number } | null {
  const match = /^(\d{1,20})\.(\d{1,10})$/.exec(cursor ?? "");
  if (!match || !isRowId(Number(match[2]))) return null;
  return { micros: match[1]!, threadId: Number(match[2]) };
}

/**
 * The threads the actor owns that have something new, the most recent feedback first (keyset
 * pages of ten): the new comments (not deleted, oldest first, up to fifty a thread) with their
 * sanitized HTML, and the new reactions counted. Two queries.
 */
export async function forumFeedbackQueue(db: Db, actor: Actor, { cursor }: { cursor?: string | null }): Promise<{ threads: FeedbackThread[]; nextCursor: string | null }> {
  if (!isActiveEmployee(actor)) return { threads: [], nextCursor: null };
  const after = parseCursor(cursor);
  const rows = await db.execute<{ publication_id: number; thread_id: number; title: string; slug: string; helpful: number; not_helpful: number; latest_micros: string }>(sql`
    with mine as (
      select p.id as publication_id, p.thread_id, ft.title, ft.slug, coalesce(r.reviewed_through, '-infinity'::timestamptz) as since
      from publications p
      join forum_threads ft on ft.id = p.thread_id
      left join forum_thread_reviews r on r.thread_id = p.thread_id
      where p.status = 'published' and ${ownsThread(actor)}
    ), fresh as (
      select m.publication_id, m.thread_id, m.title, m.slug, x.helpful, x.not_helpful,
        floor(extract(epoch from greatest(c.latest, x.latest)) * 1000000)::bigint as latest_micros
      from mine m
      cross join lateral (
        select max(fc.created_at) as latest from forum_comments fc
        where fc.thread_id = m.thread_id and fc.deleted_at is null and fc.created_at > m.since
      ) c
      cross join lateral (
        select count(*) filter (where fr.kind = 'helpful')::int as helpful, count(*) filter (where fr.kind = 'not_helpful')::int as not_helpful, max(fr.created_at) as latest
        from forum_reactions fr where fr.thread_id = m.thread_id and fr.created_at > m.since
      ) x
      where greatest(c.latest, x.latest) is not null
    )
    select publication_id, thread_id, title, slug, helpful, not_helpful, latest_micros::text as latest_micros from fresh
    ${after ? sql`where (latest_micros, thread_id) < (${after.micros}::bigint, ${after.threadId}::int)` : sql``}
    order by latest_micros desc, thread_id desc
    limit ${FEEDBACK_PAGE_SIZE + 1}`);
  const page = rows.slice(0, FEEDBACK_PAGE_SIZE);
  const last = page.at(-1);
  const nextCursor = rows.length > FEEDBACK_PAGE_SIZE && last ? `${last.latest_micros}.${last.thread_id}` : null;
  if (page.length === 0) return { threads: [], nextCursor: null };
  const ids = intArray(page.map((r) => r.thread_id));
  const comments = await db.execute<{ id: number; thread_id: number; author_name: string; body_html: string; created_at: string }>(sql`
    select id, thread_id, author_name, body_html, created_at from (
      select fc.id, fc.thread_id, fa.name as author_name, fc.body_html, fc.created_at,
        row_number() over (partition by fc.thread_id order by fc.created_at, fc.id) as n
      from forum_comments fc
      join forum_accounts fa on fa.id = fc.account_id
      left join forum_thread_reviews r on r.thread_id = fc.thread_id
      where fc.thread_id = any(${ids}) and fc.deleted_at is null and (r.reviewed_through is null or fc.created_at > r.reviewed_through)
    ) c
    where n <= ${FEEDBACK_COMMENTS_PER_THREAD}
    order by created_at, id`);
  return {
    threads: page.map((r) => ({
      threadId: Number(r.thread_id),
      title: r.title,
      threadUrl: forumThreadUrl(Number(r.thread_id), r.slug),
      publicationId: Number(r.publication_id),
      newComments: comments
        .filter((c) => Number(c.thread_id) === Number(r.thread_id))
        .map((c) => ({ id: Number(c.id), authorName: c.author_name, bodyHtml: c.body_html, createdAt: new Date(c.created_at) })),
      newReactions: { helpful: Number(r.helpful), notHelpful: Number(r.not_helpful) },
    })),
    nextCursor,
  };
}

/** The published thread's id when the actor owns it; the 404 of a missing thread otherwise. */
async function ownedThread(db: Db, actor: Actor, where: SQL): Promise<number> {
  if (!isActiveEmployee(actor)) spaceNotFound();
  const [row] = await db.execute<{ thread_id: number }>(sql`
    select p.thread_id from publications p
    where p.status = 'published' and p.thread_id is not null and ${where} and ${ownsThread(actor)}
    limit 1`);
  if (!row) spaceNotFound();
  return Number(row.thread_id);
}

/** Everything on the thread until now counts as seen. */
export async function markFeedbackReviewed(db: Db, actor: Actor, threadId: number): Promise<void> {
  if (!isRowId(threadId)) spaceNotFound();
  await ownedThread(db, actor, sql`p.thread_id = ${threadId}`);
  await db.execute(sql`
    insert into forum_thread_reviews (thread_id, reviewed_through, reviewed_by_id) values (${threadId}, now(), ${actor.id})
    on conflict (thread_id) do update set reviewed_through = excluded.reviewed_through, reviewed_by_id = excluded.reviewed_by_id`);
}

/** Hides a customer's comment from the forum (the thread's owners only); the forum drops its cached pages. */
export async function hideForumComment(db: Db, actor: Actor, commentId: number): Promise<void> {
  if (!isRowId(commentId)) spaceNotFound();
  const threadId = await ownedThread(db, actor, sql`p.thread_id = (select fc.thread_id from forum_comments fc where fc.id = ${commentId})`);
  await db.transaction(async (tx) => {
    const hidden = await tx.execute(sql`update forum_comments set deleted_at = now() where id = ${commentId} and thread_id = ${threadId} and deleted_at is null returning id`);
    if (hidden.length > 0) await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(threadId)})`);
  });
}

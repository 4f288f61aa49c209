import { sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { inVisibleSpace, type Actor } from "#app/features/spaces/visibility.server.ts";
import { COVERAGE_PAGE_SIZE, COVERAGE_WINDOW_DAYS } from "./coverage-params.ts";

/**
 * Coverage (docs/expertise.md): where the SMEs are missing or have gone quiet, for site moderators,
 * admins and HR to act on. Two lists of the tags the reader may see (used by questions in a space
 * they may see), each sorted by traffic, the questions of the last 90 days in those spaces:
 *
 * - tags with no SME at all (a person who hid the topic does not count as one);
 * - tags whose SMEs have gone quiet: every SME's latest evidence on the tag (that the reader may
 *   see) is older than 90 days, or every SME is deactivated.
 *
 * Only counts and tag names: nothing here names a question from a space the reader can't see.
 */

export { COVERAGE_PAGE_SIZE, COVERAGE_WINDOW_DAYS };

export type UncoveredTag = { name: string; recent: number; unanswered: number };
export type QuietTag = { name: string; recent: number; unanswered: number; smes: number; activeSmes: number; lastEvidenceAt: string | null };

/** The tags `actor` may see, and the traffic of each in the window (questions, and those still without an answer). */
function visibleTraffic(actor: Actor, since: Date): SQL {
  return sql`
    visible_tags as (
      select st.tag_id from space_tags st where ${inVisibleSpace(actor, sql`st.space_id`)}
       group by st.tag_id having sum(st.question_count) > 0
    ), traffic as (
      select qt.tag_id, count(*)::int as recent,
             count(*) filter (where p.answer_count = 0 and p.closed_at is null)::int as unanswered
        from question_tags qt join posts p on p.id = qt.post_id
       where qt.question_created_at >= ${since.toISOString()}::timestamptz and p.type = 'question' and p.deleted_at is null
         and ${inVisibleSpace(actor, sql`p.space_id`)}
       group by qt.tag_id
    ), listed_smes as (
      select ts.tag_id, ts.user_id, u.deactivated_at is null as active
        from tag_smes ts join users u on u.id = ts.user_id and u.kind = 'employee'
       where not exists (select 1 from user_topics h where h.user_id = ts.user_id and h.tag_id = ts.tag_id and h.hidden)
    )`;
}

function page(n: number): number {
  return (Math.max(1, Math.min(n, 10_000)) - 1) * COVERAGE_PAGE_SIZE;
}

/** Tags with no SME, the busiest first. One query. */
export async function uncoveredTags(db: Db, actor: Actor, options: { page: number; now?: Date }): Promise<{ tags: UncoveredTag[]; total: number; offset: number }> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - COVERAGE_WINDOW_DAYS * 86_400_000);
  const offset = page(options.page);
  const rows = await db.execute<{ name: string; recent: number; unanswered: number; total: number }>(sql`
    with ${visibleTraffic(actor, since)}
    select t.name, coalesce(tr.recent, 0)::int as recent, coalesce(tr.unanswered, 0)::int as unanswered, count(*) over ()::int as total
      from visible_tags v join tags t on t.id = v.tag_id left join traffic tr on tr.tag_id = v.tag_id
     where not exists (select 1 from listed_smes s where s.tag_id = v.tag_id)
     order by recent desc, unanswered desc, t.name
     limit ${COVERAGE_PAGE_SIZE} offset ${offset}`);
  return { tags: rows.map((r) => ({ name: r.name, recent: Number(r.recent), unanswered: Number(r.unanswered) })), total: Number(rows[0]?.total ?? 0), offset };
}

/** Tags whose SMEs have all gone quiet (or left), the busiest first. One query. */
export async function quietTags(db: Db, actor: Actor, options: { page: number; now?: Date }): Promise<{ tags: QuietTag[]; total: number; offset: number }> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - COVERAGE_WINDOW_DAYS * 86_400_000);
  const offset = page(options.page);
  const rows = await db.execute<{ name: string; recent: number; unanswered: number; smes: number; active_smes: number; last_at: Date | string | null; total: number }>(sql`
    with ${visibleTraffic(actor, since)}, sme_activity as (
      select s.tag_id, s.user_id, s.active,
             (select max(es.last_evidence_at) from expertise_scores es
               where es.user_id = s.user_id and es.tag_id = s.tag_id and ${inVisibleSpace(actor, sql`es.space_id`)}) as last_at
        from listed_smes s join visible_tags v on v.tag_id = s.tag_id
    ), per_tag as (
      select tag_id, count(*)::int as smes, count(*) filter (where active)::int as active_smes,
             max(last_at) filter (where active) as last_at
        from sme_activity group by tag_id
       having bool_and(not active or last_at is null or last_at < ${since.toISOString()}::timestamptz)
    )
    select t.name, coalesce(tr.recent, 0)::int as recent, coalesce(tr.unanswered, 0)::int as unanswered,
           pt.smes, pt.active_smes, pt.last_at, count(*) over ()::int as total
      from per_tag pt join tags t on t.id = pt.tag_id left join traffic tr on tr.tag_id = pt.tag_id
     order by recent desc, unanswered desc, t.name
     limit ${COVERAGE_PAGE_SIZE} offset ${offset}`);
  return {
    tags: rows.map((r) => ({
      name: r.name,
      recent: Number(r.recent),
      unanswered: Number(r.unanswered),
      smes: Number(r.smes),
      activeSmes: Number(r.active_smes),
      lastEvidenceAt: r.last_at === null ? null : new Date(r.last_at).toISOString(),
    })),
    total: Number(rows[0]?.total ?? 0),
    offset,
  };
}

import type postgres from "postgres";

/**
 * The audit log of a generated company (issue 23): the entries the app would have written for what
 * the generator made, so Admin → Audit log is read on a full table by the bench and a demo admin
 * sees a history. One `insert … select` over the rows already written, in the generator's
 * transaction, so it costs a few statements whatever the size.
 *
 * Each entry has the shape its feature writes (the `recordAudit` call named beside it): the same
 * action, details keys, target type and id, subject and space. The log lists entries by id, newest
 * first, so they go in ordered by time and the ids follow the times.
 *
 * Who acted, where the generated rows don't say:
 * - roles and memberships of restricted spaces are given by the admin who joined first (the one who
 *   set Commons up); their own role by the system, as an install does it. A member of a restricted
 *   space is added by one of the space's moderators, a moderator by that admin.
 * - a deletion whose row names no deleter is that admin's.
 * - a published thread was approved twice, as the two-person rule asks: by a moderator of the
 *   space two hours before, then by an admin (no SMEs exist yet: the expertise model is computed
 *   after the transaction), which published it.
 * - the award round closed on its results date: the scheduler's entry, no person acting.
 */

/**
 * A published thread's two approvers: a moderator of its space (else anyone with the moderator
 * role), not its proposer; then an admin who is neither.
 */
const APPROVERS = `
  select m.id as moderator, (
    select u.id from users u
    where u.role = 'admin' and u.kind = 'employee' and u.id <> p.proposer_id and u.id is distinct from m.id
    order by u.created_at, u.id limit 1
  ) as admin
  from (
    select coalesce(
      (select o.user_id from space_members o where o.space_id = p.space_id and o.role = 'moderator' and o.user_id <> p.proposer_id order by o.user_id limit 1),
      (select u.id from users u where u.role = 'moderator' and u.kind = 'employee' and u.id <> p.proposer_id order by u.id limit 1)
    ) as id
  ) m`;

/** Entries per action, as written. */
export type AuditCounts = Record<string, number>;

export async function generateAuditLog(tx: postgres.TransactionSql): Promise<AuditCounts> {
  const rows = await tx.unsafe<{ action: string; n: number }[]>(`
    with founder as (
      select id from users where role = 'admin' and kind = 'employee' order by created_at, id limit 1
    ),
    entries (at, actor_id, via, action, subject_user_id, target_type, target_id, space_id, details, seq) as (
      -- changeRole (app/features/users/admin-users.server.ts): no target, no space.
      select u.created_at, nullif(f.id, u.id), case when u.id = f.id then 'system' else 'user' end, 'user.role_changed', u.id, null, null, null::int,
        jsonb_build_object('from', 'member', 'to', u.role::text), 1
      from users u cross join founder f
      where u.kind = 'employee' and u.role <> 'member'

      -- addSpaceMember (app/features/spaces/spaces.server.ts), restricted spaces only.
      union all
      select m.created_at, a.id, case when a.id is null then 'system' else 'user' end, 'space.member_added', m.user_id, 'space', m.space_id::text, m.space_id,
        jsonb_build_object('role', m.role::text), case when m.role = 'moderator' then 2 else 3 end
      from space_members m
      join spaces s on s.id = m.space_id and s.visibility = 'restricted'
      cross join lateral (
        select coalesce(
          case when m.role = 'member' then
            (select o.user_id from space_members o where o.space_id = m.space_id and o.role = 'moderator' and o.user_id <> m.user_id order by o.user_id limit 1)
          end,
          (select u.id from users u where u.role = 'admin' and u.kind = 'employee' and u.id <> m.user_id order by u.created_at, u.id limit 1)
        ) as id
      ) a

      -- recordDeletion (app/features/audit/audit.server.ts): content by its kind and item id, a comment by its own id.
      union all
      select p.deleted_at, coalesce(p.deleted_by_id, f.id), 'user', 'content.deleted', p.author_id, p.type::text, p.item_id::text, p.space_id, '{}'::jsonb, 4
      from posts p cross join founder f where p.deleted_at is not null
      union all
      select c.deleted_at, coalesce(c.deleted_by_id, f.id), 'user', 'content.deleted', c.author_id, 'comment', c.id::text, c.space_id, '{}'::jsonb, 4
      from comments c cross join founder f where c.deleted_at is not null
      union all
      select w.deleted_at, f.id, 'user', 'content.deleted', w.author_id, 'wiki_page', w.item_id::text, w.space_id, '{}'::jsonb, 4
      from wiki_pages w cross join founder f where w.deleted_at is not null
      union all
      select r.deleted_at, coalesce(r.deleted_by_id, f.id), 'user', 'content.deleted', r.author_id, 'article', r.item_id::text, r.space_id, '{}'::jsonb, 4
      from articles r cross join founder f where r.deleted_at is not null

      -- changeIdeaStatus and mergeIdeas (app/features/ideas/workflow.server.ts): the idea by its item id, "into" by the other idea's id.
      union all
      select e.created_at, e.actor_id, 'user', 'idea.status_changed', d.author_id, 'idea', d.item_id::text, d.space_id,
        jsonb_build_object('from', coalesce(e.from_status::text, 'submitted'), 'to', e.to_status::text)
          || case when e.to_status = 'merged' and e.other_idea_id is not null then jsonb_build_object('into', e.other_idea_id) else '{}'::jsonb end
          || case when btrim(coalesce(e.reason, '')) <> '' then jsonb_build_object('reason', btrim(e.reason)) else '{}'::jsonb end,
        5
      from idea_events e join ideas d on d.id = e.idea_id
      where e.kind = 'status'

      -- createAwardRound and announceDueRounds (app/features/recognition/awards.server.ts).
      union all
      select r.created_at, r.created_by_id, 'user', 'award.round_created', null, 'award_round', r.item_id::text, r.space_id, jsonb_build_object('title', r.title), 6
      from award_rounds r
      union all
      select r.announced_at, null, 'system', 'award.round_closed', null, 'award_round', r.item_id::text, r.space_id, jsonb_build_object('step', 'results date'), 7
      from award_rounds r where r.announced_at is not null

      -- approveRedemption and declineRedemption (app/features/recognition/rewards.server.ts): no space.
      union all
      select x.approved_at, x.handled_by_id, 'user', 'reward.approved', x.user_id, 'redemption', x.id::text, null, jsonb_build_object('reward', x.reward_id, 'points', x.cost), 8
      from reward_redemptions x where x.approved_at is not null and x.handled_by_id is not null
      union all
      select x.closed_at, x.handled_by_id, 'user', 'reward.declined', x.user_id, 'redemption', x.id::text, null,
        jsonb_build_object('reward', x.reward_id, 'points', x.cost, 'reason', x.note), 8
      from reward_redemptions x where x.status = 'declined' and x.closed_at is not null and x.handled_by_id is not null

      -- approvePublication (app/features/publishing/publishing.server.ts): the moderator's side, then the admin's, which publishes.
      union all
      select p.published_at - interval '2 hours', ap.moderator, 'user', 'publication.approved', p.proposer_id, 'publication', p.id::text, p.space_id,
        jsonb_build_object('revision', p.revision, 'capacity', 'a moderator of the space', 'published', false), 9
      from publications p cross join lateral (${APPROVERS}) ap
      where p.status = 'published' and p.published_at is not null and ap.moderator is not null
      union all
      select p.published_at, ap.admin, 'user', 'publication.approved', p.proposer_id, 'publication', p.id::text, p.space_id,
        jsonb_build_object('revision', p.revision, 'capacity', 'an admin (the topic has no SME)', 'published', true), 10
      from publications p cross join lateral (${APPROVERS}) ap
      where p.status = 'published' and p.published_at is not null and ap.admin is not null

      -- recordHrViews (app/features/audit/audit.server.ts): one entry per person looked at.
      union all
      select v.viewed_at, v.viewer_id, 'user', 'hr.person_viewed', v.subject_id, 'user', v.subject_id::text, null, jsonb_build_object('what', v.what), 11
      from hr_views v

      -- createTokenForUser and revokeToken (app/features/api-tokens/tokens.server.ts): the owner acts on their own token.
      union all
      select k.created_at, k.user_id, 'user', 'token.created', k.user_id, 'token', k.id::text, null,
        jsonb_build_object('name', k.name, 'scope', k.scope::text, 'prefix', k.prefix), 12
      from api_tokens k
      union all
      select k.revoked_at, k.user_id, 'user', 'token.revoked', k.user_id, 'token', k.id::text, null, jsonb_build_object('name', k.name, 'prefix', k.prefix), 13
      from api_tokens k where k.revoked_at is not null
    ),
    inserted as (
      insert into audit_log (at, actor_id, via, action, subject_user_id, target_type, target_id, space_id, details)
      select at, actor_id, via, action, subject_user_id, target_type, target_id, space_id, details
      from entries
      order by at, seq, target_type nulls first, target_id, subject_user_id
      returning action
    )
    select action, count(*)::int as n from inserted group by action order by action`);
  return Object.fromEntries(rows.map((r) => [r.action, r.n]));
}

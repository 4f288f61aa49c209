import { type SQL, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";

/**
 * A person's own data as JSON (issue 23, Settings → Profile → "Download your data"). What they
 * wrote, did and set, and what Commons keeps about them that they may see: the HR look-ups of them
 * (docs/people-analytics.md shows those on their own profile) and the anonymous questions they
 * asked (docs/anonymous-questions.md: theirs, kept apart so that others can't tell). Never a
 * secret (password, token or session hashes) and never what other people did that is not about
 * them: other people's votes on their posts, say, are counts on the posts, not names.
 */

export const EXPORT_FORMAT_VERSION = 1;

async function rows(db: Db, query: SQL): Promise<Array<Record<string, unknown>>> {
  return (await db.execute(query)) as unknown as Array<Record<string, unknown>>;
}

export async function exportOwnData(db: Db, actor: Actor, now = new Date()): Promise<Record<string, unknown>> {
  const me = actor.id;
  const data = await db.transaction(
    async (tx) => {
      const q = (query: SQL) => rows(tx as unknown as Db, query);
      const [profile] = await q(sql`
        select u.id, u.email, u.name, u.title, u.department, u.location, u.bio, u.role, u.kind,
               m.id as manager_id, m.name as manager_name, u.reputation, u.gold_badges, u.silver_badges, u.bronze_badges,
               u.routing_opt_out, u.away_until, u.roles_opt_out, u.email_verified_at, u.created_at, u.updated_at
        from users u left join users m on m.id = u.manager_id where u.id = ${me}`);
      const result = {
        format: "commons-personal-data",
        formatVersion: EXPORT_FORMAT_VERSION,
        exportedAt: now.toISOString(),
        profile,
        questions: await q(sql`
          select p.id, s.slug as space, p.title, p.body, p.tags, p.score, p.answer_count, p.closed_at, p.deleted_at, p.created_at, p.updated_at, false as anonymous
          from posts p join spaces s on s.id = p.space_id where p.author_id = ${me} and p.type = 'question'
          union all
          select p.id, s.slug, p.title, p.body, p.tags, p.score, p.answer_count, p.closed_at, p.deleted_at, p.created_at, p.updated_at, true
          from anonymous_askers a join posts p on p.id = a.question_id join spaces s on s.id = p.space_id where a.user_id = ${me}
          order by id`),
        answers: await q(sql`
          select p.id, p.parent_id as question_id, p.body, p.score, p.deleted_at, p.created_at, p.updated_at
          from posts p where p.author_id = ${me} and p.type = 'answer' order by p.id`),
        comments: await q(sql`select c.id, c.item_id, c.body, c.deleted_at, c.created_at from comments c where c.author_id = ${me} order by c.id`),
        ideas: await q(sql`
          select i.id, i.campaign_id, i.title, i.body, i.category, i.tags, i.status, i.created_at
          from ideas i where i.author_id = ${me} order by i.id`),
        wikiPages: await q(sql`select w.id, w.title, w.created_at from wiki_pages w where w.author_id = ${me} order by w.id`),
        articles: await q(sql`select a.id, a.title, a.created_at from articles a where a.author_id = ${me} order by a.id`),
        // Every revision they made: of questions, answers, wiki pages and articles, theirs or others'.
        edits: await q(sql`
          select r.item_id, i.kind, r.number, r.kind as revision_kind, r.title, r.body, r.comment, r.created_at
          from revisions r join items i on i.id = r.item_id where r.editor_id = ${me} order by r.item_id, r.number`),
        // What they voted on; the votes others cast on their posts are not theirs to export.
        votes: await q(sql`select v.item_id, i.kind, v.value, v.created_at from votes v join items i on i.id = v.item_id where v.user_id = ${me} order by v.created_at`),
        kudosGiven: await q(sql`
          select k.id, k.message, k.private, k.created_at, coalesce(array_agg(r.user_id order by r.user_id) filter (where r.user_id is not null), '{}') as receiver_ids
          from kudos k left join kudos_receivers r on r.kudos_id = k.id where k.giver_id = ${me} group by k.id order by k.id`),
        kudosReceived: await q(sql`
          select k.id, k.message, k.private, k.created_at, g.id as giver_id, g.name as giver_name
          from kudos_receivers r join kudos k on k.id = r.kudos_id join users g on g.id = k.giver_id where r.user_id = ${me} order by k.id`),
        badges: await q(sql`
          select b.name, b.tier, a.created_at from badge_awards a join badges b on b.id = a.badge_id where a.user_id = ${me} order by a.created_at`),
        reputationEvents: await q(sql`select e.delta, e.reason, e.item_id, e.created_at from reputation_events e where e.user_id = ${me} order by e.id`),
        notificationSettings: await q(sql`select category, cadence, updated_at from mail_preferences where user_id = ${me} order by category`),
        apiTokens: await q(sql`
          select name, prefix, scope, created_at, last_used_at, expires_at, revoked_at from api_tokens where user_id = ${me} order by id`),
        sessions: await q(sql`select created_at, expires_at, user_agent from sessions where user_id = ${me} order by created_at`),
        hrViews: await q(sql`
          select v.what, v.viewed_at, u.name as viewer_name from hr_views v join users u on u.id = v.viewer_id where v.subject_id = ${me} order by v.viewed_at desc`),
      };
      await recordAudit(tx, { actorId: me, action: "user.data_exported", subjectUserId: me });
      return result;
    },
    { accessMode: "read write" },
  );
  return data;
}

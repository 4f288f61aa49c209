import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql, TransactionRollbackError } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { recountVotes } from "#app/features/ideas/votes.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { generateCompany, type GenerateResult, NotEmptyError } from "#db/generate/index.ts";
import { GENERATED_CUSTOMER_EMAIL } from "#db/generate/forum.ts";
import { campaignCount } from "#db/generate/ideas.ts";
import { DEMO_PASSWORD } from "#db/seed-info.ts";
import { AUDIT_ACTIONS } from "#app/features/audit/actions.ts";
import { loader as auditLoader } from "#app/routes/admin/audit.tsx";
import { setupTestDb } from "#tests/db.ts";
import { closedPort, requestAs, routeCaller, thrown } from "#tests/helpers.ts";

const QUESTIONS = 300;
const a = setupTestDb();
const b = setupTestDb();
let result: GenerateResult;

beforeAll(async () => {
  // The same seed into two databases, one after the other.
  result = await generateCompany(a.url, { questions: QUESTIONS, seed: 7 });
  await generateCompany(b.url, { questions: QUESTIONS, seed: 7 });
}, 120_000);

/**
 * The social layer's shared tables as each kind sees them, by its own ids: what the checks below
 * asked of post_votes, idea_comments and the like before the kinds shared one table each.
 */
const POST_VOTES = sql.raw("(select p.id as post_id, v.* from votes v join posts p on p.item_id = v.item_id)");
const IDEA_VOTES = sql.raw("(select d.id as idea_id, d.campaign_id, v.* from votes v join ideas d on d.item_id = v.item_id)");
const POST_COMMENTS = sql.raw("(select p.id as post_id, c.* from comments c join posts p on p.item_id = c.item_id)");
const IDEA_COMMENTS = sql.raw("(select d.id as idea_id, c.* from comments c join ideas d on d.item_id = c.item_id)");
const POST_REVISIONS = sql.raw("(select p.id as post_id, r.* from revisions r join posts p on p.item_id = r.item_id)");
const QUESTION_FOLLOWS = sql.raw("(select p.id as post_id, f.* from follows f join posts p on p.item_id = f.item_id)");
const IDEA_EVENTS = sql.raw("(select d.id as idea_id, e.* from reputation_events e join ideas d on d.item_id = e.item_id)");

async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const rows = await a.db.execute(query);
  return rows[0] as T;
}

describe("data:generate", () => {
  test("counts are in the expected ranges and match the tables", async () => {
    const c = await one<Record<string, number>>(sql`
      select (select count(*) from users where kind = 'employee')::int as employees,
        (select count(*) from users where kind = 'customer')::int as customers,
        (select count(*) from posts where type = 'question')::int as questions,
        (select count(*) from posts where type = 'answer')::int as answers,
        (select count(*) from ${POST_VOTES} v)::int as votes,
        (select count(*) from ${POST_VOTES} v where value = -1)::int as downvotes,
        (select count(*) from ${POST_COMMENTS} c)::int as comments,
        (select count(*) from tags)::int as tags,
        (select count(*) from spaces)::int as spaces,
        (select count(*) from spaces where visibility = 'restricted')::int as restricted,
        (select count(*) from posts where type = 'question' and answer_count > 0)::int as answered,
        (select count(*) from posts where accepted_answer_id is not null)::int as accepted,
        (select count(*) from posts where closed_at is not null)::int as closed,
        (select count(*) from ${POST_REVISIONS} r where number = 1)::int as first_revisions,
        (select count(*) from ${POST_REVISIONS} r where number > 1)::int as edits,
        (select count(*) from ${QUESTION_FOLLOWS} f)::int as follows,
        (select count(*) from follows where tag_id is not null)::int as tag_follows,
        (select count(*) from notifications)::int as notifications,
        (select count(*) from notifications where mail_handled_at is null)::int as notifications_to_mail,
        (select count(*) from users where manager_id is not null)::int as managed,
        (select count(*) from users where role = 'admin')::int as admins,
        (select count(*) from users where role = 'moderator')::int as moderators,
        (select count(*) from users where role = 'hr')::int as hr`);
    expect(c.employees).toBe(50);
    expect(c.customers).toBeGreaterThan(0);
    expect(c.employees! + c.customers!).toBe(result.users);
    expect(c.questions).toBe(QUESTIONS);
    expect(c.answers).toBe(result.answers);
    expect(c.answers).toBeGreaterThan(QUESTIONS * 2);
    expect(c.answers).toBeLessThan(QUESTIONS * 3.2);
    expect(c.votes).toBe(result.votes);
    // About a million votes per 100,000 questions, mostly up.
    expect(c.votes).toBeGreaterThan(QUESTIONS * 7);
    expect(c.votes).toBeLessThan(QUESTIONS * 13);
    expect(c.downvotes).toBeLessThan(c.votes! * 0.15);
    expect(c.comments).toBe(result.comments);
    const posts = c.questions! + c.answers!;
    expect(c.comments).toBeGreaterThan(posts * 0.3);
    expect(c.comments).toBeLessThan(posts * 0.8);
    expect(c.tags).toBe(result.tags);
    expect(c.spaces).toBe(result.spaces);
    expect(c.restricted).toBeGreaterThan(0);
    expect(c.accepted! / c.answered!).toBeGreaterThan(0.45);
    expect(c.accepted! / c.answered!).toBeLessThan(0.75);
    expect(c.closed).toBeGreaterThan(0);
    expect(c.first_revisions).toBe(posts);
    expect(c.edits).toBeGreaterThan(0);
    expect(c.follows).toBeGreaterThanOrEqual(QUESTIONS);
    expect(c.tag_follows).toBeGreaterThan(0);
    expect(c.notifications).toBeGreaterThan(0);
    // History, not news: the app's immediate mail finds nothing to send after a generate.
    expect(c.notifications_to_mail).toBe(0);
    expect(c.managed).toBe(c.employees! - 1);
    expect(c.admins).toBeGreaterThan(0);
    expect(c.moderators).toBeGreaterThan(0);
    expect(c.hr).toBeGreaterThan(0);
  });

  test("every post and idea owns one item of its kind, in its space, and every shared row names an item of its space", async () => {
    const wrong = await one<Record<string, number>>(sql`
      select
        (select count(*) from posts p join items i on i.id = p.item_id where i.kind::text <> p.type::text or i.space_id <> p.space_id)::int as post_items,
        (select count(*) from ideas d join items i on i.id = d.item_id where i.kind <> 'idea' or i.space_id <> d.space_id)::int as idea_items,
        (select count(*) from wiki_pages w join items i on i.id = w.item_id where i.kind <> 'wiki_page' or i.space_id <> w.space_id)::int as page_items,
        (select count(*) from articles r join items i on i.id = r.item_id where i.kind <> 'article' or i.space_id <> r.space_id)::int as article_items,
        (select count(*) from items i where not exists (select 1 from posts p where p.item_id = i.id) and not exists (select 1 from ideas d where d.item_id = i.id)
          and not exists (select 1 from wiki_pages w where w.item_id = i.id) and not exists (select 1 from articles r where r.item_id = i.id)
          and not exists (select 1 from kudos k where k.item_id = i.id) and not exists (select 1 from rewards w where w.item_id = i.id)
          and not exists (select 1 from award_rounds a where a.item_id = i.id) and not exists (select 1 from award_nominations n where n.item_id = i.id)
          and not exists (select 1 from badges b where b.item_id = i.id))::int as orphans,
        (select count(*) from comments c join items i on i.id = c.item_id where c.space_id <> i.space_id)::int as comment_space,
        (select count(*) from notifications n join items i on i.id = n.item_id where n.space_id <> i.space_id or i.kind = 'answer')::int as notification_page,
        (select count(*) from notifications n join items s on s.id = n.subject_item_id where s.kind <> 'answer')::int as notification_subject,
        (select count(*) from reputation_events e join items i on i.id = e.item_id where e.space_id <> i.space_id)::int as event_space,
        (select count(*) from follows f join items i on i.id = f.item_id where i.kind = 'answer')::int as answer_follows`);
    expect(wrong).toEqual({
      post_items: 0,
      idea_items: 0,
      page_items: 0,
      article_items: 0,
      orphans: 0,
      comment_space: 0,
      notification_page: 0,
      notification_subject: 0,
      event_space: 0,
      answer_follows: 0,
    });
    // The sequence goes on after the generated ids: the next item the app makes does not collide.
    const next = await one<{ ok: boolean }>(sql`select nextval(pg_get_serial_sequence('items', 'id')) > (select max(id) from items) as ok`);
    expect(next.ok).toBe(true);
  });

  test("wiki pages: one per 20 questions, trees within their space, every revision chain whole, links and suggestions consistent; articles mostly published", async () => {
    const c = await one<Record<string, number>>(sql`
      select
        (select count(*) from wiki_pages)::int as pages,
        (select count(*) from wiki_pages w join wiki_pages p on p.id = w.parent_id where p.space_id <> w.space_id)::int as cross_space_parents,
        (select count(*) from wiki_pages where parent_id is null)::int as top_level,
        (select count(*) from wiki_pages w where w.revision_count <> (select count(*) from revisions r where r.item_id = w.item_id))::int as broken_chains,
        (select count(*) from wiki_pages w join revisions r on r.item_id = w.item_id and r.number = w.revision_count where r.body <> w.body)::int as stale_heads,
        (select count(*) from wiki_pages w where not exists (select 1 from wiki_page_owners o where o.page_id = w.id))::int as ownerless,
        (select count(*) from wiki_page_links l join wiki_pages w on w.id = l.from_page_id where position('/wiki/' || l.to_page_id || '/' in w.body_html) = 0)::int as unrendered_links,
        (select count(*) from wiki_suggestions s where s.base_revision > (select revision_count from wiki_pages w where w.id = s.page_id))::int as future_bases,
        (select count(*) from wiki_pages where review_due_at < now())::int as overdue,
        (select count(*) from (select space_id, lower(title) from wiki_pages group by 1, 2 having count(*) > 1) d)::int as duplicate_titles,
        (select count(*) from articles)::int as articles,
        (select count(*) from articles where status = 'published' and published_at is null)::int as unpublished_published,
        (select count(*) from articles where status = 'scheduled' and publish_at <= now())::int as overdue_schedules`);
    expect(c.pages).toBe(result.pages);
    expect(c.articles).toBe(result.articles);
    expect(c.pages).toBeGreaterThanOrEqual(20);
    expect(c.top_level).toBeGreaterThan(0);
    expect(c.top_level).toBeLessThan(c.pages!);
    expect(c.overdue).toBeGreaterThan(0);
    expect({ ...c, pages: 0, top_level: 0, overdue: 0, articles: 0 }).toEqual({
      pages: 0,
      cross_space_parents: 0,
      top_level: 0,
      broken_chains: 0,
      stale_heads: 0,
      ownerless: 0,
      unrendered_links: 0,
      future_bases: 0,
      overdue: 0,
      duplicate_titles: 0,
      articles: 0,
      unpublished_published: 0,
      overdue_schedules: 0,
    });
  });

  test("the public forum: a sample of answered questions of open spaces, each a published publication with its thread and up to three answers", async () => {
    const c = await one<{ threads: number; answers: number; published: number; restricted: number; over: number; unsolved: number }>(sql`
      select
        (select count(*) from forum_threads where withdrawn_at is null and origin = 'published')::int as threads,
        (select count(*) from forum_answers a join forum_threads t on t.id = a.thread_id and t.origin = 'published')::int as answers,
        (select count(*) from publications where status = 'published' and thread_id is not null)::int as published,
        (select count(*) from publications p join spaces s on s.id = p.space_id where s.visibility <> 'open')::int as restricted,
        (select count(*) from (select thread_id from forum_answers group by thread_id having count(*) > 3) x)::int as over,
        (select count(*) from forum_threads t where t.origin = 'published' and not exists (select 1 from forum_answers a where a.thread_id = t.id and a.accepted))::int as unsolved`);
    expect(c.threads).toBe(result.forumThreads);
    expect(c.answers).toBe(result.forumAnswers);
    expect(c.threads).toBeGreaterThan(0);
    expect({ published: c.published, restricted: c.restricted, over: c.over, unsolved: c.unsolved }).toEqual({ published: c.threads, restricted: 0, over: 0, unsolved: 0 });
  });

  test("customers' questions on the forum: asked by generated customers, the answered ones by a named employee, each in the queue", async () => {
    const c = await one<{ questions: number; answered: number; solved: number; queued: number; unnamed: number; signIn: number; restricted: number }>(sql`
      select
        (select count(*) from forum_threads where origin = 'customer' and account_id is not null)::int as questions,
        (select count(*) from forum_answers a join forum_threads t on t.id = a.thread_id and t.origin = 'customer' where a.author_user_id is not null)::int as answered,
        (select count(*) from forum_threads where origin = 'customer' and solved)::int as solved,
        (select count(*) from forum_queue q join forum_threads t on t.id = q.thread_id and t.origin = 'customer')::int as queued,
        (select count(*) from forum_answers a join forum_threads t on t.id = a.thread_id and t.origin = 'customer' where not a.author_named)::int as unnamed,
        (select count(*) from forum_accounts where email = ${GENERATED_CUSTOMER_EMAIL} and trusted_at is not null and verified_at is not null)::int as "signIn",
        (select count(*) from forum_threads t where t.origin = 'customer' and t.title in (select q.title from posts q join spaces s on s.id = q.space_id where s.visibility <> 'open' and q.type = 'question') and t.title not in (select q.title from posts q join spaces s on s.id = q.space_id where s.visibility = 'open' and q.type = 'question'))::int as restricted`);
    expect(c.questions).toBe(result.customerQuestions);
    expect(c.answered).toBe(result.customerAnswered);
    expect(c.questions).toBeGreaterThan(0);
    expect(c.answered).toBeGreaterThan(0);
    expect(c.solved).toBeLessThanOrEqual(c.answered);
    expect({ queued: c.queued, unnamed: c.unnamed, signIn: c.signIn, restricted: c.restricted }).toEqual({
      queued: c.questions,
      unnamed: 0,
      signIn: 1,
      restricted: 0,
    });
  });

  test("the forum desk has work on every page: escalations of customers' questions, live sessions to come with their questions, share kits", async () => {
    const c = await one<Record<string, number>>(sql`
      select
        (select count(*) from forum_escalations)::int as escalations,
        (select count(*) from forum_escalations e join forum_threads t on t.id = e.thread_id where t.origin <> 'customer')::int as "notCustomer",
        (select count(*) from forum_escalations where status = 'resolved' and (resolved_at is null or outcome = ''))::int as "resolvedWithout",
        (select count(*) from live_sessions where audience = 'forum' and status = 'scheduled' and starts_at > now() + interval '1 day')::int as sessions,
        (select count(*) from live_sessions s where (select count(*) from live_session_experts e where e.session_id = s.id) = 0)::int as "noExperts",
        (select count(*) from live_session_questions)::int as "sessionQuestions",
        (select count(*) from live_session_questions q where q.votes <> (select count(*) from live_session_votes v where v.question_id = q.id))::int as "votesOff",
        (select count(*) from share_kits where archived_at is null)::int as kits,
        (select count(*) from share_kit_items i join forum_threads t on t.id = i.thread_id where t.origin = 'published')::int as "kitItems"`);
    expect(c.escalations).toBe(result.escalations);
    expect(c.escalations).toBeGreaterThan(0);
    expect(c.sessions).toBe(result.liveSessions);
    expect(c.sessions).toBeGreaterThan(0);
    expect(c.kits).toBe(result.shareKits);
    expect(c.kits).toBeGreaterThan(0);
    expect(c.sessionQuestions).toBeGreaterThan(0);
    expect(c.kitItems).toBeGreaterThan(0);
    expect({ notCustomer: c.notCustomer, resolvedWithout: c.resolvedWithout, noExperts: c.noExperts, votesOff: c.votesOff }).toEqual({
      notCustomer: 0,
      resolvedWithout: 0,
      noExperts: 0,
      votesOff: 0,
    });
  });

  test("answer counts are skewed: many questions with none or one, a few with many", async () => {
    const rows = await a.db.execute<{ n: number; questions: number }>(sql`
      select answer_count as n, count(*)::int as questions from posts where type = 'question' group by answer_count`);
    const share = (pred: (n: number) => boolean) => rows.filter((r) => pred(r.n)).reduce((s, r) => s + r.questions, 0) / QUESTIONS;
    expect(share((n) => n <= 1)).toBeGreaterThan(0.3);
    expect(share((n) => n >= 8)).toBeGreaterThan(0);
  });

  test("every counter equals what it counts", async () => {
    const wrong = await one<Record<string, number>>(sql`
      select
        (select count(*) from posts q where q.type = 'question'
           and q.answer_count <> (select count(*) from posts a where a.parent_id = q.id))::int as answer_count,
        (select count(*) from posts p where p.comment_count <> (select count(*) from comments c where c.item_id = p.item_id))::int as comment_count,
        (select count(*) from posts p where
           p.upvote_count <> (select count(*) from votes v where v.item_id = p.item_id and v.value = 1)
           or p.downvote_count <> (select count(*) from votes v where v.item_id = p.item_id and v.value = -1)
           or p.score <> (select coalesce(sum(v.value), 0) from votes v where v.item_id = p.item_id))::int as votes,
        (select count(*) from posts p where p.revision_count <> (select max(r.number) from revisions r where r.item_id = p.item_id))::int as revisions,
        (select count(*) from posts q where q.type = 'question'
           and (select array_agg(x order by x) from unnest(q.tags) x) is distinct from (select array_agg(t.name order by t.name) from question_tags qt join tags t on t.id = qt.tag_id where qt.post_id = q.id))::int as tag_arrays,
        (select count(*) from (
           select s.space_id, s.tag_id, s.question_count, count(p.id) as actual
           from space_tags s left join question_tags qt on qt.tag_id = s.tag_id
             left join posts p on p.id = qt.post_id and p.space_id = s.space_id and p.deleted_at is null
           group by s.space_id, s.tag_id, s.question_count
           having s.question_count <> count(p.id)) x)::int as space_tags,
        (select count(*) from (select distinct p.space_id, qt.tag_id from question_tags qt join posts p on p.id = qt.post_id) used
           where not exists (select 1 from space_tags s where s.space_id = used.space_id and s.tag_id = used.tag_id))::int as missing_space_tags,
        (select count(*) from posts q where q.type = 'question' and q.last_activity_at <
           greatest(q.created_at, (select max(a.created_at) from posts a where a.parent_id = q.id),
             (select max(c.created_at) from comments c join posts p on p.item_id = c.item_id where p.id = q.id or p.parent_id = q.id)))::int as activity,
        (select count(*) from posts q join posts a on a.id = q.accepted_answer_id where a.parent_id <> q.id)::int as foreign_accepts,
        (select count(*) from posts q join posts d on d.id = q.duplicate_of_id where d.created_at >= q.created_at or d.space_id <> q.space_id)::int as bad_duplicates`);
    expect(wrong).toEqual({
      answer_count: 0,
      comment_count: 0,
      votes: 0,
      revisions: 0,
      tag_arrays: 0,
      space_tags: 0,
      missing_space_tags: 0,
      activity: 0,
      foreign_accepts: 0,
      bad_duplicates: 0,
    });
  });

  test("idea campaigns: one per 10,000 questions (at least two), all open spaces but one, one open with a budget", async () => {
    const campaigns = await a.db.execute<{ id: number; visibility: string; vote_budget: number | null; open: boolean; ideas: number; votes: number; comments: number }>(sql`
      select c.id, s.visibility, c.vote_budget, (c.starts_at <= now() and c.ends_at > now() and c.closed_at is null and c.archived_at is null) as open,
        (select count(*) from ideas i where i.campaign_id = c.id)::int as ideas,
        (select count(*) from ${IDEA_VOTES} v where v.campaign_id = c.id)::int as votes,
        (select count(*) from ${IDEA_COMMENTS} m join ideas i on i.id = m.idea_id where i.campaign_id = c.id)::int as comments
      from campaigns c join spaces s on s.id = c.space_id order by c.id`);
    expect(campaigns.length).toBe(campaignCount(QUESTIONS));
    expect(campaigns.length).toBe(result.campaigns);
    expect(campaigns.filter((c) => c.visibility === "restricted").length).toBe(1);
    expect(campaigns.filter((c) => c.vote_budget !== null).length).toBe(1);
    expect(campaigns.filter((c) => c.open).length).toBe(2);
    // The bench votes in an open campaign of an open space without a budget.
    expect(campaigns.some((c) => c.open && c.visibility === "open" && c.vote_budget === null)).toBe(true);
    const sum = (k: "ideas" | "votes" | "comments") => campaigns.reduce((n, c) => n + c[k], 0);
    expect(sum("ideas")).toBe(result.ideas);
    expect(sum("votes")).toBe(result.ideaVotes);
    expect(sum("comments")).toBe(result.ideaComments);
    for (const c of campaigns) {
      expect(c.ideas).toBeGreaterThanOrEqual(20);
      expect(c.votes).toBeGreaterThan(0);
    }
    const statuses = await a.db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from ideas group by status`);
    const share = (status: string) => (statuses.find((r) => r.status === status)?.n ?? 0) / result.ideas;
    // Young campaigns: most ideas still wait for a decision.
    expect(share("submitted") + share("under_review")).toBeGreaterThan(0.5);
    expect(share("implemented")).toBeLessThan(0.1);
    expect(share("merged")).toBeGreaterThan(0);
    expect(share("declined")).toBeGreaterThan(0);
  });

  test("idea counters equal what they count, and trending is what recountVotes computes", async () => {
    const wrong = await one<Record<string, number>>(sql`
      select
        (select count(*) from ideas i where i.vote_count <> (select count(*) from votes v where v.item_id = i.item_id))::int as vote_count,
        (select count(*) from votes v join ideas i on i.item_id = v.item_id where v.value <> 1)::int as vote_value,
        (select count(*) from ideas i where i.comment_count <> (select count(*) from comments m where m.item_id = i.item_id and m.deleted_at is null))::int as comment_count,
        (select count(*) from ${IDEA_COMMENTS} m where (m.deleted_at is null) <> (m.deleted_by_id is null))::int as removed_by,
        (select count(*) from ideas i where i.revision_count <> (select max(r.number) from revisions r where r.item_id = i.item_id))::int as revision_count,
        (select count(*) from ideas i join campaigns c on c.id = i.campaign_id where i.space_id <> c.space_id)::int as idea_space,
        (select count(*) from ${IDEA_COMMENTS} m join ideas i on i.id = m.idea_id where m.space_id <> i.space_id)::int as comment_space,
        (select count(*) from (select distinct campaign_id, user_id from ${IDEA_VOTES} v) v
           where not exists (select 1 from campaign_voters cv where cv.campaign_id = v.campaign_id and cv.user_id = v.user_id))::int as voter_rows`);
    expect(wrong).toEqual({ vote_count: 0, vote_value: 0, comment_count: 0, removed_by: 0, revision_count: 0, idea_space: 0, comment_space: 0, voter_rows: 0 });

    // recountVotes itself, in a transaction rolled back: the stored figures must not move.
    type Counted = { id: number; vote_count: number; trending: number };
    const before: Counted[] = await a.db.execute<Counted>(sql`select id, vote_count, trending from ideas order by id`);
    expect(before.some((i) => i.trending > 0)).toBe(true);
    let after: Counted[] = [];
    await a.db
      .transaction(async (tx) => {
        await recountVotes(
          tx,
          before.map((i) => i.id),
        );
        after = await tx.execute<Counted>(sql`select id, vote_count, trending from ideas order by id`);
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    expect(after.map((i) => i.vote_count)).toEqual(before.map((i) => i.vote_count));
    after.forEach((i, n) => {
      const stored = before[n]!.trending;
      expect(Math.abs(i.trending - stored)).toBeLessThanOrEqual(Math.abs(stored) * 1e-12);
    });
  });

  test("votes: within the budget, never for one's own idea, while the idea and its campaign took them", async () => {
    // votesUsed: votes on the campaign's ideas that are neither declined nor merged.
    const budget = await one<{ budget: number; voters: number; max_used: number }>(sql`
      select c.vote_budget as budget, count(*)::int as voters, max(u.used)::int as max_used
      from campaigns c join (
        select v.campaign_id, v.user_id, count(*) filter (where i.status not in ('declined', 'merged')) as used
        from ${IDEA_VOTES} v join ideas i on i.id = v.idea_id group by v.campaign_id, v.user_id
      ) u on u.campaign_id = c.id
      where c.vote_budget is not null group by c.id`);
    expect(budget.voters).toBeGreaterThan(0);
    expect(budget.max_used).toBeLessThanOrEqual(budget.budget);
    const wrong = await one<Record<string, number>>(sql`
      select
        (select count(*) from ${IDEA_VOTES} v join idea_owners o on o.idea_id = v.idea_id and o.user_id = v.user_id)::int as own,
        (select count(*) from ${IDEA_VOTES} v join ideas i on i.id = v.idea_id where i.status = 'merged')::int as on_merged,
        (select count(*) from ${IDEA_VOTES} v join ideas i on i.id = v.idea_id join campaigns c on c.id = i.campaign_id
           where v.created_at < i.created_at or v.created_at < c.starts_at or v.created_at >= c.ends_at or v.created_at > now())::int as outside_window,
        -- No vote after the idea was implemented, declined or merged.
        (select count(*) from ${IDEA_VOTES} v where exists (select 1 from idea_events e where e.idea_id = v.idea_id and e.kind = 'status'
           and e.to_status in ('implemented', 'declined', 'merged') and e.created_at < v.created_at))::int as after_closing,
        (select count(*) from ideas i join campaigns c on c.id = i.campaign_id
           where i.created_at < c.starts_at or i.created_at >= c.ends_at or i.created_at > now())::int as ideas_outside`);
    expect(wrong).toEqual({ own: 0, on_merged: 0, outside_window: 0, after_closing: 0, ideas_outside: 0 });
  });

  test("ideas: the author owns each, revision 1, a timeline that ends in its status, merges into a live idea of the campaign", async () => {
    const wrong = await one<Record<string, number>>(sql`
      select
        (select count(*) from ideas i where not exists (select 1 from idea_owners o where o.idea_id = i.id and o.user_id = i.author_id and o.state = 'accepted'))::int as author_owner,
        (select count(*) from ideas i where not exists (select 1 from revisions r where r.item_id = i.item_id and r.number = 1 and r.kind = 'create'
           and r.editor_id = i.author_id and r.title = i.title and r.body = i.body and r.category = i.category))::int as revision_1,
        (select count(*) from ideas i where (select count(*) from idea_events e where e.idea_id = i.id and e.kind = 'submitted' and e.actor_id = i.author_id) <> 1)::int as submitted_event,
        -- The last status event says where the idea is and why; without one it is still submitted.
        (select count(*) from ideas i where coalesce((select e.to_status::text from idea_events e where e.idea_id = i.id and e.kind = 'status'
           order by e.created_at desc, e.id desc limit 1), 'submitted') <> i.status::text)::int as last_status,
        (select count(*) from ideas i where i.status_reason <> coalesce((select e.reason from idea_events e where e.idea_id = i.id and e.kind = 'status'
           order by e.created_at desc, e.id desc limit 1), ''))::int as status_reason,
        -- Each status event starts where the one before it ended.
        (select count(*) from idea_events e where e.kind = 'status' and e.from_status is distinct from coalesce((select p.to_status from idea_events p
           where p.idea_id = e.idea_id and p.kind in ('submitted', 'status') and (p.created_at, p.id) < (e.created_at, e.id) order by p.created_at desc, p.id desc limit 1), 'submitted'))::int as chain,
        (select count(*) from idea_events e where e.kind = 'status' and e.to_status = 'declined' and length(e.reason) < 10)::int as declined_without_reason,
        (select count(*) from ideas i where i.status = 'merged' and not exists (select 1 from ideas t where t.id = i.merged_into_id
           and t.campaign_id = i.campaign_id and t.status not in ('merged', 'declined') and t.created_at <= i.created_at))::int as merge_target,
        (select count(*) from ideas i where i.status = 'merged' and not exists (select 1 from idea_events e where e.idea_id = i.merged_into_id
           and e.kind = 'merged_in' and e.other_idea_id = i.id))::int as merged_in_event,
        -- The duplicate's owners are credited on the target, as mergeIdea does.
        (select count(*) from ideas i join idea_owners o on o.idea_id = i.id and o.state = 'accepted' where i.status = 'merged'
           and not exists (select 1 from idea_owners t where t.idea_id = i.merged_into_id and t.user_id = o.user_id and t.state = 'accepted'))::int as merged_owners,
        (select count(*) from ideas i where i.author_id not in (select user_id from follows f where f.item_id = i.item_id))::int as author_follows,
        (select count(*) from idea_events e where e.created_at > now())::int as future_events`);
    expect(wrong).toEqual({
      author_owner: 0,
      revision_1: 0,
      submitted_event: 0,
      last_status: 0,
      status_reason: 0,
      chain: 0,
      declined_without_reason: 0,
      merge_target: 0,
      merged_in_event: 0,
      merged_owners: 0,
      author_follows: 0,
      future_events: 0,
    });
    // Owners hold the milestones their idea stands at, in the same ledger as everything else (checked
    // for drift above), except where the sponsor, who decides every generated step, owns the idea:
    // nobody earns from their own decision (decision 007).
    const credit = await one<{ missing: number; extra: number; self_paid: number }>(sql`
      select
        (select count(*) from ideas i join campaigns c on c.id = i.campaign_id join idea_owners o on o.idea_id = i.id and o.state = 'accepted'
           where i.status in ('accepted', 'in_progress', 'implemented')
             and not exists (select 1 from idea_owners so where so.idea_id = i.id and so.user_id = c.sponsor_id)
             and not exists (select 1 from reputation_events r where r.item_id = i.item_id and r.user_id = o.user_id and r.reason = 'idea_accepted'))::int as missing,
        (select count(*) from ${IDEA_EVENTS} r join ideas i on i.id = r.idea_id join campaigns c on c.id = i.campaign_id
           where r.reason in ('idea_accepted', 'idea_implemented')
             and exists (select 1 from idea_owners so where so.idea_id = i.id and so.user_id = c.sponsor_id and so.merged_from_id is null))::int as self_paid,
        (select count(*) from ${IDEA_EVENTS} r join ideas i on i.id = r.idea_id
           where (r.reason = 'idea_accepted' and i.status not in ('accepted', 'in_progress', 'implemented'))
              or (r.reason = 'idea_implemented' and i.status <> 'implemented'))::int as extra`);
    expect(credit).toEqual({ missing: 0, extra: 0, self_paid: 0 });
  });

  test("restricted campaigns hear only from their space's members", async () => {
    const outsiders = await one<{ n: number }>(sql`
      select count(*)::int as n from (
        select i.space_id, i.author_id as user_id from ideas i union all
        select i.space_id, v.user_id from ${IDEA_VOTES} v join ideas i on i.id = v.idea_id union all
        select i.space_id, o.user_id from idea_owners o join ideas i on i.id = o.idea_id union all
        select m.space_id, m.author_id from ${IDEA_COMMENTS} m union all
        select c.space_id, c.sponsor_id from campaigns c
      ) x join spaces s on s.id = x.space_id
      where s.visibility = 'restricted' and not exists (select 1 from space_members m where m.space_id = x.space_id and m.user_id = x.user_id)`);
    expect(outsiders.n).toBe(0);
    const sponsors = await one<{ n: number }>(sql`
      select count(*)::int as n from campaigns c join users u on u.id = c.sponsor_id
      where u.role not in ('admin', 'moderator') and not exists (select 1 from space_members m where m.space_id = c.space_id and m.user_id = u.id and m.role = 'moderator')`);
    expect(sponsors.n).toBe(0);
  });

  test("reputation equals the ledger: no drift in totals nor per tag", async () => {
    const drift = await recomputeReputation(a.db, { fix: false });
    expect(drift.users).toEqual([]);
    expect(drift.tags).toEqual([]);
    const sums = await one<{ reputation: number; per_tag: number; accepts: number; accepted: number }>(sql`
      select (select sum(reputation) from users)::int as reputation, (select count(*) from user_tag_reputation)::int as per_tag,
        (select count(*) from reputation_events where reason = 'answer_accepted')::int as accepts,
        (select count(*) from posts q join posts a on a.id = q.accepted_answer_id where a.author_id <> q.author_id)::int as accepted`);
    expect(sums.reputation).toBeGreaterThan(0);
    expect(sums.per_tag).toBeGreaterThan(0);
    expect(sums.accepts).toBe(sums.accepted);
    // Every vote has its author's event, of the vote's kind.
    const unmatched = await one<{ n: number }>(sql`
      select count(*)::int as n from ${POST_VOTES} v left join reputation_events e on e.id = v.author_event_id
      where e.id is null or e.item_id <> v.item_id or e.actor_id <> v.user_id
        or (v.value = 1) <> (e.reason in ('question_upvoted', 'answer_upvoted'))`);
    expect(unmatched.n).toBe(0);
  });

  test("the expertise model is built from the generated work: every answer's author has evidence, and the queue is empty", async () => {
    const m = await one<{ queued: number; answerers: number; with_evidence: number; accepted: number }>(sql`
      select (select count(*) from expertise_outbox)::int as queued,
        (select count(distinct a.author_id) from posts a join question_tags qt on qt.post_id = a.parent_id where a.type = 'answer' and a.deleted_at is null)::int as answerers,
        (select count(distinct user_id) from expertise_evidence where kind = 'answer')::int as with_evidence,
        (select count(*) from expertise_evidence where kind = 'accepted_answer')::int as accepted`);
    expect(m.queued).toBe(0);
    expect(m.with_evidence).toBe(m.answerers);
    expect(m.accepted).toBeGreaterThan(0);
  });

  test("nobody votes on their own posts, and restricted spaces hear only from their members", async () => {
    const own = await one<{ n: number }>(sql`select count(*)::int as n from votes v join posts p on p.item_id = v.item_id where v.user_id = p.author_id`);
    expect(own.n).toBe(0);
    const outsiders = await one<{ n: number }>(sql`
      select count(*)::int as n from (
        select p.space_id, p.author_id as user_id from posts p union all
        select p.space_id, v.user_id from votes v join posts p on p.item_id = v.item_id union all
        select c.space_id, c.author_id from ${POST_COMMENTS} c
      ) x join spaces s on s.id = x.space_id
      where s.visibility = 'restricted' and not exists (select 1 from space_members m where m.space_id = x.space_id and m.user_id = x.user_id)`);
    expect(outsiders.n).toBe(0);
  });

  test("the manager hierarchy has no loops, and managers are mostly in the same department", async () => {
    const rows = await a.db.execute<{ id: number; manager_id: number | null; department: string; manager_department: string | null }>(sql`
      select u.id, u.manager_id, u.department, m.department as manager_department from users u left join users m on m.id = u.manager_id`);
    const manager = new Map(rows.map((r) => [r.id, r.manager_id]));
    for (const r of rows) {
      const seen = new Set<number>();
      for (let at: number | null | undefined = r.id; at != null; at = manager.get(at)) {
        expect(seen.has(at)).toBe(false);
        seen.add(at);
      }
    }
    const managed = rows.filter((r) => r.manager_id !== null);
    const same = managed.filter((r) => r.department === r.manager_department).length;
    expect(same / managed.length).toBeGreaterThan(0.75);
  });

  test("questions spread over three years, growing, mostly on weekdays; answers and votes come after their posts", async () => {
    const spread = await one<{ days: number; first_year: number; last_year: number; weekdays: number; early_answers: number; early_votes: number; future: number }>(sql`
      select extract(epoch from max(created_at) - min(created_at))::int / 86400 as days,
        count(*) filter (where created_at < now() - interval '2 years')::int as first_year,
        count(*) filter (where created_at >= now() - interval '1 year')::int as last_year,
        count(*) filter (where extract(isodow from created_at) <= 5)::int as weekdays,
        (select count(*) from posts a join posts q on q.id = a.parent_id where a.created_at < q.created_at)::int as early_answers,
        (select count(*) from votes v join posts p on p.item_id = v.item_id where v.created_at < p.created_at)::int as early_votes,
        (select count(*) from posts where created_at > now() or last_activity_at > now())::int as future
      from posts where type = 'question'`);
    expect(spread.days).toBeGreaterThan(900);
    expect(spread.days).toBeLessThanOrEqual(3 * 365);
    expect(spread.last_year).toBeGreaterThan(spread.first_year * 1.5);
    expect(spread.weekdays / QUESTIONS).toBeGreaterThan(0.85);
    expect(spread).toMatchObject({ early_answers: 0, early_votes: 0, future: 0 });
  });

  test("tags follow a Zipf-like distribution", async () => {
    const rows = await a.db.execute<{ n: number }>(sql`
      select count(qt.post_id)::int as n from tags t left join question_tags qt on qt.tag_id = t.id group by t.id order by n desc`);
    const counts = rows.map((r) => r.n);
    expect(counts[0]!).toBeGreaterThan(5 * counts[Math.floor(counts.length / 2)]!);
  });

  test("the same seed gives identical content and ids", async () => {
    const fingerprint = async (db: typeof a.db) => {
      const rows = await db.execute<{ t: string; h: string }>(sql`
        select 'users' as t, md5(string_agg(concat_ws('|', id, email, name, title, department, location, manager_id, role, kind, reputation), E'\n' order by id)) as h from users
        union all select 'spaces', md5(string_agg(concat_ws('|', id, slug, name, visibility), E'\n' order by id)) from spaces
        union all select 'space_members', md5(string_agg(concat_ws('|', space_id, user_id, role), E'\n' order by space_id, user_id)) from space_members
        union all select 'tags', md5(string_agg(concat_ws('|', id, name, description, description_html), E'\n' order by id)) from tags
        union all select 'items', md5(string_agg(concat_ws('|', id, kind, space_id), E'\n' order by id)) from items
        union all select 'posts', md5(string_agg(concat_ws('|', id, item_id, type, space_id, parent_id, author_id, title, body, body_html, tags::text, score,
          upvote_count, downvote_count, answer_count, comment_count, accepted_answer_id, view_count, closed_by_id, close_reason, duplicate_of_id,
          last_editor_id, revision_count), E'\n' order by id)) from posts
        union all select 'question_tags', md5(string_agg(concat_ws('|', post_id, tag_id), E'\n' order by post_id, tag_id)) from question_tags
        union all select 'votes', md5(string_agg(concat_ws('|', item_id, user_id, value, author_event_id, voter_event_id), E'\n' order by item_id, user_id)) from votes
        union all select 'comments', md5(string_agg(concat_ws('|', id, item_id, space_id, author_id, body, body_html, deleted_at is null, deleted_by_id), E'\n' order by id)) from comments
        union all select 'reputation_events', md5(string_agg(concat_ws('|', id, user_id, delta, reason, actor_id, item_id, space_id, tag_ids::text), E'\n' order by id)) from reputation_events
        union all select 'revisions', md5(string_agg(concat_ws('|', id, item_id, number, kind, editor_id, title, body, tags::text, category, comment), E'\n' order by id)) from revisions
        union all select 'notifications', md5(string_agg(concat_ws('|', id, user_id, kind, actor_id, item_id, subject_item_id, comment_id, read_at is null), E'\n' order by id)) from notifications
        union all select 'follows', md5(string_agg(concat_ws('|', user_id, item_id, tag_id), E'\n' order by user_id, item_id, tag_id)) from follows
        union all select 'campaigns', md5(string_agg(concat_ws('|', id, space_id, sponsor_id, title, brief, brief_html, categories::text, vote_budget), E'\n' order by id)) from campaigns
        union all select 'ideas', md5(string_agg(concat_ws('|', id, item_id, campaign_id, author_id, title, body, body_html, category, tags::text, status, status_reason,
          merged_into_id, vote_count, comment_count), E'\n' order by id)) from ideas
        union all select 'idea_owners', md5(string_agg(concat_ws('|', idea_id, user_id, state, invited_by_id, merged_from_id), E'\n' order by idea_id, user_id)) from idea_owners
        union all select 'idea_events', md5(string_agg(concat_ws('|', id, idea_id, kind, actor_id, from_status, to_status, reason, other_idea_id), E'\n' order by id)) from idea_events
`);
      return Object.fromEntries(rows.map((r) => [r.t, r.h]));
    };
    // Times (and so trending, a sum over vote times) are relative to the moment of generation: left out.
    const first = await fingerprint(a.db);
    expect(Object.values(first).every(Boolean)).toBe(true);
    expect(await fingerprint(b.db)).toEqual(first);
  });

  test("generated HTML is what the markdown module renders for the same markdown", async () => {
    const posts = await a.db.execute<{ body: string; body_html: string }>(sql`select body, body_html from posts order by id limit 400`);
    const comments = await a.db.execute<{ body: string; body_html: string }>(sql`select body, body_html from comments order by id limit 100`);
    const tags = await a.db.execute<{ body: string; body_html: string }>(sql`select description as body, description_html as body_html from tags where description <> ''`);
    const ideas = await a.db.execute<{ body: string; body_html: string }>(sql`
      select body, body_html from ideas union all select body, body_html from ${IDEA_COMMENTS} m union all select brief, brief_html from campaigns`);
    expect(ideas.length).toBeGreaterThan(0);
    const sample = [...posts, ...comments, ...tags, ...ideas];
    expect(sample.some((p) => p.body.includes("```"))).toBe(true);
    expect(sample.some((p) => p.body.includes("\n- "))).toBe(true);
    for (const p of sample) expect(p.body_html).toBe(renderMarkdown(p.body));
  });

  test("generated employees sign in with the demo password", async () => {
    const rows = await a.db.execute<{ password_hash: string; kind: string; role: string }>(sql`select password_hash, kind, role from users where email = ${result.signInEmail}`);
    expect(rows[0]).toMatchObject({ kind: "employee", role: "member" });
    expect(await verifyPassword(rows[0]!.password_hash, DEMO_PASSWORD)).toBe(true);
    const visible = await one<{ spaces: number; seen: number }>(sql`
      select (select count(*) from spaces)::int as spaces,
        (select count(*) from spaces s where s.visibility = 'open'
           or exists (select 1 from space_members m join users u on u.id = m.user_id where m.space_id = s.id and u.email = ${result.signInEmail}))::int as seen`);
    expect(visible.seen).toBeGreaterThan(visible.spaces / 2);
  });

  test("a database that already has a company is refused", async () => {
    expect(await thrown(generateCompany(a.url, { questions: 10 }))).toBeInstanceOf(NotEmptyError);
    const run = promisify(execFile);
    const error = (await thrown(run("npx", ["tsx", "db/generate/cli.ts", "--questions", "10"], { env: { ...process.env, DATABASE_URL: a.url }, timeout: 60_000 }))) as {
      code: number;
      stderr: string;
    };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain("already has");
    expect(error.stderr).toContain("--reset");
    const after = await one<{ n: number }>(sql`select count(*)::int as n from posts where type = 'question'`);
    expect(after.n).toBe(QUESTIONS);
  }, 60_000);

  test("--reset empties the database, says so, and generates anew", async () => {
    const run = promisify(execFile);
    // Meilisearch at a closed port: the reindex fails, is reported, and the command still succeeds.
    const { stdout, stderr } = await run("npx", ["tsx", "db/generate/cli.ts", "--questions", "20", "--seed", "3", "--reset"], {
      env: { ...process.env, DATABASE_URL: b.url, MEILI_URL: `http://127.0.0.1:${await closedPort()}`, MEILI_MASTER_KEY: "unreachable-meilisearch-key" },
      timeout: 90_000,
    });
    expect(stderr).toContain("reset: emptying");
    expect(stderr).toContain("search: the reindex failed");
    expect(stdout).toContain("20 questions");
    const rows = await b.db.execute<{ questions: number; people: number }>(
      sql`select (select count(*) from posts where type = 'question')::int as questions, (select count(*) from users where kind = 'employee')::int as people`,
    );
    expect(rows[0]).toEqual({ questions: 20, people: 50 });
  }, 90_000);

  test("recognition: a year of kudos within the allowance rules, balances equal to the ledger, a catalogue with redemptions, a finished award round", async () => {
    const c = await one<Record<string, number>>(sql`
      select
        (select count(*) from kudos)::int as kudos,
        (select count(*) from kudos where subject_item_id is not null)::int as on_items,
        (select count(*) from kudos where private)::int as private,
        (select count(*) from kudos k join kudos_receivers r on r.kudos_id = k.id where r.user_id = k.giver_id)::int as self,
        (select count(*) from kudos where created_at < now() - interval '366 days')::int as too_old,
        (select count(*) from kudos_allowance_periods where spent > granted)::int as overspent,
        (select count(*) from kudos_balances b where b.earned < 0 or b.earned <> (select sum(points) from kudos_ledger l where l.user_id = b.user_id and l.account = 'earned'))::int as drift,
        (select count(*) from kudos_allowance_periods p
           where (select sum(points) from kudos_ledger l where l.user_id = p.user_id and l.period = p.period and l.account = 'allowance')
             <> case when p.lapsed_at is null then p.granted - p.spent else 0 end)::int as period_drift,
        (select count(*) from kudos k join spaces s on s.id = k.space_id join kudos_receivers r on r.kudos_id = k.id join users u on u.id = r.user_id
           where s.visibility = 'restricted' and not exists (select 1 from space_members m where m.space_id = s.id and m.user_id = u.id))::int as unseen,
        (select count(*) from kudos k join items i on i.id = k.item_id where i.kind <> 'kudos' or i.space_id <> k.space_id)::int as item_mismatch,
        (select count(*) from reward_redemptions)::int as redemptions,
        (select count(*) from award_rounds where announced_at is not null)::int as rounds,
        (select count(*) from award_ballots)::int as ballots,
        (select coalesce(sum(votes), 0) from award_tallies)::int as votes,
        (select count(*) from spaces where company_wide)::int as company,
        (select count(*) from badge_awards)::int as awards`);
    expect(c.kudos).toBeGreaterThanOrEqual(150);
    expect(c.on_items).toBeGreaterThan(0);
    expect(c.private).toBeGreaterThan(0);
    expect(c.redemptions).toBeGreaterThan(0);
    expect(c.ballots).toBeGreaterThan(0);
    expect(c.votes).toBe(c.ballots);
    expect(c).toMatchObject({ self: 0, too_old: 0, overspent: 0, drift: 0, period_drift: 0, unseen: 0, item_mismatch: 0, rounds: 1, company: 1 });
    expect(result.kudos).toBe(c.kudos);
    // The badge job ran over the generated company.
    expect(c.awards).toBeGreaterThan(0);
    expect(result.badges).toBe(c.awards);
  });

  test("the audit log holds what the app would have logged: one entry per role, restricted membership, removal, idea decision, award step, reward and approval", async () => {
    const counts = Object.fromEntries((await a.db.execute<{ action: string; n: number }>(sql`select action, count(*)::int as n from audit_log group by action`)).map((r) => [r.action, r.n]));
    expect(counts).toEqual(result.auditEntries);
    const expected = await one<Record<string, number>>(sql`
      select
        (select count(*) from users where kind = 'employee' and role <> 'member')::int as "user.role_changed",
        (select count(*) from space_members m join spaces s on s.id = m.space_id where s.visibility = 'restricted')::int as "space.member_added",
        ((select count(*) from comments where deleted_at is not null) + (select count(*) from posts where deleted_at is not null))::int as "content.deleted",
        (select count(*) from idea_events where kind = 'status')::int as "idea.status_changed",
        (select count(*) from award_rounds)::int as "award.round_created",
        (select count(*) from award_rounds where announced_at is not null)::int as "award.round_closed",
        (select count(*) from reward_redemptions where approved_at is not null)::int as "reward.approved",
        (select 2 * count(*) from publications where status = 'published')::int as "publication.approved"`);
    for (const [action, n] of Object.entries(expected)) expect(n, action).toBeGreaterThan(0);
    expect(counts).toMatchObject(expected);
    expect(Object.keys(counts).filter((action) => !(action in AUDIT_ACTIONS))).toEqual([]);

    const wrong = await one<Record<string, number>>(sql`
      select
        (select count(*) from audit_log l where l.actor_id is not null and not exists (select 1 from users u where u.id = l.actor_id and u.kind = 'employee'))::int as "unknownActors",
        (select count(*) from audit_log l where l.subject_user_id is not null and not exists (select 1 from users u where u.id = l.subject_user_id))::int as "unknownSubjects",
        (select count(*) from audit_log where actor_id is null and via <> 'system')::int as "nobody",
        (select count(*) from audit_log where at > now())::int as future,
        (select count(*) from (select at < lag(at) over (order by id) as back from audit_log) x where back)::int as "outOfOrder",
        (select count(*) from audit_log l where l.action = 'user.role_changed' and l.actor_id is not null
           and not exists (select 1 from users u where u.id = l.actor_id and u.role = 'admin'))::int as "rolesNotByAdmins",
        (select count(*) from audit_log l join ideas d on d.item_id::text = l.target_id
           where l.action = 'idea.status_changed' and (l.target_type <> 'idea' or l.subject_user_id <> d.author_id or l.space_id <> d.space_id or not l.details ? 'to'))::int as "ideaShape",
        (select count(*) from audit_log l where l.action = 'content.deleted'
           and not exists (select 1 from comments c where l.target_type = 'comment' and c.id::text = l.target_id and c.author_id = l.subject_user_id and c.deleted_by_id = l.actor_id)
           and not exists (select 1 from posts p where l.target_type = p.type::text and p.item_id::text = l.target_id))::int as "deletionShape"`);
    expect(wrong).toEqual({ unknownActors: 0, unknownSubjects: 0, nobody: 0, future: 0, outOfOrder: 0, rolesNotByAdmins: 0, ideaShape: 0, deletionShape: 0 });

    // Admin → Audit log reads them as the app's own: a first page of 50, idea entries linked to their ideas.
    const [admin] = await a.db.execute<{ id: number }>(sql`select id from users where role = 'admin' and kind = 'employee' order by id limit 1`);
    type AuditPage = { page: { rows: Array<{ action: string; label: string; actor: { name: string }; target: { label: string; url: string | null } | null }>; olderThan: number | null } };
    const read = async (query: string) => (await routeCaller(a)(auditLoader, await requestAs(a.db, admin!, `/admin/audit${query}`))) as unknown as AuditPage;
    const first = await read("");
    expect(first.page.rows).toHaveLength(50);
    expect(first.page.olderThan).not.toBeNull();
    expect(first.page.rows.every((r) => r.label === AUDIT_ACTIONS[r.action as keyof typeof AUDIT_ACTIONS] && r.actor.name)).toBe(true);
    const decisions = await read("?action=idea.status_changed");
    expect(decisions.page.rows.length).toBeGreaterThan(0);
    expect(decisions.page.rows.every((r) => r.target?.label.startsWith("Idea: ") && r.target.url)).toBe(true);
  });
});

import { and, count, eq, isNull, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, test } from "vitest";
import { comments, notifications, postRevisions, posts, reputationEvents, spaceMembers, spaces, tags, users } from "#db/schema/index.ts";
import { seedDemo, type SeedResult } from "#db/seed.ts";
import { QUESTIONS, TAG_DESCRIPTIONS } from "#db/seed-content.ts";
import { setupTestDb } from "#tests/db.ts";

const t = setupTestDb();
let result: SeedResult;

beforeAll(async () => {
  result = await seedDemo(t.db);
});

describe("the demo seed", () => {
  test("creates the people, the spaces and the Q&A the content file describes", async () => {
    const answers = QUESTIONS.reduce((n, q) => n + (q.answers?.length ?? 0), 0);
    const commentCount = QUESTIONS.reduce((n, q) => n + (q.comments?.length ?? 0) + (q.answers ?? []).reduce((m, a) => m + (a.comments?.length ?? 0), 0), 0);
    const accepted = QUESTIONS.filter((q) => q.answers?.some((a) => a.accepted)).length;
    expect(result).toMatchObject({ users: 40, spaces: 5, questions: QUESTIONS.length, answers, comments: commentCount, accepted });
    const [q] = await t.db.select({ n: count() }).from(posts).where(eq(posts.type, "question"));
    const [a] = await t.db.select({ n: count() }).from(posts).where(eq(posts.type, "answer"));
    const [c] = await t.db.select({ n: count() }).from(comments);
    expect([q!.n, a!.n, c!.n]).toEqual([QUESTIONS.length, answers, commentCount]);
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(40);
    // Every space has questions, and some questions are still waiting for an answer.
    const perSpace = await t.db.execute<{ slug: string; n: number }>(sql`
      select s.slug, count(p.id)::int as n from spaces s left join posts p on p.space_id = s.id and p.type = 'question' group by s.slug`);
    expect(perSpace.every((r) => r.n >= 4)).toBe(true);
    const [unanswered] = await t.db.select({ n: count() }).from(posts).where(and(eq(posts.type, "question"), eq(posts.answerCount, 0)));
    expect(unanswered!.n).toBeGreaterThan(0);
  });

  test("counters agree with the rows, and about 60% of answered questions have an accepted answer", async () => {
    const drift = await t.db.execute(sql`
      select q.id from posts q where q.type = 'question' and (
        q.answer_count <> (select count(*) from posts a where a.parent_id = q.id)
        or q.comment_count <> (select count(*) from comments c where c.post_id = q.id)
        or q.score <> (select coalesce(sum(v.value), 0) from post_votes v where v.post_id = q.id))`);
    expect(drift).toHaveLength(0);
    const [answered] = await t.db.select({ n: count() }).from(posts).where(and(eq(posts.type, "question"), sql`${posts.answerCount} > 0`));
    const [withAccepted] = await t.db.select({ n: count() }).from(posts).where(sql`${posts.acceptedAnswerId} is not null`);
    expect(withAccepted!.n / answered!.n).toBeGreaterThan(0.5);
    expect(withAccepted!.n / answered!.n).toBeLessThan(0.9);
  });

  test("nobody wrote in a restricted space they cannot see", async () => {
    const outsiders = await t.db.execute(sql`
      select x.kind, x.id from (
        select 'post' as kind, p.id, p.author_id, p.space_id from posts p
        union all select 'comment', c.id, c.author_id, c.space_id from comments c
        union all select 'vote', v.post_id, v.user_id, p.space_id from post_votes v join posts p on p.id = v.post_id
      ) x
      join spaces s on s.id = x.space_id
      join users u on u.id = x.author_id
      where s.visibility = 'restricted' and u.role <> 'admin'
        and not exists (select 1 from ${spaceMembers} m where m.space_id = s.id and m.user_id = u.id)`);
    expect(outsiders).toEqual([]);
    const restrictedQuestions = await t.db
      .select({ id: posts.id })
      .from(posts)
      .innerJoin(spaces, eq(spaces.id, posts.spaceId))
      .where(and(eq(spaces.visibility, "restricted"), eq(posts.type, "question")));
    expect(restrictedQuestions.length).toBeGreaterThan(5);
    // Nobody outside a restricted space was notified about it.
    const leaked = await t.db.execute(sql`
      select n.id from notifications n join spaces s on s.id = n.space_id join users u on u.id = n.user_id
      where s.visibility = 'restricted' and u.role <> 'admin'
        and not exists (select 1 from space_members m where m.space_id = s.id and m.user_id = u.id)`);
    expect(leaked).toEqual([]);
  });

  test("every post, comment and tag description has rendered HTML", async () => {
    const all = await t.db.select({ bodyHtml: posts.bodyHtml }).from(posts);
    expect(all.every((p) => p.bodyHtml.trim().length > 0)).toBe(true);
    const allComments = await t.db.select({ bodyHtml: comments.bodyHtml }).from(comments);
    expect(allComments.every((c) => c.bodyHtml.trim().length > 0)).toBe(true);
    // Code blocks and lists made it through the markdown module.
    expect(all.some((p) => p.bodyHtml.includes('<code class="language-sql">'))).toBe(true);
    expect(all.some((p) => p.bodyHtml.includes("<table>"))).toBe(true);
    const described = await t.db.select().from(tags).where(sql`${tags.description} <> ''`);
    expect(described.map((d) => d.name).sort()).toEqual(Object.keys(TAG_DESCRIPTIONS).sort());
    for (const tag of described) expect(new JSDOM(tag.descriptionHtml).window.document.body.textContent!.trim().length).toBeGreaterThan(10);
    const [tagCount] = await t.db.select({ n: count() }).from(tags);
    expect(tagCount!.n).toBeGreaterThanOrEqual(25);
  });

  test("dates are spread over about six months, and the newest is a few hours old", async () => {
    const [span] = await t.db.execute<{ oldest: number; newest: number; future: number; undated: number }>(sql`
      select extract(epoch from now() - min(created_at)) / 86400 as oldest,
             extract(epoch from now() - max(created_at)) / 3600 as newest,
             count(*) filter (where created_at > now()) ::int as future,
             count(*) filter (where created_at = now()) ::int as undated
      from posts where type = 'question'`);
    expect(Number(span!.oldest)).toBeGreaterThan(150);
    expect(Number(span!.oldest)).toBeLessThan(200);
    expect(Number(span!.newest)).toBeLessThan(12);
    expect([span!.future, span!.undated]).toEqual([0, 0]);
    // Nothing the seed wrote is left dated at the moment of seeding.
    for (const table of [posts, comments, postRevisions, reputationEvents, notifications]) {
      const [row] = await t.db.select({ n: count() }).from(table).where(sql`${table.createdAt} >= now() - interval '5 minutes'`);
      expect(row!.n).toBe(0);
    }
    // Answers come after their question; last activity is never before the question.
    const [bad] = await t.db.execute<{ n: number }>(sql`
      select count(*)::int as n from posts a join posts q on q.id = a.parent_id
      where a.created_at < q.created_at or q.last_activity_at < q.created_at`);
    expect(bad!.n).toBe(0);
  });

  test("reputation is ledger data: totals equal the sum of events, and history spans months", async () => {
    const drift = await t.db.execute(sql`
      select u.id from users u
      where u.reputation <> coalesce((select sum(e.delta) from reputation_events e where e.user_id = u.id), 0)`);
    expect(drift).toEqual([]);
    const [top] = await t.db.select({ reputation: users.reputation }).from(users).orderBy(sql`${users.reputation} desc`).limit(1);
    expect(top!.reputation).toBeGreaterThan(100);
    const months = await t.db.execute(sql`select distinct date_trunc('month', created_at) from reputation_events`);
    expect(months.length).toBeGreaterThanOrEqual(5);
    const [downvotes] = await t.db.select({ n: count() }).from(reputationEvents).where(eq(reputationEvents.reason, "post_downvoted"));
    expect(downvotes!.n).toBeGreaterThan(0);
    // Older notifications have been read; the recent ones wait in the inbox.
    const [unread] = await t.db.select({ n: count() }).from(notifications).where(isNull(notifications.readAt));
    const [all] = await t.db.select({ n: count() }).from(notifications);
    expect(unread!.n).toBeGreaterThan(0);
    expect(unread!.n).toBeLessThan(all!.n);
  });
});

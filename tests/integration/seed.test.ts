import { and, count, eq, isNull, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, test } from "vitest";
import {
  campaigns,
  comments,
  follows,
  forumAccounts,
  ideaEvents,
  ideaOwners,
  ideaScores,
  ideas,
  items,
  notifications,
  posts,
  reputationEvents,
  revisions,
  spaceMembers,
  spaces,
  tags,
  users,
  votes,
} from "#db/schema/index.ts";
import { seedDemo, type SeedResult } from "#db/seed.ts";
import { QUESTIONS, TAG_DESCRIPTIONS } from "#db/seed-content.ts";
import { ASK_HR_QUESTIONS } from "#db/seed-ask-hr.ts";
import { CAMPAIGNS } from "#db/seed-ideas.ts";
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, DEMO_SIGN_INS } from "#db/seed-info.ts";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { campaignPhase } from "#app/features/ideas/access.server.ts";
import { IDEA_STATUSES, REASON_MIN } from "#app/features/ideas/schemas.ts";
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
    expect(result).toMatchObject({ users: 40, spaces: 7, questions: QUESTIONS.length, answers, comments: commentCount, accepted });
    const [q] = await t.db.select({ n: count() }).from(posts).where(eq(posts.type, "question"));
    const [a] = await t.db.select({ n: count() }).from(posts).where(eq(posts.type, "answer"));
    const [c] = await t.db.select({ n: count() }).from(comments).innerJoin(posts, eq(posts.itemId, comments.itemId));
    // Beside the content file's Q&A, the anonymous questions of "Ask HR" (db/seed-ask-hr.ts), one answer each.
    expect([q!.n, a!.n, c!.n]).toEqual([QUESTIONS.length + ASK_HR_QUESTIONS.length, answers + ASK_HR_QUESTIONS.length, commentCount]);
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(40);
    // Every space has questions (but the company space, which holds company-wide recognition), and some questions are still waiting for an answer.
    const perSpace = await t.db.execute<{ slug: string; n: number }>(sql`
      select s.slug, count(p.id)::int as n from spaces s left join posts p on p.space_id = s.id and p.type = 'question' where not s.company_wide group by s.slug`);
    expect(perSpace.every((r) => r.n >= 4)).toBe(true);
    const [unanswered] = await t.db
      .select({ n: count() })
      .from(posts)
      .where(and(eq(posts.type, "question"), eq(posts.answerCount, 0)));
    expect(unanswered!.n).toBeGreaterThan(0);
  });

  test("counters agree with the rows, and about 60% of answered questions have an accepted answer", async () => {
    const drift = await t.db.execute(sql`
      select q.id from posts q where q.type = 'question' and (
        q.answer_count <> (select count(*) from posts a where a.parent_id = q.id)
        or q.comment_count <> (select count(*) from comments c where c.item_id = q.item_id)
        or q.score <> (select coalesce(sum(v.value), 0) from votes v where v.item_id = q.item_id))`);
    expect(drift).toHaveLength(0);
    const [answered] = await t.db
      .select({ n: count() })
      .from(posts)
      .where(and(eq(posts.type, "question"), sql`${posts.answerCount} > 0`));
    const [withAccepted] = await t.db
      .select({ n: count() })
      .from(posts)
      .where(sql`${posts.acceptedAnswerId} is not null`);
    expect(withAccepted!.n / answered!.n).toBeGreaterThan(0.5);
    expect(withAccepted!.n / answered!.n).toBeLessThan(0.9);
  });

  test("nobody wrote in a restricted space they cannot see", async () => {
    const outsiders = await t.db.execute(sql`
      select x.kind, x.id from (
        select 'post' as kind, p.id, p.author_id, p.space_id from posts p
        union all select 'comment', c.id, c.author_id, c.space_id from comments c
        union all select 'vote', p.id, v.user_id, p.space_id from votes v join posts p on p.item_id = v.item_id
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
    const described = await t.db
      .select()
      .from(tags)
      .where(sql`${tags.description} <> ''`);
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
    for (const table of [items, posts, comments, revisions, votes, follows, reputationEvents, notifications]) {
      const [row] = await t.db
        .select({ n: count() })
        .from(table)
        .where(sql`${table.createdAt} >= now() - interval '5 minutes'`);
      expect(row!.n, String(table[Symbol.for("drizzle:Name") as unknown as keyof typeof table])).toBe(0);
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
    const [top] = await t.db
      .select({ reputation: users.reputation })
      .from(users)
      .orderBy(sql`${users.reputation} desc`)
      .limit(1);
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

describe("the demo idea campaigns", () => {
  test("two campaigns open now, as the content file describes, with ideas in every status", async () => {
    const seeded = await t.db.select().from(campaigns);
    expect(seeded.map((c) => c.title).sort()).toEqual(CAMPAIGNS.map((c) => c.title).sort());
    expect(CAMPAIGNS).toHaveLength(2);
    expect(result).toMatchObject({ campaigns: 2, ideas: CAMPAIGNS.reduce((n, c) => n + c.ideas.length, 0) });
    for (const campaign of seeded) {
      const content = CAMPAIGNS.find((c) => c.title === campaign.title)!;
      expect(campaignPhase(campaign, new Date()), campaign.title).toBe("open");
      expect(campaign.voteBudget).toBe(content.voteBudget);
      const [row] = await t.db.select({ n: count() }).from(ideas).where(eq(ideas.campaignId, campaign.id));
      expect(row!.n).toBeGreaterThanOrEqual(8);
      expect(row!.n).toBeLessThanOrEqual(12);
    }
    // One campaign has a budget and the other has none.
    expect(seeded.map((c) => c.voteBudget === null).sort()).toEqual([false, true]);
    const statuses = await t.db.selectDistinct({ status: ideas.status }).from(ideas);
    expect(statuses.map((s) => s.status).sort()).toEqual([...IDEA_STATUSES].sort());
    // Markdown made it through: every idea has HTML, some of them lists.
    const bodies = await t.db.select({ bodyHtml: ideas.bodyHtml }).from(ideas);
    expect(bodies.every((b) => b.bodyHtml.includes("<p>"))).toBe(true);
    expect(bodies.filter((b) => /<[ou]l>/.test(b.bodyHtml)).length).toBeGreaterThanOrEqual(3);
    const [commentCount] = await t.db.select({ n: count() }).from(comments).innerJoin(ideas, eq(ideas.itemId, comments.itemId));
    const [scoreCount] = await t.db.select({ n: count() }).from(ideaScores);
    expect(commentCount!.n).toBeGreaterThanOrEqual(5);
    expect(scoreCount!.n).toBeGreaterThan(0);
  });

  test("vote counts equal the votes; nobody is over a budget or votes for their own idea; many people voted", async () => {
    const drift = await t.db.execute(sql`
      select i.id from ideas i where i.vote_count <> (select count(*) from votes v where v.item_id = i.item_id)`);
    expect(drift).toEqual([]);
    const [total] = await t.db.select({ n: count() }).from(votes).innerJoin(ideas, eq(ideas.itemId, votes.itemId));
    expect(result.ideaVotes).toBe(total!.n);
    // The budget counts votes on ideas still holding them: declined and merged ideas give theirs back.
    const over = await t.db.execute(sql`
      select i.campaign_id, v.user_id from votes v
      join ideas i on i.item_id = v.item_id join campaigns c on c.id = i.campaign_id
      where c.vote_budget is not null and i.status not in ('declined', 'merged')
      group by i.campaign_id, v.user_id, c.vote_budget having count(*) > c.vote_budget`);
    expect(over).toEqual([]);
    // Support only: an idea's votes are all +1.
    const notSupport = await t.db.execute(sql`select i.id from votes v join ideas i on i.item_id = v.item_id where v.value <> 1`);
    expect(notSupport).toEqual([]);
    const ownVotes = await t.db.execute(sql`
      select i.id from votes v join ideas i on i.item_id = v.item_id join idea_owners o on o.idea_id = i.id and o.user_id = v.user_id and o.state = 'accepted'`);
    expect(ownVotes).toEqual([]);
    const [voters] = await t.db.execute<{ n: number }>(sql`select count(distinct v.user_id)::int as n from votes v join ideas i on i.item_id = v.item_id`);
    expect(voters!.n).toBeGreaterThanOrEqual(30);
  });

  test("decisions are on the ideas' timelines with their reasons; the declined ones say why, the duplicate points to its idea", async () => {
    // Each idea's status and its time are those of the last step on its timeline.
    const offTimeline = await t.db.execute(sql`
      select i.id from ideas i
      join lateral (select e.to_status, e.created_at, e.reason from idea_events e
                    where e.idea_id = i.id and e.kind in ('submitted', 'status') order by e.created_at desc, e.id desc limit 1) last on true
      where last.to_status <> i.status or last.created_at <> i.status_changed_at or last.reason <> i.status_reason`);
    expect(offTimeline).toEqual([]);

    const declined = await t.db.select().from(ideas).where(eq(ideas.status, "declined"));
    expect(declined.length).toBeGreaterThan(0);
    for (const idea of declined) expect(idea.statusReason.length, idea.title).toBeGreaterThanOrEqual(Math.max(REASON_MIN, 100));
    const implemented = await t.db.select().from(ideas).where(eq(ideas.status, "implemented"));
    expect(implemented.length).toBeGreaterThan(0);
    for (const idea of implemented) expect(idea.statusReason.length, idea.title).toBeGreaterThan(50);

    const merged = await t.db.select().from(ideas).where(eq(ideas.status, "merged"));
    expect(merged.length).toBeGreaterThan(0);
    for (const duplicate of merged) {
      const [target] = await t.db.select().from(ideas).where(eq(ideas.id, duplicate.mergedIntoId!));
      expect(target!.campaignId).toBe(duplicate.campaignId);
      expect(target!.status).not.toBe("merged");
      expect(target!.createdAt.getTime()).toBeLessThan(duplicate.createdAt.getTime());
      const [event] = await t.db
        .select()
        .from(ideaEvents)
        .where(and(eq(ideaEvents.ideaId, target!.id), eq(ideaEvents.kind, "merged_in"), eq(ideaEvents.otherIdeaId, duplicate.id)));
      expect(event).toBeDefined();
      // Its author is credited on the idea it went into.
      const [owner] = await t.db
        .select()
        .from(ideaOwners)
        .where(and(eq(ideaOwners.ideaId, target!.id), eq(ideaOwners.userId, duplicate.authorId)));
      expect(owner).toMatchObject({ state: "accepted", mergedFromId: duplicate.id });
    }
  });

  test("an implemented idea credits a demo sign-in person in an open space, with reputation; a co-owner accepted an invitation", async () => {
    const owners = await t.db
      .select({ userId: users.id, email: users.email, ideaId: ideas.id, visibility: spaces.visibility })
      .from(ideaOwners)
      .innerJoin(ideas, eq(ideas.id, ideaOwners.ideaId))
      .innerJoin(users, eq(users.id, ideaOwners.userId))
      .innerJoin(spaces, eq(spaces.id, ideas.spaceId))
      .where(and(eq(ideas.status, "implemented"), eq(ideaOwners.state, "accepted")));
    const signIns: string[] = DEMO_SIGN_INS.map((s) => s.email);
    expect(owners.some((o) => signIns.includes(o.email) && o.visibility === "open")).toBe(true);
    for (const owner of owners) {
      const held = await t.db
        .select({ reason: reputationEvents.reason })
        .from(reputationEvents)
        .innerJoin(ideas, eq(ideas.itemId, reputationEvents.itemId))
        .where(and(eq(reputationEvents.userId, owner.userId), eq(ideas.id, owner.ideaId)));
      expect(held.map((e) => e.reason).sort(), owner.email).toEqual(["idea_accepted", "idea_implemented"]);
    }
    const invited = await t.db.execute(sql`
      select o.idea_id from idea_owners o join ideas i on i.id = o.idea_id
      where o.state = 'accepted' and o.user_id <> i.author_id and o.merged_from_id is null`);
    expect(invited.length).toBeGreaterThan(0);
  });

  test("timelines hold together: ideas within their campaign, nothing before its idea, nothing at the moment of seeding", async () => {
    const [before] = await t.db.execute<Record<string, number>>(sql`
      select
        (select count(*) from ideas i join campaigns c on c.id = i.campaign_id where i.created_at < c.starts_at or c.created_at > c.starts_at)::int as ideas,
        (select count(*) from idea_events e join ideas i on i.id = e.idea_id where e.created_at < i.created_at)::int as events,
        (select count(*) from votes v join ideas i on i.item_id = v.item_id where v.created_at < i.created_at)::int as votes,
        (select count(*) from comments m join ideas i on i.item_id = m.item_id where m.created_at < i.created_at)::int as comments,
        (select count(*) from idea_owners o join ideas i on i.id = o.idea_id where o.created_at < i.created_at)::int as owners,
        (select count(*) from idea_scores s join ideas i on i.id = s.idea_id where s.created_at < i.created_at)::int as scores,
        (select count(*) from notifications n join ideas i on i.item_id = n.item_id where n.created_at < i.created_at)::int as notifications,
        (select count(*) from reputation_events r join ideas i on i.item_id = r.item_id where r.created_at < i.created_at)::int as reputation,
        -- Votes were cast while the idea took them.
        (select count(*) from votes v join ideas i on i.item_id = v.item_id
          where i.status in ('implemented', 'declined') and v.created_at > i.status_changed_at)::int as late_votes`);
    expect(before).toEqual({ ideas: 0, events: 0, votes: 0, comments: 0, owners: 0, scores: 0, notifications: 0, reputation: 0, late_votes: 0 });
    for (const table of [campaigns, ideas, ideaEvents, ideaOwners, ideaScores]) {
      const [row] = await t.db
        .select({ n: count() })
        .from(table)
        .where(sql`${table.createdAt} >= now() - interval '5 minutes'`);
      expect(row!.n).toBe(0);
    }
    // Recent activity still waits in someone's inbox.
    const [unread] = await t.db.select({ n: count() }).from(notifications).innerJoin(ideas, eq(ideas.itemId, notifications.itemId)).where(isNull(notifications.readAt));
    expect(unread!.n).toBeGreaterThan(0);
  });
});

describe("the demo wiki and articles", () => {
  test("a wiki in two spaces with owners, a policy past its review, a pending suggestion, a promoted answer, and articles", async () => {
    const [facts] = await t.db.execute<Record<string, number | boolean>>(sql`
      select
        (select count(distinct space_id) from wiki_pages)::int as spaces,
        (select count(*) from wiki_pages)::int as pages,
        (select count(*) from wiki_pages w where not exists (select 1 from wiki_page_owners o where o.page_id = w.id))::int as ownerless,
        (select count(*) from wiki_pages w join spaces s on s.id = w.space_id where s.slug = 'people-and-culture' and w.review_due_at < now() and w.protected)::int as overdue_policies,
        (select count(*) from wiki_suggestions where status = 'open')::int as open_suggestions,
        (select count(*) from wiki_promotions p join wiki_pages w on w.id = p.page_id where position('Adapted from' in w.body) > 0)::int as promotions,
        (select count(*) from wiki_page_links where to_page_id is null)::int as unresolved_links,
        (select count(*) from wiki_page_links)::int as links,
        (select count(*) from articles where status = 'published')::int as published,
        (select count(*) from articles where status = 'draft')::int as drafts,
        (select count(*) from wiki_pages where created_at >= now() - interval '5 minutes')::int as pages_now,
        (select count(*) from articles where created_at >= now() - interval '5 minutes')::int as articles_now,
        (select count(*) from wiki_templates where space_id is null)::int as templates`);
    expect(facts).toMatchObject({
      spaces: 2,
      ownerless: 0,
      overdue_policies: 1,
      open_suggestions: 1,
      promotions: 1,
      unresolved_links: 0,
      drafts: 1,
      pages_now: 0,
      articles_now: 0,
      templates: 4,
    });
    expect(facts!.pages).toBe(result.pages);
    expect(facts!.links as number).toBeGreaterThan(3);
    expect(facts!.published).toBe(result.articles - 1);
  });

  test("recognition: values, a month of kudos (some on answers, pages and ideas; two private), balances that agree with the ledger, a catalogue, a round in voting and a finished one", async () => {
    const [facts] = await t.db.execute<Record<string, number>>(sql`
      select
        (select count(*) from company_values)::int as values,
        (select count(*) from kudos)::int as kudos,
        (select count(*) from kudos where private)::int as private,
        (select count(distinct i.kind) from kudos k join items i on i.id = k.subject_item_id)::int as subject_kinds,
        (select count(*) from kudos where created_at < now() - interval '31 days' or created_at > now())::int as outside_month,
        (select count(*) from kudos_gifts g join kudos k on k.id = g.kudos_id where g.giver_id <> k.giver_id)::int as add_ons,
        (select b.earned from kudos_balances b join users u on u.id = b.user_id where u.email = ${"priya.nair@northwind.example"})::int as priya,
        (select count(*) from kudos_balances b where b.earned <> (select coalesce(sum(points), 0) from kudos_ledger l where l.user_id = b.user_id and l.account = 'earned'))::int as drift,
        (select count(*) from kudos_allowance_periods p where p.spent > p.granted)::int as overspent,
        (select count(*) from rewards)::int as rewards,
        (select count(*) from award_rounds where voting_open_at < now() and voting_close_at > now())::int as voting,
        (select count(*) from award_rounds where results_at < now() and announced_at is not null)::int as finished,
        (select count(*) from award_rounds r where r.ballot_count <> (select count(*) from award_ballots b where b.round_id = r.id))::int as ballot_drift,
        (select count(*) from spaces where company_wide and visibility = 'open')::int as company,
        (select count(*) from badge_awards)::int as awards,
        (select count(distinct user_id) from badge_awards)::int as holders,
        (select count(*) from users u where u.gold_badges + u.silver_badges + u.bronze_badges <> (select count(*) from badge_awards a where a.user_id = u.id))::int as badge_drift`);
    expect(facts).toMatchObject({
      values: 5,
      private: 2,
      subject_kinds: 3,
      outside_month: 0,
      add_ons: 2,
      drift: 0,
      overspent: 0,
      rewards: 4,
      voting: 1,
      finished: 1,
      ballot_drift: 0,
      company: 1,
    });
    expect(facts!.kudos).toBe(result.kudos);
    expect(facts!.kudos as number).toBeGreaterThanOrEqual(40);
    expect(facts!.priya as number).toBeGreaterThanOrEqual(400);
    // Badges already earned, by many people, with the counts on users in step.
    expect(facts!.awards).toBe(result.badges);
    expect(facts!.holders as number).toBeGreaterThanOrEqual(20);
    expect(facts!.badge_drift).toBe(0);
  });
});

describe("the demo's Ask HR", () => {
  test("anonymous questions written as the stand-in, their askers stored apart, answered by Lena (HR), one accepted", async () => {
    const [facts] = await t.db.execute<Record<string, unknown>>(sql`
      select
        (select anonymous_questions from spaces where slug = 'ask-hr') as anonymous,
        (select count(*) from posts p join spaces s on s.id = p.space_id join users u on u.id = p.author_id
          where s.slug = 'ask-hr' and p.type = 'question' and u.email = 'anonymous@commons.invalid')::int as by_stand_in,
        (select count(*) from anonymous_askers a join posts p on p.id = a.question_id where p.author_id <> a.user_id)::int as askers,
        (select count(distinct u.name) from posts p join posts q on q.id = p.parent_id join spaces s on s.id = q.space_id join users u on u.id = p.author_id
          where s.slug = 'ask-hr')::int as answerers,
        (select count(*) from posts q join spaces s on s.id = q.space_id where s.slug = 'ask-hr' and q.accepted_answer_id is not null)::int as accepted,
        (select count(*) from anonymous_relay_messages)::int as relays,
        (select count(*) from users where email = 'anonymous@commons.invalid' and password_hash is null and deactivated_at is not null)::int as stand_in`);
    expect(facts).toEqual({ anonymous: true, by_stand_in: ASK_HR_QUESTIONS.length, askers: ASK_HR_QUESTIONS.length, answerers: 1, accepted: 1, relays: 1, stand_in: 1 });
  });
});

describe("the demo's public forum as a conversation (issue 20)", () => {
  test("customers' questions in every state, a finished live session that became a thread, a share kit; Dana signs in with the demo password", async () => {
    const [facts] = await t.db.execute<Record<string, unknown>>(sql`
      select
        (select count(*) from forum_threads where origin = 'customer' and moderation = 'visible')::int as visible,
        (select count(*) from forum_threads where origin = 'customer' and moderation = 'pending')::int as pending,
        (select count(*) from forum_threads where origin = 'customer' and solved)::int as solved,
        (select count(*) from forum_answers a join forum_threads t on t.id = a.thread_id where t.origin = 'customer' and a.author_user_id is not null and a.author_named)::int as badged,
        (select count(*) from forum_me_toos)::int as me_toos,
        (select count(*) from forum_flags where resolved_at is null)::int as flags,
        (select count(*) from forum_suggestions where status = 'open')::int as suggestions,
        (select count(*) from live_sessions where status = 'ended' and thread_id is not null)::int as archived,
        (select count(*) from forum_threads where origin = 'session')::int as session_threads,
        (select count(*) from forum_answers a join forum_threads t on t.id = a.thread_id where t.origin = 'session')::int as session_answers,
        (select count(*) from live_sessions where status = 'scheduled')::int as upcoming,
        (select count(*) from live_session_questions q where q.votes <> (select count(*) from live_session_votes v where v.question_id = q.id))::int as vote_drift,
        (select count(*) from share_kits where archived_at is null)::int as kits,
        (select count(*) from share_kit_items)::int as items,
        (select coalesce(sum(clicks), 0) from share_clicks)::int > 0 as clicked,
        (select count(*) from share_leaderboard_opt_ins)::int as opted_in,
        (select count(*) from share_curators)::int as curators`);
    expect(facts).toEqual({
      visible: 3,
      pending: 1,
      solved: 1,
      badged: 1,
      me_toos: 4,
      flags: 1,
      suggestions: 1,
      archived: 1,
      session_threads: 1,
      session_answers: 2,
      upcoming: 1,
      vote_drift: 0,
      kits: 1,
      items: 3,
      clicked: true,
      opted_in: 2,
      curators: 1,
    });
    const [dana] = await t.db.select().from(forumAccounts).where(eq(forumAccounts.email, DEMO_CUSTOMER_EMAIL));
    expect(dana!.trustedAt).not.toBeNull();
    expect(await verifyPassword(dana!.passwordHash, DEMO_PASSWORD)).toBe(true);
  });
});

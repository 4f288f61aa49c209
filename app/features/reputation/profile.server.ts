import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server.ts";
import { ideas, posts, reputationEvents, tags, userPostCounts, userTagReputation, users, wikiPages } from "#db/schema/index.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ideaUrl } from "#app/features/ideas/idea-url.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import type { ReputationReason } from "./ledger.server.ts";
import { readReputationRules, privilegeProgress } from "./rules.server.ts";

/**
 * The reputation half of a profile, as `viewer` sees it. Everything (the total, the chart, top
 * tags, questions, answers, events and their counts) comes only from spaces the viewer may see,
 * through `inVisibleSpace`: a profile never shows an item, a count or a tag from a space the
 * viewer cannot see. The person themself and admins see the whole total (`seesWholeReputation`).
 * A fixed number of queries.
 */

/**
 * Whether `viewer` is shown `personId`'s whole reputation: their own, or anyone's to an admin.
 * Everyone else sees the sum of the ledger's events in spaces they may see, since a total that
 * moved with votes in a restricted space would tell outsiders of activity there.
 */
export function seesWholeReputation(viewer: Actor, personId: number): boolean {
  if (viewer.kind !== "employee" || viewer.deactivatedAt) return false;
  return viewer.id === personId || viewer.role === "admin";
}

/**
 * The reputation of the person in row `u` of `users` (already in the query under that alias) as
 * `viewer` sees it, for lists of people (the search page's people). One correlated sum per row.
 */
export function reputationSeenBySql(viewer: Actor): SQL {
  if (viewer.kind !== "employee" || viewer.deactivatedAt) return sql`0`;
  if (viewer.role === "admin") return sql`u.reputation`;
  const visibleSum = sql`coalesce((select sum(e.delta) from ${reputationEvents} e where e.user_id = u.id and ${inVisibleSpace(viewer, sql`e.space_id`)}), 0)::int`;
  return sql`(case when u.id = ${viewer.id} then u.reputation else ${visibleSum} end)`;
}

const DAY_MS = 24 * 3600 * 1000;
export const CHART_DAYS = 365;
const RECENT_POSTS = 10;
const RECENT_EVENTS = 20;

export type ReputationPoint = { day: string; total: number };

export async function reputationProfile(db: Db, viewer: Actor, userId: number, now = new Date()) {
  const [person] = await db
    .select({ id: users.id, role: users.role, kind: users.kind, deactivatedAt: users.deactivatedAt, reputation: users.reputation })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.kind, "employee")));
  if (!person) throw new NotFoundError();

  const visibleEvent = inVisibleSpace(viewer, reputationEvents.spaceId);
  const windowStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (CHART_DAYS - 1) * DAY_MS);
  const question = alias(posts, "question");
  const livePost = and(isNull(posts.deletedAt), inVisibleSpace(viewer, posts.spaceId));

  const [rules, sums, topTags, [counts], recentQuestions, recentAnswers, events] = await Promise.all([
    readReputationRules(db),
    // One pass over the person's visible events, read from the index alone: a sum per day of the
    // window, and one (day null) for everything before it.
    db
      .select({
        day: sql<
          string | null
        >`case when ${reputationEvents.createdAt} >= ${windowStart.toISOString()}::timestamptz then to_char(${reputationEvents.createdAt} at time zone 'utc', 'YYYY-MM-DD') end`,
        delta: sql<number>`sum(${reputationEvents.delta})::int`,
      })
      .from(reputationEvents)
      .where(and(eq(reputationEvents.userId, userId), visibleEvent))
      .groupBy(sql`1`),
    db
      .select({ name: tags.name, score: sql<number>`sum(${userTagReputation.score})::int` })
      .from(userTagReputation)
      .innerJoin(tags, eq(tags.id, userTagReputation.tagId))
      .where(and(eq(userTagReputation.userId, userId), inVisibleSpace(viewer, userTagReputation.spaceId)))
      .groupBy(tags.name)
      .having(sql`sum(${userTagReputation.score}) > 0`)
      .orderBy(desc(sql`sum(${userTagReputation.score})`), tags.name)
      .limit(10),
    // Live questions and answers (an answer only under a live question, like the list below), from
    // the per-space counts the database keeps (user_post_counts): a few rows, not every post.
    db
      .select({ questions: sql<number>`coalesce(sum(${userPostCounts.questions}), 0)::int`, answers: sql<number>`coalesce(sum(${userPostCounts.answers}), 0)::int` })
      .from(userPostCounts)
      .where(and(eq(userPostCounts.userId, userId), inVisibleSpace(viewer, userPostCounts.spaceId))),
    db
      .select({
        id: posts.id,
        title: posts.title,
        score: posts.score,
        answerCount: posts.answerCount,
        accepted: sql<boolean>`${posts.acceptedAnswerId} is not null`,
        createdAt: posts.createdAt,
      })
      .from(posts)
      .where(and(eq(posts.authorId, userId), eq(posts.type, "question"), livePost))
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(RECENT_POSTS),
    db
      .select({
        id: posts.id,
        questionId: question.id,
        title: question.title,
        score: posts.score,
        accepted: sql<boolean>`${question.acceptedAnswerId} = ${posts.id}`,
        createdAt: posts.createdAt,
      })
      .from(posts)
      .innerJoin(question, and(eq(question.id, posts.parentId), isNull(question.deletedAt)))
      .where(and(eq(posts.authorId, userId), eq(posts.type, "answer"), livePost))
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(RECENT_POSTS),
    recentEvents(db, viewer, userId),
  ]);

  // The chart's events are all the visible ones: before the window and day by day within it.
  const before = sums.find((d) => d.day === null)?.delta ?? 0;
  const daily = sums.filter((d): d is { day: string; delta: number } => d.day !== null);
  const visibleTotal = before + daily.reduce((sum, d) => sum + d.delta, 0);
  const reputation = seesWholeReputation(viewer, person.id) ? person.reputation : visibleTotal;
  return {
    reputation,
    // Privileges follow the total shown: thresholds passed would otherwise give the hidden part away.
    progress: privilegeProgress({ ...person, reputation }, rules),
    chart: cumulative(daily, before, windowStart),
    topTags,
    questionCount: counts?.questions ?? 0,
    answerCount: counts?.answers ?? 0,
    questions: recentQuestions.map((q) => ({ ...q, title: q.title ?? "" })),
    answers: recentAnswers.map((a) => ({ ...a, title: a.title ?? "" })),
    events,
  };
}

/** One point per day of the window: the running total of the visible events. */
function cumulative(daily: Array<{ day: string; delta: number }>, start: number, windowStart: Date): ReputationPoint[] {
  const byDay = new Map(daily.map((d) => [d.day, d.delta]));
  const points: ReputationPoint[] = [];
  let total = start;
  for (let i = 0; i < CHART_DAYS; i++) {
    const day = new Date(windowStart.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    total += byDay.get(day) ?? 0;
    points.push({ day, total });
  }
  return points;
}

/**
 * The latest events in visible spaces, each with a link to the item it was earned on: a question,
 * an answer at its place on the question's page, an idea. No link when the item (or an answer's
 * question) was deleted. One query whatever the kinds: a join per content table on the item.
 */
async function recentEvents(db: Db, viewer: Actor, userId: number) {
  const question = alias(posts, "question");
  const rows = await db
    .select({
      id: reputationEvents.id,
      delta: reputationEvents.delta,
      reason: reputationEvents.reason,
      reversal: sql<boolean>`${reputationEvents.reversesEventId} is not null`,
      createdAt: reputationEvents.createdAt,
      postId: posts.id,
      postType: posts.type,
      postDeleted: sql<boolean>`${posts.deletedAt} is not null`,
      questionId: question.id,
      title: question.title,
      questionDeleted: sql<boolean>`${question.deletedAt} is not null`,
      ideaId: ideas.id,
      ideaTitle: ideas.title,
      // Wiki work (an approved edit, a verification) is earned on a page.
      page: { id: wikiPages.id, slug: wikiPages.slug, title: wikiPages.title, deletedAt: wikiPages.deletedAt },
    })
    .from(reputationEvents)
    .leftJoin(posts, eq(posts.itemId, reputationEvents.itemId))
    .leftJoin(question, sql`${question.id} = coalesce(${posts.parentId}, ${posts.id})`)
    .leftJoin(ideas, eq(ideas.itemId, reputationEvents.itemId))
    .leftJoin(wikiPages, eq(wikiPages.itemId, reputationEvents.itemId))
    .where(and(eq(reputationEvents.userId, userId), inVisibleSpace(viewer, reputationEvents.spaceId)))
    .orderBy(desc(reputationEvents.createdAt), desc(reputationEvents.id))
    .limit(RECENT_EVENTS);
  return rows.map((r) => ({
    id: r.id,
    delta: r.delta,
    label: eventLabel(r.reason, r.reversal),
    createdAt: r.createdAt,
    link: eventLink(r),
  }));
}

/** Where an event's item is seen, with its title, or null when it is gone. */
function eventLink(r: {
  postId: number | null;
  postType: "question" | "answer" | null;
  postDeleted: boolean;
  questionId: number | null;
  title: string | null;
  questionDeleted: boolean;
  ideaId: number | null;
  ideaTitle: string | null;
  page: { id: number; slug: string; title: string; deletedAt: Date | null } | null;
}): { title: string; to: string } | null {
  if (r.ideaId !== null) return { title: r.ideaTitle ?? "", to: ideaUrl({ id: r.ideaId }) };
  if (r.page?.id) return r.page.deletedAt ? null : { title: r.page.title, to: wikiPageUrl(r.page) };
  if (r.questionId === null || r.postDeleted || r.questionDeleted) return null;
  const question = { id: r.questionId, title: r.title };
  return { title: r.title ?? "", to: r.postType === "answer" && r.postId !== null ? questionUrl(question, `answer-${r.postId}`) : questionUrl(question) };
}

const REASON_LABELS: Record<ReputationReason, [string, string]> = {
  question_upvoted: ["Question voted up", "Upvote on a question withdrawn"],
  answer_upvoted: ["Answer voted up", "Upvote on an answer withdrawn"],
  post_downvoted: ["Post voted down", "Downvote withdrawn"],
  downvote_cast: ["Voted an answer down", "Own downvote withdrawn"],
  answer_accepted: ["Answer accepted", "Accept taken back"],
  accept_given: ["Accepted an answer", "Accept taken back"],
  imported: ["Reputation brought from an imported site", "Imported reputation taken back"],
  idea_accepted: ["Idea accepted", "Idea's acceptance withdrawn"],
  idea_implemented: ["Idea implemented", "Idea no longer marked implemented"],
  article_upvoted: ["Article voted up", "Upvote on an article withdrawn"],
  article_downvoted: ["Article voted down", "Downvote on an article withdrawn"],
  edit_approved: ["Suggested edit approved", "Approved edit taken back"],
  page_verified: ["Verified a wiki page", "Verification taken back"],
  answer_promoted: ["Answer promoted to a wiki page", "Promotion taken back"],
  routed_answer: ["Answered a question routed to them", "Routed answer taken back"],
};

export function eventLabel(reason: ReputationReason, reversal: boolean): string {
  return REASON_LABELS[reason][reversal ? 1 : 0];
}

export type ReputationProfile = Awaited<ReturnType<typeof reputationProfile>>;

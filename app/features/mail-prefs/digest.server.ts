import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { digestRuns, users } from "#db/schema/index.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { ideaUrl } from "#app/features/ideas/idea-url.ts";
import { moderationSummary } from "#app/features/moderation/flags.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { pagesToReview } from "#app/features/wiki/review.server.ts";
import { CATEGORY_INFO, type Category, type DigestCadence, digestCategories, kindsOf } from "./categories.ts";
import { digestMail } from "./digest-mail.server.tsx";
import { mailEntries, type MailEntry } from "./describe.server.ts";
import { preferencesOf } from "./preferences.server.ts";
import { signingKey, unsubscribeHeaders } from "./unsubscribe.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Daily and weekly digests (docs/mail-digests.md). A daily digest covers the previous UTC day, a
 * weekly one the previous ISO week (Monday to Sunday, UTC); both are written from DIGEST_HOUR_UTC
 * on the day after the period ends.
 *
 * Never twice: each person's digest is one transaction that first inserts its `digest_runs` row
 * (user, cadence, period: unique) with `on conflict do nothing`, and only then, if the row is its
 * own, builds the digest and writes the mail to the outbox. Commit makes both or neither: after a
 * crash (or kill -9) mid-run the next run finds the people who have a row and skips them, and
 * writes the rest. Two instances running at once wait on each other's row, and the second skips.
 */

export const DIGEST_HOUR_UTC = 7;
const DAY_MS = 24 * 3600 * 1000;
/** Lines per category; the rest are counted ("and 4 more in your inbox"). */
const GROUP_LIMIT = 10;
const QUESTION_LIMIT = 5;
const IDEA_LIMIT = 10;
const PAGE_LIMIT = 10;

export type Period = { cadence: DigestCadence; start: Date; end: Date; /** The first day, "2026-05-04": digest_runs.period_start. */ key: string };

function period(cadence: DigestCadence, endMs: number): Period {
  const start = new Date(endMs - (cadence === "daily" ? 1 : 7) * DAY_MS);
  return { cadence, start, end: new Date(endMs), key: start.toISOString().slice(0, 10) };
}

/**
 * The latest period whose digest is due at `now`: before today's sending hour that is still the
 * one before (so a run cut short late in a day is finished by the next round), after it the one
 * that just ended. A period nobody ran while the app was down longer than that is skipped: a
 * digest of old news arriving days late helps nobody.
 */
export function duePeriod(cadence: DigestCadence, now: Date): Period {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const step = cadence === "daily" ? DAY_MS : 7 * DAY_MS;
  // ISO weeks start on Monday: getUTCDay() is 0 on Sunday.
  const boundary = cadence === "daily" ? today : today - ((now.getUTCDay() + 6) % 7) * DAY_MS;
  const sent = now.getTime() >= boundary + DIGEST_HOUR_UTC * 3600 * 1000;
  return period(cadence, sent ? boundary : boundary - step);
}

export type DigestQuestion = { title: string; path: string; space: string };
export type DigestIdea = { title: string; path: string; campaign: string; status: string };
export type DigestPage = { title: string; path: string; daysOverdue: number; owned: boolean };

export type Digest = {
  groups: Array<{ category: Category; label: string; entries: MailEntry[]; more: number }>;
  /** "Questions you could answer", and whether they were picked by expertise or by followed tags. */
  questions: DigestQuestion[];
  questionsBy: "expertise" | "tags";
  /** Campaign sponsors: ideas waiting for a decision. */
  ideas: DigestIdea[];
  ideasMore: number;
  /** Moderators: how many flagged things wait (the mail names none of them: mail is forwarded). */
  moderation: number;
  /** Page owners (and moderators): pages due for review. */
  pages: DigestPage[];
  /** Everything the digest tells: 0 means no mail. */
  entries: number;
};

type Reader = Actor & { email: string; name: string };

/** What a digest of `categories` tells `reader` about `p`; everything re-checked for them. */
export async function buildDigest(db: Db | Tx, reader: Actor, categories: readonly Category[], p: Period, now = new Date()): Promise<Digest> {
  const notified = categories.filter((c) => c !== "waiting");
  const entries = notified.length ? await mailEntries(db, reader, { kinds: notified.flatMap(kindsOf), from: p.start, to: p.end }) : [];
  const groups = notified.flatMap((category) => {
    const all = entries.filter((e) => e.category === category);
    return all.length ? [{ category, label: CATEGORY_INFO[category].label, entries: all.slice(-GROUP_LIMIT), more: Math.max(0, all.length - GROUP_LIMIT) }] : [];
  });
  const digest: Digest = { groups, questions: [], questionsBy: "tags", ideas: [], ideasMore: 0, moderation: 0, pages: [], entries: entries.length };
  if (categories.includes("waiting")) {
    const questions = await questionsToAnswer(db, reader, p);
    digest.questions = questions.list;
    digest.questionsBy = questions.by;
    const ideas = await ideasAwaitingReview(db, reader);
    digest.ideas = ideas.list;
    digest.ideasMore = ideas.more;
    digest.moderation = (await moderationSummary(db, reader))?.pending ?? 0;
    // Pages already told as notifications in this digest are not listed twice.
    const told = new Set(entries.filter((e) => e.kind === "page_review").map((e) => e.path));
    const review = await pagesToReview(db as Db, reader, { page: 1 }, now);
    digest.pages = review.items
      .filter((i) => !told.has(i.url))
      .slice(0, PAGE_LIMIT)
      .map((i) => ({ title: i.title, path: i.url, daysOverdue: i.daysOverdue, owned: i.owned }));
    digest.entries += digest.questions.length + digest.ideas.length + digest.ideasMore + digest.moderation + digest.pages.length;
  }
  return digest;
}

/**
 * Unanswered questions of the period the reader could answer: in the topics the expertise model
 * credits them with (as they may see it: evidence in spaces they see, their declared topics), or,
 * when it credits them with none, in the tags they follow. Never their own (anonymous ones too),
 * never closed or deleted, only where they may see.
 */
async function questionsToAnswer(db: Db | Tx, reader: Actor, p: Period): Promise<{ list: DigestQuestion[]; by: "expertise" | "tags" }> {
  const expertise = await db.execute<{ tag_id: number }>(sql`
    select tag_id from (
      select es.tag_id, sum(es.decayed) as weight from expertise_scores es
       where es.user_id = ${reader.id} and ${inVisibleSpace(reader, sql`es.space_id`)}
       group by es.tag_id
      union all
      select ut.tag_id, 0 from user_topics ut where ut.user_id = ${reader.id} and ut.declared
    ) t group by tag_id order by max(weight) desc limit 20`);
  let by: "expertise" | "tags" = "expertise";
  let tagIds = expertise.map((r) => Number(r.tag_id));
  if (tagIds.length === 0) {
    by = "tags";
    const followed = await db.execute<{ tag_id: number }>(sql`select tag_id from follows where user_id = ${reader.id} and tag_id is not null`);
    tagIds = followed.map((r) => Number(r.tag_id));
  }
  if (tagIds.length === 0) return { list: [], by };
  const rows = await db.execute<{ item_id: number; space: string }>(sql`
    select p.item_id, s.name as space from posts p join spaces s on s.id = p.space_id
     where p.type = 'question' and p.deleted_at is null and p.closed_at is null and p.answer_count = 0
       and p.author_id <> ${reader.id}
       and not exists (select 1 from anonymous_askers aa where aa.question_id = p.id and aa.user_id = ${reader.id})
       and p.created_at >= ${p.start.toISOString()}::timestamptz and p.created_at < ${p.end.toISOString()}::timestamptz
       and exists (select 1 from question_tags qt where qt.post_id = p.id and qt.tag_id = any(${intArray(tagIds)}))
       and ${inVisibleSpace(reader, sql`p.space_id`)}
     order by p.created_at desc, p.id desc
     limit ${QUESTION_LIMIT}`);
  const described = await describeItems(
    db,
    reader,
    rows.map((r) => Number(r.item_id)),
  );
  return {
    by,
    list: rows.flatMap((r) => {
      const d = described.get(Number(r.item_id));
      return d && !d.deleted ? [{ title: d.title, path: d.url, space: r.space }] : [];
    }),
  };
}

const STATUS_WORDS: Record<string, string> = { submitted: "new", under_review: "under review" };

/** A sponsor's campaigns' ideas that wait for a decision (submitted or under review), oldest first. */
async function ideasAwaitingReview(db: Db | Tx, reader: Actor): Promise<{ list: DigestIdea[]; more: number }> {
  const rows = await db.execute<{ id: number; title: string; status: string; campaign: string; total: number }>(sql`
    select i.id, i.title, i.status, c.title as campaign, count(*) over ()::int as total
      from ideas i
      join campaigns c on c.id = i.campaign_id
      join items it on it.id = i.item_id
     where c.sponsor_id = ${reader.id} and c.archived_at is null
       and i.status in ('submitted', 'under_review') and it.deleted_at is null
       and ${inVisibleSpace(reader, sql`i.space_id`)}
     order by i.status_changed_at, i.id
     limit ${IDEA_LIMIT}`);
  const total = Number(rows[0]?.total ?? 0);
  return {
    list: rows.map((r) => ({ title: r.title, path: ideaUrl({ id: Number(r.id) }), campaign: r.campaign, status: STATUS_WORDS[r.status] ?? r.status })),
    more: Math.max(0, total - rows.length),
  };
}

export type DigestOutcome = "mailed" | "empty" | "skipped";

/**
 * One person's digest for one period, in one transaction: the run's row first (someone else's
 * row means it is done, or being done: skip), then the content and its mail.
 */
export async function digestOne(db: Db, userId: number, p: Period, now = new Date()): Promise<DigestOutcome> {
  return db.transaction(async (tx) => {
    const [run] = await tx.insert(digestRuns).values({ userId, cadence: p.cadence, periodStart: p.key }).onConflictDoNothing().returning({ id: digestRuns.id });
    if (!run) return "skipped";
    const [reader] = await tx
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, kind: users.kind, deactivatedAt: users.deactivatedAt, verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, userId));
    if (!reader || reader.kind !== "employee" || reader.deactivatedAt || !reader.verified) return "empty";
    const categories = digestCategories(await preferencesOf(tx, userId), p.cadence);
    if (categories.length === 0) return "empty";
    const digest = await buildDigest(tx, reader, categories, p, now);
    if (digest.entries === 0) return "empty";
    await tx.update(digestRuns).set({ entries: digest.entries }).where(eq(digestRuns.id, run.id));
    const key = await signingKey(tx);
    await enqueueMail(tx, digestMail(reader as Reader, digest, p, categories, unsubscribeHeaders(key, userId, p.cadence)));
    return "mailed";
  });
}

export type DigestRun = { period: Period; mailed: number; empty: number; skipped: number };

/**
 * Writes the due digest of `cadence` for everyone who has none for that period yet, a page of
 * people at a time. `pauseMs` slows it between people (the kill test uses it to be sure to
 * interrupt a run in the middle); `shouldStop` ends it between two people.
 */
export async function runDigests(db: Db, cadence: DigestCadence, options: { now?: Date; pauseMs?: number; shouldStop?: () => boolean; period?: Period } = {}): Promise<DigestRun> {
  const now = options.now ?? new Date();
  const p = options.period ?? duePeriod(cadence, now);
  const result: DigestRun = { period: p, mailed: 0, empty: 0, skipped: 0 };
  let after = 0;
  for (;;) {
    const people = await db.execute<{ id: number }>(sql`
      select u.id from users u
       where u.id > ${after} and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null
         and not exists (select 1 from digest_runs d where d.user_id = u.id and d.cadence = ${cadence} and d.period_start = ${p.key}::date)
       order by u.id
       limit 200`);
    if (people.length === 0) return result;
    for (const person of people) {
      if (options.shouldStop?.()) return result;
      after = Number(person.id);
      result[await digestOne(db, after, p, now)] += 1;
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  }
}

/** Where the digest's "open your inbox" link leads. */
export const INBOX_PATH = href("/notifications");

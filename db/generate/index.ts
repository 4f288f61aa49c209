import postgres from "postgres";
import { hashPassword } from "#app/features/auth/password.server.ts";
import { DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { QUESTIONS, TAG_DESCRIPTIONS } from "#db/seed-content.ts";
import { DEMO_PASSWORD } from "#db/seed-info.ts";
import { makeMemberships, makePeople, type Person, SPACES } from "./company.ts";
import { arrayLiteral, CopyTable } from "./copy.ts";
import { campaignCount, generateIdeas, recountIdeaVotes, writeIdeaTables } from "./ideas.ts";
import { generateKnowledge, writeKnowledgeTables } from "./knowledge.ts";
import { generateCustomerQuestions, generateForum, generateForumDesk } from "./forum.ts";
import { generateAuditLog } from "./audit.ts";
import { sql as drizzleSql } from "drizzle-orm";
import { grantBadges } from "#app/features/recognition/badges.server.ts";
import { recomputeAll } from "#app/features/expertise/evidence.server.ts";
import { createDb } from "../client.server.ts";
import { generateRecognition, type Thankable, writeRecognitionTables } from "./recognition.ts";
import { between, drawPeople, exponential, pick, poisson, random, type Rng, shuffle, zipf } from "./random.ts";
import { Writer } from "./text.ts";

/**
 * `npm run data:generate`: a believable company at scale, written straight into the tables with
 * COPY (the feature functions would take hours). The same seed gives the same people, spaces,
 * posts, votes and ids; dates are relative to the moment of generation.
 *
 * Every post and idea owns an item of the social layer (db/schema/social.ts). The generator
 * writes the items itself, with ids it knows (a post's item id is the post's id, an idea's comes
 * after the last post's), so comments, votes, revisions, follows, notifications and the ledger
 * name their item without reading anything back; the content tables' insert trigger leaves a
 * given item_id alone.
 *
 * What the features keep exact as they go is exact here too: answer, comment and vote counters,
 * space_tags, follows of askers and answerers, and a reputation ledger with an event for every
 * vote and accept under the default weights. `users.reputation` and `user_tag_reputation` are
 * summed from that ledger at the end, so `recomputeReputation` finds no drift. The daily cap is
 * not applied: the votes are spread over three years, and the ledger records what the rules give
 * without it (as if the cap had been raised). Downvotes are not limited to people with the
 * privilege, and nothing is deleted.
 *
 * Bodies are markdown whose HTML db/generate/text.ts writes itself (see there); tag descriptions,
 * a few dozen, go through the markdown module.
 *
 * Idea campaigns come after the questions (db/generate/ideas.ts): one per 10,000 questions, at
 * least two, with their ideas, votes, owners, timelines, comments and follows; their owners'
 * reputation events are in the same ledger.
 */

export type GenerateOptions = { questions: number; seed?: number; log?: (line: string) => void };
export type GenerateResult = {
  users: number;
  questions: number;
  answers: number;
  votes: number;
  comments: number;
  tags: number;
  spaces: number;
  campaigns: number;
  ideas: number;
  ideaVotes: number;
  ideaComments: number;
  pages: number;
  pageRevisions: number;
  suggestions: number;
  articles: number;
  kudos: number;
  kudosGifts: number;
  redemptions: number;
  nominations: number;
  ballots: number;
  badges: number;
  /** Questions published to the public forum (issue 19), and the answers published with them. */
  forumThreads: number;
  forumAnswers: number;
  /** Customers' questions on the forum (issue 20), and how many of them an employee answered there. */
  customerQuestions: number;
  customerAnswered: number;
  /** The forum desk's escalations, the live sessions to come, and the share kits (issue 20). */
  escalations: number;
  liveSessions: number;
  shareKits: number;
  /** Audit log entries (issue 23): what the app would have logged for the above, by action. */
  auditEntries: Record<string, number>;
  ms: number;
  /** An employee who can sign in with the demo password and sees most spaces. */
  signInEmail: string;
};

/** The database already holds people or posts: generating would mix two companies. */
export class NotEmptyError extends Error {
  override name = "NotEmptyError";
}

const YEARS = 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BATCH = 1_000;
const WEIGHTS = DEFAULT_REPUTATION_RULES.weights;
const EDIT_COMMENTS = ["Added details", "Fixed formatting", "Clarified the question", "Added the error message", "Typo", "Updated after the release"];
const CLOSE_REASONS = ["off_topic", "unclear", "resolved"] as const;

/** The tables that hold a company, in the order of their foreign keys. */
export const CONTENT_TABLES = [
  "users",
  "spaces",
  "space_members",
  "tags",
  "items",
  "posts",
  "question_tags",
  "space_tags",
  "revisions",
  "comments",
  "reputation_events",
  "votes",
  "user_tag_reputation",
  "follows",
  "notifications",
  "campaigns",
  "ideas",
  "idea_owners",
  "idea_events",
  "campaign_voters",
] as const;

/** People per question (one in ten, at least 50), tags per question (one in 200, 50 to 500), campaigns (one per 10,000, at least 2). */
export const scale = (questions: number) => ({
  employees: Math.max(50, Math.round(questions / 10)),
  tags: Math.min(500, Math.max(50, Math.round(questions / 200))),
  campaigns: campaignCount(questions),
});

/** Not localeCompare: the order (and so the tag ids) must not depend on the machine's locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Demo tags (most used first), then frequent content words, then pairs of them: `count` distinct valid names. */
function makeTags(words: string[], count: number): string[] {
  const demo = new Map<string, number>();
  for (const q of QUESTIONS) for (const t of q.tags) demo.set(t, (demo.get(t) ?? 0) + 1);
  const names = [...demo.entries()]
    .sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0]))
    .map(([t]) => t)
    .slice(0, count);
  const frequency = new Map<string, number>();
  for (const w of words) {
    const word = w.toLowerCase();
    // Tags are mostly nouns: leave out what looks like a verb form or an adverb.
    if (/^[a-z][a-z0-9]{3,19}$/.test(word) && !/(ing|ed|ly|s)$/.test(word)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  // The most frequent words are "that", "with", "this": skip them.
  const candidates = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0]))
    .map(([w]) => w)
    .slice(100);
  const taken = new Set(names);
  for (const w of candidates) {
    if (names.length >= count) break;
    if (taken.has(w)) continue;
    names.push(w);
    taken.add(w);
  }
  for (let i = 0; names.length < count; i++) {
    const pair = `${candidates[i % candidates.length]}-${candidates[(i * 7 + 3) % candidates.length]}`;
    if (taken.has(pair) || pair.length > 35) continue;
    names.push(pair);
    taken.add(pair);
  }
  return names;
}

/**
 * Question times over three years: more per month as the company adopts it (density rising
 * linearly to three times the first month's), mostly on weekdays and in working hours. Sorted.
 */
function questionTimes(rng: Rng, count: number, first: number, latest: number): Float64Array {
  const times = new Float64Array(count);
  // Days counted from midnight UTC, so a day's weekday is the weekday of every hour put on it
  // (counted from `first` itself, an evening start moved Friday's afternoon questions to Saturday).
  const start = Math.floor(first / DAY) * DAY;
  const days = Math.floor((latest - start) / DAY);
  for (let i = 0; i < count; i++) {
    // Inverse of the CDF (t + t²) / 2 of the density (1 + 2t) / 2 on [0, 1].
    const t = (-1 + Math.sqrt(1 + 8 * rng())) / 2;
    let day = Math.min(days - 1, Math.floor(t * days));
    const weekday = new Date(start + day * DAY).getUTCDay();
    // Most weekend questions move to a weekday of the same week. Both draws are made whatever the
    // day, so the random stream (and so the content) does not depend on the date of generation.
    const moveOffWeekend = rng() < 0.85;
    const weekdayShift = between(rng, 1, 5);
    const moved = weekday === 0 ? day + weekdayShift : weekday === 6 ? day - weekdayShift : day;
    if (moveOffWeekend && moved >= 0 && moved < days) day = moved;
    // Working hours around 13:00 UTC (the offices span Austin to Singapore), a few at night.
    const hour = rng() < 0.1 ? rng() * 24 : Math.min(23.99, Math.max(0, 13 + (rng() + rng() + rng() - 1.5) * 6));
    times[i] = Math.min(latest, Math.max(first, start + day * DAY + hour * HOUR));
  }
  return times.sort();
}

type Tables = ReturnType<typeof makeTables>;

function makeTables() {
  return {
    items: new CopyTable("items", ["id", "kind", "space_id", "created_at"]),
    posts: new CopyTable("posts", [
      "id",
      "item_id",
      "type",
      "space_id",
      "parent_id",
      "author_id",
      "title",
      "body",
      "body_html",
      "tags",
      "score",
      "upvote_count",
      "downvote_count",
      "answer_count",
      "comment_count",
      "accepted_answer_id",
      "view_count",
      "closed_at",
      "closed_by_id",
      "close_reason",
      "duplicate_of_id",
      "last_activity_at",
      "last_edited_at",
      "last_editor_id",
      "revision_count",
      "created_at",
      "updated_at",
    ]),
    questionTags: new CopyTable("question_tags", ["post_id", "tag_id"]),
    revisions: new CopyTable("revisions", ["item_id", "number", "kind", "editor_id", "title", "body", "tags", "comment", "created_at"]),
    comments: new CopyTable("comments", ["id", "item_id", "space_id", "author_id", "body", "body_html", "created_at", "updated_at"]),
    events: new CopyTable("reputation_events", ["id", "user_id", "delta", "reason", "actor_id", "item_id", "space_id", "tag_ids", "created_at"]),
    votes: new CopyTable("votes", ["item_id", "user_id", "value", "author_event_id", "voter_event_id", "created_at", "updated_at"]),
    follows: new CopyTable("follows", ["user_id", "item_id", "created_at"]),
    notifications: new CopyTable("notifications", ["user_id", "kind", "actor_id", "space_id", "item_id", "subject_item_id", "comment_id", "read_at", "created_at"]),
  };
}

/** Writes a batch's rows, parents before children; adds each table's loading time to `spent`. */
async function writeTables(sql: postgres.TransactionSql, t: Tables, spent: Map<string, number>): Promise<number> {
  let rows = 0;
  for (const table of [t.items, t.posts, t.questionTags, t.revisions, t.comments, t.events, t.votes, t.follows, t.notifications]) {
    const started = performance.now();
    rows += await table.write(sql);
    spent.set(table.table, (spent.get(table.table) ?? 0) + performance.now() - started);
  }
  return rows;
}

/**
 * Generates a company into the migrated database at `databaseUrl`, which must hold no people and
 * no posts (NotEmptyError otherwise). Everything is written in one transaction: a failure leaves
 * nothing behind. Progress goes to `log`.
 */
export async function generateCompany(databaseUrl: string, options: GenerateOptions): Promise<GenerateResult> {
  const total = options.questions;
  if (!Number.isSafeInteger(total) || total < 1) throw new RangeError(`not a number of questions: ${total}`);
  const log = options.log ?? (() => {});
  const rng = random(options.seed ?? 42);
  const started = performance.now();
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [state] = await sql<{ users: boolean; posts: boolean; now: Date }[]>`
      select exists (select 1 from users) as users, exists (select 1 from posts) as posts, now() as now`;
    if (state!.users || state!.posts) throw new NotEmptyError("the database already has people or posts; generate into an empty one (the CLI's --reset empties it)");
    // Nothing in the last few minutes ("just now") nor in the future.
    const latest = state!.now.getTime() - 10 * MINUTE;
    const first = latest - YEARS * 365 * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const { employees, tags: tagCount } = scale(total);
    const writer = new Writer(rng);

    // People: ids follow the array (everyone's manager has a smaller id).
    const { people, signIn } = makePeople(rng, employees);
    const userId = (p: number) => p + 1;
    const memberships = makeMemberships(rng, people, signIn);
    const tagNames = makeTags(writer.chain.words, tagCount);
    const tagId = (t: number) => t + 1;
    const spaceId = (s: number) => s + 1;
    let rows = 0;

    const result = await sql.begin(async (tx) => {
      const setup = {
        users: new CopyTable("users", ["id", "email", "password_hash", "name", "title", "department", "location", "manager_id", "role", "kind", "created_at", "updated_at"]),
        spaces: new CopyTable("spaces", ["id", "slug", "name", "description", "visibility", "created_at", "updated_at"]),
        members: new CopyTable("space_members", ["space_id", "user_id", "role", "created_at"]),
        tags: new CopyTable("tags", ["id", "name", "description", "description_html", "created_by_id", "created_at", "updated_at"]),
        tagFollows: new CopyTable("follows", ["user_id", "tag_id", "created_at"]),
      };
      for (const p of people) {
        const joined = iso(first - between(rng, 30, 900) * DAY);
        setup.users.add(userId(p.index), p.email, passwordHash, p.name, p.title, p.department, p.location, p.manager === null ? null : userId(p.manager), p.role, p.kind, joined, joined);
      }
      SPACES.forEach((s, i) => setup.spaces.add(spaceId(i), s.slug, s.name, s.description, s.restricted ? "restricted" : "open", iso(first - DAY), iso(first - DAY)));
      for (const m of memberships) setup.members.add(spaceId(m.space), userId(m.person), m.role, iso(first));
      // The common tags have descriptions (the demo's own where it has one).
      const described = Math.max(10, Math.round(tagNames.length / 10));
      tagNames.forEach((name, i) => {
        const description = i < described ? (TAG_DESCRIPTIONS[name] ?? writer.tagDescription(name)) : "";
        setup.tags.add(tagId(i), name, description, description ? renderMarkdown(description) : "", userId(signIn), iso(first), iso(first));
      });
      const employeeIndexes = people.filter((p) => p.kind === "employee").map((p) => p.index);
      const tagRank = zipf(tagNames.length, 1.0, 1.5);
      for (const p of employeeIndexes) {
        if (rng() >= 0.25) continue;
        const followed = new Set(Array.from({ length: between(rng, 1, 4) }, () => tagRank(rng)));
        for (const t of followed) setup.tagFollows.add(userId(p), tagId(t), iso(first + rng() * (latest - first)));
      }
      for (const table of Object.values(setup)) rows += await table.write(tx);
      log(`generate: ${people.length.toLocaleString("en")} people, ${SPACES.length} spaces, ${tagNames.length} tags`);

      // Who writes and votes where: everyone in open spaces, members in restricted ones. Some
      // people write and vote much more than others (one ranking across spaces).
      const activity = shuffle([...employeeIndexes], rng);
      const rankOf = new Map(activity.map((p, i) => [p, i]));
      const pools = SPACES.map((s, i) => {
        const list = s.restricted ? memberships.filter((m) => m.space === i).map((m) => m.person) : employeeIndexes;
        return [...list].sort((a, b) => rankOf.get(a)! - rankOf.get(b)!);
      });
      const writerRank = pools.map((pool) => zipf(pool.length, 0.8, 8));
      const voterRank = pools.map((pool) => zipf(pool.length, 0.5, 20));
      const closers = people.filter((p) => p.kind === "employee" && (p.role === "admin" || p.role === "moderator")).map((p) => p.index);
      const spaceCumulative = SPACES.map((_, i) => SPACES.slice(0, i + 1).reduce((s, x) => s + x.share, 0));
      const times = questionTimes(rng, total, first, latest);
      const earlierQuestions: number[][] = SPACES.map(() => []);

      let nextPost = 1;
      /** A post's item: the same number (the items are written with the posts, ideas' after them). */
      const postItem = (postId: number) => postId;
      let nextComment = 1;
      let nextEvent = 1;
      const counts = { answers: 0, votes: 0, comments: 0 };

      const makeBatch = (from: number, count: number): Tables => {
        const t = makeTables();
        const at = (ms: number) => iso(Math.min(latest, ms));
        for (let q = from; q < from + count; q++) {
          const x = rng() * spaceCumulative.at(-1)!;
          const space = Math.max(
            0,
            spaceCumulative.findIndex((c) => x < c),
          );
          const def = SPACES[space]!;
          const pool = pools[space]!;
          const asker = pool[writerRank[space]!(rng)]!;
          const created = times[q]!;
          const questionId = nextPost++;
          const tags = new Set<number>();
          const tagCountHere = pick(rng, [1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5]);
          for (let tries = 0; tags.size < tagCountHere && tries < 20; tries++) {
            let tag = tagRank(rng);
            // Each space has favourite tags besides the popular ones.
            if (rng() < 0.5) tag = (tag + space * 37) % tagNames.length;
            tags.add(tag);
          }
          const tagIdList = [...tags].map(tagId);
          const tagLiteral = arrayLiteral([...tags].map((i) => tagNames[i]!));
          const tagIdLiteral = arrayLiteral(tagIdList);
          const followers = new Map<number, number>([[asker, created]]);
          let activityAt = created;

          const notify = (user: number, kind: string, actor: number, postId: number | null, commentId: number | null, when: number) => {
            if (user === actor) return;
            const subject = postId === null || postId === questionId ? null : postItem(postId);
            t.notifications.add(userId(user), kind, userId(actor), spaceId(space), postItem(questionId), subject, commentId, latest - when > 14 * DAY ? at(when + DAY) : null, at(when));
          };
          /** Votes on a post with their ledger events; returns [up, down]. */
          const vote = (postId: number, author: number, type: "question" | "answer", up: number, down: number, when: number): [number, number] => {
            const voters = drawPeople(rng, pool, voterRank[space]!, up + down, author);
            let ups = 0;
            let downs = 0;
            voters.forEach((voter, i) => {
              const value = i < up ? 1 : -1;
              const votedAt = at(when + exponential(rng, 4 * DAY));
              const authorEvent = nextEvent++;
              let voterEvent: number | null = null;
              if (value === 1) {
                ups++;
                const question = type === "question";
                t.events.add(
                  authorEvent,
                  userId(author),
                  question ? WEIGHTS.questionUpvoted : WEIGHTS.answerUpvoted,
                  question ? "question_upvoted" : "answer_upvoted",
                  userId(voter),
                  postItem(postId),
                  spaceId(space),
                  tagIdLiteral,
                  votedAt,
                );
              } else {
                downs++;
                t.events.add(authorEvent, userId(author), WEIGHTS.postDownvoted, "post_downvoted", userId(voter), postItem(postId), spaceId(space), tagIdLiteral, votedAt);
                // A downvote on an answer costs the voter a little, as on Stack Overflow.
                if (type === "answer") {
                  voterEvent = nextEvent++;
                  t.events.add(voterEvent, userId(voter), WEIGHTS.downvoteCast, "downvote_cast", userId(voter), postItem(postId), spaceId(space), tagIdLiteral, votedAt);
                }
              }
              t.votes.add(postItem(postId), userId(voter), value, authorEvent, voterEvent, votedAt, votedAt);
            });
            counts.votes += voters.length;
            return [ups, downs];
          };
          /** Comments on a post (about one per two posts); returns their count and the last time. */
          const comment = (postId: number, author: number, after: number): [number, number] => {
            const n = rng() < 0.62 ? 0 : 1 + poisson(rng, 0.35);
            let last = after;
            for (let i = 0; i < n; i++) {
              const by = pool[writerRank[space]!(rng)]!;
              const when = Math.min(latest, after + exponential(rng, i === 0 ? 6 * HOUR : 2 * DAY));
              const text = writer.comment();
              const id = nextComment++;
              t.comments.add(id, postItem(postId), spaceId(space), userId(by), text.markdown, text.html, at(when), at(when));
              notify(author, "comment", by, postId, id, when);
              last = Math.max(last, when);
            }
            counts.comments += n;
            return [n, last];
          };
          /** Revision 1, and for about one post in eight an edit (the first version lacked the last block). */
          const revise = (postId: number, author: number, title: string | null, body: string, when: number): { count: number; editedAt: number | null; editor: number | null } => {
            const blocks = body.split("\n\n");
            const edited = blocks.length > 1 && rng() < 0.12;
            t.revisions.add(postItem(postId), 1, "create", userId(author), title, edited ? blocks.slice(0, -1).join("\n\n") : body, title === null ? "{}" : tagLiteral, "", at(when));
            if (!edited) return { count: 1, editedAt: null, editor: null };
            const editor = rng() < 0.85 ? author : pick(rng, closers);
            const editedAt = Math.min(latest, when + exponential(rng, 2 * DAY));
            t.revisions.add(postItem(postId), 2, "edit", userId(editor), title, body, title === null ? "{}" : tagLiteral, pick(rng, EDIT_COMMENTS), at(editedAt));
            return { count: 2, editedAt, editor };
          };

          // Answers: most questions get one to three, some none, a few twenty or more.
          const answerCount = rng() < 0.2 ? 0 : rng() < 0.03 ? between(rng, 8, 40) : 1 + poisson(rng, 1.45);
          type Answer = { id: number; author: number; at: number; score: number; markdown: string; html: string };
          const answers: Answer[] = [];
          for (let a = 0; a < answerCount; a++) {
            let by = pool[writerRank[space]!(rng)]!;
            if (by === asker) by = pool[writerRank[space]!(rng)]!;
            const lag = rng() < 0.15 ? exponential(rng, 20 * DAY) : exponential(rng, 6 * HOUR);
            const text = writer.body(between(rng, 25, 140), def.technical);
            answers.push({ id: nextPost++, author: by, at: Math.min(latest, created + MINUTE + lag), score: 0, ...text });
          }
          answers.sort((a, b) => a.at - b.at || a.id - b.id);
          // About 60% of answered questions have an accepted answer, usually the best one.
          const acceptedIndex = answers.length > 0 && rng() < 0.6 ? (rng() < 0.6 ? 0 : between(rng, 0, answers.length - 1)) : -1;

          const answerRows: Array<() => void> = [];
          answers.forEach((a, i) => {
            const accepted = i === acceptedIndex;
            const [up, down] = vote(a.id, a.author, "answer", Math.floor(exponential(rng, 2.4)) + (accepted ? 2 : 0) + (i === 0 ? 1 : 0), rng() < 0.08 ? between(rng, 1, 2) : 0, a.at);
            const [commentCount, lastComment] = comment(a.id, a.author, a.at);
            const revision = revise(a.id, a.author, null, a.markdown, a.at);
            if (!followers.has(a.author)) followers.set(a.author, a.at);
            notify(asker, "answer", a.author, a.id, null, a.at);
            const answerActivity = Math.max(a.at, revision.editedAt ?? 0);
            activityAt = Math.max(activityAt, a.at, lastComment, revision.editedAt ?? 0);
            answerRows.push(() => {
              t.items.add(postItem(a.id), "answer", spaceId(space), at(a.at));
              t.posts.add(
                a.id,
                postItem(a.id),
                "answer",
                spaceId(space),
                questionId,
                userId(a.author),
                null,
                a.markdown,
                a.html,
                "{}",
                up - down,
                up,
                down,
                0,
                commentCount,
                null,
                0,
                null,
                null,
                null,
                null,
                at(answerActivity),
                revision.editedAt === null ? null : at(revision.editedAt),
                revision.editor === null ? null : userId(revision.editor),
                revision.count,
                at(a.at),
                at(answerActivity),
              );
            });
          });
          counts.answers += answers.length;
          const accepted = answers[acceptedIndex];
          if (accepted) {
            const acceptedAt = Math.min(latest, accepted.at + exponential(rng, 8 * HOUR));
            activityAt = Math.max(activityAt, acceptedAt);
            // Accepting one's own answer gives nothing (as acceptAnswer does).
            if (accepted.author !== asker) {
              t.events.add(
                nextEvent++,
                userId(accepted.author),
                WEIGHTS.answerAccepted,
                "answer_accepted",
                userId(asker),
                postItem(accepted.id),
                spaceId(space),
                tagIdLiteral,
                at(acceptedAt),
              );
              t.events.add(nextEvent++, userId(asker), WEIGHTS.acceptGiven, "accept_given", userId(asker), postItem(accepted.id), spaceId(space), tagIdLiteral, at(acceptedAt));
            }
            notify(accepted.author, "accept", asker, accepted.id, null, acceptedAt);
          }

          const title = writer.title();
          const body = writer.body(between(rng, 35, 180), def.technical);
          const [up, down] = vote(questionId, asker, "question", Math.floor(exponential(rng, 3.5)), rng() < 0.1 ? between(rng, 1, 3) : 0, created);
          const [commentCount, lastComment] = comment(questionId, asker, created);
          const revision = revise(questionId, asker, title, body.markdown, created);
          activityAt = Math.max(activityAt, lastComment, revision.editedAt ?? 0);
          // A few closed, some of those as duplicates of an earlier question in the same space.
          const earlier = earlierQuestions[space]!;
          let closed: { at: number; by: number; reason: string; duplicateOf: number | null } | null = null;
          if (rng() < 0.04) {
            const closedAt = Math.min(latest, activityAt + exponential(rng, 2 * DAY));
            const duplicateOf = earlier.length > 0 && rng() < 0.4 ? earlier[Math.max(0, earlier.length - 1 - Math.floor(exponential(rng, 500)))]! : null;
            closed = { at: closedAt, by: pick(rng, closers), reason: duplicateOf === null ? pick(rng, CLOSE_REASONS) : "duplicate", duplicateOf };
            activityAt = closedAt;
          }
          earlier.push(questionId);
          const views = 4 + Math.floor(exponential(rng, 45)) + up * 9 + answers.length * 7 + commentCount * 2;
          t.items.add(postItem(questionId), "question", spaceId(space), at(created));
          t.posts.add(
            questionId,
            postItem(questionId),
            "question",
            spaceId(space),
            null,
            userId(asker),
            title,
            body.markdown,
            body.html,
            tagLiteral,
            up - down,
            up,
            down,
            answers.length,
            commentCount,
            accepted?.id ?? null,
            views,
            closed ? at(closed.at) : null,
            closed ? userId(closed.by) : null,
            closed?.reason ?? null,
            closed?.duplicateOf ?? null,
            at(activityAt),
            revision.editedAt === null ? null : at(revision.editedAt),
            revision.editor === null ? null : userId(revision.editor),
            revision.count,
            at(created),
            at(Math.max(created, revision.editedAt ?? 0, closed?.at ?? 0)),
          );
          for (const row of answerRows) row();
          for (const tag of tagIdList) t.questionTags.add(questionId, tag);
          for (const [person, since] of followers) t.follows.add(userId(person), postItem(questionId), at(since));
        }
        return t;
      };

      // Node builds the next batch while PostgreSQL loads the last one.
      let writing: Promise<void> | undefined;
      let done = 0;
      let building = 0;
      let waiting = 0;
      const spent = new Map<string, number>();
      for (let from = 0; from < total; from += BATCH) {
        const count = Math.min(BATCH, total - from);
        const buildStarted = performance.now();
        const batch = makeBatch(from, count);
        const waitStarted = performance.now();
        building += waitStarted - buildStarted;
        await writing;
        waiting += performance.now() - waitStarted;
        writing = writeTables(tx, batch, spent).then((n) => {
          rows += n;
          done += count;
          const seconds = (performance.now() - started) / 1000;
          log(
            `generate: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} questions, ${rows.toLocaleString("en")} rows ` +
              `(${Math.round(done / seconds).toLocaleString("en")} questions/s, ${Math.round(rows / seconds).toLocaleString("en")} rows/s)`,
          );
        });
      }
      await writing;
      log(`generate: building rows took ${(building / 1000).toFixed(1)} s, waiting for PostgreSQL to load them ${(waiting / 1000).toFixed(1)} s more`);
      log(
        `generate: loading by table: ${[...spent]
          .sort((x, y) => y[1] - x[1])
          .map(([table, ms]) => `${table} ${(ms / 1000).toFixed(1)} s`)
          .join(", ")}`,
      );

      // Idea campaigns, after the questions: the random stream of the Q&A content is as it was.
      const ideasStarted = performance.now();
      // Ideas' items come after the posts' (whose ids they share); their comments after the posts' comments.
      const lastPostItem = postItem(nextPost - 1);
      const ideas = generateIdeas({
        rng,
        writer,
        questions: total,
        first,
        latest,
        pools,
        writerRank,
        voterRank,
        memberships,
        staff: closers,
        tagNames,
        tagRank,
        ids: { user: userId, space: spaceId, tag: tagId, item: (ideaId) => lastPostItem + ideaId },
        nextEvent,
        nextComment,
      });
      const ideaRows = await writeIdeaTables(tx, ideas.tables);
      rows += ideaRows;
      await recountIdeaVotes(tx);
      const ic = ideas.counts;
      log(
        `generate: ${ic.campaigns} campaigns, ${ic.ideas.toLocaleString("en")} ideas, ${ic.ideaVotes.toLocaleString("en")} idea votes, ` +
          `${ic.ideaComments.toLocaleString("en")} idea comments (${ideaRows.toLocaleString("en")} rows) in ${((performance.now() - ideasStarted) / 1000).toFixed(1)} s`,
      );

      // Wiki pages and articles, after the ideas (so the streams before them are as they were); their items follow the ideas'.
      const knowledgeStarted = performance.now();
      const knowledge = generateKnowledge({
        rng,
        writer,
        questions: total,
        first,
        latest,
        pools,
        writerRank,
        tagNames,
        tagRank,
        ids: { user: userId, space: spaceId, firstItem: lastPostItem + ic.ideas + 1 },
      });
      const knowledgeRows = await writeKnowledgeTables(tx, knowledge.tables);
      rows += knowledgeRows;
      const kc = knowledge.counts;
      log(
        `generate: ${kc.pages.toLocaleString("en")} wiki pages (${kc.pageRevisions.toLocaleString("en")} revisions, ${kc.suggestions.toLocaleString("en")} suggested edits), ` +
          `${kc.articles.toLocaleString("en")} articles (${knowledgeRows.toLocaleString("en")} rows) in ${((performance.now() - knowledgeStarted) / 1000).toFixed(1)} s`,
      );

      // Recognition, after the knowledge: kudos thank answers, pages and ideas written above.
      const recognitionStarted = performance.now();
      const [itemState] = await tx<{ next: number }[]>`select coalesce(max(id), 0)::int + 1 as next from items`;
      const thankables = await tx<Thankable[]>`
        select x.item_id as "itemId", x.author_id as "authorId", x.space_id - 1 as space, (extract(epoch from x.created_at) * 1000)::float8 as at
        from (
          select p.item_id, p.author_id, p.space_id, p.created_at from posts p where p.type = 'answer' and p.deleted_at is null and p.created_at > ${iso(latest - 365 * DAY)}
          union all select w.item_id, w.author_id, w.space_id, w.created_at from wiki_pages w where w.deleted_at is null
          union all select i.item_id, i.author_id, i.space_id, i.created_at from ideas i
        ) x join users u on u.id = x.author_id and u.kind = 'employee'
        order by x.created_at, x.item_id`;
      const recognition = generateRecognition({
        rng,
        questions: total,
        first,
        latest,
        people,
        pools,
        writerRank,
        thankables: thankables.map((r) => ({ ...r, at: Number(r.at) })),
        ids: { user: userId, space: spaceId, companySpace: SPACES.length + 1, firstItem: itemState!.next },
      });
      const recognitionRows = await writeRecognitionTables(tx, recognition.tables);
      rows += recognitionRows;
      const rc = recognition.counts;
      log(
        `generate: ${rc.kudos.toLocaleString("en")} kudos (${rc.kudosGifts.toLocaleString("en")} gifts), ${rc.redemptions.toLocaleString("en")} redemptions, an award round with ` +
          `${rc.nominations} nominations and ${rc.ballots.toLocaleString("en")} ballots (${recognitionRows.toLocaleString("en")} rows) in ${((performance.now() - recognitionStarted) / 1000).toFixed(1)} s`,
      );

      // What the features keep as they go, derived once here from the rows themselves.
      const deriving = performance.now();
      log("generate: space tags, reputation sums, sequences…");
      // The sums group a million ledger rows: in memory rather than in sorted runs on disk.
      await tx`set local work_mem = '256MB'`;
      await tx`
        insert into space_tags (space_id, tag_id, question_count)
        select p.space_id, qt.tag_id, count(*)::int from question_tags qt join posts p on p.id = qt.post_id
        where p.deleted_at is null group by p.space_id, qt.tag_id`;
      await tx`
        update users u set reputation = l.total
        from (select user_id, sum(delta)::int as total from reputation_events group by user_id) l
        where l.user_id = u.id`;
      await tx`
        insert into user_tag_reputation (user_id, tag_id, space_id, score)
        select e.user_id, tag_id, e.space_id, sum(e.delta)::int
        from reputation_events e, unnest(e.tag_ids) as tag_id
        where e.space_id is not null
        group by e.user_id, tag_id, e.space_id`;
      // The generator writes items itself: deleted posts' items say so, as the trigger keeps them.
      await tx`update items i set deleted_at = p.deleted_at from posts p where p.item_id = i.id and p.deleted_at is not null`;
      for (const table of [
        "users",
        "spaces",
        "tags",
        "items",
        "posts",
        "comments",
        "reputation_events",
        "revisions",
        "notifications",
        "campaigns",
        "ideas",
        "idea_events",
        "follows",
        "wiki_pages",
        "wiki_suggestions",
        "articles",
      ]) {
        await tx.unsafe(`select setval(pg_get_serial_sequence('${table}', 'id'), (select coalesce(max(id), 0) + 1 from ${table}), false)`);
      }
      log(`generate: derived in ${((performance.now() - deriving) / 1000).toFixed(1)} s`);
      const forum = await generateForum(tx);
      log(`generate: ${forum.threads.toLocaleString("en")} questions published to the public forum, with ${forum.answers.toLocaleString("en")} answers`);
      const customers = await generateCustomerQuestions(tx, passwordHash);
      log(
        `generate: ${customers.questions.toLocaleString("en")} customer questions on the forum from ${customers.accounts.toLocaleString("en")} customers, ${customers.answered.toLocaleString("en")} answered by employees`,
      );
      const desk = await generateForumDesk(tx);
      log(`generate: ${desk.escalations} escalations on the forum desk, ${desk.sessions} live sessions to come, ${desk.kits} share kits`);
      // Last: the audit log's entries are made from every row above.
      const auditStarted = performance.now();
      const auditEntries = await generateAuditLog(tx);
      log(
        `generate: ${Object.values(auditEntries)
          .reduce((sum, n) => sum + n, 0)
          .toLocaleString("en")} audit log entries in ${((performance.now() - auditStarted) / 1000).toFixed(1)} s`,
      );
      return {
        customerQuestions: customers.questions,
        customerAnswered: customers.answered,
        escalations: desk.escalations,
        liveSessions: desk.sessions,
        shareKits: desk.kits,
        auditEntries,
        forumThreads: forum.threads,
        forumAnswers: forum.answers,
        users: people.length,
        questions: total,
        answers: counts.answers,
        votes: counts.votes,
        comments: counts.comments,
        tags: tagNames.length,
        spaces: SPACES.length + 1,
        ...ideas.counts,
        ...knowledge.counts,
        ...recognition.counts,
        badges: 0,
        signInEmail: people[signIn]!.email,
      };
    });

    // Badges: the grant job itself over the rows above (as the app's scheduler would run it), their notices already read.
    const badgesStarted = performance.now();
    const badgeDb = createDb(databaseUrl, { max: 1 });
    try {
      const granted = await grantBadges(badgeDb, new Date(state!.now.getTime() - 10 * MINUTE));
      await badgeDb.execute(drizzleSql`update notifications set read_at = created_at where kind = 'badge' and read_at is null`);
      // The company's history is no news to mail: without this, the app's first minutes after a
      // generate mailed every badge above (thousands, a day's worth of fresh notifications).
      await badgeDb.execute(drizzleSql`update notifications set mail_handled_at = created_at where mail_handled_at is null`);
      result.badges = granted.total;
      log(`generate: ${granted.total.toLocaleString("en")} badges granted in ${((performance.now() - badgesStarted) / 1000).toFixed(1)} s`);
      // The expertise model from everything above in one set-based pass (the triggers queued every
      // answerer; the full recompute covers them and empties the queue).
      const expertiseStarted = performance.now();
      const expertise = await recomputeAll(badgeDb, new Date(state!.now.getTime() - 10 * MINUTE), { queuePeople: false });
      log(
        `generate: expertise model, ${expertise.evidence.toLocaleString("en")} pieces of evidence for ${expertise.people.toLocaleString("en")} people in ${((performance.now() - expertiseStarted) / 1000).toFixed(1)} s`,
      );
    } finally {
      await badgeDb.close();
    }
    log(`generate: ${rows.toLocaleString("en")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s; vacuum analyze…`);
    await sql`vacuum analyze`;
    return { ...result, ms: Math.round(performance.now() - started) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type { Person };

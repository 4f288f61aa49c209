import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { forumAccounts, forumAnswers, forumMeToos, forumThreads } from "#db/schema/index.ts";
import { threadSlug } from "#app/features/publishing/urls.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { LIMITS, takeAttempt, tryAgainMessage } from "../accounts/rate-limit.server.ts";
import type { SignedInAccount } from "../accounts/session.server.ts";
import type { Refused } from "../feedback/feedback.server.ts";
import { htmlToText } from "../format.ts";
import { searchForum } from "../search.server.ts";
import { available, live, PAGE_SIZE, summaryColumns, type ThreadSummary } from "../threads.server.ts";

/**
 * Customers ask on the forum (issue 20): their questions, "Accept this answer", "I have this
 * question too", and the lists of questions. Everything here runs as the forum's role, which may
 * insert a thread only as a customer's question (a row-level policy) and update only `solved` and
 * `updated_at` of one, and `accepted` of an answer. A question is rendered by the one markdown
 * module, as a comment is. A new account's first question waits for a moderator (`pending`); the
 * app routes a visible one when `commons_forum_intake` tells it the thread's id.
 */

/** forum → app: a customer's question was asked (visible), accepted or got a "me too"; the payload is its id. */
export const INTAKE_CHANNEL = "commons_forum_intake";

export const TITLE_MIN = 10;
export const TITLE_MAX = 150;
export const BODY_MIN = 20;
export const BODY_MAX = 20_000;
export const TOPICS_MAX = 5;
export const TOPIC_MAX = 35;
const TOPIC_SHAPE = /^[a-z0-9][a-z0-9.+#-]*$/;
const SUMMARY_MAX = 200;
/** How many similar threads the ask form suggests. */
export const SIMILAR_MAX = 5;

/** "Kafka, TLS , kafka" → ["kafka", "tls"]: comma-separated, trimmed, lower-cased, each once. */
export function splitTopics(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export const AskSchema = z.object({
  title: z
    .string({ error: "Write a title" })
    .transform((v) => v.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(1, { error: "Write a title" })
        .min(TITLE_MIN, { error: `Use at least ${TITLE_MIN} characters: say what you want to know` })
        .max(TITLE_MAX, { error: `Use at most ${TITLE_MAX} characters` }),
    ),
  body: z
    .string({ error: "Describe your question" })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, { error: "Describe your question" })
        .min(BODY_MIN, { error: `Use at least ${BODY_MIN} characters: what did you try, what happened?` })
        .max(BODY_MAX, { error: `Use at most ${BODY_MAX.toLocaleString("en")} characters` }),
    ),
  topics: z
    .string()
    .optional()
    .default("")
    .transform(splitTopics)
    .pipe(
      z
        .array(z.string())
        .max(TOPICS_MAX, { error: `Use at most ${TOPICS_MAX} topics` })
        .refine((tags) => tags.every((tag) => tag.length <= TOPIC_MAX), { error: `Keep each topic to ${TOPIC_MAX} characters` })
        .refine((tags) => tags.every((tag) => TOPIC_SHAPE.test(tag)), {
          error: "Topics are words of letters, digits and . + # - (starting with a letter or digit), separated by commas",
        }),
    ),
});
export type AskInput = z.output<typeof AskSchema>;

/** The first words of the question as plain text: the lists', feeds' and search engines' summary. */
export function plainSummary(html: string): string {
  const text = htmlToText(html).replace(/\s+/g, " ").trim();
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1).trimEnd()}…` : text;
}

export type Asked = { ok: true; id: number; slug: string; pending: boolean };
export type AskRefusal = { ok: false; status: 400; errors: Record<string, string> } | { ok: false; status: 429; message: string } | { ok: false; status: 403; message: string };

/**
 * Posts a customer's question. The markdown is rendered before anything is counted or written;
 * the rate limits (per account and per address) are taken next; the insert reads the account's
 * trust in the same statement, so a question is `pending` exactly when no moderator has let this
 * account through yet. A visible question is announced on `commons_forum_intake`.
 */
export async function askQuestion(db: Db, account: SignedInAccount, input: AskInput, options: { clientAddress: string; now?: Date; questionsPerHour?: number }): Promise<Asked | AskRefusal> {
  const now = options.now ?? new Date();
  let bodyHtml: string;
  try {
    bodyHtml = renderField(input.body, "body");
  } catch (error) {
    const fieldErrors = (error as { fieldErrors?: Record<string, string> }).fieldErrors;
    if (fieldErrors) return { ok: false, status: 400, errors: fieldErrors };
    throw error;
  }
  const limited = await takeAttempt(db, [LIMITS.questionsPerAccount(account.id, options.questionsPerHour), LIMITS.questionsPerClient(options.clientAddress, options.questionsPerHour)], now);
  if (limited.limited) return { ok: false, status: 429, message: tryAgainMessage("Many questions were asked from here in the last hour.", limited.retryAfterMinutes) };
  const slug = threadSlug(input.title);
  const tags = sql`array[${sql.join(
    input.topics.map((tag) => sql`${tag}`),
    sql`, `,
  )}]::text[]`;
  const [row] = await db.execute<{ id: number; moderation: string }>(sql`
    insert into ${forumThreads} (slug, title, body, body_html, summary, author_name, tags, asked_at, origin, account_id, moderation)
    select ${slug}, ${input.title}, ${input.body}, ${bodyHtml}, ${plainSummary(bodyHtml)}, a.name, ${tags}, ${now.toISOString()}::timestamptz,
      'customer', a.id, (case when a.trusted_at is null then 'pending' else 'visible' end)::forum_moderation
    from ${forumAccounts} a
    where a.id = ${account.id} and a.verified_at is not null and a.deactivated_at is null
    returning id, moderation`);
  if (!row) return { ok: false, status: 403, message: "Confirm your address first: open the link we mailed you, or ask for a new one." };
  const pending = row.moderation === "pending";
  if (!pending) await notifyIntake(db, row.id);
  return { ok: true, id: row.id, slug, pending };
}

export async function notifyIntake(db: Db | Tx, threadId: number): Promise<void> {
  await db.execute(sql`select pg_notify(${INTAKE_CHANNEL}, ${String(threadId)})`);
}

export type SimilarThread = { title: string; url: string; solved: boolean };

/** Published threads like a title being typed: at most five, none when there is no title or no search. */
export async function similarThreads(db: Db, meiliUrl: string | undefined, q: string, onError?: (error: unknown) => void): Promise<SimilarThread[]> {
  const query = q.replace(/\s+/g, " ").trim().slice(0, TITLE_MAX);
  if (!query) return [];
  const result = await searchForum(db, { meiliUrl, onError }, query);
  return result.hits.slice(0, SIMILAR_MAX).map((hit) => ({ title: hit.title, url: `/t/${hit.id}/${encodeURIComponent(hit.slug)}`, solved: hit.solved }));
}

// ---- on a customer's thread --------------------------------------------------------------

const NOT_YOURS = "Only the customer who asked this question can accept an answer.";

/**
 * The asker accepts an answer: it becomes the solution (the others lose the mark) and the thread is
 * solved. Only on their own customer question; another customer's attempt changes nothing.
 */
export async function acceptAnswer(
  db: Db,
  account: SignedInAccount,
  thread: { id: number; origin: string; accountId: number | null },
  answerId: number,
  now = new Date(),
): Promise<{ ok: true } | Refused> {
  if (thread.origin !== "customer" || thread.accountId !== account.id) return { ok: false, status: 403, reason: "not-yours", message: NOT_YOURS };
  return db.transaction(async (tx) => {
    const [answer] = await tx
      .select({ id: forumAnswers.id })
      .from(forumAnswers)
      .where(and(eq(forumAnswers.id, answerId), eq(forumAnswers.threadId, thread.id)))
      .limit(1);
    if (!answer) return { ok: false as const, status: 404 as const, reason: "missing" as const };
    await tx
      .update(forumAnswers)
      .set({ accepted: sql`${forumAnswers.id} = ${answerId}` })
      .where(eq(forumAnswers.threadId, thread.id));
    await tx
      .update(forumThreads)
      .set({ solved: true, updatedAt: now })
      .where(and(eq(forumThreads.id, thread.id), eq(forumThreads.accountId, account.id), eq(forumThreads.origin, "customer")));
    await notifyIntake(tx, thread.id);
    return { ok: true as const };
  });
}

/**
 * "I have this question too" from another customer, on a customer's question: once more takes it
 * back. The count feeds the first escalation rule, so the app hears of each change.
 */
export async function toggleMeToo(
  db: Db,
  account: SignedInAccount,
  thread: { id: number; origin: string; accountId: number | null },
  now = new Date(),
): Promise<{ ok: true; on: boolean } | Refused> {
  if (!account.verified) return { ok: false, status: 403, reason: "unverified", message: "Confirm your address first: open the link we mailed you, or ask for a new one." };
  if (thread.origin !== "customer") return { ok: false, status: 404, reason: "missing" };
  if (thread.accountId === account.id) return { ok: false, status: 403, reason: "not-yours", message: "This is your own question." };
  const limited = await takeAttempt(db, [LIMITS.meTooPerAccount(account.id)], now);
  if (limited.limited) return { ok: false, status: 429, reason: "rate-limited", message: tryAgainMessage("You have said “me too” many times in the last hour.", limited.retryAfterMinutes) };
  const on = await db.transaction(async (tx) => {
    const taken = await tx
      .delete(forumMeToos)
      .where(and(eq(forumMeToos.threadId, thread.id), eq(forumMeToos.accountId, account.id)))
      .returning({ threadId: forumMeToos.threadId });
    if (taken.length > 0) return false;
    await tx.insert(forumMeToos).values({ threadId: thread.id, accountId: account.id, createdAt: now }).onConflictDoNothing();
    return true;
  });
  await notifyIntake(db, thread.id);
  return { ok: true, on };
}

/** How many customers have a question too, and whether the reader is one of them. */
export async function meTooState(db: Db, threadId: number, accountId: number | null): Promise<{ count: number; mine: boolean }> {
  const [row] = await db
    .select({ n: count(), mine: sql<boolean>`coalesce(bool_or(${forumMeToos.accountId} = ${accountId ?? 0}), false)` })
    .from(forumMeToos)
    .where(eq(forumMeToos.threadId, threadId));
  return { count: Number(row?.n ?? 0), mine: accountId !== null && Boolean(row?.mine) };
}

// ---- lists -------------------------------------------------------------------------------

export const QUESTION_TABS = ["all", "unanswered", "solved"] as const;
export type QuestionTab = (typeof QUESTION_TABS)[number];

export type QuestionSummary = ThreadSummary & { meToos: number };

const meTooCount = sql<number>`(select count(*) from ${forumMeToos} m where m.thread_id = ${forumThreads.id})`.mapWith(Number);

const questionColumns = {
  ...summaryColumns,
  askedAt: forumThreads.askedAt,
  meToos: meTooCount,
};

/**
 * Customers' visible questions, newest first, 25 to a page after the thread `before` (keyset, as
 * the home page): all of them, the unanswered or the solved. One query, counts and all.
 */
export async function customerQuestions(
  db: Db,
  options: { tab: QuestionTab; before?: number; limit?: number },
): Promise<{ questions: Array<QuestionSummary & { askedAt: Date }>; next: number | null }> {
  const limit = options.limit ?? QUESTIONS_PAGE_SIZE;
  const conditions: SQL[] = [live, eq(forumThreads.origin, "customer")];
  if (options.tab === "unanswered") conditions.push(sql`${forumThreads.answerCount} = 0 and not ${forumThreads.solved}`);
  if (options.tab === "solved") conditions.push(eq(forumThreads.solved, true));
  if (options.before !== undefined) {
    conditions.push(sql`(${forumThreads.publishedAt}, ${forumThreads.id}) < (select c.published_at, c.id from forum_threads c where c.id = ${options.before})`);
  }
  const rows = await db
    .select(questionColumns)
    .from(forumThreads)
    .where(and(...conditions))
    .orderBy(desc(forumThreads.publishedAt), desc(forumThreads.id))
    .limit(limit + 1);
  const questions = rows.slice(0, limit);
  return { questions, next: rows.length > limit ? questions[questions.length - 1]!.id : null };
}

export const QUESTIONS_PAGE_SIZE = 25;
export const MY_PAGE_SIZE = PAGE_SIZE;

export type MyQuestion = Pick<ThreadSummary, "id" | "slug" | "title" | "answerCount" | "solved"> & {
  askedAt: Date;
  moderation: "visible" | "pending" | "removed";
  escalationState: "escalated" | "resolved" | null;
  gone: boolean;
};

/** The status of one's own question, in words. */
export function questionStatus(q: Pick<MyQuestion, "moderation" | "escalationState" | "solved" | "answerCount" | "gone">): string {
  if (q.moderation === "removed") return "Removed by a moderator";
  if (q.gone) return "No longer published";
  if (q.moderation === "pending") return "Waiting for a moderator";
  if (q.escalationState === "resolved") return "Resolved by our team";
  if (q.escalationState === "escalated") return "Escalated to our team";
  if (q.solved) return "Solved";
  if (q.answerCount > 0) return `Answered (${q.answerCount})`;
  return "Waiting for an answer";
}

/** A customer's own questions, newest first (keyset on the id: the account index's order), whatever their state. */
export async function myQuestions(db: Db, accountId: number, options: { before?: number; limit?: number } = {}): Promise<{ questions: MyQuestion[]; next: number | null }> {
  const limit = options.limit ?? MY_PAGE_SIZE;
  const conditions: SQL[] = [eq(forumThreads.accountId, accountId), eq(forumThreads.origin, "customer")];
  if (options.before !== undefined) conditions.push(sql`${forumThreads.id} < ${options.before}`);
  const rows = await db
    .select({
      id: forumThreads.id,
      slug: forumThreads.slug,
      title: forumThreads.title,
      answerCount: forumThreads.answerCount,
      solved: forumThreads.solved,
      askedAt: forumThreads.askedAt,
      moderation: forumThreads.moderation,
      escalationState: forumThreads.escalationState,
      gone: sql<boolean>`not (${available})`,
    })
    .from(forumThreads)
    .where(and(...conditions))
    .orderBy(desc(forumThreads.id))
    .limit(limit + 1);
  const questions = rows.slice(0, limit);
  return { questions, next: rows.length > limit ? questions[questions.length - 1]!.id : null };
}

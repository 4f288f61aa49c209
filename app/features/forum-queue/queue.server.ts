import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { canAnswerPublicly } from "./intake.server.ts";
import { isForumModerator } from "./settings.server.ts";
import { slaState, type SlaState } from "./sla.ts";

/**
 * The forum queue (docs/forum-desk.md): customers' questions as employees work them. Everything
 * here is already public on the forum except who it was routed to and the suggestions, which every
 * employee may see (nothing in them comes from a space).
 */

export const QUEUE_TABS = ["mine", "open", "answered", "solved"] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];
export const QUEUE_PAGE_SIZE = 25;

export function queueTabOf(value: string | null): QueueTab | null {
  return QUEUE_TABS.includes(value as QueueTab) ? (value as QueueTab) : null;
}

export type QueueRow = {
  threadId: number;
  title: string;
  topics: string[];
  customerName: string;
  askedAt: Date;
  answers: number;
  meToos: number;
  escalation: "escalated" | "resolved" | null;
  status: "open" | "answered" | "solved" | "closed";
  sla: SlaState;
};

function activeEmployee(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt) throw new NotFoundError();
}

/**
 * One tab of the queue, 25 a page: "Routed to me" (open and answered questions routed to the
 * reader, soonest due first; the default when there are any), "Open" (soonest due first),
 * "Answered" and "Solved" (newest first). Three queries.
 */
export async function queuePage(db: Db, actor: Actor, input: { tab: QueueTab | null; page: number; now: Date }) {
  activeEmployee(actor);
  const [mine] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from forum_routes r join forum_queue q on q.thread_id = r.thread_id
     where r.user_id = ${actor.id} and q.status in ('open', 'answered')`);
  const mineCount = Number(mine?.n ?? 0);
  const tab: QueueTab = input.tab ?? (mineCount > 0 ? "mine" : "open");
  const where =
    tab === "mine" ? sql`q.status in ('open', 'answered') and exists (select 1 from forum_routes r where r.thread_id = q.thread_id and r.user_id = ${actor.id})` : sql`q.status = ${tab}`;
  const order = tab === "mine" || tab === "open" ? sql`q.due_at, q.thread_id` : sql`q.routed_at desc, q.thread_id desc`;
  const offset = (input.page - 1) * QUEUE_PAGE_SIZE;
  const [rows, total] = await Promise.all([
    db.execute<{
      thread_id: number;
      title: string;
      topics: string[];
      customer_name: string | null;
      asked_at: string | Date;
      answer_count: number;
      me_toos: number;
      escalation_state: "escalated" | "resolved" | null;
      status: QueueRow["status"];
      due_at: string | Date;
      first_response_at: string | Date | null;
    }>(sql`
      select q.thread_id, t.title, q.topics, a.name as customer_name, t.asked_at, t.answer_count,
             (select count(*)::int from forum_me_toos m where m.thread_id = t.id) as me_toos,
             t.escalation_state, q.status, q.due_at, q.first_response_at
        from forum_queue q join forum_threads t on t.id = q.thread_id left join forum_accounts a on a.id = t.account_id
       where ${where}
       order by ${order} limit ${QUEUE_PAGE_SIZE} offset ${offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from forum_queue q where ${where}`),
  ]);
  const queue: QueueRow[] = rows.map((r) => ({
    threadId: Number(r.thread_id),
    title: r.title,
    topics: r.topics,
    customerName: r.customer_name ?? "A former customer",
    askedAt: new Date(r.asked_at),
    answers: Number(r.answer_count),
    meToos: Number(r.me_toos),
    escalation: r.escalation_state,
    status: r.status,
    sla: slaState(new Date(r.due_at), r.first_response_at ? new Date(r.first_response_at) : null, input.now),
  }));
  return { tab, rows: queue, mineCount, total: Number(total[0]?.n ?? 0), offset, pageSize: QUEUE_PAGE_SIZE, isModerator: isForumModerator(actor) };
}

export type SuggestionView = {
  id: number;
  authorId: number;
  authorName: string;
  html: string;
  status: "open" | "posted" | "dismissed";
  createdAt: Date;
  decidedByName: string | null;
};

/** Markdown stored as typed (a suggestion) shown through the one module; text it refuses shows as nothing rather than failing the page. */
function shown(body: string): string {
  try {
    return renderMarkdown(body);
  } catch {
    return "";
  }
}

/**
 * A customer's question in the queue: the question as customers see it, the answers so far, who it
 * was routed to and why, the SLA, whether the reader may answer publicly, and the suggestions
 * (all of them for those who may answer, the reader's own otherwise). Five queries.
 */
export async function queueThreadPage(db: Db, actor: Actor, threadId: number, now: Date) {
  activeEmployee(actor);
  if (!isRowId(threadId)) throw new NotFoundError();
  const [thread] = await db.execute<{
    id: number;
    slug: string;
    title: string;
    body_html: string;
    tags: string[];
    asked_at: string | Date;
    solved: boolean;
    escalation_state: "escalated" | "resolved" | null;
    escalation_outcome: string;
    customer_name: string | null;
    me_toos: number;
    topics: string[] | null;
    status: QueueRow["status"] | null;
    routed_at: string | Date | null;
    due_at: string | Date | null;
    first_response_at: string | Date | null;
    first_response_by: string | null;
  }>(sql`
    select t.id, t.slug, t.title, t.body_html, t.tags, t.asked_at, t.solved, t.escalation_state, t.escalation_outcome,
           a.name as customer_name, (select count(*)::int from forum_me_toos m where m.thread_id = t.id) as me_toos,
           q.topics, q.status, q.routed_at, q.due_at, q.first_response_at, fu.name as first_response_by
      from forum_threads t left join forum_accounts a on a.id = t.account_id
      left join forum_queue q on q.thread_id = t.id left join users fu on fu.id = q.first_response_by_id
     where t.id = ${threadId} and t.origin = 'customer' and t.moderation = 'visible' and t.withdrawn_at is null`);
  if (!thread) throw new NotFoundError();
  const [canAnswer, answers, routes, suggestions] = await Promise.all([
    canAnswerPublicly(db, actor.id, threadId),
    db.execute<{ id: number; body_html: string; author_name: string; author_title: string; accepted: boolean; answered_at: string | Date; credit_name: string }>(sql`
      select id, body_html, author_name, author_title, accepted, answered_at, credit_name from forum_answers
       where thread_id = ${threadId} order by accepted desc, position, id`),
    db.execute<{ user_id: number; name: string; title: string; topic: string; reason: "sme" | "responder" | "expert"; routed_at: string | Date }>(sql`
      select r.user_id, u.name, u.title, r.topic, r.reason, r.routed_at from forum_routes r join users u on u.id = r.user_id
       where r.thread_id = ${threadId} order by r.reason, u.name`),
    db.execute<{ id: number; author_id: number; author_name: string; body: string; status: SuggestionView["status"]; created_at: string | Date; decided_by_name: string | null }>(sql`
      select s.id, s.author_id, u.name as author_name, s.body, s.status, s.created_at, d.name as decided_by_name
        from forum_suggestions s join users u on u.id = s.author_id left join users d on d.id = s.decided_by_id
       where s.thread_id = ${threadId} order by s.created_at, s.id limit 100`),
  ]);
  return {
    thread: {
      id: Number(thread.id),
      slug: thread.slug,
      title: thread.title,
      bodyHtml: thread.body_html,
      topics: thread.topics && thread.topics.length ? thread.topics : thread.tags,
      askedAt: new Date(thread.asked_at),
      solved: thread.solved,
      escalation: thread.escalation_state,
      escalationOutcome: thread.escalation_outcome,
      customerName: thread.customer_name ?? "A former customer",
      meToos: Number(thread.me_toos),
    },
    queue: thread.due_at
      ? {
          status: thread.status!,
          routedAt: new Date(thread.routed_at!),
          dueAt: new Date(thread.due_at),
          firstResponseBy: thread.first_response_by,
          sla: slaState(new Date(thread.due_at), thread.first_response_at ? new Date(thread.first_response_at) : null, now),
        }
      : null,
    answers: answers.map((a) => ({
      id: Number(a.id),
      html: a.body_html,
      authorName: a.author_name,
      authorTitle: a.author_title,
      accepted: a.accepted,
      answeredAt: new Date(a.answered_at),
      creditName: a.credit_name,
    })),
    routes: routes.map((r) => ({ userId: Number(r.user_id), name: r.name, title: r.title, topic: r.topic, reason: r.reason, routedAt: new Date(r.routed_at) })),
    suggestions: suggestions
      .filter((s) => canAnswer || Number(s.author_id) === actor.id)
      .map((s): SuggestionView => ({
        id: Number(s.id),
        authorId: Number(s.author_id),
        authorName: s.author_name,
        html: shown(s.body),
        status: s.status,
        createdAt: new Date(s.created_at),
        decidedByName: s.decided_by_name,
      })),
    canAnswer,
  };
}

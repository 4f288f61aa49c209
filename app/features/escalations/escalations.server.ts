import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { forumEscalations, forumThreads, posts, users } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { FORUM_CHANNEL } from "#app/features/publishing/forum-write.server.ts";
import { forumThreadUrl } from "#app/features/publishing/urls.ts";
import { askQuestion } from "#app/features/qa/posts.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { TITLE_MAX, TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { spaceSelect } from "#app/features/spaces/spaces.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { type RuleName, type Severity } from "./model.ts";
import { type AssignSchema, type EscalationFilter, type OpenQuestionSchema, PAGE_SIZE, type ResolveSchema } from "./schemas.ts";
import { escalationSettings } from "./settings.server.ts";

/**
 * The escalation queue (issue 20): moderators and admins work every escalation; anyone an
 * escalation is assigned to sees and works their own (but only moderators and admins reassign,
 * change the severity or dismiss). Anyone else gets the 404 of a missing page. Each action on an
 * escalation locks its row; the first one of any kind is its first response.
 */

const HOUR = 3_600_000;
const OPEN_STATUSES = ["open", "investigating"] as const;

/** Moderators and admins: the forum desk's escalations are theirs to work. */
export function worksEscalations(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && (actor.role === "moderator" || actor.role === "admin");
}

function activeEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

export type EscalationRow = {
  id: number;
  threadId: number;
  title: string;
  severity: Severity;
  status: "open" | "investigating" | "resolved" | "dismissed";
  rules: RuleName[];
  assignee: { id: number; name: string } | null;
  dueAt: Date;
  firstResponseAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
};

const assignees = alias(users, "assignee");

const rowColumns = {
  id: forumEscalations.id,
  threadId: forumEscalations.threadId,
  title: forumThreads.title,
  severity: forumEscalations.severity,
  status: forumEscalations.status,
  rules: forumEscalations.rules,
  assigneeId: forumEscalations.assigneeId,
  assigneeName: assignees.name,
  dueAt: forumEscalations.dueAt,
  firstResponseAt: forumEscalations.firstResponseAt,
  createdAt: forumEscalations.createdAt,
  resolvedAt: forumEscalations.resolvedAt,
};

function toRow(r: { [K in keyof typeof rowColumns]: unknown }): EscalationRow {
  const row = r as {
    id: number;
    threadId: number;
    title: string;
    severity: Severity;
    status: EscalationRow["status"];
    rules: string[];
    assigneeId: number | null;
    assigneeName: string | null;
    dueAt: Date;
    firstResponseAt: Date | null;
    createdAt: Date;
    resolvedAt: Date | null;
  };
  return {
    id: row.id,
    threadId: row.threadId,
    title: row.title,
    severity: row.severity,
    status: row.status,
    rules: row.rules as RuleName[],
    assignee: row.assigneeId !== null && row.assigneeName !== null ? { id: row.assigneeId, name: row.assigneeName } : null,
    dueAt: row.dueAt,
    firstResponseAt: row.firstResponseAt,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
  };
}

function filterCondition(filter: EscalationFilter, actor: Actor): SQL {
  switch (filter) {
    case "mine":
      return and(eq(forumEscalations.assigneeId, actor.id), inArray(forumEscalations.status, [...OPEN_STATUSES]))!;
    default:
      return eq(forumEscalations.status, filter);
  }
}

/**
 * A page of the queue. Moderators and admins see every escalation; someone else sees only those
 * assigned to them (and a 404 when there are none, as for anyone without a use for the page).
 */
export async function escalationList(db: Db, actor: Actor, options: { filter: EscalationFilter; page: number }) {
  if (!activeEmployee(actor)) throw new NotFoundError();
  const desk = worksEscalations(actor);
  const scope: SQL = desk ? sql`true` : eq(forumEscalations.assigneeId, actor.id);
  const where = and(scope, filterCondition(options.filter, actor))!;
  const closed = options.filter === "resolved" || options.filter === "dismissed";
  const [counts, rows] = await Promise.all([
    db.execute<{ status: string; mine: boolean; count: number }>(sql`
      select status, (assignee_id is not distinct from ${actor.id}) as mine, count(*)::int as count
        from forum_escalations where ${scope} group by 1, 2`),
    db
      .select(rowColumns)
      .from(forumEscalations)
      .innerJoin(forumThreads, eq(forumThreads.id, forumEscalations.threadId))
      .leftJoin(assignees, eq(assignees.id, forumEscalations.assigneeId))
      .where(where)
      .orderBy(
        ...(closed
          ? [desc(forumEscalations.resolvedAt), desc(forumEscalations.id)]
          : [asc(forumEscalations.dueAt), desc(sql`array_position(array['low','medium','high','critical']::escalation_severity[], ${forumEscalations.severity})`), asc(forumEscalations.id)]),
      )
      .limit(PAGE_SIZE)
      .offset((options.page - 1) * PAGE_SIZE),
  ]);
  const tally: Record<EscalationFilter, number> = { open: 0, investigating: 0, resolved: 0, dismissed: 0, mine: 0 };
  for (const c of counts) {
    tally[c.status as Exclude<EscalationFilter, "mine">] += Number(c.count);
    if (c.mine && (c.status === "open" || c.status === "investigating")) tally.mine += Number(c.count);
  }
  if (!desk && Object.values(tally).every((n) => n === 0)) throw new NotFoundError();
  return { rows: rows.map(toRow), counts: tally, total: tally[options.filter], desk };
}

export type EscalationDetail = Awaited<ReturnType<typeof escalationPage>>;

/** One escalation with its customer thread, what the reader may do, and the internal question if they may see it. */
export async function escalationPage(db: Db, actor: ReputationActor, id: number) {
  if (!activeEmployee(actor) || !isRowId(id)) throw new NotFoundError();
  const [row] = await db
    .select({
      escalation: forumEscalations,
      assigneeName: assignees.name,
      assigneeEmail: assignees.email,
      thread: {
        id: forumThreads.id,
        slug: forumThreads.slug,
        title: forumThreads.title,
        bodyHtml: forumThreads.bodyHtml,
        tags: forumThreads.tags,
        askedAt: forumThreads.askedAt,
        moderation: forumThreads.moderation,
        solved: forumThreads.solved,
        answerCount: forumThreads.answerCount,
      },
      meToos: sql<number>`(select count(*)::int from forum_me_toos m where m.thread_id = ${forumThreads.id})`,
    })
    .from(forumEscalations)
    .innerJoin(forumThreads, eq(forumThreads.id, forumEscalations.threadId))
    .leftJoin(assignees, eq(assignees.id, forumEscalations.assigneeId))
    .where(eq(forumEscalations.id, id));
  const desk = worksEscalations(actor);
  if (!row || (!desk && row.escalation.assigneeId !== actor.id)) throw new NotFoundError();
  const e = row.escalation;
  const [question, spaces] = await Promise.all([
    e.questionId
      ? db
          .select({ id: posts.id, title: posts.title })
          .from(posts)
          .where(and(eq(posts.id, e.questionId), isNull(posts.deletedAt), inVisibleSpace(actor, posts.spaceId)))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    spaceSelect(db, actor, null),
  ]);
  const open = e.status === "open" || e.status === "investigating";
  const assigned = e.assigneeId === actor.id;
  return {
    escalation: {
      id: e.id,
      severity: e.severity,
      status: e.status,
      rules: e.rules as RuleName[],
      reasons: e.reasons,
      dueAt: e.dueAt,
      firstResponseAt: e.firstResponseAt,
      createdAt: e.createdAt,
      resolvedAt: e.resolvedAt,
      outcome: e.outcome,
      assignee: e.assigneeId !== null && row.assigneeName ? { id: e.assigneeId, name: row.assigneeName, handle: `@${(row.assigneeEmail ?? "").split("@")[0]}` } : null,
    },
    thread: { ...row.thread, meToos: Number(row.meToos), publicUrl: forumThreadUrl(row.thread.id, row.thread.slug), queueUrl: `/forum/queue/${row.thread.id}` },
    question: question ? { id: question.id, title: question.title ?? "", url: questionUrl(question) } : null,
    /** The escalation has a question the reader cannot see (a restricted space). */
    questionHidden: e.questionId !== null && !question,
    spaces: spaces.spaces,
    suggestedTags: row.thread.tags.filter((t) => t.length <= TAG_MAX_LENGTH && TAG_PATTERN.test(t)).slice(0, 5),
    can: {
      manage: desk && open,
      work: (desk || assigned) && open,
      resolve: (desk || assigned) && open,
      dismiss: desk && open,
    },
  };
}

// ---------------------------------------------------------------- actions

type Locked = typeof forumEscalations.$inferSelect;

/** Locks the escalation for this action; 404 for anyone who may not see it, 403 for what they may not do. */
async function lockEscalation(tx: Tx, actor: Actor, id: number, need: "manage" | "work"): Promise<Locked> {
  if (!activeEmployee(actor) || !isRowId(id)) throw new NotFoundError();
  const [row] = await tx.select().from(forumEscalations).where(eq(forumEscalations.id, id)).for("update");
  const desk = worksEscalations(actor);
  if (!row || (!desk && row.assigneeId !== actor.id)) throw new NotFoundError();
  if (need === "manage" && !desk) throw new ForbiddenError("Only moderators and admins reassign an escalation, change its severity or dismiss it.");
  return row;
}

function requireOpen(row: Locked): void {
  if (row.status !== "open" && row.status !== "investigating") throw new InputError(`This escalation was ${row.status} already: nothing changed.`);
}

/** Every action is a response: the first one stops the SLA's clock. */
function responded(row: Locked, now: Date) {
  return { firstResponseAt: row.firstResponseAt ?? now, updatedAt: now };
}

export async function assignEscalation(db: Db, actor: Actor, id: number, input: z.output<typeof AssignSchema>, now = new Date()): Promise<{ changed: boolean; name: string | null }> {
  return db.transaction(async (tx) => {
    const row = await lockEscalation(tx, actor, id, "manage");
    requireOpen(row);
    let assigneeId: number | null = null;
    let name: string | null = null;
    if (input.assignee) {
      const handle = input.assignee.replace(/^@/, "").toLowerCase();
      assigneeId = (await usersByHandle(tx, [handle])).get(handle) ?? null;
      if (assigneeId === null) throw InputError.field("assignee", `No one active goes by @${handle.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
      const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, assigneeId));
      name = person?.name ?? null;
    }
    if (row.assigneeId === assigneeId) return { changed: false, name };
    await tx
      .update(forumEscalations)
      .set({ assigneeId, ...responded(row, now) })
      .where(eq(forumEscalations.id, id));
    return { changed: true, name };
  });
}

/** A new severity; while nobody has responded, the SLA runs from the escalation's start at the new severity's hours. */
export async function setEscalationSeverity(db: Db, actor: Actor, id: number, severity: Severity, now = new Date()): Promise<{ changed: boolean }> {
  const settings = await escalationSettings(db);
  return db.transaction(async (tx) => {
    const row = await lockEscalation(tx, actor, id, "manage");
    requireOpen(row);
    if (row.severity === severity) return { changed: false };
    const dueAt = row.firstResponseAt ? row.dueAt : new Date(row.createdAt.getTime() + settings.slaHours[severity] * HOUR);
    await tx
      .update(forumEscalations)
      .set({ severity, dueAt, ...responded(row, now) })
      .where(eq(forumEscalations.id, id));
    return { changed: true };
  });
}

export async function setEscalationStatus(db: Db, actor: Actor, id: number, status: "open" | "investigating", now = new Date()): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const row = await lockEscalation(tx, actor, id, "work");
    requireOpen(row);
    if (row.status === status) return { changed: false };
    await tx
      .update(forumEscalations)
      .set({ status, ...responded(row, now) })
      .where(eq(forumEscalations.id, id));
    return { changed: true };
  });
}

/** Markdown that shows the customer's text as typed inside a quote, without @mentions reaching anyone inside. */
export function quoteCustomerText(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_.-])/gu, "&#64;")
    .split("\n")
    .map((line) => (line.trim() ? `> ${line}` : ">"))
    .join("\n");
}

/**
 * "Open an internal question": asks it in a space the actor chooses (the ask page's own service,
 * so the space's rules, tags and notifications apply), titled "Escalation: <title>", quoting the
 * customer and linking the public thread and this escalation. Once an escalation has a question,
 * asking again (a double submit, a second tab) returns that question.
 */
export async function openInternalQuestion(
  db: Db,
  actor: ReputationActor,
  id: number,
  input: z.output<typeof OpenQuestionSchema>,
  now = new Date(),
): Promise<{ questionId: number; title: string; created: boolean }> {
  if (!isRowId(id)) throw new NotFoundError();
  const [current] = await db
    .select({ escalation: forumEscalations, title: forumThreads.title, slug: forumThreads.slug, body: forumThreads.body })
    .from(forumEscalations)
    .innerJoin(forumThreads, eq(forumThreads.id, forumEscalations.threadId))
    .where(eq(forumEscalations.id, id));
  const e = current?.escalation;
  if (!current || !e || !activeEmployee(actor) || (!worksEscalations(actor) && e.assigneeId !== actor.id)) throw new NotFoundError();
  if (e.questionId) {
    const [existing] = await db.select({ title: posts.title }).from(posts).where(eq(posts.id, e.questionId));
    return { questionId: e.questionId, title: existing?.title ?? "", created: false };
  }
  requireOpen(e);
  const title = clip(`Escalation: ${current.title}`, TITLE_MAX);
  const body = [
    `A customer asked this on the public forum, and it escalated (${e.reasons.join("; ")}). Let's work it here.`,
    quoteCustomerText(`**${current.title}**\n\n${current.body || "(no text beyond the title)"}`),
    `The public thread: ${forumThreadUrl(e.threadId, current.slug)}`,
    `The escalation: ${appUrl(`/forum/escalations/${e.id}`)}`,
  ].join("\n\n");
  const asked = await askQuestion(db, actor, { space: input.space, title, body, tags: input.tags, submissionKey: input.submissionKey });
  await db.transaction(async (tx) => {
    const row = await lockEscalation(tx, actor, id, "work");
    await tx
      .update(forumEscalations)
      .set({ questionId: row.questionId ?? asked.id, ...responded(row, now) })
      .where(eq(forumEscalations.id, id));
  });
  return { questionId: asked.id, title, created: asked.created };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** Resolved, with what customers read on the thread; the forum's cached pages are dropped at commit. */
export async function resolveEscalation(db: Db, actor: Actor, id: number, input: z.output<typeof ResolveSchema>, now = new Date()): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const row = await lockEscalation(tx, actor, id, "work");
    if (row.status === "resolved") return { changed: false };
    requireOpen(row);
    await tx
      .update(forumEscalations)
      .set({ status: "resolved", outcome: input.outcome, resolvedAt: now, ...responded(row, now) })
      .where(eq(forumEscalations.id, id));
    await tx.update(forumThreads).set({ escalationState: "resolved", escalationOutcome: input.outcome, escalationUpdatedAt: now }).where(eq(forumThreads.id, row.threadId));
    await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(row.threadId)})`);
    return { changed: true };
  });
}

/** A false alarm: customers no longer see "escalated" on the thread. `resolved_at` says when it was closed. */
export async function dismissEscalation(db: Db, actor: Actor, id: number, now = new Date()): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const row = await lockEscalation(tx, actor, id, "manage");
    if (row.status === "dismissed") return { changed: false };
    requireOpen(row);
    await tx
      .update(forumEscalations)
      .set({ status: "dismissed", resolvedAt: now, ...responded(row, now) })
      .where(eq(forumEscalations.id, id));
    await tx.update(forumThreads).set({ escalationState: null, escalationOutcome: "", escalationUpdatedAt: now }).where(eq(forumThreads.id, row.threadId));
    await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(row.threadId)})`);
    return { changed: true };
  });
}

import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { liveSessionExperts, liveSessionQuestions, liveSessions, liveSessionVotes, posts, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { peopleInSpace } from "#app/features/ideas/people.server.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, canSeeSpace, inVisibleSpace, type Membership, spaceBySlugForActor, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { LIVE_CHANNEL } from "../../../server/live-hub.ts";
import type { SessionInput } from "./schemas.ts";
import { isOpen, type LiveQuestionView, type LiveState, type LiveStatus, PAST_PAGE_SIZE } from "./state.ts";
import { liveQuestionColumns, toggleVoteRow } from "#app/features/live/rows.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Live expert sessions inside the app (docs/live-sessions.md): scheduling, the session page's
 * reads, questions, votes, answers and the moderators' buttons. A forum session is seen by every
 * active employee; an internal one by whoever sees its space (the visibility module), and anything
 * else answers the 404 of a missing session. Every write tells the readers of both processes
 * through `pg_notify('commons_live', id)` in its own transaction.
 */

export type LiveSession = typeof liveSessions.$inferSelect;
export type LiveAccess = {
  session: LiveSession;
  space: { id: number; slug: string; name: string } | null;
  membership: Membership;
  canModerate: boolean;
  isExpert: boolean;
};

/** The most questions a page (and an event) carries: a session is an hour, not a forum. */
export const QUESTIONS_SHOWN = 500;
/** Upcoming and live sessions, listed whole (there are never many at once). */
const CURRENT_SHOWN = 50;

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

/** Tells both processes' hubs that a session changed (delivered at commit). */
export async function liveChanged(tx: Db | Tx, sessionId: number): Promise<void> {
  await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${String(sessionId)})`);
}

/** Forum sessions, and internal ones in a space the actor sees. */
function visibleSessions(actor: Actor): SQL {
  if (!isActiveEmployee(actor)) return sql`false`;
  return or(eq(liveSessions.audience, "forum"), and(eq(liveSessions.audience, "internal"), inVisibleSpace(actor, liveSessions.spaceId)))!;
}

/** Who may schedule: admins and site moderators anywhere, a space's moderators for its internal sessions. */
export async function canSchedule(db: Db | Tx, actor: Actor): Promise<boolean> {
  if (!isActiveEmployee(actor)) return false;
  if (actor.role === "admin" || actor.role === "moderator") return true;
  const [row] = await db
    .select({ one: sql`1` })
    .from(spaceMembers)
    .where(and(eq(spaceMembers.userId, actor.id), eq(spaceMembers.role, "moderator")))
    .limit(1);
  return row !== undefined;
}

/** The spaces an internal session may be scheduled in by the actor: those they moderate (all they see for site moderators and admins). */
export async function schedulableSpaces(db: Db | Tx, actor: Actor): Promise<Array<{ slug: string; name: string }>> {
  if (!isActiveEmployee(actor)) return [];
  const siteWide = actor.role === "admin" || actor.role === "moderator";
  return db
    .select({ slug: spaces.slug, name: spaces.name })
    .from(spaces)
    .where(
      and(
        visibleSpacesCondition(actor),
        siteWide
          ? sql`true`
          : sql`exists (select 1 from ${spaceMembers} where ${spaceMembers.spaceId} = ${spaces.id} and ${spaceMembers.userId} = ${actor.id} and ${spaceMembers.role} = 'moderator')`,
      ),
    )
    .orderBy(asc(spaces.name));
}

/**
 * Schedules a session with its experts. Forum sessions: admins and site moderators. Internal ones:
 * those and the space's moderators; every expert must see the space.
 */
export async function scheduleSession(db: Db, actor: Actor, input: SessionInput): Promise<{ id: number }> {
  if (!isActiveEmployee(actor)) throw new NotFoundError();
  const descriptionHtml = input.description === "" ? "" : renderField(input.description, "description");
  return db.transaction(async (tx) => {
    let spaceId: number | null = null;
    let expertIds: number[];
    if (input.audience === "internal") {
      // A space the actor cannot see reads as a missing one, as everywhere.
      const found = await spaceBySlugForActor(tx, actor, input.space).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw InputError.field("space", "Choose one of the spaces in the list.");
        throw error;
      });
      if (!isModerator(actor, found.membership)) throw InputError.field("space", "Only the space's moderators (and admins) schedule sessions in it.");
      spaceId = found.space.id;
      expertIds = await peopleInSpace(tx, input.experts, spaceId, "experts");
    } else {
      if (actor.role !== "admin" && actor.role !== "moderator") throw InputError.field("audience", "Only moderators and admins schedule sessions on the public forum.");
      const found = await usersByHandle(tx, input.experts);
      const unknown = input.experts.filter((h) => !found.has(h));
      if (unknown.length > 0)
        throw InputError.field("experts", `No one active goes by ${unknown.map((h) => `@${h}`).join(", ")}: use a colleague's handle, the part of their email before the @.`);
      expertIds = [...new Set(found.values())];
    }
    const [row] = await tx
      .insert(liveSessions)
      .values({
        title: input.title,
        description: input.description,
        descriptionHtml,
        topic: input.topic,
        audience: input.audience,
        spaceId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdById: actor.id,
      })
      .returning({ id: liveSessions.id });
    const id = row!.id;
    // Names and titles are kept as shown: the forum's role may not read `users`.
    await tx.execute(sql`
      insert into ${liveSessionExperts} (session_id, user_id, name, title)
      select ${id}, u.id, u.name, u.title from ${users} u where u.id = any(${intArray(expertIds)})`);
    return { id };
  });
}

export type SessionListRow = {
  id: number;
  title: string;
  topic: string;
  audience: "forum" | "internal";
  spaceName: string | null;
  startsAt: Date;
  endsAt: Date;
  status: LiveStatus;
  experts: string[];
};

/** The sessions list: live and upcoming ones whole, past ones a page at a time. Two queries. */
export async function sessionList(db: Db, actor: Actor, page: number): Promise<{ current: SessionListRow[]; past: SessionListRow[]; pastTotal: number; canSchedule: boolean }> {
  const columns = {
    id: liveSessions.id,
    title: liveSessions.title,
    topic: liveSessions.topic,
    audience: liveSessions.audience,
    spaceName: spaces.name,
    startsAt: liveSessions.startsAt,
    endsAt: liveSessions.endsAt,
    status: liveSessions.status,
    experts: sql<string[]>`coalesce((select array_agg(e.name order by e.name) from ${liveSessionExperts} e where e.session_id = ${liveSessions.id}), '{}')`,
  };
  const [current, pastRows, schedule] = await Promise.all([
    db
      .select(columns)
      .from(liveSessions)
      .leftJoin(spaces, eq(spaces.id, liveSessions.spaceId))
      .where(and(visibleSessions(actor), inArray(liveSessions.status, ["scheduled", "live"])))
      .orderBy(desc(sql`${liveSessions.status} = 'live'`), asc(liveSessions.startsAt), asc(liveSessions.id))
      .limit(CURRENT_SHOWN),
    db
      .select({ ...columns, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(liveSessions)
      .leftJoin(spaces, eq(spaces.id, liveSessions.spaceId))
      .where(and(visibleSessions(actor), inArray(liveSessions.status, ["ended", "cancelled"])))
      .orderBy(desc(liveSessions.startsAt), desc(liveSessions.id))
      .limit(PAST_PAGE_SIZE)
      .offset((page - 1) * PAST_PAGE_SIZE),
    canSchedule(db, actor),
  ]);
  return { current, past: pastRows.map(({ total: _total, ...row }) => row), pastTotal: pastRows[0]?.total ?? 0, canSchedule: schedule };
}

/**
 * One session for the actor, with their membership and what they may do: the 404 of a missing
 * session when they may not see it. `forUpdate` locks the session's row for a write.
 */
export async function loadSession(db: Db | Tx, actor: Actor, sessionId: number, options: { forUpdate?: boolean } = {}): Promise<LiveAccess> {
  if (!isRowId(sessionId) || !isActiveEmployee(actor)) throw new NotFoundError();
  const query = db
    .select({
      session: liveSessions,
      space: { id: spaces.id, slug: spaces.slug, name: spaces.name, visibility: spaces.visibility },
      role: spaceMembers.role,
      isExpert: sql<boolean>`exists (select 1 from ${liveSessionExperts} e where e.session_id = ${liveSessions.id} and e.user_id = ${actor.id})`,
    })
    .from(liveSessions)
    .leftJoin(spaces, eq(spaces.id, liveSessions.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, liveSessions.spaceId), eq(spaceMembers.userId, actor.id)))
    .where(and(eq(liveSessions.id, sessionId), visibleSessions(actor)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: liveSessions }) : await query;
  if (!row) throw new NotFoundError();
  const membership: Membership = row.role ? { role: row.role } : null;
  // The SQL condition already filtered; the same rule in code guards against a drift between the two.
  if (row.session.audience === "internal" && (!row.space || !canSeeSpace(actor, row.space, membership))) spaceNotFound();
  const space = row.space ? { id: row.space.id, slug: row.space.slug, name: row.space.name } : null;
  const canModerate = row.session.audience === "forum" ? actor.role === "admin" || actor.role === "moderator" : isModerator(actor, membership);
  return { session: row.session, space, membership, canModerate, isExpert: row.isExpert };
}

/** A session's questions as readers see them (hidden ones left out): most votes first, then oldest. One query. */
export async function liveQuestions(db: Db | Tx, sessionId: number): Promise<LiveQuestionView[]> {
  const rows = await db
    .select(liveQuestionColumns)
    .from(liveSessionQuestions)
    .where(and(eq(liveSessionQuestions.sessionId, sessionId), isNull(liveSessionQuestions.hiddenAt)))
    .orderBy(desc(liveSessionQuestions.votes), asc(liveSessionQuestions.createdAt), asc(liveSessionQuestions.id))
    .limit(QUESTIONS_SHOWN);
  return rows.map((r) => ({ ...r, answeredAt: r.answeredAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() }));
}

/**
 * The state the app's hub sends to a session's readers: the same for all of them, who were checked
 * when they connected. Null when the session is gone.
 */
export async function liveStateJson(db: Db, sessionId: number): Promise<string | null> {
  const [[session], questions] = await Promise.all([
    db.select({ status: liveSessions.status }).from(liveSessions).where(eq(liveSessions.id, sessionId)).limit(1),
    liveQuestions(db, sessionId),
  ]);
  if (!session) return null;
  const state: LiveState = { status: session.status, questions };
  return JSON.stringify(state);
}

export type SessionPage = {
  session: {
    id: number;
    title: string;
    descriptionHtml: string;
    topic: string;
    audience: "forum" | "internal";
    space: { slug: string; name: string } | null;
    startsAt: Date;
    endsAt: Date;
    threadId: number | null;
    questionId: number | null;
    questionTitle: string | null;
  };
  experts: Array<{ userId: number; name: string; title: string }>;
  state: LiveState;
  /** The reader's own up-votes (internal sessions). */
  myVotes: number[];
  can: { ask: boolean; vote: boolean; answer: boolean; moderate: boolean };
};

/** Everything the session page shows, in a fixed number of queries. */
export async function sessionPage(db: Db, actor: Actor, sessionId: number): Promise<SessionPage> {
  const access = await loadSession(db, actor, sessionId);
  const { session } = access;
  const [experts, questions, myVotes, question] = await Promise.all([
    db
      .select({ userId: liveSessionExperts.userId, name: liveSessionExperts.name, title: liveSessionExperts.title })
      .from(liveSessionExperts)
      .where(eq(liveSessionExperts.sessionId, session.id))
      .orderBy(asc(liveSessionExperts.name)),
    liveQuestions(db, session.id),
    session.audience === "internal"
      ? db
          .select({ id: liveSessionVotes.questionId })
          .from(liveSessionVotes)
          .innerJoin(liveSessionQuestions, eq(liveSessionQuestions.id, liveSessionVotes.questionId))
          .where(and(eq(liveSessionQuestions.sessionId, session.id), eq(liveSessionVotes.voter, `u:${actor.id}`)))
      : Promise.resolve([]),
    session.questionId
      ? db
          .select({ title: posts.title })
          .from(posts)
          .where(and(eq(posts.id, session.questionId), isNull(posts.deletedAt)))
      : Promise.resolve([]),
  ]);
  const open = isOpen(session.status);
  const internal = session.audience === "internal";
  return {
    session: {
      id: session.id,
      title: session.title,
      descriptionHtml: session.descriptionHtml,
      topic: session.topic,
      audience: session.audience,
      space: access.space ? { slug: access.space.slug, name: access.space.name } : null,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      threadId: session.threadId,
      questionId: question[0] ? session.questionId : null,
      questionTitle: question[0]?.title ?? null,
    },
    experts,
    state: { status: session.status, questions },
    myVotes: myVotes.map((v) => v.id),
    can: { ask: internal && open, vote: internal && open, answer: access.isExpert && open, moderate: access.canModerate },
  };
}

// ---- writes ----------------------------------------------------------------------------------

/** A question to an internal session, from one of its space's members, before or during it. */
export async function askLiveQuestion(db: Db, actor: Actor & { name: string }, sessionId: number, input: { body: string }): Promise<{ id: number }> {
  const bodyHtml = renderField(input.body, "body");
  return db.transaction(async (tx) => {
    const { session } = await loadSession(tx, actor, sessionId, { forUpdate: true });
    if (session.audience !== "internal") throw new ForbiddenError("Customers ask on the public forum: this session's questions come from there.");
    if (!isOpen(session.status)) throw InputError.field("body", "This session takes no more questions.");
    const [row] = await tx
      .insert(liveSessionQuestions)
      .values({ sessionId: session.id, userId: actor.id, authorName: actor.name, body: input.body, bodyHtml })
      .returning({ id: liveSessionQuestions.id });
    await liveChanged(tx, session.id);
    return { id: row!.id };
  });
}

/** The question and its session, for a write on it; a hidden question is as good as missing. */
async function loadQuestionFor(tx: Tx, actor: Actor, sessionId: number, questionId: number) {
  const access = await loadSession(tx, actor, sessionId, { forUpdate: true });
  if (!isRowId(questionId)) throw new NotFoundError();
  const [question] = await tx
    .select()
    .from(liveSessionQuestions)
    .where(and(eq(liveSessionQuestions.id, questionId), eq(liveSessionQuestions.sessionId, sessionId), isNull(liveSessionQuestions.hiddenAt)))
    .for("update");
  if (!question) throw new NotFoundError();
  return { ...access, question };
}

/**
 * An up-vote on an internal session's question, or taking it back: one per person, and the
 * question's `votes` moves in the same transaction as the vote row.
 */
export async function toggleLiveVote(db: Db, actor: Actor, sessionId: number, questionId: number): Promise<{ voted: boolean }> {
  return db.transaction(async (tx) => {
    const { session } = await loadQuestionFor(tx, actor, sessionId, questionId);
    if (session.audience !== "internal") throw new ForbiddenError("Customers vote on the public forum's session page.");
    if (!isOpen(session.status)) throw new ForbiddenError("This session has ended: its votes are final.");
    const voter = `u:${actor.id}`;
    const voted = await toggleVoteRow(tx, questionId, voter);
    await liveChanged(tx, session.id);
    return { voted };
  });
}

/** An expert's answer (or a new version of it), shown with their name and title as the session lists them. */
export async function answerLiveQuestion(db: Db, actor: Actor, sessionId: number, questionId: number, input: { body: string }): Promise<void> {
  const answerHtml = renderField(input.body, "body");
  await db.transaction(async (tx) => {
    const { session, isExpert } = await loadQuestionFor(tx, actor, sessionId, questionId);
    if (!isExpert) throw new ForbiddenError("Only the session's experts answer its questions.");
    if (!isOpen(session.status)) throw InputError.field("body", "This session has ended: its answers are final.");
    const [expert] = await tx
      .select({ name: liveSessionExperts.name, title: liveSessionExperts.title })
      .from(liveSessionExperts)
      .where(and(eq(liveSessionExperts.sessionId, session.id), eq(liveSessionExperts.userId, actor.id)));
    await tx
      .update(liveSessionQuestions)
      .set({ answer: input.body, answerHtml, answeredById: actor.id, answeredByName: expert!.name, answeredByTitle: expert!.title, answeredAt: sql`now()` })
      .where(eq(liveSessionQuestions.id, questionId));
    await liveChanged(tx, session.id);
  });
}

/** A moderator hides a question (off topic, abusive): gone from every reader's list at once. */
export async function hideLiveQuestion(db: Db, actor: Actor, sessionId: number, questionId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const { canModerate } = await loadQuestionFor(tx, actor, sessionId, questionId);
    if (!canModerate) throw new ForbiddenError("Only moderators hide a session's questions.");
    await tx
      .update(liveSessionQuestions)
      .set({ hiddenAt: sql`now()` })
      .where(eq(liveSessionQuestions.id, questionId));
    await liveChanged(tx, sessionId);
  });
}

const TRANSITIONS = {
  start: { from: ["scheduled"], to: "live", refused: "Only an upcoming session can start." },
  cancel: { from: ["scheduled", "live"], to: "cancelled", refused: "This session is over already." },
  end: { from: ["live"], to: "ended", refused: "Only a live session can end." },
} as const satisfies Record<string, { from: readonly LiveStatus[]; to: LiveStatus; refused: string }>;

/** Start, End or Cancel (moderators); "end" leaves the archiving to the caller (archive.server.ts). */
export async function moveSession(db: Db, actor: Actor, sessionId: number, move: keyof typeof TRANSITIONS): Promise<void> {
  await db.transaction(async (tx) => {
    const { session, canModerate } = await loadSession(tx, actor, sessionId, { forUpdate: true });
    if (!canModerate) throw new ForbiddenError("Only moderators and admins start, end or cancel a session.");
    const rule = TRANSITIONS[move];
    if (!(rule.from as readonly LiveStatus[]).includes(session.status)) throw new InputError(rule.refused);
    await tx
      .update(liveSessions)
      .set({ status: rule.to, updatedAt: sql`now()` })
      .where(eq(liveSessions.id, session.id));
    await liveChanged(tx, session.id);
  });
}

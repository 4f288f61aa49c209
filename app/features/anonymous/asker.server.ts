import { and, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { anonymousAskers, posts, spaceMembers, spaces } from "#db/schema/index.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { type Actor, canManageSpace, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { type BreakGlassRecord, breakGlassOn, type RelayMessage, relayMessagesOn } from "./moderation.server.ts";

/**
 * What the asker sees of their own anonymous questions, and only they: the questions (on
 * /questions/anonymous, the one place that lists them as theirs), the moderators' relay messages
 * and any break-glass on them. Everything is read by `anonymous_askers.user_id = actor`, so no one
 * else's question can come back.
 */

export const MINE_PAGE_SIZE = 10;

export type MyAnonymousQuestion = {
  id: number;
  title: string;
  /** Null for a question a moderator deleted: its page is gone for the asker too. */
  url: string | null;
  space: { slug: string; name: string };
  createdAt: Date;
  answerCount: number;
  accepted: boolean;
  messages: RelayMessage[];
  lookups: BreakGlassRecord[];
};

/** A page of the actor's anonymous questions in spaces they may still see, newest first, with their messages and look-ups. Three queries. */
export async function myAnonymousQuestions(db: Db, actor: Actor, page = 1): Promise<{ questions: MyAnonymousQuestion[]; total: number; offset: number; pageSize: number }> {
  const offset = (Math.max(1, page) - 1) * MINE_PAGE_SIZE;
  const rows = await db
    .select({
      id: posts.id,
      title: posts.title,
      createdAt: posts.createdAt,
      answerCount: posts.answerCount,
      acceptedAnswerId: posts.acceptedAnswerId,
      deletedAt: posts.deletedAt,
      space: { slug: spaces.slug, name: spaces.name },
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(anonymousAskers)
    .innerJoin(posts, eq(posts.id, anonymousAskers.questionId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(eq(anonymousAskers.userId, actor.id), visibleSpacesCondition(actor)))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(MINE_PAGE_SIZE)
    .offset(offset);
  // Past the last page the window count has no row to ride on.
  const total =
    rows[0]?.total ??
    (offset > 0
      ? ((
          await db
            .select({ n: count() })
            .from(anonymousAskers)
            .innerJoin(posts, eq(posts.id, anonymousAskers.questionId))
            .innerJoin(spaces, eq(spaces.id, posts.spaceId))
            .where(and(eq(anonymousAskers.userId, actor.id), visibleSpacesCondition(actor)))
        )[0]?.n ?? 0)
      : 0);
  const ids = rows.map((r) => r.id);
  const [messages, lookups] = await Promise.all([relayMessagesOn(db, ids), breakGlassOn(db, ids)]);
  return {
    questions: rows.map((r) => {
      const title = r.title ?? "";
      return {
        id: r.id,
        title,
        url: r.deletedAt ? null : questionUrl({ id: r.id, title }),
        space: r.space,
        createdAt: r.createdAt,
        answerCount: r.answerCount,
        accepted: r.acceptedAnswerId !== null,
        messages: messages.get(r.id) ?? [],
        lookups: lookups.get(r.id) ?? [],
      };
    }),
    total,
    offset,
    pageSize: MINE_PAGE_SIZE,
  };
}

export type AnonymousPanel = {
  /** The reader asked it: only then do they get the messages and look-ups. */
  askedByYou: boolean;
  /** The reader moderates its space (or is an admin): they may write to the asker or look them up. */
  canReachAsker: boolean;
  messages: RelayMessage[];
  lookups: BreakGlassRecord[];
};

/**
 * What the question page adds for an anonymous question (null for any other): whether the reader
 * asked it (compared, never returned as an id) and whether they may reach its asker. One query, and
 * two more for the asker alone.
 */
export async function anonymousPanel(db: Db, actor: Actor, question: { id: number; space: { id: number; visibility: "open" | "restricted" } }): Promise<AnonymousPanel | null> {
  const [row] = await db
    .select({
      mine: sql<boolean>`${anonymousAskers.userId} = ${actor.id}`,
      role: sql<
        "member" | "moderator" | null
      >`(select ${spaceMembers.role} from ${spaceMembers} where ${spaceMembers.spaceId} = ${question.space.id} and ${spaceMembers.userId} = ${actor.id})`,
    })
    .from(anonymousAskers)
    .where(eq(anonymousAskers.questionId, question.id));
  if (!row) return null;
  const canReachAsker = canManageSpace(actor, question.space, row.role ? { role: row.role } : null);
  if (!row.mine) return { askedByYou: false, canReachAsker, messages: [], lookups: [] };
  const [messages, lookups] = await Promise.all([relayMessagesOn(db, [question.id]), breakGlassOn(db, [question.id])]);
  return { askedByYou: true, canReachAsker, messages: messages.get(question.id) ?? [], lookups: lookups.get(question.id) ?? [] };
}

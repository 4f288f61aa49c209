import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { inOpenSpace } from "#app/features/spaces/visibility.server.ts";
import { campaigns, ideas, posts, users } from "#db/schema/index.ts";

/** Long bodies are cut: the start of a post is what search needs, and documents stay small. */
export const BODY_LIMIT = 10_000;
const ANSWER_LIMIT = 3_000;
/** Besides the accepted answer, this many best answers ride along in their question's document. */
export const TOP_ANSWERS = 3;

export interface QuestionDocument {
  id: number;
  type: "question";
  spaceId: number;
  title: string;
  body: string;
  tags: string[];
  status: "open" | "answered" | "closed";
  score: number;
  answerCount: number;
  accepted: boolean;
  authorId: number;
  authorName: string;
  authorDepartment: string;
  createdAt: number;
  lastActivityAt: number;
  /** PostgreSQL's updated_at in milliseconds: lets a reconcile compare versions. */
  version: number;
  answers: string[];
  /**
   * The id of each of `answers`, in the same order: search checks them against PostgreSQL, so an
   * answer deleted a moment ago neither matches nor shows in a snippet before the relay re-reads
   * its question.
   */
  answerIds: number[];
}

export interface PersonDocument {
  id: number;
  name: string;
  title: string;
  department: string;
  location: string;
  topTags: string[];
  reputation: number;
  version: number;
}

export interface IdeaDocument {
  id: number;
  type: "idea";
  spaceId: number;
  campaignId: number;
  campaignTitle: string;
  title: string;
  body: string;
  tags: string[];
  /** One of the campaign's categories, or "" when it has none. */
  category: string;
  status: (typeof ideas.$inferSelect)["status"];
  voteCount: number;
  commentCount: number;
  authorId: number;
  authorName: string;
  authorDepartment: string;
  createdAt: number;
  version: number;
}

export interface Documents<T> {
  upserts: T[];
  deletes: number[];
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * The current search documents of questions, read from PostgreSQL in two queries. Ids that are
 * not live questions (deleted, gone, or not a question) come back in `deletes`.
 */
export async function questionDocuments(db: Db, ids: number[]): Promise<Documents<QuestionDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: posts.id,
      spaceId: posts.spaceId,
      title: posts.title,
      body: posts.body,
      tags: posts.tags,
      score: posts.score,
      answerCount: posts.answerCount,
      acceptedAnswerId: posts.acceptedAnswerId,
      closedAt: posts.closedAt,
      authorId: posts.authorId,
      authorName: users.name,
      authorDepartment: users.department,
      createdAt: posts.createdAt,
      lastActivityAt: posts.lastActivityAt,
      updatedAt: posts.updatedAt,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(inArray(posts.id, ids), eq(posts.type, "question"), isNull(posts.deletedAt)));

  const answersByQuestion = new Map<number, { ids: number[]; bodies: string[] }>();
  if (rows.length > 0) {
    const questionIds = rows.map((r) => r.id);
    // The accepted answer first, then the best by score; at most TOP_ANSWERS + 1 per question.
    const answers = await db.execute<{ question_id: number; id: number; body: string }>(sql`
      select question_id, id, body from (
        select a.parent_id as question_id, a.id, left(a.body, ${ANSWER_LIMIT}) as body,
               row_number() over (partition by a.parent_id order by (a.id = q.accepted_answer_id) desc, a.score desc, a.id) as rank,
               a.id = q.accepted_answer_id as accepted
        from posts a join posts q on q.id = a.parent_id
        where a.parent_id in ${sql.raw(`(${questionIds.map(Number).join(",")})`)}
          and a.type = 'answer' and a.deleted_at is null
      ) ranked
      where rank <= ${TOP_ANSWERS} or accepted
      order by question_id, rank`);
    for (const a of answers) {
      const list = answersByQuestion.get(Number(a.question_id)) ?? { ids: [], bodies: [] };
      list.ids.push(Number(a.id));
      list.bodies.push(a.body);
      answersByQuestion.set(Number(a.question_id), list);
    }
  }

  const upserts = rows.map((r): QuestionDocument => ({
    id: r.id,
    type: "question",
    spaceId: r.spaceId,
    title: r.title ?? "",
    body: r.body.slice(0, BODY_LIMIT),
    tags: r.tags,
    status: r.closedAt ? "closed" : r.acceptedAnswerId ? "answered" : "open",
    score: r.score,
    answerCount: r.answerCount,
    accepted: r.acceptedAnswerId !== null,
    authorId: r.authorId,
    authorName: r.authorName,
    authorDepartment: r.authorDepartment,
    createdAt: seconds(r.createdAt),
    lastActivityAt: seconds(r.lastActivityAt),
    version: r.updatedAt.getTime(),
    answers: answersByQuestion.get(r.id)?.bodies ?? [],
    answerIds: answersByQuestion.get(r.id)?.ids ?? [],
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

/** How many of a person's most used tags their document carries. */
const TOP_TAGS = 5;

/**
 * The current documents of people: active employees who have proven their address (customers,
 * deactivated, pending or missing accounts come back in `deletes`).
 *
 * One document answers every reader, and Meilisearch cannot hide an attribute from some readers
 * while matching on it for others: a tag in the document both shows in the hit and finds the
 * person. So the document holds only what every employee may see: top tags from questions in
 * open spaces, and the reputation earned in open spaces (decision 004). What a particular reader
 * may see beyond that (their visible total) is read from PostgreSQL at search time.
 */
export async function personDocuments(db: Db, ids: number[]): Promise<Documents<PersonDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      title: users.title,
      department: users.department,
      location: users.location,
      // Only what open spaces paid: a restricted space's share would tell outsiders of its activity.
      reputation: sql<number>`coalesce((select sum(e.delta) from reputation_events e where e.user_id = users.id and ${inOpenSpace(sql`e.space_id`)}), 0)::int`,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt)));

  const tagsByUser = new Map<number, string[]>();
  if (rows.length > 0) {
    const userIds = sql.raw(`(${rows.map((r) => Number(r.id)).join(",")})`);
    const tagRows = await db.execute<{ author_id: number; tag: string }>(sql`
      select author_id, tag from (
        select p.author_id, t.tag, row_number() over (partition by p.author_id order by count(*) desc, t.tag) as rank
        from posts p
        join posts q on q.id = coalesce(p.parent_id, p.id)
        cross join lateral unnest(q.tags) as t(tag)
        where p.author_id in ${userIds} and p.deleted_at is null and q.deleted_at is null and ${inOpenSpace(sql`q.space_id`)}
        group by p.author_id, t.tag
      ) ranked
      where rank <= ${TOP_TAGS}
      order by author_id, rank`);
    for (const r of tagRows) {
      const list = tagsByUser.get(Number(r.author_id)) ?? [];
      list.push(r.tag);
      tagsByUser.set(Number(r.author_id), list);
    }
  }

  const upserts = rows.map((r): PersonDocument => ({
    id: r.id,
    name: r.name,
    title: r.title,
    department: r.department,
    location: r.location,
    topTags: tagsByUser.get(r.id) ?? [],
    reputation: r.reputation,
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

/**
 * Everyone whose person document draws on a space: authors of its posts and people paid
 * reputation there. Their documents change when the space opens or closes.
 */
export async function peopleActiveInSpace(db: Db | Tx, spaceId: number): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`
    select author_id as id from posts where space_id = ${spaceId}
    union
    select user_id from reputation_events where space_id = ${spaceId}`);
  return rows.map((r) => Number(r.id));
}

/**
 * The current documents of ideas, in one query (with their author and campaign). A merged idea
 * keeps its document, with status "merged": its page stays readable and links to where it went.
 * Ids of ideas that are gone (deleted with their campaign or space) come back in `deletes`.
 */
export async function ideaDocuments(db: Db, ids: number[]): Promise<Documents<IdeaDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: ideas.id,
      spaceId: ideas.spaceId,
      campaignId: ideas.campaignId,
      campaignTitle: campaigns.title,
      title: ideas.title,
      body: ideas.body,
      tags: ideas.tags,
      category: ideas.category,
      status: ideas.status,
      voteCount: ideas.voteCount,
      commentCount: ideas.commentCount,
      authorId: ideas.authorId,
      authorName: users.name,
      authorDepartment: users.department,
      createdAt: ideas.createdAt,
      updatedAt: ideas.updatedAt,
    })
    .from(ideas)
    .innerJoin(campaigns, eq(campaigns.id, ideas.campaignId))
    .innerJoin(users, eq(users.id, ideas.authorId))
    .where(inArray(ideas.id, ids));

  const upserts = rows.map((r): IdeaDocument => ({
    id: r.id,
    type: "idea",
    spaceId: r.spaceId,
    campaignId: r.campaignId,
    campaignTitle: r.campaignTitle,
    title: r.title,
    body: r.body.slice(0, BODY_LIMIT),
    tags: r.tags,
    category: r.category,
    status: r.status,
    voteCount: r.voteCount,
    commentCount: r.commentCount,
    authorId: r.authorId,
    authorName: r.authorName,
    authorDepartment: r.authorDepartment,
    createdAt: seconds(r.createdAt),
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

import { and, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { inOpenSpace } from "#app/features/spaces/visibility.server.ts";
import { articles, badges, campaigns, companyValues, ideas, kudos, posts, users, wikiPages } from "#db/schema/index.ts";
import { evidenceText, type EvidenceFact } from "#app/features/expertise/evidence-words.ts";
import { scoreAt, type EvidenceKind } from "#app/features/expertise/model.ts";
import { getExpertiseSettings } from "#app/features/expertise/settings.server.ts";
import { recognitionDocumentId } from "./indexes.ts";
import { intArray } from "#db/sql-params.ts";

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
  /**
   * Issue 18: the person's expertise as every employee may see it (open spaces only, no hidden
   * topic): their strongest topics, best first (searchable and filterable)...
   */
  topics: string[];
  /** ...and their evidence in words, for search only ("3 accepted answers on postgres, owns the page Backups"). */
  expertise: string;
  /**
   * Not opted out of routing. Away ends by itself, so it is stored as a time: a person is open to
   * questions when `openToQuestions = true AND awayUntil < now` (ms; 0 when not away).
   */
  openToQuestions: boolean;
  awayUntil: number;
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

/** 2: verified and not yet due for review; 1: never verified; 0: verified once, now past its review date. */
export type Freshness = 0 | 1 | 2;

export interface PageDocument {
  id: number;
  type: "page";
  spaceId: number;
  /** The current slug, for the page's URL (the id finds the page; the slug only decorates it). */
  slug: string;
  title: string;
  /** The page's text without markup (from its rendered HTML), cut to BODY_LIMIT. */
  body: string;
  tags: string[];
  authorId: number;
  authorName: string;
  authorDepartment: string;
  /** The names of the page's owners, who vouch for it. */
  owners: string[];
  verified: boolean;
  /** Seconds since the epoch, or null: when a verified page needs its next review. */
  reviewDueAt: number | null;
  /** At indexing time; results compute "needs review" again from `reviewDueAt` when shown. */
  freshness: Freshness;
  /** Pages are not voted on: always 0, so the "highest score" sort has a number to compare. */
  score: 0;
  createdAt: number;
  /** When its text last changed: the last edit, or its creation. */
  updatedAt: number;
  version: number;
}

export interface ArticleDocument {
  id: number;
  type: "article";
  spaceId: number;
  title: string;
  body: string;
  tags: string[];
  articleType: (typeof articles.$inferSelect)["type"];
  score: number;
  commentCount: number;
  authorId: number;
  authorName: string;
  authorDepartment: string;
  createdAt: number;
  /** When readers first saw it: what "newest" and the "created" filter go by for articles. */
  publishedAt: number;
  version: number;
}

/**
 * A public kudos, in the `recognition` index beside badges. Private and withdrawn kudos have no
 * document at all: nobody but the people they concern may see them, and search serves everyone.
 */
export interface KudosDocument {
  /** "kudos-12": the index holds badges too. */
  id: string;
  type: "kudos";
  /** The space of the thing it thanks, or the company space. */
  spaceId: number;
  /** The message's text without markup. */
  body: string;
  giverId: number;
  giverName: string;
  /** The giver's department: the "author's department" filter reads it as for any other kind. */
  authorDepartment: string;
  /** Sorted by name; `receiverIds` in the same order. */
  receiverNames: string[];
  receiverIds: number[];
  valueName: string;
  valueEmoji: string;
  /** The title of the answer's question, the page, article or idea it thanks, or "". */
  subjectTitle: string;
  /** Every point on it, add-ons included. */
  points: number;
  /** Its "+1"s: what the "highest score" sort compares with other kinds' votes. */
  score: number;
  createdAt: number;
  version: number;
}

/** A badge that is not archived, in the company space (every active employee sees badges). */
export interface BadgeDocument {
  /** "badge-3". */
  id: string;
  type: "badge";
  spaceId: number;
  name: string;
  /** Its description. */
  body: string;
  tier: (typeof badges.$inferSelect)["tier"];
  holderCount: number;
  /** Badges are not voted on: always 0, so the "highest score" sort has a number to compare. */
  score: 0;
  createdAt: number;
  version: number;
}

/**
 * Every field of each kind's document, checked by the compiler against its interface (a field
 * missing here or named here but not in the document fails the type check). The index settings
 * may name only these (search/indexes.test.ts): a setting on a field no document has costs
 * nothing but hides a mistake, and a field no setting or page uses should not be in the document.
 */
const fields = <T>(all: Record<keyof T, true>): string[] => Object.keys(all);
export const DOCUMENT_FIELDS = {
  question: fields<QuestionDocument>({
    id: true,
    type: true,
    spaceId: true,
    title: true,
    body: true,
    tags: true,
    status: true,
    score: true,
    answerCount: true,
    authorId: true,
    authorName: true,
    authorDepartment: true,
    createdAt: true,
    lastActivityAt: true,
    version: true,
    answers: true,
    answerIds: true,
  }),
  person: fields<PersonDocument>({
    id: true,
    name: true,
    title: true,
    department: true,
    location: true,
    topTags: true,
    reputation: true,
    version: true,
    topics: true,
    expertise: true,
    openToQuestions: true,
    awayUntil: true,
  }),
  idea: fields<IdeaDocument>({
    id: true,
    type: true,
    spaceId: true,
    campaignId: true,
    campaignTitle: true,
    title: true,
    body: true,
    tags: true,
    category: true,
    status: true,
    voteCount: true,
    commentCount: true,
    authorId: true,
    authorName: true,
    authorDepartment: true,
    createdAt: true,
    version: true,
  }),
  wiki_page: fields<PageDocument>({
    id: true,
    type: true,
    spaceId: true,
    slug: true,
    title: true,
    body: true,
    tags: true,
    authorId: true,
    authorName: true,
    authorDepartment: true,
    owners: true,
    verified: true,
    reviewDueAt: true,
    freshness: true,
    score: true,
    createdAt: true,
    updatedAt: true,
    version: true,
  }),
  article: fields<ArticleDocument>({
    id: true,
    type: true,
    spaceId: true,
    title: true,
    body: true,
    tags: true,
    articleType: true,
    score: true,
    commentCount: true,
    authorId: true,
    authorName: true,
    authorDepartment: true,
    createdAt: true,
    publishedAt: true,
    version: true,
  }),
  // The recognition index holds both: a setting may name a field of either.
  recognition: [
    ...new Set([
      ...fields<KudosDocument>({
        id: true,
        type: true,
        spaceId: true,
        body: true,
        giverId: true,
        giverName: true,
        authorDepartment: true,
        receiverNames: true,
        receiverIds: true,
        valueName: true,
        valueEmoji: true,
        subjectTitle: true,
        points: true,
        score: true,
        createdAt: true,
        version: true,
      }),
      ...fields<BadgeDocument>({ id: true, type: true, spaceId: true, name: true, body: true, tier: true, holderCount: true, score: true, createdAt: true, version: true }),
    ]),
  ],
};

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
        where a.parent_id = any(${intArray(questionIds)})
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
 * open spaces, the reputation earned in open spaces (decision 004), and the expertise from open
 * spaces without hidden topics (`personExpertise`). What a particular reader may see beyond that
 * (their visible total, the experts page's ranking) is read from PostgreSQL at search time.
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
      routingOptOut: users.routingOptOut,
      awayUntil: users.awayUntil,
      // Only what open spaces paid: a restricted space's share would tell outsiders of its activity.
      reputation: sql<number>`coalesce((select sum(e.delta) from reputation_events e where e.user_id = users.id and ${inOpenSpace(sql`e.space_id`)}), 0)::int`,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt)));

  const tagsByUser = new Map<number, string[]>();
  if (rows.length > 0) {
    const userIds = intArray(rows.map((r) => r.id));
    const tagRows = await db.execute<{ author_id: number; tag: string }>(sql`
      select author_id, tag from (
        select p.author_id, t.tag, row_number() over (partition by p.author_id order by count(*) desc, t.tag) as rank
        from posts p
        join posts q on q.id = coalesce(p.parent_id, p.id)
        cross join lateral unnest(q.tags) as t(tag)
        where p.author_id = any(${userIds}) and p.deleted_at is null and q.deleted_at is null and ${inOpenSpace(sql`q.space_id`)}
          -- A topic the person hid (issue 18) stays out of what everyone sees of them.
          and not exists (select 1 from user_topics h join tags ht on ht.id = h.tag_id where h.user_id = p.author_id and ht.name = t.tag and h.hidden)
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

  const expertise = await personExpertise(
    db,
    rows.map((r) => r.id),
  );

  const upserts = rows.map((r): PersonDocument => ({
    id: r.id,
    name: r.name,
    title: r.title,
    department: r.department,
    location: r.location,
    topTags: tagsByUser.get(r.id) ?? [],
    reputation: r.reputation,
    version: r.updatedAt.getTime(),
    topics: expertise.topics.get(r.id) ?? [],
    expertise: expertise.text.get(r.id) ?? "",
    openToQuestions: !r.routingOptOut,
    awayUntil: r.awayUntil?.getTime() ?? 0,
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

/** How many topics a person's document carries, and how long its evidence text may grow. */
const DOCUMENT_TOPICS = 10;
const EXPERTISE_TEXT_LIMIT = 2_000;

/**
 * The expertise in these people's documents (issue 18, docs/expertise.md): built once for every
 * reader, so from open spaces only (`inOpenSpace` on each piece of evidence's own space) and
 * without the topics a person hid. Topics are ranked as the model ranks them (score × confidence,
 * plus the small part of a declared topic); the text lists the evidence in the experts' words.
 * Two queries for the whole batch.
 */
async function personExpertise(db: Db, ids: number[]): Promise<{ topics: Map<number, string[]>; text: Map<number, string> }> {
  const topics = new Map<number, string[]>();
  const text = new Map<number, string>();
  if (ids.length === 0) return { topics, text };
  const s = await getExpertiseSettings(db);
  const people = sql`${`{${ids.join(",")}}`}::int[]`;
  // A declared skill counts only on a tag everyone can see (questions in an open space use it):
  // one named after a restricted space's work would tell outsiders what that space works on.
  const usedInOpenSpace = (tag: SQL) => sql`exists (select 1 from space_tags st where st.tag_id = ${tag} and st.question_count > 0 and ${inOpenSpace(sql`st.space_id`)})`;
  const hidden = (user: SQL, tag: SQL) => sql`exists (select 1 from user_topics h where h.user_id = ${user} and h.tag_id = ${tag} and h.hidden)`;
  const [ranked, factRows] = await Promise.all([
    db.execute<{ user_id: number; tag: string }>(sql`
      select user_id, tag from (
        select c.user_id, t.name as tag,
               row_number() over (
                 partition by c.user_id
                 order by c.d * (c.n::float8 / (c.n + ${s.confidenceK}::float8)) * ${scoreAt(1, new Date(), s.halfLifeDays)}::float8
                          + case when c.declared then ${s.weights.declared}::float8 else 0 end desc, t.name
               ) as rank
          from (
            select coalesce(p.user_id, d.user_id) as user_id, coalesce(p.tag_id, d.tag_id) as tag_id,
                   coalesce(p.d, 0) as d, coalesce(p.n, 0) as n, d.user_id is not null as declared
              from (select es.user_id, es.tag_id, sum(es.decayed) as d, sum(es.evidence_count) as n from expertise_scores es
                     where es.user_id = any(${people}) and ${inOpenSpace(sql`es.space_id`)} group by es.user_id, es.tag_id) p
              full join (select user_id, tag_id from user_topics ut where user_id = any(${people}) and declared and ${usedInOpenSpace(sql`ut.tag_id`)}) d
                on d.user_id = p.user_id and d.tag_id = p.tag_id
          ) c join tags t on t.id = c.tag_id
         where not ${hidden(sql`c.user_id`, sql`c.tag_id`)}
      ) r
      where rank <= ${DOCUMENT_TOPICS}
      order by user_id, rank`),
    db.execute<{ user_id: number; kind: EvidenceKind; tag: string; n: number; titles: string[] | null }>(sql`
      select e.user_id, e.kind, t.name as tag, count(*)::int as n,
             (array_agg(distinct p.title) filter (where p.title is not null))[1:5] as titles
        from expertise_evidence e join tags t on t.id = e.tag_id
        left join wiki_pages p on p.item_id = e.item_id and e.kind in ('page_owned', 'page_verified') and p.deleted_at is null
       where e.user_id = any(${people}) and ${inOpenSpace(sql`e.space_id`)} and not ${hidden(sql`e.user_id`, sql`e.tag_id`)}
       group by e.user_id, e.kind, t.name
      union all
      select ut.user_id, 'declared', t.name, 1, null from user_topics ut join tags t on t.id = ut.tag_id
       where ut.user_id = any(${people}) and ut.declared and not ut.hidden and ${usedInOpenSpace(sql`ut.tag_id`)}`),
  ]);
  for (const r of ranked) topics.set(Number(r.user_id), [...(topics.get(Number(r.user_id)) ?? []), r.tag]);
  const facts = new Map<number, EvidenceFact[]>();
  for (const f of factRows) facts.set(Number(f.user_id), [...(facts.get(Number(f.user_id)) ?? []), { kind: f.kind, n: Number(f.n), tag: f.tag, titles: f.titles ?? [] }]);
  for (const [userId, list] of facts) text.set(userId, evidenceText(list).slice(0, EXPERTISE_TEXT_LIMIT));
  return { topics, text };
}

/**
 * Everyone whose person document draws on a space: authors of its posts, people paid reputation
 * there and people with expertise from it. Their documents change when the space opens or closes.
 */
export async function peopleActiveInSpace(db: Db | Tx, spaceId: number): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`
    select author_id as id from posts where space_id = ${spaceId}
    union
    select user_id from reputation_events where space_id = ${spaceId}
    union
    select user_id from expertise_scores where space_id = ${spaceId}`);
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

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The text of sanitized HTML (a page's or an article's stored body): tags dropped, block ends as
 * spaces, entities decoded, whitespace squeezed. Search matches and snippets then show words, not
 * markdown punctuation. Only for indexing: what comes out is shown as text, never as HTML.
 */
export function htmlText(html: string): string {
  return html
    .replace(/<(?:br|hr|\/(?:p|h[1-6]|li|blockquote|pre|tr|td|th|div))\b[^>]*>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (entity: string, name: string) => {
      if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? entity;
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    })
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A page's freshness now, in SQL (the clock of the database, for the documents and the reconcile
 * alike): 2 verified and not yet due, 1 never verified, 0 past its review date.
 */
export const pageFreshnessSql = sql<number>`(case when ${wikiPages.verifiedAt} is null then 1 when ${wikiPages.reviewDueAt} is null or ${wikiPages.reviewDueAt} > now() then 2 else 0 end)::int`;

/**
 * The current documents of wiki pages, in one query (with their author and their owners' names).
 * Deleted or missing pages come back in `deletes`.
 */
export async function pageDocuments(db: Db, ids: number[]): Promise<Documents<PageDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: wikiPages.id,
      spaceId: wikiPages.spaceId,
      slug: wikiPages.slug,
      title: wikiPages.title,
      bodyHtml: wikiPages.bodyHtml,
      tags: wikiPages.tags,
      authorId: wikiPages.authorId,
      authorName: users.name,
      authorDepartment: users.department,
      owners: sql<string[]>`coalesce((select array_agg(u.name order by u.name) from wiki_page_owners o join users u on u.id = o.user_id where o.page_id = ${wikiPages.id}), '{}')`,
      verifiedAt: wikiPages.verifiedAt,
      reviewDueAt: wikiPages.reviewDueAt,
      freshness: pageFreshnessSql,
      createdAt: wikiPages.createdAt,
      lastEditedAt: wikiPages.lastEditedAt,
      updatedAt: wikiPages.updatedAt,
    })
    .from(wikiPages)
    .innerJoin(users, eq(users.id, wikiPages.authorId))
    .where(and(inArray(wikiPages.id, ids), isNull(wikiPages.deletedAt)));

  const upserts = rows.map((r): PageDocument => ({
    id: r.id,
    type: "page",
    spaceId: r.spaceId,
    slug: r.slug,
    title: r.title,
    body: htmlText(r.bodyHtml).slice(0, BODY_LIMIT),
    tags: r.tags,
    authorId: r.authorId,
    authorName: r.authorName,
    authorDepartment: r.authorDepartment,
    owners: r.owners,
    verified: r.verifiedAt !== null,
    reviewDueAt: r.reviewDueAt ? seconds(r.reviewDueAt) : null,
    freshness: Number(r.freshness) as Freshness,
    score: 0,
    createdAt: seconds(r.createdAt),
    updatedAt: seconds(r.lastEditedAt ?? r.createdAt),
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

/** Only these articles are searchable: published and not deleted (drafts and scheduled ones are their author's alone). */
export function searchableArticle(): SQL {
  return sql`(${articles.status} = 'published' and ${articles.deletedAt} is null)`;
}

/**
 * The current documents of articles, in one query. Drafts, scheduled, deleted and missing articles
 * come back in `deletes`, so unpublishing or deleting one takes it out of the index.
 */
export async function articleDocuments(db: Db, ids: number[]): Promise<Documents<ArticleDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: articles.id,
      spaceId: articles.spaceId,
      title: articles.title,
      bodyHtml: articles.bodyHtml,
      tags: articles.tags,
      articleType: articles.type,
      score: articles.score,
      commentCount: articles.commentCount,
      authorId: articles.authorId,
      authorName: users.name,
      authorDepartment: users.department,
      createdAt: articles.createdAt,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .innerJoin(users, eq(users.id, articles.authorId))
    .where(and(inArray(articles.id, ids), searchableArticle()));

  const upserts = rows.map((r): ArticleDocument => ({
    id: r.id,
    type: "article",
    spaceId: r.spaceId,
    title: r.title,
    body: htmlText(r.bodyHtml).slice(0, BODY_LIMIT),
    tags: r.tags,
    articleType: r.articleType,
    score: r.score,
    commentCount: r.commentCount,
    authorId: r.authorId,
    authorName: r.authorName,
    authorDepartment: r.authorDepartment,
    createdAt: seconds(r.createdAt),
    // A published article has its time; one published by hand-made data without it counts from its creation.
    publishedAt: seconds(r.publishedAt ?? r.createdAt),
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

/**
 * The title a kudos's document carries of the thing it thanks (an answer shows its question's),
 * only while that thing is live and in the kudos's own space: the kudos is found by the people
 * who may see that space, so the title tells them nothing new.
 */
const kudosSubjectTitle = sql<string>`coalesce(
  (select coalesce(p.title, q.title) from posts p left join posts q on q.id = p.parent_id
    where p.item_id = ${kudos.subjectItemId} and p.space_id = ${kudos.spaceId} and p.deleted_at is null and (q.id is null or q.deleted_at is null)),
  (select w.title from wiki_pages w where w.item_id = ${kudos.subjectItemId} and w.space_id = ${kudos.spaceId} and w.deleted_at is null),
  (select a.title from articles a where a.item_id = ${kudos.subjectItemId} and a.space_id = ${kudos.spaceId} and a.status = 'published' and a.deleted_at is null),
  (select i.title from ideas i where i.item_id = ${kudos.subjectItemId} and i.space_id = ${kudos.spaceId}),
  '')`;

/** Only these kudos are searchable: public and not withdrawn. */
export function searchableKudos(): SQL {
  return sql`(${kudos.private} = false and ${kudos.deletedAt} is null)`;
}

/**
 * The current documents of kudos, in one query (giver, value, receivers and the title of what
 * they thank). Private, withdrawn and missing kudos come back in `deletes`, so withdrawing one
 * takes it out of the index.
 */
export async function kudosDocuments(db: Db, ids: number[]): Promise<Documents<KudosDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: kudos.id,
      spaceId: kudos.spaceId,
      messageHtml: kudos.messageHtml,
      giverId: kudos.giverId,
      giverName: users.name,
      giverDepartment: users.department,
      receivers: sql<Array<{ id: number; name: string }>>`coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name, u.id)
        from kudos_receivers r join users u on u.id = r.user_id where r.kudos_id = ${kudos.id}), '[]')`,
      valueName: companyValues.name,
      valueEmoji: companyValues.emoji,
      subjectTitle: kudosSubjectTitle,
      points: kudos.totalPoints,
      score: kudos.plusOneCount,
      createdAt: kudos.createdAt,
      updatedAt: kudos.updatedAt,
    })
    .from(kudos)
    .innerJoin(users, eq(users.id, kudos.giverId))
    .innerJoin(companyValues, eq(companyValues.id, kudos.valueId))
    .where(and(inArray(kudos.id, ids), searchableKudos()));

  const upserts = rows.map((r): KudosDocument => ({
    id: recognitionDocumentId("kudos", r.id),
    type: "kudos",
    spaceId: r.spaceId,
    body: htmlText(r.messageHtml).slice(0, BODY_LIMIT),
    giverId: r.giverId,
    giverName: r.giverName,
    authorDepartment: r.giverDepartment,
    receiverNames: r.receivers.map((p) => p.name),
    receiverIds: r.receivers.map((p) => Number(p.id)),
    valueName: r.valueName,
    valueEmoji: r.valueEmoji,
    subjectTitle: r.subjectTitle ?? "",
    points: r.points,
    score: r.score,
    createdAt: seconds(r.createdAt),
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(rows.map((r) => r.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

/** Only these badges are searchable: not archived. */
export function searchableBadge(): SQL {
  return sql`(${badges.archivedAt} is null)`;
}

/** The current documents of badges, in one query. Archived and missing badges come back in `deletes`. */
export async function badgeDocuments(db: Db, ids: number[]): Promise<Documents<BadgeDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: badges.id,
      spaceId: badges.spaceId,
      name: badges.name,
      description: badges.description,
      tier: badges.tier,
      holderCount: badges.holderCount,
      createdAt: badges.createdAt,
      updatedAt: badges.updatedAt,
    })
    .from(badges)
    .where(and(inArray(badges.id, ids), searchableBadge()));

  const upserts = rows.map((r): BadgeDocument => ({
    id: recognitionDocumentId("badge", r.id),
    type: "badge",
    spaceId: r.spaceId,
    name: r.name,
    body: r.description.slice(0, BODY_LIMIT),
    tier: r.tier,
    holderCount: r.holderCount,
    score: 0,
    createdAt: seconds(r.createdAt),
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(rows.map((r) => r.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

// Issue 19, forum search: a forum thread's answers are capped as a question's (search/forum.server.ts).
export { ANSWER_LIMIT };

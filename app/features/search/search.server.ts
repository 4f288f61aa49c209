import { and, asc, inArray, sql, type SQL } from "drizzle-orm";
import type { Hit, Meilisearch, MultiSearchQueryWithFederation, SearchResponse } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { campaigns, spaces } from "#db/schema/index.ts";
import type { CampaignAccess } from "#app/features/ideas/access.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { STATUS_LABELS as IDEA_STATUS_LABELS, IDEA_STATUSES, type IdeaStatus } from "#app/features/ideas/schemas.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { reputationSeenBySql } from "#app/features/reputation/profile.server.ts";
import { kudosUrl, kudosVisibleTo } from "#app/features/recognition/kudos.server.ts";
import { type Actor, inVisibleSpace, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import type { ArticleDocument, BadgeDocument, IdeaDocument, KudosDocument, PageDocument, PersonDocument, QuestionDocument } from "#search/documents.server.ts";
import { type IndexedKind, indexName, parseRecognitionId } from "#search/indexes.ts";
import {
  type ArticleHit,
  type BadgeHit,
  CREATED_WITHIN,
  type CreatedWithin,
  type Facets,
  type FacetValue,
  type IdeaHit,
  type KudosHit,
  MAX_PAGE,
  PAGE_SIZE,
  type PageHit,
  type PersonHit,
  type QuestionHit,
  SEARCH_STATUSES,
  SEARCH_TYPES,
  type SearchHit,
  type SearchOutcome,
  type SearchParams,
  type SearchStatus,
  type SearchType,
  type SimilarIdea,
  type SimilarPage,
  type SimilarQuestion,
  type Snippet,
  STATUS_LABELS,
  TYPE_LABELS,
} from "./search-params.ts";

/**
 * Searching, for one person. Every query to Meilisearch carries a filter on the spaces the person
 * may see, computed from PostgreSQL at the time of the search (so removing someone from a space
 * takes effect on their next search). Hits, facet counts and highlights all come from that
 * filtered query; nothing from a hidden space reaches the page. The browser never talks to
 * Meilisearch.
 *
 * Questions, ideas, wiki pages and articles live in four indexes, kudos and badges share a fifth
 * (`recognition`), and they come back as one list: a federated multi-search merges the queries by
 * relevance (their ranking rules are the same, so the scores compare) or by the chosen sort, and
 * pages through the merged list. Each query carries the same visibility clause. People are a
 * separate request, sent at the same time.
 *
 * The index lags PostgreSQL by the relay's round trip, so every hit is checked against
 * PostgreSQL before it is shown (`liveHits`, one query for all kinds): a question or page deleted
 * a moment ago, an idea gone with its campaign, an article unpublished, a person deactivated, is
 * not shown even though the index still has it, and a hit's space is the one PostgreSQL holds now.
 * A kudos is checked with the kudos rule itself (`kudosVisibleTo`), and private ones never show.
 */

export type SearchOptions = {
  /** Index name prefix (tests use their own indexes). */
  prefix?: string;
  /** How many people to show beside the content (0 for none). */
  people?: number;
  /** Results per page (the header's instant results ask for fewer). */
  hitsPerPage?: number;
  /** Skip facet counts (the header's instant results do not show them). */
  facets?: boolean;
  /**
   * Whether kudos and badges may be among the results (default true). The header box leaves
   * them out: one query less per keystroke, and its few suggestions go to questions and pages.
   */
  recognition?: boolean;
  /** Called when Meilisearch fails, so the route can log it. */
  onError?: (error: unknown) => void;
};

/**
 * Highlights are marked with characters from Unicode's private use area, which typed text cannot
 * realistically contain, and split into text runs on the server. A post containing `<img onerror>`
 * comes back as those characters, rendered as text.
 */
const PRE = "\uE000";
const POST = "\uE001";
const CROP_MARKER = "…";
const SNIPPET_WORDS = 32;
const TAG_FACET_SIZE = 12;
const DEPARTMENT_FACET_SIZE = 8;
const CAMPAIGN_FACET_SIZE = 8;
const CATEGORY_FACET_SIZE = 8;

export type VisibleSpace = { id: number; slug: string; name: string };

/** The spaces this person may see, fresh from PostgreSQL. */
export async function searchableSpaces(db: Db, actor: Actor): Promise<VisibleSpace[]> {
  return db.select({ id: spaces.id, slug: spaces.slug, name: spaces.name }).from(spaces).where(visibleSpacesCondition(actor)).orderBy(asc(spaces.name));
}

/** Turns Meilisearch's marked text into runs; private-use characters left over are dropped. */
export function toSnippet(marked: string | undefined): Snippet {
  const runs: Snippet = [];
  if (!marked) return runs;
  let match = false;
  let text = "";
  const flush = () => {
    if (text) runs.push({ text, match });
    text = "";
  };
  for (const ch of marked) {
    if (ch === PRE || ch === POST) {
      flush();
      match = ch === PRE;
    } else {
      text += ch;
    }
  }
  flush();
  return runs;
}

const hasMatch = (marked: string | undefined) => marked?.includes(PRE) ?? false;

/** A value for a Meilisearch filter expression: always quoted, with quotes and backslashes escaped. */
export function filterValue(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

const CREATED_SECONDS: Record<CreatedWithin, number> = { week: 7 * 86_400, month: 31 * 86_400, year: 366 * 86_400 };

type SharedFilters = Pick<SearchParams, "space" | "tags" | "department" | "created">;

/**
 * The clauses every kind shares, always starting with the visibility clause. A space the person
 * cannot see (or that does not exist) is the same: a filter that matches nothing. `timeField` is
 * the time the "created" filter reads (an article's is when it was published).
 */
function sharedFilter(visible: VisibleSpace[], p: SharedFilters, now: number, timeField = "createdAt"): string[] {
  const filter = [`spaceId IN [${visible.map((s) => s.id).join(", ")}]`];
  if (p.space !== undefined) {
    const space = visible.find((s) => s.slug === p.space);
    filter.push(`spaceId = ${space ? space.id : -1}`);
  }
  for (const tag of p.tags) filter.push(`tags = ${filterValue(tag)}`);
  if (p.department) filter.push(`authorDepartment = ${filterValue(p.department)}`);
  if (p.created && CREATED_WITHIN.includes(p.created)) filter.push(`${timeField} >= ${Math.floor(now / 1000) - CREATED_SECONDS[p.created]}`);
  return filter;
}

/** The Meilisearch filter on wiki pages: the visibility clause first, then the shared filters. */
export function pageFilter(visible: VisibleSpace[], p: SharedFilters, now = Date.now()): string[] {
  return sharedFilter(visible, p, now);
}

/** The Meilisearch filter on articles: as for pages, with "created" read as "published". */
export function articleFilter(visible: VisibleSpace[], p: SharedFilters, now = Date.now()): string[] {
  return sharedFilter(visible, p, now, "publishedAt");
}

/** The Meilisearch filter on questions for these parameters: the visibility clause first. */
export function questionFilter(visible: VisibleSpace[], p: SharedFilters & Pick<SearchParams, "status">, now = Date.now()): string[] {
  const filter = sharedFilter(visible, p, now);
  if (p.status) filter.push(`status = ${filterValue(p.status)}`);
  return filter;
}

/** The Meilisearch filter on ideas: the same visibility clause first, then the ideas' own filters. */
export function ideaFilter(visible: VisibleSpace[], p: SharedFilters & Pick<SearchParams, "ideaStatus" | "campaign" | "category">, now = Date.now()): string[] {
  const filter = sharedFilter(visible, p, now);
  if (p.ideaStatus) filter.push(`status = ${filterValue(p.ideaStatus)}`);
  if (p.campaign !== undefined) filter.push(`campaignId = ${p.campaign}`);
  if (p.category) filter.push(`category = ${filterValue(p.category)}`);
  return filter;
}

/**
 * The kinds a search reads. A type filter picks one; so does a filter that only one kind has
 * (a question's status; an idea's status, campaign or category), which leaves pages, articles,
 * kudos and badges out too. Two kinds' filters at once match nothing, and nothing is asked. Kudos
 * and badges have no tags, so a tag filter leaves them out; badges have no author, so a department
 * filter leaves badges out. `recognition: false` leaves out both.
 */
export function searchedKinds(p: SearchParams, options: { recognition?: boolean } = {}): SearchType[] {
  const wanted = (kind: SearchType) => p.type === undefined || p.type === kind;
  const ideaOnly = p.ideaStatus !== undefined || p.campaign !== undefined || p.category !== undefined;
  const questionOnly = p.status !== undefined;
  const recognition = options.recognition !== false && !ideaOnly && !questionOnly && p.tags.length === 0;
  const kinds: SearchType[] = [];
  if (wanted("question") && !ideaOnly) kinds.push("question");
  if (wanted("idea") && !questionOnly) kinds.push("idea");
  if (wanted("page") && !ideaOnly && !questionOnly) kinds.push("page");
  if (wanted("article") && !ideaOnly && !questionOnly) kinds.push("article");
  if (wanted("kudos") && recognition) kinds.push("kudos");
  if (wanted("badge") && recognition && p.department === undefined) kinds.push("badge");
  return kinds;
}

/**
 * The queries of a federated search: one per index. Kudos and badges are two kinds of the search
 * page but one index (`recognition`), so asking for both costs one query, not two.
 */
type Source = "question" | "idea" | "page" | "article" | "recognition";
const SOURCE_OF: Record<SearchType, Source> = { question: "question", idea: "idea", page: "page", article: "article", kudos: "recognition", badge: "recognition" };

/** The index each query reads. */
const INDEX_OF: Record<Source, IndexedKind> = { question: "question", idea: "idea", page: "wiki_page", article: "article", recognition: "recognition" };

/**
 * The Meilisearch filter on kudos and badges: the visibility clause first (a badge's space is the
 * company space, which every employee sees), then the filters they have, and the kind when only
 * one of the two is asked for.
 */
export function recognitionFilter(visible: VisibleSpace[], p: Omit<SharedFilters, "tags">, kinds: SearchType[], now = Date.now()): string[] {
  const filter = sharedFilter(visible, { ...p, tags: [] }, now);
  const wanted = kinds.filter((kind) => SOURCE_OF[kind] === "recognition");
  if (wanted.length === 1) filter.push(`type = ${filterValue(wanted[0]!)}`);
  return filter;
}

function sourceFilter(source: Source, visible: VisibleSpace[], p: SearchParams, kinds: SearchType[]): string[] {
  if (source === "question") return questionFilter(visible, p);
  if (source === "idea") return ideaFilter(visible, p);
  if (source === "page") return pageFilter(visible, p);
  if (source === "article") return articleFilter(visible, p);
  return recognitionFilter(visible, p, kinds);
}

/**
 * Each sort as each index has it. A federated search merges the lists by comparing the sort
 * values, so all queries must sort (or none) on numbers of the same meaning.
 */
const SORTS: Record<SearchParams["sort"], Record<Source, string[] | undefined>> = {
  relevance: { question: undefined, idea: undefined, page: undefined, article: undefined, recognition: undefined },
  // An article is new when it is published, not when its draft was started.
  newest: { question: ["createdAt:desc"], idea: ["createdAt:desc"], page: ["createdAt:desc"], article: ["publishedAt:desc"], recognition: ["createdAt:desc"] },
  // The index knows of no later activity on an idea than its submission; a page's is its last
  // edit; an article's its publication; a kudos's or a badge's its creation.
  active: { question: ["lastActivityAt:desc"], idea: ["createdAt:desc"], page: ["updatedAt:desc"], article: ["publishedAt:desc"], recognition: ["createdAt:desc"] },
  // Votes are an idea's score: how many people backed it. Pages are not voted on: 0. A kudos's
  // score is its "+1"s; badges are not voted on: 0.
  score: { question: ["score:desc"], idea: ["voteCount:desc"], page: ["score:desc"], article: ["score:desc"], recognition: ["score:desc"] },
};

const FACETS: Record<Source, string[]> = {
  question: ["spaceId", "tags", "status", "authorDepartment"],
  idea: ["spaceId", "tags", "status", "authorDepartment", "campaignId", "category"],
  page: ["spaceId", "tags", "authorDepartment", "type"],
  article: ["spaceId", "tags", "authorDepartment", "type"],
  recognition: ["spaceId", "authorDepartment", "type"],
};

/**
 * A facet every document of the kind has exactly one value of, so its counts add up to the
 * kind's number of hits: the type facet, without a `type` attribute in the older indexes. The
 * `recognition` index's own `type` counts kudos and badges apart.
 */
const COUNTED_BY: Record<Exclude<Source, "recognition">, string> = { question: "status", idea: "status", page: "type", article: "type" };

type QuestionFields = Pick<QuestionDocument, "id" | "spaceId" | "title" | "tags" | "status" | "score" | "answerCount" | "authorId" | "authorName" | "createdAt" | "answerIds">;
type FormattedQuestion = QuestionFields & { _formatted?: { title?: string; body?: string; answers?: string[]; tags?: string[] } };

const QUESTION_FIELDS: (keyof QuestionFields)[] = ["id", "spaceId", "title", "tags", "status", "score", "answerCount", "authorId", "authorName", "createdAt", "answerIds"];

/**
 * A question hit without the answers PostgreSQL says are deleted now (the index still has them
 * until the relay re-reads the question), or null when the hit matched through those answers
 * alone: its title, text, tags and live answers hold none of the words. A document from before
 * answer ids were indexed keeps all its answers.
 */
function withoutDeletedAnswers(hit: FormattedQuestion, liveAnswers: Set<number>): FormattedQuestion | null {
  const f = hit._formatted;
  const ids = hit.answerIds;
  if (!f?.answers || !ids || ids.length !== f.answers.length) return hit;
  const kept = f.answers.filter((_, i) => liveAnswers.has(ids[i]!));
  if (kept.length === f.answers.length) return hit;
  const deletedMatched = f.answers.some((text, i) => !liveAnswers.has(ids[i]!) && hasMatch(text));
  const elsewhere = hasMatch(f.title) || hasMatch(f.body) || kept.some(hasMatch) || (f.tags ?? []).some(hasMatch);
  if (deletedMatched && !elsewhere) return null;
  return { ...hit, _formatted: { ...f, answers: kept } };
}

function questionHit(hit: FormattedQuestion, spaceById: Map<number, VisibleSpace>): QuestionHit | null {
  const space = spaceById.get(hit.spaceId);
  // Cannot happen through the filter; a hit outside the visible spaces is dropped all the same.
  if (!space) return null;
  const f = hit._formatted ?? {};
  const answer = hasMatch(f.body) ? undefined : f.answers?.find(hasMatch);
  return {
    type: "question",
    id: hit.id,
    url: questionUrl({ id: hit.id, title: hit.title }),
    title: hasMatch(f.title) ? toSnippet(f.title) : [{ text: hit.title, match: false }],
    snippet: toSnippet(answer ?? f.body),
    snippetFrom: answer ? "answer" : "question",
    space: { slug: space.slug, name: space.name },
    tags: hit.tags,
    status: hit.status,
    score: hit.score,
    answerCount: hit.answerCount,
    author: { id: hit.authorId, name: hit.authorName },
    createdAt: hit.createdAt,
  };
}

type IdeaFields = Pick<
  IdeaDocument,
  "id" | "spaceId" | "campaignId" | "campaignTitle" | "title" | "tags" | "category" | "status" | "voteCount" | "commentCount" | "authorId" | "authorName" | "createdAt"
>;
type FormattedIdea = IdeaFields & { _formatted?: { title?: string; body?: string } };

const IDEA_FIELDS: (keyof IdeaFields)[] = [
  "id",
  "spaceId",
  "campaignId",
  "campaignTitle",
  "title",
  "tags",
  "category",
  "status",
  "voteCount",
  "commentCount",
  "authorId",
  "authorName",
  "createdAt",
];

function ideaHit(hit: FormattedIdea, spaceById: Map<number, VisibleSpace>): IdeaHit | null {
  const space = spaceById.get(hit.spaceId);
  if (!space) return null;
  const f = hit._formatted ?? {};
  return {
    type: "idea",
    id: hit.id,
    url: ideaUrl({ id: hit.id }),
    title: hasMatch(f.title) ? toSnippet(f.title) : [{ text: hit.title, match: false }],
    snippet: toSnippet(f.body),
    space: { slug: space.slug, name: space.name },
    campaign: { id: hit.campaignId, title: hit.campaignTitle, url: campaignUrl({ id: hit.campaignId }) },
    tags: hit.tags,
    category: hit.category,
    status: hit.status,
    voteCount: hit.voteCount,
    commentCount: hit.commentCount,
    author: { id: hit.authorId, name: hit.authorName },
    createdAt: hit.createdAt,
  };
}

type PageFields = Pick<PageDocument, "id" | "spaceId" | "slug" | "title" | "tags" | "authorId" | "authorName" | "owners" | "verified" | "reviewDueAt" | "createdAt" | "updatedAt">;
type FormattedPage = PageFields & { _formatted?: { title?: string; body?: string } };

const PAGE_FIELDS: (keyof PageFields)[] = ["id", "spaceId", "slug", "title", "tags", "authorId", "authorName", "owners", "verified", "reviewDueAt", "createdAt", "updatedAt"];

function pageHit(hit: FormattedPage, spaceById: Map<number, VisibleSpace>): PageHit | null {
  const space = spaceById.get(hit.spaceId);
  if (!space) return null;
  const f = hit._formatted ?? {};
  return {
    type: "page",
    id: hit.id,
    url: wikiPageUrl({ id: hit.id, slug: hit.slug }),
    title: hasMatch(f.title) ? toSnippet(f.title) : [{ text: hit.title, match: false }],
    snippet: toSnippet(f.body),
    space: { slug: space.slug, name: space.name },
    tags: hit.tags,
    author: { id: hit.authorId, name: hit.authorName },
    owners: hit.owners ?? [],
    verified: hit.verified === true,
    reviewDueAt: typeof hit.reviewDueAt === "number" ? hit.reviewDueAt : null,
    createdAt: hit.createdAt,
    updatedAt: hit.updatedAt,
  };
}

type ArticleFields = Pick<ArticleDocument, "id" | "spaceId" | "title" | "tags" | "articleType" | "score" | "commentCount" | "authorId" | "authorName" | "publishedAt">;
type FormattedArticle = ArticleFields & { _formatted?: { title?: string; body?: string } };

const ARTICLE_FIELDS: (keyof ArticleFields)[] = ["id", "spaceId", "title", "tags", "articleType", "score", "commentCount", "authorId", "authorName", "publishedAt"];

function articleHit(hit: FormattedArticle, spaceById: Map<number, VisibleSpace>): ArticleHit | null {
  const space = spaceById.get(hit.spaceId);
  if (!space) return null;
  const f = hit._formatted ?? {};
  return {
    type: "article",
    id: hit.id,
    url: articleUrl({ id: hit.id, title: hit.title }),
    title: hasMatch(f.title) ? toSnippet(f.title) : [{ text: hit.title, match: false }],
    snippet: toSnippet(f.body),
    space: { slug: space.slug, name: space.name },
    tags: hit.tags,
    articleType: hit.articleType,
    score: hit.score,
    commentCount: hit.commentCount,
    author: { id: hit.authorId, name: hit.authorName },
    publishedAt: hit.publishedAt,
  };
}

/** Highlighted when it matched, else the plain text (the highlight of a field that did not match is the same text). */
function marked(formatted: string | undefined, plain: string | undefined): Snippet {
  if (hasMatch(formatted)) return toSnippet(formatted);
  return plain ? [{ text: plain, match: false }] : [];
}

/** A kudos's and a badge's fields in one shape: each document fills its own. */
type RecognitionFields = Partial<
  Pick<KudosDocument, "giverId" | "giverName" | "receiverIds" | "receiverNames" | "valueName" | "valueEmoji" | "subjectTitle" | "points" | "createdAt"> &
    Pick<BadgeDocument, "name" | "tier" | "holderCount">
> & { id: string; type: "kudos" | "badge"; spaceId: number };
type FormattedRecognition = RecognitionFields & {
  _formatted?: { name?: string; giverName?: string; receiverNames?: string[]; valueName?: string; body?: string; subjectTitle?: string };
};

const RECOGNITION_FIELDS: (keyof RecognitionFields)[] = [
  "id",
  "type",
  "spaceId",
  "giverId",
  "giverName",
  "receiverIds",
  "receiverNames",
  "valueName",
  "valueEmoji",
  "subjectTitle",
  "points",
  "createdAt",
  "name",
  "tier",
  "holderCount",
];

/** How many receivers a kudos's title names before "and N others". */
const NAMED_RECEIVERS = 3;

/** "Ana thanked Ben", "… Ben and Cleo", "… Ben, Cleo and Dan", "… Ben, Cleo, Dan and 2 others", with each name's highlight. */
function kudosTitle(giver: Snippet, receivers: Snippet[]): Snippet {
  const named = receivers.length > NAMED_RECEIVERS + 1 ? receivers.slice(0, NAMED_RECEIVERS) : receivers;
  const others = receivers.length - named.length;
  const runs: Snippet = [...giver, { text: " thanked ", match: false }];
  named.forEach((name, i) => {
    if (i > 0) runs.push({ text: i === named.length - 1 && others === 0 ? " and " : ", ", match: false });
    runs.push(...name);
  });
  if (others > 0) runs.push({ text: ` and ${others} ${others === 1 ? "other" : "others"}`, match: false });
  return runs;
}

function kudosHit(id: number, hit: FormattedRecognition, spaceById: Map<number, VisibleSpace>): KudosHit | null {
  const space = spaceById.get(hit.spaceId);
  if (!space) return null;
  const f = hit._formatted ?? {};
  const names = hit.receiverNames ?? [];
  const giver = { id: Number(hit.giverId), name: marked(f.giverName, hit.giverName) };
  const receivers = (hit.receiverIds ?? []).map((receiverId, i) => ({ id: Number(receiverId), name: marked(f.receiverNames?.[i], names[i]) }));
  return {
    type: "kudos",
    id,
    url: kudosUrl({ id }),
    title: kudosTitle(
      giver.name,
      receivers.map((r) => r.name),
    ),
    giver,
    receivers,
    value: { name: marked(f.valueName, hit.valueName), emoji: hit.valueEmoji ?? "" },
    snippet: toSnippet(f.body),
    subject: marked(f.subjectTitle, hit.subjectTitle),
    space: { slug: space.slug, name: space.name },
    points: Number(hit.points ?? 0),
    createdAt: Number(hit.createdAt ?? 0),
  };
}

/** A badge's page (routes of the badges feature). */
export function badgeUrl(badge: { id: number }): string {
  return `/badges/${badge.id}`;
}

function badgeHit(id: number, hit: FormattedRecognition, spaceById: Map<number, VisibleSpace>): BadgeHit | null {
  if (!spaceById.has(hit.spaceId)) return null;
  const f = hit._formatted ?? {};
  return {
    type: "badge",
    id,
    url: badgeUrl({ id }),
    title: marked(f.name, hit.name),
    snippet: toSnippet(f.body),
    tier: hit.tier ?? "bronze",
    holderCount: Number(hit.holderCount ?? 0),
  };
}

const FIELDS: Record<Source, string[]> = { question: QUESTION_FIELDS, idea: IDEA_FIELDS, page: PAGE_FIELDS, article: ARTICLE_FIELDS, recognition: RECOGNITION_FIELDS };

/** What each query highlights and crops: the snippet's fields, and (for questions) whether a hit matched anywhere but in an answer. */
const HIGHLIGHTED: Record<Source, { highlight: string[]; crop: string[] }> = {
  question: { highlight: ["title", "body", "answers", "tags"], crop: ["body", "answers"] },
  idea: { highlight: ["title", "body"], crop: ["body"] },
  page: { highlight: ["title", "body"], crop: ["body"] },
  article: { highlight: ["title", "body"], crop: ["body"] },
  recognition: { highlight: ["name", "giverName", "receiverNames", "valueName", "body", "subjectTitle"], crop: ["body"] },
};

type PersonFields = Pick<PersonDocument, "id" | "name" | "title" | "department" | "location" | "topTags" | "reputation">;

function personHit(hit: PersonFields & { _formatted?: { name?: string } }): PersonHit {
  return {
    id: hit.id,
    name: hasMatch(hit._formatted?.name) ? toSnippet(hit._formatted?.name) : [{ text: hit.name, match: false }],
    title: hit.title,
    department: hit.department,
    location: hit.location,
    topTags: hit.topTags,
    reputation: hit.reputation,
  };
}

function facetValues(distribution: Record<string, number> | undefined, selected: string[], label: (value: string) => string | undefined, limit = Number.POSITIVE_INFINITY): FacetValue[] {
  const values: FacetValue[] = [];
  for (const [value, count] of Object.entries(distribution ?? {})) {
    const name = label(value);
    if (name !== undefined) values.push({ value, label: name, count, selected: selected.includes(value) });
  }
  values.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const shown = values.slice(0, limit);
  // A selected value stays visible (with its count, possibly 0) so it can be cleared.
  for (const value of selected) {
    if (!shown.some((v) => v.value === value)) {
      const name = label(value);
      if (name !== undefined) shown.push(values.find((v) => v.value === value) ?? { value, label: name, count: 0, selected: true });
    }
  }
  return shown;
}

type Distribution = Record<string, number>;
type Distributions = Partial<Record<Source, Record<string, Distribution>>>;

/** The counts of the indexes added up, for the facets they share (space, tags, department). */
function summed(d: Distributions, facet: string): Distribution {
  const total: Distribution = {};
  for (const kind of Object.values(d)) {
    for (const [value, count] of Object.entries(kind[facet] ?? {})) total[value] = (total[value] ?? 0) + count;
  }
  return total;
}

const countOf = (distribution: Distribution | undefined) => Object.values(distribution ?? {}).reduce((n, c) => n + c, 0);

function buildFacets(d: Distributions, visible: VisibleSpace[], campaignTitles: Map<number, string>, p: SearchParams): Facets {
  const bySlug = new Map(visible.map((s) => [String(s.id), s]));
  const selectedSpace = visible.find((s) => s.slug === p.space);
  const spaceFacet = facetValues(summed(d, "spaceId"), selectedSpace ? [String(selectedSpace.id)] : [], (id) => bySlug.get(id)?.name).map((v) => ({
    ...v,
    value: bySlug.get(v.value)!.slug,
  }));
  const types: Distribution = {};
  for (const kind of SEARCH_TYPES) {
    const source = SOURCE_OF[kind];
    const n = source === "recognition" ? (d.recognition?.type?.[kind] ?? 0) : countOf(d[source]?.[COUNTED_BY[source]]);
    if (n > 0) types[kind] = n;
  }
  return {
    space: spaceFacet,
    type: facetValues(types, p.type ? [p.type] : [], (v) => TYPE_LABELS[v as SearchType]),
    tag: facetValues(summed(d, "tags"), p.tags, (v) => v, TAG_FACET_SIZE),
    status: facetValues(d.question?.status, p.status ? [p.status] : [], (v) => (SEARCH_STATUSES.includes(v as SearchStatus) ? STATUS_LABELS[v as SearchStatus] : undefined)),
    ideaStatus: facetValues(d.idea?.status, p.ideaStatus ? [p.ideaStatus] : [], (v) => (IDEA_STATUSES.includes(v as IdeaStatus) ? IDEA_STATUS_LABELS[v as IdeaStatus] : undefined)),
    // A campaign without a title here is one the person may not see (only a hand-made URL names it).
    campaign: facetValues(d.idea?.campaignId, p.campaign ? [String(p.campaign)] : [], (id) => campaignTitles.get(Number(id)), CAMPAIGN_FACET_SIZE),
    category: facetValues(d.idea?.category, p.category ? [p.category] : [], (v) => v || undefined, CATEGORY_FACET_SIZE),
    department: facetValues(summed(d, "authorDepartment"), p.department ? [p.department] : [], (v) => v || undefined, DEPARTMENT_FACET_SIZE),
  };
}

const emptyFacets = (): Facets => ({ space: [], type: [], tag: [], status: [], ideaStatus: [], campaign: [], category: [], department: [] });

/** The titles of the campaigns a facet names, from PostgreSQL and only in the visible spaces. */
async function campaignTitles(db: Db, visible: VisibleSpace[], ids: number[]): Promise<Map<number, string>> {
  const wanted = ids.filter(isRowId);
  if (wanted.length === 0 || visible.length === 0) return new Map();
  const rows = await db
    .select({ id: campaigns.id, title: campaigns.title })
    .from(campaigns)
    .where(
      and(
        inArray(campaigns.id, wanted),
        inArray(
          campaigns.spaceId,
          visible.map((s) => s.id),
        ),
      ),
    );
  return new Map(rows.map((r) => [r.id, r.title]));
}

type ContentHit = Hit<Record<string, unknown>>;

type LiveIds = { question: number[]; idea: number[]; person: number[]; answer?: number[]; page?: number[]; article?: number[]; kudos?: number[]; badge?: number[] };
/**
 * Per kind, the hits PostgreSQL still has for the actor: the space of a question, an idea, a page,
 * an article, a kudos or a badge, the reputation of a person as the actor sees it, and which of
 * the answers riding in question documents are not deleted.
 */
type Live = {
  question: Map<number, number>;
  idea: Map<number, number>;
  person: Map<number, number>;
  answer: Map<number, number>;
  page: Map<number, number>;
  article: Map<number, number>;
  kudos: Map<number, number>;
  badge: Map<number, number>;
};

/** Ids as PostgreSQL can hold them (an index could carry anything): the rest match nothing. */
const rowIds = (ids: number[]): number[] => ids.filter(isRowId);
const idList = (ids: number[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * What PostgreSQL says now about the ids a search returned, in one query: questions and pages not
 * deleted, ideas that still exist, articles published and not deleted, badges not archived, each
 * in a space the actor may see (its space now, not the index's); public kudos the kudos rule lets
 * the actor see (never a private one, not even to its giver: search holds none); and active
 * employees with a proven address, with the reputation the actor may see. An id missing from the
 * answer is not shown.
 */
export async function liveHits(db: Db, actor: Actor, asked: LiveIds): Promise<Live> {
  const live: Live = { question: new Map(), idea: new Map(), person: new Map(), answer: new Map(), page: new Map(), article: new Map(), kudos: new Map(), badge: new Map() };
  const ids = {
    question: rowIds(asked.question),
    idea: rowIds(asked.idea),
    person: rowIds(asked.person),
    answer: rowIds(asked.answer ?? []),
    page: rowIds(asked.page ?? []),
    article: rowIds(asked.article ?? []),
    kudos: rowIds(asked.kudos ?? []),
    badge: rowIds(asked.badge ?? []),
  };
  const parts: SQL[] = [];
  if (ids.question.length > 0) {
    parts.push(sql`select 'question' as kind, p.id, p.space_id as value from posts p
      where p.id in (${idList(ids.question)}) and p.type = 'question' and p.deleted_at is null and ${inVisibleSpace(actor, sql`p.space_id`)}`);
  }
  if (ids.idea.length > 0) {
    parts.push(sql`select 'idea' as kind, i.id, i.space_id as value from ideas i
      where i.id in (${idList(ids.idea)}) and ${inVisibleSpace(actor, sql`i.space_id`)}`);
  }
  if (ids.page.length > 0) {
    parts.push(sql`select 'page' as kind, w.id, w.space_id as value from wiki_pages w
      where w.id in (${idList(ids.page)}) and w.deleted_at is null and ${inVisibleSpace(actor, sql`w.space_id`)}`);
  }
  if (ids.article.length > 0) {
    // Unpublished (back to draft) is gone from search as much as deleted.
    parts.push(sql`select 'article' as kind, a.id, a.space_id as value from articles a
      where a.id in (${idList(ids.article)}) and a.status = 'published' and a.deleted_at is null and ${inVisibleSpace(actor, sql`a.space_id`)}`);
  }
  if (ids.kudos.length > 0) {
    // THE kudos rule (withdrawn ones are gone), and public only: the concerned see their private
    // kudos on their pages, never in search.
    parts.push(sql`select 'kudos' as kind, kudos.id, kudos.space_id as value from kudos
      where kudos.id in (${idList(ids.kudos)}) and kudos.private = false and ${kudosVisibleTo(actor)}`);
  }
  if (ids.badge.length > 0) {
    parts.push(sql`select 'badge' as kind, b.id, b.space_id as value from badges b
      where b.id in (${idList(ids.badge)}) and b.archived_at is null and ${inVisibleSpace(actor, sql`b.space_id`)}`);
  }
  if (ids.answer.length > 0) {
    // Only the answers' own deletion: their question's (and its space's) is the question's check.
    parts.push(sql`select 'answer' as kind, a.id, 0 as value from posts a where a.id in (${idList(ids.answer)}) and a.type = 'answer' and a.deleted_at is null`);
  }
  if (ids.person.length > 0) {
    parts.push(sql`select 'person' as kind, u.id, ${reputationSeenBySql(actor)} as value from users u
      where u.id in (${idList(ids.person)}) and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null`);
  }
  if (parts.length === 0) return live;
  const rows = await db.execute<{ kind: keyof Live; id: number; value: number }>(sql.join(parts, sql` union all `));
  for (const r of rows) live[r.kind].set(Number(r.id), Number(r.value));
  return live;
}

/** One index's part of the page's search: its words, filter (visibility first) and sort. */
type ContentQuery = { source: Source; indexUid: string; q: string; filter: string[]; sort: string[] | undefined };

/**
 * The page's federated search in two requests, so that only the hits shown are highlighted and
 * cropped. Meilisearch's federated search formats each index's first offset + limit hits before
 * it merges them, so one request with highlights formats up to five times the hits the page
 * shows, and their long texts are what it spends most on. The first request ranks, merges, counts
 * and computes the facets with nothing formatted; the second formats only the page's hits, found
 * by id with the same words and the same filters (visibility first), so a hit and its highlight
 * cannot come from anything the first request would not have returned. The hits keep the first
 * request's order; one the second no longer finds (deleted, or moved out of the person's spaces,
 * between the two) is left out.
 */
async function federatedSearch(
  client: Meilisearch,
  queries: ContentQuery[],
  p: SearchParams,
  hitsPerPage: number,
  facetsByIndex: Record<string, string[]> | null,
): Promise<SearchResponse<Record<string, unknown>>> {
  const ranked = await client.multiSearch({
    federation: { offset: (p.page - 1) * hitsPerPage, limit: hitsPerPage, ...(facetsByIndex ? { facetsByIndex } : {}) },
    queries: queries.map(({ indexUid, q, filter, sort }): MultiSearchQueryWithFederation => ({ indexUid, q, filter, sort, attributesToRetrieve: ["id"] })),
  });
  const idsByIndex = new Map<string, unknown[]>();
  for (const hit of ranked.hits) {
    const indexUid = hit._federation?.indexUid;
    if (indexUid) idsByIndex.set(indexUid, [...(idsByIndex.get(indexUid) ?? []), hit.id]);
  }
  const shown = queries.filter((query) => idsByIndex.has(query.indexUid));
  if (shown.length === 0) return ranked;
  const { results } = await client.multiSearch({
    queries: shown.map(({ source, indexUid, q, filter }) => {
      const ids = idsByIndex.get(indexUid)!;
      return {
        indexUid,
        q,
        filter: [...filter, `id IN [${ids.map((id) => filterValue(String(id))).join(", ")}]`],
        limit: ids.length,
        attributesToRetrieve: FIELDS[source],
        attributesToHighlight: HIGHLIGHTED[source].highlight,
        attributesToCrop: HIGHLIGHTED[source].crop,
        cropLength: SNIPPET_WORDS,
        cropMarker: CROP_MARKER,
        highlightPreTag: PRE,
        highlightPostTag: POST,
      };
    }),
  });
  const formatted = new Map<string, Record<string, unknown>>();
  for (const result of results) for (const hit of result.hits) formatted.set(`${result.indexUid}\u0000${String(hit.id)}`, hit);
  const hits = ranked.hits.flatMap((hit) => {
    const full = hit._federation ? formatted.get(`${hit._federation.indexUid}\u0000${String(hit.id)}`) : undefined;
    return full ? [{ ...full, _federation: hit._federation }] : [];
  });
  return { ...ranked, hits } as SearchResponse<Record<string, unknown>>;
}

/**
 * Questions, ideas, wiki pages, articles, kudos and badges (and, on the first page of a worded
 * search, people) matching `p`, as `actor` may see them. Never throws for Meilisearch trouble: a
 * failure or a timeout (the client's bound, 2 s) comes back as `{ status: "unavailable" }`.
 */
export async function search(db: Db, client: Meilisearch, actor: Actor, p: SearchParams, options: SearchOptions = {}): Promise<SearchOutcome> {
  const prefix = options.prefix ?? "";
  const hitsPerPage = options.hitsPerPage ?? PAGE_SIZE;
  const wantFacets = options.facets !== false;
  const visible = await searchableSpaces(db, actor);
  const kinds = visible.length > 0 ? searchedKinds(p, { recognition: options.recognition }) : [];
  const sources = [...new Set(kinds.map((kind) => SOURCE_OF[kind]))];
  const wantPeople = (options.people ?? 4) > 0 && p.q !== "" && p.page === 1 && actor.kind === "employee" && actor.deactivatedAt === null;
  if (sources.length === 0 && !wantPeople) {
    // Nothing to ask; a filter the URL chose still shows (by its name), so it can be cleared.
    const facets = wantFacets ? buildFacets({}, visible, await campaignTitles(db, visible, p.campaign ? [p.campaign] : []), p) : emptyFacets();
    return { status: "ok", params: p, total: 0, page: 1, totalPages: 0, hits: [], people: [], facets, tookMs: 0 };
  }

  const uid = Object.fromEntries(sources.map((source) => [source, indexName(INDEX_OF[source], prefix)])) as Record<Source, string>;
  const queries = sources.map((source) => ({
    source,
    indexUid: uid[source],
    q: p.q,
    filter: sourceFilter(source, visible, p, kinds),
    sort: SORTS[p.sort][source],
  }));

  const started = performance.now();
  let content: SearchResponse<Record<string, unknown>> | null;
  let people: SearchResponse<PersonFields> | null;
  try {
    [content, people] = await Promise.all([
      queries.length === 0 ? null : federatedSearch(client, queries, p, hitsPerPage, wantFacets ? Object.fromEntries(sources.map((source) => [uid[source], FACETS[source]])) : null),
      wantPeople
        ? client.index(indexName("person", prefix)).search<PersonFields>(p.q, {
            limit: options.people ?? 4,
            attributesToRetrieve: ["id", "name", "title", "department", "location", "topTags", "reputation"],
            attributesToHighlight: ["name"],
            highlightPreTag: PRE,
            highlightPostTag: POST,
          })
        : null,
    ]);
  } catch (error) {
    options.onError?.(error);
    return { status: "unavailable", params: p };
  }
  const tookMs = Math.round(performance.now() - started);

  const spaceById = new Map(visible.map((s) => [s.id, s]));
  const sourceOf = new Map(sources.map((source) => [uid[source], source]));
  // Each hit with the kind and row id it stands for: a `recognition` document is a kudos or a badge, named by its id.
  const contentHits = (content?.hits ?? []).flatMap((h: ContentHit) => {
    const source = h._federation ? sourceOf.get(h._federation.indexUid) : undefined;
    if (!source) return [];
    if (source !== "recognition") return [{ kind: source as SearchType, id: Number(h.id), hit: h }];
    const named = parseRecognitionId(h.id);
    return named ? [{ kind: named.kind as SearchType, id: named.id, hit: h }] : [];
  });
  const personHits = people?.hits ?? [];
  const questionHits = contentHits.filter((c) => c.kind === "question").map((c) => c.hit as unknown as FormattedQuestion);
  const idsOf = (kind: SearchType) => contentHits.filter((c) => c.kind === kind).map((c) => c.id);
  const live = await liveHits(db, actor, {
    question: questionHits.map((h) => Number(h.id)),
    idea: idsOf("idea"),
    page: idsOf("page"),
    article: idsOf("article"),
    kudos: idsOf("kudos"),
    badge: idsOf("badge"),
    person: personHits.map((h) => Number(h.id)),
    answer: questionHits.flatMap((h) => h.answerIds ?? []),
  });
  const liveAnswers = new Set(live.answer.keys());
  const hits = contentHits.flatMap(({ kind, id, hit: h }): SearchHit[] => {
    const spaceId = live[kind].get(id);
    if (spaceId === undefined) return [];
    let hit: SearchHit | null;
    if (kind === "idea") hit = ideaHit({ ...(h as unknown as FormattedIdea), spaceId }, spaceById);
    else if (kind === "page") hit = pageHit({ ...(h as unknown as FormattedPage), spaceId }, spaceById);
    else if (kind === "article") hit = articleHit({ ...(h as unknown as FormattedArticle), spaceId }, spaceById);
    else if (kind === "kudos") hit = kudosHit(id, { ...(h as unknown as FormattedRecognition), spaceId }, spaceById);
    else if (kind === "badge") hit = badgeHit(id, { ...(h as unknown as FormattedRecognition), spaceId }, spaceById);
    else {
      const question = withoutDeletedAnswers(h as unknown as FormattedQuestion, liveAnswers);
      hit = question ? questionHit({ ...question, spaceId }, spaceById) : null;
    }
    return hit ? [hit] : [];
  });
  // Federated search counts every match (it is not capped at the index's maxTotalHits); the
  // pages stop at MAX_PAGE all the same.
  const total = content?.estimatedTotalHits ?? 0;
  const distributions: Distributions = {};
  for (const source of sources) {
    const forIndex = content?.facetsByIndex?.[uid[source]]?.distribution;
    if (forIndex) distributions[source] = forIndex;
  }
  const campaignIds = [...Object.keys(distributions.idea?.campaignId ?? {}).map(Number), ...(p.campaign ? [p.campaign] : [])];
  return {
    status: "ok",
    params: p,
    total,
    page: p.page,
    totalPages: Math.min(Math.ceil(total / hitsPerPage), MAX_PAGE),
    hits,
    people: personHits.flatMap((h) => {
      const reputation = live.person.get(Number(h.id));
      return reputation === undefined ? [] : [personHit({ ...h, reputation })];
    }),
    facets: wantFacets ? buildFacets(distributions, visible, await campaignTitles(db, visible, campaignIds), p) : emptyFacets(),
    tookMs,
  };
}

/**
 * Words that open or glue most questions ("How do I…", "What is the…"). Two titles sharing only
 * these are not similar, so they are left out of the similar-questions query.
 */
const QUESTION_FILLER = new Set(
  (
    "a about after all also am an and any are as at be been before being but by can could did do does doing done for from get gets getting " +
    "had has have having he her here his how i i'm if in into is it it's its just me my no not of on or our out over she should so some " +
    "than that the their them then there these they this those to too up us was we were what when where which while who whom why will " +
    "with would you your anyone someone somebody anybody know need want way best possible please there's what's how's"
  ).split(" "),
);

/** The title's content words, lower-cased, in order; empty when it has only filler. */
export function contentWords(title: string): string[] {
  return (title.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'+#.-]*/gu) ?? []).map((w) => w.replace(/[.'-]+$/, "")).filter((w) => w.length > 0 && !QUESTION_FILLER.has(w));
}

/** What the ask page shows beside the title being typed. */
export type SimilarContent = { questions: SimilarQuestion[]; pages: SimilarPage[] };

type SimilarPageFields = Pick<PageDocument, "id" | "spaceId" | "slug" | "title" | "verified" | "reviewDueAt">;

/**
 * Questions and wiki pages like the title being typed on the ask page, in the spaces `actor` may
 * see: at most `limit` questions and `pages` pages, best match first (among pages that match
 * equally, the verified fresh one: the index's freshness rule). Only the title's content words
 * are searched, with a relevance floor, so "How do I bake bread" does not list every "How do I"
 * question. One multi-search for both kinds and one PostgreSQL check for all hits. `null` when
 * search is unavailable.
 */
export async function similarContent(
  db: Db,
  client: Meilisearch,
  actor: Actor,
  title: string,
  options: { prefix?: string; limit?: number; pages?: number; onError?: (error: unknown) => void } = {},
): Promise<SimilarContent | null> {
  const q = contentWords(title.slice(0, 200)).join(" ");
  if (q.length < 3) return { questions: [], pages: [] };
  const visible = await searchableSpaces(db, actor);
  if (visible.length === 0) return { questions: [], pages: [] };
  const prefix = options.prefix ?? "";
  const pageLimit = options.pages ?? 3;
  const shared = { q, matchingStrategy: "frequency" as const, rankingScoreThreshold: 0.5 };
  let questionHits: QuestionFields[];
  let pageHits: SimilarPageFields[];
  try {
    const { results } = await client.multiSearch({
      queries: [
        {
          ...shared,
          indexUid: indexName("question", prefix),
          filter: questionFilter(visible, { tags: [] }),
          limit: options.limit ?? 5,
          attributesToRetrieve: QUESTION_FIELDS,
          attributesToSearchOn: ["title", "tags", "body"],
        },
        ...(pageLimit > 0
          ? [
              {
                ...shared,
                // Pages search their title, tags and text: all their searchable attributes.
                indexUid: indexName("wiki_page", prefix),
                filter: pageFilter(visible, { tags: [] }),
                limit: pageLimit,
                attributesToRetrieve: ["id", "spaceId", "slug", "title", "verified", "reviewDueAt"],
              },
            ]
          : []),
      ],
    });
    questionHits = (results[0]?.hits ?? []) as unknown as QuestionFields[];
    pageHits = (results[1]?.hits ?? []) as unknown as SimilarPageFields[];
  } catch (error) {
    options.onError?.(error);
    return null;
  }
  const spaceById = new Map(visible.map((s) => [s.id, s]));
  const live = await liveHits(db, actor, { question: questionHits.map((h) => Number(h.id)), idea: [], person: [], page: pageHits.map((h) => Number(h.id)) });
  const spaceOf = (kind: "question" | "page", id: number) => {
    const liveSpace = live[kind].get(Number(id));
    const space = liveSpace === undefined ? undefined : spaceById.get(liveSpace);
    return space ? { slug: space.slug, name: space.name } : null;
  };
  return {
    questions: questionHits.flatMap((h) => {
      const space = spaceOf("question", h.id);
      return space ? [{ id: h.id, url: questionUrl(h), title: h.title, answerCount: h.answerCount, status: h.status, space }] : [];
    }),
    pages: pageHits.flatMap((h) => {
      const space = spaceOf("page", h.id);
      if (!space) return [];
      return [{ id: h.id, url: wikiPageUrl(h), title: h.title, space, verified: h.verified === true, reviewDueAt: typeof h.reviewDueAt === "number" ? h.reviewDueAt : null }];
    }),
  };
}

/** Questions like the title being typed (`similarContent` without the pages). `null` when search is unavailable. */
export async function similarQuestions(
  db: Db,
  client: Meilisearch,
  actor: Actor,
  title: string,
  options: { prefix?: string; limit?: number; onError?: (error: unknown) => void } = {},
): Promise<SimilarQuestion[] | null> {
  const found = await similarContent(db, client, actor, title, { ...options, pages: 0 });
  return found && found.questions;
}

/**
 * Ideas of one campaign like the title being typed on its submission form: at most `limit`, best
 * match first, merged ones left out (they point elsewhere; the idea they went into is listed
 * instead). The caller has loaded the campaign for `actor` (`loadCampaign`, which answers 404 for
 * one they may not see); the query still carries the same visibility clause as every search.
 * Only the title's content words are searched, with a relevance floor, as for similar
 * questions. `null` when search is unavailable.
 */
export async function similarIdeas(
  db: Db,
  client: Meilisearch,
  actor: Actor,
  campaign: Pick<CampaignAccess["campaign"], "id">,
  title: string,
  options: { prefix?: string; limit?: number; onError?: (error: unknown) => void } = {},
): Promise<SimilarIdea[] | null> {
  const q = contentWords(title.slice(0, 200)).join(" ");
  if (q.length < 3) return [];
  const visible = await searchableSpaces(db, actor);
  if (visible.length === 0) return [];
  let result: SearchResponse<Pick<IdeaDocument, "id" | "title" | "status" | "voteCount">>;
  try {
    result = await client.index(indexName("idea", options.prefix ?? "")).search<Pick<IdeaDocument, "id" | "title" | "status" | "voteCount">>(q, {
      filter: [...ideaFilter(visible, { tags: [], campaign: campaign.id }), `status != ${filterValue("merged")}`],
      limit: options.limit ?? 5,
      attributesToRetrieve: ["id", "title", "status", "voteCount"],
      attributesToSearchOn: ["title", "tags", "category", "body"],
      matchingStrategy: "frequency",
      rankingScoreThreshold: 0.5,
    });
  } catch (error) {
    options.onError?.(error);
    return null;
  }
  const live = await liveHits(db, actor, { question: [], idea: result.hits.map((h) => Number(h.id)), person: [] });
  return result.hits
    .filter((h) => live.idea.has(Number(h.id)))
    .map((h) => ({ id: h.id, url: ideaUrl(h), title: h.title, status: h.status, statusLabel: IDEA_STATUS_LABELS[h.status], voteCount: h.voteCount }));
}

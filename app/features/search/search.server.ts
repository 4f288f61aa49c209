import { asc } from "drizzle-orm";
import type { Meilisearch, MultiSearchQuery, SearchResponse } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { spaces } from "#db/schema/index.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { type Actor, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import type { PersonDocument, QuestionDocument } from "#search/documents.server.ts";
import { indexName } from "#search/indexes.ts";
import {
  CREATED_WITHIN,
  type CreatedWithin,
  type Facets,
  type FacetValue,
  PAGE_SIZE,
  type PersonHit,
  type QuestionHit,
  SEARCH_STATUSES,
  type SearchOutcome,
  type SearchParams,
  type SearchStatus,
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
 */

export type SearchOptions = {
  /** Index name prefix (tests use their own indexes). */
  prefix?: string;
  /** How many people to show beside the content (0 for none). */
  people?: number;
  /** Questions per page (the header's instant results ask for fewer). */
  hitsPerPage?: number;
  /** Skip facet counts (the header's instant results do not show them). */
  facets?: boolean;
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

/**
 * The Meilisearch filter for these parameters, always starting with the visibility clause. A
 * space the person cannot see (or that does not exist) is the same: a filter that matches nothing.
 */
export function questionFilter(visible: VisibleSpace[], p: Pick<SearchParams, "space" | "tags" | "status" | "department" | "created">, now = Date.now()): string[] {
  const filter = [`spaceId IN [${visible.map((s) => s.id).join(", ")}]`];
  if (p.space !== undefined) {
    const space = visible.find((s) => s.slug === p.space);
    filter.push(`spaceId = ${space ? space.id : -1}`);
  }
  for (const tag of p.tags) filter.push(`tags = ${filterValue(tag)}`);
  if (p.status) filter.push(`status = ${filterValue(p.status)}`);
  if (p.department) filter.push(`authorDepartment = ${filterValue(p.department)}`);
  if (p.created && CREATED_WITHIN.includes(p.created)) filter.push(`createdAt >= ${Math.floor(now / 1000) - CREATED_SECONDS[p.created]}`);
  return filter;
}

const SORTS: Record<SearchParams["sort"], string[] | undefined> = {
  relevance: undefined,
  newest: ["createdAt:desc"],
  active: ["lastActivityAt:desc"],
  score: ["score:desc"],
};

type QuestionFields = Pick<QuestionDocument, "id" | "spaceId" | "title" | "tags" | "status" | "score" | "answerCount" | "authorId" | "authorName" | "createdAt">;
type FormattedQuestion = QuestionFields & { _formatted?: { title?: string; body?: string; answers?: string[] } };

const QUESTION_FIELDS: (keyof QuestionFields)[] = ["id", "spaceId", "title", "tags", "status", "score", "answerCount", "authorId", "authorName", "createdAt"];

function questionHit(hit: FormattedQuestion, spaceById: Map<number, VisibleSpace>): QuestionHit | null {
  const space = spaceById.get(hit.spaceId);
  // Cannot happen through the filter; a hit outside the visible spaces is dropped all the same.
  if (!space) return null;
  const f = hit._formatted ?? {};
  const answer = hasMatch(f.body) ? undefined : f.answers?.find(hasMatch);
  return {
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

function facetValues(
  distribution: Record<string, number> | undefined,
  selected: string[],
  label: (value: string) => string | undefined,
  limit = Number.POSITIVE_INFINITY,
): FacetValue[] {
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

function buildFacets(distribution: Record<string, Record<string, number>> | undefined, visible: VisibleSpace[], p: SearchParams): Facets {
  const d = distribution ?? {};
  const bySlug = new Map(visible.map((s) => [String(s.id), s]));
  const selectedSpace = visible.find((s) => s.slug === p.space);
  const spaceFacet = facetValues(d.spaceId, selectedSpace ? [String(selectedSpace.id)] : [], (id) => bySlug.get(id)?.name).map((v) => ({
    ...v,
    value: bySlug.get(v.value)!.slug,
  }));
  return {
    space: spaceFacet,
    type: facetValues(d.type, p.type ? [p.type] : [], (v) => TYPE_LABELS[v as keyof typeof TYPE_LABELS]),
    tag: facetValues(d.tags, p.tags, (v) => v, TAG_FACET_SIZE),
    status: facetValues(d.status, p.status ? [p.status] : [], (v) => (SEARCH_STATUSES.includes(v as SearchStatus) ? STATUS_LABELS[v as SearchStatus] : undefined)),
    department: facetValues(d.authorDepartment, p.department ? [p.department] : [], (v) => v || undefined, DEPARTMENT_FACET_SIZE),
  };
}

const emptyFacets = (): Facets => ({ space: [], type: [], tag: [], status: [], department: [] });

/**
 * Questions (and, on the first page of a worded search, people) matching `p`, as `actor` may see
 * them. Never throws for Meilisearch trouble: a failure or a timeout (the client's bound, 2 s)
 * comes back as `{ status: "unavailable" }`.
 */
export async function search(db: Db, client: Meilisearch, actor: Actor, p: SearchParams, options: SearchOptions = {}): Promise<SearchOutcome> {
  const prefix = options.prefix ?? "";
  const hitsPerPage = options.hitsPerPage ?? PAGE_SIZE;
  const visible = await searchableSpaces(db, actor);
  const wantPeople = (options.people ?? 4) > 0 && p.q !== "" && p.page === 1 && actor.kind === "employee" && actor.deactivatedAt === null;
  if (visible.length === 0 && !wantPeople) {
    return { status: "ok", params: p, total: 0, page: 1, totalPages: 0, questions: [], people: [], facets: emptyFacets(), tookMs: 0 };
  }

  const queries: MultiSearchQuery[] = [];
  // `type` has one value today (ideas and wiki pages join the index later); filtering by it is a no-op.
  if (visible.length > 0) {
    queries.push({
      indexUid: indexName("question", prefix),
      q: p.q,
      filter: questionFilter(visible, p),
      sort: SORTS[p.sort],
      page: p.page,
      hitsPerPage,
      facets: options.facets === false ? undefined : ["spaceId", "type", "tags", "status", "authorDepartment"],
      attributesToRetrieve: QUESTION_FIELDS,
      attributesToHighlight: ["title", "body", "answers"],
      attributesToCrop: ["body", "answers"],
      cropLength: SNIPPET_WORDS,
      cropMarker: CROP_MARKER,
      highlightPreTag: PRE,
      highlightPostTag: POST,
    });
  }
  if (wantPeople) {
    queries.push({
      indexUid: indexName("person", prefix),
      q: p.q,
      limit: options.people ?? 4,
      attributesToRetrieve: ["id", "name", "title", "department", "location", "topTags", "reputation"],
      attributesToHighlight: ["name"],
      highlightPreTag: PRE,
      highlightPostTag: POST,
    });
  }

  const started = performance.now();
  let results: SearchResponse<Record<string, unknown>>[];
  try {
    results = (await client.multiSearch({ queries })).results as SearchResponse<Record<string, unknown>>[];
  } catch (error) {
    options.onError?.(error);
    return { status: "unavailable", params: p };
  }
  const tookMs = Math.round(performance.now() - started);

  const questionResult = visible.length > 0 ? results[0] : undefined;
  const peopleResult = wantPeople ? results.at(-1) : undefined;
  const spaceById = new Map(visible.map((s) => [s.id, s]));
  const questions = (questionResult?.hits ?? []).flatMap((h) => questionHit(h as unknown as FormattedQuestion, spaceById) ?? []);
  const total = questionResult?.totalHits ?? 0;
  return {
    status: "ok",
    params: p,
    total,
    page: questionResult?.page ?? 1,
    totalPages: questionResult?.totalPages ?? 0,
    questions,
    people: (peopleResult?.hits ?? []).map((h) => personHit(h as unknown as PersonFields)),
    facets: questionResult ? buildFacets(questionResult.facetDistribution, visible, p) : emptyFacets(),
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

/**
 * Questions like the title being typed on the ask page, in the spaces `actor` may see: at most
 * `limit`, best match first. Only the title's content words are searched, with a relevance floor,
 * so "How do I bake bread" does not list every "How do I" question. `null` when search is
 * unavailable.
 */
export async function similarQuestions(
  db: Db,
  client: Meilisearch,
  actor: Actor,
  title: string,
  options: { prefix?: string; limit?: number; onError?: (error: unknown) => void } = {},
): Promise<SimilarQuestion[] | null> {
  const q = contentWords(title.slice(0, 200)).join(" ");
  if (q.length < 3) return [];
  const visible = await searchableSpaces(db, actor);
  if (visible.length === 0) return [];
  try {
    const result = await client.index(indexName("question", options.prefix ?? "")).search<QuestionFields>(q, {
      filter: questionFilter(visible, { tags: [] }),
      limit: options.limit ?? 5,
      attributesToRetrieve: QUESTION_FIELDS,
      attributesToSearchOn: ["title", "tags", "body"],
      matchingStrategy: "frequency",
      rankingScoreThreshold: 0.5,
    });
    const spaceById = new Map(visible.map((s) => [s.id, s]));
    return result.hits.flatMap((h) => {
      const space = spaceById.get(h.spaceId);
      if (!space) return [];
      return [{ id: h.id, url: questionUrl(h), title: h.title, answerCount: h.answerCount, status: h.status, space: { slug: space.slug, name: space.name } }];
    });
  } catch (error) {
    options.onError?.(error);
    return null;
  }
}

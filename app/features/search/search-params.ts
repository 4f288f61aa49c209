import { z } from "zod";
import { IDEA_STATUSES, type IdeaStatus } from "#app/features/ideas/schemas.ts";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";
import { IdSchema } from "#app/lib/ids.ts";

/**
 * The search page's URL parameters
 * (`/search?q=&space=&tag=&status=&ideaStatus=&type=&campaign=&category=&department=&created=&sort=&page=`),
 * read leniently (anything unknown falls back to its default) and written back by `searchHref`.
 * `type` is one kind of content (question, idea, wiki page, article, kudos, badge). `status` is a question's
 * status; `ideaStatus`, `campaign` and `category` only ideas have, so any of them limits the
 * results to ideas. Shared by the loader, the page and the header box, so it holds no server code.
 */

export const SEARCH_SORTS = ["relevance", "newest", "active", "score"] as const;
export const SEARCH_STATUSES = ["open", "answered", "closed"] as const;
export const SEARCH_TYPES = ["question", "idea", "page", "article", "kudos", "badge"] as const;
export const ARTICLE_TYPES = ["announcement", "how_to", "knowledge", "personal"] as const;
export const CREATED_WITHIN = ["week", "month", "year"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
export type SearchStatus = (typeof SEARCH_STATUSES)[number];
export type SearchType = (typeof SEARCH_TYPES)[number];
export type CreatedWithin = (typeof CREATED_WITHIN)[number];
export type ArticleType = (typeof ARTICLE_TYPES)[number];

export const QUERY_MAX = 200;
export const MAX_TAG_FILTERS = 5;
/** Meilisearch answers exhaustive counts up to 1,000 hits; 50 pages of 20 cover them. */
export const PAGE_SIZE = 20;
export const MAX_PAGE = 50;

export const SORT_LABELS: Record<SearchSort, string> = { relevance: "Best match", newest: "Newest", active: "Recently active", score: "Highest score" };
export const STATUS_LABELS: Record<SearchStatus, string> = { open: "Not yet accepted", answered: "Accepted answer", closed: "Closed" };
export const TYPE_LABELS: Record<SearchType, string> = { question: "Questions", idea: "Ideas", page: "Wiki pages", article: "Articles", kudos: "Kudos", badge: "Badges" };
export const ARTICLE_TYPE_LABELS: Record<ArticleType, string> = { announcement: "Announcement", how_to: "How-to", knowledge: "Knowledge", personal: "Personal" };
export const CREATED_LABELS: Record<CreatedWithin, string> = { week: "Past week", month: "Past month", year: "Past year" };

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || undefined)
    .optional()
    .catch(undefined);

const SearchParamsSchema = z.object({
  q: z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim().slice(0, QUERY_MAX))
    .catch(""),
  space: optionalText(100),
  tags: z
    .array(z.string().trim().toLowerCase())
    .transform((tags) => [...new Set(tags.filter((t) => t.length <= TAG_MAX_LENGTH && TAG_PATTERN.test(t)))].slice(0, MAX_TAG_FILTERS))
    .catch([]),
  status: z.enum(SEARCH_STATUSES).optional().catch(undefined),
  ideaStatus: z.enum(IDEA_STATUSES).optional().catch(undefined),
  type: z.enum(SEARCH_TYPES).optional().catch(undefined),
  campaign: IdSchema.optional().catch(undefined),
  category: optionalText(100),
  department: optionalText(100),
  created: z.enum(CREATED_WITHIN).optional().catch(undefined),
  sort: z.enum(SEARCH_SORTS).catch("relevance"),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
});
export type SearchParams = z.output<typeof SearchParamsSchema>;

export function searchParams(url: URL | URLSearchParams): SearchParams {
  const p = url instanceof URL ? url.searchParams : url;
  const get = (key: string) => p.get(key) || undefined;
  return SearchParamsSchema.parse({
    q: p.get("q") ?? "",
    space: get("space"),
    tags: p.getAll("tag"),
    status: get("status"),
    ideaStatus: get("ideaStatus"),
    type: get("type"),
    campaign: get("campaign"),
    category: get("category"),
    department: get("department"),
    created: get("created"),
    sort: get("sort"),
    page: get("page"),
  });
}

/** True when the page has something to search for: words or at least one filter. */
export function hasCriteria(p: SearchParams): boolean {
  return (
    p.q !== "" ||
    p.space !== undefined ||
    p.tags.length > 0 ||
    p.status !== undefined ||
    p.ideaStatus !== undefined ||
    p.campaign !== undefined ||
    p.category !== undefined ||
    p.department !== undefined ||
    p.created !== undefined ||
    p.type !== undefined
  );
}

/** `/search?…` for these parameters, leaving out defaults so plain URLs stay plain. */
export function searchHref(p: Partial<SearchParams>): string {
  const s = new URLSearchParams();
  if (p.q) s.set("q", p.q);
  if (p.space) s.set("space", p.space);
  for (const tag of p.tags ?? []) s.append("tag", tag);
  if (p.status) s.set("status", p.status);
  if (p.ideaStatus) s.set("ideaStatus", p.ideaStatus);
  if (p.type) s.set("type", p.type);
  if (p.campaign) s.set("campaign", String(p.campaign));
  if (p.category) s.set("category", p.category);
  if (p.department) s.set("department", p.department);
  if (p.created) s.set("created", p.created);
  if (p.sort && p.sort !== "relevance") s.set("sort", p.sort);
  if (p.page && p.page > 1) s.set("page", String(p.page));
  const query = s.toString();
  return query ? `/search?${query}` : "/search";
}

/** A piece of highlighted text: plain text runs and matched runs. Always rendered as text, never as HTML. */
export type Snippet = Array<{ text: string; match: boolean }>;

export type QuestionHit<Time = number> = {
  type: "question";
  id: number;
  url: string;
  title: Snippet;
  /** Where the words matched: the question's body, or an answer's text when only an answer matched. */
  snippet: Snippet;
  snippetFrom: "question" | "answer";
  space: { slug: string; name: string };
  tags: string[];
  status: SearchStatus;
  score: number;
  answerCount: number;
  author: { id: number; name: string };
  /** Seconds since the epoch. */
  createdAt: Time;
};

export type IdeaHit = {
  type: "idea";
  id: number;
  url: string;
  title: Snippet;
  snippet: Snippet;
  space: { slug: string; name: string };
  campaign: { id: number; title: string; url: string };
  tags: string[];
  /** One of the campaign's categories, or "". */
  category: string;
  status: IdeaStatus;
  voteCount: number;
  commentCount: number;
  author: { id: number; name: string };
  /** Seconds since the epoch. */
  createdAt: number;
};

export type PageHit = {
  type: "page";
  id: number;
  url: string;
  title: Snippet;
  snippet: Snippet;
  space: { slug: string; name: string };
  tags: string[];
  author: { id: number; name: string };
  owners: string[];
  verified: boolean;
  /** Seconds since the epoch, or null: see `pageReview`. */
  reviewDueAt: number | null;
  /** Seconds since the epoch. */
  createdAt: number;
  /** When its text last changed, in seconds since the epoch. */
  updatedAt: number;
};

export type ArticleHit = {
  type: "article";
  id: number;
  url: string;
  title: Snippet;
  snippet: Snippet;
  space: { slug: string; name: string };
  tags: string[];
  articleType: ArticleType;
  score: number;
  commentCount: number;
  author: { id: number; name: string };
  /** Seconds since the epoch. */
  publishedAt: number;
};

export type BadgeTier = "bronze" | "silver" | "gold";

/**
 * One public kudos found: who thanked whom, for which of the company's values, and for what. The
 * names, the value and the title of what it thanks are highlighted where the words matched.
 */
export type KudosHit = {
  type: "kudos";
  id: number;
  url: string;
  /** "Ana thanked Ben, Cleo and 2 others": the names as highlighted text. */
  title: Snippet;
  giver: { id: number; name: Snippet };
  receivers: Array<{ id: number; name: Snippet }>;
  value: { name: Snippet; emoji: string };
  /** From the message. */
  snippet: Snippet;
  /** The title of the answer's question, page, article or idea it thanks; empty when it thanks none. */
  subject: Snippet;
  space: { slug: string; name: string };
  points: number;
  /** Seconds since the epoch. */
  createdAt: number;
};

/** One badge found: its name, description, tier and how many hold it. */
export type BadgeHit = {
  type: "badge";
  id: number;
  url: string;
  title: Snippet;
  snippet: Snippet;
  tier: BadgeTier;
  holderCount: number;
};

/** One result of the page's mixed list: the kind says which fields it has. */
export type SearchHit = QuestionHit | IdeaHit | PageHit | ArticleHit | KudosHit | BadgeHit;

/**
 * What a page's result says of it: "verified" while a verified page is not yet due for review,
 * "needs_review" once it is, null for a page nobody has verified. Worked out when shown, from the
 * due date and the clock of that moment, so a document indexed before the date passed still says
 * the right thing.
 */
export function pageReview(page: { verified: boolean; reviewDueAt: number | null }, nowMs: number): "verified" | "needs_review" | null {
  if (!page.verified) return null;
  return page.reviewDueAt !== null && page.reviewDueAt * 1000 <= nowMs ? "needs_review" : "verified";
}

export type PersonHit = {
  id: number;
  name: Snippet;
  title: string;
  department: string;
  location: string;
  topTags: string[];
  reputation: number;
};

export type FacetValue = { value: string; label: string; count: number; selected: boolean };
export type Facets = {
  space: FacetValue[];
  type: FacetValue[];
  tag: FacetValue[];
  status: FacetValue[];
  ideaStatus: FacetValue[];
  campaign: FacetValue[];
  category: FacetValue[];
  department: FacetValue[];
};

export type SearchOutcome =
  | {
      status: "ok";
      params: SearchParams;
      total: number;
      page: number;
      totalPages: number;
      /** Questions, ideas, wiki pages, articles, kudos and badges in one list, best first (or in the chosen order). */
      hits: SearchHit[];
      people: PersonHit[];
      facets: Facets;
      tookMs: number;
    }
  /** Meilisearch is down, slow (over the bound) or refused the query: the page says so. */
  | { status: "unavailable"; params: SearchParams };

export type SimilarQuestion = { id: number; url: string; title: string; answerCount: number; status: SearchStatus; space: { slug: string; name: string } };

/** A wiki page like the title being typed on the ask page: it may already answer the question. */
export type SimilarPage = { id: number; url: string; title: string; space: { slug: string; name: string }; verified: boolean; reviewDueAt: number | null };

export type SimilarIdea = { id: number; url: string; title: string; status: IdeaStatus; statusLabel: string; voteCount: number };

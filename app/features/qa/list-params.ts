import { z } from "zod";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "./schemas.ts";

/** The sorts and periods of question lists, their URL parameters and rows; shared by loaders and components. */

export const QUESTION_SORTS = ["newest", "active", "unanswered", "top"] as const;
export const TOP_PERIODS = ["week", "month", "all"] as const;
export type QuestionSort = (typeof QUESTION_SORTS)[number];
export type TopPeriod = (typeof TOP_PERIODS)[number];

/**
 * One question in a list, as the list queries return it and a list row shows it. `Time` is `Date`
 * on the server; a component taking loader data also accepts the string a date may arrive as.
 */
export type QuestionRow<Time = Date> = {
  id: number;
  title: string;
  score: number;
  answerCount: number;
  accepted: boolean;
  viewCount: number;
  closed: boolean;
  tags: string[];
  author: { id: number; name: string };
  space: { slug: string; name: string };
  createdAt: Time;
  lastActivityAt: Time;
};

/** Reads `?sort=&period=&tag=&cursor=` leniently: anything unknown falls back to the default. */
export const ListParamsSchema = z.object({
  sort: z.enum(QUESTION_SORTS).catch("newest"),
  period: z.enum(TOP_PERIODS).catch("week"),
  tag: z.string().trim().toLowerCase().max(TAG_MAX_LENGTH).regex(TAG_PATTERN).optional().catch(undefined),
  cursor: z.string().max(300).optional().catch(undefined),
});
export type ListParams = z.output<typeof ListParamsSchema>;

export function listParams(url: URL): ListParams {
  const get = (key: string) => url.searchParams.get(key) || undefined;
  return ListParamsSchema.parse({ sort: get("sort"), period: get("period"), tag: get("tag"), cursor: get("cursor") });
}

/** `base?sort=…&period=…&tag=…&cursor=…`, leaving out the defaults so plain URLs stay plain. */
export function listHref(base: string, params: { sort?: QuestionSort; period?: TopPeriod; tag?: string | undefined; cursor?: string | null | undefined }): string {
  const search = new URLSearchParams();
  if (params.sort && params.sort !== "newest") search.set("sort", params.sort);
  if (params.sort === "top" && params.period && params.period !== "week") search.set("period", params.period);
  if (params.tag) search.set("tag", params.tag);
  if (params.cursor) search.set("cursor", params.cursor);
  const query = search.toString();
  return query ? `${base}?${query}` : base;
}

/**
 * How many of a tag's latest questions its page's people and related tags are counted on (of those
 * the reader may see). Exact for tags with fewer questions; for a big tag, the people and tags of
 * its recent questions, read off the (tag, question time) index in a bounded time instead of every
 * question the tag ever had.
 */
export const TAG_WINDOW = 300;

import { IDEA_STATUSES, type IdeaStatus } from "./schemas.ts";

/** The campaign page's list parameters from its URL; shared by the loader and the filter links. */

export const IDEA_SORTS = ["trending", "top", "newest", "status"] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];
export const IDEAS_PAGE_SIZE = 20;

export type IdeaListParams = { sort: IdeaSort; category: string | null; status: IdeaStatus | null; page: number };

export function ideaListParams(url: URL): IdeaListParams {
  const sort = url.searchParams.get("sort");
  const status = url.searchParams.get("status");
  const page = Number(url.searchParams.get("page") ?? "1");
  return {
    sort: (IDEA_SORTS as readonly string[]).includes(sort ?? "") ? (sort as IdeaSort) : "trending",
    category: url.searchParams.get("category")?.slice(0, 100) || null,
    status: (IDEA_STATUSES as readonly string[]).includes(status ?? "") ? (status as IdeaStatus) : null,
    page: Number.isSafeInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

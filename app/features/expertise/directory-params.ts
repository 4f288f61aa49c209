import { href } from "react-router";
import { z } from "zod";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";
import { IdSchema } from "#app/lib/ids.ts";

/**
 * The experts page's URL parameters (`/experts?topic=&q=&department=&location=&open=1&title=&page=`),
 * read leniently (nonsense falls back to its default, never a 500) and written back by
 * `expertsHref`. Shared by the loader, the page and its links, so it holds no server code.
 *
 * - `topic`: one to three tag names, separated by commas or spaces (the tag picker writes them so);
 * - `q`: words describing what someone needs; with topics too, both count;
 * - `department`, `location`: exact values, as the facets offer them;
 * - `open=1`: only people open to questions (not opted out of routing, not away);
 * - `title`: part of a job title, HR's filter (ignored for everyone else).
 */

export const EXPERTS_PAGE_SIZE = 20;
export const MAX_TOPICS = 3;
export const EXPERT_QUERY_MAX = 200;
/** The most people a shortlist exports at once: five pages of the list. */
export const SHORTLIST_MAX = 100;

const optionalText = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(z.string().max(max))
    .transform((s) => s || undefined)
    .optional()
    .catch(undefined);

/** The topics in a typed text: tag names separated by commas or spaces, at most three (anything else is dropped). */
export function parseTopics(text: string): string[] {
  const names = text
    .slice(0, 500)
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((t) => t.length > 0 && t.length <= TAG_MAX_LENGTH && TAG_PATTERN.test(t));
  return [...new Set(names)].slice(0, MAX_TOPICS);
}

const ExpertsParamsSchema = z.object({
  topics: z.string().transform(parseTopics).catch([]),
  q: z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim().slice(0, EXPERT_QUERY_MAX))
    .catch(""),
  department: optionalText(100),
  location: optionalText(100),
  open: z
    .string()
    .optional()
    .transform((v) => v === "1")
    .catch(false),
  title: optionalText(100),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type ExpertsParams = z.output<typeof ExpertsParamsSchema>;

/** The page's parameters; `hr` keeps the title filter (HR and admins only). */
export function expertsParams(url: URL, options: { hr: boolean }): ExpertsParams {
  const p = url.searchParams;
  const parsed = ExpertsParamsSchema.parse({
    topics: p.get("topic") ?? "",
    q: p.get("q") ?? "",
    department: p.get("department") ?? undefined,
    location: p.get("location") ?? undefined,
    open: p.get("open") ?? undefined,
    title: p.get("title") ?? undefined,
    page: p.get("page") ?? undefined,
  });
  return options.hr ? parsed : { ...parsed, title: undefined };
}

/** Whether there is anything to search for (otherwise the page offers topics to start from). */
export function hasSearch(p: ExpertsParams): boolean {
  return p.topics.length > 0 || p.q !== "";
}

/** The URL of the page with these parameters (empty ones left out, page 1 unwritten). */
export function expertsHref(p: Partial<ExpertsParams>): string {
  const out = new URLSearchParams();
  if (p.topics?.length) out.set("topic", p.topics.join(" "));
  if (p.q) out.set("q", p.q);
  if (p.department) out.set("department", p.department);
  if (p.location) out.set("location", p.location);
  if (p.open) out.set("open", "1");
  if (p.title) out.set("title", p.title);
  if (p.page && p.page > 1) out.set("page", String(p.page));
  const query = out.toString();
  return query ? `${href("/experts")}?${query}` : href("/experts");
}

/** The shortlist export's form: the people ticked, and the topics the list was searched by (their evidence lines). */
export const ShortlistSchema = z.object({
  id: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(IdSchema).min(1, "Tick at least one person to export.").max(SHORTLIST_MAX, `At most ${SHORTLIST_MAX} people at a time.`),
  ),
  topic: z.string().max(200).optional().catch(undefined),
});

/** How many SMEs the tag page's card lists (the SMEs screen lists all). */
export const TAG_PAGE_SMES = 6;

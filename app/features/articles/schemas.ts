import { z } from "zod";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";
import { idParam } from "#app/lib/ids.ts";
import { BODY_MIN, editComment, splitTags, SubmissionKey, TAG_MAX_LENGTH, TAG_PATTERN, TAGS_MAX, textField, TITLE_MAX } from "#app/features/qa/schemas.ts";

/** Form schemas and list parameters for articles; shared by routes, components and features. */

export const ARTICLE_TYPES = ["announcement", "how_to", "knowledge", "personal"] as const;
export type ArticleType = (typeof ARTICLE_TYPES)[number];

export const TYPE_LABELS: Record<ArticleType, string> = {
  announcement: "Announcement",
  how_to: "How-to",
  knowledge: "Knowledge article",
  personal: "Personal post",
};

export const TYPE_DESCRIPTIONS: Record<ArticleType, string> = {
  announcement: "News for the space: a change, a launch, an event.",
  how_to: "Steps that get something done, in order.",
  knowledge: "What we know about a topic, kept for reference.",
  personal: "Your own view, story or lessons learned.",
};

export type ArticleStatus = "draft" | "scheduled" | "published";

// Articles are often headlines ("Welcome, Ada"), shorter than a question has to be.
export const ARTICLE_TITLE_MIN = 5;

const articleTitle = textField("The title", ARTICLE_TITLE_MIN, TITLE_MAX).transform((s) => s.replace(/\s+/g, " "));

/**
 * Tags on an article: optional, at most five, spelled as question tags are. They are a free list on
 * the article (no tag rows, no privilege to coin one): they filter the article feeds only.
 */
export const ArticleTagsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((raw) => splitTags(Array.isArray(raw) ? raw.join(" ") : (raw ?? "")))
  .check((ctx) => {
    const tags = ctx.value;
    if (tags.length > TAGS_MAX) ctx.issues.push({ code: "custom", message: `Use at most ${TAGS_MAX} tags.`, input: tags });
    const bad = tags.find((t) => t.length > TAG_MAX_LENGTH || !TAG_PATTERN.test(t));
    if (bad !== undefined) {
      const shown = bad.length > 40 ? `${bad.slice(0, 40)}…` : bad;
      ctx.issues.push({
        code: "custom",
        message: `“${shown}” is not a tag: use up to ${TAG_MAX_LENGTH} lower-case letters, digits and + # . - (starting with a letter or digit).`,
        input: tags,
      });
    }
  });

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A datetime-local value ("2026-12-01T09:30") read as UTC, the zone every date in Commons is shown
 * in; "" or missing is null. Whether it is in the future is the feature's check (it knows "now").
 */
export const PublishAtField = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const text = (raw ?? "").trim();
    if (!text) return null;
    const match = DATETIME.exec(text);
    const date = match ? new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +(match[6] ?? 0))) : null;
    // Date.UTC rolls "02-30" over into March: a date that does not read back is not a real one.
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 16) !== text.slice(0, 16)) {
      ctx.issues.push({ code: "custom", message: "Give a date and time like 2026-12-01 09:30.", input: text });
      return z.NEVER;
    }
    return date;
  });

/** The create form's buttons: "Save draft", "Schedule" (with its time) and "Publish". */
export const CREATE_INTENTS = ["draft", "schedule", "publish"] as const;
/** The edit form's: "Save" keeps the status; a draft or scheduled article may also change it. */
export const EDIT_INTENTS = ["save", "draft", "schedule", "publish"] as const;
export type PublicationIntent = (typeof EDIT_INTENTS)[number];

const fields = {
  type: z.enum(ARTICLE_TYPES, { error: "Choose what kind of article this is." }),
  title: articleTitle,
  body: textField("The article", BODY_MIN, MARKDOWN_MAX_LENGTH),
  tags: ArticleTagsField,
  publishAt: PublishAtField,
};

function scheduleNeedsTime(ctx: z.core.ParsePayload<{ intent: PublicationIntent; publishAt: Date | null }>) {
  if (ctx.value.intent === "schedule" && ctx.value.publishAt === null) {
    ctx.issues.push({ code: "custom", path: ["publishAt"], message: "Choose when to publish it.", input: ctx.value.publishAt });
  }
}

export const ArticleSchema = z
  .object({
    space: z.string({ error: "Choose a space." }).trim().min(1, "Choose a space.").max(100),
    ...fields,
    intent: z.enum(CREATE_INTENTS, { error: "Choose to publish, schedule or save a draft." }),
    submissionKey: SubmissionKey,
  })
  .check(scheduleNeedsTime);
export type ArticleInput = z.output<typeof ArticleSchema>;

export const EditArticleSchema = z
  .object({
    ...fields,
    comment: editComment,
    intent: z.enum(EDIT_INTENTS).catch("save"),
  })
  .check(scheduleNeedsTime);
export type EditArticleInput = z.output<typeof EditArticleSchema>;

/** Scheduling or unscheduling from the article's page or the drafts list, without touching the text. */
export const PublicationSchema = z
  .object({
    intent: z.enum(["publish", "draft", "schedule"]),
    publishAt: PublishAtField,
  })
  .check(scheduleNeedsTime);
export type PublicationInput = z.output<typeof PublicationSchema>;

export const ARTICLE_SORTS = ["newest", "most_read", "following"] as const;
export type ArticleSort = (typeof ARTICLE_SORTS)[number];

export const SORT_LABELS: Record<ArticleSort, string> = { newest: "Newest", most_read: "Most read", following: "Following" };

/** Reads `?sort=&type=&tag=&author=&page=` leniently: anything unknown falls back to the default. */
export const FeedParamsSchema = z.object({
  sort: z.enum(ARTICLE_SORTS).catch("newest"),
  type: z.enum(ARTICLE_TYPES).optional().catch(undefined),
  tag: z.string().trim().toLowerCase().max(TAG_MAX_LENGTH).regex(TAG_PATTERN).optional().catch(undefined),
  author: z
    .string()
    .optional()
    .transform((s) => (s === undefined || Number.isNaN(idParam(s)) ? undefined : idParam(s)))
    .catch(undefined),
});
export type FeedParams = z.output<typeof FeedParamsSchema>;

export function feedParams(url: URL): FeedParams {
  const get = (key: string) => url.searchParams.get(key) || undefined;
  return FeedParamsSchema.parse({ sort: get("sort"), type: get("type"), tag: get("tag"), author: get("author") });
}

/** `base?sort=…&type=…&tag=…&author=…&page=…`, leaving out the defaults so plain URLs stay plain. */
export function feedHref(base: string, params: Partial<FeedParams> & { page?: number }): string {
  const search = new URLSearchParams();
  if (params.sort && params.sort !== "newest") search.set("sort", params.sort);
  if (params.type) search.set("type", params.type);
  if (params.tag) search.set("tag", params.tag);
  if (params.author) search.set("author", String(params.author));
  if (params.page && params.page > 1) search.set("page", String(params.page));
  const query = search.toString();
  return query ? `${base}?${query}` : base;
}

/** A date as a datetime-local field shows it, in UTC: "2026-12-01T09:30". */
export function datetimeLocalValue(date: Date | string | null): string {
  return date ? new Date(date).toISOString().slice(0, 16) : "";
}

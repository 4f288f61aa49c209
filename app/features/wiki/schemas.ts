import { z } from "zod";
import { editComment, SubmissionKey, splitTags, TAG_MAX_LENGTH, TAG_PATTERN, TAGS_MAX, textField } from "#app/features/qa/schemas.ts";
import { idParam } from "#app/lib/ids.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";

/** Form schemas for wiki pages; shared by routes and features. */

export const PAGE_TITLE_MAX = 150;

/** A page title: one line, 2 to 150 characters (shorter than a question's minimum: "FAQ", "VPN" are good page titles). */
export const pageTitle = textField("The title", 2, PAGE_TITLE_MAX)
  .transform((s) => s.replace(/\s+/g, " "))
  .refine((s) => !/[[\]|]/.test(s), "A title can't contain [ ] or |: they mark links between pages.");

/** Optional tags on a page (topics for search and expertise): the question rules, but none is fine. */
export const optionalTags = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((raw) => splitTags(Array.isArray(raw) ? raw.join(" ") : (raw ?? "")))
  .check((ctx) => {
    if (ctx.value.length > TAGS_MAX) ctx.issues.push({ code: "custom", message: `Use at most ${TAGS_MAX} tags.`, input: ctx.value });
    const bad = ctx.value.find((t) => t.length > TAG_MAX_LENGTH || !TAG_PATTERN.test(t));
    if (bad !== undefined) ctx.issues.push({ code: "custom", message: `“${bad.slice(0, 40)}” is not a tag: use lower-case letters, digits and + # . -.`, input: ctx.value });
  });

/** An optional page id from a select ("" for none). */
export const optionalPageId = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (!s) return null;
    const id = idParam(s.trim());
    if (Number.isNaN(id)) {
      ctx.issues.push({ code: "custom", message: "That page is not one you can choose: reload and try again.", input: s });
      return z.NEVER;
    }
    return id;
  });

export const pageBody = textField("The page", 1, MARKDOWN_MAX_LENGTH);

export const NewPageSchema = z.object({
  title: pageTitle,
  body: pageBody,
  tags: optionalTags,
  parentId: optionalPageId,
  submissionKey: SubmissionKey,
});
export type NewPageInput = z.output<typeof NewPageSchema>;

/** Saving a page: what the editor started from travels with the text, so a save over a newer version is caught. */
export const EditPageSchema = z.object({
  title: pageTitle,
  body: pageBody,
  tags: optionalTags,
  comment: editComment,
  baseRevision: z.coerce.number({ error: "The form lost track of the version it started from; reload the page." }).int().min(1).max(1_000_000),
});
export type EditPageInput = z.output<typeof EditPageSchema>;

export const MovePageSchema = z.object({
  parentId: optionalPageId,
  /** Put it before this sibling; none means last. */
  beforeId: optionalPageId,
});
export type MovePageInput = z.output<typeof MovePageSchema>;

export const TEMPLATE_NAME_MAX = 60;
export const TEMPLATE_DESCRIPTION_MAX = 200;

/** A page template: its name (one line), what it is for, and the markdown a new page starts with. */
export const TemplateSchema = z.object({
  name: textField("The name", 2, TEMPLATE_NAME_MAX).transform((s) => s.replace(/\s+/g, " ")),
  description: z
    .string()
    .optional()
    .transform((s) => (s ?? "").replace(/\s+/g, " ").trim())
    .pipe(z.string().max(TEMPLATE_DESCRIPTION_MAX, `The description can be at most ${TEMPLATE_DESCRIPTION_MAX} characters.`)),
  body: textField("The template", 1, MARKDOWN_MAX_LENGTH),
});
export type TemplateInput = z.output<typeof TemplateSchema>;

/** A new template also says where it applies: "" for every space (site-wide), else a space's slug. */
export const NewTemplateSchema = TemplateSchema.extend({
  space: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(z.string().max(100, "Choose where the template applies.")),
});
export type NewTemplateInput = z.output<typeof NewTemplateSchema>;

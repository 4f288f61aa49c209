import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";

/** Form schemas for questions, answers and comments; shared by routes and features. */

export const TITLE_MIN = 15;
export const TITLE_MAX = 150;
export const BODY_MIN = 20;
export const COMMENT_MIN = 2;
export const COMMENT_MAX = 600;
export const TAGS_MAX = 5;
export const TAG_MAX_LENGTH = 35;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9+#.-]*$/;

/** "React, node.js  postgres" → ["react", "node.js", "postgres"]: commas or spaces separate tags. */
export function splitTags(raw: string): string[] {
  const names = raw
    .toLowerCase()
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  return [...new Set(names)];
}

export const TagsField = z
  .union([z.string(), z.array(z.string())], { error: "Add at least one tag." })
  .transform((raw) => splitTags(Array.isArray(raw) ? raw.join(" ") : raw))
  .check((ctx) => {
    const tags = ctx.value;
    if (tags.length === 0) ctx.issues.push({ code: "custom", message: "Add at least one tag.", input: tags });
    else if (tags.length > TAGS_MAX) ctx.issues.push({ code: "custom", message: `Use at most ${TAGS_MAX} tags.`, input: tags });
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

/** A required text field of `min` to `max` characters, normalized; messages name it by `label`. */
export const textField = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, `${label} is required.`)
        .min(min, `${label} needs at least ${min} characters.`)
        .max(max, `${label} can be at most ${max.toLocaleString("en")} characters.`),
    );

/** Plain text on one line: titles never hold HTML or line breaks. */
export const title = textField("The title", TITLE_MIN, TITLE_MAX).transform((s) => s.replace(/\s+/g, " "));

/** A random key the form carries so that a double submit finds the first one's result. */
export const SubmissionKey = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/)
  .optional()
  .catch(undefined);

export const AskSchema = z.object({
  space: z.string({ error: "Choose a space." }).trim().min(1, "Choose a space.").max(100),
  title,
  body: textField("The question", BODY_MIN, MARKDOWN_MAX_LENGTH),
  tags: TagsField,
  submissionKey: SubmissionKey,
});
export type AskInput = z.output<typeof AskSchema>;

export const AnswerSchema = z.object({
  body: textField("The answer", BODY_MIN, MARKDOWN_MAX_LENGTH),
  submissionKey: SubmissionKey,
});
export type AnswerInput = z.output<typeof AnswerSchema>;

export const CommentSchema = z.object({
  body: textField("The comment", COMMENT_MIN, COMMENT_MAX),
  submissionKey: SubmissionKey,
});
export type CommentInput = z.output<typeof CommentSchema>;

export const EDIT_COMMENT_MAX = 300;

/** Why an edit was made; optional, one line. */
export const editComment = z
  .string()
  .optional()
  .transform((s) => (s ?? "").replace(/\s+/g, " ").trim())
  .pipe(z.string().max(EDIT_COMMENT_MAX, `The edit summary can be at most ${EDIT_COMMENT_MAX} characters.`));

/** Editing a question: the same rules as asking, plus an edit summary. */
export const EditQuestionSchema = z.object({
  title,
  body: textField("The question", BODY_MIN, MARKDOWN_MAX_LENGTH),
  tags: TagsField,
  comment: editComment,
});

/** Editing an answer: the same rules as answering, plus an edit summary. */
export const EditAnswerSchema = z.object({
  body: textField("The answer", BODY_MIN, MARKDOWN_MAX_LENGTH),
  comment: editComment,
});

/** What an edit carries; a question's title and tags stay as they are when left out. */
export type EditInput = { title?: string; body: string; tags?: string[]; comment: string };

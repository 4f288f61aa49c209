import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";
import { IdSchema } from "#app/lib/ids.ts";

/** The forms of share kits (one schema per form; see docs/sharing.md). */

export const KIT_TITLE_MAX = 120;
export const KIT_DESCRIPTION_MAX = 2000;
export const ITEM_TITLE_MAX = 200;
export const SUGGESTED_TEXT_MAX = 500;
/** A kit is a handful of things to share this week, not an archive: its page shows them all. */
export const KIT_ITEMS_MAX = 50;

const text = (label: string, max: number, required: boolean) =>
  z
    .string()
    .optional()
    .default("")
    .transform(normalizeText)
    .refine((v) => !required || v.length > 0, { error: `Give the ${label}.` })
    .refine((v) => v.length <= max, { error: `The ${label} is at most ${max.toLocaleString("en")} characters.` });

/** Titles are one line: line breaks typed into one become spaces. */
const oneLine = (label: string, max: number) => text(label, max, true).transform((v) => v.replace(/\s*\n\s*/g, " "));

export const KitSchema = z.object({
  title: oneLine("title", KIT_TITLE_MAX),
  description: text("description", KIT_DESCRIPTION_MAX, false),
});

const suggestedText = text("suggested text", SUGGESTED_TEXT_MAX, false);

export const ThreadItemSchema = z.object({
  thread: z
    .string()
    .optional()
    .default("")
    .transform((v) => v.trim())
    .refine((v) => v.length > 0, { error: "Paste the thread's forum address, or its number." })
    .refine((v) => v.length <= 2000, { error: "That is longer than any forum address." }),
  suggestedText,
});

/** The address is checked by the feature (checkArticleUrl), which says what is wrong with it. */
export const ArticleItemSchema = z.object({
  url: z
    .string()
    .optional()
    .default("")
    .transform((v) => v.trim()),
  title: oneLine("title", ITEM_TITLE_MAX),
  suggestedText,
});

export const SuggestedTextSchema = z.object({ itemId: IdSchema, suggestedText });

export const ItemSchema = z.object({ itemId: IdSchema });

export const CuratorSchema = z.object({
  person: z
    .string({ error: "Name a colleague by their handle, e.g. @ada.lovelace." })
    .trim()
    .min(1, "Name a colleague by their handle, e.g. @ada.lovelace.")
    .max(200, "That is longer than any handle."),
});

export const RemoveCuratorSchema = z.object({ userId: IdSchema });

import { href } from "react-router";
import { z } from "zod";
import { SubmissionKey, textField } from "#app/features/qa/schemas.ts";
import { idField } from "#app/lib/ids.ts";
import { optionalPageId, pageBody, pageTitle } from "./schemas.ts";

/**
 * Form schemas and constants for wiki governance (owners, verification, protection, suggested
 * edits, promoting answers); shared by routes, features and components, so nothing here touches
 * the server.
 */

/** The review screen of one suggested edit. */
export function suggestionUrl(pageId: number, suggestionId: number): string {
  return href("/wiki/:pageId/suggestions/:suggestionId", { pageId: String(pageId), suggestionId: String(suggestionId) });
}

/** How long a verification holds before the page needs review, in days. */
export const REVIEW_INTERVALS = [30, 90, 180, 365] as const;
export const DEFAULT_REVIEW_INTERVAL = 90;
/** Owners see pages in their review list this many days before they fall due. */
export const REVIEW_SOON_DAYS = 14;

/** An answer can be promoted once it is accepted or has at least this score. */
export const PROMOTE_MIN_SCORE = 3;

export const SUGGESTION_COMMENT_MAX = 500;
export const REVIEW_NOTE_MAX = 1000;

export const VerifySchema = z.object({
  intervalDays: z.coerce
    .number({ error: "Choose how long the page stays verified." })
    .refine((n) => (REVIEW_INTERVALS as readonly number[]).includes(n), "Choose one of the review intervals offered."),
});
export type VerifyInput = z.output<typeof VerifySchema>;

/**
 * A colleague to add as an owner: their handle (`@ada.lovelace`, as mentions name people) or the
 * user id the autocomplete fills in.
 */
export const AddOwnerSchema = z.object({
  person: z
    .string({ error: "Name a colleague by their handle, e.g. @ada.lovelace." })
    .trim()
    .min(1, "Name a colleague by their handle, e.g. @ada.lovelace.")
    .max(200, "That is too long to be a handle.")
    .transform((s) => s.replace(/^@/, "").toLowerCase()),
});
export type AddOwnerInput = z.output<typeof AddOwnerSchema>;

export const RemoveOwnerSchema = z.object({ userId: idField("That owner is not on this page any more: reload and try again.") });

const baseRevision = z.coerce.number({ error: "The form lost track of the version it started from; reload the page." }).int().min(1).max(1_000_000);

/** Why a suggestion was made: required, so the owners know what they review. */
const suggestionComment = textField("The comment", 2, SUGGESTION_COMMENT_MAX).transform((s) => s.replace(/\s+/g, " "));

export const SuggestSchema = z.object({
  title: pageTitle,
  body: pageBody,
  comment: suggestionComment,
  baseRevision,
  submissionKey: SubmissionKey,
});
export type SuggestInput = z.output<typeof SuggestSchema>;

export const EditSuggestionSchema = SuggestSchema.omit({ baseRevision: true, submissionKey: true });
export type EditSuggestionInput = z.output<typeof EditSuggestionSchema>;

const note = (label: string) => textField(label, 2, REVIEW_NOTE_MAX);

/**
 * Approving: the page version the reviewer saw travels with the form. When the page changed since
 * the suggestion was written, the reviewer's resolved title and text come with it.
 */
export const ApproveSchema = z.object({
  currentRevision: baseRevision,
  resolvedTitle: z.string().optional(),
  resolvedBody: z.string().optional(),
  note: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(z.string().max(REVIEW_NOTE_MAX, `The note can be at most ${REVIEW_NOTE_MAX.toLocaleString("en")} characters.`)),
});
export type ApproveInput = z.output<typeof ApproveSchema>;

/** The resolved text of a conflicting approval, checked like a page's. */
export const ResolvedTextSchema = z.object({ resolvedTitle: pageTitle, resolvedBody: pageBody });

export const RequestChangesSchema = z.object({ note: note("Say what should change: the note") });
export const DeclineSchema = z.object({ note: note("The reason") });

export const PromoteSchema = z.discriminatedUnion(
  "mode",
  [
    z.object({ mode: z.literal("page"), title: pageTitle, parentId: optionalPageId, submissionKey: SubmissionKey }),
    z.object({ mode: z.literal("section"), pageId: idField("Choose the page the answer joins."), submissionKey: SubmissionKey }),
  ],
  { error: "Choose whether the answer becomes a new page or a section of a page." },
);
export type PromoteInput = z.output<typeof PromoteSchema>;

import { z } from "zod";
import { optionalText } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";

/** The close form: why, which question it duplicates (a URL or a number), and an optional note. */

export const CLOSE_REASONS = [
  { value: "duplicate", label: "Duplicate", description: "This question has been asked before and already has an answer." },
  { value: "off_topic", label: "Off topic", description: "It does not belong in this space." },
  { value: "unclear", label: "Needs details or clarity", description: "It cannot be answered as written." },
  { value: "resolved", label: "Resolved", description: "The problem went away or was solved elsewhere; nothing left to answer." },
] as const;

export type CloseReason = (typeof CLOSE_REASONS)[number]["value"];

export const CLOSE_NOTE_MAX = 500;

export function closeReasonLabel(reason: CloseReason): string {
  return CLOSE_REASONS.find((r) => r.value === reason)?.label ?? reason;
}

/**
 * "123", "#123", "/questions/123", "https://commons.example/questions/123/some-title" → 123;
 * anything else → null.
 */
export function questionIdFromReference(raw: string): number | null {
  const text = raw.trim();
  const match = /^#?(\d{1,10})$/.exec(text) ?? /(?:^|\/)questions\/(\d{1,10})(?:[/?#]|$)/.exec(text);
  if (!match) return null;
  const id = idParam(match[1]);
  return Number.isNaN(id) ? null : id;
}

export const CloseSchema = z
  .object({
    reason: z.enum(
      CLOSE_REASONS.map((r) => r.value),
      { error: "Choose why the question is closed." },
    ),
    duplicateOf: z.string().trim().max(500).optional().default(""),
    note: optionalText().pipe(z.string().max(CLOSE_NOTE_MAX, `The note can be at most ${CLOSE_NOTE_MAX} characters.`)),
  })
  .transform((input, ctx) => {
    if (input.reason !== "duplicate") return { reason: input.reason, duplicateOfId: null, note: input.note };
    if (!input.duplicateOf) {
      ctx.issues.push({ code: "custom", path: ["duplicateOf"], message: "Give the link or number of the question this one duplicates.", input: input.duplicateOf });
      return z.NEVER;
    }
    const duplicateOfId = questionIdFromReference(input.duplicateOf);
    if (duplicateOfId === null) {
      ctx.issues.push({ code: "custom", path: ["duplicateOf"], message: "That is not a question link or number: paste the question's address, or its number.", input: input.duplicateOf });
      return z.NEVER;
    }
    return { reason: input.reason, duplicateOfId, note: input.note };
  });

export type CloseInput = { reason: CloseReason; duplicateOfId?: number | null; note?: string };

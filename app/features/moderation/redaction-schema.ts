import { z } from "zod";
import { idField } from "#app/lib/ids.ts";

/** The redact form on a post's or an idea's history, shared by the routes and the feature. */

export const REDACTION_REASON_MIN = 5;
export const REDACTION_REASON_MAX = 300;

/** What a redacted revision says instead of its text, in history, diffs and anywhere it is shown. */
export function redactionNotice(reason: string): string {
  return `Redacted by a moderator: ${reason}`;
}

export const RedactSchema = z.object({
  revision: idField("Choose a revision."),
  // One line: it becomes the revision's text, and a title has no line breaks.
  reason: z
    .string({ error: "Say why this revision is redacted." })
    .transform((v) => v.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(REDACTION_REASON_MIN, `Say why this revision is redacted (at least ${REDACTION_REASON_MIN} characters), e.g. "a password was posted".`)
        .max(REDACTION_REASON_MAX, `Keep the reason to ${REDACTION_REASON_MAX} characters.`),
    ),
});

export type RedactInput = z.output<typeof RedactSchema>;

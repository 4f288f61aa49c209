import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";
import { idField } from "#app/lib/ids.ts";

/** The forms of custom badges (new, edit, award), shared by the routes and badges.server.ts. */

export const BADGE_TIERS = ["gold", "silver", "bronze"] as const;
export type BadgeTierName = (typeof BADGE_TIERS)[number];

export const BADGE_NAME_MAX = 40;
export const BADGE_DESCRIPTION_MAX = 280;
export const BADGE_REASON_MAX = 280;

/** One line of text: runs of blank space (line breaks included) become one space. */
const line = (field: string, max: number) =>
  z
    .string({ error: `Give the badge a ${field}.` })
    .transform((text) => normalizeText(text).replace(/\s+/g, " "))
    .pipe(z.string().min(1, `Give the badge a ${field}.`).max(max, `Keep the ${field} to ${max} characters or fewer.`));

export const BadgeSchema = z.object({
  name: line("name", BADGE_NAME_MAX),
  description: z
    .string({ error: "Say what the badge is for." })
    .transform(normalizeText)
    .pipe(z.string().min(1, "Say what the badge is for.").max(BADGE_DESCRIPTION_MAX, `Keep the description to ${BADGE_DESCRIPTION_MAX} characters or fewer.`)),
  tier: z.enum(BADGE_TIERS, { error: "Choose gold, silver or bronze." }),
});
export type BadgeInput = z.input<typeof BadgeSchema>;

export const AwardBadgeSchema = z.object({
  /** A colleague's handle ("@ada.lovelace"), or the id the picker filled in. */
  person: z.string({ error: "Choose a colleague." }).trim().min(1, "Choose a colleague.").max(200, "Use a colleague's handle, e.g. @ada.lovelace."),
  reason: z
    .string({ error: "Say why they earned it." })
    .transform(normalizeText)
    .pipe(z.string().min(1, "Say why they earned it.").max(BADGE_REASON_MAX, `Keep the reason to ${BADGE_REASON_MAX} characters or fewer.`)),
});
export type AwardBadgeInput = z.input<typeof AwardBadgeSchema>;

export const RevokeAwardSchema = z.object({ awardId: idField("That award no longer exists: reload the page.") });

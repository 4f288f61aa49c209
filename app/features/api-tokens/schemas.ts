import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";

/** The settings page's forms for personal access tokens (app/routes/settings/tokens.tsx). */

/** The expiries offered, in days, and "never" for a token that lasts until revoked (TOKEN_EXPIRY_DAYS reads the days from here). */
export const TOKEN_EXPIRY_CHOICES = ["7", "30", "90", "365", "never"] as const;
export const TOKEN_NAME_MAX = 80;
/** The most tokens one person may hold at once (live ones). */
export const MAX_TOKENS_PER_USER = 25;

export const CreateTokenSchema = z.object({
  name: z
    .string({ error: "Name the token." })
    .transform((s) => normalizeText(s).replace(/\s+/g, " "))
    .pipe(z.string().min(1, "Name the token: say what will use it.").max(TOKEN_NAME_MAX, `The name can be at most ${TOKEN_NAME_MAX} characters.`)),
  scope: z.enum(["read", "write"], { error: "Choose read or write." }),
  expires: z.enum(TOKEN_EXPIRY_CHOICES, { error: "Choose when the token expires." }).transform((v) => (v === "never" ? null : Number(v))),
});
export type CreateTokenInput = z.output<typeof CreateTokenSchema>;

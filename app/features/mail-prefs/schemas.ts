import { z } from "zod";
import { CATEGORIES, CATEGORY_INFO, type Category, type Cadence } from "./categories.ts";

/**
 * The settings form: one field per category, each one of the choices that category offers. Every
 * category must be there, so a form from an older page (or a forged one) is refused whole rather
 * than saved in part.
 */
export const MailPreferencesSchema = z.object(
  Object.fromEntries(CATEGORIES.map((c) => [c, z.enum(CATEGORY_INFO[c].choices as [Cadence, ...Cadence[]], { error: `Choose one of: ${CATEGORY_INFO[c].choices.join(", ")}.` })])) as Record<
    Category,
    z.ZodEnum<Record<Cadence, Cadence>>
  >,
);

export type MailPreferencesInput = z.output<typeof MailPreferencesSchema>;

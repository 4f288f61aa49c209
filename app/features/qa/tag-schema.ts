import { z } from "zod";
import { optionalText } from "#app/lib/forms.ts";

/** The tag description form; shared by the edit page and `updateTagDescription`. */
export const TAG_DESCRIPTION_MAX = 5_000;

export const TagDescriptionSchema = z.object({
  description: optionalText().pipe(z.string().max(TAG_DESCRIPTION_MAX, `The description can be at most ${TAG_DESCRIPTION_MAX.toLocaleString("en")} characters.`)),
});
export type TagDescriptionInput = z.input<typeof TagDescriptionSchema>;

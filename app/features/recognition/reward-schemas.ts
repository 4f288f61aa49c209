import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";
import { idField } from "#app/lib/ids.ts";

/**
 * The forms of the rewards pages (docs/recognition.md, "Rewards"): the catalogue editor HR keeps,
 * and the notes HR writes back when fulfilling or declining a redemption. Safe for the browser
 * (the forms read the limits).
 */

export const REWARD_NAME_MAX = 80;
export const REWARD_DESCRIPTION_MAX = 500;
export const REWARD_COST_MAX = 1_000_000;
export const REWARD_STOCK_MAX = 100_000;
export const REDEMPTION_NOTE_MAX = 500;

/** A whole number typed in a form ("1500", " 1,500 "), or the number itself from code; anything else is NaN, which the range check refuses. */
function typedNumber(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const digits = value.trim().replaceAll(",", "");
  return /^\d{1,9}$/.test(digits) ? Number(digits) : digits === "" ? undefined : Number.NaN;
}

const cost = z.preprocess(
  typedNumber,
  z
    .number({ message: "Give the cost in points, as a whole number." })
    .int("Give the cost in points, as a whole number.")
    .min(1, "A reward costs at least 1 point.")
    .max(REWARD_COST_MAX, `A reward costs at most ${REWARD_COST_MAX.toLocaleString("en")} points.`),
);

/** Empty: no limit. */
const stock = z.preprocess(
  (value) => (value === null || value === undefined || (typeof value === "string" && value.trim() === "") ? null : typedNumber(value)),
  z
    .number({ message: "Give the stock as a whole number, or leave it empty for no limit." })
    .int("Give the stock as a whole number, or leave it empty for no limit.")
    .min(0, "Stock can't be negative.")
    .max(REWARD_STOCK_MAX, `At most ${REWARD_STOCK_MAX.toLocaleString("en")} in stock; leave it empty for no limit.`)
    .nullable(),
);

/** A checkbox: present ("on") when ticked, absent when not. */
const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const RewardSchema = z.object({
  // A name is one line: runs of blank space (a pasted line break) become one space.
  name: z
    .string({ message: "Give the reward a name." })
    .transform((text) => normalizeText(text).replace(/\s+/g, " "))
    .pipe(z.string().min(1, "Give the reward a name.").max(REWARD_NAME_MAX, `Keep the name under ${REWARD_NAME_MAX} characters.`)),
  description: z
    .string()
    .optional()
    .default("")
    .transform(normalizeText)
    .pipe(z.string().max(REWARD_DESCRIPTION_MAX, `Keep the description under ${REWARD_DESCRIPTION_MAX} characters.`)),
  cost,
  stock,
  active: checkbox,
});
export type RewardInput = z.input<typeof RewardSchema>;
export type RewardValues = z.output<typeof RewardSchema>;

export const EditRewardSchema = RewardSchema.extend({ rewardId: idField("That reward no longer exists: reload the page.") });

export const RedeemSchema = z.object({
  rewardId: idField("That reward no longer exists: reload the page."),
  submissionKey: z.string().max(100).optional(),
});

export const RedemptionSchema = z.object({ redemptionId: idField("That redemption no longer exists: reload the page.") });

const note = (required: boolean) =>
  z
    .string()
    .optional()
    .default("")
    .transform(normalizeText)
    .pipe(
      required
        ? z.string().min(1, "Say why, for the person who asked.").max(REDEMPTION_NOTE_MAX, `Keep the note under ${REDEMPTION_NOTE_MAX} characters.`)
        : z.string().max(REDEMPTION_NOTE_MAX, `Keep the note under ${REDEMPTION_NOTE_MAX} characters.`),
    );

/** Declining says why; the person reads it with their points back. */
export const DeclineRedemptionSchema = RedemptionSchema.extend({ note: note(true) });
/** Fulfilling may say how ("Donated to the Red Cross on your behalf"). */
export const FulfilRedemptionSchema = RedemptionSchema.extend({ note: note(false) });

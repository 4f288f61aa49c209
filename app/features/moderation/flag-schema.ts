import { z } from "zod";
import { optionalText } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";

/** The flag form and the moderation queue's resolve form, shared by routes and features. */

export const FLAG_REASONS = [
  { value: "spam", label: "Spam", description: "It advertises something, or exists only to promote a product, a service or a link." },
  { value: "rude", label: "Rude or abusive", description: "A reasonable colleague would find it offensive, abusive or hateful." },
  { value: "needs_moderator", label: "Needs a moderator", description: "Something else a moderator should look at. Tell them what, below." },
] as const;

export type FlagReason = (typeof FLAG_REASONS)[number]["value"];

export const FLAG_DETAILS_MIN = 10;
export const FLAG_DETAILS_MAX = 500;
export const RESOLUTION_MAX = 500;

export function flagReasonLabel(reason: FlagReason): string {
  return FLAG_REASONS.find((r) => r.value === reason)?.label ?? reason;
}

/** Details are optional for spam and rude, and say what is wrong (10–500 characters) for "needs a moderator". */
export function flagDetailsError(reason: FlagReason, details: string): string | null {
  if (details.length > FLAG_DETAILS_MAX) return `Keep the details to ${FLAG_DETAILS_MAX} characters.`;
  if (reason === "needs_moderator" && details.length < FLAG_DETAILS_MIN) return `Tell the moderators what needs their attention (at least ${FLAG_DETAILS_MIN} characters).`;
  return null;
}

export const FlagSchema = z
  .object({
    reason: z.enum(
      FLAG_REASONS.map((r) => r.value),
      { error: "Choose what is wrong with it." },
    ),
    details: optionalText(),
  })
  .check((ctx) => {
    const message = flagDetailsError(ctx.value.reason, ctx.value.details);
    if (message) ctx.issues.push({ code: "custom", path: ["details"], message, input: ctx.value.details });
  });

export type FlagInput = { reason: FlagReason; details: string };

export const RESOLVE_ACTIONS = ["dismiss", "delete", "close"] as const;
export type ResolveAction = (typeof RESOLVE_ACTIONS)[number];

export const ResolveSchema = z
  .object({
    intent: z.enum(RESOLVE_ACTIONS, { error: "Choose what to do." }),
    target: z.string().regex(/^(item|comment)-\d{1,10}$/, "Unknown item."),
    resolution: optionalText().pipe(z.string().max(RESOLUTION_MAX, `Keep the note to ${RESOLUTION_MAX} characters.`)),
    // Closing from the queue: a duplicate needs its original, so that one goes through the close page.
    closeReason: z.enum(["off_topic", "unclear", "resolved"]).optional().catch(undefined),
  })
  .transform(({ intent, target, resolution, closeReason }) => {
    const [kind, id] = target.split("-") as ["item" | "comment", string];
    return { action: intent, target: kind === "item" ? { itemId: idParam(id) } : { commentId: idParam(id) }, resolution, closeReason };
  });

/** An item of any kind that takes flags, or a comment on any item. */
export type FlagTarget = { itemId: number } | { commentId: number };

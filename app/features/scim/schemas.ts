import { z } from "zod";
import { IdSchema } from "#app/lib/ids.ts";

/** The forms of Admin → Integrations → SCIM. Names are plain text, rendered escaped. */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;

const line = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, { error: `Enter ${label}` })
    .max(max, { error: `Keep it to ${max} characters` })
    .refine((s) => !CONTROL.test(s), { error: "Use a single line of plain text" });

export const ScimTokenSchema = z.object({
  name: line("a name that says which identity provider uses it", 80),
});

export const SITE_ROLES = ["moderator", "hr", "admin"] as const;
export const SPACE_ROLES = ["member", "moderator"] as const;

/**
 * A group rule. `target` is `space` (then `spaceId` and `spaceRole`) or `site` (then `siteRole`).
 * Making admins through a group needs `confirmAdmin`: whoever manages that group in the identity
 * provider then decides who administers Commons.
 */
export const ScimRuleSchema = z
  .object({
    groupName: line("the group's display name, as the identity provider sends it", 200),
    target: z.enum(["space", "site"], { error: "Choose what the group gives" }),
    spaceId: z.preprocess((v) => (v === "" ? undefined : v), IdSchema.optional()),
    spaceRole: z.enum(SPACE_ROLES, { error: "Choose the role in the space" }).optional(),
    siteRole: z.preprocess((v) => (v === "" ? undefined : v), z.enum(SITE_ROLES, { error: "Choose a site role" }).optional()),
    confirmAdmin: z.literal("on").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.target === "space") {
      if (v.spaceId === undefined) ctx.addIssue({ code: "custom", path: ["spaceId"], message: "Choose a space" });
      if (v.spaceRole === undefined) ctx.addIssue({ code: "custom", path: ["spaceRole"], message: "Choose the role in the space" });
    } else {
      if (v.siteRole === undefined) ctx.addIssue({ code: "custom", path: ["siteRole"], message: "Choose a site role" });
      if (v.siteRole === "admin" && v.confirmAdmin !== "on") {
        ctx.addIssue({ code: "custom", path: ["confirmAdmin"], message: "Tick the box to confirm that members of this group become admins" });
      }
    }
  })
  .transform((v) =>
    v.target === "space"
      ? { groupName: v.groupName, target: { kind: "space" as const, spaceId: v.spaceId!, spaceRole: v.spaceRole! } }
      : { groupName: v.groupName, target: { kind: "site" as const, siteRole: v.siteRole! } },
  );

export type ScimRuleInput = z.output<typeof ScimRuleSchema>;

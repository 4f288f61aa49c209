import { z } from "zod";
import { IdSchema } from "#app/lib/ids.ts";

/** Shared by the admin forms and the feature functions: one schema per form. */

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "People & Culture" → "people-culture": what the slug field suggests when left empty. */
export function slugify(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/g, "");
}

const trimmed = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} can be at most ${max} characters` });

export const SpaceSchema = z
  .object({
    name: trimmed(80, "Name").min(2, { error: "Give the space a name (at least 2 characters)" }),
    slug: z.string().trim().toLowerCase().max(50, { error: "The address can be at most 50 characters" }).optional().default(""),
    description: trimmed(500, "Description").optional().default(""),
    visibility: z.enum(["open", "restricted"], { error: "Choose who can see the space" }),
  })
  .transform((v) => ({ ...v, slug: v.slug || slugify(v.name) }))
  .superRefine((v, ctx) => {
    if (v.slug.length < 2 || !SLUG_PATTERN.test(v.slug)) {
      ctx.addIssue({
        code: "custom",
        path: ["slug"],
        message: "Use 2–50 lowercase letters, digits and single hyphens (like platform-security)",
      });
    }
  });

export type SpaceInput = z.output<typeof SpaceSchema>;

export const SPACE_ROLES = ["member", "moderator"] as const;

export const AddMemberSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, { error: "Enter the person's work email" })
    .max(254)
    .pipe(z.email({ error: "Enter a valid email address" })),
  role: z.enum(SPACE_ROLES).default("member"),
});

export const MemberRoleSchema = z.object({
  userId: IdSchema,
  role: z.enum(SPACE_ROLES, { error: "Choose member or moderator" }),
});

export const MemberSchema = z.object({ userId: IdSchema });

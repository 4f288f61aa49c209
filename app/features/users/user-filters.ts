import { z } from "zod";

/** The admin user list's query string: search text, filters and page, all optional and forgiving. */

export const ROLES = ["member", "moderator", "hr", "admin"] as const;
/** "imported": profiles an importer brought in that nobody has claimed yet. */
export const STATUSES = ["all", "active", "deactivated", "imported"] as const;

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  member: "Member",
  moderator: "Moderator",
  hr: "HR",
  admin: "Admin",
};

export const UserFiltersSchema = z.object({
  q: z.string().trim().max(100).catch(""),
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(STATUSES).catch("all"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export type UserFilters = z.output<typeof UserFiltersSchema>;

export function parseUserFilters(params: URLSearchParams): UserFilters {
  return UserFiltersSchema.parse({
    q: params.get("q") ?? "",
    role: params.get("role") || undefined,
    status: params.get("status") ?? "all",
    page: params.get("page") ?? 1,
  });
}

export const ChangeRoleSchema = z.object({ role: z.enum(ROLES, { error: "Choose a role" }) });

import type { SessionUser } from "#app/features/auth/session.server.ts";
import { initials } from "#app/lib/initials.ts";

export type UserSummary = { id: number; name: string; role: SessionUser["role"]; kind: SessionUser["kind"]; initials: string };

export function userSummary(user: SessionUser): UserSummary {
  return { id: user.id, name: user.name, role: user.role, kind: user.kind, initials: initials(user.name) };
}

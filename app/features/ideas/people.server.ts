import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * The people a form names by handle (evaluators, co-owners), as user ids. Each must be an active
 * employee who can see the space, or the form's `field` says who is wrong and why; `exclude`
 * (the person filling the form) is dropped silently.
 */
export async function peopleInSpace(tx: Tx, handles: string[], spaceId: number, field: string, exclude?: number): Promise<number[]> {
  if (handles.length === 0) return [];
  const found = await usersByHandle(tx, handles);
  const unknown = handles.filter((h) => !found.has(h));
  if (unknown.length > 0) {
    throw InputError.field(field, `No one active goes by ${unknown.map((h) => `@${h}`).join(", ")}: use a colleague's handle, the part of their email before the @.`);
  }
  const ids = [...new Set(found.values())].filter((id) => id !== exclude);
  if (ids.length === 0) return [];
  const rows = await tx.execute<{ id: number; name: string; sees: boolean }>(sql`
    select u.id, u.name, ${userSeesSpaceSql} as sees
    from users u join spaces s on s.id = ${spaceId}
    where u.id = any(${intArray(ids)})`);
  const blind = rows.filter((r) => !r.sees);
  if (blind.length > 0) throw InputError.field(field, `${blind.map((r) => r.name).join(", ")} cannot see this space. Add them to the space first.`);
  return ids;
}

import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { notifications } from "#db/schema/index.ts";
import { userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import type { NotificationKind } from "./registry.server.ts";
import { intArray } from "#db/sql-params.ts";

export type NotifyInput = {
  kind: NotificationKind;
  /** Who did it: never notified about their own action. */
  actorId: number;
  spaceId: number;
  /** The item whose page the notification opens (a question, an idea). */
  itemId: number;
  /** The item on that page it is about, when another one (an answer). */
  subjectItemId?: number | null;
  commentId?: number | null;
};

/**
 * Adds an inbox entry for each recipient who may see the space, inside the caller's transaction.
 * Who may see the space is decided by the visibility module's `userSeesSpaceSql`, in one
 * INSERT ... SELECT, so a long recipient list costs one statement.
 * Returns how many notifications were written.
 */
export async function notify(tx: Tx, recipientIds: Iterable<number>, input: NotifyInput): Promise<number> {
  const ids = [...new Set(recipientIds)].filter((id) => id !== input.actorId);
  if (ids.length === 0) return 0;
  const subject = input.subjectItemId && input.subjectItemId !== input.itemId ? input.subjectItemId : null;
  const rows = await tx.execute(sql`
    insert into ${notifications} (user_id, kind, actor_id, space_id, item_id, subject_item_id, comment_id)
    select u.id, ${input.kind}, ${input.actorId}, s.id, ${input.itemId}, ${subject}, ${input.commentId ?? null}
    from users u
    join spaces s on s.id = ${input.spaceId}
    where u.id = any(${intArray(ids)})
      and ${userSeesSpaceSql}
    returning id`);
  return rows.length;
}

import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { notifications } from "#db/schema/index.ts";
import { userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";

export type NotificationKind = (typeof notifications.$inferInsert)["kind"];

export type NotifyInput = {
  kind: NotificationKind;
  /** Who did it: never notified about their own action. */
  actorId: number;
  spaceId: number;
} & (
  | { questionId: number; postId?: number | null; commentId?: number | null; ideaId?: undefined; ideaCommentId?: undefined }
  | { ideaId: number; ideaCommentId?: number | null; questionId?: undefined; postId?: undefined; commentId?: undefined }
);

/**
 * Adds an inbox entry for each recipient who may see the space, inside the caller's transaction.
 * Who may see the space is decided by the visibility module's `userSeesSpaceSql`, in one
 * INSERT ... SELECT, so a long recipient list costs one statement.
 * Returns how many notifications were written.
 */
export async function notify(tx: Tx, recipientIds: Iterable<number>, input: NotifyInput): Promise<number> {
  const ids = [...new Set(recipientIds)].filter((id) => id !== input.actorId);
  if (ids.length === 0) return 0;
  const rows = await tx.execute(sql`
    insert into ${notifications} (user_id, kind, actor_id, space_id, question_id, post_id, comment_id, idea_id, idea_comment_id)
    select u.id, ${input.kind}, ${input.actorId}, s.id, ${input.questionId ?? null}, ${input.postId ?? null}, ${input.commentId ?? null},
           ${input.ideaId ?? null}, ${input.ideaCommentId ?? null}
    from users u
    join spaces s on s.id = ${input.spaceId}
    where u.id = any(${sql.raw(`array[${ids.map((id) => Number(id)).join(",")}]::int[]`)})
      and ${userSeesSpaceSql}
    returning id`);
  return rows.length;
}

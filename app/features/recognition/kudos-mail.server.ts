import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import type { MailMessage } from "#app/features/mail/message.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { mailSettingsLink } from "#app/features/mail-prefs/unsubscribe.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * The mail kudos receivers get, besides their inbox. The give (or the add-on) writes only the
 * receivers' notifications; the notification mailer (mail-prefs/immediate.server.ts) makes this
 * mail from each notification after commit, like every other "immediately" mail. So a give that
 * rolls back sends nothing, a give never waits for the mail's lookups and rendering while it holds
 * its receivers' rows, and a crash between commit and mail loses nothing: the notification stays
 * unhandled until a mailer round writes its mail.
 *
 * A public kudos's mail quotes its message. A private one's says only who sent it and links to
 * it: mail is forwarded, shared and read on other devices, and a private message must stay where
 * its rule (the giver, the receivers and their managers) is enforced.
 */

const REASON = "You get this because a colleague recognised your work on Commons.";

type Row = {
  email: string;
  name: string;
  private: boolean;
  message: string;
  value_name: string;
  value_emoji: string;
  giver: string;
  actor: string;
};

function valueLabel(r: Pick<Row, "value_name" | "value_emoji">): string {
  return `${r.value_emoji ? `${r.value_emoji} ` : ""}${r.value_name}`;
}

function pointsPhrase(points: number): string {
  return points > 0 ? ` with ${points.toLocaleString("en")} ${points === 1 ? "point" : "points"}` : "";
}

export function kudosMail(r: Row, input: { kudosId: number; pointsEach: number; added: boolean; note: string }): MailMessage {
  const url = appUrl(`/kudos/${input.kudosId}`);
  const paragraphs: string[] = [];
  let subject: string;
  if (input.added) {
    subject = `${r.actor} added points to your kudos`;
    paragraphs.push(`${r.actor} added ${input.pointsEach.toLocaleString("en")} ${input.pointsEach === 1 ? "point" : "points"} to the kudos ${r.giver} gave you for ${valueLabel(r)}.`);
    if (!r.private && input.note) paragraphs.push(`“${plainExcerpt(input.note, 500)}”`);
  } else if (r.private) {
    subject = `${r.actor} sent you private kudos`;
    paragraphs.push(
      `${r.actor} sent you private kudos for ${valueLabel(r)}${pointsPhrase(input.pointsEach)}.`,
      "Only the people it thanks, their managers and the giver can see it, so its message is on Commons rather than in this mail.",
    );
  } else {
    subject = `${r.actor} sent you kudos`;
    paragraphs.push(`${r.actor} thanked you for ${valueLabel(r)}${pointsPhrase(input.pointsEach)}:`, `“${plainExcerpt(r.message, 600)}”`);
  }
  return renderMail({
    to: r.email,
    template: input.added ? "kudos-added" : "kudos",
    subject,
    reason: REASON,
    greeting: `Hello ${r.name},`,
    paragraphs,
    action: { label: "Open the kudos", url },
    // Issue 21: sent only while the receiver wants kudos "immediately" (enqueueMail checks).
    category: "kudos",
    manage: mailSettingsLink(),
  });
}

/**
 * The mails of kudos notifications `notificationIds` (kind "kudos"), one per notification that
 * still concerns a live kudos its person receives: a give when the notification's actor gave it,
 * else the actor's added points (their gift on it says how many, and their note). Rendered here,
 * in the notification mailer's round, never in the give's transaction. One query.
 */
export async function kudosNotificationMails(tx: Tx, notificationIds: readonly number[]): Promise<MailMessage[]> {
  if (notificationIds.length === 0) return [];
  const rows = await tx.execute<Row & { user_id: number; kudos_id: number; added: boolean; points_each: number; note: string }>(sql`
    select u.id as user_id, u.email, u.name, k.id as kudos_id, k.private, k.message, v.name as value_name, v.emoji as value_emoji,
      g.name as giver, a.name as actor, n.actor_id <> k.giver_id as added, gift.points_each, gift.message as note
    from notifications n
    join kudos k on k.item_id = n.item_id and k.deleted_at is null
    join kudos_receivers r on r.kudos_id = k.id and r.user_id = n.user_id
    join kudos_gifts gift on gift.kudos_id = k.id and gift.giver_id = n.actor_id and gift.reversed_at is null
    join company_values v on v.id = k.value_id
    join users g on g.id = k.giver_id
    join users a on a.id = n.actor_id
    join users u on u.id = n.user_id
    where n.id = any(${intArray(notificationIds)}) and n.kind = 'kudos'
    order by n.id`);
  return rows.map((r) => ({
    ...kudosMail(r, { kudosId: Number(r.kudos_id), pointsEach: Number(r.points_each), added: r.added, note: r.added ? r.note : "" }),
    userId: Number(r.user_id),
  }));
}

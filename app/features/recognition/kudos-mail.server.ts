import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { enqueueMail, type MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { mailSettingsLink } from "#app/features/mail-prefs/unsubscribe.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";

/**
 * The mail kudos receivers get, besides their inbox: written to the mail outbox in the give's own
 * transaction (giveKudos and addToKudos call it), so a give that rolls back sends nothing.
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
 * Mails each receiver of kudos `kudosId` about what `actorId` just did (gave it, or added points
 * to it), in the caller's transaction. Receivers who can no longer sign in get nothing. One query.
 */
export async function mailKudosReceivers(
  tx: Tx,
  input: { kudosId: number; actorId: number; receiverIds: readonly number[]; pointsEach: number; added?: boolean; note?: string },
): Promise<void> {
  if (input.receiverIds.length === 0) return;
  const rows = await tx.execute<Row & { user_id: number }>(sql`
    select u.id as user_id, u.email, u.name, k.private, k.message, v.name as value_name, v.emoji as value_emoji, g.name as giver, a.name as actor
    from kudos k
    join company_values v on v.id = k.value_id
    join users g on g.id = k.giver_id
    join users a on a.id = ${input.actorId}
    join kudos_receivers r on r.kudos_id = k.id
    join users u on u.id = r.user_id
    where k.id = ${input.kudosId} and u.id <> ${input.actorId}
      and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null
    order by u.id`);
  const messages = rows.map((r) => ({
    ...kudosMail(r, { kudosId: input.kudosId, pointsEach: input.pointsEach, added: input.added ?? false, note: input.note ?? "" }),
    userId: Number(r.user_id),
  }));
  await enqueueMail(tx, ...messages);
}

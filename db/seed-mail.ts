import { sql } from "drizzle-orm";
import { DIGEST_CADENCES } from "../app/features/mail-prefs/categories.ts";
import { duePeriod } from "../app/features/mail-prefs/digest.server.ts";
import type { Tx } from "./client.server.ts";
import { mailPreferences, users } from "./schema/index.ts";

/**
 * Issue 21: a fresh demo starts quiet. The seed writes months of notifications at once; none of
 * them is news, so each counts as looked at by the notification mailer when it was made, and the
 * digests due today count as written (with nothing in them). The first digests arrive the next
 * morning, about what happened since. Two people have made choices, so the settings page shows
 * some that differ from the defaults.
 */
export async function seedMail(tx: Tx, byName: ReadonlyMap<string, { id: number }>, now = new Date()): Promise<void> {
  await tx.execute(sql`update notifications set mail_handled_at = created_at where mail_handled_at is null`);
  for (const cadence of DIGEST_CADENCES) {
    const period = duePeriod(cadence, now);
    await tx.execute(sql`
      insert into digest_runs (user_id, cadence, period_start, entries)
      select id, ${cadence}, ${period.key}::date, 0 from ${users}
      on conflict do nothing`);
  }
  const choices = [
    ["Sofia Martins", "followed", "daily"],
    ["Sofia Martins", "kudos", "weekly"],
    ["Kenji Sato", "answers", "daily"],
    ["Kenji Sato", "ideas", "never"],
  ] as const;
  const rows = choices.flatMap(([name, category, cadence]) => {
    const person = byName.get(name);
    return person ? [{ userId: person.id, category, cadence }] : [];
  });
  if (rows.length) await tx.insert(mailPreferences).values(rows).onConflictDoNothing();
}

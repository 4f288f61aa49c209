import { createDb } from "./client.server.ts";
import { grantBadges } from "#app/features/recognition/badges.server.ts";
import { startedDirectly } from "./script.ts";

/**
 * Runs the badge grant job once, as the scheduler does every ten minutes: `npm run badges:grant`.
 * Safe to repeat (nothing is granted twice); prints what each rule granted.
 */

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("badges:grant needs DATABASE_URL");
    process.exit(1);
  }
  const db = createDb(url, { max: 1 });
  try {
    const { total, byRule } = await grantBadges(db, new Date());
    for (const [rule, granted] of Object.entries(byRule)) if (granted > 0) process.stdout.write(`  ${rule}: ${granted}\n`);
    process.stdout.write(`${total === 0 ? "no new badges" : `${total} ${total === 1 ? "badge" : "badges"} granted`}\n`);
  } finally {
    await db.close();
  }
}

import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import type { Privilege, ReputationRules } from "./rules.server.ts";

/**
 * How many active employees hold each privilege site-wide: those with the reputation, and site
 * moderators and admins (who hold them all). Space moderators, who hold them in their own space
 * only, are not counted. One query.
 */
export async function privilegeHolders(db: Db, rules: ReputationRules): Promise<Record<Privilege, number>> {
  const holders = (threshold: number) => sql<number>`(count(*) filter (where ${or(sql`${users.reputation} >= ${threshold}`, sql`${users.role} in ('admin', 'moderator')`)}))::int`;
  const [row] = await db
    .select({
      voteDown: holders(rules.thresholds.voteDown),
      createTag: holders(rules.thresholds.createTag),
      close: holders(rules.thresholds.close),
      editOthers: holders(rules.thresholds.editOthers),
      promoteAnswer: holders(rules.thresholds.promoteAnswer),
    })
    .from(users)
    .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt)));
  return row!;
}

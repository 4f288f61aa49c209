import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, spaces, users } from "#db/schema/index.ts";
import { askExpert } from "./ask.server.ts";
import { routeQuestions } from "./routing.server.ts";

/**
 * Routing in the demo company (db/seed.ts, `// @seed-routing`): Engineering answers within 24
 * working hours. Its newest unanswered question was routed to its experts twenty minutes after it
 * was asked, and Oliver Brown asked Priya Nair directly about his warehouse question a day after
 * asking it, so the dashboard and the inboxes have something to show. Everything goes through the
 * routing functions, on the seed's clock (dated in the past, as the rest of the seed is).
 */
export async function seedRouting(tx: Tx): Promise<void> {
  // The feature functions open their own transactions; inside the seed's they become savepoints.
  const db = tx as unknown as Db;
  const [engineering] = await tx.update(spaces).set({ answerDeadlineHours: 24 }).where(eq(spaces.slug, "engineering")).returning({ id: spaces.id });
  if (!engineering) throw new Error("seed: no engineering space to route in");
  const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
  const latest = new Date(clock!.now).getTime() - 10 * 60_000;
  const unanswered = await tx
    .select({ id: posts.id, title: posts.title, authorId: posts.authorId, createdAt: posts.createdAt })
    .from(posts)
    .where(and(eq(posts.spaceId, engineering.id), eq(posts.type, "question"), eq(posts.answerCount, 0)))
    .orderBy(sql`${posts.createdAt} desc`);
  const newest = unanswered[0];
  if (newest) await routeQuestions(db, null, new Date(Math.min(newest.createdAt.getTime() + 20 * 60_000, latest)));
  const warehouse = unanswered.find((q) => q.title?.startsWith("Best way to give Finance read access"));
  const [oliver] = await tx
    .select()
    .from(users)
    .where(eq(users.id, warehouse?.authorId ?? 0));
  const [priya] = await tx.select({ id: users.id }).from(users).where(eq(users.name, "Priya Nair"));
  if (warehouse && oliver && priya) await askExpert(db, oliver, warehouse.id, priya.id, new Date(Math.min(warehouse.createdAt.getTime() + 86_400_000, latest)));
}

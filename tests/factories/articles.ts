import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { articles } from "#db/schema/index.ts";

export { createArticle, type ArticleTrait } from "#db/factories/articles.ts";

/** An article as stored now. */
export async function storedArticle(db: Db, articleId: number) {
  const [row] = await db.select().from(articles).where(eq(articles.id, articleId));
  if (!row) throw new Error(`No article ${articleId}`);
  return row;
}

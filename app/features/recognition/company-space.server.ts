import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { spaces } from "#db/schema/index.ts";

/**
 * The company space: where company-wide recognition lives (kudos that thank a person for nothing
 * in particular, badges, rewards, award rounds). It is an ordinary open space, so the social
 * layer's visibility, notifications and flags work for it unchanged, with two differences: it is
 * made on first use (a database that never gives kudos never shows it), and it can never be
 * restricted (`updateSpace` refuses), because every employee must see it.
 */
export const COMPANY_SPACE = {
  slug: "company",
  name: "Company",
  description: "Recognition for the whole company: kudos, badges, rewards and awards.",
} as const;

/** The company space's id, made on first use; concurrent first uses agree on one row. */
export async function companySpaceId(db: Db | Tx): Promise<number> {
  const [found] = await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.companyWide, true)).limit(1);
  if (found) return found.id;
  // The slug may be taken by a space someone made; the company space then takes the first free suffix.
  for (let attempt = 0; attempt < 20; attempt++) {
    const slug = attempt === 0 ? COMPANY_SPACE.slug : `${COMPANY_SPACE.slug}-${attempt + 1}`;
    const rows = await db.execute<{ id: number }>(sql`
      insert into ${spaces} (slug, name, description, visibility, company_wide)
      values (${slug}, ${COMPANY_SPACE.name}, ${COMPANY_SPACE.description}, 'open', true)
      on conflict do nothing
      returning id`);
    if (rows[0]) return Number(rows[0].id);
    const [made] = await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.companyWide, true)).limit(1);
    if (made) return made.id;
  }
  throw new Error("No free address for the company space");
}

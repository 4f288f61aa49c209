import { eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";

/**
 * The account every anonymous question is written as, one per installation. It is an employee
 * row (a post needs an author, and every page knows how to show one) that can never sign in: no
 * password, an address under the reserved `.invalid` domain that no mail reaches and no identity
 * provider can prove (SSO never links an account by its address), and deactivated from the start,
 * which also keeps it out of people search, mentions, people lists, kudos and notifications.
 * Made on first use, inside the transaction of the first anonymous question.
 */

export const ANONYMOUS_EMAIL = "anonymous@commons.invalid";
export const ANONYMOUS_NAME = "Anonymous";
const ANONYMOUS_BIO = "Questions asked anonymously, in spaces that allow it, appear under this name. Who asked is kept apart and shown to no one: not to moderators, not to admins.";

/** The stand-in's id, or null before the first anonymous question. */
export async function findStandIn(db: Db | Tx): Promise<number | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, ANONYMOUS_EMAIL)).limit(1);
  return row?.id ?? null;
}

/** The stand-in's id, made now if it does not exist yet (two first questions at once make one: the address is unique). */
export async function standInId(tx: Tx): Promise<number> {
  const found = await findStandIn(tx);
  if (found !== null) return found;
  const now = new Date();
  await tx
    .insert(users)
    .values({
      email: ANONYMOUS_EMAIL,
      name: ANONYMOUS_NAME,
      bio: ANONYMOUS_BIO,
      passwordHash: null,
      kind: "employee",
      role: "member",
      // Proven, so the SSO path never treats it as a pending sign-up it may replace.
      emailVerifiedAt: now,
      deactivatedAt: now,
    })
    .onConflictDoNothing({ target: users.email });
  const made = await findStandIn(tx);
  if (made === null) throw new Error("The anonymous stand-in could not be made.");
  return made;
}

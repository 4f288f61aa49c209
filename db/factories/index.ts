import { randomUUID } from "node:crypto";
import { hashPassword } from "#app/features/auth/password.server.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { spaceMembers, spaces, tags as tagsTable, users } from "#db/schema/index.ts";

/**
 * Factories with named traits for the rows everything starts from: people, spaces and tags (and,
 * in ./ideas.ts, campaigns and ideas). The demo seed (db/seed.ts) builds the demo company with
 * them, so they ship in the production server; the tests use them through tests/factories, which
 * adds its own defaults (a known password) and the Q&A factories. Nothing here imports tests/.
 */

// Hashing with argon2id takes tens of milliseconds: hash each distinct password once per process.
const hashes = new Map<string, Promise<string>>();
export function cachedHash(password: string): Promise<string> {
  let hashed = hashes.get(password);
  if (!hashed) {
    hashed = hashPassword(password);
    hashes.set(password, hashed);
  }
  return hashed;
}

export type UserTrait = "admin" | "moderator" | "hr" | "customer" | "deactivated" | "ssoOnly";
/** A user's columns, and `password` to hash; without one (or with "ssoOnly") the account has no password. */
export type UserInput = Partial<typeof users.$inferInsert> & { password?: string };

export async function createUser(db: Db | Tx, attrs: UserInput = {}, ...traits: UserTrait[]) {
  const unique = randomUUID().slice(0, 8);
  const { password, ...rest } = attrs;
  const values: typeof users.$inferInsert = {
    email: `user-${unique}@northwind.example`,
    name: `Test User ${unique}`,
    title: "Engineer",
    department: "Engineering",
    location: "Berlin",
    passwordHash: traits.includes("ssoOnly") || password === undefined ? null : await cachedHash(password),
    ...rest,
  };
  if (traits.includes("admin")) values.role = "admin";
  if (traits.includes("moderator")) values.role = "moderator";
  if (traits.includes("hr")) values.role = "hr";
  if (traits.includes("customer")) values.kind = "customer";
  if (traits.includes("deactivated")) values.deactivatedAt = new Date();
  values.email = values.email.toLowerCase();
  const [user] = await db.insert(users).values(values).returning();
  return user!;
}

export type SpaceTrait = "restricted";

export async function createSpace(
  db: Db | Tx,
  attrs: Partial<typeof spaces.$inferInsert> & { members?: Array<{ id: number }>; moderators?: Array<{ id: number }> } = {},
  ...traits: SpaceTrait[]
) {
  const unique = randomUUID().slice(0, 8);
  const { members = [], moderators = [], ...rest } = attrs;
  const [space] = await db
    .insert(spaces)
    .values({
      slug: `space-${unique}`,
      name: `Space ${unique}`,
      description: "A space for testing.",
      visibility: traits.includes("restricted") ? "restricted" : "open",
      ...rest,
    })
    .returning();
  const rows = [
    ...members.map((m) => ({ spaceId: space!.id, userId: m.id, role: "member" as const })),
    ...moderators.map((m) => ({ spaceId: space!.id, userId: m.id, role: "moderator" as const })),
  ];
  if (rows.length > 0) await db.insert(spaceMembers).values(rows);
  return space!;
}

/** Tags made directly (creating tags through the app needs reputation). */
export async function createTags(db: Db | Tx, names: string[]) {
  if (names.length > 0)
    await db
      .insert(tagsTable)
      .values(names.map((name) => ({ name })))
      .onConflictDoNothing();
}

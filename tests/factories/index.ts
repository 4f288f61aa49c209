import { randomUUID } from "node:crypto";
import { hashPassword } from "#app/features/auth/password.server.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { spaceMembers, spaces, tags as tagsTable, users } from "#db/schema/index.ts";
import { addComment, askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";

/**
 * Factories with named traits. Tests call them for the rows they need; the demo seed
 * (db/seed.ts) builds the demo company with them too.
 */

export const DEFAULT_PASSWORD = "correct horse battery staple";

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
export type UserInput = Partial<typeof users.$inferInsert> & { password?: string };

export async function createUser(db: Db | Tx, attrs: UserInput = {}, ...traits: UserTrait[]) {
  const unique = randomUUID().slice(0, 8);
  const { password = DEFAULT_PASSWORD, ...rest } = attrs;
  const values: typeof users.$inferInsert = {
    email: `user-${unique}@northwind.example`,
    name: `Test User ${unique}`,
    title: "Engineer",
    department: "Engineering",
    location: "Berlin",
    passwordHash: traits.includes("ssoOnly") ? null : await cachedHash(password),
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

type Author = typeof users.$inferSelect;
let sequence = 0;

/** Tags made directly (creating tags through the app needs reputation). */
export async function createTags(db: Db | Tx, names: string[]) {
  if (names.length > 0) await db.insert(tagsTable).values(names.map((name) => ({ name }))).onConflictDoNothing();
}

/** A question asked through the feature function, so revisions, counts and follows are real. */
export async function createQuestion(
  db: Db,
  attrs: { author: Author; space: { slug: string }; title?: string; body?: string; tags?: string[]; submissionKey?: string },
) {
  sequence += 1;
  const tagNames = attrs.tags ?? ["general"];
  await createTags(db, tagNames);
  const { id } = await askQuestion(db, attrs.author, {
    space: attrs.space.slug,
    title: attrs.title ?? `How do we handle case number ${sequence} here?`,
    body: attrs.body ?? `Some details about case ${sequence}, enough words to pass the minimum length.`,
    tags: tagNames,
    submissionKey: attrs.submissionKey,
  });
  return id;
}

export async function createAnswer(db: Db, attrs: { author: Author; questionId: number; body?: string }) {
  sequence += 1;
  const { id } = await postAnswer(db, attrs.author, attrs.questionId, {
    body: attrs.body ?? `Answer number ${sequence}: here is what worked for us last quarter.`,
    submissionKey: undefined,
  });
  return id;
}

export async function createComment(db: Db, attrs: { author: Author; postId: number; body?: string }) {
  sequence += 1;
  const { id } = await addComment(db, attrs.author, attrs.postId, { body: attrs.body ?? `Comment ${sequence}`, submissionKey: undefined });
  return id;
}

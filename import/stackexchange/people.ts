import { inArray, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { importedProfiles, reputationEvents, users } from "#db/schema/index.ts";
import { lockUsers } from "#app/features/reputation/ledger.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { htmlToBio, keys, placeholderEmail, plainLine, urls } from "./mapping.ts";
import { dateAttr, intAttr, type Row } from "./reader.ts";
import { type Context, report, valuesList } from "./run.ts";

/** People: Users.xml rows as profiles that cannot sign in, placeholders for authors who are gone, and their imported reputation. */

type ProfileRef = { userId: number; displayName: string };

export async function writeUsers(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const items: Array<{ key: string; id: number; name: string; location: string; bio: string; createdAt: Date | null; reputation: number }> = [];
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id");
    if (id === null) {
      report(ctx, { file: "Users.xml", line: row.line, message: "the row has no Id" });
      continue;
    }
    const name = plainLine(row.attrs.DisplayName, 100) || `user${id}`;
    items.push({
      key: keys.user(ctx.host, id),
      id,
      name,
      location: plainLine(row.attrs.Location, 100),
      bio: htmlToBio(row.attrs.AboutMe),
      createdAt: dateAttr(row.attrs, "CreationDate"),
      reputation: intAttr(row.attrs, "Reputation") ?? 0,
    });
  }
  if (items.length === 0) return 0;
  const existing = await tx
    .select({ key: importedProfiles.importKey, userId: importedProfiles.userId, claimedAt: importedProfiles.claimedAt, reputation: importedProfiles.sourceReputation })
    .from(importedProfiles)
    .where(
      inArray(
        importedProfiles.importKey,
        items.map((i) => i.key),
      ),
    );
  const byKey = new Map(existing.map((e) => [e.key, e]));
  // A claimed profile's person is a real account now: their name and bio are theirs to keep.
  const unclaimed = items.filter((i) => !byKey.get(i.key)?.claimedAt);
  const userIds = new Map<string, number>();
  if (unclaimed.length > 0) {
    const written = await tx
      .insert(users)
      .values(
        unclaimed.map((i) => ({
          email: placeholderEmail(ctx.host, { id: i.id }),
          passwordHash: null,
          name: i.name,
          location: i.location,
          bio: i.bio,
          kind: "employee" as const,
          ...(i.createdAt ? { createdAt: i.createdAt } : {}),
        })),
      )
      .onConflictDoUpdate({
        target: users.email,
        set: { name: sql`excluded.name`, location: sql`excluded.location`, bio: sql`excluded.bio`, createdAt: sql`excluded.created_at`, updatedAt: sql`now()` },
      })
      .returning({ id: users.id, email: users.email });
    const byEmail = new Map(written.map((w) => [w.email, w.id]));
    for (const i of unclaimed) userIds.set(i.key, byEmail.get(placeholderEmail(ctx.host, { id: i.id }))!);
  }
  for (const i of items) {
    const claimed = byKey.get(i.key);
    if (claimed?.claimedAt) userIds.set(i.key, claimed.userId);
  }
  await tx
    .insert(importedProfiles)
    .values(
      items.map((i) => ({
        importKey: i.key,
        userId: userIds.get(i.key)!,
        source: ctx.host,
        sourceUrl: urls.user(ctx.host, i.id),
        displayName: i.name,
        sourceReputation: i.reputation,
      })),
    )
    .onConflictDoUpdate({
      target: importedProfiles.importKey,
      set: { displayName: sql`excluded.display_name`, sourceUrl: sql`excluded.source_url`, sourceReputation: sql`excluded.source_reputation` },
    });
  // Reputation: one "imported" event for the difference from what earlier runs brought in.
  const deltas = new Map<number, number>();
  const events: Array<typeof reputationEvents.$inferInsert> = [];
  for (const i of items) {
    const delta = i.reputation - (byKey.get(i.key)?.reputation ?? 0);
    if (delta === 0) continue;
    const userId = userIds.get(i.key)!;
    events.push({ userId, delta, reason: "imported", spaceId: ctx.spaceId, tagIds: [] });
    deltas.set(userId, (deltas.get(userId) ?? 0) + delta);
  }
  if (events.length > 0) {
    await lockUsers(tx, [...deltas.keys()]);
    await tx.insert(reputationEvents).values(events);
    await tx.execute(sql`
      update users u set reputation = u.reputation + v.delta::int
      from ${valuesList([...deltas].map(([id, delta]) => [id, delta]))} as v(id, delta)
      where u.id = v.id::int`);
  }
  await enqueueIndexing(tx, "person", userIds.values(), { priority: 1 });
  return items.length;
}

/**
 * Profiles for posts and comments whose account is gone: one per display name the dump still
 * shows, and one "deleted user" for those with no name at all. They never hold reputation.
 */
async function ensurePlaceholders(tx: Tx, ctx: Context, names: Set<string | null>): Promise<Map<string | null, ProfileRef & { key: string }>> {
  const result = new Map<string | null, ProfileRef & { key: string }>();
  if (names.size === 0) return result;
  const wanted = [...names].map((name) => {
    const clean = name === null ? "" : plainLine(name, 100);
    return clean === ""
      ? { name, key: keys.deletedUser(ctx.host), email: placeholderEmail(ctx.host, "deleted"), displayName: "deleted user" }
      : { name, key: keys.namedUser(ctx.host, clean), email: placeholderEmail(ctx.host, { name: clean }), displayName: clean };
  });
  const existing = await tx
    .select({ key: importedProfiles.importKey, userId: importedProfiles.userId, displayName: importedProfiles.displayName })
    .from(importedProfiles)
    .where(
      inArray(
        importedProfiles.importKey,
        wanted.map((w) => w.key),
      ),
    );
  const found = new Map(existing.map((e) => [e.key, e]));
  const missing = [...new Map(wanted.filter((w) => !found.has(w.key)).map((w) => [w.key, w])).values()];
  if (missing.length > 0) {
    const created = await tx
      .insert(users)
      .values(missing.map((w) => ({ email: w.email, passwordHash: null, name: w.displayName, kind: "employee" as const })))
      .onConflictDoUpdate({ target: users.email, set: { name: sql`excluded.name` } })
      .returning({ id: users.id, email: users.email });
    const byEmail = new Map(created.map((c) => [c.email, c.id]));
    await tx
      .insert(importedProfiles)
      .values(missing.map((w) => ({ importKey: w.key, userId: byEmail.get(w.email)!, source: ctx.host, sourceUrl: urls.site(ctx.host), displayName: w.displayName })))
      .onConflictDoNothing();
    for (const w of missing) found.set(w.key, { key: w.key, userId: byEmail.get(w.email)!, displayName: w.displayName });
    await enqueueIndexing(tx, "person", byEmail.values(), { priority: 1 });
  }
  for (const w of wanted) result.set(w.name, found.get(w.key)!);
  return result;
}

/**
 * The profiles of these people (by Stack Exchange user id, with the name the row shows when the
 * account is gone): imported ones by key, placeholders for the rest.
 */
export async function resolvePeople(tx: Tx, ctx: Context, refs: Array<{ userId: number | null; displayName: string | undefined }>) {
  const ids = [...new Set(refs.map((r) => r.userId).filter((id): id is number => id !== null))];
  const found =
    ids.length === 0
      ? []
      : await tx
          .select({ key: importedProfiles.importKey, userId: importedProfiles.userId, displayName: importedProfiles.displayName })
          .from(importedProfiles)
          .where(
            inArray(
              importedProfiles.importKey,
              ids.map((id) => keys.user(ctx.host, id)),
            ),
          );
  const byKey = new Map(found.map((f) => [f.key, f]));
  const orphans = new Set<string | null>();
  for (const r of refs) if (r.userId === null || !byKey.has(keys.user(ctx.host, r.userId))) orphans.add(r.displayName?.trim() || null);
  const placeholders = await ensurePlaceholders(tx, ctx, orphans);
  return (r: { userId: number | null; displayName: string | undefined }): ProfileRef => {
    if (r.userId !== null) {
      const hit = byKey.get(keys.user(ctx.host, r.userId));
      if (hit) return hit;
    }
    return placeholders.get(r.displayName?.trim() || null)!;
  };
}

import { inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { decodeCursor, encodeCursor, type PersonRef } from "../endpoint.server.ts";

/**
 * What the ideas, kudos, pages and people resources of `/api/v1` share: how an id in a path is
 * read, how times and links are written, people as cards, and keyset pages.
 */

/**
 * A row id in a path (`/ideas/{id}`): a positive whole number, or a 400. A number too large to be
 * a row reaches the feature, which answers the 404 of a missing item (the one id rule, lib/ids.ts).
 */
export const ApiId = z.coerce.number({ error: "An id is a positive whole number." }).int("An id is a positive whole number.").min(1, "An id is a positive whole number.");
export const IdParams = z.object({ id: ApiId });

/** A space's slug in a path. */
export const SlugParams = z.object({ slug: z.string().trim().min(1).max(100) });

/** Every time in answers: ISO 8601 in UTC ("2026-03-01T09:30:00.000Z"). */
export const IsoTime = z.iso.datetime();

export function iso(time: Date | string): string {
  return new Date(time).toISOString();
}

export function isoOrNull(time: Date | string | null | undefined): string | null {
  return time === null || time === undefined ? null : iso(time);
}

/** Links in answers are absolute: the same address the app shows, on APP_URL. */
export function absolute(path: string): string {
  return appUrl(path);
}

export function personUrl(id: number): string {
  return appUrl(`/people/${id}`);
}

export function personRef(p: { id: number; name: string; title: string }): z.input<typeof PersonRef> {
  return { id: p.id, name: p.name, title: p.title, url: personUrl(p.id) };
}

/**
 * People's cards by id, in one query (features often name people by id and name only). The
 * profile page shows anyone's name and title to every employee, so this reads no visibility.
 */
export async function personRefs(db: Db | Tx, ids: Iterable<number>): Promise<Map<number, z.input<typeof PersonRef>>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name, title: users.title }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, personRef(r)]));
}

// ---- keyset pages ------------------------------------------------------------------------------

/** A page after an id (lists in id order). Cursors are strict: one another list gave out is refused. */
export const IdCursor = z.strictObject({ id: z.number().int().min(0).max(2_147_483_647) });

/**
 * A page after a time and an id (lists newest first). The time is PostgreSQL's own to the
 * microsecond (`cursorTime`): a JavaScript date keeps milliseconds only, and rows a few
 * microseconds apart would be skipped.
 */
export const TimeCursor = z.strictObject({
  t: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    // A real time (no 31 February), so PostgreSQL never refuses the cast.
    .refine((t) => {
      const time = new Date(`${t.slice(0, 19)}Z`);
      return t >= "1970" && !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 19) === t.slice(0, 19);
    }),
  id: IdCursor.shape.id,
});

/** A timestamp column as text exact to the microsecond, for a cursor. */
export function cursorTime(column: AnyPgColumn | SQL): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows after the cursor in `(time desc, id desc)` order. */
export function beforeTime(time: AnyPgColumn | SQL, id: AnyPgColumn, cursor: { t: string; id: number } | undefined): SQL | undefined {
  return cursor ? sql`(${time}, ${id}) < (${cursor.t}::timestamptz, ${cursor.id})` : undefined;
}

/**
 * The page of `limit` rows from `rows` (read with `limit + 1`, so one more says there is a next
 * page) and the cursor that continues after its last row.
 */
export function keysetPage<T, R>(rows: T[], limit: number, cursorOf: (last: T) => Record<string, string | number>, shape: (row: T) => R): { data: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(shape), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}

export { decodeCursor };

import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { outboundAllowlist, users } from "#db/schema/index.ts";
import { canAdministerSpaces, type Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { parseAllowlistPattern } from "./outbound.server.ts";
import type { AllowlistEntryInput } from "./schemas.ts";

/**
 * Admin → Integrations → Private addresses allowed: the exceptions to the SSRF guard. An entry is
 * a host name (matched exactly), an address or a CIDR range, stored in its normal form.
 */

export interface AllowlistEntry {
  id: number;
  pattern: string;
  kind: "host" | "address" | "range";
  note: string;
  createdBy: string | null;
  createdAt: Date;
}

function requireAdminActor(actor: Actor): void {
  if (!canAdministerSpaces(actor)) throw new NotFoundError();
}

export async function allowlistEntries(db: Db, actor: Actor): Promise<AllowlistEntry[]> {
  requireAdminActor(actor);
  const rows = await db
    .select({ id: outboundAllowlist.id, pattern: outboundAllowlist.pattern, note: outboundAllowlist.note, createdBy: users.name, createdAt: outboundAllowlist.createdAt })
    .from(outboundAllowlist)
    .leftJoin(users, eq(users.id, outboundAllowlist.createdBy))
    .orderBy(asc(outboundAllowlist.pattern));
  return rows.map((r) => ({ ...r, kind: parseAllowlistPattern(r.pattern)?.kind ?? "host" }));
}

export async function addAllowlistEntry(db: Db, actor: Actor, input: AllowlistEntryInput): Promise<{ pattern: string }> {
  requireAdminActor(actor);
  const parsed = parseAllowlistPattern(input.pattern);
  if (!parsed) {
    throw InputError.field("pattern", "Enter a host name (hooks.internal), an address (10.0.0.5, fd00::5) or a range in CIDR form (10.20.0.0/16).");
  }
  const [row] = await db.insert(outboundAllowlist).values({ pattern: parsed.pattern, note: input.note, createdBy: actor.id }).onConflictDoNothing().returning({ id: outboundAllowlist.id });
  if (!row) throw InputError.field("pattern", `${parsed.pattern} is on the list already.`);
  return { pattern: parsed.pattern };
}

/** Removes an entry; what was allowed by it is refused from the next request on. */
export async function removeAllowlistEntry(db: Db, actor: Actor, entryId: number): Promise<void> {
  requireAdminActor(actor);
  if (!isRowId(entryId)) throw new InputError("That entry is gone already. Reload the page.");
  const rows = await db.execute<{ id: number }>(sql`delete from ${outboundAllowlist} where id = ${entryId} returning id`);
  if (rows.length === 0) throw new InputError("That entry is gone already. Reload the page.");
}

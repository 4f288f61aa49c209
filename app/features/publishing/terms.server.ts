import { and, asc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { confidentialTerms as termsTable, users } from "#db/schema/index.ts";
import { ANONYMOUS_EMAIL } from "#app/features/anonymous/stand-in.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { env } from "#app/lib/env.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import type { ScanContext } from "./scan.ts";
import { publishingSettings } from "./settings.server.ts";

/**
 * The admin-kept lists the confidentiality scan flags (customer names, project code names), and
 * the context a draft is scanned with: the settings, these lists and the employees who have not
 * agreed to be named in it.
 */

export const CONFIDENTIAL_TERM_KINDS = ["customer", "codename"] as const;
export type ConfidentialTermKind = (typeof CONFIDENTIAL_TERM_KINDS)[number];
export const TERM_KIND_LABELS: Record<ConfidentialTermKind, string> = { customer: "customer names", codename: "project code names" };

export interface ConfidentialTerm {
  id: number;
  kind: ConfidentialTermKind;
  term: string;
  createdAt: Date;
  createdBy: { id: number; name: string } | null;
}

export const ConfidentialTermSchema = z.object({
  kind: z.enum(CONFIDENTIAL_TERM_KINDS, { error: "Choose customer names or project code names." }),
  term: z
    .string({ error: "Enter a name." })
    // As the scan reads it: runs of spaces are one space.
    .transform((value) => value.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(2, "A name is at least 2 characters.")
        .max(100, "A name is at most 100 characters.")
        .regex(/[\p{L}\p{N}]/u, "A name needs a letter or a digit."),
    ),
});

function requireAdmin(actor: Actor): void {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new ForbiddenError("Only admins keep the lists of customer names and code names.");
}

/** The terms of one list (or both), alphabetically. One query. */
export async function confidentialTerms(db: Db | Tx, kind?: ConfidentialTermKind): Promise<ConfidentialTerm[]> {
  const rows = await db
    .select({ id: termsTable.id, kind: termsTable.kind, term: termsTable.term, createdAt: termsTable.createdAt, creatorId: users.id, creatorName: users.name })
    .from(termsTable)
    .leftJoin(users, eq(users.id, termsTable.createdById))
    .where(kind ? eq(termsTable.kind, kind) : undefined)
    .orderBy(asc(termsTable.kind), asc(sql`lower(${termsTable.term})`), asc(termsTable.id));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    term: r.term,
    createdAt: r.createdAt,
    createdBy: r.creatorId === null || r.creatorName === null ? null : { id: r.creatorId, name: r.creatorName },
  }));
}

function alreadyListed(term: string, kind: ConfidentialTermKind): InputError {
  return InputError.field("term", `“${term}” is already on the list of ${TERM_KIND_LABELS[kind]}.`);
}

/** Adds a term (admins only). `kind` and `term` as a form sends them; a duplicate, whatever its case, is a field error. */
export async function addConfidentialTerm(db: Db | Tx, actor: Actor, kind: string, term: string): Promise<{ id: number }> {
  requireAdmin(actor);
  const parsed = ConfidentialTermSchema.safeParse({ kind, term });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    throw new InputError("Check the name.", fieldErrors);
  }
  const input = parsed.data;
  const [clash] = await db
    .select({ term: termsTable.term })
    .from(termsTable)
    .where(and(eq(termsTable.kind, input.kind), sql`lower(${termsTable.term}) = lower(${input.term})`));
  if (clash) throw alreadyListed(clash.term, input.kind);
  // Two admins adding the same name at once: the unique index decides, and the loser gets the same message.
  const [row] = await db.insert(termsTable).values({ kind: input.kind, term: input.term, createdById: actor.id }).onConflictDoNothing().returning({ id: termsTable.id });
  if (!row) throw alreadyListed(input.term, input.kind);
  return row;
}

/** Removes a term (admins only); a missing one is a 404. */
export async function removeConfidentialTerm(db: Db | Tx, actor: Actor, id: number): Promise<void> {
  requireAdmin(actor);
  if (!isRowId(id)) throw new NotFoundError("No such term");
  const removed = await db.delete(termsTable).where(eq(termsTable.id, id)).returning({ id: termsTable.id });
  if (removed.length === 0) throw new NotFoundError("No such term");
}

// ---------------------------------------------------------------- the scan's context

type Employee = { id: number; person: ScanContext["people"][number] };

// Every draft save rescans, and the list of everyone's names is the one big read: kept a minute
// per handle (a name changed or an employee added shows within the minute). A transaction handle
// is new each time, so callers that want the cache pass the Db.
const EMPLOYEES_MS = 60_000;
const employeeCache = new WeakMap<object, { at: number; value: Promise<Employee[]> }>();

function employeeNames(db: Db | Tx): Promise<Employee[]> {
  const now = Date.now();
  const hit = employeeCache.get(db);
  if (hit && now - hit.at < EMPLOYEES_MS) return hit.value;
  const value = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    // Deactivated employees too: someone who left has not agreed to be named either. The
    // anonymous stand-in is no one.
    .where(and(eq(users.kind, "employee"), ne(users.email, ANONYMOUS_EMAIL)))
    .then((rows) => rows.map((r) => ({ id: r.id, person: { name: r.name, handle: r.email.split("@")[0]! } })));
  employeeCache.set(db, { at: now, value });
  value.catch(() => employeeCache.delete(db));
  return value;
}

/**
 * The internal app's own host name (APP_URL) is internal whatever the settings say: a link to an
 * internal page is the commonest leak. Not when the forum shares it (one machine in development).
 */
function appHost(): string | null {
  const { APP_URL, FORUM_URL } = env();
  if (!APP_URL) return null;
  const host = new URL(APP_URL).hostname.toLowerCase();
  if (FORUM_URL && new URL(FORUM_URL).hostname.toLowerCase() === host) return null;
  // An address is judged by the IP ranges, not as a name.
  return /^[\d.]+$|:|^\[/.test(host) ? null : host;
}

/**
 * What a draft is scanned with: the settings, both term lists, and every employee (deactivated
 * ones included) except those in `namedUserIds`, the authors in this draft who agreed to be named.
 */
export async function scanContext(db: Db | Tx, input: { namedUserIds: number[] }): Promise<ScanContext> {
  const [settings, terms, employees] = await Promise.all([publishingSettings(db), confidentialTerms(db), employeeNames(db)]);
  const named = new Set(input.namedUserIds);
  const host = appHost();
  return {
    internalHosts: host && !settings.internalHosts.includes(host) ? [...settings.internalHosts, host] : settings.internalHosts,
    internalIpRanges: settings.internalIpRanges,
    people: employees.filter((e) => !named.has(e.id)).map((e) => e.person),
    customers: terms.filter((t) => t.kind === "customer").map((t) => t.term),
    codenames: terms.filter((t) => t.kind === "codename").map((t) => t.term),
  };
}

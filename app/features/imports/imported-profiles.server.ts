import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { importedProfiles, users } from "#db/schema/index.ts";

/**
 * Imported profiles as the pages show them. An importer's placeholder person has an address at
 * `import.invalid` (a reserved name that can never receive mail), no password and no SSO link, so
 * it cannot sign in; its `imported_profiles` row says where it came from until someone claims it.
 */

export const IMPORTED_EMAIL_DOMAIN = "import.invalid";

export function isImportedEmail(email: string): boolean {
  return email.toLowerCase().endsWith(`@${IMPORTED_EMAIL_DOMAIN}`);
}

export type ImportedProfileView = { source: string; sourceUrl: string; displayName: string };

/** Where this person was imported from, while the profile is unclaimed; null for everyone else. */
export async function unclaimedImport(db: Db | Tx, userId: number): Promise<ImportedProfileView | null> {
  const [row] = await db
    .select({ source: importedProfiles.source, sourceUrl: importedProfiles.sourceUrl, displayName: importedProfiles.displayName })
    .from(importedProfiles)
    .where(and(eq(importedProfiles.userId, userId), isNull(importedProfiles.claimedAt)))
    .orderBy(asc(importedProfiles.importedAt))
    .limit(1);
  return row ?? null;
}

/**
 * What a profile page needs to know about imports: the unclaimed import to mention, and whether
 * this is a placeholder whose profile was claimed already (kept only when something still referred
 * to it): its page answers 404 like a deleted one, since the person's account now holds everything.
 */
export async function importStatus(db: Db | Tx, userId: number): Promise<{ unclaimed: ImportedProfileView | null; claimedPlaceholder: boolean }> {
  const [row] = await db
    .select({ email: users.email, source: importedProfiles.source, sourceUrl: importedProfiles.sourceUrl, displayName: importedProfiles.displayName })
    .from(users)
    .leftJoin(importedProfiles, and(eq(importedProfiles.userId, users.id), isNull(importedProfiles.claimedAt)))
    .where(eq(users.id, userId))
    .orderBy(asc(importedProfiles.importedAt))
    .limit(1);
  if (!row) return { unclaimed: null, claimedPlaceholder: false };
  const unclaimed = row.source !== null && row.sourceUrl !== null && row.displayName !== null ? { source: row.source, sourceUrl: row.sourceUrl, displayName: row.displayName } : null;
  return { unclaimed, claimedPlaceholder: !unclaimed && isImportedEmail(row.email) };
}

/** The imported profiles claimed for this account, for the admin page: where each came from and when it was claimed. */
export async function claimedImports(db: Db | Tx, userId: number) {
  return db
    .select({ source: importedProfiles.source, sourceUrl: importedProfiles.sourceUrl, displayName: importedProfiles.displayName, claimedAt: importedProfiles.claimedAt })
    .from(importedProfiles)
    .where(and(eq(importedProfiles.userId, userId), isNotNull(importedProfiles.claimedAt)))
    .orderBy(asc(importedProfiles.claimedAt));
}

import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { importedProfiles } from "#db/schema/index.ts";

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

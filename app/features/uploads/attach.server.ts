import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { uploads } from "#db/schema/index.ts";

/**
 * Tying uploads to the item whose text uses them. An upload is private to its uploader until the
 * text that references it is saved; from then on whoever may see that item may see the upload.
 */

/** Keys are 128 random bits in base64url: exactly 22 characters of that alphabet. */
const UPLOAD_REFERENCE = /\/uploads\/([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/g;

/** The upload keys a markdown body refers to (`/uploads/<key>` or `/uploads/<key>/<filename>`), each once. */
export function uploadKeysIn(body: string): string[] {
  const keys = new Set<string>();
  for (const match of body.matchAll(UPLOAD_REFERENCE)) keys.add(match[1]!);
  return [...keys];
}

/**
 * Attaches the uploads `body` refers to that are still unattached and were uploaded by
 * `uploaderId`. Someone else's upload is left alone, so pasting another person's upload URL can't
 * move it into a different item (and so into a different audience); an upload already attached
 * stays with its first item. Call it inside the transaction that saves the text.
 */
export async function attachUploads(tx: Db | Tx, input: { uploaderId: number; itemId: number; body: string }): Promise<void> {
  const keys = uploadKeysIn(input.body);
  if (keys.length === 0) return;
  await tx
    .update(uploads)
    .set({ itemId: input.itemId, attachedAt: new Date() })
    .where(and(inArray(uploads.key, keys), eq(uploads.uploaderId, input.uploaderId), isNull(uploads.itemId)));
}

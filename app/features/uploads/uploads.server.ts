import { and, count, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { uploads } from "#db/schema/index.ts";
import { loadItem } from "#app/features/social/kinds.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { env } from "#app/lib/env.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { ALLOWED_DESCRIPTION, type ContentType, detectContentType, isImage, reencodeImage, safeFilename, sha256Hex, UploadRefused } from "./content.server.ts";
import { newUploadKey, UPLOAD_KEY, type UploadStorage, uploadStorage } from "./storage.server.ts";

/**
 * Accepting, serving and cleaning up uploads. An upload belongs to its uploader until the text
 * that uses it is saved (attach.server.ts); from then on whoever may see that item may see it.
 * The model, the limits and the headers are described in docs/uploads.md.
 */

export { UploadRefused } from "./content.server.ts";

export type UploadLimits = { maxBytes: number; maxPixels: number; perHour: number };

export function uploadLimits(): UploadLimits {
  const e = env();
  return { maxBytes: e.UPLOAD_MAX_BYTES, maxPixels: e.UPLOAD_MAX_PIXELS, perHour: e.UPLOADS_PER_HOUR };
}

/** What the editor gets back: where the file is, and the markdown that shows or links it. */
export type AcceptedUpload = {
  key: string;
  url: string;
  filename: string;
  contentType: ContentType;
  size: number;
  width: number | null;
  height: number | null;
  markdown: string;
};

/** The multipart envelope around a file (boundaries, headers, the field name) is far below this. */
const MULTIPART_OVERHEAD = 64 * 1024;

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

function tooLarge(maxBytes: number): UploadRefused {
  return new UploadRefused(413, `This file is too large: Commons accepts files of up to ${describeBytes(maxBytes)}.`);
}

/**
 * The `file` field of a multipart upload request, read with a hard limit: a declared length over
 * the limit is refused before a byte is read, and a body that turns out longer is refused as soon
 * as it passes the limit, so no more than the limit (and the envelope) is ever held in memory.
 */
export async function readUploadRequest(request: Request, maxBytes: number): Promise<{ filename: string; bytes: Uint8Array }> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;/i.test(contentType) || !request.body) throw new UploadRefused(400, "Send the file as a form upload in a field named “file”.");
  refuseDeclaredTooLarge(request, maxBytes);
  const ceiling = maxBytes + MULTIPART_OVERHEAD;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > ceiling) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    throw new UploadRefused(400, "The upload could not be read. Try again.", { cause: error });
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new UploadRefused(400, "Choose a file to upload.");
  if (file.size > maxBytes) throw tooLarge(maxBytes);
  if (file.size === 0) throw new UploadRefused(400, "This file is empty.");
  return { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** A 413 for a request whose declared length is over the limit: cheap enough to check before anything else. */
export function refuseDeclaredTooLarge(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw tooLarge(maxBytes);
}

/**
 * Space an upload must leave free on its volume. With the embedded servers, PostgreSQL and
 * Meilisearch keep their data on the same volume (DATA_DIR): uploads must never be what fills it,
 * since PostgreSQL stops when it can't write its log.
 */
export const FREE_SPACE_MARGIN_BYTES = 100 * 1024 * 1024;

const NO_SPACE = "Commons can't store this file: the disk for uploads is full. Nothing was saved; tell an administrator.";

/** Refuses up front (507) when storing `size` bytes would leave less than `margin` free. */
async function refuseWithoutSpace(storage: UploadStorage, size: number, margin: number): Promise<void> {
  if (!storage.freeBytes) return;
  let free: number;
  try {
    free = await storage.freeBytes();
  } catch (error) {
    throw new UploadRefused(503, "Commons can't store files just now. Nothing was saved; try again in a moment.", { cause: error });
  }
  if (free < size + margin) throw new UploadRefused(507, NO_SPACE);
}

/**
 * A failed write as a refusal: 507 when the volume is full (or the quota used up), 503 for any
 * other failure of the storage. The cause goes with it, for the log.
 */
function notStored(error: unknown): UploadRefused {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOSPC" || code === "EDQUOT") return new UploadRefused(507, NO_SPACE, { cause: error });
  return new UploadRefused(503, "Commons can't store files just now. Nothing was saved; try again in a moment.", { cause: error });
}

/** Markdown text with the characters that would start markup escaped. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>!]/g, "\\$&");
}

/**
 * Checks, processes and stores one upload for `actor` (a signed-in employee: the route checks).
 * Refusals are `UploadRefused` with their status: 413 too large, 415 a type we don't take, 429
 * over the hourly count, 507 when the volume would be left with less than the margin free or is
 * full, 503 when the storage fails otherwise. Nothing is stored for a refusal; the file is written
 * before its row and removed again when the row can't be written, so a row never points at nothing.
 */
export async function acceptUpload(
  db: Db,
  actor: Actor,
  upload: { filename: string; bytes: Uint8Array },
  options: { storage?: UploadStorage; limits?: UploadLimits; now?: Date; freeSpaceMarginBytes?: number } = {},
): Promise<AcceptedUpload> {
  const storage = options.storage ?? uploadStorage();
  const limits = options.limits ?? uploadLimits();
  const now = options.now ?? new Date();
  if (upload.bytes.byteLength > limits.maxBytes) throw tooLarge(limits.maxBytes);

  // Mild on purpose: enough to stop a runaway script, never a person pasting screenshots. The
  // count is read without a lock, so parallel uploads may pass it by a few.
  const [recent] = await db
    .select({ n: count() })
    .from(uploads)
    .where(and(eq(uploads.uploaderId, actor.id), gte(uploads.createdAt, new Date(now.getTime() - 60 * 60 * 1000))));
  if ((recent?.n ?? 0) >= limits.perHour) {
    throw new UploadRefused(429, `You have uploaded ${limits.perHour} files in the last hour, the most Commons takes; try again later.`);
  }

  const contentType = await detectContentType(upload.bytes, upload.filename);
  if (!contentType) throw new UploadRefused(415, `Commons doesn't take this kind of file. It takes ${ALLOWED_DESCRIPTION}.`);
  const processed = isImage(contentType) ? await reencodeImage(upload.bytes, contentType, limits.maxPixels) : { bytes: upload.bytes, width: null, height: null };
  const filename = safeFilename(upload.filename, contentType);
  const key = newUploadKey();
  const sha256 = sha256Hex(processed.bytes);

  await refuseWithoutSpace(storage, processed.bytes.byteLength, options.freeSpaceMarginBytes ?? FREE_SPACE_MARGIN_BYTES);
  try {
    await storage.put(key, processed.bytes, contentType);
  } catch (error) {
    throw notStored(error);
  }
  try {
    await db.insert(uploads).values({
      key,
      uploaderId: actor.id,
      filename,
      contentType,
      size: processed.bytes.byteLength,
      width: processed.width,
      height: processed.height,
      sha256,
      createdAt: now,
    });
  } catch (error) {
    await storage.delete(key);
    throw error;
  }
  const url = uploadUrl(key, filename);
  const label = filename.replace(/\.[a-z0-9]+$/, "");
  return {
    key,
    url,
    filename,
    contentType,
    size: processed.bytes.byteLength,
    width: processed.width,
    height: processed.height,
    markdown: isImage(contentType) ? `![${markdownText(label)}](${url})` : `[${markdownText(filename)}](${url})`,
  };
}

export function uploadUrl(key: string, filename: string): string {
  return `/uploads/${key}/${encodeURIComponent(filename)}`;
}

export type Upload = typeof uploads.$inferSelect;

/**
 * The upload `key` if `reader` may see it: its uploader while it is attached to nothing, then
 * whoever may see its item (an answer: whoever may see that answer). Everyone else, and anyone
 * who is not an active employee, gets the NotFoundError an unknown key gets.
 */
export async function uploadForReader(db: Db, reader: Actor | null, key: string): Promise<Upload> {
  if (!reader || reader.kind !== "employee" || reader.deactivatedAt || !UPLOAD_KEY.test(key)) throw new NotFoundError();
  const [upload] = await db.select().from(uploads).where(eq(uploads.key, key));
  if (!upload) throw new NotFoundError();
  if (upload.itemId === null) {
    if (upload.uploaderId !== reader.id) throw new NotFoundError();
    return upload;
  }
  await loadItem(db, reader, upload.itemId);
  return upload;
}

/** How long an upload may stay attached to nothing: the time to finish writing the text it is for. */
export const UNATTACHED_LIFETIME_MS = 24 * 60 * 60 * 1000;
const PRUNE_BATCH = 500;

/**
 * Deletes uploads still attached to nothing a day after they were uploaded (abandoned drafts, and
 * uploads whose item was deleted): each row first, in its own statement, then its file, so a file
 * is never gone while a row still promises it. A file already missing is fine. Returns how many.
 */
export async function pruneUploads(db: Db, now = new Date(), storage: UploadStorage = uploadStorage()): Promise<number> {
  const cutoff = new Date(now.getTime() - UNATTACHED_LIFETIME_MS);
  let pruned = 0;
  for (;;) {
    const batch = await db
      .select({ id: uploads.id })
      .from(uploads)
      .where(and(isNull(uploads.itemId), lt(uploads.createdAt, cutoff)))
      .orderBy(uploads.createdAt)
      .limit(PRUNE_BATCH);
    if (batch.length === 0) break;
    // Still unattached at the moment of deleting: a text saved meanwhile keeps its upload.
    const deleted = await db
      .delete(uploads)
      .where(
        and(
          inArray(
            uploads.id,
            batch.map((row) => row.id),
          ),
          isNull(uploads.itemId),
          lt(uploads.createdAt, cutoff),
        ),
      )
      .returning({ key: uploads.key });
    for (const { key } of deleted) await storage.delete(key);
    pruned += deleted.length;
    if (batch.length < PRUNE_BATCH) break;
  }
  return pruned;
}

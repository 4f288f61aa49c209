import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, statfs } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { env } from "#app/lib/env.server.ts";

/**
 * Where the bytes of uploads live. The database row (db/schema/uploads.ts) says who may see an
 * upload; the storage only keeps bytes under a key. A directory under DATA_DIR is the default; an
 * S3-compatible store is another implementation of this interface (docs/uploads.md).
 */
export interface UploadStorage {
  /** Stores `bytes` under `key`, whole or not at all: a reader never sees half a file. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes under `key` as a stream with their size, or null when there are none. */
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  /** Removes `key`; a key that is already gone is not an error. */
  delete(key: string): Promise<void>;
  /** Bytes still free for uploads, where the storage can tell (a volume can; a bucket need not). */
  freeBytes?(): Promise<number>;
}

/** 128 random bits in base64url: what an upload's URL carries, so it can't be guessed or enumerated. */
export function newUploadKey(): string {
  return randomBytes(16).toString("base64url");
}

/** A key as `newUploadKey` makes them: 22 characters of base64url (anything else is no key of ours). */
export const UPLOAD_KEY = /^[A-Za-z0-9_-]{22}$/;

/**
 * Files in `root`, sharded by the key's first two characters so no directory grows past a few
 * thousand entries. A file is written under a temporary name in its final directory, flushed, and
 * renamed into place: a crash leaves at worst a stray temporary file, never half an upload.
 */
export function directoryStorage(root: string): UploadStorage {
  const fileOf = (key: string) => {
    if (!UPLOAD_KEY.test(key)) throw new Error(`not an upload key: ${JSON.stringify(key)}`);
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      const handle = await open(temporary, "wx", 0o640);
      // A write that fails part way (ENOSPC: the disk filled up) leaves the part written so far:
      // it goes, whichever step failed, so a full disk is not made fuller by the failures.
      try {
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      if (!UPLOAD_KEY.test(key)) return null;
      const file = fileOf(key);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
    async freeBytes() {
      // The root is made on the first write: before that, the volume it will be on answers.
      for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
        try {
          const volume = await statfs(dir);
          return volume.bavail * volume.bsize;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dir === path.dirname(dir)) throw error;
        }
      }
    },
  };
}

let configured: UploadStorage | undefined;

/** The storage this process uses: `DATA_DIR/uploads`, created on the first write. */
export function uploadStorage(): UploadStorage {
  configured ??= directoryStorage(path.resolve(env().DATA_DIR, "uploads"));
  return configured;
}

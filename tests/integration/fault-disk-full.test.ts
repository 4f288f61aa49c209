import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, readdir, rm, statfs, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { uploads } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { directoryStorage, newUploadKey } from "#app/features/uploads/storage.server.ts";
import { acceptUpload, UploadRefused, uploadLimits } from "#app/features/uploads/uploads.server.ts";
import { action as uploadAction } from "#app/routes/uploads/upload.ts";
import { setupTestDb } from "#tests/db.ts";
import { routeContext, thrown } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";

/**
 * Issue 23, faults: the disk full for uploads. A real full disk: a 1 MiB tmpfs, mounted in a mount
 * namespace of a helper process (`unshare -rm`, no privileges needed where user namespaces are
 * allowed) and reached through that process's `/proc/<pid>/root`. Writes there fail with a real
 * ENOSPC part way through, and statfs reports its real free space. Where user namespaces are not
 * allowed, the tests that need the tmpfs are skipped. The route's own storage (DATA_DIR) is a
 * plain temporary directory, with room to spare.
 */

const TMPFS_BYTES = 1024 * 1024;
const mountPoint = mkdtempSync(path.join(tmpdir(), "commons-disk-full-"));
const userNamespaces = spawnSync("unshare", ["-rm", "sh", "-c", `mount -t tmpfs -o size=64k none ${mountPoint}`]).status === 0;
let helper: ChildProcess | undefined;
if (userNamespaces) {
  helper = spawn("unshare", ["-rm", "sh", "-c", `mount -t tmpfs -o size=${TMPFS_BYTES} none ${mountPoint} && echo mounted && exec sleep 3600`], { stdio: ["ignore", "pipe", "inherit"] });
}
// unshare and sh exec what follows them, so the helper's pid is the process that holds the mount.
const full = `/proc/${helper?.pid}/root${mountPoint}`;
const dataDir = mkdtempSync(path.join(tmpdir(), "commons-disk-full-data-"));
const previousDataDir = process.env.DATA_DIR;
// Read once, on first use, by app/lib/env.server.ts: the route stores under DATA_DIR/uploads.
process.env.DATA_DIR = dataDir;

const t = setupTestDb();
const root = path.join(dataDir, "uploads");
let member: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  if (helper) {
    await new Promise<void>((resolve, reject) => {
      helper!.once("exit", (code) => reject(new Error(`the tmpfs helper exited (${code})`)));
      helper!.stdout!.once("data", () => resolve());
    });
  }
  member = await createUser(t.db, { name: "Fay Full" });
});

afterAll(() => {
  if (helper?.pid) process.kill(helper.pid, "SIGKILL");
  if (previousDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = previousDataDir;
  rmSync(mountPoint, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const uploadRows = async () => (await t.db.select({ n: count() }).from(uploads))[0]!.n;

/** Every file under the storage root, temporary ones included. */
async function filesUnder(dir: string): Promise<string[]> {
  const shards = await readdir(dir).catch(() => [] as string[]);
  const files = await Promise.all(shards.map(async (shard) => (await readdir(path.join(dir, shard)).catch(() => [] as string[])).map((name) => `${shard}/${name}`)));
  return files.flat();
}

const text = (bytes: number) => ({ filename: "notes.txt", bytes: new Uint8Array(Buffer.alloc(bytes, "a")) });

async function post(file: { filename: string; bytes: Uint8Array }) {
  const headers = new Headers({ origin: "http://localhost", accept: "application/json", cookie: `${SESSION_COOKIE}=${(await createSession(t.db, member.id)).token}` });
  const body = new FormData();
  body.append("file", new Blob([new Uint8Array(file.bytes)], { type: "text/plain" }), file.filename);
  const { context } = routeContext(t.db);
  const response = (await uploadAction({ request: new Request("http://localhost/uploads", { method: "POST", headers, body }), context, params: {} } as never)) as Response;
  return {
    status: response.status,
    body: (await response.json()) as { error?: string; key?: string },
    logged: (context.log.error as unknown as { mock: { calls: unknown[][] } }).mock.calls,
  };
}

test.skipIf(!userNamespaces)("an upload is refused up front (507) when its volume has less than the upload plus the margin free; nothing is stored", async () => {
  // 1 MiB free is far below the default margin (100 MiB) that keeps the embedded databases' volume writable.
  const storage = directoryStorage(path.join(full, "uploads"));
  const refused = await thrown(acceptUpload(t.db, member, text(10_000), { storage }));
  expect(refused).toBeInstanceOf(UploadRefused);
  expect((refused as UploadRefused).status).toBe(507);
  expect((refused as UploadRefused).message).toBe("Commons can't store this file: the disk for uploads is full. Nothing was saved; tell an administrator.");
  expect(await uploadRows()).toBe(0);
  expect(await filesUnder(path.join(full, "uploads"))).toEqual([]);
});

test.skipIf(!userNamespaces)("the margin is a parameter: the same volume takes a small file with no margin, and refuses one over its free space", async () => {
  const storage = directoryStorage(path.join(full, "margin"));
  const free = await storage.freeBytes!();
  expect(free).toBeLessThanOrEqual(TMPFS_BYTES);
  const small = await acceptUpload(t.db, member, text(10_000), { storage, freeSpaceMarginBytes: 0 });
  expect(small.size).toBe(10_000);
  // Room for the file, not for the file and the margin.
  const refused = await thrown(acceptUpload(t.db, member, text(10_000), { storage, freeSpaceMarginBytes: free }));
  expect(refused).toBeInstanceOf(UploadRefused);
  expect((refused as UploadRefused).status).toBe(507);
  // Larger than the volume: refused before a byte is written.
  const large = await thrown(acceptUpload(t.db, member, text(TMPFS_BYTES + 100_000), { storage, freeSpaceMarginBytes: 0, limits: { ...uploadLimits(), maxBytes: 4 * TMPFS_BYTES } }));
  expect((large as UploadRefused).status).toBe(507);
  expect(await uploadRows()).toBe(1);
  expect(await filesUnder(path.join(full, "margin"))).toEqual([`${small.key.slice(0, 2)}/${small.key}`]);
  await storage.delete(small.key);
  await t.db.delete(uploads);
});

test.skipIf(!userNamespaces)("a write that runs out of space part way (a real ENOSPC) is a 507 refusal; the partial file is removed and no row written", async () => {
  // A storage that can't tell its free space (or a volume filled by someone else after the check):
  // the write itself fails.
  const directory = directoryStorage(path.join(full, "blind"));
  const blind = { put: directory.put, get: directory.get, delete: directory.delete };
  const before = (await statfs(full)).bavail;
  const refused = await thrown(acceptUpload(t.db, member, text(TMPFS_BYTES + 100_000), { storage: blind, limits: { ...uploadLimits(), maxBytes: 4 * TMPFS_BYTES } }));
  expect(refused).toBeInstanceOf(UploadRefused);
  expect((refused as UploadRefused).status).toBe(507);
  expect(((refused as UploadRefused).cause as NodeJS.ErrnoException).code).toBe("ENOSPC");
  expect(await uploadRows()).toBe(0);
  // The part written before the disk filled is gone: the space is free again.
  expect(await filesUnder(path.join(full, "blind"))).toEqual([]);
  expect((await statfs(full)).bavail).toBe(before);
});

test("a storage directory that can't be written (a file where it should be: ENOTDIR, even for root) is a 503 refusal, logged, with no row", async () => {
  await rm(root, { recursive: true, force: true });
  await writeFile(root, "not a directory");
  try {
    const { status, body, logged } = await post(text(10_000));
    expect(status).toBe(503);
    expect(body.error).toBe("Commons can't store files just now. Nothing was saved; try again in a moment.");
    expect(await uploadRows()).toBe(0);
    // The person sees the message; the operator's log has the cause.
    expect(logged).toHaveLength(1);
    expect((logged[0]![0] as { err: NodeJS.ErrnoException }).err.code).toBe("ENOTDIR");
  } finally {
    await rm(root, { force: true });
  }
});

test("a write that fails after its bytes are on disk (the rename) leaves no temporary file", async () => {
  const dir = path.join(dataDir, "rename");
  const storage = directoryStorage(dir);
  const key = newUploadKey();
  // A directory, with something in it, where the file should go: the rename fails (EISDIR or ENOTEMPTY).
  await mkdir(path.join(dir, key.slice(0, 2), key, "inside"), { recursive: true });
  await expect(storage.put(key, new Uint8Array(Buffer.alloc(5_000, "b")), "text/plain")).rejects.toThrow();
  expect(await filesUnder(dir)).toEqual([`${key.slice(0, 2)}/${key}`]);
});

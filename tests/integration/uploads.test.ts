import { mkdtempSync, rmSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { posts, uploads, users } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { directoryStorage } from "#app/features/uploads/storage.server.ts";
import { acceptUpload, pruneUploads, UploadRefused, uploadLimits } from "#app/features/uploads/uploads.server.ts";
import { loader as fileLoader } from "#app/routes/uploads/file.ts";
import { action as uploadAction } from "#app/routes/uploads/upload.ts";
import { setupTestDb } from "#tests/db.ts";
import { requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * Uploads against a real database and real files: a DATA_DIR of this file's own (read once, on
 * first use, by app/lib/env.server.ts), so what the routes store can be looked at on disk.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "commons-uploads-"));
const previousDataDir = process.env.DATA_DIR;
process.env.DATA_DIR = dataDir;
afterAll(() => {
  if (previousDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = previousDataDir;
  rmSync(dataDir, { recursive: true, force: true });
});

const t = setupTestDb();
const storage = directoryStorage(path.join(dataDir, "uploads"));
const CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

type Person = Awaited<ReturnType<typeof createUser>>;
type Accepted = { key: string; url: string; filename: string; contentType: string; size: number; width: number | null; height: number | null; markdown: string };

let member: Person;
let otherMember: Person;
let outsider: Person;
let customer: Person;
let deactivated: Person;
let secret: Awaited<ReturnType<typeof createSpace>>;
let png: Buffer;

beforeAll(async () => {
  member = await createUser(t.db, { name: "Mina Member" });
  otherMember = await createUser(t.db, { name: "Otto Member" });
  outsider = await createUser(t.db, { name: "Olga Outsider" });
  customer = await createUser(t.db, { name: "Cass Customer" }, "customer");
  deactivated = await createUser(t.db, { name: "Dee Gone" });
  secret = await createSpace(t.db, { members: [member, otherMember, deactivated] }, "restricted");
  // Deactivated after joining: a former member, who must lose access like everyone else.
  await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, deactivated.id));
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();
});

/** A multipart upload from `user`'s browser, as the editor sends it. */
async function uploadRequest(user: { id: number } | null, file: { name: string; bytes: Uint8Array; type?: string }): Promise<Request> {
  const headers = new Headers({ origin: "http://localhost", accept: "application/json" });
  if (user) headers.set("cookie", `${SESSION_COOKIE}=${(await createSession(t.db, user.id)).token}`);
  const body = new FormData();
  body.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name);
  return new Request("http://localhost/uploads", { method: "POST", headers, body });
}

async function post(user: { id: number } | null, file: { name: string; bytes: Uint8Array; type?: string }) {
  const response = (await uploadAction({ request: await uploadRequest(user, file), context: routeContext(t.db).context, params: {} } as never)) as Response;
  return { status: response.status, body: (await response.json()) as Accepted & { error?: string } };
}

async function upload(user: { id: number }, file: { name: string; bytes: Uint8Array; type?: string }): Promise<Accepted> {
  const { status, body } = await post(user, file);
  expect(status, body.error).toBe(201);
  return body;
}

/** GET of an upload's URL as `user`'s browser (or a signed-out one). */
async function fetchUpload(user: { id: number } | null, key: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = await requestAs(t.db, user, `/uploads/${key}/file`);
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
  return (await fileLoader({ request, context: routeContext(t.db).context, params: { key, filename: "file" } } as never)) as Response;
}

const uploadCount = async () => (await t.db.select({ n: count() }).from(uploads))[0]!.n;
async function storedFiles(): Promise<string[]> {
  const root = path.join(dataDir, "uploads");
  const shards = await readdir(root).catch(() => []);
  const files = await Promise.all(shards.map(async (shard) => (await readdir(path.join(root, shard))).map((name) => `${shard}/${name}`)));
  return files.flat();
}
/** A zip archive holding `entries` uncompressed: enough for file-type to look inside it. */
function zip(entries: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, data);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralDirectory = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralDirectory, end]);
}

const rowOf = async (key: string) => (await t.db.select().from(uploads).where(eq(uploads.key, key)))[0];

describe("accepting an upload", () => {
  test("an image is stored re-encoded, upright, and without its metadata", async () => {
    // Stored sideways with EXIF orientation 6 ("rotate 90° to show"), a copyright line and a comment.
    const original = await sharp({ create: { width: 60, height: 20, channels: 3, background: "#cc3333" } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: "Secret Camera Owner", ImageDescription: "Taken at the secret lab" } } })
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before.exif).toBeDefined();
    expect(before.orientation).toBe(6);

    const result = await upload(member, { name: "holiday photo.JPEG", bytes: original, type: "image/jpeg" });
    expect(result).toMatchObject({ contentType: "image/jpeg", filename: "holiday photo.jpg", width: 20, height: 60 });
    expect(result.url).toBe(`/uploads/${result.key}/holiday%20photo.jpg`);
    expect(result.markdown).toBe(`![holiday photo](${result.url})`);
    expect(result.key).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const stored = await storage.get(result.key);
    const bytes = Buffer.from(await new Response(stored!.body).arrayBuffer());
    expect(bytes.byteLength).toBe(result.size);
    const after = await sharp(bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.format).toBe("jpeg");
    expect([after.width, after.height]).toEqual([20, 60]);
    expect(bytes.includes("Secret Camera Owner")).toBe(false);

    const row = await rowOf(result.key);
    expect(row).toMatchObject({ uploaderId: member.id, itemId: null, contentType: "image/jpeg", width: 20, height: 60, size: bytes.byteLength });
    expect(row!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test("the type comes from the content, not the name: a “.png” holding a PDF is a PDF", async () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    const result = await upload(member, { name: "diagram.png", bytes: pdf, type: "image/png" });
    expect(result).toMatchObject({ contentType: "application/pdf", filename: "diagram.pdf", width: null, height: null });
    expect(result.markdown).toBe(`[diagram.pdf](${result.url})`);
  });

  test.each([
    ["an ELF executable", "tool.exe", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(40).fill(0)])],
    ["a Windows executable", "setup.pdf", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 1)])],
    ["an SVG image (it can carry script)", "logo.svg", Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ["a gzip archive", "backup.zip", Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...Array(20).fill(0)])],
    ["binary data nothing recognizes", "notes.txt", Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00, 0x42, 0xc3, 0x28])],
  ])("%s is refused with 415 naming what is accepted, and nothing is stored", async (_what, name, bytes) => {
    const rows = await uploadCount();
    const files = await storedFiles();
    const { status, body } = await post(member, { name, bytes });
    expect(status).toBe(415);
    expect(body.error).toMatch(/doesn't take this kind of file/);
    expect(body.error).toContain("PNG, JPEG, GIF, WebP");
    expect(body.error).toContain("PDF");
    expect(await uploadCount()).toBe(rows);
    expect(await storedFiles()).toEqual(files);
  });

  test("an HTML file is kept as plain text and only ever downloaded", async () => {
    const html = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
    const result = await upload(member, { name: "page.html", bytes: html, type: "text/html" });
    expect(result).toMatchObject({ contentType: "text/plain", filename: "page_html.txt" });
    const response = await fetchUpload(member, result.key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="page_html.txt"; filename*=UTF-8''page_html.txt`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe(CSP);
    expect(Buffer.from(await response.arrayBuffer()).equals(html)).toBe(true);
  });

  test("text keeps its kind by name (csv, markdown); a zip is looked into (a Word file, a Java archive)", async () => {
    expect(await upload(member, { name: "numbers.CSV", bytes: Buffer.from("a,b\n1,2\n") })).toMatchObject({ contentType: "text/csv", filename: "numbers.csv" });
    expect(await upload(member, { name: "readme.markdown", bytes: Buffer.from("# Hi\n") })).toMatchObject({ contentType: "text/markdown", filename: "readme.md" });
    expect(await upload(member, { name: "logs", bytes: zip([["notes.txt", "hello"]]) })).toMatchObject({ contentType: "application/zip", filename: "logs.zip" });
    const word = zip([
      [
        "[Content_Types].xml",
        '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ],
      ["word/document.xml", "<w:document/>"],
    ]);
    expect(await upload(member, { name: "minutes.zip", bytes: word })).toMatchObject({
      contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      filename: "minutes.docx",
    });
    const { status } = await post(member, { name: "library.zip", bytes: zip([["META-INF/MANIFEST.MF", "Manifest-Version: 1.0"]]) });
    expect(status).toBe(415);
  });

  test("a file over the limit is refused with 413 before anything is written", async () => {
    const { maxBytes } = uploadLimits();
    const rows = await uploadCount();
    const files = await storedFiles();
    const { status, body } = await post(member, { name: "big.png", bytes: Buffer.alloc(maxBytes + 1, 7) });
    expect(status).toBe(413);
    expect(body.error).toBe("This file is too large: Commons accepts files of up to 10 MB.");
    // A declared length over the limit is refused before the body is read (or the session looked up).
    const declared = new Request("http://localhost/uploads", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(maxBytes * 5) },
      body: "--x--",
    });
    const early = (await uploadAction({ request: declared, context: routeContext(t.db).context, params: {} } as never)) as Response;
    expect(early.status).toBe(413);
    expect(await uploadCount()).toBe(rows);
    expect(await storedFiles()).toEqual(files);
  });

  test("an image with more pixels than allowed is refused without being decoded (a decompression bomb)", async () => {
    const bomb = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: "#ffffff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.byteLength).toBeLessThan(200_000);
    const refused = await thrown(acceptUpload(t.db, member, { filename: "white.png", bytes: bomb }, { storage, limits: { ...uploadLimits(), maxPixels: 1_000_000 } }));
    expect(refused).toBeInstanceOf(UploadRefused);
    expect((refused as UploadRefused).status).toBe(413);
    expect((refused as UploadRefused).message).toMatch(/too large: at most 1,000,000 pixels/);
  });

  test("a damaged image is refused with a message", async () => {
    const { status, body } = await post(member, { name: "broken.png", bytes: png.subarray(0, 60) });
    expect(status).toBe(415);
    expect(body.error).toBe("This image could not be read: it may be damaged.");
  });

  test("a request without a file is a 400", async () => {
    const headers = { cookie: `${SESSION_COOKIE}=${(await createSession(t.db, member.id)).token}` };
    const form = new FormData();
    form.append("note", "no file here");
    const response = (await uploadAction({
      request: new Request("http://localhost/uploads", { method: "POST", headers, body: form }),
      context: routeContext(t.db).context,
      params: {},
    } as never)) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Choose a file to upload." });
  });

  test("file names lose paths, quotes and invisible characters, and keep the extension of their type", async () => {
    const result = await upload(member, { name: '..\\..\\etc/"quoted" name\u202Egnp.exe.png', bytes: png });
    expect(result.filename).toBe("quoted_ name_gnp.exe.png");
    const response = await fetchUpload(member, result.key);
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="quoted_ name_gnp.exe.png"; filename*=UTF-8''quoted_%20name_gnp.exe.png`);
    const unicode = await upload(member, { name: "Übersicht März.png", bytes: png });
    expect((await fetchUpload(member, unicode.key)).headers.get("content-disposition")).toBe(`inline; filename="_bersicht M_rz.png"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.png`);
  });

  test("one person may upload only so many files an hour", async () => {
    const busy = await createUser(t.db);
    const limits = { ...uploadLimits(), perHour: 2 };
    await acceptUpload(t.db, busy, { filename: "a.png", bytes: png }, { storage, limits });
    await acceptUpload(t.db, busy, { filename: "b.png", bytes: png }, { storage, limits });
    const refused = await thrown(acceptUpload(t.db, busy, { filename: "c.png", bytes: png }, { storage, limits }));
    expect((refused as UploadRefused).status).toBe(429);
    // Someone else is not held back by it.
    await acceptUpload(t.db, otherMember, { filename: "d.png", bytes: png }, { storage, limits });
  });

  test.each([
    ["a signed-out browser", () => null],
    ["a customer", () => customer],
    ["a deactivated account", () => deactivated],
  ])("%s gets the JSON routes' 401 and nothing is stored", async (_who, who) => {
    const rows = await uploadCount();
    const { status, body } = await post(who(), { name: "x.png", bytes: png });
    expect(status).toBe(401);
    expect(body).toEqual({ error: "Sign in with an employee account." });
    expect(await uploadCount()).toBe(rows);
  });
});

describe("who sees an upload", () => {
  test("attached to a question in a restricted space: members only, with the sandboxing headers", async () => {
    const image = await upload(member, { name: "plan.png", bytes: png });
    const questionId = await createQuestion(t.db, { author: member, space: secret, body: `Our plan, see the picture:\n\n${image.markdown}` });
    const [{ itemId }] = (await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, questionId))) as [{ itemId: number }];
    expect(await rowOf(image.key)).toMatchObject({ itemId, uploaderId: member.id });
    expect((await rowOf(image.key))!.attachedAt).toBeInstanceOf(Date);

    const seen = await fetchUpload(otherMember, image.key);
    expect(seen.status).toBe(200);
    expect(Object.fromEntries(seen.headers)).toMatchObject({
      "content-type": "image/png",
      "x-content-type-options": "nosniff",
      "content-security-policy": CSP,
      "content-disposition": `inline; filename="plan.png"; filename*=UTF-8''plan.png`,
      "cache-control": "private, max-age=3600",
      etag: `"${(await rowOf(image.key))!.sha256}"`,
      "content-length": String(image.size),
    });
    expect((await sharp(Buffer.from(await seen.arrayBuffer())).metadata()).width).toBe(40);

    // The same answer for everyone else, and for a key that does not exist.
    const missing = await fetchUpload(otherMember, "AAAAAAAAAAAAAAAAAAAAAA");
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    for (const who of [outsider, customer, deactivated, null]) {
      const hidden = await fetchUpload(who, image.key);
      expect(hidden.status).toBe(404);
      expect(await hidden.text()).toBe(missingBody);
      expect(hidden.headers.get("content-type")).toBe(missing.headers.get("content-type"));
    }
    expect((await fetchUpload(otherMember, "../../etc/passwd")).status).toBe(404);
  });

  test("the ETag comes back as a 304 without the bytes", async () => {
    const image = await upload(member, { name: "etag.png", bytes: png });
    const first = await fetchUpload(member, image.key);
    const again = await fetchUpload(member, image.key, { "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await again.text()).toBe("");
    expect((await fetchUpload(member, image.key, { "if-none-match": '"something-else"' })).status).toBe(200);
  });

  test("attached to an answer: whoever may see the answer", async () => {
    const questionId = await createQuestion(t.db, { author: otherMember, space: secret });
    const file = await upload(member, { name: "report.pdf", bytes: Buffer.from("%PDF-1.7\n%%EOF\n") });
    const answerId = await createAnswer(t.db, { author: member, questionId, body: `The report is attached: ${file.markdown}` });
    const [{ itemId }] = (await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, answerId))) as [{ itemId: number }];
    expect((await rowOf(file.key))!.itemId).toBe(itemId);
    const seen = await fetchUpload(otherMember, file.key);
    expect(seen.status).toBe(200);
    expect(seen.headers.get("content-disposition")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(seen.headers.get("content-type")).toBe("application/pdf");
    expect((await fetchUpload(outsider, file.key)).status).toBe(404);
  });

  test("unattached, only its uploader sees it", async () => {
    const image = await upload(member, { name: "draft.png", bytes: png });
    expect((await fetchUpload(member, image.key)).status).toBe(200);
    expect((await fetchUpload(otherMember, image.key)).status).toBe(404);
    expect((await fetchUpload(outsider, image.key)).status).toBe(404);
  });

  test("pasting someone else's upload URL attaches nothing: it stays theirs", async () => {
    const mine = await upload(member, { name: "mine.png", bytes: png });
    const theirs = await upload(outsider, { name: "theirs.png", bytes: png });
    const questionId = await createQuestion(t.db, { author: member, space: secret, body: `Two pictures: ${mine.markdown} and ${theirs.markdown}` });
    const [{ itemId }] = (await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, questionId))) as [{ itemId: number }];
    expect((await rowOf(mine.key))!.itemId).toBe(itemId);
    expect((await rowOf(theirs.key))!.itemId).toBeNull();
    // Nor can it be moved once attached, by anyone.
    await t.db.transaction((tx) => attachUploads(tx, { uploaderId: member.id, itemId: itemId + 1000, body: mine.markdown }));
    expect((await rowOf(mine.key))!.itemId).toBe(itemId);
    expect((await fetchUpload(otherMember, theirs.key)).status).toBe(404);
  });

  test("an edit attaches the files its new text uses", async () => {
    const questionId = await createQuestion(t.db, { author: member, space: secret });
    const image = await upload(member, { name: "later.png", bytes: png });
    await editPost(t.db, member, questionId, { title: "How do we handle the later picture?", body: `Now with a picture: ${image.markdown}`, tags: ["general"], comment: "" });
    expect((await rowOf(image.key))!.itemId).not.toBeNull();
    expect((await fetchUpload(otherMember, image.key)).status).toBe(200);
  });
});

describe("cleaning up", () => {
  test("uploads attached to nothing a day later are deleted, rows and files; attached and recent ones stay", async () => {
    const now = new Date();
    const dayAndHourAgo = new Date(now.getTime() - 25 * 60 * 60 * 1000);
    const old = await acceptUpload(t.db, member, { filename: "abandoned.png", bytes: png }, { storage, now: dayAndHourAgo });
    const gone = await acceptUpload(t.db, member, { filename: "file-already-gone.png", bytes: png }, { storage, now: dayAndHourAgo });
    const recent = await acceptUpload(t.db, member, { filename: "recent.png", bytes: png }, { storage, now });
    const kept = await acceptUpload(t.db, member, { filename: "kept.png", bytes: png }, { storage, now: dayAndHourAgo });
    await createQuestion(t.db, { author: member, space: secret, body: `Keeps its picture: ${kept.markdown}` });
    // A file lost already (a restored backup, an earlier run cut short) is no reason to stop.
    await rm(path.join(dataDir, "uploads", gone.key.slice(0, 2), gone.key));

    expect(await pruneUploads(t.db, now, storage)).toBeGreaterThanOrEqual(2);
    expect(await rowOf(old.key)).toBeUndefined();
    expect(await rowOf(gone.key)).toBeUndefined();
    await expect(stat(path.join(dataDir, "uploads", old.key.slice(0, 2), old.key))).rejects.toThrow();
    expect(await storage.get(old.key)).toBeNull();
    for (const key of [recent.key, kept.key]) {
      expect(await rowOf(key)).toBeDefined();
      expect(await storage.get(key)).not.toBeNull();
    }
    // Nothing more to do the second time.
    expect(await pruneUploads(t.db, now, storage)).toBe(0);
  });
});

import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test, inject } from "vitest";
import { acceptUpload } from "#app/features/uploads/uploads.server.ts";
import { directoryStorage } from "#app/features/uploads/storage.server.ts";
import { createBackup } from "#db/backup.ts";
import { createDb, type Db } from "#db/client.server.ts";
import { posts, uploads, users } from "#db/schema/index.ts";
import { restoreBackup, RestoreRefused } from "#db/restore.ts";
import { indexName } from "#search/indexes.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createAnswer, createArticle, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * The round trip of `npm run backup` and `npm run restore`: the demo company and an upload, backed
 * up from this file's database, restored into a database that was never migrated and an empty
 * uploads directory; every table's count, a question's body and the upload's bytes come back, and
 * search finds a restored question at once. A target that holds data is refused.
 */
const t = setupTestDb();
const indexes = setupSearchIndexes("b");
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let dir: string;
let restoredName: string;
let restoredUrl: string;
let restored: Db | undefined;
const admin = () => postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "commons-backup-test-"));
  restoredName = `r_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const url = new URL(inject("postgresUrl"));
  url.pathname = `/${restoredName}`;
  restoredUrl = url.toString();
});

afterAll(async () => {
  await restored?.close();
  const sql = admin();
  await sql.unsafe(`drop database if exists ${restoredName} with (force)`).finally(() => sql.end());
  await rm(dir, { recursive: true, force: true });
});

test("backup, then restore into an empty database: every count, a body, an upload's bytes, and search", async () => {
  const author = await createUser(t.db, { name: "Rosa Restore" });
  const other = await createUser(t.db, { name: "Otto Other" }, "admin");
  const space = await createSpace(t.db, { members: [author, other] });
  const secret = await createSpace(t.db, { members: [author] }, "restricted");
  const questionId = await createQuestion(t.db, {
    author,
    space,
    title: "Where does the backup archive keep uploaded diagrams?",
    body: "Body with *markdown*, a 'quote' and a tab\there, and a newline:\nsecond line.",
  });
  await createAnswer(t.db, { author: other, questionId });
  await createComment(t.db, { author: other, postId: questionId });
  await createQuestion(t.db, { author, space: secret });
  await createWikiPage(t.db, { author, space });
  await createArticle(t.db, { author: other, space });
  await createIdea(t.db, { author, campaignId: await createCampaign(t.db, { sponsor: other, space }) });
  const storage = directoryStorage(path.join(dir, "uploads"));
  const upload = await acceptUpload(t.db, author, { filename: "dot.png", bytes: PNG }, { storage });
  const [stored] = await t.db.select().from(uploads).where(eq(uploads.key, upload.key));
  const original = await readFile(path.join(dir, "uploads", upload.key.slice(0, 2), upload.key));

  const archive = path.join(dir, "out", "commons.tar.gz");
  const lines: string[] = [];
  const { manifest, bytes } = await createBackup({ databaseUrl: t.url, uploadsDir: path.join(dir, "uploads"), output: archive, log: (l) => lines.push(l) });
  expect(bytes).toBeGreaterThan(0);
  expect(lines.at(-1)).toMatch(/^backup written: .*commons\.tar\.gz \(\d/);
  expect(manifest.migration.tag).toMatch(/^\d{4}_/);
  expect(manifest.postgresVersion).toMatch(/^\d+/);
  expect(manifest.counts.questions).toBeGreaterThan(0);
  expect(manifest.counts.uploads).toBe(1);
  expect(manifest.uploads.files).toBe(1);
  expect(manifest.tables.find((x) => x.name === "users")?.rows).toBe(manifest.counts.users);

  const result = await restoreBackup({
    archive,
    databaseUrl: restoredUrl,
    uploadsDir: path.join(dir, "restored-uploads"),
    search: { client: indexes.client, prefix: indexes.prefix },
  });
  expect(result.uploads).toBe(1);

  restored = createDb(restoredUrl, { max: 2 });
  // Every table of the manifest, counted in the restored database, equals the original's count.
  const source = postgres(t.url, { max: 1, onnotice: () => {} });
  const target = postgres(restoredUrl, { max: 1, onnotice: () => {} });
  try {
    for (const table of manifest.tables) {
      const [a] = await source.unsafe(`select count(*)::int as n from "${table.name}"`);
      const [b] = await target.unsafe(`select count(*)::int as n from "${table.name}"`);
      expect(result.counts[table.name], table.name).toBe(a!.n);
      expect(table.rows, table.name).toBe(a!.n);
      // The rebuild of the search indexes queues again what was written just before it (the outbox).
      if (table.name !== "outbox") expect(b!.n, table.name).toBe(a!.n);
    }
  } finally {
    await source.end();
    await target.end();
  }

  const [question] = await t.db.select().from(posts).where(eq(posts.id, questionId));
  const [again] = await restored.select().from(posts).where(eq(posts.id, question!.id));
  expect(again?.body).toBe(question!.body);
  expect(again?.title).toBe(question!.title);
  const [upload2] = await restored.select().from(uploads).where(eq(uploads.key, upload.key));
  expect(upload2?.sha256).toBe(stored!.sha256);
  expect(await readFile(path.join(dir, "restored-uploads", upload.key.slice(0, 2), upload.key))).toEqual(original);

  // New rows after the restore get new ids: the sequences came back too.
  const [fresh] = await restored
    .insert(users)
    .values({ email: `after-restore-${randomUUID()}@example.com`, name: "After Restore" })
    .returning({ id: users.id });
  expect(fresh!.id).toBeGreaterThan(Math.max(...(await restored.select({ id: users.id }).from(users)).filter((u) => u.id !== fresh!.id).map((u) => u.id)));

  // Search answers from the rebuilt index at once.
  const found = await indexes.client.index(indexName("question", indexes.prefix)).search(question!.title!);
  expect(found.hits.map((h) => Number(h.id))).toContain(question!.id);

  // The same archive into the now non-empty database: refused, with one line, nothing changed.
  await rm(path.join(dir, "restored-uploads"), { recursive: true });
  const refused = await restoreBackup({ archive, databaseUrl: restoredUrl, uploadsDir: path.join(dir, "restored-uploads") }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RestoreRefused);
  expect((refused as Error).message).toMatch(/^restore: the target database is not empty \(table \w+ has rows\)/);
  expect((refused as Error).message).not.toContain("\n");
  expect(await restored.$count(users)).toBe(manifest.counts.users! + 1);
});

test("restore refuses an uploads directory that holds files", async () => {
  await mkdir(path.join(dir, "full", "ab"), { recursive: true });
  await writeFile(path.join(dir, "full", "ab", "file"), "x");
  await writeFile(path.join(dir, "any.tar.gz"), "x");
  const empty = `e_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const refused = await restoreBackup({
    archive: path.join(dir, "any.tar.gz"),
    databaseUrl: new URL(`/${empty}`, inject("postgresUrl")).toString(),
    uploadsDir: path.join(dir, "full"),
  }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RestoreRefused);
  expect((refused as Error).message).toMatch(/already holds uploads/);
});

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "../../server/processes.ts";
import { createMeiliClient, meiliErrorText } from "#search/client.server.ts";
import { type EmbeddedMeili, startEmbeddedMeili } from "#search/embedded.ts";
import { indexName } from "#search/indexes.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { waitUntilGone } from "#tests/launcher/commons-process.ts";

/**
 * Issue 23, faults: Meilisearch killed (SIGKILL) in the middle of a rebuild, after some batches
 * and before the swap. The live index must be exactly what it was, the rebuild must fail, and the
 * next rebuild must complete and clear what the interrupted one left. The Meilisearch here is this
 * file's own, on a data directory of its own: the run's shared one is never killed.
 */

const t = setupTestDb();
const live = indexName("question");
// Small batches and tasks, so that the rebuild has sent several tasks when it is killed.
const tuning = { readBatch: 4, taskDocuments: 4, pendingTasks: 1 };

let dataDir: string;
let port: number;
let meili: EmbeddedMeili;
let client: Meilisearch;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-fault-meili-"));
  port = await freePort();
  meili = await startEmbeddedMeili({ dataDir, port });
  client = createMeiliClient(meili.url, meili.masterKey, 30_000);
}, 60_000);

afterAll(async () => {
  await meili?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Every document of the live question index, whole, in id order. */
async function liveDocuments(): Promise<Record<string, unknown>[]> {
  const { results } = await client.index(live).getDocuments({ limit: 10_000 });
  return results.sort((a, b) => Number(a.id) - Number(b.id));
}

async function buildIndexes(): Promise<string[]> {
  const { results } = await client.getIndexes({ limit: 1000 });
  return results.map((i) => i.uid).filter((uid) => uid.includes("_build_"));
}

test("killing Meilisearch mid-rebuild leaves the live index as it was; the rebuild fails; the next one completes and clears the leftover", { timeout: 120_000 }, async () => {
  const author = await createUser(t.db, { name: "Kim Killed" });
  const space = await createSpace(t.db);
  for (let i = 0; i < 20; i++) await createQuestion(t.db, { author, space, title: `Which lighthouse keeps watch number ${i} tonight?` });

  const first = await reindexAll(t.db, client, { kinds: ["question"], tuning });
  expect(first.question.documents).toBe(20);
  const before = await liveDocuments();
  expect(before).toHaveLength(20);

  // Written after the first rebuild: the interrupted rebuild must not publish them, the next one must.
  for (let i = 20; i < 32; i++) await createQuestion(t.db, { author, space, title: `Which lighthouse keeps watch number ${i} tonight?` });

  let killedAt = 0;
  const interrupted = reindexAll(t.db, client, {
    kinds: ["question"],
    tuning,
    onProgress: async (p) => {
      // After three read batches (twelve documents sent in tasks), long before the swap.
      if (killedAt === 0 && !p.done && p.indexed >= 12) {
        killedAt = p.indexed;
        process.kill(meili.pid, "SIGKILL");
        expect(await waitUntilGone([meili.pid])).toEqual([]);
      }
    },
  });
  // The failure reported is the lost server, not a success and not the clean-up that followed.
  const failure: unknown = await interrupted.then(
    () => "succeeded",
    (error: unknown) => error,
  );
  expect(meiliErrorText(failure)).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
  expect(killedAt).toBeGreaterThanOrEqual(12);
  expect(killedAt).toBeLessThan(32);

  // Started again on the same data and port: what the app's client reaches again.
  meili = await startEmbeddedMeili({ dataDir, port });
  expect(await liveDocuments()).toEqual(before);
  // The half-built index is still there (its delete could not reach a dead server), but unpublished.
  const leftovers = await buildIndexes();
  expect(leftovers).toHaveLength(1);

  const again = await reindexAll(t.db, client, { kinds: ["question"], tuning });
  expect(again.question.documents).toBe(32);
  const after = await liveDocuments();
  expect(after).toHaveLength(32);
  expect(after.slice(0, 20)).toEqual(before);
  expect(await buildIndexes()).toEqual([]);
});

test("a second rebuild started during the first removes the first's build: the first fails without publishing, the second publishes every document", { timeout: 120_000 }, async () => {
  const all = (await client.index(live).getStats()).numberOfDocuments;
  let second: Awaited<ReturnType<typeof reindexAll>> | undefined;
  const first = reindexAll(t.db, client, {
    kinds: ["question"],
    tuning,
    onProgress: async (p) => {
      // After the first batch: the second rebuild runs whole, clearing the first one's build as a leftover.
      if (!second && !p.done) second = await reindexAll(t.db, client, { kinds: ["question"], tuning });
    },
  });
  await expect(first).rejects.toThrow(/not swapped in/);
  expect(second?.question.documents).toBe(all);
  expect((await liveDocuments()).length).toBe(all);
  expect(await buildIndexes()).toEqual([]);
});

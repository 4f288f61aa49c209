import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, test, vi } from "vitest";
import { posts, spaceMembers, spaces } from "#db/schema/index.ts";
import { deletePost, editPost, undeletePost } from "#app/features/qa/edit.server.ts";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { RELATED_CACHE_MS, RELATED_CACHE_SIZE, relatedTagsFor } from "#app/features/qa/related-tags.server.ts";
import { relatedTags, TAG_STATISTICS_CACHE_SIZE, tagPage } from "#app/features/qa/tags.server.ts";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * The related tags' cache (app/features/qa/related-tags.server.ts): counts per tag set are kept,
 * the reader's spaces are not, so nothing cached reaches a reader who may not see its space; and
 * a question asked, retagged, deleted or restored shows at once.
 */

const t = setupTestDb();
const counted = countingDb(t);

let unique = 0;
const freshTag = (stem: string) => `${stem}-${++unique}-${Math.random().toString(36).slice(2, 7)}`;

afterEach(() => {
  vi.useRealTimers();
});

async function world() {
  const member = await createUser(t.db, { reputation: 1000 });
  const outsider = await createUser(t.db);
  const admin = await createUser(t.db, {}, "admin");
  const secret = await createSpace(t.db, { members: [member] }, "restricted");
  const open = await createSpace(t.db);
  const shared = freshTag("shared");
  const secretTag = freshTag("secret");
  const openTag = freshTag("open");
  // The reader's question, in the open space, carries only the shared tag.
  const mine = await createQuestion(t.db, { author: member, space: open, tags: [shared] });
  const hidden = await createQuestion(t.db, { author: member, space: secret, tags: [shared, secretTag] });
  await createQuestion(t.db, { author: member, space: open, tags: [shared, openTag] });
  return { member, outsider, admin, secret, open, shared, secretTag, openTag, mine, hidden };
}

describe("related tags, counted once per tag set", () => {
  test("a reader outside a restricted space never gets its tags, whoever filled the cache first", async () => {
    const w = await world();
    // The member fills the cache with the restricted space's counts; the outsider reads the same entry.
    expect(await relatedTags(t.db, w.member, w.mine)).toEqual([
      { name: w.openTag, questions: 1 },
      { name: w.secretTag, questions: 1 },
    ]);
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([{ name: w.openTag, questions: 1 }]);
    expect(await relatedTags(t.db, w.admin, w.mine)).toEqual([
      { name: w.openTag, questions: 1 },
      { name: w.secretTag, questions: 1 },
    ]);
    // Customers and deactivated accounts see no space, so no related tag.
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    expect(await relatedTagsFor(t.db, customer, [w.shared])).toEqual([]);
    expect(await relatedTagsFor(t.db, gone, [w.shared])).toEqual([]);

    // Leaving the space takes effect on the next read, with the entry still cached.
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, w.secret.id), eq(spaceMembers.userId, w.member.id)));
    expect((await relatedTags(t.db, w.member, w.mine)).map((r) => r.name)).toEqual([w.openTag]);
  });

  test("an open space made restricted stops counting for outsiders at once, though its counts were cached while it was open", async () => {
    const w = await world();
    expect((await relatedTags(t.db, w.outsider, w.mine)).map((r) => r.name)).toEqual([w.openTag]);
    await t.db.update(spaces).set({ visibility: "restricted" }).where(eq(spaces.id, w.open.id));
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([]);
    // The reverse too: the restricted space opened.
    await t.db.update(spaces).set({ visibility: "open" }).where(eq(spaces.id, w.secret.id));
    expect((await relatedTags(t.db, w.outsider, w.mine)).map((r) => r.name)).toEqual([w.secretTag]);
  });

  test("asking, retagging, deleting and restoring a question show on the next read", async () => {
    const w = await world();
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([{ name: w.openTag, questions: 1 }]);
    const more = freshTag("more");
    const asked = await createQuestion(t.db, { author: w.member, space: w.open, tags: [w.shared, w.openTag, more] });
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([
      { name: w.openTag, questions: 2 },
      { name: more, questions: 1 },
    ]);

    await editPost(t.db, w.member, asked, {
      title: "A retagged question about the same thing",
      body: "Some details, enough words to pass the minimum length.",
      tags: [w.shared, more],
      comment: "",
    });
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([
      { name: more, questions: 1 },
      { name: w.openTag, questions: 1 },
    ]);

    await deletePost(t.db, w.member, asked);
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([{ name: w.openTag, questions: 1 }]);
    await undeletePost(t.db, w.member, asked);
    expect((await relatedTags(t.db, w.outsider, w.mine)).map((r) => r.name)).toEqual([more, w.openTag]);
  });

  test("the question page shows the same related tags as the query by id", async () => {
    const w = await world();
    const page = await questionPage(t.db, w.outsider, w.mine, new Date());
    expect(page.related).toEqual(await relatedTags(t.db, w.outsider, w.mine));
    expect(page.related).toEqual([{ name: w.openTag, questions: 1 }]);
  });

  test("a write from another process shows within RELATED_CACHE_MS", async () => {
    const w = await world();
    vi.useFakeTimers({ toFake: ["Date"] });
    expect((await relatedTags(t.db, w.outsider, w.mine)).map((r) => r.name)).toEqual([w.openTag]);
    // As an import run in its own process would: straight to the database, this process not told.
    const [q] = await t.db
      .select({ id: posts.id })
      .from(posts)
      .where(sql`${posts.tags} @> array[${w.openTag}]::text[]`);
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, q!.id));
    expect((await relatedTags(t.db, w.outsider, w.mine)).map((r) => r.name)).toEqual([w.openTag]);
    vi.setSystemTime(Date.now() + RELATED_CACHE_MS + 1);
    expect(await relatedTags(t.db, w.outsider, w.mine)).toEqual([]);
  });

  test(`at most ${RELATED_CACHE_SIZE} tag sets are kept, the least recently used leaving first`, async () => {
    const w = await world();
    const db = counted.db;
    // An admin sees every space without a query, so a cached tag set costs no statement and a new one costs one.
    const read = async (tags: string[]) => {
      counted.queries = 0;
      await relatedTagsFor(db, w.admin, tags);
      return counted.queries;
    };
    expect(await read([w.shared])).toBe(1);
    expect(await read([w.shared])).toBe(0);
    expect(await read([w.openTag])).toBe(1);
    for (let i = 0; i < RELATED_CACHE_SIZE - 2; i++) await read([`filler-${unique}-${i}`]);
    // Full: reading the shared tag again makes it the most recent, so the open tag is the oldest.
    expect(await read([w.shared])).toBe(0);
    expect(await read([`filler-${unique}-last`])).toBe(1);
    expect(await read([w.shared])).toBe(0);
    expect(await read([w.openTag])).toBe(1);
  });
});

/**
 * The tag page's statistics (top askers, top answerers, related tags) are kept per tag on the same
 * rules: counts per space, the reader's spaces applied on every read.
 */
describe("the tag page's statistics, counted once per tag", () => {
  const people = (page: Awaited<ReturnType<typeof tagPage>>) => ({
    askers: page.topAskers.map((p) => [p.id, p.questions]),
    answerers: page.topAnswerers.map((p) => [p.id, p.answers]),
    related: page.related.map((r) => [r.name, r.questions]),
  });

  test("a reader outside a restricted space never gets its people or tags, whoever filled the cache first", async () => {
    const w = await world();
    const secretAsker = await createUser(t.db);
    await t.db.insert(spaceMembers).values({ spaceId: w.secret.id, userId: secretAsker.id, role: "member" });
    const secretQ = await createQuestion(t.db, { author: secretAsker, space: w.secret, tags: [w.shared, w.secretTag] });
    await createAnswer(t.db, { author: w.member, questionId: secretQ });
    // The member fills the entry with the restricted space in it; the outsider reads the same entry.
    expect(people(await tagPage(t.db, w.member, w.shared))).toEqual({
      askers: [
        [w.member.id, 3],
        [secretAsker.id, 1],
      ],
      answerers: [[w.member.id, 1]],
      related: [
        [w.secretTag, 2],
        [w.openTag, 1],
      ],
    });
    expect(people(await tagPage(t.db, w.outsider, w.shared))).toEqual({ askers: [[w.member.id, 2]], answerers: [], related: [[w.openTag, 1]] });
    // Leaving the space takes effect on the next read, with the entry still cached.
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, w.secret.id), eq(spaceMembers.userId, w.member.id)));
    expect(people(await tagPage(t.db, w.member, w.shared))).toEqual({ askers: [[w.member.id, 2]], answerers: [], related: [[w.openTag, 1]] });
    // And a space made restricted stops counting for outsiders at once.
    await t.db.update(spaces).set({ visibility: "restricted" }).where(eq(spaces.id, w.open.id));
    await expect(tagPage(t.db, w.outsider, w.shared)).rejects.toThrow();
  });

  test("asking, answering and deleting show on the next read; a write from another process within RELATED_CACHE_MS", async () => {
    const w = await world();
    expect(people(await tagPage(t.db, w.outsider, w.shared)).answerers).toEqual([]);
    const answerer = await createUser(t.db);
    const answer = await createAnswer(t.db, { author: answerer, questionId: w.mine });
    expect(people(await tagPage(t.db, w.outsider, w.shared)).answerers).toEqual([[answerer.id, 1]]);
    const asker = await createUser(t.db);
    const asked = await createQuestion(t.db, { author: asker, space: w.open, tags: [w.shared] });
    expect(people(await tagPage(t.db, w.outsider, w.shared)).askers).toEqual([
      [w.member.id, 2],
      [asker.id, 1],
    ]);
    await deletePost(t.db, answerer, answer);
    expect(people(await tagPage(t.db, w.outsider, w.shared)).answerers).toEqual([]);

    vi.useFakeTimers({ toFake: ["Date"] });
    expect(people(await tagPage(t.db, w.outsider, w.shared)).askers).toHaveLength(2);
    // As an import run in its own process would: straight to the database, this process not told.
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, asked));
    expect(people(await tagPage(t.db, w.outsider, w.shared)).askers).toHaveLength(2);
    vi.setSystemTime(Date.now() + RELATED_CACHE_MS + 1);
    expect(people(await tagPage(t.db, w.outsider, w.shared)).askers).toEqual([[w.member.id, 2]]);
  });

  test(`at most ${TAG_STATISTICS_CACHE_SIZE} tags are kept, apart from the related tags' sets`, async () => {
    const w = await world();
    const db = counted.db;
    // An admin's read: the tag, its edit right and, when not cached, the window (no visibility query for an admin).
    const read = async (name: string) => {
      counted.queries = 0;
      await tagPage(db, w.admin, name);
      return counted.queries;
    };
    // (The first read of all also fills the reputation rules' short cache.)
    await read(w.openTag);
    const cold = await read(w.shared);
    const warm = await read(w.shared);
    expect(cold - warm).toBe(1);
    // Filling the related tags' sets does not push the tag out.
    for (let i = 0; i < RELATED_CACHE_SIZE; i++) await relatedTagsFor(db, w.admin, [`filler-${unique}-${i}`]);
    expect(await read(w.shared)).toBe(warm);
    // Other tags do, once there are more than the bound.
    const fillers: string[] = [];
    for (let i = 0; i < TAG_STATISTICS_CACHE_SIZE; i++) {
      const name = freshTag("page");
      fillers.push(name);
      await createQuestion(t.db, { author: w.member, space: w.open, tags: [name] });
    }
    // (Asking made every entry old: fill the cache again with the fillers alone.)
    for (const name of fillers) await read(name);
    expect(await read(w.shared)).toBe(cold);
    expect(await read(fillers.at(-1)!)).toBe(warm);
  });
});

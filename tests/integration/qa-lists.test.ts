import { eq, inArray, sql } from "drizzle-orm";
import type { AppLoadContext } from "react-router";
import { describe, expect, test } from "vitest";
import { posts, spaceTags, tags } from "#db/schema/index.ts";
import { type QuestionListInput, decodeCursor, questionList } from "#app/features/qa/lists.server.ts";
import { relatedTags, tagIndex, tagPage, tagSuggestions } from "#app/features/qa/tags.server.ts";
import { adjustSpaceTagCounts } from "#app/features/qa/posts.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { loader as apiTagsLoader } from "#app/routes/api/tags.ts";
import { loader as questionsLoader } from "#app/routes/questions/index.tsx";
import { loader as tagLoader } from "#app/routes/tags/tag.tsx";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { requestAs, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

let unique = 0;
/** A tag name no other test uses: tags are shared by the whole database. */
const freshTag = (stem: string) => `${stem}-${++unique}-${Math.random().toString(36).slice(2, 7)}`;

async function setTimes(id: number, values: { createdAt?: string; lastActivityAt?: string; score?: number }) {
  await t.db
    .update(posts)
    .set({
      ...(values.createdAt ? { createdAt: sql`${values.createdAt}::timestamptz` } : {}),
      ...(values.lastActivityAt ? { lastActivityAt: sql`${values.lastActivityAt}::timestamptz` } : {}),
      ...(values.score !== undefined ? { score: values.score } : {}),
    })
    .where(eq(posts.id, id));
}

/** Every row of a list, page by page through the `next` cursors. */
async function walk(actor: Actor, input: Omit<QuestionListInput, "cursor">) {
  const pages: number[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await questionList(t.db, actor, { ...input, cursor });
    pages.push(page.rows.map((r) => r.id));
    if (!page.next) break;
    cursor = page.next;
  }
  return pages;
}

/** Soft-deletes a question the way the delete feature does: the flag, and its tag counts. */
async function softDelete(id: number) {
  await t.db.transaction(async (tx) => {
    const [q] = await tx.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, id)).returning();
    const tagRows = await tx.select({ id: tags.id }).from(tags).where(inArray(tags.name, q!.tags));
    await adjustSpaceTagCounts(
      tx,
      q!.spaceId,
      tagRows.map((r) => r.id),
      -1,
    );
  });
}

describe("sorts", () => {
  test("newest: created time descending, then id; pages walk every row once even with equal and sub-millisecond times", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createQuestion(t.db, { author: asker, space }));
    const [a, b, c, d, e, f, g] = ids as [number, number, number, number, number, number, number];
    // Three share a timestamp exactly; two differ by one microsecond (the same JavaScript millisecond).
    await setTimes(a, { createdAt: "2026-01-01T10:00:00.000001Z" });
    await setTimes(b, { createdAt: "2026-01-01T10:00:00.000002Z" });
    await setTimes(c, { createdAt: "2026-01-02T10:00:00Z" });
    await setTimes(d, { createdAt: "2026-01-02T10:00:00Z" });
    await setTimes(e, { createdAt: "2026-01-02T10:00:00Z" });
    await setTimes(f, { createdAt: "2025-12-31T10:00:00Z" });
    await setTimes(g, { createdAt: "2026-01-03T10:00:00Z" });
    const expected = [g, e, d, c, b, a, f];

    const first = await questionList(t.db, asker, { spaceId: space.id, sort: "newest" });
    expect(first.rows.map((r) => r.id)).toEqual(expected);
    expect(first.next).toBeNull();
    expect(first.prev).toBeNull();

    for (const limit of [1, 2, 3]) {
      const pages = await walk(asker, { spaceId: space.id, sort: "newest", limit });
      expect(pages.flat(), `page size ${limit}`).toEqual(expected);
      expect(pages.every((p) => p.length <= limit)).toBe(true);
    }

    // And back again: "Previous" from the last page returns the pages before it, in order.
    const p1 = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 3 });
    const p2 = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 3, cursor: p1.next });
    const p3 = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 3, cursor: p2.next });
    expect(p3.rows.map((r) => r.id)).toEqual([f]);
    expect(p3.next).toBeNull();
    const back2 = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 3, cursor: p3.prev });
    expect(back2.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    expect(back2.next).not.toBeNull();
    const back1 = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 3, cursor: back2.prev });
    expect(back1.rows.map((r) => r.id)).toEqual([g, e, d]);
    expect(back1.prev).toBeNull();
  });

  test("a tag's newest questions come in the same order and pages, read off the tag's copy of each question's time", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const tag = freshTag("order");
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await createQuestion(t.db, { author: asker, space, tags: [tag, "general"] }));
    const [a, b, c, d, e, f] = ids as [number, number, number, number, number, number];
    // Times out of id order, two equal, two a microsecond apart: the copy follows every change.
    await setTimes(a, { createdAt: "2026-02-01T10:00:00.000001Z" });
    await setTimes(b, { createdAt: "2026-02-01T10:00:00.000002Z" });
    await setTimes(c, { createdAt: "2026-02-03T10:00:00Z" });
    await setTimes(d, { createdAt: "2026-02-02T10:00:00Z" });
    await setTimes(e, { createdAt: "2026-02-02T10:00:00Z" });
    await setTimes(f, { createdAt: "2026-01-15T10:00:00Z" });
    const copies = await t.db.execute<{ same: boolean }>(
      sql`select bool_and(qt.question_created_at = p.created_at) as same from question_tags qt join posts p on p.id = qt.post_id where qt.post_id in ${ids}`,
    );
    expect(copies[0]!.same).toBe(true);

    const expected = [c, e, d, b, a, f];
    expect((await questionList(t.db, asker, { tag, sort: "newest" })).rows.map((r) => r.id)).toEqual(expected);
    for (const limit of [1, 2, 4]) expect((await walk(asker, { tag, sort: "newest", limit })).flat(), `page size ${limit}`).toEqual(expected);
    const p1 = await questionList(t.db, asker, { tag, sort: "newest", limit: 4 });
    const p2 = await questionList(t.db, asker, { tag, sort: "newest", limit: 4, cursor: p1.next });
    const back = await questionList(t.db, asker, { tag, sort: "newest", limit: 4, cursor: p2.prev });
    expect(back.rows.map((r) => r.id)).toEqual([c, e, d, b]);
  });

  test("each row carries what the list shows", async () => {
    const asker = await createUser(t.db, { name: "Row Asker" });
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db, { name: "Row Space" });
    const tag = freshTag("rows");
    const id = await createQuestion(t.db, { author: asker, space, tags: [tag, "general"], title: "What does a row of the list hold?" });
    const answerId = await createAnswer(t.db, { author: answerer, questionId: id });
    await t.db.update(posts).set({ acceptedAnswerId: answerId, viewCount: 12, score: 3 }).where(eq(posts.id, id));
    const { rows } = await questionList(t.db, asker, { spaceId: space.id, sort: "newest" });
    expect(rows).toEqual([
      {
        id,
        title: "What does a row of the list hold?",
        score: 3,
        answerCount: 1,
        accepted: true,
        viewCount: 12,
        closed: false,
        tags: [tag, "general"],
        author: { id: asker.id, name: "Row Asker" },
        space: { slug: space.slug, name: "Row Space" },
        createdAt: expect.any(Date),
        lastActivityAt: expect.any(Date),
      },
    ]);
  });

  test("active: last activity descending; a new answer brings a question up", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const old = await createQuestion(t.db, { author: asker, space });
    const recent = await createQuestion(t.db, { author: asker, space });
    await setTimes(old, { createdAt: "2026-01-01T00:00:00Z", lastActivityAt: "2026-01-01T00:00:00Z" });
    await setTimes(recent, { createdAt: "2026-01-02T00:00:00Z", lastActivityAt: "2026-01-02T00:00:00Z" });
    expect((await questionList(t.db, asker, { spaceId: space.id, sort: "active" })).rows.map((r) => r.id)).toEqual([recent, old]);
    await createAnswer(t.db, { author: await createUser(t.db), questionId: old });
    expect((await questionList(t.db, asker, { spaceId: space.id, sort: "active" })).rows.map((r) => r.id)).toEqual([old, recent]);
    // Newest still goes by when it was asked.
    expect((await questionList(t.db, asker, { spaceId: space.id, sort: "newest" })).rows.map((r) => r.id)).toEqual([recent, old]);
    const pages = await walk(asker, { spaceId: space.id, sort: "active", limit: 1 });
    expect(pages.flat()).toEqual([old, recent]);
  });

  test("unanswered: only questions with no answers, newest first", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const answered = await createQuestion(t.db, { author: asker, space });
    const lonely1 = await createQuestion(t.db, { author: asker, space });
    const lonely2 = await createQuestion(t.db, { author: asker, space });
    await createAnswer(t.db, { author: await createUser(t.db), questionId: answered });
    await setTimes(lonely1, { createdAt: "2026-01-01T00:00:00Z" });
    await setTimes(lonely2, { createdAt: "2026-01-02T00:00:00Z" });
    const { rows } = await questionList(t.db, asker, { spaceId: space.id, sort: "unanswered" });
    expect(rows.map((r) => r.id)).toEqual([lonely2, lonely1]);
    expect((await walk(asker, { spaceId: space.id, sort: "unanswered", limit: 1 })).flat()).toEqual([lonely2, lonely1]);
  });

  test("top: score descending within the period; ties by time then id", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const day = 24 * 3600 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
    const thisWeekLow = await createQuestion(t.db, { author: asker, space });
    const thisWeekHigh = await createQuestion(t.db, { author: asker, space });
    const thisWeekTie = await createQuestion(t.db, { author: asker, space });
    const thisMonth = await createQuestion(t.db, { author: asker, space });
    const lastYear = await createQuestion(t.db, { author: asker, space });
    await setTimes(thisWeekLow, { createdAt: ago(1), score: 1 });
    await setTimes(thisWeekHigh, { createdAt: ago(2), score: 5 });
    await setTimes(thisWeekTie, { createdAt: ago(3), score: 5 });
    await setTimes(thisMonth, { createdAt: ago(20), score: 10 });
    await setTimes(lastYear, { createdAt: ago(300), score: 50 });
    const ids = async (period: "week" | "month" | "all") => (await questionList(t.db, asker, { spaceId: space.id, sort: "top", period })).rows.map((r) => r.id);
    expect(await ids("week")).toEqual([thisWeekHigh, thisWeekTie, thisWeekLow]);
    expect(await ids("month")).toEqual([thisMonth, thisWeekHigh, thisWeekTie, thisWeekLow]);
    expect(await ids("all")).toEqual([lastYear, thisMonth, thisWeekHigh, thisWeekTie, thisWeekLow]);
    expect((await walk(asker, { spaceId: space.id, sort: "top", period: "all", limit: 2 })).flat()).toEqual(await ids("all"));
    // Negative scores sort below zero, and the keyset handles them.
    await setTimes(thisWeekLow, { score: -3 });
    expect((await walk(asker, { spaceId: space.id, sort: "top", period: "all", limit: 1 })).flat()).toEqual([lastYear, thisMonth, thisWeekHigh, thisWeekTie, thisWeekLow]);
  });

  test("a bad cursor is the first page, never an error", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    for (let i = 0; i < 3; i++) await createQuestion(t.db, { author: asker, space });
    const first = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 2 });
    const top = await questionList(t.db, asker, { spaceId: space.id, sort: "top", period: "all", limit: 2 });
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const bad = [
      "garbage!",
      "bm90IGpzb24",
      b64({ s: "newest", d: "a", k: ["yesterday"], i: 1 }),
      b64({ s: "newest", d: "a", k: ["2026-01-01T00:00:00.000000Z"], i: 1e12 }),
      b64({ s: "newest", d: "x", k: ["2026-01-01T00:00:00.000000Z"], i: 1 }),
      b64({ s: "newest", d: "a", k: [1, "2026-01-01T00:00:00.000000Z"], i: 1 }),
      b64([1, 2, 3]),
      "A".repeat(1000),
      top.next!, // made for another sort
    ];
    for (const cursor of bad) {
      const page = await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 2, cursor });
      expect(
        page.rows.map((r) => r.id),
        cursor.slice(0, 40),
      ).toEqual(first.rows.map((r) => r.id));
      expect(page.prev).toBeNull();
    }
    expect(decodeCursor(first.next, "newest", "week")).not.toBeNull();
    expect(decodeCursor(first.next, "active", "week")).toBeNull();
  });

  test("the page size is 20 by default and at most 50", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    for (let i = 0; i < 52; i++) await createQuestion(t.db, { author: asker, space });
    expect((await questionList(t.db, asker, { spaceId: space.id, sort: "newest" })).rows).toHaveLength(20);
    expect((await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: 500 })).rows).toHaveLength(50);
    expect((await questionList(t.db, asker, { spaceId: space.id, sort: "newest", limit: -1 })).rows).toHaveLength(1);
  });
});

describe("visibility on every read path", () => {
  const context = () => ({ db: t.db, requestId: "test", log: console, clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;

  async function world() {
    const member = await createUser(t.db, { name: "Secret Member" });
    const outsider = await createUser(t.db);
    const admin = await createUser(t.db, {}, "admin");
    const openAsker = await createUser(t.db, { name: "Open Asker" });
    const secret = await createSpace(t.db, { members: [member] }, "restricted");
    const open = await createSpace(t.db);
    const shared = freshTag("shared");
    const hiddenOnly = freshTag("hiddenonly");
    const secretQ = await createQuestion(t.db, { author: member, space: secret, tags: [shared, hiddenOnly], title: "The secret question about Falcon" });
    const openQ = await createQuestion(t.db, { author: openAsker, space: open, tags: [shared] });
    await createAnswer(t.db, { author: member, questionId: secretQ });
    await createAnswer(t.db, { author: openAsker, questionId: openQ });
    return { member, outsider, admin, openAsker, secret, open, shared, hiddenOnly, secretQ, openQ };
  }

  test("a question in a restricted space appears for members and admins only, in every list", async () => {
    const w = await world();
    for (const [who, sees] of [
      [w.outsider, false],
      [w.member, true],
      [w.admin, true],
    ] as const) {
      for (const sort of ["newest", "active", "unanswered", "top"] as const) {
        const all = (await walk(who, { sort, period: "all", limit: 50 })).flat();
        const byTag = (await walk(who, { sort, period: "all", tag: w.shared })).flat();
        const inSpace = (await walk(who, { sort, period: "all", spaceId: w.secret.id })).flat();
        const expectSecret = sees && sort !== "unanswered";
        expect(all.includes(w.secretQ), `${sort} all`).toBe(expectSecret);
        expect(byTag.includes(w.secretQ), `${sort} tag`).toBe(expectSecret);
        expect(inSpace.includes(w.secretQ), `${sort} space`).toBe(expectSecret);
        if (sort !== "unanswered") expect(byTag).toContain(w.openQ);
      }
    }
  });

  test("tag counts, the index, suggestions, the tag page and its people and related tags leave hidden questions out", async () => {
    const w = await world();
    // The outsider: the shared tag counts one question; the tag only used in the restricted space does not exist.
    const outsiderIndex = await tagIndex(t.db, w.outsider, { q: w.shared.split("-")[0]!, sort: "popular", page: 1 });
    expect(outsiderIndex.tags.find((x) => x.name === w.shared)?.questionCount).toBe(1);
    expect((await tagIndex(t.db, w.outsider, { q: "hiddenonly", sort: "name", page: 1 })).tags.map((x) => x.name)).not.toContain(w.hiddenOnly);
    expect((await tagSuggestions(t.db, w.outsider, { q: w.hiddenOnly })).map((x) => x.name)).toEqual([]);
    expect(await tagSuggestions(t.db, w.outsider, { q: w.shared })).toEqual([{ name: w.shared, questionCount: 1, excerpt: "" }]);
    await expect(tagPage(t.db, w.outsider, w.hiddenOnly)).rejects.toThrow(NotFoundError);
    await expect(tagPage(t.db, w.outsider, "no-such-tag-at-all")).rejects.toThrow(NotFoundError);
    const outsiderPage = await tagPage(t.db, w.outsider, w.shared);
    expect(outsiderPage.tag.questionCount).toBe(1);
    expect(outsiderPage.topAskers.map((p) => p.id)).toEqual([w.openAsker.id]);
    expect(outsiderPage.topAnswerers.map((p) => p.id)).toEqual([w.openAsker.id]);
    expect(outsiderPage.related.map((r) => r.name)).not.toContain(w.hiddenOnly);

    // The member and the admin see both.
    for (const who of [w.member, w.admin]) {
      const page = await tagPage(t.db, who, w.shared);
      expect(page.tag.questionCount).toBe(2);
      expect(page.topAskers.map((p) => p.id).sort()).toEqual([w.member.id, w.openAsker.id].sort());
      expect(page.topAnswerers.map((p) => p.id)).toContain(w.member.id);
      expect(page.related).toEqual([{ name: w.hiddenOnly, questions: 1 }]);
      expect((await tagPage(t.db, who, w.hiddenOnly)).tag.questionCount).toBe(1);
      expect((await tagSuggestions(t.db, who, { q: w.hiddenOnly })).map((x) => x.name)).toEqual([w.hiddenOnly]);
      expect((await tagIndex(t.db, who, { q: w.shared, sort: "popular", page: 1 })).tags).toEqual([{ name: w.shared, questionCount: 2, excerpt: "" }]);
    }
  });

  test("a question page's related tags count only questions the reader may see", async () => {
    const w = await world();
    // The open question carries only the shared tag; the hidden question adds hiddenOnly beside it.
    expect(await relatedTags(t.db, w.outsider, w.openQ)).toEqual([]);
    for (const who of [w.member, w.admin]) expect(await relatedTags(t.db, who, w.openQ)).toEqual([{ name: w.hiddenOnly, questions: 1 }]);
    const another = freshTag("another");
    await createQuestion(t.db, { author: w.openAsker, space: w.open, tags: [w.shared, another] });
    await createQuestion(t.db, { author: w.openAsker, space: w.open, tags: [w.shared, another] });
    expect(await relatedTags(t.db, w.outsider, w.openQ)).toEqual([{ name: another, questions: 2 }]);
    expect((await relatedTags(t.db, w.member, w.openQ)).map((r) => r.name)).toEqual([another, w.hiddenOnly]);
  });

  test("the routes: /questions, /tags/:name and /api/tags answer an outsider as if the hidden question did not exist", async () => {
    const w = await world();
    const listed = (await questionsLoader({ request: await requestAs(t.db, w.outsider, `/questions?tag=${w.shared}&sort=newest`), context: context(), params: {} } as never)) as {
      page: { rows: Array<{ id: number }> };
    };
    expect(listed.page.rows.map((r) => r.id)).toEqual([w.openQ]);

    const hidden = await thrown(tagLoader({ request: await requestAs(t.db, w.outsider, `/tags/${w.hiddenOnly}`), context: context(), params: { name: w.hiddenOnly } } as never));
    const missing = await thrown(tagLoader({ request: await requestAs(t.db, w.outsider, "/tags/nope-nope"), context: context(), params: { name: "nope-nope" } } as never));
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toEqual(missing);

    const api = async (user: { id: number }, query: string) => {
      const response = (await apiTagsLoader({ request: await requestAs(t.db, user, `/api/tags?${query}`), context: context(), params: {} } as never)) as Response;
      expect(response.headers.get("Cache-Control")).toBe("private, max-age=30");
      return ((await response.json()) as { tags: Array<{ name: string; questionCount: number; excerpt: string }> }).tags;
    };
    expect(await api(w.outsider, `q=${w.hiddenOnly}`)).toEqual([]);
    expect(await api(w.outsider, `q=${w.shared.toUpperCase()}`)).toEqual([{ name: w.shared, questionCount: 1, excerpt: "" }]);
    // Naming the restricted space changes nothing for someone who cannot see it.
    expect(await api(w.outsider, `q=${w.hiddenOnly}&space=${w.secret.slug}`)).toEqual([]);
    expect((await api(w.member, `q=${w.hiddenOnly}`)).map((x) => x.name)).toEqual([w.hiddenOnly]);

    const anonymous = (await apiTagsLoader({ request: new Request("http://localhost/api/tags?q=a"), context: context(), params: {} } as never)) as Response;
    expect(anonymous.status).toBe(401);
  });

  test("a bad cursor on the route is the first page", async () => {
    const w = await world();
    const result = (await questionsLoader({ request: await requestAs(t.db, w.member, `/questions?cursor=%%%bad&sort=sideways&period=year`), context: context(), params: {} } as never)) as {
      state: { sort: string; period: string };
      paged: boolean;
      page: { prev: string | null };
    };
    expect(result.state).toEqual({ sort: "newest", period: "week", tag: undefined });
    expect(result.page.prev).toBeNull();
  });

  test("/api/tags: prefix match, at most 10, tags used in the named space first", async () => {
    const user = await createUser(t.db);
    const a = await createSpace(t.db);
    const b = await createSpace(t.db);
    const stem = freshTag("auto");
    const names = Array.from({ length: 12 }, (_, i) => `${stem}-${String(i).padStart(2, "0")}`);
    // Every tag is used twice in space a, except the last, used once in space b.
    for (const name of names.slice(0, 11)) {
      await createQuestion(t.db, { author: user, space: a, tags: [name] });
      await createQuestion(t.db, { author: user, space: a, tags: [name] });
    }
    await createQuestion(t.db, { author: user, space: b, tags: [names[11]!] });
    const plain = await tagSuggestions(t.db, user, { q: stem });
    expect(plain).toHaveLength(10);
    expect(plain.map((x) => x.name)).not.toContain(names[11]);
    const inB = await tagSuggestions(t.db, user, { q: stem, spaceSlug: b.slug });
    expect(inB[0]).toEqual({ name: names[11], questionCount: 1, excerpt: "" });
    expect(await tagSuggestions(t.db, user, { q: `${stem}-00x` })).toEqual([]);
    expect(await tagSuggestions(t.db, user, { q: "%" })).toEqual([]);
  });

  test("deleted questions appear in no list, count, index, tag page or suggestion", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const gone = freshTag("gone");
    const stays = freshTag("stays");
    const deleted = await createQuestion(t.db, { author: asker, space, tags: [gone, stays] });
    const kept = await createQuestion(t.db, { author: await createUser(t.db), space, tags: [stays] });
    await createAnswer(t.db, { author: asker, questionId: deleted });
    await softDelete(deleted);
    for (const sort of ["newest", "active", "unanswered", "top"] as const) {
      expect((await walk(asker, { sort, period: "all", spaceId: space.id })).flat(), sort).not.toContain(deleted);
    }
    expect((await questionList(t.db, asker, { sort: "newest", tag: stays })).rows.map((r) => r.id)).toEqual([kept]);
    const page = await tagPage(t.db, asker, stays);
    expect(page.tag.questionCount).toBe(1);
    expect(page.topAskers.map((p) => p.id)).not.toContain(asker.id);
    expect(page.topAnswerers).toEqual([]);
    expect(page.related).toEqual([]);
    await expect(tagPage(t.db, asker, gone)).rejects.toThrow(NotFoundError);
    expect(await tagSuggestions(t.db, asker, { q: gone })).toEqual([]);
    expect((await tagIndex(t.db, asker, { q: gone, sort: "popular", page: 1 })).tags).toEqual([]);
    const [row] = await t.db.select().from(spaceTags).innerJoin(tags, eq(tags.id, spaceTags.tagId)).where(eq(tags.name, gone));
    expect(row!.space_tags.questionCount).toBe(0);
  });
});

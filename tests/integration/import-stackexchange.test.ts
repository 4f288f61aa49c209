import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { signIn } from "#app/features/auth/accounts.server.ts";
import { claimImportedProfile } from "#app/features/imports/claim.server.ts";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { postHistory } from "#app/features/qa/revisions.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { MarkdownError, renderMarkdown } from "#app/lib/markdown.server.ts";
import type { Db } from "#db/client.server.ts";
import { comments, importedProfiles, importRuns, outbox, posts, reputationEvents, spaces, spaceTags, tags, users } from "#db/schema/index.ts";
import { main } from "#import/stackexchange/cli.ts";
import { ImportStopped, importStackExchange, SpaceNotFoundError } from "#import/stackexchange/importer.ts";
import { closeReasonFor, hostFromFolder, htmlToBio, htmlToMarkdown, normalizeTagName, parseTagList } from "#import/stackexchange/mapping.ts";
import { Progress } from "#import/stackexchange/progress.ts";
import { parseRow } from "#import/stackexchange/reader.ts";
import { indexName } from "#search/indexes.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { isSafeAttribute, isSafeElement } from "../xss-allowlist.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/stackexchange-beer/", import.meta.url));
const HOST = "beer.stackexchange.com";
const IMPORT_TIMEOUT = 240_000;

const t = setupTestDb();
/** A second database for the interrupted-then-resumed run, compared with the first. */
const resumed = setupTestDb();
const search = setupSearchIndexes("i");

// ---- the files, read with a tiny parse of our own (ids, numbers and tags need no entity decoding) --

type Attrs = Record<string, string>;
async function rowsOf(file: string, folder = FIXTURE): Promise<Attrs[]> {
  const text = await readFile(path.join(folder, file), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trimStart().startsWith("<row "))
    .map((line) => Object.fromEntries([...line.matchAll(/ (\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])));
}

const dump = {
  posts: () => rowsOf("Posts.xml"),
  users: () => rowsOf("Users.xml"),
  votes: () => rowsOf("Votes.xml"),
  comments: () => rowsOf("Comments.xml"),
  links: () => rowsOf("PostLinks.xml"),
  tags: () => rowsOf("Tags.xml"),
  history: () => rowsOf("PostHistory.xml"),
};

const key = (id: string | number) => `${HOST}/posts/${id}`;

async function importBeer(db: Db, spaceSlug: string, extra: { stopAfterRows?: number } = {}) {
  return importStackExchange(db, { folder: FIXTURE, space: spaceSlug, output: null, ...extra });
}

/** Everything an import writes, keyed by source keys (never our ids), to compare two databases. */
async function snapshot(db: Db) {
  const postRows = await db.execute(sql`
    select p.import_key, p.type, p.title, p.body, p.body_html, p.tags, p.score, p.upvote_count, p.downvote_count,
      p.answer_count, p.comment_count, p.view_count, p.closed_at, p.close_reason, to_json(p.created_at) #>> '{}' as created_at, p.last_activity_at,
      p.last_edited_at, p.revision_count, p.source_url, p.source_author, p.source_license,
      q.import_key as parent, a.import_key as accepted, d.import_key as duplicate_of, ap.import_key as author
    from posts p
    left join posts q on q.id = p.parent_id
    left join posts a on a.id = p.accepted_answer_id
    left join posts d on d.id = p.duplicate_of_id
    left join imported_profiles ap on ap.user_id = p.author_id
    where p.import_key is not null order by p.import_key`);
  const tables = await db.execute(sql`
    select (select count(*) from posts)::int as posts, (select count(*) from comments)::int as comments,
      (select count(*) from users where email like '%@import.invalid')::int as users, (select count(*) from imported_profiles)::int as profiles,
      (select count(*) from reputation_events)::int as events, (select count(*) from question_tags)::int as question_tags,
      (select count(*) from revisions)::int as revisions, (select count(*) from tags)::int as tags,
      -- One item per post: a re-run's upserts leave none behind without a post.
      (select count(*) from items)::int as items, (select count(*) from items i where not exists (select 1 from posts p where p.item_id = i.id))::int as orphan_items,
      (select coalesce(sum(delta), 0) from reputation_events)::int as ledger`);
  const tagCounts = await db.execute(sql`
    select t.name, s.question_count from space_tags s join tags t on t.id = s.tag_id order by t.name`);
  const commentRows = await db.execute(sql`
    select c.import_key, c.body, c.body_html, c.created_at, p.import_key as post from comments c join posts p on p.item_id = c.item_id order by c.import_key`);
  const people = await db.execute(sql`
    select i.import_key, i.display_name, i.source_reputation, u.name, u.bio, u.location, u.reputation, u.email
    from imported_profiles i join users u on u.id = i.user_id order by i.import_key`);
  const revisionRows = await db.execute(sql`
    select p.import_key, r.number, r.kind, r.title, r.body, r.tags, r.comment, r.created_at::text, e.email as editor
    from revisions r join posts p on p.item_id = r.item_id join users e on e.id = r.editor_id
    where p.import_key is not null order by p.import_key, r.number`);
  return { posts: [...postRows], tables: [...tables], tagCounts: [...tagCounts], comments: [...commentRows], people: [...people], revisions: [...revisionRows] };
}

describe("importing the beer.stackexchange.com dump", () => {
  let spaceId = 0;
  let firstSnapshot: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    spaceId = (await createSpace(t.db, { slug: "beer", name: "Beer" })).id;
  });

  test("a space that does not exist is refused, naming the spaces that do (exit 2 from the command)", async () => {
    await expect(importStackExchange(t.db, { folder: FIXTURE, space: "brewing", output: null })).rejects.toBeInstanceOf(SpaceNotFoundError);
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.join(" ")));
    // The command reads DATABASE_URL: this file's first database.
    process.env.DATABASE_URL = t.url;
    expect(await main([FIXTURE, "--space", "brewing"])).toBe(2);
    expect(errors.join("\n")).toMatch(/There is no space "brewing"[\s\S]*beer \(Beer\)/);
    errors.length = 0;
    expect(await main([FIXTURE])).toBe(2);
    expect(await main(["--space", "beer"])).toBe(2);
    expect(await main([FIXTURE, "--space", "beer", "--batch-size", "lots"])).toBe(2);
    expect(errors.join("\n")).toMatch(/usage: npm run import:stackexchange[\s\S]*--batch-size must be a whole number/);
    expect(await t.db.select().from(importRuns)).toHaveLength(0);
  });

  test(
    "imports questions, answers, accepted answers, tags, comments and duplicate links exactly as the files have them",
    async () => {
      const result = await importBeer(t.db, "Beer");
      expect(result.source).toBe(HOST);
      expect(result.resumed).toBe(false);

      const filePosts = await dump.posts();
      const questions = filePosts.filter((p) => p.PostTypeId === "1");
      const answers = filePosts.filter((p) => p.PostTypeId === "2");
      expect(questions).toHaveLength(591);
      expect(answers).toHaveLength(1398);

      const count = async (where: ReturnType<typeof and>) =>
        (
          await t.db
            .select({ n: sql<number>`count(*)::int` })
            .from(posts)
            .where(where)
        )[0]!.n;
      expect(await count(and(eq(posts.spaceId, spaceId), eq(posts.type, "question")))).toBe(591);
      expect(await count(and(eq(posts.spaceId, spaceId), eq(posts.type, "answer")))).toBe(1398);

      // Every post: score as Posts.xml says, vote counts from Votes.xml, answers and comments counted.
      const votes = await dump.votes();
      const fileComments = await dump.comments();
      const revisions = new Map<string, Set<string>>();
      for (const h of await dump.history()) {
        if (Number(h.PostHistoryTypeId) > 9) continue;
        if (!revisions.has(h.PostId!)) revisions.set(h.PostId!, new Set());
        revisions.get(h.PostId!)!.add(h.RevisionGUID!);
      }
      const stored = new Map((await snapshot(t.db)).posts.map((p) => [p.import_key as string, p]));
      expect(stored.size).toBe(591 + 1398);
      for (const p of [...questions, ...answers]) {
        const row = stored.get(key(p.Id!))!;
        expect(row, `post ${p.Id}`).toBeDefined();
        expect(row.score, `score of post ${p.Id}`).toBe(Number(p.Score));
        expect(row.upvote_count, `upvotes of post ${p.Id}`).toBe(votes.filter((v) => v.PostId === p.Id && v.VoteTypeId === "2").length);
        expect(row.downvote_count, `downvotes of post ${p.Id}`).toBe(votes.filter((v) => v.PostId === p.Id && v.VoteTypeId === "3").length);
        expect(row.comment_count, `comments of post ${p.Id}`).toBe(fileComments.filter((c) => c.PostId === p.Id).length);
        expect(row.view_count).toBe(Number(p.ViewCount ?? 0));
        expect(new Date(row.created_at as string).toISOString()).toBe(new Date(`${p.CreationDate}Z`).toISOString());
        expect(row.source_license).toBe(p.ContentLicense ?? "CC BY-SA 3.0");
        expect(row.revision_count, `revisions of post ${p.Id}`).toBe(revisions.get(p.Id!)?.size ?? 1);
        if (p.PostTypeId === "1") {
          expect(row.answer_count, `answers of question ${p.Id}`).toBe(answers.filter((a) => a.ParentId === p.Id).length);
          expect(row.accepted).toBe(p.AcceptedAnswerId ? key(p.AcceptedAnswerId) : null);
          expect(row.source_url).toBe(`https://${HOST}/questions/${p.Id}`);
          expect(row.tags, `tags of question ${p.Id}`).toEqual([...p.Tags!.matchAll(/&lt;(.+?)&gt;/g)].map((m) => m[1]));
          expect(row.closed_at === null).toBe(p.ClosedDate === undefined);
        } else {
          expect(row.parent).toBe(key(p.ParentId!));
          expect(row.source_url).toBe(`https://${HOST}/a/${p.Id}`);
        }
      }
      expect([...stored.values()].filter((p) => p.accepted !== null)).toHaveLength(359);

      // Tags: all 133, each with its question count in the space, and descriptions from the excerpts.
      const fileTags = await dump.tags();
      expect(fileTags).toHaveLength(133);
      const tagRows = await t.db
        .select()
        .from(tags)
        .where(
          inArray(
            tags.name,
            fileTags.map((x) => x.TagName!),
          ),
        );
      expect(tagRows).toHaveLength(133);
      const perTag = new Map<string, number>();
      for (const q of questions) for (const m of q.Tags!.matchAll(/&lt;(.+?)&gt;/g)) perTag.set(m[1]!, (perTag.get(m[1]!) ?? 0) + 1);
      const spaceCounts = await t.db
        .select({ name: tags.name, n: spaceTags.questionCount })
        .from(spaceTags)
        .innerJoin(tags, eq(tags.id, spaceTags.tagId))
        .where(eq(spaceTags.spaceId, spaceId));
      expect(Object.fromEntries(spaceCounts.filter((s) => s.n > 0).map((s) => [s.name, s.n]))).toEqual(Object.fromEntries(perTag));
      const hops = tagRows.find((x) => x.name === "hops")!;
      expect(hops.description).not.toBe("");
      expect(hops.descriptionHtml).toContain("<p>");

      // Comments: every one whose post was imported.
      const importedPostIds = new Set([...questions, ...answers].map((p) => p.Id));
      const expectedComments = fileComments.filter((c) => importedPostIds.has(c.PostId));
      expect((await t.db.select({ n: sql<number>`count(*)::int` }).from(comments))[0]!.n).toBe(expectedComments.length);

      // Duplicate links: each LinkTypeId 3 is a question pointing at its original.
      const duplicates = (await dump.links()).filter((l) => l.LinkTypeId === "3");
      expect(duplicates).toHaveLength(17);
      for (const l of duplicates) expect(stored.get(key(l.PostId!))!.duplicate_of, `duplicate ${l.PostId}`).toBe(key(l.RelatedPostId!));
      expect([...stored.values()].filter((p) => p.duplicate_of !== null)).toHaveLength(duplicates.length);
      for (const l of duplicates) {
        const p = stored.get(key(l.PostId!))!;
        if (p.closed_at !== null) expect(p.close_reason).toBe("duplicate");
      }

      // Authors: credited by name, and bodies are markdown rendered through our module.
      const first = stored.get(key(1))!;
      const owner = (await dump.users()).find((u) => u.Id === "7")!;
      expect(first.source_author).toBe(owner.DisplayName);
      expect(first.author).toBe(`${HOST}/users/7`);
      expect(first.body).toContain("citra hops");
      expect(first.body).not.toContain("<p>");
      expect(first.body_html).toMatch(/^<p>I was offered a beer/);

      // Revisions: numbered 1..n per post, the first the original text, the newest the current one.
      type RevisionRow = { import_key: string; number: number; kind: string; body: string; current: string; count: number };
      const history = await t.db.execute<RevisionRow>(sql`
        select p.import_key, r.number, r.kind, r.body, p.body as current, p.revision_count as count
        from revisions r join posts p on p.item_id = r.item_id where p.import_key is not null order by p.import_key, r.number`);
      const perPost = new Map<string, RevisionRow[]>();
      for (const r of history) perPost.set(r.import_key, [...(perPost.get(r.import_key) ?? []), r]);
      for (const [k, list] of perPost) {
        expect(
          list.map((r) => r.number),
          k,
        ).toEqual(list.map((_, n) => n + 1));
        expect(list.length, k).toBe(list[0]!.count);
        expect(list[list.length - 1]!.body, k).toBe(list[0]!.current);
      }
      const firstPost = perPost.get(key(1))!;
      expect(firstPost[0]!.kind).toBe("create");
      expect(firstPost[0]!.body).toContain("citrate hops");
      expect(firstPost.length).toBeGreaterThan(1);

      const run = (await t.db.select().from(importRuns).where(eq(importRuns.id, result.runId)))[0]!;
      expect(run.status).toBe("done");
      expect(run.finishedAt).not.toBeNull();
      firstSnapshot = await snapshot(t.db);
      // Every imported post owns one item, and no item is left without its post.
      const tables = firstSnapshot.tables[0] as { posts: number; items: number; orphan_items: number };
      expect(tables).toMatchObject({ items: tables.posts, orphan_items: 0 });
    },
    IMPORT_TIMEOUT,
  );

  test("imported profiles exist for every user and cannot sign in", async () => {
    const fileUsers = await dump.users();
    const profiles = await t.db
      .select()
      .from(importedProfiles)
      .where(
        sql`${importedProfiles.importKey} like ${`${HOST}/users/%`} and ${importedProfiles.importKey} not like ${`${HOST}/users/name/%`} and ${importedProfiles.importKey} <> ${`${HOST}/users/deleted`}`,
      );
    expect(profiles).toHaveLength(fileUsers.length);
    const seven = profiles.find((p) => p.importKey === `${HOST}/users/7`)!;
    expect(seven.sourceUrl).toBe(`https://${HOST}/users/7`);
    expect(seven.claimedAt).toBeNull();
    const [user] = await t.db.select().from(users).where(eq(users.id, seven.userId));
    expect(user!.passwordHash).toBeNull();
    expect(user!.email).toBe(`${HOST}-7@import.invalid`);
    expect(user!.kind).toBe("employee");
    // Bios are plain text: no HTML survives the conversion.
    const withBio = await t.db
      .select({ bio: users.bio })
      .from(users)
      .where(sql`${users.email} like '%@import.invalid' and ${users.bio} <> ''`);
    expect(withBio.length).toBeGreaterThan(100);
    for (const b of withBio) expect(b.bio).not.toMatch(/<\/?(p|a|br|strong|em)\b/);
    for (const password of ["", "password", "correct horse battery staple"]) {
      const attempt = await signIn(t.db, { email: user!.email, password }, { address: "10.9.9.9" }, { limits: { perAccount: 100, perClient: 100, windowMinutes: 15 } });
      expect(attempt.ok).toBe(false);
    }
  });

  test("reputation: the ledger holds each profile's Stack Exchange reputation, and there is no drift", async () => {
    const fileUsers = await dump.users();
    const ledger = await t.db.execute<{ key: string; total: number; stored: number }>(sql`
      select i.import_key as key, coalesce(sum(e.delta), 0)::int as total, u.reputation as stored
      from imported_profiles i join users u on u.id = i.user_id
      left join reputation_events e on e.user_id = i.user_id and e.reason = 'imported'
      group by i.import_key, u.reputation`);
    const byKey = new Map(ledger.map((r) => [r.key, r]));
    for (const u of fileUsers) {
      const row = byKey.get(`${HOST}/users/${u.Id}`)!;
      expect(row.total, `user ${u.Id}`).toBe(Number(u.Reputation));
      expect(row.stored, `user ${u.Id}`).toBe(Number(u.Reputation));
    }
    const drift = await recomputeReputation(t.db, { fix: false });
    expect(drift.users).toEqual([]);
    expect(drift.tags).toEqual([]);
  });

  test("the outbox names every imported question and profile for search", async () => {
    const questionIds = (
      await t.db
        .select({ id: posts.id })
        .from(posts)
        .where(and(eq(posts.spaceId, spaceId), eq(posts.type, "question")))
    ).map((q) => q.id);
    const queued = new Set((await t.db.select({ id: outbox.itemId }).from(outbox).where(eq(outbox.kind, "question"))).map((r) => r.id));
    expect(questionIds.filter((id) => !queued.has(id))).toEqual([]);
    const people = await t.db.execute<{ n: number }>(sql`
      select count(*)::int as n from imported_profiles i where not exists (select 1 from outbox o where o.kind = 'person' and o.item_id = i.user_id)`);
    expect(people[0]!.n).toBe(0);
  });

  test(
    "the relay indexes what the import queued: imported questions and people can be searched",
    async () => {
      const relayed = await runRelayUntilIdle(t.db, search.client, { prefix: search.prefix, batchSize: 1_000 });
      expect(relayed.failed + relayed.dead).toBe(0);
      const questions = search.client.index(indexName("question", search.prefix));
      expect((await questions.getStats()).numberOfDocuments).toBe(591);
      const [first] = await t.db
        .select({ id: posts.id })
        .from(posts)
        .where(eq(posts.importKey, key(1)));
      const hits = await questions.search("citra hops", { limit: 5 });
      expect(hits.hits.map((h) => Number(h.id))).toContain(first!.id);
      const people = await search.client.index(indexName("person", search.prefix)).search("Jon Ericson", { limit: 5 });
      expect(people.hits.length).toBeGreaterThan(0);
    },
    IMPORT_TIMEOUT,
  );

  test("an imported thread reads like any other: answers, the accepted one, comments, the credit and the history", async () => {
    const member = await createUser(t.db);
    const [question] = await t.db
      .select()
      .from(posts)
      .where(eq(posts.importKey, key(2)));
    const page = await questionPage(t.db, member, question!.id, new Date());
    const fileAnswers = (await dump.posts()).filter((p) => p.ParentId === "2");
    expect(page.answers).toHaveLength(fileAnswers.length);
    expect(page.question.title).toBe("When was the first beer ever brewed?");
    expect(page.question.source).toMatchObject({ url: `https://${HOST}/questions/2`, license: "CC BY-SA 3.0" });
    expect(page.answers.filter((a) => a.accepted).map((a) => a.id)).toEqual([page.question.acceptedAnswerId]);
    expect(page.question.comments).toHaveLength(3);
    const history = await postHistory(t.db, member, page.question.id);
    expect(history.revisions.length).toBe(page.question.revisionCount);
  });

  test(
    "a second run changes nothing and duplicates nothing",
    async () => {
      const eventsBefore = await t.db.select({ n: sql<number>`count(*)::int` }).from(reputationEvents);
      const second = await importBeer(t.db, "beer");
      expect(second.resumed).toBe(false);
      const again = await snapshot(t.db);
      expect(again.tables).toEqual(firstSnapshot.tables);
      expect(again.posts).toEqual(firstSnapshot.posts);
      expect(again.comments).toEqual(firstSnapshot.comments);
      expect(again.tagCounts).toEqual(firstSnapshot.tagCounts);
      expect(again.people).toEqual(firstSnapshot.people);
      expect(again.revisions).toEqual(firstSnapshot.revisions);
      expect(await t.db.select({ n: sql<number>`count(*)::int` }).from(reputationEvents)).toEqual(eventsBefore);
    },
    IMPORT_TIMEOUT,
  );

  test(
    "an interrupted run, resumed, ends with the same data as an uninterrupted one",
    async () => {
      await createSpace(resumed.db, { slug: "beer", name: "Beer" });
      // Stops in the middle of Posts.xml (Users.xml alone has 3,948 rows).
      await expect(importBeer(resumed.db, "beer", { stopAfterRows: 5_000 })).rejects.toBeInstanceOf(ImportStopped);
      const [stopped] = await resumed.db.select().from(importRuns);
      expect(stopped!.status).toBe("failed");
      expect((stopped!.checkpoint as Record<string, number>)["Posts.xml"]).toBeGreaterThan(0);
      const partial = await resumed.db.select({ n: sql<number>`count(*)::int` }).from(posts);
      expect(partial[0]!.n).toBeGreaterThan(0);
      expect(partial[0]!.n).toBeLessThan(591 + 1398);

      const result = await importBeer(resumed.db, "beer");
      expect(result.resumed).toBe(true);
      expect(result.runId).toBe(stopped!.id);
      const after = await snapshot(resumed.db);
      expect(after.tables).toEqual(firstSnapshot.tables);
      expect(after.posts).toEqual(firstSnapshot.posts);
      expect(after.comments).toEqual(firstSnapshot.comments);
      expect(after.tagCounts).toEqual(firstSnapshot.tagCounts);
      expect(after.people).toEqual(firstSnapshot.people);
      expect(after.revisions).toEqual(firstSnapshot.revisions);
      expect(await resumed.db.select({ status: importRuns.status }).from(importRuns)).toEqual([{ status: "done" }]);
    },
    IMPORT_TIMEOUT,
  );
  test(
    "after a claim, a re-run credits the account that claimed the profile and never recreates the placeholder",
    async () => {
      const admin = await createUser(t.db, {}, "admin");
      const account = await createUser(t.db);
      const profileKey = `${HOST}/users/7`;
      const [profile] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, profileKey));
      const placeholderEmail = `${HOST}-7@import.invalid`;
      const authored = await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(posts)
        .where(eq(posts.authorId, profile!.userId));
      expect(authored[0]!.n).toBeGreaterThan(0);
      await claimImportedProfile(t.db, admin, { profileUserId: profile!.userId, accountUserId: account.id });
      const [claimed] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, profileKey));
      expect(claimed!.userId).toBe(account.id);
      expect(claimed!.claimedAt).not.toBeNull();
      const reputationAfterClaim = (await t.db.select({ r: users.reputation }).from(users).where(eq(users.id, account.id)))[0]!.r;

      await importBeer(t.db, "beer");
      expect(await t.db.select().from(users).where(eq(users.email, placeholderEmail))).toHaveLength(0);
      const [after] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, profileKey));
      expect(after!.userId).toBe(account.id);
      expect(
        (
          await t.db
            .select({ n: sql<number>`count(*)::int` })
            .from(posts)
            .where(eq(posts.authorId, account.id))
        )[0]!.n,
      ).toBe(authored[0]!.n);
      const [person] = await t.db.select().from(users).where(eq(users.id, account.id));
      // The account keeps its own name, and its reputation gains nothing twice.
      expect(person!.name).toBe(account.name);
      expect(person!.reputation).toBe(reputationAfterClaim);
      const drift = await recomputeReputation(t.db, { fix: false });
      expect(drift.users).toEqual([]);
    },
    IMPORT_TIMEOUT,
  );
});

describe("a small dump with bad rows", () => {
  // The later tests of this block use the dump the first one writes here.
  let folder = "";
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "se-dump-"));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const xml = (root: string, rows: string[]) => `\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<${root}>\n${rows.map((r) => `  ${r}`).join("\n")}\n</${root}>\n`;

  test("a malformed row is reported with its file and line and skipped; the rest is imported; script and on* come out inert", async () => {
    await writeFile(
      path.join(folder, "Users.xml"),
      xml("users", [
        `<row Id="1" Reputation="101" CreationDate="2015-01-01T00:00:00.000" DisplayName="Ada &amp; Co" Location="Lisbon" AboutMe="&lt;p&gt;Brewer. &lt;a href=&quot;https://example.com&quot;&gt;site&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;" />`,
        `<row Id="2" Reputation="5" CreationDate="2015-01-01T00:00:00.000" DisplayName="Broken "quote" />`,
        `<row Id="3" Reputation="7" CreationDate="2015-01-01T00:00:00.000" DisplayName="Grace" />`,
        `<row Id="3" Reputation="9" CreationDate="2015-01-01T00:00:00.000" DisplayName="Grace Hopper" />`,
      ]),
    );
    await writeFile(
      path.join(folder, "Posts.xml"),
      xml("posts", [
        `<row Id="10" PostTypeId="1" AcceptedAnswerId="12" CreationDate="2015-02-01T00:00:00.000" Score="3" ViewCount="9" Body="&lt;p&gt;Hello&lt;/p&gt;&lt;script&gt;alert('x')&lt;/script&gt;&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;&lt;a href=&quot;javascript:alert(1)&quot; onclick=&quot;alert(2)&quot;&gt;link&lt;/a&gt;" OwnerUserId="1" LastActivityDate="2015-02-02T00:00:00.000" Title="Why &lt;b&gt;this&lt;/b&gt; &amp; that?" Tags="|ales|Pale Ale|" AnswerCount="1" CommentCount="1" />`,
        `<row Id="11" PostTypeId="1" CreationDate="2015-02-01T00:00:00.000" Score="1" Body="&lt;p&gt;broken &bogus; entity&lt;/p&gt;" OwnerUserId="1" Title="Broken" Tags="&lt;ales&gt;" />`,
        `<row Id="12" PostTypeId="2" ParentId="10" CreationDate="2015-02-03T00:00:00.000" Score="-2" Body="&lt;p&gt;An &lt;em&gt;answer&lt;/em&gt; by someone gone&lt;/p&gt;" OwnerDisplayName="Ghost" LastActivityDate="2015-02-03T00:00:00.000" />`,
        `<row Id="13" PostTypeId="2" ParentId="99" CreationDate="2015-02-03T00:00:00.000" Score="0" Body="&lt;p&gt;Orphan&lt;/p&gt;" OwnerUserId="3" />`,
        `this is not a row at all`,
        `<row Id="14" PostTypeId="2" ParentId="15" CreationDate="2015-02-05T00:00:00.000" Score="4" Body="&lt;p&gt;Written before its question in the file&lt;/p&gt;" OwnerUserId="3" />`,
        `<row Id="15" PostTypeId="1" AcceptedAnswerId="14" CreationDate="2015-02-04T00:00:00.000" Score="2" Body="&lt;p&gt;Late&lt;/p&gt;" OwnerUserId="3" Title="A question after its answer" Tags="&lt;ales&gt;" />`,
        `<row Id="16" PostTypeId="1" CreationDate="2015-02-06T00:00:00.000" Score="0" Body="&lt;div&gt;&lt;frameset onload=alert(1)&gt;Broken markup&lt;/div&gt;" OwnerUserId="3" Title="HTML that turndown cannot parse" Tags="&lt;ales&gt;" />`,
      ]),
    );
    await writeFile(
      path.join(folder, "Comments.xml"),
      xml("comments", [
        `<row Id="100" PostId="10" Score="0" Text="Nice &lt;img src=x onerror=alert(1)&gt; **bold**" CreationDate="2015-02-04T00:00:00.000" UserId="3" />`,
        `<row Id="101" PostId="14" Score="0" Text="On the early answer" CreationDate="2015-02-06T00:00:00.000" UserId="1" />`,
      ]),
    );
    const space = await createSpace(t.db, { slug: "tiny", name: "Tiny" });
    const lines: string[] = [];
    const result = await importStackExchange(t.db, { folder, space: "tiny", source: "tiny.stackexchange.com", output: { write: (s: string) => lines.push(s) } });

    // Users.xml line 4 (broken quote), Posts.xml line 4 (bad entity), line 7 (not a row), answer 13 without its question.
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "Users.xml", line: 4, message: expect.stringMatching(/malformed row/) }),
        expect.objectContaining({ file: "Posts.xml", line: 4, message: expect.stringMatching(/malformed row: an unknown entity "&bogus;"/) }),
        expect.objectContaining({ file: "Posts.xml", line: 7, message: expect.stringMatching(/malformed row/) }),
        expect.objectContaining({ file: "Posts.xml", line: 6, message: expect.stringMatching(/question 99 is not in the dump/) }),
        expect.objectContaining({ file: "Posts.xml", line: 10, message: "post 16: its HTML could not be converted; imported as plain text" }),
        expect.objectContaining({ file: "Users.xml", line: 5, message: "Id 3 appears again on line 6; the later row is used" }),
      ]),
    );
    expect(result.problemCount).toBe(6);
    const [grace] = await t.db.select().from(users).where(eq(users.email, "tiny.stackexchange.com-3@import.invalid"));
    expect(grace).toMatchObject({ name: "Grace Hopper", reputation: 9 });
    expect(lines.join("")).toMatch(/skipped: Posts\.xml line 4: malformed row/);
    const [run] = await t.db.select().from(importRuns).where(eq(importRuns.id, result.runId));
    expect(run!.problems).toEqual(result.problems);

    const written = await t.db.select().from(posts).where(eq(posts.spaceId, space.id)).orderBy(posts.importKey);
    expect(written.map((p) => p.importKey)).toEqual(["10", "12", "14", "15", "16"].map((id) => `tiny.stackexchange.com/posts/${id}`));
    const [question, answer, early, late, asText] = written;
    expect(asText!.body).toBe("Broken markup");
    expect(asText!.bodyHtml).toBe("<p>Broken markup</p>\n");
    // An answer written before its question in the file: imported, accepted, its comment kept.
    expect(early!.parentId).toBe(late!.id);
    expect(late!.acceptedAnswerId).toBe(early!.id);
    expect(late!.answerCount).toBe(1);
    expect(early!.commentCount).toBe(1);
    expect(question!.title).toBe("Why <b>this</b> & that?");
    expect(question!.tags).toEqual(["ales", "pale-ale"]);
    expect(question!.acceptedAnswerId).toBe(answer!.id);
    expect(question!.answerCount).toBe(1);
    expect(question!.commentCount).toBe(1);
    for (const html of [question!.bodyHtml, answer!.bodyHtml]) {
      expect(html).not.toMatch(/<script|\son\w+=|javascript:/i);
    }
    expect(question!.bodyHtml).toContain("Hello");
    const [comment] = await t.db.select().from(comments).where(eq(comments.itemId, question!.itemId));
    // As typed text would: the image stays, its handler does not.
    expect(comment!.bodyHtml).not.toMatch(/<script|\son\w+=/i);
    expect(comment!.bodyHtml).toContain("<strong>bold</strong>");

    // The answer whose author is gone is credited to a placeholder named as the dump names them.
    expect(answer!.sourceAuthor).toBe("Ghost");
    const [ghost] = await t.db.select().from(users).where(eq(users.id, answer!.authorId));
    expect(ghost!.name).toBe("Ghost");
    expect(ghost!.passwordHash).toBeNull();
    expect(ghost!.email).toMatch(/^tiny\.stackexchange\.com-name-[0-9a-f]{16}@import\.invalid$/);

    // AboutMe becomes plain text; the script's text does not survive as markup.
    const [ada] = await t.db.select().from(users).where(eq(users.email, "tiny.stackexchange.com-1@import.invalid"));
    expect(ada!.name).toBe("Ada & Co");
    expect(ada!.bio).toBe("Brewer. site (https://example.com)");
    expect(ada!.reputation).toBe(101);
  });

  test("a resumed run reports each problem once, even from files it reads again", async () => {
    // Tags.xml is read again by every run; its unmappable tag was reported before the stop.
    await writeFile(path.join(folder, "Tags.xml"), xml("tags", [`<row Id="1" TagName="ales" Count="2" />`, `<row Id="2" TagName="__" Count="1" />`]));
    await createSpace(t.db, { slug: "tiny-two", name: "Tiny two" });
    const options = { folder, space: "tiny-two", source: "tiny2.stackexchange.com", output: null };
    // Two people and one tag written: the run stops after Tags.xml.
    await expect(importStackExchange(t.db, { ...options, stopAfterRows: 3 })).rejects.toBeInstanceOf(ImportStopped);
    const result = await importStackExchange(t.db, options);
    expect(result.resumed).toBe(true);
    expect(result.problems.map((p) => `${p.file}:${p.line}`).sort()).toEqual(["Posts.xml:10", "Posts.xml:4", "Posts.xml:6", "Posts.xml:7", "Tags.xml:4", "Users.xml:4", "Users.xml:5"]);
    expect(result.problemCount).toBe(7);
  });

  test("a second run of the same source into the same space is refused while the first holds it", async () => {
    const [space] = await t.db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, "tiny"));
    const other = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      await other`select pg_advisory_lock(hashtext(${"import:tiny.stackexchange.com"}), ${space!.id})`;
      await expect(importStackExchange(t.db, { folder, space: "tiny", source: "tiny.stackexchange.com", output: null })).rejects.toThrow(
        "Another import of tiny.stackexchange.com into tiny is running: wait for it to finish.",
      );
    } finally {
      await other.end();
    }
    // Released: the next run goes ahead.
    expect((await importStackExchange(t.db, { folder, space: "tiny", source: "tiny.stackexchange.com", output: null })).resumed).toBe(false);
  });

  test("the reader decodes every XML entity and refuses malformed rows", () => {
    expect(parseRow(`<row A="&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#xA;" B="" />`)).toEqual({ A: `&<>"'AB\n`, B: "" });
    expect(() => parseRow(`<row A="1" A="2" />`)).toThrow(/twice/);
    expect(() => parseRow(`<row A="x & y" />`)).toThrow(/entity/);
    expect(() => parseRow(`<row A="&#0;" />`)).toThrow(/forbids/);
    expect(() => parseRow(`<row A="1"`)).toThrow(/closed/);
    expect(() => parseRow(`<row A=1 />`)).toThrow(/malformed attribute/);
  });
});

describe("mapping", () => {
  test("HTML bodies become markdown; script goes with its content", () => {
    const html =
      `<h2>Title</h2><p>Some <strong>bold</strong> and <em>it</em> and <code>x</code>, <del>gone</del> <a href="https://a.example/">link</a></p>` +
      `<ul><li>one</li><li>two</li></ul><pre><code>let a = 1;\n</code></pre><blockquote><p>quoted</p></blockquote><script>alert(1)</script><img src="https://i.example/x.png" alt="pic">`;
    expect(htmlToMarkdown(html)).toBe(
      "## Title\n\nSome **bold** and *it* and `x`, ~~gone~~ [link](https://a.example/)\n\n-   one\n-   two\n\n```\nlet a = 1;\n```\n\n> quoted\n\n![pic](https://i.example/x.png)",
    );
  });

  test("every DOMPurify XSS payload, as an HTML body, comes out of turndown and the markdown module inert", async () => {
    const payloads = JSON.parse(await readFile(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;
    expect(payloads).toHaveLength(223);

    const { document } = new JSDOM("").window;
    const active: string[] = [];
    for (const { title, payload } of payloads) {
      let html: string;
      try {
        html = renderMarkdown(htmlToMarkdown(payload));
      } catch (error) {
        // Refused with a message is safe too (the importer reports and skips such a post).
        expect(error).toBeInstanceOf(MarkdownError);
        continue;
      }
      const template = document.createElement("template");
      template.innerHTML = html;
      for (const element of template.content.querySelectorAll("*")) {
        if (!isSafeElement(element)) active.push(`${title}: <${element.tagName.toLowerCase()}>`);
        for (const attr of element.attributes) {
          if (!isSafeAttribute(element, attr)) active.push(`${title}: ${attr.name} on <${element.tagName.toLowerCase()}>`);
          if ((attr.name === "href" || attr.name === "src") && /^\s*[a-z][a-z0-9+.-]*:/i.test(attr.value) && !/^(https?|mailto):/i.test(attr.value.trim()))
            active.push(`${title}: ${attr.name}=${attr.value}`);
        }
      }
    }
    expect(active).toEqual([]);
  });

  test("math (MathJax's dollars) reaches the markdown module as typed and renders with KaTeX", () => {
    const markdown = htmlToMarkdown("<p>Let $a_1 + b_2 = c^*$ and $$\\sum_{i=1}^n x_i^2$$ where a_b costs $5 and $10_x.</p>");
    expect(markdown).toBe("Let $a_1 + b_2 = c^*$ and $$\\sum_{i=1}^n x_i^2$$ where a\\_b costs $5 and $10\\_x.");
    const html = renderMarkdown(markdown);
    expect(html.match(/<annotation encoding="application\/x-tex">[^<]*<\/annotation>/g)).toEqual([
      '<annotation encoding="application/x-tex">a_1 + b_2 = c^*</annotation>',
      '<annotation encoding="application/x-tex">\\sum_{i=1}^n x_i^2</annotation>',
    ]);
    expect(html).toContain("costs $5 and $10_x.");
  });

  test("AboutMe becomes a plain-text bio", () => {
    expect(htmlToBio(`<p>Hi <b>there</b></p>\n<p><a href="https://x.example">https://x.example</a> and <a href="https://y.example">me</a></p>`)).toBe(
      "Hi there\n\nhttps://x.example and me (https://y.example)",
    );
    expect(htmlToBio(`<p>${"word ".repeat(200)}</p>`).length).toBeLessThanOrEqual(500);
  });

  test("tag names follow our rule or are refused; both tag list formats keep their order", () => {
    expect(["C#", "node.js", "Pale Ale", "--x", "_", "a".repeat(40), "c++"].map(normalizeTagName)).toEqual(["c#", "node.js", "pale-ale", "x", null, null, "c++"]);
    expect(parseTagList("<b><a-c>")).toEqual(["b", "a-c"]);
    expect(parseTagList("|b|a|")).toEqual(["b", "a"]);
    expect(parseTagList(undefined)).toEqual([]);
  });

  test("the site comes from the folder's name; close reason ids map to ours", () => {
    expect(hostFromFolder("/dumps/beer.stackexchange.com/")).toBe("beer.stackexchange.com");
    expect(hostFromFolder("dumps/stackexchange-beer")).toBe("beer.stackexchange.com");
    expect(hostFromFolder("dumps/export")).toBeNull();
    expect([1, 101, 2, 102, 3, 103, 104, 105, 7, null].map(closeReasonFor)).toEqual([
      "duplicate",
      "duplicate",
      "off_topic",
      "off_topic",
      "off_topic",
      "unclear",
      "unclear",
      "off_topic",
      "off_topic",
      "off_topic",
    ]);
  });
});

describe("progress", () => {
  const counts = { read: 1_500, written: 1_400, skipped: 90, bad: 10 };

  test("on a terminal one line is rewritten in place; problems and the end get lines of their own", () => {
    let now = 0;
    const out: string[] = [];
    const progress = new Progress({ write: (s: string) => out.push(s), isTTY: true }, () => now);
    progress.start("Posts.xml");
    now = 1_000;
    progress.update(counts);
    now = 1_100;
    progress.update(counts); // too soon after the last one: nothing
    progress.line("skipped: Posts.xml line 7: malformed row");
    now = 2_000;
    progress.finish(counts);
    expect(out).toEqual([
      "\r\x1b[KPosts.xml: 1,500 rows read, 1,400 written, 90 skipped, 10 malformed in 1.0 s (1,500 rows/s)",
      "\r\x1b[Kskipped: Posts.xml line 7: malformed row\n",
      "Posts.xml: 1,500 rows read, 1,400 written, 90 skipped, 10 malformed in 2.0 s (750 rows/s), done\n",
    ]);
  });

  test("piped, a line every few seconds", () => {
    let now = 0;
    const out: string[] = [];
    const progress = new Progress({ write: (s: string) => out.push(s) }, () => now);
    progress.start("Votes.xml");
    for (now = 1_000; now <= 12_000; now += 1_000) progress.update(counts);
    expect(out).toEqual([
      "Votes.xml: 1,500 rows read, 1,400 written, 90 skipped, 10 malformed in 5.0 s (300 rows/s)\n",
      "Votes.xml: 1,500 rows read, 1,400 written, 90 skipped, 10 malformed in 10.0 s (150 rows/s)\n",
    ]);
  });
});

import { randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { drizzle } from "drizzle-orm/postgres-js";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { MIGRATIONS_FOLDER, runMigrations } from "#db/migrate.ts";

/**
 * Migration 0008 (the social layer) on databases made by the previous release: the demo seed
 * with beer.stackexchange.com imported, and a generated company (tests/fixtures/README.md,
 * scripts/make-migration-fixture.ts). Each is loaded into a database migrated to 0007, its facts
 * are read in the old shape, 0008 runs, and the same facts are read back through the new shape.
 */

type Rows = Record<string, unknown>[];
type Fixture = { release: string; migrations: Array<{ hash: string }>; databases: Record<string, Record<string, Rows>> };

const FIXTURE = path.join(import.meta.dirname, "../fixtures/release-0007.json.gz");
const OLD_MIGRATIONS = 8;
const fixture = JSON.parse(gunzipSync(await readFile(FIXTURE)).toString("utf8")) as Fixture;

const serverUrl = inject("postgresUrl");
const urlOf = (name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};
const open = (url: string) => postgres(url, { max: 1, onnotice: () => {} });
const prefix = `m_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const created: string[] = [];
let release0007 = "";

/** A migrations folder holding only the first `count` migrations of this release's. */
async function migrationsUpTo(count: number): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), `commons-${String(count - 1).padStart(4, "0")}-`));
  const journal = JSON.parse(await readFile(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.slice(0, count);
  await mkdir(path.join(folder, "meta"));
  await writeFile(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const { tag } of journal.entries) await cp(path.join(MIGRATIONS_FOLDER, `${tag}.sql`), path.join(folder, `${tag}.sql`));
  return folder;
}

/** 0000–0008: what the tests below migrate to, so that later migrations don't blur what 0008 did. */
let upTo0008 = "";

/** An empty database with the previous release's migrations (0000–0007) applied, as a template. */
beforeAll(async () => {
  const folder = await migrationsUpTo(OLD_MIGRATIONS);
  upTo0008 = await migrationsUpTo(OLD_MIGRATIONS + 1);
  try {
    // The fixture was made by exactly these migrations.
    expect(readMigrationFiles({ migrationsFolder: folder }).map((m) => m.hash)).toEqual(fixture.migrations.map((m) => m.hash));

    release0007 = `${prefix}_0007`;
    const admin = open(serverUrl);
    await admin.unsafe(`create database ${release0007}`);
    created.push(release0007);
    await admin.end();
    const sql = open(urlOf(release0007));
    await migrate(drizzle({ client: sql }), { migrationsFolder: folder });
    await sql.end();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

afterAll(async () => {
  if (upTo0008) await rm(upTo0008, { recursive: true, force: true });
  const admin = open(serverUrl);
  for (const name of created.reverse()) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

/** Every table's rows, as they were, with FK checks and triggers off; identity sequences after the highest id. */
async function load(sql: postgres.Sql, tables: Record<string, Rows>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    for (const [table, rows] of Object.entries(tables)) {
      if (rows.length === 0) continue;
      await tx.unsafe(`insert into "${table}" overriding system value select * from json_populate_recordset(null::"${table}", $1::text::json)`, [JSON.stringify(rows)]);
    }
    const identities = await tx<{ table: string; column: string }[]>`
      select table_name as table, column_name as column from information_schema.columns where table_schema = 'public' and is_identity = 'YES'`;
    for (const { table, column } of identities) {
      await tx.unsafe(`select setval(pg_get_serial_sequence('"${table}"', '${column}'), coalesce((select max("${column}") from "${table}"), 0) + 1, false)`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Facts: the same rows read in the old shape and in the new one, as JSON texts that must match.
// A post or idea is named by its own id ("post:12", "idea:3"), which the migration keeps.

const REF = `ref as (select item_id, 'post:' || id as ref from posts union all select item_id, 'idea:' || id from ideas)`;
const IDEA_COMMENT = (c: string) => `'idea comment:' || ${c}.author_id || ':' || ${c}.created_at || ':' || md5(${c}.body)`;

const FACTS: Record<string, { before: string; after: string }> = {
  comments: {
    before: `
      select 'post:' || post_id as on, id as qa_id, author_id, space_id, body, body_html, deleted_at, deleted_by_id, submission_key, import_key, created_at, updated_at from comments
      union all
      select 'idea:' || idea_id, null, author_id, space_id, body, body_html, deleted_at, null, submission_key, null, created_at, created_at from idea_comments`,
    after: `
      with ${REF} select r.ref as on, case when r.ref like 'post:%' then c.id end as qa_id, c.author_id, c.space_id, c.body, c.body_html, c.deleted_at,
        c.deleted_by_id, c.submission_key, c.import_key, c.created_at, c.updated_at
      from comments c left join ref r on r.item_id = c.item_id`,
  },
  revisions: {
    before: `
      select 'post:' || post_id as on, number, kind, editor_id, title, body, tags, '' as category, comment, rolled_back_to, redacted_at, created_at from post_revisions
      union all
      select 'idea:' || idea_id, number, case when number = 1 then 'create' else 'edit' end::revision_kind, editor_id, title, body, tags, category, comment, null, redacted_at, created_at
      from idea_revisions`,
    after: `
      with ${REF} select r.ref as on, v.number, v.kind, v.editor_id, v.title, v.body, v.tags, v.category, v.comment, v.rolled_back_to, v.redacted_at, v.created_at
      from revisions v left join ref r on r.item_id = v.item_id`,
  },
  revision_redactions: {
    before: `
      select x.id, coalesce('post:' || p.post_id, 'idea:' || d.idea_id) as on, coalesce(p.number, d.number) as number,
        x.original_title, x.original_body, x.original_comment, x.reason, x.redacted_by_id, x.created_at
      from revision_redactions x
        left join post_revisions p on x.revision_kind = 'post' and p.id = x.revision_id
        left join idea_revisions d on x.revision_kind = 'idea' and d.id = x.revision_id`,
    after: `
      with ${REF} select x.id, r.ref as on, v.number, x.original_title, x.original_body, x.original_comment, x.reason, x.redacted_by_id, x.created_at
      from revision_redactions x left join revisions v on v.id = x.revision_id left join ref r on r.item_id = v.item_id`,
  },
  follows: {
    before: `
      select 'post:' || post_id as on, null::int as tag_id, user_id, created_at from question_follows
      union all select 'idea:' || idea_id, null, user_id, created_at from idea_follows
      union all select null, tag_id, user_id, created_at from tag_follows`,
    after: `with ${REF} select r.ref as on, f.tag_id, f.user_id, f.created_at from follows f left join ref r on r.item_id = f.item_id`,
  },
  votes: {
    before: `
      select 'post:' || post_id as on, user_id, value, author_event_id, voter_event_id, created_at, updated_at from post_votes
      union all
      select 'idea:' || idea_id, user_id, 1, null, null, created_at, created_at from idea_votes`,
    after: `with ${REF} select r.ref as on, v.user_id, v.value, v.author_event_id, v.voter_event_id, v.created_at, v.updated_at from votes v left join ref r on r.item_id = v.item_id`,
  },
  flags: {
    before: `
      select id, 'post:' || post_id as on, comment_id, space_id, reporter_id, reason, details, status, handled_by_id, handled_at, resolution, created_at from flags`,
    after: `
      with ${REF} select f.id, r.ref as on, f.comment_id, f.space_id, f.reporter_id, f.reason, f.details, f.status, f.handled_by_id, f.handled_at, f.resolution, f.created_at
      from flags f left join ref r on r.item_id = f.item_id`,
  },
  notifications: {
    before: `
      select n.id, n.user_id, n.kind, n.actor_id, n.space_id, coalesce('post:' || n.question_id, 'idea:' || n.idea_id) as on,
        case when n.post_id is distinct from n.question_id then 'post:' || n.post_id end as about,
        coalesce('comment:' || n.comment_id, (select ${IDEA_COMMENT("c")} from idea_comments c where c.id = n.idea_comment_id)) as comment,
        n.read_at, n.created_at
      from notifications n`,
    after: `
      with ${REF} select n.id, n.user_id, n.kind, n.actor_id, n.space_id, r.ref as on, s.ref as about,
        case when c.id is null then null when cr.ref like 'post:%' then 'comment:' || c.id else ${IDEA_COMMENT("c")} end as comment,
        n.read_at, n.created_at
      from notifications n left join ref r on r.item_id = n.item_id left join ref s on s.item_id = n.subject_item_id
        left join comments c on c.id = n.comment_id left join ref cr on cr.item_id = c.item_id`,
  },
  reputation_events: {
    before: `
      select id, user_id, delta, reason, actor_id, coalesce('post:' || post_id, 'idea:' || idea_id) as on, space_id, tag_ids, reverses_event_id, created_at
      from reputation_events`,
    after: `
      with ${REF} select e.id, e.user_id, e.delta, e.reason, e.actor_id, r.ref as on, e.space_id, e.tag_ids, e.reverses_event_id, e.created_at
      from reputation_events e left join ref r on r.item_id = e.item_id`,
  },
};

/** Tables whose rows 0008 rewrites (checked through FACTS); every other table it keeps must come out the same. */
const REWRITTEN = new Set(["comments", "flags", "notifications", "reputation_events", "revision_redactions"]);

async function facts(sql: postgres.Sql, query: string): Promise<string[]> {
  const rows = await sql.unsafe<{ r: string }[]>(`select row_to_json(x)::text as r from (${query}) x`);
  return rows.map((row) => row.r).sort();
}

/** The rows of `table` without the columns `drop`, as sorted JSON texts, hashed. */
async function tableHash(sql: postgres.Sql, table: string, drop: string[]): Promise<{ rows: number; hash: string }> {
  const [row] = await sql.unsafe<{ rows: number; hash: string }[]>(
    `select count(*)::int as rows, md5(coalesce(string_agg(j, E'\\n' order by j), '')) as hash
     from (select (to_jsonb(t) - $1::text[])::text as j from "${table}" t) x`,
    [drop],
  );
  return row!;
}

async function columns(sql: postgres.Sql): Promise<Map<string, string[]>> {
  const rows = await sql<{ table: string; columns: string[] }[]>`
    select table_name as table, array_agg(column_name::text order by column_name) as columns
    from information_schema.columns where table_schema = 'public' group by table_name`;
  return new Map(rows.map((r) => [r.table, r.columns]));
}

/** Differences between two sorted lists of JSON texts, a few of each side, for a readable failure. */
function difference(before: string[], after: string[]) {
  const count = (list: string[]) => list.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const a = count(before);
  const b = count(after);
  const only = (x: Map<string, number>, y: Map<string, number>) =>
    [...x]
      .filter(([k, n]) => (y.get(k) ?? 0) < n)
      .map(([k]) => k)
      .slice(0, 3);
  return { rows: [before.length, after.length], onlyBefore: only(a, b), onlyAfter: only(b, a) };
}

const COUNTS = `select
  (select count(*) from posts)::int as posts,
  (select count(*) from ideas)::int as ideas,
  (select count(*) from comments)::int + (select count(*) from idea_comments)::int as comments,
  (select count(*) from post_revisions)::int + (select count(*) from idea_revisions)::int as revisions,
  (select count(*) from question_follows)::int + (select count(*) from idea_follows)::int + (select count(*) from tag_follows)::int as follows,
  (select count(*) from post_votes)::int + (select count(*) from idea_votes)::int as votes,
  (select count(*) from flags)::int as flags,
  (select count(*) from notifications)::int as notifications,
  (select count(*) from reputation_events)::int as reputation_events,
  (select count(*) from revision_redactions)::int as revision_redactions`;
const COUNTS_AFTER = `select
  (select count(*) from posts)::int as posts,
  (select count(*) from ideas)::int as ideas,
  (select count(*) from comments)::int as comments,
  (select count(*) from revisions)::int as revisions,
  (select count(*) from follows)::int as follows,
  (select count(*) from votes)::int as votes,
  (select count(*) from flags)::int as flags,
  (select count(*) from notifications)::int as notifications,
  (select count(*) from reputation_events)::int as reputation_events,
  (select count(*) from revision_redactions)::int as revision_redactions`;

// ---------------------------------------------------------------------------------------------
// Samples: a few particular rows, read before and looked up after through the new references.

const SAMPLES = {
  answerComment: `select c.id, c.post_id, c.body from comments c join posts p on p.id = c.post_id where p.type = 'answer' order by c.id limit 1`,
  ideaComment: `
    select c.idea_id, c.body, n.id as notification_id from idea_comments c join notifications n on n.idea_comment_id = c.id order by c.id, n.id limit 1`,
  postEdit: `select post_id, number, body, comment from post_revisions where number > 1 and comment <> '' order by id limit 1`,
  ideaEdit: `select idea_id, number, category from idea_revisions where number > 1 order by id limit 1`,
  redactions: `
    select x.id, x.revision_kind, x.original_body, coalesce(p.post_id, d.idea_id) as owner_id, coalesce(p.number, d.number) as number
    from revision_redactions x left join post_revisions p on x.revision_kind = 'post' and p.id = x.revision_id
      left join idea_revisions d on x.revision_kind = 'idea' and d.id = x.revision_id order by x.id`,
  downvote: `select post_id, user_id, value, author_event_id, voter_event_id from post_votes where value = -1 order by post_id, user_id limit 1`,
  ideaVote: `select idea_id, user_id from idea_votes order by idea_id, user_id limit 1`,
  answerNotification: `select id, user_id, kind, question_id, post_id from notifications where kind = 'answer' and post_id <> question_id order by id limit 1`,
  postEvent: `select id, post_id from reputation_events where post_id is not null order by id limit 1`,
  ideaEvent: `select id, idea_id from reputation_events where idea_id is not null order by id limit 1`,
  postFlag: `select id, post_id from flags where post_id is not null order by id limit 1`,
  commentFlag: `select id, comment_id from flags where comment_id is not null order by id limit 1`,
  tagFollow: `select user_id, tag_id from tag_follows order by user_id, tag_id limit 1`,
};
type Sample = Record<string, unknown>;

describe.each(Object.keys(fixture.databases))("migration 0008 on the previous release's %s database", (name) => {
  const tables = fixture.databases[name]!;
  let sql: postgres.Sql;
  let countsBefore: Record<string, number>;
  let factsBefore: Record<string, string[]>;
  let columnsBefore: Map<string, string[]>;
  let hashesBefore: Map<string, { rows: number; hash: string }>;
  let samples: Record<keyof typeof SAMPLES, Sample[]>;
  let missingKinds: string[];

  beforeAll(async () => {
    const db = `${prefix}_${name}`;
    const admin = open(serverUrl);
    await admin.unsafe(`create database ${db} template ${release0007}`);
    created.push(db);
    await admin.end();
    const url = urlOf(db);
    sql = open(url);
    await load(sql, tables);

    [countsBefore] = (await sql.unsafe(COUNTS)) as unknown as [Record<string, number>];
    factsBefore = {};
    for (const [key, { before }] of Object.entries(FACTS)) factsBefore[key] = await facts(sql, before);
    columnsBefore = await columns(sql);
    hashesBefore = new Map();
    for (const table of columnsBefore.keys()) if (!REWRITTEN.has(table)) hashesBefore.set(table, await tableHash(sql, table, []));
    samples = {} as typeof samples;
    for (const [key, query] of Object.entries(SAMPLES)) samples[key as keyof typeof SAMPLES] = (await sql.unsafe(query)) as unknown as Sample[];
    const [kinds] = await sql<{ missing: string[] }[]>`
      select coalesce(array_agg(k::text), '{}') as missing from unnest(enum_range(null::notification_kind)) k
      where not exists (select 1 from notifications n where n.kind = k)`;
    missingKinds = kinds!.missing;

    // Exactly 0008 on top; the last test applies the migrations after it.
    await migrate(drizzle({ client: sql }), { migrationsFolder: upTo0008 });
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
  });

  test("the fixture holds every shape the migration moves", () => {
    for (const key of Object.keys(SAMPLES) as Array<keyof typeof SAMPLES>) expect(samples[key].length, key).toBeGreaterThan(0);
    expect(new Set(samples.redactions.map((r) => r.revision_kind))).toEqual(new Set(["post", "idea"]));
    expect(Object.entries(countsBefore).filter(([, n]) => n === 0)).toEqual([]);
    expect(missingKinds, "notification kinds with no row").toEqual([]);
  });

  test("counts are the same before and after", async () => {
    const [after] = (await sql.unsafe(COUNTS_AFTER)) as unknown as [Record<string, number>];
    expect(after).toEqual(countsBefore);
  });

  test("every post and idea owns a distinct item of its kind and space", async () => {
    const [row] = await sql<Record<string, number>[]>`select
      (select count(*) from items)::int as items,
      (select count(*) from posts)::int + (select count(*) from ideas)::int as content,
      (select count(*) from posts p join items i on i.id = p.item_id
        where i.kind::text = p.type::text and i.space_id = p.space_id and i.created_at = p.created_at)::int as posts_matching,
      (select count(*) from posts)::int as posts,
      (select count(*) from ideas d join items i on i.id = d.item_id
        where i.kind = 'idea' and i.space_id = d.space_id and i.created_at = d.created_at)::int as ideas_matching,
      (select count(*) from ideas)::int as ideas,
      (select count(*) from posts p join ideas d on d.item_id = p.item_id)::int as shared,
      (select count(distinct item_id) from posts)::int as distinct_post_items,
      (select count(distinct item_id) from ideas)::int as distinct_idea_items`;
    expect(row!.items).toBe(row!.content);
    expect(row!.posts_matching).toBe(row!.posts);
    expect(row!.ideas_matching).toBe(row!.ideas);
    expect(row!.distinct_post_items).toBe(row!.posts);
    expect(row!.distinct_idea_items).toBe(row!.ideas);
    expect(row!.shared).toBe(0);
  });

  test.each(Object.keys(FACTS))("every row of %s carries over to the new shape", async (key) => {
    const after = await facts(sql, FACTS[key]!.after);
    const before = factsBefore[key]!;
    if (after.length !== before.length || after.some((x, i) => x !== before[i]))
      expect(difference(before, after)).toEqual({ rows: [before.length, before.length], onlyBefore: [], onlyAfter: [] });
  });

  test("every other table comes out unchanged (but for the new item_id)", async () => {
    const after = await columns(sql);
    for (const [table, cols] of columnsBefore) {
      const now = after.get(table);
      if (!now || REWRITTEN.has(table)) continue;
      const added = now.filter((c) => !cols.includes(c));
      expect(added, table).toEqual(table === "posts" || table === "ideas" ? ["item_id"] : []);
      expect(
        now.filter((c) => !added.includes(c)),
        table,
      ).toEqual(cols);
      expect(await tableHash(sql, table, added), table).toEqual(hashesBefore.get(table));
    }
  });

  test("samples map to the same facts through items", async () => {
    const item = async (table: "posts" | "ideas", id: unknown) => (await sql.unsafe<{ item_id: number }[]>(`select item_id from ${table} where id = $1`, [id as number]))[0]!.item_id;

    const c = samples.answerComment[0]!;
    const [comment] = await sql`select item_id, body from comments where id = ${c.id as number}`;
    expect(comment).toEqual({ item_id: await item("posts", c.post_id), body: c.body });

    const ic = samples.ideaComment[0]!;
    const [viaNotification] = await sql`
      select c.item_id, c.body, n.item_id as notification_item from notifications n join comments c on c.id = n.comment_id where n.id = ${ic.notification_id as number}`;
    const ideaItem = await item("ideas", ic.idea_id);
    expect(viaNotification).toEqual({ item_id: ideaItem, body: ic.body, notification_item: ideaItem });

    const pe = samples.postEdit[0]!;
    const [postRevision] = await sql`select body, comment from revisions where item_id = ${await item("posts", pe.post_id)} and number = ${pe.number as number}`;
    expect(postRevision).toEqual({ body: pe.body, comment: pe.comment });

    const ie = samples.ideaEdit[0]!;
    const [ideaRevision] = await sql`select category, kind from revisions where item_id = ${await item("ideas", ie.idea_id)} and number = ${ie.number as number}`;
    expect(ideaRevision).toEqual({ category: ie.category, kind: "edit" });

    for (const x of samples.redactions) {
      const [redaction] = await sql`
        select x.original_body, r.item_id, r.number, r.body like 'Redacted by a moderator:%' as redacted
        from revision_redactions x join revisions r on r.id = x.revision_id where x.id = ${x.id as number}`;
      const owner = await item(x.revision_kind === "post" ? "posts" : "ideas", x.owner_id);
      expect(redaction, `${x.revision_kind} redaction`).toEqual({ original_body: x.original_body, item_id: owner, number: x.number, redacted: true });
    }

    const dv = samples.downvote[0]!;
    const [downvote] = await sql`
      select value, author_event_id, voter_event_id from votes where item_id = ${await item("posts", dv.post_id)} and user_id = ${dv.user_id as number}`;
    expect(downvote).toEqual({ value: -1, author_event_id: dv.author_event_id, voter_event_id: dv.voter_event_id });

    const iv = samples.ideaVote[0]!;
    const [ideaVote] = await sql`select value, author_event_id from votes where item_id = ${await item("ideas", iv.idea_id)} and user_id = ${iv.user_id as number}`;
    expect(ideaVote).toEqual({ value: 1, author_event_id: null });

    const an = samples.answerNotification[0]!;
    const [notification] = await sql`select user_id, kind, item_id, subject_item_id from notifications where id = ${an.id as number}`;
    expect(notification).toEqual({ user_id: an.user_id, kind: "answer", item_id: await item("posts", an.question_id), subject_item_id: await item("posts", an.post_id) });

    const [postEvent] = await sql`select item_id from reputation_events where id = ${samples.postEvent[0]!.id as number}`;
    expect(postEvent!.item_id).toBe(await item("posts", samples.postEvent[0]!.post_id));
    const [ideaEvent] = await sql`select item_id from reputation_events where id = ${samples.ideaEvent[0]!.id as number}`;
    expect(ideaEvent!.item_id).toBe(await item("ideas", samples.ideaEvent[0]!.idea_id));

    const [postFlag] = await sql`select item_id, comment_id from flags where id = ${samples.postFlag[0]!.id as number}`;
    expect(postFlag).toEqual({ item_id: await item("posts", samples.postFlag[0]!.post_id), comment_id: null });
    const [commentFlag] = await sql`select item_id, comment_id from flags where id = ${samples.commentFlag[0]!.id as number}`;
    expect(commentFlag).toEqual({ item_id: null, comment_id: samples.commentFlag[0]!.comment_id });

    const tf = samples.tagFollow[0]!;
    const [tagFollow] = await sql`select item_id from follows where user_id = ${tf.user_id as number} and tag_id = ${tf.tag_id as number}`;
    expect(tagFollow).toEqual({ item_id: null });
  });

  // Found with this fixture: an item made before PostgreSQL sees the conflict would outlive a
  // duplicate submit (ON CONFLICT DO NOTHING) or a re-import (DO UPDATE); the item is made after the insert.
  test("an insert that ends in ON CONFLICT leaves no item behind", async () => {
    const [space] = await sql<{ id: number }[]>`select id from spaces order by id limit 1`;
    const [author] = await sql<{ id: number }[]>`select id from users where kind = 'employee' order by id limit 1`;
    const insert = () => sql<{ id: number; item_id: number }[]>`
      insert into posts (type, space_id, author_id, title, body, body_html, submission_key)
      values ('question', ${space!.id}, ${author!.id}, 'Twice', 'Submitted twice.', '<p>Submitted twice.</p>', 'conflict-key')
      on conflict (author_id, submission_key) do nothing returning id, item_id`;
    const itemCount = async () => Number((await sql`select count(*)::int as n from items`)[0]!.n);
    const itemsBefore = await itemCount();
    const [first] = await insert();
    expect(await insert()).toEqual([]);
    expect(await itemCount()).toBe(itemsBefore + 1);
    expect((await sql`select kind from items where id = ${first!.item_id}`)[0]).toEqual({ kind: "question" });

    const upsert = () => sql`
      insert into posts (type, space_id, author_id, title, body, body_html, import_key)
      values ('question', ${space!.id}, ${author!.id}, 'Imported', 'Imported.', '<p>Imported.</p>', 'example.com/posts/1')
      on conflict (import_key) do update set body = excluded.body`;
    await upsert();
    await upsert();
    expect(await itemCount()).toBe(itemsBefore + 2);
    expect(await sql`select p.id from posts p left join items i on i.id = p.item_id where i.id is null`).toEqual([]);
    expect(await sql`select i.id from items i where not exists (select 1 from posts where item_id = i.id) and not exists (select 1 from ideas where item_id = i.id)`).toEqual([]);
  });

  test("the triggers keep items with their content", async () => {
    const [space, other] = await sql<{ id: number }[]>`select space_id as id from items group by space_id order by count(*) desc, space_id limit 2`;
    const [author] = await sql<{ id: number }[]>`select id from users where kind = 'employee' order by id limit 1`;

    // A question and an answer inserted without an item get one of their kind in their space.
    const [question] = await sql<{ id: number; item_id: number }[]>`
      insert into posts (type, space_id, author_id, title, body, body_html) values ('question', ${space!.id}, ${author!.id}, 'After 0008', 'A body.', '<p>A body.</p>')
      returning id, item_id`;
    const [answer] = await sql<{ id: number; item_id: number }[]>`
      insert into posts (type, space_id, parent_id, author_id, body, body_html) values ('answer', ${space!.id}, ${question!.id}, ${author!.id}, 'An answer.', '<p>An answer.</p>')
      returning id, item_id`;
    expect(await sql`select kind, space_id from items where id in ${sql([question!.item_id, answer!.item_id])} order by id`).toEqual([
      { kind: "question", space_id: space!.id },
      { kind: "answer", space_id: space!.id },
    ]);

    // Moving a post to another space takes its item along.
    await sql`update posts set space_id = ${other!.id} where id = ${question!.id}`;
    expect(await sql`select space_id from items where id = ${question!.item_id}`).toEqual([{ space_id: other!.id }]);

    // Deleting a post deletes its item (the answer goes with its question, and its item too).
    await sql`delete from posts where id = ${question!.id}`;
    expect(await sql`select id from items where id in ${sql([question!.item_id, answer!.item_id])}`).toEqual([]);

    // Deleting an idea deletes its item, and so its comments, votes and follows.
    const [idea] = await sql<{ id: number; item_id: number }[]>`
      select d.id, d.item_id from ideas d
      where exists (select 1 from comments c where c.item_id = d.item_id) and exists (select 1 from votes v where v.item_id = d.item_id)
        and exists (select 1 from follows f where f.item_id = d.item_id) and not exists (select 1 from ideas m where m.merged_into_id = d.id)
      order by d.id limit 1`;
    expect(idea).toBeDefined();
    await sql`delete from ideas where id = ${idea!.id}`;
    expect(
      await sql`select (select count(*) from items where id = ${idea!.item_id})::int as items,
        (select count(*) from comments where item_id = ${idea!.item_id})::int as comments,
        (select count(*) from votes where item_id = ${idea!.item_id})::int as votes,
        (select count(*) from follows where item_id = ${idea!.item_id})::int as follows,
        (select count(*) from notifications where item_id = ${idea!.item_id})::int as notifications`,
    ).toEqual([{ items: 0, comments: 0, votes: 0, follows: 0, notifications: 0 }]);

    // Deleting a space deletes its items, with its posts and ideas.
    await sql`delete from spaces where id = ${space!.id}`;
    expect(
      await sql`select (select count(*) from items where space_id = ${space!.id})::int as items,
        (select count(*) from items)::int - (select count(*) from posts)::int - (select count(*) from ideas)::int as orphans`,
    ).toEqual([{ items: 0, orphans: 0 }]);
  });

  test("the migrations after 0008 apply on top", async () => {
    await runMigrations(urlOf(`${prefix}_${name}`));
    const [row] =
      await sql`select count(*)::int as pending from items i where not exists (select 1 from posts where item_id = i.id) and not exists (select 1 from ideas where item_id = i.id)`;
    expect(row).toEqual({ pending: 0 });
    // 0009 copies posts' soft deletes onto their items.
    const [deleted] = await sql`select
      (select count(*) from posts where deleted_at is not null)::int as posts,
      (select count(*) from posts p join items i on i.id = p.item_id where i.deleted_at is not distinct from p.deleted_at and p.deleted_at is not null)::int as items`;
    expect(deleted!.items).toBe(deleted!.posts);
  });
});

/**
 * Builds tests/fixtures/release-0007.json.gz: databases made by the PREVIOUS release (migrations
 * 0000–0007, before the social layer of 0008), for tests/integration/migration-0008.test.ts.
 * Not part of `npm test`: the fixture is committed, and the test only reads it.
 *
 * To rebuild it, from this checkout:
 *
 *   git worktree add ../commons-0007 15610ad          # the previous release: db/migrations ends at 0007
 *   ln -s "$PWD/node_modules" ../commons-0007/node_modules
 *   npx tsx scripts/make-migration-fixture.ts ../commons-0007
 *   git worktree remove ../commons-0007
 *
 * Arguments: <old checkout> [<Stack Exchange dump folder>, default the old checkout's
 * tests/fixtures/stackexchange-beer] [<output file>, default tests/fixtures/release-0007.json.gz].
 *
 * Everything that writes rows is the OLD code, loaded from the old checkout: its embedded
 * PostgreSQL launcher, its migrations, the demo seed (db/seed.ts), the company generator
 * (db/generate) and the Stack Exchange importer. Two databases, because the demo seed and the
 * generator both create the spaces "engineering", "ask-support"… and the generator only writes
 * into an empty database:
 *
 *   demo:    the demo seed, then beer.stackexchange.com imported into a space of its own, then a
 *            few rows of the rarer shapes the seed does not make (flags, redactions, …; see
 *            addRareRows), written with plain SQL against the old schema;
 *   company: `data:generate --questions 150 --seed 7` (the generator's function), then the same
 *            rare rows.
 *
 * Each database is dumped without pg_dump: every table of the public schema as a JSON array of
 * its rows (`json_agg`), in primary-key order. Search is not involved: the seed and the importer
 * only leave outbox rows, which are kept.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import postgres from "postgres";

type OldModule = Record<string, (...args: never[]) => unknown>;
type OldDb = { close: () => Promise<void> };

const [oldRoot, dumpArg, outArg] = process.argv.slice(2);
if (!oldRoot) {
  console.error("usage: npx tsx scripts/make-migration-fixture.ts <old checkout> [<stackexchange dump folder>] [<output file>]");
  process.exit(2);
}
const old = path.resolve(oldRoot);
const dumpFolder = path.resolve(dumpArg ?? path.join(old, "tests/fixtures/stackexchange-beer"));
const outFile = path.resolve(outArg ?? path.join(import.meta.dirname, "../tests/fixtures/release-0007.json.gz"));
const journal = JSON.parse(await readFile(path.join(old, "db/migrations/meta/_journal.json"), "utf8")) as { entries: Array<{ tag: string }> };
if (journal.entries.at(-1)?.tag !== "0007_trust") {
  console.error(`${old} is not the previous release: its last migration is ${journal.entries.at(-1)?.tag}, not 0007_trust`);
  process.exit(2);
}

/** A module of the old checkout (its `#app/*` imports resolve against its own package.json). */
async function load(relative: string): Promise<OldModule> {
  return (await import(pathToFileURL(path.join(old, relative)).href)) as OldModule;
}

const log = (line: string) => console.error(line);

const embedded = await load("db/embedded.ts");
const migrate = await load("db/migrate.ts");
const client = await load("db/client.server.ts");
const seed = await load("db/seed.ts");
const generate = await load("db/generate/index.ts");
const importer = await load("import/stackexchange/importer.ts");

const dataDir = await mkdtemp(path.join(os.tmpdir(), "commons-fixture-"));
const pg = await (embedded.startEmbeddedPostgres as (o: unknown) => Promise<{ url: (db: string) => string; stop: () => Promise<void> }>)({ dataDir, log });
const createDb = client.createDb as (url: string, o: { max: number }) => OldDb;

async function fresh(name: string): Promise<string> {
  const url = pg.url(name);
  await (migrate.ensureDatabase as (u: string) => Promise<void>)(url);
  await (migrate.runMigrations as (u: string) => Promise<void>)(url);
  return url;
}

try {
  const databases: Record<string, Record<string, unknown[]>> = {};

  // The demo company and an imported Stack Exchange site.
  const demoUrl = await fresh("demo");
  {
    const db = createDb(demoUrl, { max: 3 });
    try {
      const result = await (seed.seedDemo as (db: OldDb) => Promise<unknown>)(db);
      log(`demo seed: ${JSON.stringify(result)}`);
      const sql = postgres(demoUrl, { max: 1, onnotice: () => {} });
      await sql`insert into spaces (slug, name, description) values ('beer', 'Beer', 'Imported from beer.stackexchange.com.')`;
      await sql.end();
      const imported = await (importer.importStackExchange as (db: OldDb, o: unknown) => Promise<{ counts: unknown; problemCount: number }>)(db, {
        folder: dumpFolder,
        space: "beer",
        source: "beer.stackexchange.com",
        output: null,
      });
      log(`import: ${JSON.stringify(imported.counts)}, ${imported.problemCount} problems`);
    } finally {
      await db.close();
    }
    await addRareRows(demoUrl);
    databases.demo = await dump(demoUrl);
  }

  // A generated company.
  const companyUrl = await fresh("company");
  {
    const result = await (generate.generateCompany as (url: string, o: unknown) => Promise<unknown>)(companyUrl, { questions: 150, seed: 7, log });
    log(`generate: ${JSON.stringify(result)}`);
    await addRareRows(companyUrl);
    databases.company = await dump(companyUrl);
  }

  const sql = postgres(pg.url("demo"), { max: 1, onnotice: () => {} });
  const migrations = await sql<{ hash: string; created_at: string }[]>`select hash, created_at::text from drizzle.__drizzle_migrations order by id`;
  await sql.end();

  const json = JSON.stringify({ release: "0007", migrations, databases });
  const gz = gzipSync(json, { level: 9 });
  await writeFile(outFile, gz);
  for (const [name, tables] of Object.entries(databases)) {
    log(
      `${name}: ${Object.entries(tables)
        .filter(([, rows]) => rows.length > 0)
        .map(([t, rows]) => `${t} ${rows.length}`)
        .join(", ")}`,
    );
  }
  log(`wrote ${path.relative(process.cwd(), outFile)}: ${(json.length / 1e6).toFixed(1)} MB of JSON, ${(gz.length / 1e6).toFixed(2)} MB gzipped`);
} finally {
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** Every table of the public schema, its rows in primary-key order. */
async function dump(url: string): Promise<Record<string, unknown[]>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string; key: string | null }[]>`
      select c.relname as name,
        (select string_agg(quote_ident(a.attname), ', ' order by k.ord)
           from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
          where i.indrelid = c.oid and i.indisprimary) as key
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' order by c.relname`;
    const out: Record<string, unknown[]> = {};
    for (const { name, key } of tables) {
      const order = key
        ? key
            .split(", ")
            .map((k) => `t.${k}`)
            .join(", ")
        : "t::text";
      const [row] = await sql.unsafe<{ rows: unknown[] }[]>(`select coalesce(json_agg(t order by ${order}), '[]') as rows from "${name}" t`);
      out[name] = row!.rows;
    }
    return out;
  } finally {
    await sql.end();
  }
}

/**
 * Rows of the shapes the migration moves that the seed, the generator or the importer do not
 * make (or not in every database), written as the old features would have written them: an
 * edited idea, a redacted revision of each kind, flags on a post and on a comment, a deleted
 * idea comment, and a notification of every kind. Then the counts of every such shape, for the
 * log: none of them may be 0.
 */
async function addRareRows(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const [admin] = await tx<{ id: number }[]>`select id from users where role = 'admin' and kind = 'employee' order by id limit 1`;
      // An idea edited once (a new category and a longer description), its first version then redacted.
      const [idea] = await tx<{ id: number; categories: string[]; category: string; author_id: number }[]>`
        select d.id, c.categories, d.category, d.author_id from ideas d join campaigns c on c.id = d.campaign_id
        where d.status <> 'merged' and d.revision_count = 1 and cardinality(c.categories) > 1
          and not exists (select 1 from ideas m where m.merged_into_id = d.id)
        order by d.id limit 1`;
      const category = idea!.categories.find((c) => c !== idea!.category)!;
      await tx`
        insert into idea_revisions (idea_id, number, editor_id, title, body, category, tags, comment, created_at)
        select id, 2, author_id, title, body || E'\n\nThe pilot team measured it for a month: the numbers are in the linked sheet.', ${category}, tags,
          'Added the pilot numbers', created_at + interval '2 days'
        from ideas where id = ${idea!.id}`;
      await tx`
        update ideas d set body = r.body, body_html = d.body_html || '<p>The pilot team measured it for a month: the numbers are in the linked sheet.</p>',
          category = r.category, revision_count = 2, last_edited_at = r.created_at
        from idea_revisions r where r.idea_id = d.id and r.number = 2 and d.id = ${idea!.id}`;
      await redact(tx, "idea", "idea_revisions", "idea_id", idea!.id, admin!.id);

      // A post's first revision redacted (an edited post: the current text cannot be redacted).
      const [post] = await tx<{ id: number }[]>`
        select p.id from posts p where p.revision_count > 1 and p.deleted_at is null
          and exists (select 1 from post_revisions r where r.post_id = p.id and r.number = 1 and r.body <> p.body)
        order by p.type desc, p.id limit 1`;
      await redact(tx, "post", "post_revisions", "post_id", post!.id, admin!.id);

      // Flags: a pending one on an answer, a dismissed one on a question, a pending one on a comment.
      const reporter = (author: string) => tx.unsafe(`(select id from users where kind = 'employee' and deactivated_at is null and id <> ${author} order by id limit 1)`);
      await tx`
        insert into flags (post_id, space_id, reporter_id, reason, details, created_at)
        select p.id, p.space_id, ${reporter("p.author_id")}, 'spam', 'Looks like an advert for a vendor.', p.created_at + interval '1 day'
        from posts p where p.type = 'answer' and p.deleted_at is null order by p.id limit 1`;
      await tx`
        insert into flags (post_id, space_id, reporter_id, reason, details, status, handled_by_id, handled_at, resolution, created_at)
        select p.id, p.space_id, ${reporter("p.author_id")}, 'needs_moderator', 'This is answered in the handbook; can it be closed?', 'dismissed',
          ${admin!.id}, p.created_at + interval '3 days', 'Still useful here.', p.created_at + interval '2 days'
        from posts p where p.type = 'question' and p.deleted_at is null order by p.id limit 1`;
      await tx`
        insert into flags (comment_id, space_id, reporter_id, reason, details, created_at)
        select c.id, c.space_id, ${reporter("c.author_id")}, 'rude', '', c.created_at + interval '1 hour'
        from comments c where c.deleted_at is null order by c.id limit 1`;

      // A removed idea comment (idea comments have no deleted_by).
      await tx`
        update idea_comments set deleted_at = created_at + interval '1 hour'
        where id = (select c.id from idea_comments c where c.deleted_at is null
          and not exists (select 1 from notifications n where n.idea_comment_id = c.id) order by c.id desc limit 1)`;

      // A notification of every kind (the generator makes only answer, comment and accept).
      const has = async (kind: string) => (await tx`select 1 from notifications where kind = ${kind} limit 1`).length > 0;
      if (!(await has("mention"))) {
        await tx`
          insert into notifications (user_id, kind, actor_id, space_id, question_id, post_id, comment_id, created_at)
          select q.author_id, 'mention', c.author_id, c.space_id, q.id, p.id, c.id, c.created_at
          from comments c join posts p on p.id = c.post_id join posts q on q.id = coalesce(p.parent_id, p.id)
          where c.author_id <> q.author_id and p.type = 'answer' order by c.id limit 1`;
      }
      if (!(await has("tag_question"))) {
        await tx`
          insert into notifications (user_id, kind, actor_id, space_id, question_id, created_at)
          select f.user_id, 'tag_question', q.author_id, q.space_id, q.id, q.created_at
          from tag_follows f join tags t on t.id = f.tag_id join posts q on q.type = 'question' and t.name = any(q.tags) and q.author_id <> f.user_id
          order by q.id, f.user_id limit 2`;
      }
      if (!(await has("idea_comment"))) {
        await tx`
          insert into notifications (user_id, kind, actor_id, space_id, idea_id, idea_comment_id, created_at)
          select d.author_id, 'idea_comment', c.author_id, c.space_id, d.id, c.id, c.created_at
          from idea_comments c join ideas d on d.id = c.idea_id where c.author_id <> d.author_id and c.deleted_at is null
          order by c.id limit 3`;
      }
      if (!(await has("idea_status"))) {
        await tx`
          insert into notifications (user_id, kind, actor_id, space_id, idea_id, created_at)
          select d.author_id, 'idea_status', e.actor_id, d.space_id, d.id, e.created_at
          from idea_events e join ideas d on d.id = e.idea_id where e.kind = 'status' and e.actor_id <> d.author_id
          order by e.id limit 3`;
      }
      if (!(await has("idea_invite"))) {
        await tx`
          insert into notifications (user_id, kind, actor_id, space_id, idea_id, created_at)
          select o.user_id, 'idea_invite', d.author_id, d.space_id, d.id, o.created_at
          from idea_owners o join ideas d on d.id = o.idea_id where o.user_id <> d.author_id
          order by d.id limit 1`;
      }
    });

    const [counts] = await sql`select
      (select count(*) from idea_comments)::int as idea_comments,
      (select count(*) from idea_comments where deleted_at is not null)::int as deleted_idea_comments,
      (select count(*) from idea_revisions)::int as idea_revisions,
      (select count(*) from idea_revisions where number > 1)::int as idea_edits,
      (select count(*) from idea_votes)::int as idea_votes,
      (select count(*) from idea_follows)::int as idea_follows,
      (select count(*) from tag_follows)::int as tag_follows,
      (select count(*) from question_follows)::int as question_follows,
      (select count(*) from flags where post_id is not null)::int as post_flags,
      (select count(*) from flags where comment_id is not null)::int as comment_flags,
      (select count(*) from revision_redactions where revision_kind = 'post')::int as post_redactions,
      (select count(*) from revision_redactions where revision_kind = 'idea')::int as idea_redactions,
      (select count(*) from notifications where post_id is not null and post_id <> question_id)::int as answer_notifications,
      (select count(*) from notifications where idea_comment_id is not null)::int as idea_comment_notifications,
      (select count(*) from reputation_events where post_id is not null)::int as post_events,
      (select count(*) from reputation_events where idea_id is not null)::int as idea_events,
      (select count(*) from post_votes where value = -1)::int as downvotes`;
    const [kinds] = await sql`select json_object_agg(k, (select count(*) from notifications n where n.kind = k)) as kinds from unnest(enum_range(null::notification_kind)) k`;
    log(`rare rows: ${JSON.stringify(counts)}; notifications: ${JSON.stringify(kinds!.kinds)}`);
    const missing = [...Object.entries(counts!), ...Object.entries(kinds!.kinds as Record<string, number>)].filter(([, n]) => n === 0).map(([k]) => k);
    if (missing.length > 0) throw new Error(`no rows of: ${missing.join(", ")}`);
  } finally {
    await sql.end();
  }
}

/** What redactPostRevision / redactIdeaRevision did: the original kept, the revision's text replaced. */
async function redact(tx: postgres.TransactionSql, kind: "post" | "idea", table: string, column: string, id: number, adminId: number): Promise<void> {
  const reason = "an API key was pasted into it";
  const [revision] = await tx.unsafe<{ id: number }[]>(
    `insert into revision_redactions (revision_kind, revision_id, original_title, original_body, original_comment, reason, redacted_by_id, created_at)
     select $1, r.id, r.title, r.body, r.comment, $2, $3, r.created_at + interval '3 days' from ${table} r where r.${column} = $4 and r.number = 1
     returning revision_id as id`,
    [kind, reason, adminId, id],
  );
  await tx.unsafe(`update ${table} set title = case when title is null then null else $1 end, body = $1, comment = '', redacted_at = created_at + interval '3 days' where id = $2`, [
    `Redacted by a moderator: ${reason}`,
    revision!.id,
  ]);
}

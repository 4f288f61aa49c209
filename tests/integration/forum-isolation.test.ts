import { sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { forumThreads } from "#db/schema/index.ts";
import { createMeiliClient, meiliErrorCode } from "#search/client.server.ts";
import { ensureForumSearchKey, FORUM_SEARCH_KEY_NAME, forumSearchKeyUid } from "#search/forum.server.ts";
import { FORUM_SEARCH_RUNTIME_KEY, type ForumSearchRuntime, INDEX_NAMES, type IndexedKind, indexName } from "#search/indexes.ts";
import { setupSearchIndexes, setupTestDb, testMeili } from "#tests/db.ts";
import { forumRoleUrl } from "#tests/forum.ts";

/**
 * The forum cannot see inside (issue 19): connected as its own PostgreSQL role, every table but
 * the published and customer-side ones answers "permission denied", and its Meilisearch key can
 * search the forum's index and do nothing else. The tables are listed from the catalog, so a table
 * added later is covered without touching this file.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("i");
const { prefix } = indexes;

/**
 * What migrations 0012 and 0013 grant the forum's role; everything else must be refused. Some grants
 * are narrower than the verb says (columns, row-level policies): the second test holds those lines.
 */
const GRANTS: Record<string, Array<"select" | "insert" | "update" | "delete">> = {
  forum_threads: ["select", "insert", "update"],
  forum_answers: ["select", "update"],
  forum_runtime: ["select"],
  forum_accounts: ["select", "insert", "update"],
  forum_comments: ["select", "insert", "update"],
  forum_sessions: ["select", "insert", "update", "delete"],
  forum_tokens: ["select", "insert", "update", "delete"],
  forum_attempts: ["select", "insert", "update", "delete"],
  forum_reactions: ["select", "insert", "update", "delete"],
  mail_outbox: ["insert"],
  // Part 2 (issue 20).
  forum_me_toos: ["select", "insert", "delete"],
  forum_flags: ["select", "insert"],
  forum_thread_views: ["select", "insert", "update"],
  share_clicks: ["select", "insert", "update"],
  live_sessions: ["select"],
  live_session_experts: ["select"],
  live_session_questions: ["select", "insert", "update"],
  live_session_votes: ["select", "insert", "delete"],
  // Only its code and target columns (checked below): never whose link it is.
  share_links: ["select"],
};

let forum: postgres.Sql;
beforeAll(async () => {
  forum = postgres(await forumRoleUrl(t), { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await forum?.end({ timeout: 5 });
});

/** "ok", or the error a statement run as the forum's role failed with. */
async function asForum(statement: string): Promise<string> {
  try {
    await forum.unsafe(statement);
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const quoted = (schema: string, name: string) => `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;

describe("the forum's database role", () => {
  test("reads no table, view or sequence outside its grants: each answers permission denied", async ({ annotate }) => {
    // Every relation in every schema of ours (drizzle's own bookkeeping included), read as the app.
    const relations = await t.db.execute<{ schema: string; name: string; kind: string }>(sql`
      select n.nspname as schema, c.relname as name, c.relkind::text as kind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
      order by n.nspname, c.relname`);
    const granted = (r: { schema: string; name: string }) => r.schema === "public" && GRANTS[r.name]?.includes("select");
    const refused = relations.filter((r) => !granted(r));
    const names = refused.map((r) => (r.schema === "public" ? r.name : `${r.schema}.${r.name}`));
    // The internal tables the issue names are among those listed, so the list is the real one.
    expect(names).toEqual(expect.arrayContaining(["posts", "users", "wiki_pages", "sessions", "publications", "publication_parts", "confidential_terms", "outbox"]));
    expect(relations.filter(granted).map((r) => r.name)).toEqual(expect.arrayContaining(Object.keys(GRANTS).filter((name) => GRANTS[name]!.includes("select"))));

    const outcomes: Record<string, string> = {};
    for (const [i, r] of refused.entries()) outcomes[names[i]!] = await asForum(`select 1 from ${quoted(r.schema, r.name)} limit 1`);
    const readable = Object.entries(outcomes).filter(([, outcome]) => !/permission denied/.test(outcome));
    // The diff names any table the forum could read (or that failed for another reason).
    expect(Object.fromEntries(readable)).toEqual({});
    await annotate(`permission denied on ${names.length} relations: ${names.join(", ")}`);
  });

  test("the granted tables work, and only with their granted verbs", async () => {
    const [thread] = await t.db
      .insert(forumThreads)
      .values({ slug: "isolation", title: "Isolation", bodyHtml: "<p>Public</p>", authorName: "A Northwind engineer", askedAt: new Date() })
      .returning({ id: forumThreads.id });
    for (const name of Object.keys(GRANTS).filter((n) => GRANTS[n]!.includes("select"))) expect(await asForum(`select 1 from ${name} limit 1`), name).toBe("ok");

    // The customer side, as the forum writes it; rolled back so nothing stays.
    const rolledBack = new Error("roll back");
    await expect(
      forum.begin(async (tx) => {
        const [account] = await tx`insert into forum_accounts (email, name, password_hash) values ('c@customer.example', 'C', 'x') returning id`;
        await tx`update forum_accounts set name = 'Cee' where id = ${account!.id}`;
        await tx`insert into forum_sessions (id, account_id, expires_at, absolute_expires_at) values ('s', ${account!.id}, now(), now())`;
        await tx`update forum_sessions set expires_at = now() where id = 's'`;
        await tx`delete from forum_sessions where id = 's'`;
        await tx`insert into forum_tokens (id, account_id, purpose, expires_at) values ('k', ${account!.id}, 'verify_email', now())`;
        await tx`delete from forum_tokens where id = 'k'`;
        await tx`insert into forum_attempts (key) values ('a') on conflict (key) do update set count = forum_attempts.count + 1`;
        await tx`delete from forum_attempts where key = 'a'`;
        const [comment] = await tx`insert into forum_comments (thread_id, account_id, body, body_html) values (${thread!.id}, ${account!.id}, 'Hi', '<p>Hi</p>') returning id`;
        await tx`update forum_comments set deleted_at = now() where id = ${comment!.id}`;
        await tx`insert into forum_reactions (thread_id, account_id, kind) values (${thread!.id}, ${account!.id}, 'helpful')`;
        await tx`delete from forum_reactions where thread_id = ${thread!.id}`;
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);

    // Mail: the forum may add one (verification, reset) and never read or change any.
    expect(
      await asForum(`insert into mail_outbox ("to", template, subject, text, html, message_id) values ('c@customer.example', 'verify-email', 'Confirm', 'Hi', '<p>Hi</p>', '<m1@forum>')`),
    ).toBe("ok");
    const denied = [
      "select 1 from mail_outbox limit 1",
      "update mail_outbox set subject = 'x'",
      "delete from mail_outbox",
      `update forum_threads set title = 'Defaced' where id = ${thread!.id}`,
      `delete from forum_threads where id = ${thread!.id}`,
      "delete from forum_answers",
      "update forum_runtime set value = '{}'",
      "delete from forum_accounts",
      "delete from forum_comments",
      "truncate forum_sessions",
      "create table public.forum_scratch (id int)",
      // Part 2: narrower than the table's verbs.
      `update forum_threads set body_html = 'Defaced', escalation_state = 'resolved' where id = ${thread!.id}`,
      "update forum_answers set body_html = 'Defaced'",
      "select user_id from share_links limit 1",
      "update live_session_questions set answer_html = 'x'",
      "update forum_flags set resolved_at = now()",
    ];
    for (const statement of denied) expect(await asForum(statement), statement).toMatch(/permission denied/);
  });

  test("row-level security: a thread only as a customer's question, and the forum's live sessions only", async () => {
    const [account] = await t.db.execute<{ id: number }>(sql`insert into forum_accounts (email, name, password_hash) values ('rls@customer.example', 'R', 'x') returning id`);
    const [published] = await t.db
      .insert(forumThreads)
      .values({ slug: "published", title: "Published", bodyHtml: "<p>Public</p>", authorName: "A Northwind engineer", askedAt: new Date() })
      .returning({ id: forumThreads.id });
    // A customer's question may be added; a thread posing as published from inside may not.
    expect(
      await asForum(
        `insert into forum_threads (slug, title, body, body_html, author_name, asked_at, origin, account_id) values ('q', 'Q', 'q', '<p>q</p>', 'R', now(), 'customer', ${account!.id})`,
      ),
    ).toBe("ok");
    expect(
      await asForum(`insert into forum_threads (slug, title, body_html, author_name, asked_at, origin, account_id) values ('x', 'x', 'x', 'x', now(), 'published', ${account!.id})`),
    ).toMatch(/row-level security/);
    expect(await asForum(`insert into forum_threads (slug, title, body_html, author_name, asked_at) values ('x', 'x', 'x', 'x', now())`)).toMatch(/row-level security/);
    // Marking solved reaches customers' questions only: a published thread's row is not even seen.
    const updated = await forum.unsafe(`update forum_threads set solved = true where id = ${published!.id}`);
    expect(updated.count).toBe(0);
    expect(
      (
        await t.db
          .select({ solved: forumThreads.solved })
          .from(forumThreads)
          .where(sql`id = ${published!.id}`)
      )[0]!.solved,
    ).toBe(false);

    // An internal session, its experts and questions are invisible to the forum; a forum session is not.
    const [user] = await t.db.execute<{ id: number }>(sql`insert into users (email, name) values ('expert@northwind.example', 'Expert') returning id`);
    const sessions = await t.db.execute<{ id: number; audience: string }>(sql`
      insert into live_sessions (title, topic, audience, starts_at, ends_at) values
        ('Internal roadmap AMA', 'roadmap', 'internal', now(), now() + interval '1 hour'),
        ('Public AMA', 'postgresql', 'forum', now(), now() + interval '1 hour')
      returning id, audience`);
    const internal = sessions.find((s) => s.audience === "internal")!;
    const open = sessions.find((s) => s.audience === "forum")!;
    for (const s of sessions) {
      await t.db.execute(sql`insert into live_session_experts (session_id, user_id, name) values (${s.id}, ${user!.id}, 'Expert')`);
      await t.db.execute(sql`insert into live_session_questions (session_id, user_id, author_name, body, body_html) values (${s.id}, ${user!.id}, 'Expert', 'q', '<p>q</p>')`);
    }
    expect((await forum.unsafe("select id from live_sessions")).map((r) => Number(r.id))).toEqual([open.id]);
    expect((await forum.unsafe("select session_id from live_session_experts")).map((r) => Number(r.session_id))).toEqual([open.id]);
    expect((await forum.unsafe("select session_id from live_session_questions")).map((r) => Number(r.session_id))).toEqual([open.id]);
    expect(await asForum(`insert into live_session_questions (session_id, account_id, author_name, body, body_html) values (${internal.id}, ${account!.id}, 'R', 'q', 'q')`)).toMatch(
      /row-level security/,
    );
    expect(await asForum(`insert into live_session_questions (session_id, account_id, author_name, body, body_html) values (${open.id}, ${account!.id}, 'R', 'q', 'q')`)).toBe("ok");
    // Votes: a customer's, on the forum session's questions only.
    const questions = await t.db.execute<{ id: number; session_id: number }>(sql`select id, session_id from live_session_questions`);
    const openQuestion = questions.find((q) => Number(q.session_id) === open.id)!;
    const internalQuestion = questions.find((q) => Number(q.session_id) === internal.id)!;
    expect(await asForum(`insert into live_session_votes (question_id, voter) values (${openQuestion.id}, 'a:${account!.id}')`)).toBe("ok");
    expect(await asForum(`insert into live_session_votes (question_id, voter) values (${internalQuestion.id}, 'a:${account!.id}')`)).toMatch(/row-level security/);
    expect(await asForum(`insert into live_session_votes (question_id, voter) values (${openQuestion.id}, 'u:1')`)).toMatch(/row-level security/);
    // A share link's code and target, nothing more.
    expect(await asForum("select code, target from share_links limit 1")).toBe("ok");
  });

  test("has no way around its grants: no superuser or inherited role, no SECURITY DEFINER function it may call", async () => {
    const [role] = await t.db.execute<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean; rolcreatedb: boolean; rolinherit_from: number }>(sql`
      select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
             (select count(*)::int from pg_auth_members m where m.member = r.oid) as rolinherit_from
      from pg_roles r where rolname = 'commons_forum'`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolinherit_from: 0 });
    // A function that runs with its owner's rights would read for the forum what it may not read itself.
    const definers = await t.db.execute<{ fn: string }>(sql`
      select p.oid::regprocedure::text as fn
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')
        and has_function_privilege('commons_forum', p.oid, 'execute')`);
    expect(definers).toEqual([]);
  });
});

describe("the forum's search key", () => {
  let master: Meilisearch;
  let runtime: ForumSearchRuntime;
  let forumClient: Meilisearch;
  beforeAll(async () => {
    master = indexes.client;
    runtime = await ensureForumSearchKey(master, t.db, prefix);
    forumClient = createMeiliClient(testMeili().url, runtime.key, 10_000);
  });
  afterAll(async () => {
    await master?.deleteKey(forumSearchKeyUid(indexName("forum_thread", prefix))).catch(() => {});
  });

  test("is made once, for search in the forum's index only, and handed to the forum through forum_runtime", async () => {
    expect(runtime.index).toBe(`${prefix}forum`);
    const key = await master.getKey(forumSearchKeyUid(runtime.index));
    expect({ name: key.name, actions: key.actions, indexes: key.indexes, expiresAt: key.expiresAt, key: key.key }).toEqual({
      name: FORUM_SEARCH_KEY_NAME,
      actions: ["search"],
      indexes: [runtime.index],
      expiresAt: null,
      key: runtime.key,
    });
    // Idempotent: every start finds the same key.
    expect(await ensureForumSearchKey(master, t.db, prefix)).toEqual(runtime);
    const [row] = await forum`select value from forum_runtime where key = ${FORUM_SEARCH_RUNTIME_KEY}`;
    expect(row!.value).toEqual(runtime);

    // A key that drifted (it could read documents) is made again with search only.
    await master.deleteKey(key.uid);
    await master.createKey({ uid: key.uid, actions: ["search", "documents.get"], indexes: [runtime.index], expiresAt: null });
    expect(await ensureForumSearchKey(master, t.db, prefix)).toEqual(runtime);
    expect((await master.getKey(key.uid)).actions).toEqual(["search"]);
  });

  test("searches the forum's index and is refused on every internal index and every other action", async () => {
    // Finding documents with it is forum-search.test.ts's part; here, that it may search at all.
    expect((await forumClient.index(runtime.index).search("gateway")).hits).toEqual([]);

    const refusal = async (what: string, call: () => Promise<unknown>) => {
      try {
        await call();
        return `${what}: allowed`;
      } catch (error) {
        const code = meiliErrorCode(error);
        return code === "invalid_api_key" ? "refused" : `${what}: ${code ?? String(error)}`;
      }
    };
    const internal = (Object.keys(INDEX_NAMES) as IndexedKind[]).filter((kind) => kind !== "forum_thread").map((kind) => indexName(kind, prefix));
    expect(internal).toHaveLength(6);
    const outcomes = [
      ...internal.map((uid) => refusal(`search ${uid}`, () => forumClient.index(uid).search(""))),
      ...internal.map((uid) => refusal(`multi-search ${uid}`, () => forumClient.multiSearch({ queries: [{ indexUid: uid, q: "" }] }))),
      refusal("federated search across indexes", () =>
        forumClient.multiSearch({
          federation: {},
          queries: [
            { indexUid: runtime.index, q: "" },
            { indexUid: internal[0]!, q: "" },
          ],
        }),
      ),
      refusal("add documents", () => forumClient.index(runtime.index).addDocuments([{ id: 2, title: "Planted" }])),
      refusal("delete documents", () => forumClient.index(runtime.index).deleteAllDocuments()),
      refusal("read a document", () => forumClient.index(runtime.index).getDocument(1)),
      refusal("list documents", () => forumClient.index(runtime.index).getDocuments()),
      refusal("read settings", () => forumClient.index(runtime.index).getSettings()),
      refusal("change settings", () => forumClient.index(runtime.index).updateSettings({ displayedAttributes: ["*"] })),
      refusal("list indexes", () => forumClient.getIndexes()),
      refusal("read stats", () => forumClient.getStats()),
      refusal("list keys", () => forumClient.getKeys()),
      refusal("create a key", () => forumClient.createKey({ actions: ["*"], indexes: ["*"], expiresAt: null })),
      refusal("list tasks", () => forumClient.tasks.getTasks()),
      refusal("read a task", () => forumClient.tasks.getTask(0)),
      refusal("delete the index", () => forumClient.deleteIndex(runtime.index)),
    ];
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r !== "refused")).toEqual([]);
  });
});

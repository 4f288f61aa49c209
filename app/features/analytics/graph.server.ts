import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";

/**
 * The interaction graph of a window [start, end), read from PostgreSQL for the SNA job
 * (docs/people-analytics.md). PostgreSQL does the joining and counting: the pairs of people who
 * interacted, summed per pair, go into a temporary table and come back as integer arrays a page
 * of people at a time, so neither side ever holds a row object per interaction. Everything else
 * the roles need (accepted answers per topic, support, followers, what people posted) is a
 * grouped query per person.
 *
 * Who is in it: active employees only (`countedPerson`). The stand-in author of anonymous
 * questions is left out (whoever authored a question that has an `anonymous_askers` row, and any
 * account whose email has no @), and `anonymous_askers` itself is never read for anything else:
 * an anonymous question links its asker to no one. Unclaimed imported profiles are left out too.
 *
 * An edge, both ways, between two people when one:
 * - answered the other's question;
 * - commented on the other's item (a question, answer, idea, page, article, kudos);
 * - voted on the other's item (a +1 on a kudos is a vote on the kudos's giver);
 * - gave the other kudos;
 * - co-owns an idea with the other (both owners accepted);
 * - edited the same wiki page as the other.
 * Its weight is how many such interactions the pair had in the window.
 */

export type Window = { start: Date; end: Date };

export type PersonFacts = {
  questions: Int32Array;
  answers: Int32Array;
  comments: Int32Array;
  articles: Int32Array;
  edits: Int32Array;
  ideas: Int32Array;
  kudosGiven: Int32Array;
  /** Distinct colleagues who got an accepted answer from them, and their departments. */
  helped: Int32Array;
  helpedDepartments: Int32Array;
  /** Distinct colleagues who supported their answers and ideas (up-votes) or thanked them (kudos and their +1s), and their departments. */
  supporters: Int32Array;
  supporterDepartments: Int32Array;
  /** Colleagues who follow them. */
  followers: Int32Array;
};

/**
 * Accepted answers per person and topic: `people[i]` distinct colleagues helped by `person[i]` in
 * `tag[i]`, counted in every space, for topics used in at least one open space (only those are
 * ever named to HR or the person: a topic of restricted spaces alone stays unnamed).
 */
export type TopicHelp = { person: Int32Array; tag: Int32Array; people: Int32Array; tagNames: Map<number, string> };

export type LoadedGraph = {
  /** Person index → user id and department (as written, trimmed). */
  userIds: Int32Array;
  departments: string[];
  /** Department keys (lower-cased, trimmed; "" for none) by index, and each person's index into it (-1 for none). */
  departmentKeys: string[];
  departmentOf: Int32Array;
  /** The pairs (a < b) and how many interactions each had. */
  a: Int32Array;
  b: Int32Array;
  w: Int32Array;
  interactions: number;
  facts: PersonFacts;
  topics: TopicHelp;
};

/**
 * People per page when the pairs come back (a page is those whose index is in [lo, lo + PAGE)):
 * small pages keep what is in flight small. At 10,000 people and 1.4 million pairs, pages of 200
 * held the process's peak to about 40 MB over its start, against 75 MB with pages of 500.
 */
const PAGE_PEOPLE = 200;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * The people the analytics count, as a condition on the users table under `alias`: active
 * employees, never the stand-in author of anonymous questions, nor the profiles an import brought
 * in for people who are not colleagues (until an admin claims one for a real account).
 */
export function countedPerson(alias: string) {
  return sql.raw(
    `(${alias}.kind = 'employee' and ${alias}.deactivated_at is null and position('@' in ${alias}.email) > 0 ` +
      `and ${alias}.id not in (select p.author_id from anonymous_askers x join posts p on p.id = x.question_id) ` +
      `and ${alias}.id not in (select ip.user_id from imported_profiles ip where ip.claimed_at is null))`,
  );
}

/** Loads the window's graph and facts in one transaction (temporary tables live in it). */
export async function loadGraph(db: Db | Tx, window: Window): Promise<LoadedGraph> {
  return db.transaction(async (tx) => {
    const start = at(window.start);
    const end = at(window.end);
    const inWindow = (column: string) => sql`${sql.raw(column)} >= ${start} and ${sql.raw(column)} < ${end}`;
    // The pairs' aggregate hashes a million rows: enough memory keeps it off disk.
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`drop table if exists sna_people, sna_edges`);
    await tx.execute(sql`
      create temp table sna_people on commit drop as
      select (row_number() over (order by u.id) - 1)::int as idx, u.id, lower(btrim(u.department)) as dept, btrim(u.department) as department
      from users u where ${countedPerson("u")}`);
    await tx.execute(sql`alter table sna_people add primary key (id)`);
    await tx.execute(sql`analyze sna_people`);

    const people = await tx.execute<{ ids: number[] | null; depts: string[] | null; names: string[] | null }>(sql`
      select array_agg(id order by idx) as ids, array_agg(dept order by idx) as depts, array_agg(department order by idx) as names from sna_people`);
    const ids = people[0]?.ids ?? [];
    const depts = people[0]?.depts ?? [];
    const names = people[0]?.names ?? [];
    const n = ids.length;
    const departmentKeys: string[] = [];
    const departmentIndex = new Map<string, number>();
    const departmentOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const key = depts[i]!;
      if (key === "") {
        departmentOf[i] = -1;
        continue;
      }
      let d = departmentIndex.get(key);
      if (d === undefined) {
        d = departmentKeys.length;
        departmentKeys.push(key);
        departmentIndex.set(key, d);
      }
      departmentOf[i] = d;
    }

    // Every item's author, for "on someone's item"; deleted content and unpublished articles have none.
    const authors = sql`
      select item_id, author_id as user_id from posts where deleted_at is null
      union all select item_id, author_id from ideas
      union all select item_id, author_id from wiki_pages where deleted_at is null
      union all select item_id, author_id from articles where deleted_at is null and status = 'published'
      union all select item_id, giver_id from kudos where deleted_at is null`;
    await tx.execute(sql`
      create temp table sna_edges on commit drop as
      with authors as (${authors}),
      editors as (
        select distinct r.item_id, r.editor_id from revisions r join wiki_pages p on p.item_id = r.item_id
        where p.deleted_at is null and ${inWindow("r.created_at")}
      ),
      pairs(a, b) as (
        select ans.author_id, q.author_id from posts ans join posts q on q.id = ans.parent_id
        where ans.type = 'answer' and ans.deleted_at is null and q.deleted_at is null and ${inWindow("ans.created_at")}
          and not exists (select 1 from anonymous_askers x where x.question_id = q.id)
        union all
        select c.author_id, au.user_id from comments c join authors au on au.item_id = c.item_id
        where c.deleted_at is null and ${inWindow("c.created_at")}
        union all
        select v.user_id, au.user_id from votes v join authors au on au.item_id = v.item_id
        where ${inWindow("v.created_at")}
        union all
        select k.giver_id, r.user_id from kudos k join kudos_receivers r on r.kudos_id = k.id
        where k.deleted_at is null and ${inWindow("k.created_at")}
        union all
        select o1.user_id, o2.user_id from idea_owners o1 join idea_owners o2 on o2.idea_id = o1.idea_id and o2.user_id > o1.user_id
        where o1.state = 'accepted' and o2.state = 'accepted'
          and greatest(o1.created_at, o2.created_at) >= ${start} and greatest(o1.created_at, o2.created_at) < ${end}
        union all
        select e1.editor_id, e2.editor_id from editors e1 join editors e2 on e2.item_id = e1.item_id and e2.editor_id > e1.editor_id
      )
      select least(pa.idx, pb.idx) as a, greatest(pa.idx, pb.idx) as b, count(*)::int as w
      from pairs join sna_people pa on pa.id = pairs.a join sna_people pb on pb.id = pairs.b
      where pa.idx <> pb.idx
      group by 1, 2`);
    await tx.execute(sql`create index on sna_edges (a)`);

    // The arrays are sized first and filled a page at a time. A page comes as one bytea of
    // big-endian integers (a, b, w, a, b, w, ...) rather than integer arrays, whose parsing makes a
    // string and a number per element: this keeps the app's memory flat while a million pairs load.
    const [size] = await tx.execute<{ edges: number }>(sql`select count(*)::int as edges from sna_edges`);
    const edges = Number(size?.edges ?? 0);
    const a = new Int32Array(edges);
    const b = new Int32Array(edges);
    const w = new Int32Array(edges);
    let offset = 0;
    let interactions = 0;
    for (let lo = 0; lo < n && offset < edges; lo += PAGE_PEOPLE) {
      const [page] = await tx.execute<{ packed: Buffer | null }>(sql`
        select string_agg(int4send(a) || int4send(b) || int4send(w), ''::bytea) as packed from sna_edges where a >= ${lo} and a < ${lo + PAGE_PEOPLE}`);
      const packed = page?.packed;
      if (!packed) continue;
      for (let at = 0; at < packed.length && offset < edges; at += 12, offset++) {
        a[offset] = packed.readInt32BE(at);
        b[offset] = packed.readInt32BE(at + 4);
        w[offset] = packed.readInt32BE(at + 8);
        interactions += w[offset]!;
      }
    }

    const facts = await loadFacts(tx, n, window, authors);
    const topics = await loadTopics(tx, window);
    return { userIds: Int32Array.from(ids), departments: names, departmentKeys, departmentOf, a, b, w, interactions, facts, topics };
  });
}

type Columns = Record<string, number[] | null>;

/** Per person: what they posted, who they helped, who supported them, who follows them. */
async function loadFacts(tx: Tx, n: number, window: Window, authors: ReturnType<typeof sql>): Promise<PersonFacts> {
  const start = at(window.start);
  const end = at(window.end);
  const inWindow = (column: string) => sql`${sql.raw(column)} >= ${start} and ${sql.raw(column)} < ${end}`;
  const [posted] = await tx.execute<Columns>(sql`
    with done(user_id, kind) as (
      select author_id, type::text from posts where deleted_at is null and ${inWindow("created_at")}
      union all select author_id, 'comment' from comments where deleted_at is null and ${inWindow("created_at")}
      union all select author_id, 'article' from articles where status = 'published' and deleted_at is null and ${inWindow("published_at")}
      union all select editor_id, 'edit' from revisions where kind in ('edit', 'rollback') and ${inWindow("created_at")}
      union all select author_id, 'idea' from ideas where ${inWindow("created_at")}
      union all select giver_id, 'kudos' from kudos where deleted_at is null and ${inWindow("created_at")}
    ),
    counted as (
      select p.idx,
        count(*) filter (where kind = 'question')::int as questions, count(*) filter (where kind = 'answer')::int as answers,
        count(*) filter (where kind = 'comment')::int as comments, count(*) filter (where kind = 'article')::int as articles,
        count(*) filter (where kind = 'edit')::int as edits, count(*) filter (where kind = 'idea')::int as ideas,
        count(*) filter (where kind = 'kudos')::int as kudos
      from done join sna_people p on p.id = done.user_id group by p.idx
    )
    select array_agg(idx) as idx, array_agg(questions) as questions, array_agg(answers) as answers, array_agg(comments) as comments,
      array_agg(articles) as articles, array_agg(edits) as edits, array_agg(ideas) as ideas, array_agg(kudos) as kudos
    from counted`);
  const [helped] = await tx.execute<Columns>(sql`
    with helped as (
      select pa.idx, count(distinct pq.idx)::int as people, count(distinct nullif(pq.dept, ''))::int as departments
      from posts q
      join posts ans on ans.id = q.accepted_answer_id
      join sna_people pa on pa.id = ans.author_id
      join sna_people pq on pq.id = q.author_id
      where q.type = 'question' and q.deleted_at is null and ans.deleted_at is null and ${inWindow("ans.created_at")} and pa.idx <> pq.idx
      group by pa.idx
    )
    select array_agg(idx) as idx, array_agg(people) as people, array_agg(departments) as departments from helped`);
  const [support] = await tx.execute<Columns>(sql`
    with authors as (${authors}),
    support(person, supporter) as (
      select au.user_id, v.user_id from votes v
      join items i on i.id = v.item_id and i.kind in ('answer', 'idea')
      join authors au on au.item_id = v.item_id
      where v.value = 1 and ${inWindow("v.created_at")}
      union all
      select r.user_id, k.giver_id from kudos k join kudos_receivers r on r.kudos_id = k.id
      where k.deleted_at is null and ${inWindow("k.created_at")}
      union all
      select r.user_id, v.user_id from votes v join kudos k on k.item_id = v.item_id join kudos_receivers r on r.kudos_id = k.id
      where k.deleted_at is null and v.value = 1 and ${inWindow("v.created_at")}
    ),
    counted as (
      select p.idx, count(distinct s.idx)::int as people, count(distinct nullif(s.dept, ''))::int as departments
      from support x join sna_people p on p.id = x.person join sna_people s on s.id = x.supporter
      where p.idx <> s.idx group by p.idx
    )
    select array_agg(idx) as idx, array_agg(people) as people, array_agg(departments) as departments from counted`);
  const [followed] = await tx.execute<Columns>(sql`
    with counted as (
      select p.idx, count(*)::int as followers from follows f join sna_people p on p.id = f.person_id join sna_people fo on fo.id = f.user_id
      where f.person_id is not null and p.idx <> fo.idx group by p.idx
    )
    select array_agg(idx) as idx, array_agg(followers) as followers from counted`);

  const column = (rows: Columns | undefined, name: string) => {
    const out = new Int32Array(n);
    const idx = rows?.idx ?? [];
    const values = rows?.[name] ?? [];
    for (let i = 0; i < idx.length; i++) out[idx[i]!] = values[i]!;
    return out;
  };
  return {
    questions: column(posted, "questions"),
    answers: column(posted, "answers"),
    comments: column(posted, "comments"),
    articles: column(posted, "articles"),
    edits: column(posted, "edits"),
    ideas: column(posted, "ideas"),
    kudosGiven: column(posted, "kudos"),
    helped: column(helped, "people"),
    helpedDepartments: column(helped, "departments"),
    supporters: column(support, "people"),
    supporterDepartments: column(support, "departments"),
    followers: column(followed, "followers"),
  };
}

/** Distinct colleagues helped with an accepted answer per person and topic (see TopicHelp). */
async function loadTopics(tx: Tx, window: Window): Promise<TopicHelp> {
  const [rows] = await tx.execute<{ person: number[] | null; tag: number[] | null; people: number[] | null; tag_ids: number[] | null; tag_names: string[] | null }>(sql`
    with helped as (
      select pa.idx as person, qt.tag_id as tag, count(distinct pq.idx)::int as people
      from posts q
      join posts ans on ans.id = q.accepted_answer_id
      join sna_people pa on pa.id = ans.author_id
      join sna_people pq on pq.id = q.author_id
      join question_tags qt on qt.post_id = q.id
      where q.type = 'question' and q.deleted_at is null and ans.deleted_at is null
        and ans.created_at >= ${at(window.start)} and ans.created_at < ${at(window.end)} and pa.idx <> pq.idx
        and exists (select 1 from space_tags st join spaces s on s.id = st.space_id where st.tag_id = qt.tag_id and s.visibility = 'open')
      group by 1, 2
    )
    select array_agg(person) as person, array_agg(tag) as tag, array_agg(people) as people,
      (select array_agg(t.id order by t.id) from tags t where t.id in (select tag from helped)) as tag_ids,
      (select array_agg(t.name order by t.id) from tags t where t.id in (select tag from helped)) as tag_names
    from helped`);
  const tagIds = rows?.tag_ids ?? [];
  const tagNames = new Map(tagIds.map((id, i) => [id, rows!.tag_names![i]!]));
  return { person: Int32Array.from(rows?.person ?? []), tag: Int32Array.from(rows?.tag ?? []), people: Int32Array.from(rows?.people ?? []), tagNames };
}

import { sql, type SQL } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";
import { tagIndex, type TagSummary } from "#app/features/qa/tags.server.ts";
import { inVisibleSpace, type Actor } from "#app/features/spaces/visibility.server.ts";
import { toCsv } from "#app/lib/csv.ts";
import { InputError } from "#app/lib/errors.ts";
import { indexName } from "#search/indexes.ts";
import { EXPERTS_PAGE_SIZE, type ExpertsParams } from "./directory-params.ts";
import { evidenceLines, similarWork, topicExperts, topTopics } from "./experts.server.ts";
import { combineCandidates } from "./model.ts";
import { expertiseSettings } from "./settings.server.ts";
import { recordHrViews } from "#app/features/audit/audit.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * The experts page (docs/expertise.md): people found by topic or by words, with department,
 * location and "open to questions" facets, each with their top topics and a line of evidence, all
 * as the reader may see them. And HR's shortlist export, which the people on it can see.
 *
 * By topic, the model ranks people (`topicExperts`, the same visibility rules as everywhere) and
 * the facets count the same set of people in SQL. By words, the list is short by nature: the
 * people behind the most similar answers, pages and ideas (`similarWork`, combined with the topics
 * among the words as the model combines them), then the people index's matches (names, titles,
 * open-space topics and evidence); facets and filters then apply to that list, read fresh from
 * PostgreSQL. Unlike the suggestions under a question, away people are listed too (marked so,
 * and the "open to questions" facet leaves them out).
 */

export type Availability = "open" | "away" | "opted_out";

export type ExpertCard = {
  id: number;
  name: string;
  title: string;
  department: string;
  location: string;
  availability: Availability;
  /** When an away person is back (ISO), for "Away until …". */
  awayUntil: string | null;
  topics: string[];
  evidence: string | null;
};

export type FacetValue = { value: string; count: number; selected: boolean };
export type ExpertFacets = { department: FacetValue[]; location: FacetValue[]; open: { count: number; selected: boolean } };

export type ExpertDirectory =
  | { mode: "landing"; popular: TagSummary[] }
  | {
      mode: "search";
      /** The topics searched for that exist as tags, in the order asked. */
      topics: string[];
      people: ExpertCard[];
      total: number;
      facets: ExpertFacets;
      /** Words were searched and Meilisearch did not answer: the list holds what the model found without it. */
      searchUnavailable: boolean;
    };

/** How many values a facet lists (the most common first); a chosen one always shows. */
const FACET_VALUES = 12;
/** Words find at most this many people: the similar people, then the people index's best matches. */
const TEXT_SIMILAR = 20;
const TEXT_INDEX_HITS = 100;

/** Active employees only, and a person's hidden topics stay theirs (the rule of experts.server.ts). */
function notHidden(actor: Actor, user: SQL, tag: SQL): SQL {
  return sql`(${user} = ${actor.id} or not exists (select 1 from user_topics h where h.user_id = ${user} and h.tag_id = ${tag} and h.hidden))`;
}

function titleMatches(title: string, filter: string | undefined): boolean {
  return !filter || title.toLowerCase().includes(filter.toLowerCase());
}

function isOpen(row: { routing_opt_out: boolean; away_until: Date | string | null }, now: Date): boolean {
  return !row.routing_opt_out && (row.away_until === null || new Date(row.away_until).getTime() <= now.getTime());
}

type Group = { department: string; location: string; open: boolean; n: number };

/**
 * Facet counts and the total from people grouped by department, location and availability. Each
 * facet counts with the other facets' filters applied but not its own, so every value stays a
 * link that leads somewhere; the total applies them all.
 */
export function facetsOf(groups: readonly Group[], p: Pick<ExpertsParams, "department" | "location" | "open">): { facets: ExpertFacets; total: number } {
  const passes = (g: Group, skip?: "department" | "location" | "open") =>
    (skip === "department" || !p.department || g.department === p.department) && (skip === "location" || !p.location || g.location === p.location) && (skip === "open" || !p.open || g.open);
  const values = (key: "department" | "location", chosen: string | undefined): FacetValue[] => {
    const counts = new Map<string, number>();
    for (const g of groups) if (g[key] !== "" && passes(g, key)) counts.set(g[key], (counts.get(g[key]) ?? 0) + g.n);
    const list = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, FACET_VALUES);
    if (chosen && !list.some(([v]) => v === chosen)) list.push([chosen, counts.get(chosen) ?? 0]);
    return list.map(([value, count]) => ({ value, count, selected: value === chosen }));
  };
  let total = 0;
  let open = 0;
  for (const g of groups) {
    if (passes(g)) total += g.n;
    if (g.open && passes(g, "open")) open += g.n;
  }
  return { facets: { department: values("department", p.department), location: values("location", p.location), open: { count: open, selected: p.open } }, total };
}

/**
 * The tags named that exist for `actor`, by name: used by questions in a space they may see (the
 * tags' rule), or the topic of evidence they may see (a page's or an idea's tags). Any other name
 * finds no one, so a skill someone declared on a restricted space's tag is not found through it.
 */
async function tagsNamed(db: Db, actor: Actor, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db.execute<{ id: number; name: string }>(sql`
    select t.id, t.name from tags t
     where t.name = any(${`{${names.join(",")}}`}::text[])
       and (exists (select 1 from space_tags st where st.tag_id = t.id and st.question_count > 0 and ${inVisibleSpace(actor, sql`st.space_id`)})
            or exists (select 1 from expertise_scores es where es.tag_id = t.id and ${inVisibleSpace(actor, sql`es.space_id`)}))`);
  return new Map(rows.map((r) => [r.name, Number(r.id)]));
}

/** Everyone with expertise in these topics the reader may see, counted per department, location and availability. One query. */
async function topicGroups(db: Db, actor: Actor, tagIds: readonly number[], title: string | undefined, now: Date): Promise<Group[]> {
  const titleFilter = title ? sql`and u.title ilike ${`%${title.replace(/[%_\\]/g, "\\$&")}%`}` : sql``;
  const rows = await db.execute<{ department: string; location: string; open: boolean; n: number }>(sql`
    with people as (
      select es.user_id, es.tag_id from expertise_scores es
       where es.tag_id = any(${intArray(tagIds)}) and ${inVisibleSpace(actor, sql`es.space_id`)}
      union
      select ut.user_id, ut.tag_id from user_topics ut where ut.declared and ut.tag_id = any(${intArray(tagIds)})
    )
    select u.department, u.location,
           (not u.routing_opt_out and (u.away_until is null or u.away_until <= ${now.toISOString()}::timestamptz)) as open,
           count(distinct u.id)::int as n
      from people c join users u on u.id = c.user_id
     where u.kind = 'employee' and u.deactivated_at is null and ${notHidden(actor, sql`c.user_id`, sql`c.tag_id`)} ${titleFilter}
     group by 1, 2, 3`);
  return rows.map((r) => ({ department: r.department, location: r.location, open: r.open === true, n: Number(r.n) }));
}

type PersonRow = { id: number; name: string; title: string; department: string; location: string; routing_opt_out: boolean; away_until: Date | string | null };

async function peopleRows(db: Db, ids: readonly number[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db.execute<PersonRow>(sql`
    select u.id, u.name, u.title, u.department, u.location, u.routing_opt_out, u.away_until from users u
     where u.id = any(${intArray(ids)}) and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null`);
}

/** The cards of these people, in this order: their top topics and one line of evidence (on the topics searched, when they have some there). */
async function cards(db: Db, actor: Actor, ids: readonly number[], tagIds: readonly number[], now: Date, rows?: readonly PersonRow[]): Promise<ExpertCard[]> {
  if (ids.length === 0) return [];
  const [people, topics, onTopic] = await Promise.all([
    rows ? Promise.resolve(rows) : peopleRows(db, ids),
    topTopics(db, actor, ids, { perPerson: 3, now }),
    evidenceLines(db, actor, ids, tagIds.length ? { tagIds } : {}),
  ]);
  const missing = tagIds.length ? ids.filter((id) => !onTopic.has(id)) : [];
  const general = missing.length ? await evidenceLines(db, actor, missing) : new Map<number, string>();
  const byId = new Map(people.map((p) => [Number(p.id), p]));
  return ids.flatMap((id) => {
    const p = byId.get(id);
    if (!p) return [];
    const awayUntil = p.away_until === null ? null : new Date(p.away_until);
    const away = awayUntil !== null && awayUntil.getTime() > now.getTime();
    return [
      {
        id,
        name: p.name,
        title: p.title,
        department: p.department,
        location: p.location,
        availability: p.routing_opt_out ? "opted_out" : away ? "away" : "open",
        awayUntil: away ? awayUntil.toISOString() : null,
        topics: (topics.get(id) ?? []).map((t) => t.tag),
        evidence: onTopic.get(id) ?? general.get(id) ?? null,
      },
    ];
  });
}

/**
 * The experts page for `actor`. With neither topics nor words: the most used topics to start
 * from. `search` may be down: words then find only what the model finds without it.
 */
export async function expertDirectory(
  db: Db,
  search: Meilisearch | null,
  actor: Actor,
  p: ExpertsParams,
  options: { prefix?: string; now?: Date; onError?: (error: unknown) => void } = {},
): Promise<ExpertDirectory> {
  const now = options.now ?? new Date();
  if (p.topics.length === 0 && p.q === "") {
    const { tags } = await tagIndex(db, actor, { sort: "popular", page: 1 });
    return { mode: "landing", popular: tags.slice(0, 24) };
  }
  const words =
    p.q === ""
      ? []
      : [
          ...new Set(
            p.q
              .toLowerCase()
              .split(/[\s,]+/)
              .filter((w) => w.length <= TAG_MAX_LENGTH && TAG_PATTERN.test(w)),
          ),
        ].slice(0, 10);
  const named = await tagsNamed(db, actor, [...new Set([...p.topics, ...words])]);
  const topics = p.topics.filter((t) => named.has(t));
  const topicIds = topics.map((t) => named.get(t)!);
  const offset = (p.page - 1) * EXPERTS_PAGE_SIZE;

  if (p.q === "") {
    if (topicIds.length === 0) return { mode: "search", topics, people: [], total: 0, facets: facetsOf([], p).facets, searchUnavailable: false };
    const settings = await expertiseSettings(db);
    const [groups, ranked] = await Promise.all([
      topicGroups(db, actor, topicIds, p.title, now),
      topicExperts(db, actor, topicIds, {
        limit: EXPERTS_PAGE_SIZE,
        offset,
        now,
        settings,
        filters: { department: p.department, location: p.location, title: p.title, availableOnly: p.open },
      }),
    ]);
    const { facets, total } = facetsOf(groups, p);
    const people = await cards(
      db,
      actor,
      ranked.map((r) => r.userId),
      topicIds,
      now,
    );
    return { mode: "search", topics, people, total, facets, searchUnavailable: false };
  }

  // Words: the people behind similar work first, then the people index's matches.
  let searchUnavailable = false;
  const onError = (error: unknown) => {
    searchUnavailable = true;
    options.onError?.(error);
  };
  const tagIds = [...new Set([...topicIds, ...words.flatMap((w) => (named.has(w) ? [named.get(w)!] : []))])];
  const settings = await expertiseSettings(db);
  const [topicPart, similar, indexed] = await Promise.all([
    tagIds.length ? topicExperts(db, actor, tagIds, { limit: 50, now, settings }) : Promise.resolve([]),
    search ? similarWork(db, search, actor, p.q, settings, now, options.prefix ?? "", onError) : Promise.resolve([]),
    search ? peopleIndexHits(search, p.q, options.prefix ?? "", onError) : Promise.resolve([]),
  ]);
  // The model's own combination of topic and similar work, without its "answering lately" part:
  // a search lists people whose work matches the words, never whoever is busiest.
  const matched = combineCandidates(
    topicPart.map((t) => ({ userId: t.userId, topic: t.value })),
    similar,
    settings,
  ).slice(0, TEXT_SIMILAR);
  const order = [...new Set([...matched.map((m) => m.userId), ...indexed])];
  const rows = await peopleRows(db, order);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const candidates = order.flatMap((id) => {
    const r = byId.get(id);
    return r && titleMatches(r.title, p.title) ? [{ id, row: r, open: isOpen(r, now) }] : [];
  });
  const groups = new Map<string, Group>();
  for (const c of candidates) {
    const key = JSON.stringify([c.row.department, c.row.location, c.open]);
    const g = groups.get(key) ?? { department: c.row.department, location: c.row.location, open: c.open, n: 0 };
    g.n += 1;
    groups.set(key, g);
  }
  const { facets, total } = facetsOf([...groups.values()], p);
  const shown = candidates
    .filter((c) => (!p.department || c.row.department === p.department) && (!p.location || c.row.location === p.location) && (!p.open || c.open))
    .slice(offset, offset + EXPERTS_PAGE_SIZE);
  const people = await cards(
    db,
    actor,
    shown.map((c) => c.id),
    tagIds,
    now,
    shown.map((c) => c.row),
  );
  return { mode: "search", topics, people, total, facets, searchUnavailable };
}

/** The people index's matches for the words (ids, best first); the index holds only what every employee may see. */
async function peopleIndexHits(client: Meilisearch, q: string, prefix: string, onError: (error: unknown) => void): Promise<number[]> {
  try {
    const result = await client.index(indexName("person", prefix)).search(q, { limit: TEXT_INDEX_HITS, attributesToRetrieve: ["id"] });
    return result.hits.map((h) => Number((h as { id: unknown }).id)).filter(Number.isSafeInteger);
  } catch (error) {
    onError(error);
    return [];
  }
}

/**
 * HR's shortlist as a CSV (name, email, title, department, location, top topics, evidence), in
 * the order ticked, as `actor` may see their expertise. Every person on it gets a line in their
 * HR view log (`hr_views`, "shortlist"), written before the file is handed over: they can see who
 * from HR put them on a list, and when. The caller has checked the actor is HR or an admin.
 */
export async function shortlistCsv(
  db: Db,
  actor: Actor,
  ids: readonly number[],
  topicNames: readonly string[],
  now = new Date(),
): Promise<{ filename: string; csv: string; people: number }> {
  const wanted = [...new Set(ids)];
  const named = await tagsNamed(db, actor, topicNames);
  const tagIds = [...named.values()];
  const rows = await db.execute<PersonRow & { email: string }>(sql`
    select u.id, u.name, u.email, u.title, u.department, u.location, u.routing_opt_out, u.away_until from users u
     where u.id = any(${intArray(wanted)}) and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null`);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const found = wanted.filter((id) => byId.has(id));
  if (found.length === 0) throw new InputError("None of the people ticked can be exported: reload the page and pick again.");
  const [topics, onTopic] = await Promise.all([topTopics(db, actor, found, { perPerson: 5, now }), evidenceLines(db, actor, found, tagIds.length ? { tagIds } : {})]);
  const missing = found.filter((id) => !onTopic.has(id));
  const general = tagIds.length && missing.length ? await evidenceLines(db, actor, missing) : new Map<number, string>();
  const others = found.filter((id) => id !== actor.id);
  await recordHrViews(db, actor.id, others, "shortlist", now);
  const records: Array<Array<string | number>> = [["name", "email", "title", "department", "location", "top topics", "evidence"]];
  for (const id of found) {
    const r = byId.get(id)!;
    records.push([r.name, r.email, r.title, r.department, r.location, (topics.get(id) ?? []).map((t) => t.tag).join("; "), onTopic.get(id) ?? general.get(id) ?? ""]);
  }
  return { filename: `experts-shortlist-${now.toISOString().slice(0, 10)}.csv`, csv: toCsv(records), people: found.length };
}

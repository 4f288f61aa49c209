import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Meilisearch } from "meilisearch";
import type { Db, Tx } from "#db/client.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import { inVisibleSpace, type Actor, visibleSpaceIds } from "#app/features/spaces/visibility.server.ts";
import { contentWords, filterValue, ideaFilter, pageFilter, questionFilter, searchableSpaces } from "#app/features/search/search.server.ts";
import { indexName } from "#search/indexes.ts";
import { combineCandidates, confidence, decayedWeight, DECAY_EPOCH_MS, rankValue, withDefaults, type EvidenceKind, type RecentStanding, type SimilarHit } from "./model.ts";
import { expertiseSettings, type AllExpertiseSettings } from "./settings.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Reading the expertise model (docs/expertise.md): who knows a topic, who could answer a
 * question, and why, always for one reader. Evidence counts only when its item is in a space the
 * reader may see (`inVisibleSpace` on the evidence's own space), and a topic its person hid is
 * never shown to anyone else. Nothing here writes.
 */

/**
 * A tag exists for a reader only through questions they may see (app/features/qa/tags.server.ts):
 * the same rule decides which tags a person may declare, and which declared skills another reader
 * is shown, so a skill named after a restricted space's work never reaches outsiders.
 */
export function tagVisibleTo(actor: Actor, tagId: SQL | AnyPgColumn): SQL {
  return sql`exists (select 1 from space_tags st where st.tag_id = ${tagId} and st.question_count > 0 and ${inVisibleSpace(actor, sql`st.space_id`)})`;
}

/** The factor that turns a stored decayed sum into the score at `now`. */
function nowFactor(s: AllExpertiseSettings, now: Date): number {
  return 2 ** (-(now.getTime() - DECAY_EPOCH_MS) / (s.halfLifeDays * 86_400_000));
}

/** Available for routing and suggestions: not opted out and not away. */
export function availableSql(now: Date, alias = "u"): SQL {
  // The moment is a parameter: written into the text, it made every statement that checks
  // availability a text of its own, never prepared and each kept by the statement memo.
  const u = sql.raw(alias);
  return sql`(not ${u}.routing_opt_out and (${u}.away_until is null or ${u}.away_until <= ${now.toISOString()}::timestamptz))`;
}

export type ExpertFilters = { department?: string; location?: string; title?: string; availableOnly?: boolean };

export type TopicExpert = { userId: number; value: number; score: number; confidence: number; evidenceCount: number; declared: boolean };

/**
 * People ranked by their expertise in these topics as `actor` may see it: per topic the rank
 * value of the model (score × confidence, plus a little for a declared topic), summed over the
 * topics. Active employees only; `exclude` leaves people out (the asker).
 */
export async function topicExperts(
  db: Db | Tx,
  actor: Actor,
  tagIds: readonly number[],
  options: { limit?: number; offset?: number; exclude?: readonly number[]; filters?: ExpertFilters; now?: Date; settings?: AllExpertiseSettings } = {},
): Promise<TopicExpert[]> {
  if (tagIds.length === 0) return [];
  const now = options.now ?? new Date();
  const s = options.settings ?? (await expertiseSettings(db as Db));
  const factor = nowFactor(s, now);
  const f = options.filters ?? {};
  const rows = await db.execute<{ user_id: number; value: number; score: number; n: number; declared: boolean }>(sql`
    with per_tag as (
      select es.user_id, es.tag_id, sum(es.decayed) as d, sum(es.evidence_count) as n
        from expertise_scores es
       where es.tag_id = any(${intArray(tagIds)}) and ${inVisibleSpace(actor, sql`es.space_id`)}
       group by es.user_id, es.tag_id
    ), decl as (
      select user_id, tag_id from user_topics ut where declared and tag_id = any(${intArray(tagIds)}) and ${tagVisibleTo(actor, sql`ut.tag_id`)}
    ), combined as (
      select coalesce(p.user_id, d.user_id) as user_id, coalesce(p.tag_id, d.tag_id) as tag_id,
             coalesce(p.d, 0) as d, coalesce(p.n, 0) as n, d.user_id is not null as declared
        from per_tag p full join decl d on d.user_id = p.user_id and d.tag_id = p.tag_id
    )
    select c.user_id,
           sum(c.d * ${factor}::float8 * (c.n::float8 / (c.n + ${s.confidenceK}::float8)) + case when c.declared then ${s.weights.declared}::float8 else 0 end) as value,
           sum(c.d * ${factor}::float8) as score, sum(c.n)::int as n, bool_or(c.declared) as declared
      from combined c join users u on u.id = c.user_id
     where u.kind = 'employee' and u.deactivated_at is null
       and (c.user_id = ${actor.id} or not exists (select 1 from user_topics h where h.user_id = c.user_id and h.tag_id = c.tag_id and h.hidden))
       ${options.exclude?.length ? sql`and c.user_id <> all(${intArray(options.exclude)})` : sql``}
       ${f.department ? sql`and u.department = ${f.department}` : sql``}
       ${f.location ? sql`and u.location = ${f.location}` : sql``}
       ${f.title ? sql`and u.title ilike ${`%${f.title.replace(/[%_\\]/g, "\\$&")}%`}` : sql``}
       ${f.availableOnly ? sql`and ${availableSql(now)}` : sql``}
     group by c.user_id
     order by value desc, c.user_id
     limit ${options.limit ?? 20} offset ${options.offset ?? 0}`);
  return rows.map((r) => ({
    userId: Number(r.user_id),
    value: Number(r.value),
    score: Number(r.score),
    evidenceCount: Number(r.n),
    confidence: confidence(Number(r.n), s.confidenceK),
    declared: r.declared === true,
  }));
}

const LINE_ORDER: EvidenceKind[] = ["accepted_answer", "page_verified", "page_owned", "idea_implemented", "idea_accepted", "answer", "kudos", "wiki_edit", "answer_vote", "declared"];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One fact of evidence in words: "7 accepted answers on fermentation", "owns the page Brewing basics". */
function fact(kind: EvidenceKind, count: number, tag: string, title: string | null): string {
  switch (kind) {
    case "accepted_answer":
      return `${plural(count, "accepted answer")} on ${tag}`;
    case "answer":
      return `${plural(count, "answer")} on ${tag}`;
    case "answer_vote":
      return `${plural(count, "upvoted answer")} on ${tag}`;
    case "page_owned":
      return title ? `owns the page ${title}` : `owns ${plural(count, "page")} on ${tag}`;
    case "page_verified":
      return title ? `verified the page ${title}` : `verified ${plural(count, "page")} on ${tag}`;
    case "wiki_edit":
      return `${plural(count, "approved page edit")} on ${tag}`;
    case "idea_accepted":
      return `${plural(count, "accepted idea")} on ${tag}`;
    case "idea_implemented":
      return `${plural(count, "implemented idea")} on ${tag}`;
    case "kudos":
      return `${plural(count, "kudos", "kudos")} for work on ${tag}`;
    case "declared":
      return `says they know ${tag}`;
  }
}

/**
 * Each person's evidence in one line for `actor`, at most `facts` facts, strongest first (on the
 * given topics when there are any): "7 accepted answers on fermentation, owns the page Brewing
 * basics". People with nothing visible get no entry.
 */
export async function evidenceLines(db: Db | Tx, actor: Actor, userIds: readonly number[], options: { tagIds?: readonly number[]; facts?: number } = {}): Promise<Map<number, string>> {
  const lines = new Map<number, string>();
  if (userIds.length === 0) return lines;
  const onTags = options.tagIds?.length ? sql`and e.tag_id = any(${intArray(options.tagIds)})` : sql``;
  const rows = await db.execute<{ user_id: number; kind: EvidenceKind; tag: string; n: number; title: string | null }>(sql`
    select e.user_id, e.kind, t.name as tag, count(*)::int as n,
           case when e.kind in ('page_owned', 'page_verified') and count(*) = 1 then min(p.title) end as title
      from expertise_evidence e join tags t on t.id = e.tag_id
      left join wiki_pages p on p.item_id = e.item_id and e.kind in ('page_owned', 'page_verified')
     where e.user_id = any(${intArray(userIds)}) ${onTags} and ${inVisibleSpace(actor, sql`e.space_id`)}
       and (e.user_id = ${actor.id} or not exists (select 1 from user_topics h where h.user_id = e.user_id and h.tag_id = e.tag_id and h.hidden))
     group by e.user_id, e.kind, t.name
    union all
    select ut.user_id, 'declared', t.name, 1, null from user_topics ut join tags t on t.id = ut.tag_id
     where ut.user_id = any(${intArray(userIds)}) and ut.declared and not ut.hidden and ${tagVisibleTo(actor, sql`ut.tag_id`)} ${options.tagIds?.length ? sql`and ut.tag_id = any(${intArray(options.tagIds)})` : sql``}`);
  type Fact = (typeof rows)[number];
  const byUser = new Map<number, Fact[]>();
  for (const r of rows) byUser.set(Number(r.user_id), [...(byUser.get(Number(r.user_id)) ?? []), r]);
  for (const [userId, facts] of byUser) {
    facts.sort((a, b) => LINE_ORDER.indexOf(a.kind) - LINE_ORDER.indexOf(b.kind) || Number(b.n) - Number(a.n) || a.tag.localeCompare(b.tag));
    // An accepted answer is also an answer: say the accepted count, not both.
    const shown = facts.filter((f, i) => !(f.kind === "answer" && facts.some((g, j) => j !== i && g.kind === "accepted_answer" && g.tag === f.tag)));
    // A page is one fact, whatever its number of tags, and "verified" says "owns" already (verified comes first).
    const pages = new Set<string>();
    const text: string[] = [];
    for (const f of shown) {
      if (f.title !== null) {
        if (pages.has(f.title)) continue;
        pages.add(f.title);
      }
      const said = fact(f.kind, Number(f.n), f.tag, f.title);
      if (!text.includes(said)) text.push(said);
      if (text.length === (options.facts ?? 2)) break;
    }
    if (text.length > 0) lines.set(userId, text.join(", "));
  }
  return lines;
}

export type SuggestedExpert = { id: number; name: string; title: string; department: string; why: string; value: number };

/**
 * Up to `limit` people who could answer a question, for `actor`: from its topics (the model) and
 * from its text (the people behind the most similar answered questions, pages and ideas, through
 * Meilisearch), combined by the model's `combineCandidates`. Untagged and brand-new questions
 * find experts through the text alone. The asker and people away or opted out of routing are
 * left out. When search is down the text part is skipped, never the page.
 */
export async function expertsForQuestion(
  db: Db,
  search: Meilisearch | null,
  actor: Actor,
  question: { id?: number; title: string; body?: string; tagIds: readonly number[]; authorId?: number },
  options: { limit?: number; exclude?: readonly number[]; prefix?: string; now?: Date; onError?: (error: unknown) => void } = {},
): Promise<SuggestedExpert[]> {
  const now = options.now ?? new Date();
  const s = await expertiseSettings(db);
  const spaces = await visibleSpaceIds(db, actor);
  const author = question.authorId ? [question.authorId] : [];
  // The ranking depends on the question and on which spaces the reader sees, not on who reads:
  // a question page's readers share it for a couple of minutes (a suggestion need not be fresher).
  const rank = async () => {
    const [topics, similar, recent] = await Promise.all([
      topicExperts(db, actor, question.tagIds, { limit: 50, exclude: author, now, settings: s }),
      search
        ? similarWork(db, search, actor, `${question.title} ${(question.body ?? "").slice(0, 300)}`, s, now, options.prefix ?? "", options.onError ?? (() => {}), question.id)
        : Promise.resolve([] as SimilarHit[]),
      recentStandings(db, actor, s, now, spaces),
    ]);
    return combineCandidates(
      topics.map((t) => ({ userId: t.userId, topic: t.value })),
      similar.filter((h) => !author.includes(h.userId)),
      s,
      recent.filter((r) => !author.includes(r.userId)),
    ).slice(0, 60);
  };
  const ranked = question.id === undefined ? await rank() : await remember(db, `rank:${question.id}:${options.prefix ?? ""}:${spaces.join(",")}`, now, rank);
  const exclude = new Set(options.exclude ?? []);
  const candidates = ranked.filter((r) => !exclude.has(r.userId)).slice(0, 30);
  if (candidates.length === 0) return [];
  // Who is active and available is read fresh: someone who just set themselves away drops out at once.
  const people = await db.execute<{ id: number; name: string; title: string; department: string }>(sql`
    select u.id, u.name, u.title, u.department from users u
     where u.id = any(${intArray(candidates.map((r) => r.userId))}) and u.kind = 'employee' and u.deactivated_at is null and ${availableSql(now)}`);
  const byId = new Map(people.map((p) => [Number(p.id), p]));
  const top = candidates.filter((r) => byId.has(r.userId)).slice(0, options.limit ?? 3);
  const ids = top.map((t) => t.userId);
  const lines = await remember(db, `lines:${question.tagIds.join(",")}:${ids.join(",")}:${spaces.join(",")}`, now, async () => {
    const onTopic = await evidenceLines(db, actor, ids, { tagIds: question.tagIds });
    const missing = ids.filter((id) => !onTopic.has(id));
    const general = missing.length ? await evidenceLines(db, actor, missing) : new Map<number, string>();
    return new Map([...general, ...onTopic]);
  });
  return top.map((t) => {
    const p = byId.get(t.userId)!;
    return { id: t.userId, name: p.name, title: p.title, department: p.department, value: t.value, why: lines.get(t.userId) ?? "answered similar questions" };
  });
}

/**
 * A small per-handle memory of reader-independent results for REMEMBER_MS, at most
 * REMEMBER_ENTRIES (the oldest go first). Keys carry everything the value depends on (the
 * question or topics, the visible spaces); a failed computation is not kept.
 */
const REMEMBER_MS = 120_000;
const REMEMBER_ENTRIES = 1000;
const remembered = new WeakMap<object, Map<string, { at: number; value: Promise<unknown> }>>();
function remember<T>(db: Db | Tx, key: string, now: Date, compute: () => Promise<T>): Promise<T> {
  let perDb = remembered.get(db);
  if (!perDb) remembered.set(db, (perDb = new Map()));
  const hit = perDb.get(key);
  if (hit && hit.at <= now.getTime() && now.getTime() - hit.at < REMEMBER_MS) return hit.value as Promise<T>;
  const value = compute();
  perDb.delete(key);
  perDb.set(key, { at: now.getTime(), value });
  if (perDb.size > REMEMBER_ENTRIES) perDb.delete(perDb.keys().next().value!);
  value.catch(() => perDb.delete(key));
  return value;
}

/**
 * The people behind the answered questions, pages and ideas most like the words, in the spaces
 * `actor` may see, each piece weighted as evidence and decayed: the text part of the model, for a
 * question (`expertsForQuestion`) and for the experts page's words. "last" matching drops words
 * from the end until something matches; "frequency" would keep the rarest word, so a long query
 * would find only near-copies (docs/expertise-evaluation.md measured both). One multi-search and
 * one statement.
 */
export async function similarWork(
  db: Db,
  client: Meilisearch,
  actor: Actor,
  words: string,
  s: AllExpertiseSettings,
  now: Date,
  prefix: string,
  onError: (error: unknown) => void,
  /** The question being answered, when it is itself in the index: left out of its own similar list. */
  excludeQuestionId?: number,
): Promise<SimilarHit[]> {
  const q = contentWords(words.slice(0, 500)).slice(0, 24).join(" ");
  if (q.length < 3) return [];
  const visible = await searchableSpaces(db, actor);
  if (visible.length === 0) return [];
  const shared = { q, matchingStrategy: "last" as const, attributesToRetrieve: ["id"] };
  let found: number[][];
  try {
    const { results } = await client.multiSearch({
      queries: [
        // One more than used: the question itself is dropped below (ids are not filterable).
        { ...shared, indexUid: indexName("question", prefix), filter: questionFilter(visible, { tags: [] }), limit: 21, attributesToSearchOn: ["title", "tags", "body"] },
        { ...shared, indexUid: indexName("wiki_page", prefix), filter: pageFilter(visible, { tags: [] }), limit: 5 },
        {
          ...shared,
          indexUid: indexName("idea", prefix),
          filter: [...ideaFilter(visible, { tags: [] }), `status IN [${["accepted", "in_progress", "implemented"].map(filterValue).join(", ")}]`],
          limit: 5,
        },
      ],
    });
    found = [0, 1, 2].map((i) => (results[i]?.hits ?? []).map((h) => Number((h as { id: unknown }).id)).filter(Number.isSafeInteger));
  } catch (error) {
    onError(error);
    return [];
  }
  found[0] = found[0]!.filter((id) => id !== excludeQuestionId).slice(0, 20);
  const [questionIds, pageIds, ideaIds] = found as [number[], number[], number[]];
  if (questionIds.length + pageIds.length + ideaIds.length === 0) return [];
  const w = s.weights;
  const rows = await db.execute<{ source: number; item: number; user_id: number; weight: number; at: Date | string }>(sql`
    select 0 as source, a.parent_id as item, a.author_id as user_id,
           case when q.accepted_answer_id = a.id and q.author_id <> a.author_id then ${w.accepted_answer + w.answer}::float8 else ${w.answer}::float8 end as weight, a.created_at as at
      from posts a join posts q on q.id = a.parent_id
     where a.parent_id = any(${intArray(questionIds)}) and a.type = 'answer' and a.deleted_at is null and q.deleted_at is null and ${inVisibleSpace(actor, sql`a.space_id`)}
    union all
    select 1, o.page_id, o.user_id, ${w.page_owned}::float8, o.created_at from wiki_page_owners o join wiki_pages p on p.id = o.page_id
     where o.page_id = any(${intArray(pageIds)}) and p.deleted_at is null and ${inVisibleSpace(actor, sql`p.space_id`)}
    union all
    select 2, o.idea_id, o.user_id, case when i.status = 'implemented' then ${w.idea_implemented}::float8 else ${w.idea_accepted}::float8 end, i.status_changed_at
      from idea_owners o join ideas i on i.id = o.idea_id
     where o.idea_id = any(${intArray(ideaIds)}) and o.state = 'accepted' and ${inVisibleSpace(actor, sql`i.space_id`)}`);
  return rows.map((r) => ({
    userId: Number(r.user_id),
    rank: found[Number(r.source)]!.indexOf(Number(r.item)),
    weight: decayedWeight(Number(r.weight), new Date(r.at), now, s.halfLifeDays),
  }));
}

/**
 * "Answering lately" for everyone, as `actor` may see it: each person's evidence in any topic
 * (each item once: its rows repeat per tag), halved every `recentHalfLifeDays`. It changes slowly
 * and is the same for everyone who sees the same spaces, so it is kept a minute per set of spaces
 * and database handle rather than summed on every question page.
 */
const RECENT_CACHE_MS = 60_000;
const recentCache = new WeakMap<object, Map<string, { at: number; value: Promise<RecentStanding[]> }>>();

export async function recentStandings(db: Db | Tx, actor: Actor, settings: AllExpertiseSettings, now: Date, visible?: number[]): Promise<RecentStanding[]> {
  const s = withDefaults(settings);
  const spaces = visible ?? (await visibleSpaceIds(db, actor));
  const key = `${s.recentHalfLifeDays}:${spaces.join(",")}`;
  let perDb = recentCache.get(db);
  if (!perDb) recentCache.set(db, (perDb = new Map()));
  const hit = perDb.get(key);
  if (hit && now.getTime() - hit.at < RECENT_CACHE_MS && hit.at <= now.getTime()) return hit.value;
  const h = s.recentHalfLifeDays;
  const value = db
    .execute<{ user_id: number; recent: number }>(
      sql`
      select x.user_id, sum(x.weight * power(2, -extract(epoch from (${now.toISOString()}::timestamptz - x.occurred_at)) / ${h * 86_400}::float8)) as recent
        from (select distinct on (e.user_id, e.item_id, e.kind) e.user_id, e.weight, e.occurred_at
                from expertise_evidence e
               where e.occurred_at > ${new Date(now.getTime() - 8 * h * 86_400_000).toISOString()}::timestamptz
                 and e.occurred_at <= ${now.toISOString()}::timestamptz
                 and e.space_id = any(${intArray(spaces)})) x
       group by x.user_id`,
    )
    .then((rows) => rows.map((r) => ({ userId: Number(r.user_id), recent: Number(r.recent) })));
  perDb.set(key, { at: now.getTime(), value });
  value.catch(() => perDb.delete(key));
  return value;
}

export type ExplainedEvidence = { kind: EvidenceKind; title: string; url: string | null; weight: number; occurredAt: Date; now: number };
export type ExplainedTopic = {
  tagId: number;
  tag: string;
  hidden: boolean;
  declared: boolean;
  score: number;
  confidence: number;
  value: number;
  evidenceCount: number;
  evidence: ExplainedEvidence[];
};

/**
 * Every score of a person explained, as `actor` may see it (the person themself sees their own
 * hidden topics; others never do): per topic the score, its confidence and rank value, and each
 * piece of evidence with its weight, its date and what is left of it after decay. `perTopic`
 * pieces at most per topic, newest first (the score counts them all).
 */
export async function explainPerson(
  db: Db,
  actor: Actor,
  userId: number,
  options: { now?: Date; perTopic?: number } = {},
): Promise<{ settings: AllExpertiseSettings; topics: ExplainedTopic[] }> {
  const now = options.now ?? new Date();
  const s = await expertiseSettings(db);
  const self = actor.id === userId;
  const rows = await db.execute<{ tag_id: number; tag: string; kind: EvidenceKind; item_id: number | null; weight: number; occurred_at: Date | string }>(sql`
    select e.tag_id, t.name as tag, e.kind, e.item_id, e.weight, e.occurred_at
      from expertise_evidence e join tags t on t.id = e.tag_id
     where e.user_id = ${userId} and ${inVisibleSpace(actor, sql`e.space_id`)}
       ${self ? sql`` : sql`and not exists (select 1 from user_topics h where h.user_id = e.user_id and h.tag_id = e.tag_id and h.hidden)`}
     order by e.occurred_at desc`);
  const settingsRows = await db.execute<{ tag_id: number; tag: string; declared: boolean; hidden: boolean }>(sql`
    select ut.tag_id, t.name as tag, ut.declared, ut.hidden from user_topics ut join tags t on t.id = ut.tag_id
     where ut.user_id = ${userId} ${self ? sql`` : sql`and ${tagVisibleTo(actor, sql`ut.tag_id`)}`}`);
  const topics = new Map<number, ExplainedTopic & { items: Array<{ kind: EvidenceKind; itemId: number | null; weight: number; occurredAt: Date }> }>();
  const topicOf = (tagId: number, tag: string) => {
    let t = topics.get(tagId);
    if (!t) {
      t = { tagId, tag, hidden: false, declared: false, score: 0, confidence: 0, value: 0, evidenceCount: 0, evidence: [], items: [] };
      topics.set(tagId, t);
    }
    return t;
  };
  for (const r of rows) {
    const t = topicOf(Number(r.tag_id), r.tag);
    const occurredAt = new Date(r.occurred_at);
    t.score += decayedWeight(Number(r.weight), occurredAt, now, s.halfLifeDays);
    t.evidenceCount += 1;
    t.items.push({ kind: r.kind, itemId: r.item_id === null ? null : Number(r.item_id), weight: Number(r.weight), occurredAt });
  }
  for (const u of settingsRows) {
    if (!self && (u.hidden || !u.declared)) continue;
    if (!u.declared && !u.hidden && !topics.has(Number(u.tag_id))) continue;
    const t = topicOf(Number(u.tag_id), u.tag);
    t.declared = u.declared;
    t.hidden = u.hidden;
  }
  const perTopic = options.perTopic ?? 20;
  const shownItems = [...topics.values()].flatMap((t) => t.items.slice(0, perTopic).flatMap((i) => (i.itemId === null ? [] : [i.itemId])));
  const described = await describeItems(db, actor, shownItems);
  const out: ExplainedTopic[] = [];
  for (const t of topics.values()) {
    t.confidence = confidence(t.evidenceCount, s.confidenceK);
    t.value = rankValue(t.score, t.evidenceCount, t.declared, s);
    t.evidence = t.items.slice(0, perTopic).map((i) => {
      const d = i.itemId === null ? undefined : described.get(i.itemId);
      return { kind: i.kind, title: d?.title ?? "", url: d?.url ?? null, weight: i.weight, occurredAt: i.occurredAt, now: decayedWeight(i.weight, i.occurredAt, now, s.halfLifeDays) };
    });
    const { items: _items, ...topic } = t;
    out.push(topic);
  }
  out.sort((a, b) => b.value - a.value || a.tag.localeCompare(b.tag));
  return { settings: s, topics: out };
}

/** A person's top topics as `actor` may see them (the experts page's cards, the people index). */
export async function topTopics(
  db: Db | Tx,
  actor: Actor,
  userIds: readonly number[],
  options: { perPerson?: number; now?: Date } = {},
): Promise<Map<number, Array<{ tag: string; value: number }>>> {
  const out = new Map<number, Array<{ tag: string; value: number }>>();
  if (userIds.length === 0) return out;
  const now = options.now ?? new Date();
  const s = await expertiseSettings(db as Db);
  const factor = nowFactor(s, now);
  const rows = await db.execute<{ user_id: number; tag: string; value: number }>(sql`
    select x.user_id, x.tag, x.value from (
      select es.user_id, t.name as tag,
             sum(es.decayed) * ${factor}::float8 * (sum(es.evidence_count)::float8 / (sum(es.evidence_count) + ${s.confidenceK}::float8)) as value,
             row_number() over (partition by es.user_id order by sum(es.decayed) * (sum(es.evidence_count)::float8 / (sum(es.evidence_count) + ${s.confidenceK}::float8)) desc, t.name) as rn
        from expertise_scores es join tags t on t.id = es.tag_id
       where es.user_id = any(${intArray(userIds)}) and ${inVisibleSpace(actor, sql`es.space_id`)}
         and (es.user_id = ${actor.id} or not exists (select 1 from user_topics h where h.user_id = es.user_id and h.tag_id = es.tag_id and h.hidden))
       group by es.user_id, t.name
    ) x where x.rn <= ${options.perPerson ?? 3}
    order by x.user_id, x.value desc`);
  for (const r of rows) out.set(Number(r.user_id), [...(out.get(Number(r.user_id)) ?? []), { tag: r.tag, value: Number(r.value) }]);
  return out;
}

import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, questionTags, tags } from "#db/schema/index.ts";
import { type Actor, visibleSpaceIds } from "#app/features/spaces/visibility.server.ts";

/**
 * The question page's "Related tags": the tags that appear most often beside a question's tags,
 * counted on the latest RELATED_WINDOW questions given each of its tags, of those live and visible
 * to the reader.
 *
 * The window (the latest questions per tag) does not depend on the reader, and counts over it add
 * up space by space. So the costly part, counts per (space, tag) over the window's live questions,
 * is computed once per tag set and kept in a small cache; each request then sums the spaces the
 * reader may see, read fresh from the database with the visibility module. The cache holds no
 * decision about who sees what: a space made restricted, a membership ended or an account
 * deactivated takes effect on the next request, whatever the cache holds.
 *
 * What the cache may hold stale is only which questions are in the window and whether they are
 * live. This process's writes that change that (asking, retagging, deleting and restoring a
 * question) call `relatedTagsChanged`, which makes every entry old; writes from elsewhere (an
 * import run in its own process) show within RELATED_CACHE_MS. Bounded to RELATED_CACHE_SIZE tag
 * sets, least recently used first out: an entry has a row per (space, other tag) of at most
 * RELATED_WINDOW questions per tag, so a few hundred rows, and the whole cache a few MB.
 */
export const RELATED_WINDOW = 100;
export const RELATED_CACHE_SIZE = 200;
export const RELATED_CACHE_MS = 60_000;

/** Counts of one tag set's window: how many live questions in each space carry each other tag. */
/** `order`: the name's place among the entry's names in the database's own collation, so ties sort as they did in SQL. */
type SpaceCounts = Array<{ spaceId: number; name: string; order: number; questions: number }>;
type Entry = { at: number; generation: number; value: unknown };

let generation = 0;
const caches = new WeakMap<Db | Tx, Map<string, Entry>>();

/**
 * A question's tags or liveness, or an answer's, changed in this process: every cached window
 * (related tags, and the tag page's statistics) may have moved. Called after the write commits
 * (a read that began before it then is not kept as current).
 */
export function relatedTagsChanged(): void {
  generation++;
}

function cacheOf(db: Db | Tx): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Per (space, tag) counts over the window of `names`, without any visibility filter: the reader's spaces are applied after. */
async function windowCounts(db: Db | Tx, names: string[]): Promise<SpaceCounts> {
  const list = sql.join(
    names.map((n) => sql`${n}`),
    sql`, `,
  );
  const rows = await db.execute<{ space_id: number; name: string; ord: number; questions: number }>(sql`
    with mine as (select ${tags.id} as tag_id from ${tags} where ${tags.name} in (${list})),
    latest as (
      select distinct w.post_id
      from mine cross join lateral (
        select ${questionTags.postId} as post_id from ${questionTags}
        where ${questionTags.tagId} = mine.tag_id
        order by ${questionTags.questionCreatedAt} desc, ${questionTags.postId} desc
        limit ${RELATED_WINDOW}
      ) w
    )
    select ${posts.spaceId} as space_id, ${tags.name} as name, (dense_rank() over (order by ${tags.name}))::int as ord, count(*)::int as questions
    from latest
    join ${posts} on ${posts.id} = latest.post_id
    join ${questionTags} on ${questionTags.postId} = latest.post_id
    join ${tags} on ${tags.id} = ${questionTags.tagId}
    where ${posts.type} = 'question' and ${posts.deletedAt} is null and ${questionTags.tagId} not in (select tag_id from mine)
    group by ${posts.spaceId}, ${tags.name}`);
  return rows.map((r) => ({ spaceId: Number(r.space_id), name: r.name, order: Number(r.ord), questions: Number(r.questions) }));
}

/**
 * A window's counts from the cache, or `load`ed and kept: one cache per database handle, keys
 * prefixed by their kind, each kind bounded to `size` entries (least recently used out first) and
 * every entry to RELATED_CACHE_MS and the current generation. The tag page's statistics
 * (tags.server.ts) keep theirs here too, on the same rules.
 */
export async function cachedWindow<T>(db: Db | Tx, key: string, size: number, load: () => Promise<T>): Promise<T> {
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && now - hit.at < RELATED_CACHE_MS) {
    // Most recently used last: a Map iterates in insertion order, so the first key of a kind is the one to drop.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as T;
  }
  const started = generation;
  const value = await load();
  // A write that landed while this read ran may not be in it: keep it only when none did.
  if (started === generation) {
    cache.delete(key);
    cache.set(key, { at: now, generation: started, value });
    const kind = key.slice(0, key.indexOf("\n") + 1);
    let count = 0;
    for (const k of cache.keys()) if (k.startsWith(kind)) count++;
    for (const k of cache.keys()) {
      if (count <= size) break;
      if (k.startsWith(kind)) {
        cache.delete(k);
        count--;
      }
    }
  }
  return value;
}

async function cachedWindowCounts(db: Db | Tx, names: string[]): Promise<SpaceCounts> {
  return cachedWindow(db, `related\n${names.join("\n")}`, RELATED_CACHE_SIZE, () => windowCounts(db, names));
}

/** The spaces the actor may see right now, to filter counts made for everyone (null: all of them, an admin). */
export async function visibleSpaceSet(db: Db | Tx, actor: Actor): Promise<Set<number> | null> {
  if (actor.kind === "employee" && !actor.deactivatedAt && actor.role === "admin") return null;
  return new Set(await visibleSpaceIds(db, actor));
}

/** Related tags for a question with these tags, as `actor` may see them: most questions first, then by name. */
export async function relatedTagsFor(db: Db | Tx, actor: Actor, questionTags: readonly string[], limit = 8): Promise<Array<{ name: string; questions: number }>> {
  const names = [...new Set(questionTags)].sort();
  if (names.length === 0) return [];
  const [counts, visible] = await Promise.all([cachedWindowCounts(db, names), visibleSpaceSet(db, actor)]);
  const sums = new Map<string, { name: string; order: number; questions: number }>();
  for (const c of counts) {
    if (visible !== null && !visible.has(c.spaceId)) continue;
    const sum = sums.get(c.name);
    if (sum) sum.questions += c.questions;
    else sums.set(c.name, { name: c.name, order: c.order, questions: c.questions });
  }
  return [...sums.values()]
    .sort((a, b) => b.questions - a.questions || a.order - b.order)
    .slice(0, limit)
    .map(({ name, questions }) => ({ name, questions }));
}

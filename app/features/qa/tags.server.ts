import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, questionTags, reputationEvents, spaceMembers, spaceTags, spaces, tags, users } from "#db/schema/index.ts";
import { getReputationRules, isModerator, readReputationRules, type ReputationActor, type ReputationRules } from "#app/features/reputation/rules.server.ts";
import { type Actor, inVisibleSpace, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { renderField } from "./posts.server.ts";
import { cachedWindow, relatedTagsFor, visibleSpaceSet } from "./related-tags.server.ts";
import { TAG_WINDOW } from "./list-params.ts";
import { TAG_MAX_LENGTH } from "./schemas.ts";
import { TagDescriptionSchema, type TagDescriptionInput } from "./tag-schema.ts";

/**
 * Tags as a reader sees them. Tags are shared by all spaces, but their use is not: a tag's count
 * is the sum of `space_tags.question_count` over the spaces the actor may see, and a tag with no
 * question there is absent from the index and from autocomplete, and its page (description
 * included) is a 404. A tag exists for a reader only through questions they may see: its name and
 * description were written about a space's questions, and a tag used only in a restricted space
 * would tell outsiders what that space works on.
 *
 * Describing a tag is the "create tags" privilege held in a space where the tag is used and that
 * the editor may see: reputation earned in that space (the ledger's events there) at or over the
 * threshold, or moderating that space; site moderators and admins hold it everywhere.
 */

/** Per tag, how many live questions the actor can see with it. */
function visibleCounts(db: Db | Tx, actor: Actor) {
  return db
    .select({ tagId: spaceTags.tagId, n: sql<number>`sum(${spaceTags.questionCount})::int`.as("n") })
    .from(spaceTags)
    .where(inVisibleSpace(actor, spaceTags.spaceId))
    .groupBy(spaceTags.tagId)
    .having(sql`sum(${spaceTags.questionCount}) > 0`)
    .as("visible_counts");
}

/** `like` treats % and _ as wildcards; a search for them means the characters. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The plain text of stored description HTML, cut for a one-line excerpt. Rendered as text, never HTML. */
export function excerptOf(html: string, max = 160): string {
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!)
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export type TagSummary = { name: string; questionCount: number; excerpt: string };

export const TAGS_PAGE_SIZE = 36;

/** The tags index: tags in use in visible spaces, filtered by a substring, most used or by name. One query. */
export async function tagIndex(db: Db | Tx, actor: Actor, input: { q?: string | undefined; sort: "popular" | "name"; page: number }) {
  const counts = visibleCounts(db, actor);
  const q = (input.q ?? "").trim().toLowerCase().slice(0, TAG_MAX_LENGTH);
  const offset = (Math.max(1, Math.min(input.page, 10_000)) - 1) * TAGS_PAGE_SIZE;
  const rows = await db
    .select({ name: tags.name, html: tags.descriptionHtml, questionCount: counts.n, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(counts)
    .innerJoin(tags, eq(tags.id, counts.tagId))
    .where(q ? sql`${tags.name} like ${`%${likeEscape(q)}%`}` : undefined)
    .orderBy(...(input.sort === "name" ? [asc(tags.name)] : [desc(counts.n), asc(tags.name)]))
    .limit(TAGS_PAGE_SIZE)
    .offset(offset);
  return {
    tags: rows.map((r) => ({ name: r.name, questionCount: r.questionCount, excerpt: excerptOf(r.html) })),
    total: rows[0]?.total ?? 0,
    offset,
    pageSize: TAGS_PAGE_SIZE,
  };
}

/**
 * Autocomplete for the ask form: tags visible to the actor starting with `q`, the ones used in
 * `spaceSlug` first (when the actor may see that space), then the most used. One query.
 */
export async function tagSuggestions(db: Db | Tx, actor: Actor, input: { q: string; spaceSlug?: string | undefined }): Promise<TagSummary[]> {
  const counts = visibleCounts(db, actor);
  const q = input.q.trim().toLowerCase().slice(0, TAG_MAX_LENGTH);
  const here = alias(spaceTags, "here");
  const spaceId: SQL = input.spaceSlug ? sql`(select ${spaces.id} from ${spaces} where ${spaces.slug} = ${input.spaceSlug.slice(0, 100)} and ${visibleSpacesCondition(actor)})` : sql`null`;
  const rows = await db
    .select({ name: tags.name, html: tags.descriptionHtml, questionCount: counts.n })
    .from(counts)
    .innerJoin(tags, eq(tags.id, counts.tagId))
    .leftJoin(here, and(eq(here.tagId, tags.id), sql`${here.spaceId} = ${spaceId}`))
    .where(q ? sql`${tags.name} like ${`${likeEscape(q)}%`}` : undefined)
    .orderBy(desc(sql`coalesce(${here.questionCount}, 0) > 0`), desc(counts.n), asc(tags.name))
    .limit(10);
  return rows.map((r) => ({ name: r.name, questionCount: r.questionCount, excerpt: excerptOf(r.html) }));
}

/**
 * Whether the actor may describe this tag: site moderators and admins; otherwise the "create
 * tags" privilege in one of the visible spaces where the tag is used, by moderating that space or
 * by the reputation earned there. Reputation from elsewhere does not count: it says nothing of the
 * editor's standing among the people who use the tag. At most two queries.
 */
export async function canEditTag(db: Db | Tx, actor: ReputationActor, tagId: number, rules?: Promise<ReputationRules>): Promise<boolean> {
  if (actor.kind !== "employee" || actor.deactivatedAt) return false;
  if (isModerator(actor)) return true;
  const threshold = (await (rules ?? getReputationRules(db))).thresholds.createTag;
  const [row] = await db.execute<{ allowed: boolean }>(sql`
    select exists (
      select 1 from ${spaceTags} st
      left join ${spaceMembers} m on m.space_id = st.space_id and m.user_id = ${actor.id}
      -- The editor's events read once, summed per space (not once per space the tag is used in).
      left join (select e.space_id, sum(e.delta) as earned from ${reputationEvents} e where e.user_id = ${actor.id} group by e.space_id) r
        on r.space_id = st.space_id
      where st.tag_id = ${tagId} and st.question_count > 0 and ${inVisibleSpace(actor, sql`st.space_id`)}
        and (m.role = 'moderator' or coalesce(r.earned, 0) >= ${threshold})
    ) as allowed`);
  return Boolean(row?.allowed);
}

/** One tag for the actor, with its visible question count, or a 404 when it does not exist for them. */
async function visibleTag(db: Db | Tx, actor: Actor, name: string, options: { forUpdate?: boolean } = {}) {
  if (name.length === 0 || name.length > TAG_MAX_LENGTH) spaceNotFound();
  const query = db
    .select({
      tag: tags,
      questionCount: sql<number>`coalesce((select sum(${spaceTags.questionCount}) from ${spaceTags} where ${spaceTags.tagId} = ${tags.id} and ${inVisibleSpace(actor, spaceTags.spaceId)}), 0)::int`,
    })
    .from(tags)
    .where(eq(tags.name, name))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  // Customers and deactivated accounts see no space, so no tag either.
  if (!row || actor.kind !== "employee" || actor.deactivatedAt) spaceNotFound();
  if (row.questionCount === 0) spaceNotFound();
  return row;
}

const TOP_PEOPLE = 5;
/** Tags whose statistics are kept (the most recently read): an entry is a few hundred rows at most. */
export const TAG_STATISTICS_CACHE_SIZE = 100;

type TagPerson = { id: number; name: string; title: string };

/**
 * What the tag page's three statistics are counted from, space by space: of the latest TAG_WINDOW
 * questions given the tag, those live, by space: questions per asker, answers and their score per
 * answerer, and questions per other tag. `order` is a name's place among the entry's names in the
 * database's collation, so ties sort as they did in SQL.
 */
type TagWindow = {
  askers: Array<TagPerson & { spaceId: number; order: number; questions: number }>;
  answerers: Array<TagPerson & { spaceId: number; order: number; score: number; answers: number }>;
  related: Array<{ spaceId: number; name: string; order: number; questions: number }>;
};

/**
 * The window is taken off the (tag, question time) index alone, then filtered to live questions,
 * so its cost is bounded whatever the planner guesses about the tag's size, and it is walked once
 * (materialized) for the three. It does not depend on the reader: their spaces are applied after.
 */
async function tagWindow(db: Db | Tx, tagId: number): Promise<TagWindow> {
  const [row] = await db.execute<TagWindow>(sql`
    with latest as materialized (
      select ${posts.id} as id, ${posts.authorId} as author_id, ${posts.spaceId} as space_id
      from (
        select ${questionTags.postId} as post_id from ${questionTags}
        where ${questionTags.tagId} = ${tagId}
        order by ${questionTags.questionCreatedAt} desc, ${questionTags.postId} desc
        limit ${TAG_WINDOW}
      ) w
      join ${posts} on ${posts.id} = w.post_id
      where ${posts.type} = 'question' and ${posts.deletedAt} is null
    ),
    askers as (
      select latest.space_id, u.id, u.name, u.title, count(*)::int as questions, dense_rank() over (order by u.name)::int as ord
      from latest join ${users} u on u.id = latest.author_id
      group by latest.space_id, u.id
    ),
    answerers as (
      select latest.space_id, u.id, u.name, u.title, sum(a.score)::int as score, count(*)::int as answers, dense_rank() over (order by u.name)::int as ord
      from latest join ${posts} a on a.parent_id = latest.id join ${users} u on u.id = a.author_id
      where a.type = 'answer' and a.deleted_at is null
      group by latest.space_id, u.id
    ),
    related as (
      select latest.space_id, t.name, count(*)::int as questions, dense_rank() over (order by t.name)::int as ord
      from latest join ${questionTags} other on other.post_id = latest.id and other.tag_id <> ${tagId} join ${tags} t on t.id = other.tag_id
      group by latest.space_id, t.name
    )
    select
      (select coalesce(json_agg(json_build_object('spaceId', space_id, 'id', id, 'name', name, 'title', title, 'questions', questions, 'order', ord)), '[]') from askers) as askers,
      (select coalesce(json_agg(json_build_object('spaceId', space_id, 'id', id, 'name', name, 'title', title, 'score', score, 'answers', answers, 'order', ord)), '[]') from answerers) as answerers,
      (select coalesce(json_agg(json_build_object('spaceId', space_id, 'name', name, 'questions', questions, 'order', ord)), '[]') from related) as related`);
  return row!;
}

/** Sums a window's rows over the spaces the reader may see (null: all), one row per `key`. */
function sumVisible<T extends { spaceId: number }>(rows: T[], visible: Set<number> | null, key: (r: T) => string | number, add: (sum: T, r: T) => void): T[] {
  const sums = new Map<string | number, T>();
  for (const r of rows) {
    if (visible !== null && !visible.has(r.spaceId)) continue;
    const sum = sums.get(key(r));
    if (sum) add(sum, r);
    else sums.set(key(r), { ...r });
  }
  return [...sums.values()];
}

/**
 * The tag page's three statistics (top askers, top answerers, related tags), counted on the
 * latest TAG_WINDOW questions given the tag, of those live and visible to the actor.
 *
 * The window's counts per space are cached per tag on the related tags' rules
 * (related-tags.server.ts): the reader's spaces are read fresh on every request and applied to
 * them, so the cache decides nothing about who sees what. Asking, retagging, answering and
 * deleting or restoring a post in this process make every entry old; what may lag by up to
 * RELATED_CACHE_MS is a vote's change to an answerer's score, a name change, and writes from other
 * processes.
 */
async function tagStatistics(db: Db | Tx, actor: Actor, tagId: number) {
  const [window, visible] = await Promise.all([cachedWindow(db, `tag\n${tagId}`, TAG_STATISTICS_CACHE_SIZE, () => tagWindow(db, tagId)), visibleSpaceSet(db, actor)]);
  const askers = sumVisible(
    window.askers,
    visible,
    (r) => r.id,
    (sum, r) => (sum.questions += r.questions),
  )
    .sort((a, b) => b.questions - a.questions || a.order - b.order || a.id - b.id)
    .slice(0, TOP_PEOPLE)
    .map(({ id, name, title, questions }) => ({ id, name, title, questions }));
  const answerers = sumVisible(
    window.answerers,
    visible,
    (r) => r.id,
    (sum, r) => {
      sum.score += r.score;
      sum.answers += r.answers;
    },
  )
    .sort((a, b) => b.score - a.score || b.answers - a.answers || a.order - b.order || a.id - b.id)
    .slice(0, TOP_PEOPLE)
    .map(({ id, name, title, score, answers }) => ({ id, name, title, score, answers }));
  const related = sumVisible(
    window.related,
    visible,
    (r) => r.name,
    (sum, r) => (sum.questions += r.questions),
  )
    .sort((a, b) => b.questions - a.questions || a.order - b.order)
    .slice(0, 10)
    .map(({ name, questions }) => ({ name, questions }));
  return { askers, answerers, related };
}

/**
 * A tag's page: the tag, its visible question count, who asks and who answers most under it, and
 * the tags that appear with it, all counted on live questions in spaces the actor may see.
 */
export async function tagPage(db: Db, actor: ReputationActor, name: string) {
  const { tag, questionCount } = await visibleTag(db, actor, name);
  const [statistics, canEdit] = await Promise.all([
    tagStatistics(db, actor, tag.id),
    // Only shows a link: the rules a few seconds old will do (the save reads them fresh).
    canEditTag(db, actor, tag.id, readReputationRules(db)),
  ]);
  return {
    tag: { name: tag.name, description: tag.description, descriptionHtml: tag.descriptionHtml, updatedAt: tag.updatedAt, questionCount },
    /** Whether the people and related tags are counted on the latest TAG_WINDOW questions rather than all. */
    windowed: questionCount > TAG_WINDOW,
    topAskers: statistics.askers,
    topAnswerers: statistics.answerers,
    related: statistics.related,
    canEdit,
  };
}

const NOT_A_TAG_EDITOR = "A tag's description is edited by moderators and by people with enough reputation in a space that uses the tag.";

/** The tag and its description for the edit form: a 404 when hidden, a 403 when the actor may not edit. */
export async function tagForEdit(db: Db | Tx, actor: ReputationActor, name: string) {
  const { tag } = await visibleTag(db, actor, name);
  if (!(await canEditTag(db, actor, tag.id))) throw new ForbiddenError(NOT_A_TAG_EDITOR);
  return { name: tag.name, description: tag.description };
}

/**
 * Sets a tag's description (markdown, rendered and sanitized by the one markdown module). For
 * whoever `canEditTag` allows, on a tag they can see.
 */
export async function updateTagDescription(
  db: Db,
  actor: ReputationActor,
  tagName: string,
  input: TagDescriptionInput,
): Promise<{ name: string; description: string; descriptionHtml: string }> {
  const parsed = TagDescriptionSchema.safeParse(input);
  if (!parsed.success) throw InputError.field("description", parsed.error.issues[0]?.message ?? "The description is not valid.");
  const { description } = parsed.data;
  const descriptionHtml = description === "" ? "" : renderField(description, "description");
  return db.transaction(async (tx) => {
    const { tag } = await visibleTag(tx, actor, tagName, { forUpdate: true });
    if (!(await canEditTag(tx, actor, tag.id))) throw new ForbiddenError(NOT_A_TAG_EDITOR);
    const [saved] = await tx
      .update(tags)
      .set({ description, descriptionHtml, updatedAt: new Date() })
      .where(eq(tags.id, tag.id))
      .returning({ name: tags.name, description: tags.description, descriptionHtml: tags.descriptionHtml });
    return saved!;
  });
}

/**
 * A question's related tags by its id, for `actor` (app/features/qa/related-tags.server.ts says how
 * they are counted and cached). The question page passes the tags it has already read instead.
 */
export async function relatedTags(db: Db | Tx, actor: Actor, questionId: number, limit = 8) {
  const [row] = await db.select({ tags: posts.tags }).from(posts).where(eq(posts.id, questionId));
  return relatedTagsFor(db, actor, row?.tags ?? [], limit);
}

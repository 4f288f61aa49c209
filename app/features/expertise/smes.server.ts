import { TAG_PAGE_SMES } from "./directory-params.ts";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { spaces, tagSmes } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { TAG_MAX_LENGTH } from "#app/features/qa/schemas.ts";
import { inVisibleSpace, spaceNotFound, visibleSpacesCondition, type Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { idParam, IdSchema } from "#app/lib/ids.ts";
import { smeStanding } from "./evidence.server.ts";
import { evidenceText, type EvidenceFact } from "./evidence-words.ts";
import type { EvidenceKind } from "./model.ts";
import { expertiseSettings } from "./settings.server.ts";

/**
 * Subject-matter experts per topic (docs/expertise.md): assigned by moderators, or automatic while
 * a person's expertise from open spaces is past the threshold (the expertise worker keeps those;
 * nothing here writes one). A person who hid a topic is never listed as its SME, whatever the
 * source. A tag's SMEs are seen by whoever sees the tag (the tag page's rule: a tag exists for a
 * reader through questions in spaces they may see).
 *
 * Who assigns and removes them: site moderators and admins, and the moderators of a space where
 * the tag is used.
 */

export const AssignSmeSchema = z.object({
  person: z
    .string({ error: "Name a colleague by their handle, e.g. @ada.lovelace." })
    .trim()
    .min(1, "Name a colleague by their handle, e.g. @ada.lovelace.")
    .max(200, "That is longer than any handle."),
});
export const RemoveSmeSchema = z.object({ userId: IdSchema });

export type SmeEntry = { id: number; name: string; title: string; source: "assigned" | "automatic"; deactivated: boolean; evidence: string | null };

const NOT_A_MANAGER = "SMEs are assigned and removed by site moderators, admins and the moderators of a space where the tag is used.";

/** The tag with this name as `actor` may see it, or the 404 of a missing one (the tag page's rule). */
async function visibleTag(db: Db | Tx, actor: Actor, name: string): Promise<{ id: number; name: string }> {
  if (name.length === 0 || name.length > TAG_MAX_LENGTH) spaceNotFound();
  const [row] = await db.execute<{ id: number; name: string }>(sql`
    select t.id, t.name from tags t
     where t.name = ${name}
       and exists (select 1 from space_tags st where st.tag_id = t.id and st.question_count > 0 and ${inVisibleSpace(actor, sql`st.space_id`)})`);
  if (!row) spaceNotFound();
  return { id: Number(row.id), name: row.name };
}

/** Whether `actor` may assign and remove this tag's SMEs. One query at most. */
export async function canManageSmes(db: Db | Tx, actor: Actor, tagId: number): Promise<boolean> {
  if (actor.kind !== "employee" || actor.deactivatedAt) return false;
  if (actor.role === "admin" || actor.role === "moderator") return true;
  const [row] = await db.execute<{ allowed: boolean }>(sql`
    select exists (
      select 1 from space_tags st join space_members m on m.space_id = st.space_id and m.user_id = ${actor.id} and m.role = 'moderator'
       where st.tag_id = ${tagId} and st.question_count > 0
    ) as allowed`);
  return row?.allowed === true;
}

/**
 * A tag's SMEs, assigned first, each with their evidence on the tag as `actor` may see it, in one
 * query (the tag page shows them). Deactivated people only when asked (the managing screen).
 *
 * Automatic SMEs come strongest first, by their open-space standing (tag_smes.standing, which the
 * expertise worker keeps with the SME rows: the scores it sums change only when it rebuilds the
 * person). The SMEs shown are chosen first, and only theirs is the evidence read: counted per kind
 * over the spaces the reader sees (taken once), page titles looked up for page kinds alone.
 */
async function smesOf(
  db: Db,
  actor: Actor,
  tag: { id: number } | { name: string },
  options: { deactivated: boolean; limit?: number; offset?: number },
): Promise<{ smes: SmeEntry[]; total: number }> {
  const rows = await db.execute<{
    total: number;
    id: number;
    name: string;
    title: string;
    source: "assigned" | "automatic";
    deactivated: boolean;
    tag: string;
    declared: boolean;
    facts: Array<{ kind: EvidenceKind; n: number; titles: string[] | null }>;
  }>(sql`
    with sme as (
      select u.id, u.name, u.title, ts.source, u.deactivated_at is not null as deactivated, t.id as tag_id, t.name as tag, ts.standing, count(*) over ()::int as total
        from tags t join tag_smes ts on ts.tag_id = t.id join users u on u.id = ts.user_id
       where ${"id" in tag ? sql`t.id = ${tag.id}` : sql`t.name = ${tag.name}`} and u.kind = 'employee' ${options.deactivated ? sql`` : sql`and u.deactivated_at is null`}
         and not exists (select 1 from user_topics h where h.user_id = ts.user_id and h.tag_id = ts.tag_id and h.hidden)
       order by ts.source = 'assigned' desc, ts.standing desc nulls last, u.name, u.id
       ${options.limit ? sql`limit ${options.limit}` : sql``} ${options.offset ? sql`offset ${options.offset}` : sql``}
    ), visible as materialized (select ${spaces.id} as id from ${spaces} where ${visibleSpacesCondition(actor)})
    select s.total, s.id, s.name, s.title, s.source, s.deactivated, s.tag,
           exists (select 1 from user_topics d where d.user_id = s.id and d.tag_id = s.tag_id and d.declared) as declared,
           coalesce((
             select json_agg(json_build_object('kind', f.kind, 'n', f.n, 'titles', (
                      select (array_agg(distinct p.title) filter (where p.title is not null))[1:2]
                        from wiki_pages p where p.item_id = any(f.pages) and p.deleted_at is null)))
               from (
                 select e.kind, count(*)::int as n, array_agg(e.item_id) filter (where e.kind in ('page_owned', 'page_verified')) as pages
                   from expertise_evidence e
                  where e.user_id = s.id and e.tag_id = s.tag_id and e.space_id in (select id from visible)
                  group by e.kind
               ) f
           ), '[]'::json) as facts
      from sme s
     order by s.source = 'assigned' desc, s.standing desc nulls last, s.name, s.id`);
  const smes = rows.map((r) => {
    const facts: EvidenceFact[] = r.facts.map((f) => ({ kind: f.kind, n: Number(f.n), tag: r.tag, titles: f.titles ?? [] }));
    if (r.declared) facts.push({ kind: "declared", n: 1, tag: r.tag, titles: [] });
    const evidence = evidenceText(facts, 2);
    return { id: Number(r.id), name: r.name, title: r.title, source: r.source, deactivated: r.deactivated === true, evidence: evidence || null };
  });
  // A page past the end has no rows to carry the count: count again, without the evidence.
  if (rows.length === 0 && options.offset) return { smes, total: (await smesOf(db, actor, tag, { deactivated: options.deactivated, limit: 1 })).total };
  return { smes, total: rows[0] ? Number(rows[0].total) : 0 };
}

/**
 * The tag page's SMEs. The caller has answered 404 for a tag the reader can't see (the tag page
 * does, through `tagPage`): this names people, never whether a tag exists. One query.
 */
export async function tagSmeList(db: Db, actor: Actor, name: string): Promise<SmeEntry[]> {
  // A popular topic can have hundreds of automatic SMEs: the card shows the first few, the SMEs screen all.
  return (await smesOf(db, actor, { name }, { deactivated: false, limit: TAG_PAGE_SMES })).smes;
}

/** SMEs on a page of the SMEs screen: a popular topic has hundreds of automatic ones. */
export const SME_PAGE_SIZE = 50;

/** The SMEs screen: the tag, its SMEs (deactivated ones too, for managers to remove), whether the reader manages them, the threshold. */
export async function smePage(db: Db, actor: Actor, name: string, page = 1) {
  const tag = await visibleTag(db, actor, name);
  const canManage = await canManageSmes(db, actor, tag.id);
  const offset = (Math.max(1, page) - 1) * SME_PAGE_SIZE;
  const [{ smes, total }, settings] = await Promise.all([smesOf(db, actor, tag, { deactivated: canManage, limit: SME_PAGE_SIZE, offset }), expertiseSettings(db)]);
  return { tag, smes, total, offset, pageSize: SME_PAGE_SIZE, canManage, threshold: settings.smeThreshold };
}

/**
 * Makes the person `input.person` names (a handle, or an id) an assigned SME of the tag. An
 * automatic SME becomes an assigned one (and stays when their expertise drops). Someone who hid
 * the topic can't be assigned: they asked not to be listed for it.
 */
export async function assignSme(db: Db, actor: Actor, tagName: string, input: z.output<typeof AssignSmeSchema>): Promise<{ name: string; changed: boolean }> {
  return db.transaction(async (tx) => {
    const tag = await visibleTag(tx, actor, tagName);
    if (!(await canManageSmes(tx, actor, tag.id))) throw new ForbiddenError(NOT_A_MANAGER);
    const handle = input.person.replace(/^@/, "").toLowerCase();
    const asId = idParam(input.person);
    const userId = Number.isNaN(asId) ? (await usersByHandle(tx, [handle])).get(handle) : asId;
    const unknown = () => InputError.field("person", `No one active goes by @${handle.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
    if (userId === undefined) throw unknown();
    const [person] = await tx.execute<{ id: number; name: string; active: boolean; hidden: boolean }>(sql`
      select u.id, u.name, (u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null) as active,
             exists (select 1 from user_topics h where h.user_id = u.id and h.tag_id = ${tag.id} and h.hidden) as hidden
        from users u where u.id = ${userId}`);
    if (!person || !person.active) throw unknown();
    if (person.hidden) throw InputError.field("person", `${person.name} has chosen not to be listed for ${tag.name}, so they can't be its SME.`);
    const changed = await tx
      .insert(tagSmes)
      // Their standing orders them among the assigned; the worker keeps it from here on.
      .values({ tagId: tag.id, userId: person.id, source: "assigned", assignedById: actor.id, standing: smeStanding(sql`${person.id}::int`, sql`${tag.id}::int`) })
      .onConflictDoUpdate({ target: [tagSmes.tagId, tagSmes.userId], set: { source: "assigned", assignedById: actor.id }, setWhere: sql`${tagSmes.source} = 'automatic'` })
      .returning({ userId: tagSmes.userId });
    return { name: person.name, changed: changed.length > 0 };
  });
}

/**
 * Removes an assigned SME. An automatic one can't be removed: they are an SME while their
 * expertise is past the threshold, and only they can leave the list (by hiding the topic). The
 * person is queued for the expertise worker, which makes them automatic again if they qualify.
 */
export async function removeSme(db: Db, actor: Actor, tagName: string, userId: number): Promise<{ removed: boolean }> {
  return db.transaction(async (tx) => {
    const tag = await visibleTag(tx, actor, tagName);
    if (!(await canManageSmes(tx, actor, tag.id))) throw new ForbiddenError(NOT_A_MANAGER);
    const [row] = await tx
      .select({ source: tagSmes.source })
      .from(tagSmes)
      .where(and(eq(tagSmes.tagId, tag.id), eq(tagSmes.userId, userId)))
      .for("update");
    if (!row) return { removed: false };
    if (row.source === "automatic") {
      throw new InputError(
        `This person is an SME of ${tag.name} automatically, while their expertise in it is past the threshold; it can't be removed by hand. They can hide the topic from their profile to leave the list.`,
      );
    }
    await tx.delete(tagSmes).where(and(eq(tagSmes.tagId, tag.id), eq(tagSmes.userId, userId)));
    await tx.execute(sql`select expertise_enqueue(array[${userId}]::int[])`);
    return { removed: true };
  });
}

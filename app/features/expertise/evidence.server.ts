import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { enqueueIndexing, OUTBOX_CHANNEL } from "#search/outbox.server.ts";
import { DECAY_EPOCH_MS } from "./model.ts";
import { getExpertiseSettings, type AllExpertiseSettings } from "./settings.server.ts";

/**
 * The expertise model's evidence (docs/expertise.md), rebuilt from the content and the ledgers.
 *
 * Every piece is a row of `expertise_evidence`: who, which topic (tag), which space (the space
 * of the item it came from, so a reader's view can leave out what they may not see), what kind,
 * which item, its weight and when it happened. `expertise_scores` sums them per person, topic and
 * space with the decay folded in (db/schema/expertise.ts explains the stored form).
 *
 * Rebuilding is per person and set-based: the people named in `expertise_outbox` (triggers of
 * migration 0011 name them in the transaction of any change to their evidence) lose their rows
 * and get them again from one INSERT ... SELECT per table. `recomputeAll` does the same for
 * everyone, after a bulk load or a change of weights or half-life. Neither runs on a request.
 *
 * Self-declared topics are not evidence rows: they have no space and no date, and they are read
 * from `user_topics` where people are ranked (experts.server.ts).
 */

/** A condition on a person column: some people, or everyone. */
type Who = (column: SQL) => SQL;
const somePeople =
  (ids: number[]): Who =>
  (column) =>
    sql`${column} = any(${`{${ids.join(",")}}`}::int[])`;
const everyone: Who = () => sql`true`;

/** Σ weight · 2^((t − epoch) / half-life), as stored in expertise_scores.decayed. */
function stored(weight: SQL, at: SQL, halfLifeDays: number): SQL {
  return sql`(${weight}) * power(2, (extract(epoch from ${at}) * 1000 - ${DECAY_EPOCH_MS}) / ${halfLifeDays * 86_400_000}::float8)`;
}

/**
 * The SELECT of every piece of evidence of the people `who` names: (user_id, tag_id, space_id,
 * kind, item_id, weight, occurred_at). Deleted content, withdrawn and private kudos, and
 * employees' own questions (an asker accepting their own answer) give none.
 */
function evidenceSelect(who: Who, s: AllExpertiseSettings): SQL {
  const w = s.weights;
  return sql`
    -- Answers, on the question's tags; a second row when the asker (someone else) accepted it.
    select a.author_id as user_id, qt.tag_id, a.space_id, 'answer'::expertise_evidence_kind as kind, a.item_id, ${w.answer}::float8 as weight, a.created_at as occurred_at
      from posts a join posts q on q.id = a.parent_id join question_tags qt on qt.post_id = q.id
     where a.type = 'answer' and a.deleted_at is null and q.deleted_at is null and ${who(sql`a.author_id`)}
    union all
    select a.author_id, qt.tag_id, a.space_id, 'accepted_answer', a.item_id, ${w.accepted_answer}::float8, a.created_at
      from posts a join posts q on q.id = a.parent_id and q.accepted_answer_id = a.id join question_tags qt on qt.post_id = q.id
     where a.deleted_at is null and q.deleted_at is null and q.author_id <> a.author_id and ${who(sql`a.author_id`)}
    union all
    -- Net upvotes on an answer (its score, kept by the votes ledger), dated with the answer.
    select a.author_id, qt.tag_id, a.space_id, 'answer_vote', a.item_id, ${w.answer_vote}::float8 * a.score, a.created_at
      from posts a join posts q on q.id = a.parent_id join question_tags qt on qt.post_id = q.id
     where a.type = 'answer' and a.score > 0 and a.deleted_at is null and q.deleted_at is null and ${who(sql`a.author_id`)}
    union all
    -- Suggested edits approved on a page.
    select sg.author_id, t.id, p.space_id, 'wiki_edit', p.item_id, ${w.wiki_edit}::float8, coalesce(sg.reviewed_at, sg.created_at)
      from wiki_suggestions sg join wiki_pages p on p.id = sg.page_id join tags t on t.name = any(p.tags)
     where sg.status = 'approved' and p.deleted_at is null and ${who(sql`sg.author_id`)}
    union all
    -- Pages owned; and verified by the owner who verified them.
    select o.user_id, t.id, p.space_id, 'page_owned', p.item_id, ${w.page_owned}::float8, o.created_at
      from wiki_page_owners o join wiki_pages p on p.id = o.page_id join tags t on t.name = any(p.tags)
     where p.deleted_at is null and ${who(sql`o.user_id`)}
    union all
    select p.verified_by_id, t.id, p.space_id, 'page_verified', p.item_id, ${w.page_verified}::float8, p.verified_at
      from wiki_pages p join wiki_page_owners o on o.page_id = p.id and o.user_id = p.verified_by_id join tags t on t.name = any(p.tags)
     where p.verified_at is not null and p.deleted_at is null and ${who(sql`p.verified_by_id`)}
    union all
    -- Ideas accepted (or on their way) and implemented, to every owner who accepted ownership.
    select o.user_id, t.id, i.space_id,
           (case when i.status = 'implemented' then 'idea_implemented' else 'idea_accepted' end)::expertise_evidence_kind, i.item_id,
           (case when i.status = 'implemented' then ${w.idea_implemented} else ${w.idea_accepted} end)::float8, i.status_changed_at
      from idea_owners o join ideas i on i.id = o.idea_id join tags t on t.name = any(i.tags)
     where o.state = 'accepted' and i.status in ('accepted', 'in_progress', 'implemented') and ${who(sql`o.user_id`)}
    union all
    -- Kudos received on something with topics (public ones only: a private kudos is nobody else's business).
    select r.user_id, st.tag_id, k.space_id, 'kudos', k.item_id, ${w.kudos}::float8, k.created_at
      from kudos_receivers r join kudos k on k.id = r.kudos_id
      join lateral (
        select qt.tag_id from posts sp join question_tags qt on qt.post_id = coalesce(sp.parent_id, sp.id)
         where sp.item_id = k.subject_item_id and sp.deleted_at is null
        union select t.id from wiki_pages wp join tags t on t.name = any(wp.tags) where wp.item_id = k.subject_item_id and wp.deleted_at is null
        union select t.id from ideas i join tags t on t.name = any(i.tags) where i.item_id = k.subject_item_id
        union select t.id from articles ar join tags t on t.name = any(ar.tags) where ar.item_id = k.subject_item_id and ar.deleted_at is null
      ) st on true
     where k.deleted_at is null and not k.private and k.subject_item_id is not null and ${who(sql`r.user_id`)}`;
}

/**
 * Replaces the people's evidence and scores. Both are written in person order: a profile and the
 * experts pages read one person's rows by the primary key, and a full recompute (the generator,
 * `npm run experts:recompute`) written in hash order left a busy person's 557 scores on as many pages
 * (580 buffers for the profile's top topics at 20,000 questions; 29 in person order).
 */
async function rebuild(db: Db | Tx, who: Who, s: AllExpertiseSettings): Promise<void> {
  await db.execute(sql`delete from expertise_evidence where ${who(sql`user_id`)}`);
  await db.execute(sql`delete from expertise_scores where ${who(sql`user_id`)}`);
  await db.execute(sql`
    insert into expertise_evidence (user_id, tag_id, space_id, kind, item_id, weight, occurred_at)
    select e.user_id, e.tag_id, e.space_id, e.kind, e.item_id, e.weight, e.occurred_at
      from (${evidenceSelect(who, s)}) e join users u on u.id = e.user_id
     where u.kind = 'employee' and e.weight > 0
     order by e.user_id, e.tag_id`);
  await db.execute(sql`
    insert into expertise_scores (user_id, tag_id, space_id, decayed, evidence_count, last_evidence_at)
    select user_id, tag_id, space_id, sum(${stored(sql`weight`, sql`occurred_at`, s.halfLifeDays)}), count(*), max(occurred_at)
      from expertise_evidence where ${who(sql`user_id`)}
     group by user_id, tag_id, space_id
     order by user_id, tag_id, space_id`);
}

/**
 * Automatic SMEs of the people named: a topic where their ranking value from open spaces alone
 * (a list everyone sees must not rest on a restricted space) reaches the threshold. Assigned SMEs
 * are never touched; automatic ones below the threshold go.
 */
async function refreshAutomaticSmes(db: Db | Tx, who: Who, s: AllExpertiseSettings, now: Date): Promise<void> {
  const factor = 2 ** (-(now.getTime() - DECAY_EPOCH_MS) / (s.halfLifeDays * 86_400_000));
  const qualified = sql`
    select es.user_id, es.tag_id
      from expertise_scores es join spaces sp on sp.id = es.space_id and sp.visibility = 'open'
      join users u on u.id = es.user_id and u.kind = 'employee' and u.deactivated_at is null
     where ${who(sql`es.user_id`)}
       and not exists (select 1 from user_topics ut where ut.user_id = es.user_id and ut.tag_id = es.tag_id and ut.hidden)
     group by es.user_id, es.tag_id
    having sum(es.decayed) * ${factor}::float8 * (sum(es.evidence_count)::float8 / (sum(es.evidence_count) + ${s.confidenceK}::float8)) >= ${s.smeThreshold}::float8`;
  await db.execute(sql`
    delete from tag_smes ts where ts.source = 'automatic' and ${who(sql`ts.user_id`)}
       and (ts.user_id, ts.tag_id) not in (${qualified})`);
  await db.execute(sql`
    insert into tag_smes (tag_id, user_id, source)
    select q.tag_id, q.user_id, 'automatic' from (${qualified}) q
    on conflict (tag_id, user_id) do nothing`);
  // Every SME row of theirs, assigned ones too, gets their open-space standing: what orders a
  // tag's SMEs (smes.server.ts), kept here so the tag page reads it instead of summing per person.
  await db.execute(sql`
    update tag_smes ts set standing = ${smeStanding(sql`ts.user_id`, sql`ts.tag_id`)}
     where ${who(sql`ts.user_id`)} and ts.standing is distinct from ${smeStanding(sql`ts.user_id`, sql`ts.tag_id`)}`);
}

/**
 * A person's standing on a topic from open spaces alone (Σ expertise_scores.decayed, null without
 * any): the order of a tag's SMEs, a list everyone sees, so it must not rest on a restricted space.
 * Stored in tag_smes.standing by the worker and when someone is assigned.
 */
export function smeStanding(userId: SQL, tagId: SQL): SQL {
  return sql`(select sum(es.decayed) from expertise_scores es join spaces sp on sp.id = es.space_id and sp.visibility = 'open'
                where es.user_id = ${userId} and es.tag_id = ${tagId})`;
}

/** Rebuilds these people's evidence, scores and automatic SMEs now (tests, and the worker). */
export async function recomputePeople(db: Db | Tx, userIds: number[], now = new Date()): Promise<void> {
  if (userIds.length === 0) return;
  await db.transaction(async (tx) => {
    const s = await getExpertiseSettings(tx);
    const who = somePeople(userIds);
    await rebuild(tx, who, s);
    await refreshAutomaticSmes(tx, who, s, now);
    // Their search documents carry their visible expertise (the people index).
    await enqueueIndexing(tx, "person", userIds, { priority: 1 });
  });
}

/**
 * Everyone's evidence from scratch (`npm run experts:recompute`, a new half-life or weights): one
 * transaction, so readers see the old model until the new one is whole. Empties the outbox of
 * what it covered.
 */
export async function recomputeAll(db: Db | Tx, now = new Date(), options: { queuePeople?: boolean } = {}): Promise<{ evidence: number; people: number }> {
  return db.transaction(async (tx) => {
    // One full rebuild at a time; the worker's batches wait for it rather than interleave.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('expertise-recompute'))`);
    await tx.execute(sql`delete from expertise_outbox`);
    const s = await getExpertiseSettings(tx);
    await rebuild(tx, everyone, s);
    await refreshAutomaticSmes(tx, everyone, s, now);
    // Every person's search document carries their expertise: one outbox row each, set-based
    // (left out by a caller that rebuilds the indexes next anyway: the generator).
    if (options.queuePeople !== false) {
      await tx.execute(sql`insert into outbox (kind, item_id) select 'person', id from users where kind = 'employee'`);
      await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
    }
    const [counts] = await tx.execute<{ evidence: number; people: number }>(sql`select count(*)::int as evidence, count(distinct user_id)::int as people from expertise_evidence`);
    return { evidence: Number(counts?.evidence ?? 0), people: Number(counts?.people ?? 0) };
  });
}

/** How long a claim holds before another worker may take the person again (one that died mid-rebuild). */
const CLAIM_LEASE = "10 minutes";

/**
 * One batch of the outbox: claims up to `limit` people, rebuilds them, and removes them from the
 * outbox unless they were queued again meanwhile. Returns how many people it rebuilt.
 *
 * The claim is its own short transaction (it marks the rows `claimed_at`, SKIP LOCKED so
 * instances share the work) and the rebuild another, so a change that queues someone (a kudos
 * given to them, their answer) never waits for their rebuild: it only clears their claim. A change
 * still in flight holds its person's row locked (the trigger's upsert), so it is skipped now and
 * rebuilt in a later batch. A change made during the rebuild clears the claim, so the row stays
 * and they are rebuilt again, from a snapshot that has it. A rebuild that fails gives its people
 * back (attempts counted, the error kept, and those who failed wait behind the rest); one whose
 * worker died is taken again once its claim is older than the lease.
 */
export async function drainExpertiseOutbox(db: Db, limit = 200, now = new Date()): Promise<number> {
  const claimed = await db.execute<{ user_id: number; claimed_at: string }>(sql`
    update expertise_outbox o set claimed_at = now()
      from (select user_id from expertise_outbox
             where claimed_at is null or claimed_at < now() - ${CLAIM_LEASE}::interval
             order by attempts, queued_at limit ${limit} for update skip locked) c
     where o.user_id = c.user_id
    returning o.user_id, o.claimed_at::text as claimed_at`);
  if (claimed.length === 0) return 0;
  const ids = claimed.map((r) => Number(r.user_id)).sort((a, b) => a - b);
  // One claim time for the whole batch (the claim's now()); the release leaves a row whose claim queuing cleared or another worker took.
  const claimedAt = claimed[0]!.claimed_at;
  const mine = sql`user_id = any(${`{${ids.join(",")}}`}::int[]) and claimed_at = ${claimedAt}::timestamptz`;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtext('expertise-recompute'))`);
      // Two workers never rebuild one person at once (a person queued again mid-rebuild and claimed by another instance): in id order, so they never deadlock.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('expertise-person'), u) from unnest(${`{${ids.join(",")}}`}::int[]) u order by u`);
      const s = await getExpertiseSettings(tx);
      const who = somePeople(ids);
      await rebuild(tx, who, s);
      await refreshAutomaticSmes(tx, who, s, now);
      await enqueueIndexing(tx, "person", ids, { priority: 1 });
    });
  } catch (error) {
    await db.execute(sql`
      update expertise_outbox set claimed_at = null, attempts = attempts + 1, last_error = ${rootMessage(error).slice(0, 1000)}
       where ${mine}`);
    throw error;
  }
  // After the commit, not in it: a change queuing one of them now waits for this statement only.
  await db.execute(sql`delete from expertise_outbox where ${mine}`);
  return ids.length;
}

/** What went wrong, without the statement a query error wraps it in (PostgreSQL's own words). */
function rootMessage(error: unknown): string {
  let cause = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

/** How many people wait in the outbox (Admin → Expertise shows it). */
export async function expertiseBacklog(db: Db): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from expertise_outbox`);
  return Number(row?.n ?? 0);
}
